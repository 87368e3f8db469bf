"""Recording a decision at a meeting: one page, two steps. A GET form picks
the student on the agenda, the kind of decision and (to adjust or stop one)
the measure; the page then shows what that kind needs and an optional
action item, and the POST saves it all through
klassenraad.services.beslissingen in one transaction.

Only the care team records decisions, and only while the meeting is open
(klassenraad.policies.can_record_beslissing); anyone else gets 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leerlingen.forms.maatregelen import initial_uit_catalogus
from leerlingen.models import (
    Bereik,
    Leerling,
    Maatregel,
    MaatregelCatalogusItem,
    MaatregelSoort,
    Vak,
    Zorgfase,
)
from leerlingen.services.maatregelen import (
    OPEN_STATUSSEN,
    VELDEN,
    voorgestelde_evaluatiedatum,
)
from leerlingen.services.zorgfase import fase_keuzes
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, al_verstuurd, eenmalig_bewaren
from zorg.formulieren import fouten_op_form
from zorg.versies import VerouderdeVersie

from .. import policies
from ..forms.actiepunten import ActiepuntForm
from ..forms.beslissingen import (
    OP_MAATREGEL,
    BeslissingForm,
    BeslissingMaatregelForm,
    FaseForm,
    HulpvraagForm,
    KeuzeForm,
)
from ..models import HANDMATIGE_SOORTEN, Actiepunt, BeslissingSoort
from ..services import beslissingen as services
from ..services.actiepunten import ActiepuntFout, actiepunt_controleren, mogelijke_eigenaars
from ..services.beslissingen import (
    MET_ACTIEPUNT,
    OUDERGESPREK_OMSCHRIJVING,
    beslisdatum,
)

TEMPLATE = "klassenraad/beslissingen/nieuw.html"
# The remediation selection records its own decisions (views.remediering).
HANDMATIG = frozenset(w for w, _label in HANDMATIGE_SOORTEN)
# A new measure is active or proposed; active first, as the form offers it.
NIEUWE_STATUSSEN = [Maatregel.Status.ACTIEF, Maatregel.Status.VOORGESTELD]


def _int(waarde) -> int | None:
    try:
        return int(waarde)
    except (TypeError, ValueError):
        return None


def _agenda(user, overleg) -> tuple[list[Leerling], dict[int, int]]:
    """The students on the agenda this user sees, in agenda order, with
    their class and phase; and the agenda item of each."""
    punten = list(
        policies.agendapunten_visible_to(user, overleg)
        .order_by("volgorde", "pk")
        .values_list("pk", "leerling_id")
    )
    punt_van = {leerling_id: punt_pk for punt_pk, leerling_id in punten}
    per_id = {
        leerling.pk: leerling
        for leerling in Leerling.objects.filter(pk__in=list(punt_van))
        .select_related("zorgfase", "school")
        .met_huidige_klas()
    }
    return [per_id[lid] for _, lid in punten if lid in per_id], punt_van


class _Keuze:
    """What the page needs for the chosen student and kind: evaluated
    lists only."""

    def __init__(self, overleg, leerling, soort, maatregel_id):
        self.leerling = leerling
        self.soort = soort
        self.maatregelen = None
        self.maatregel = None
        self.catalogus: list = []
        self.vakken: list = []
        self.fasen: list = []
        self.fase_keuzes: list = []
        if leerling is None or soort is None:
            return
        if soort in OP_MAATREGEL:
            self.maatregelen = list(
                Maatregel.objects.filter(leerling=leerling, status__in=OPEN_STATUSSEN)
                .prefetch_related(Prefetch("vakken", queryset=Vak.objects.order_by("naam")))
                .order_by("-begin", "-pk")
            )
            self.maatregel = next((m for m in self.maatregelen if m.pk == maatregel_id), None)
        if soort == BeslissingSoort.MAATREGEL_STARTEN:
            self.catalogus = list(
                MaatregelCatalogusItem.objects.filter(
                    school_id=overleg.school_id, actief=True
                ).order_by("titel")
            )
        if soort in (BeslissingSoort.MAATREGEL_STARTEN, BeslissingSoort.MAATREGEL_AANPASSEN):
            self.vakken = list(Vak.objects.filter(school_id=leerling.school_id).order_by("naam"))
        if soort == BeslissingSoort.ZORGFASE:
            self.fasen = list(
                Zorgfase.objects.filter(schooltype=leerling.school.schooltype).order_by("nummer")
            )
            # On the day the decision will carry, as the service checks it.
            self.fase_keuzes = fase_keuzes(
                leerling=leerling, fasen=self.fasen, op=beslisdatum(overleg)
            )

    @property
    def volledig(self) -> bool:
        """Chosen enough to show the decision form."""
        if self.leerling is None or self.soort is None:
            return False
        return self.soort not in OP_MAATREGEL or self.maatregel is not None


def _status_keuzes(maatregel) -> list[str] | None:
    # A proposal may be started by adjusting it; other statuses stay.
    if maatregel.status == Maatregel.Status.VOORGESTELD:
        return list(NIEUWE_STATUSSEN)
    return None


def _maatregel_initial(maatregel) -> dict:
    return {
        **{veld: getattr(maatregel, veld) for veld in VELDEN if veld != "vakken"},
        "vakken": [vak.pk for vak in maatregel.vakken.all()],
    }


def _onderdeel(data, keuze: _Keuze, catalogus_item_id=None, versie=None):
    """The form of the kind's own fields (or None), bound to `data` on POST.
    `versie` overrides the version of an adjusted measure (after a conflict)."""
    soort = keuze.soort
    if soort == BeslissingSoort.MAATREGEL_STARTEN:
        vandaag = timezone.localdate()
        initial = {
            "begin": vandaag,
            "evaluatiedatum": voorgestelde_evaluatiedatum(
                begin=vandaag, weken=keuze.leerling.school.evaluatieperiode_weken
            ),
            "status": Maatregel.Status.ACTIEF,
        }
        item = next((i for i in keuze.catalogus if i.pk == catalogus_item_id), None)
        if item is not None:
            initial.update(initial_uit_catalogus(item))
        return BeslissingMaatregelForm(
            data,
            prefix="maatregel",
            initial=initial,
            vakken=keuze.vakken,
            status_keuzes=list(NIEUWE_STATUSSEN),
            catalogus=keuze.catalogus,
        )
    if soort == BeslissingSoort.MAATREGEL_AANPASSEN:
        m = keuze.maatregel
        return BeslissingMaatregelForm(
            data,
            prefix="maatregel",
            initial=_maatregel_initial(m),
            vakken=keuze.vakken,
            status_keuzes=_status_keuzes(m),
            versie=versie or m.versie,
        )
    if soort == BeslissingSoort.ZORGFASE:
        return FaseForm(
            data,
            prefix="fase",
            leerling=keuze.leerling,
            fasen=keuze.fasen,
            keuzes=keuze.fase_keuzes,
        )
    if soort == BeslissingSoort.AANMELDING_CLB:
        return HulpvraagForm(data, prefix="aanmelding")
    return None


def _actiepunt_form(data, keuze: _Keuze, eigenaars):
    initial = {}
    if keuze.soort == BeslissingSoort.OUDERGESPREK:
        initial["omschrijving"] = str(OUDERGESPREK_OMSCHRIJVING)
    return ActiepuntForm(
        data,
        prefix="actiepunt",
        initial=initial,
        eigenaars=eigenaars,
        verplicht=keuze.soort in MET_ACTIEPUNT,
    )


def _fouten_verdelen(fout: ValidationError, form, onderdeel) -> None:
    """The decision service's refusals onto the form they concern: the
    kind's own fields first, the decision's text for a reason, the rest on
    top of the decision form."""
    if not hasattr(fout, "error_dict"):
        form.add_error(None, fout)
        return
    for veld, fouten in fout.error_dict.items():
        if veld == "reden":
            form.add_error("tekst", fouten)
        elif onderdeel is not None and veld in onderdeel.fields:
            onderdeel.add_error(veld, fouten)
        elif veld == "tekst":
            form.add_error("tekst", fouten)
        else:
            form.add_error(None, fouten)


def _weergave(veld: str, waarde) -> str:
    if waarde is None or waarde == "" or waarde == ():
        return "–"
    if isinstance(waarde, bool):
        return _("ja") if waarde else _("nee")
    if veld == "soort":
        return str(MaatregelSoort(waarde).label)
    if veld == "bereik":
        return str(Bereik(waarde).label)
    if veld == "status":
        return str(Maatregel.Status(waarde).label)
    if veld == "vakken":
        return ", ".join(sorted(vak.naam for vak in waarde))
    if hasattr(waarde, "isoformat"):
        return date_format(waarde, "d/m/Y")
    return str(waarde)


def _verschillen(onderdeel, huidig, gegevens) -> list[dict]:
    """The fields where the saved measure and the user's input differ."""
    rijen = []
    for veld in VELDEN:
        if veld == "beslist_waar":
            continue
        if veld == "vakken":
            opgeslagen, ingevuld = tuple(huidig.vakken.all()), tuple(gegevens.vakken)
            gelijk = {v.pk for v in opgeslagen} == {v.pk for v in ingevuld}
        else:
            opgeslagen, ingevuld = getattr(huidig, veld), getattr(gegevens, veld)
            gelijk = opgeslagen == ingevuld
        if not gelijk:
            veldobject = onderdeel.fields.get(veld) if onderdeel is not None else None
            rijen.append(
                {
                    "label": veldobject.label if veldobject else veld,
                    "opgeslagen": _weergave(veld, opgeslagen),
                    "ingevuld": _weergave(veld, ingevuld),
                }
            )
    return rijen


def _bewaren(request, overleg, keuze, form, onderdeel, actiepunt_form):
    """Call the service with the cleaned input, once per form. Returns the
    decision, or None with the errors on the forms (and `conflict` for a
    measure that changed meanwhile)."""
    d = form.cleaned_data
    soort = keuze.soort
    kwargs = {
        "overleg": overleg,
        "leerling": keuze.leerling,
        "soort": soort,
        "tekst": d["tekst"],
        "door": request.user,
        "actiepunt": actiepunt_form.gegevens(),
    }
    gegevens = None
    if soort == BeslissingSoort.MAATREGEL_STARTEN:
        gegevens = onderdeel.gegevens(status=Maatregel.Status.ACTIEF, beslist_waar=str(overleg))
        kwargs.update(maatregel_gegevens=gegevens, catalogus_item=onderdeel.catalogus_item())
    elif soort == BeslissingSoort.MAATREGEL_AANPASSEN:
        m = keuze.maatregel
        gegevens = onderdeel.gegevens(status=m.status, beslist_waar=m.beslist_waar)
        kwargs.update(
            maatregel=m,
            maatregel_versie=onderdeel.cleaned_data["versie"],
            maatregel_gegevens=gegevens,
        )
    elif soort == BeslissingSoort.MAATREGEL_STOPPEN:
        kwargs.update(maatregel=keuze.maatregel, maatregel_versie=d["maatregel_versie"])
    elif soort == BeslissingSoort.ZORGFASE:
        f = onderdeel.cleaned_data
        kwargs.update(
            van=f["van"],
            naar=f["naar"],
            hulpvraag=f.get("hulpvraag", ""),
            maatregelen_ontoereikend=f.get("maatregelen_ontoereikend", False),
            welbevinden_in_gedrang=f.get("welbevinden_in_gedrang", False),
        )
    elif soort == BeslissingSoort.AANMELDING_CLB:
        kwargs["hulpvraag"] = onderdeel.cleaned_data["hulpvraag"]
    try:
        beslissing, _nieuw = eenmalig_bewaren(
            form, request.user, lambda: services.beslissing_registreren(**kwargs)
        )
        return beslissing, None
    except ActiepuntFout as fout:
        fouten_op_form(actiepunt_form, fout)
    except VerouderdeVersie as fout:
        form.add_error(None, fout)
        huidig = Maatregel.objects.prefetch_related("vakken").get(pk=fout.huidig.pk)
        return None, {
            "huidig": huidig,
            "verschillen": _verschillen(onderdeel, huidig, gegevens) if gegevens else [],
        }
    except ValidationError as fout:
        _fouten_verdelen(fout, form, onderdeel)
    return None, None


@require_http_methods(["GET", "POST"])
def beslissing_nieuw(request, pk):
    user = request.user
    overleg = policies.get_overleg_for_user(user, pk)
    if not policies.can_record_beslissing(user, overleg):
        raise Http404
    leerlingen, punt_van = _agenda(user, overleg)
    per_id = {leerling.pk: leerling for leerling in leerlingen}
    bron = request.POST if request.method == "POST" else request.GET
    soort = bron.get("soort") if bron.get("soort") in HANDMATIG else None
    keuze = _Keuze(
        overleg, per_id.get(_int(bron.get("leerling"))), soort, _int(bron.get("maatregel"))
    )
    # Who may own the item: those who may read this student's care content.
    eigenaars = list(mogelijke_eigenaars(keuze.leerling)) if keuze.leerling else []
    conflict = None
    status = 200
    form = onderdeel = actiepunt_form = None

    if request.method == "POST":
        form = BeslissingForm(request.POST, leerlingen=leerlingen, maatregelen=keuze.maatregelen)
        if al_verstuurd(form, user):
            # Answered before the checks: a phase or a measure the first
            # submit changed would make them refuse the repeat.
            messages.success(request, AL_BEWAARD)
            anker = f"#punt-{punt_van[keuze.leerling.pk]}" if keuze.leerling else ""
            return redirect(reverse("klassenraad:overleg_detail", args=[overleg.pk]) + anker)
        if keuze.volledig:
            onderdeel = _onderdeel(request.POST, keuze)
            actiepunt_form = _actiepunt_form(request.POST, keuze, eigenaars)
        geldig = form.is_valid()
        if onderdeel is not None:
            geldig = onderdeel.is_valid() and geldig
        if actiepunt_form is not None:
            geldig = actiepunt_form.is_valid() and geldig
        if geldig and actiepunt_form is not None and actiepunt_form.gegevens() is not None:
            # The action item's rules at once, beside the other errors; the
            # service checks them again in its transaction.
            try:
                actiepunt_controleren(actiepunt_form.gegevens(), leerling=keuze.leerling)
            except ActiepuntFout as fout:
                fouten_op_form(actiepunt_form, fout)
                geldig = False
        if geldig and keuze.volledig:
            beslissing, conflict = _bewaren(
                request, overleg, keuze, form, onderdeel, actiepunt_form
            )
            if beslissing is not None:
                return _na_bewaren(request, overleg, beslissing, punt_van[keuze.leerling.pk])
            if conflict is not None:
                status = 409
                huidig = conflict["huidig"]
                data = request.POST.copy()
                data["maatregel_versie"] = str(huidig.versie)
                data["maatregel-versie"] = str(huidig.versie)
                fouten = form.non_field_errors()
                form = BeslissingForm(data, leerlingen=leerlingen, maatregelen=keuze.maatregelen)
                form.is_valid()
                form.add_error(None, list(fouten))
                if onderdeel is not None:
                    onderdeel = _onderdeel(data, keuze, versie=huidig.versie)
                    onderdeel.is_valid()
        keuze_form = KeuzeForm(
            initial={
                "leerling": keuze.leerling and keuze.leerling.pk,
                "soort": soort,
                "maatregel": keuze.maatregel and keuze.maatregel.pk,
            },
            leerlingen=leerlingen,
            maatregelen=keuze.maatregelen,
            catalogus=keuze.catalogus,
        )
    else:
        keuze_form = KeuzeForm(
            request.GET or None,
            leerlingen=leerlingen,
            maatregelen=keuze.maatregelen,
            catalogus=keuze.catalogus,
        )
        if request.GET:
            keuze_form.is_valid()
        if keuze.volledig:
            m = keuze.maatregel
            form = BeslissingForm(
                initial={
                    "leerling": keuze.leerling.pk,
                    "soort": soort,
                    "maatregel": m and m.pk,
                    "maatregel_versie": m and m.versie,
                },
                leerlingen=leerlingen,
                maatregelen=keuze.maatregelen,
            )
            onderdeel = _onderdeel(
                None, keuze, catalogus_item_id=_int(request.GET.get("catalogus"))
            )
            actiepunt_form = _actiepunt_form(None, keuze, eigenaars)
        if keuze.leerling is not None:
            # The page shows the student's phase and open measures.
            audit_vastleggen(
                gebruiker=user,
                actie=Actie.LEZEN,
                onderwerp="beslissing",
                leerlingen=[keuze.leerling],
                object_id=overleg.pk,
                omschrijving="formulier beslissing",
            )
    context = {
        "overleg": overleg,
        "leerlingen": leerlingen,
        "keuze": keuze,
        "keuze_form": keuze_form,
        "form": form,
        "onderdeel": onderdeel,
        "actiepunt_form": actiepunt_form,
        "conflict": conflict,
        "soort_label": BeslissingSoort(soort).label if soort else "",
        "met_actiepunt": soort in MET_ACTIEPUNT,
    }
    if request.htmx and request.method == "GET":
        return render(request, f"{TEMPLATE}#inhoud", context)
    return render(request, TEMPLATE, context, status=status)


def _na_bewaren(request, overleg, beslissing, punt_pk):
    bericht = _("De beslissing is bewaard.")
    try:
        actiepunt = beslissing.actiepunt
    except Actiepunt.DoesNotExist:
        actiepunt = None
    if actiepunt is not None:
        bericht += " " + _("Het actiepunt staat bij %(naam)s.") % {"naam": actiepunt.eigenaar}
    messages.success(request, bericht)
    return redirect(reverse("klassenraad:overleg_detail", args=[overleg.pk]) + f"#punt-{punt_pk}")


urlpatterns = [
    path("overleggen/<int:pk>/beslissing/", beslissing_nieuw, name="beslissing_nieuw"),
]
