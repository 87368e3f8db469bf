"""Behaviour flags: logging from the class page, the flag's own page, a
student's flags and their section on the student page.

Flags are the school's classroom matter: the care team sees all of its
school's, a teacher those they logged and those of the students they teach
(`policies.vlaggen_visible_to`), the CLB those of the students in its reach;
the secretariat does not see them. On a flag's page a viewer sees only the
students they may see; the others are counted, not named."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from zorg.accounts.models import Schooljaar, schooljaar_begin
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.paginering import pagineren

from .. import policies
from ..forms.vlaggen import VlagForm
from ..models import (
    Klas,
    Leerling,
    Lesopdracht,
    Vak,
    Vlag,
    VlagBetrokkene,
    VlagKleur,
    VlagOpvolging,
)
from ..services.vlaggen import vlag_registreren, vlag_url, zorgteam_verwittigd

PER_PAGINA = 25
IN_SECTIE = 5
VOLGORDE = ("-moment", "-pk")


# --- what the user may see --------------------------------------------------------


def _van_leerling(leerling: Leerling):
    return VlagBetrokkene.objects.filter(vlag=OuterRef("pk"), leerling=leerling)


def _zichtbaar_van(user, leerling: Leerling):
    """The flags of `leerling` this user may see."""
    return policies.vlaggen_visible_to(user).filter(Exists(_van_leerling(leerling)))


def _vlaggen_van(user, leerling: Leerling):
    """Those flags, each with the student's role in it and the number of
    students involved: no query per row."""
    van_leerling = _van_leerling(leerling)
    return (
        _zichtbaar_van(user, leerling)
        .select_related("klas", "vak", "gemeld_door")
        .annotate(
            rol=Subquery(van_leerling.values("rol")[:1]),
            aantal_leerlingen=Count("betrokkenen", distinct=True),
        )
        .order_by(*VOLGORDE)
    )


def _rol_label(vlag: Vlag) -> Vlag:
    vlag.rol_label = VlagBetrokkene.Rol(vlag.rol).label if vlag.rol else ""
    vlag.andere = max(vlag.aantal_leerlingen - 1, 0)
    return vlag


# --- logging from the class page -----------------------------------------------


def _vakken(klas: Klas) -> list[Vak]:
    return list(Vak.objects.filter(lesopdrachten__klas=klas).distinct().order_by("naam"))


def _eigen_vak(user, klas: Klas) -> int | None:
    """The teacher's own subject in this class, when there is just one."""
    eigen = set(
        Lesopdracht.objects.filter(klas=klas, leerkracht=user).values_list("vak_id", flat=True)
    )
    return eigen.pop() if len(eigen) == 1 else None


def _nieuw_formulier(user, klas, leerlingen, vakken) -> VlagForm:
    return VlagForm(
        leerlingen=leerlingen,
        vakken=vakken,
        klas=klas,
        initial={"vak": _eigen_vak(user, klas)},
    )


def _melding(vlag: Vlag, nieuw: bool, leerlingen_met_rol) -> str:
    """What the teacher reads after saving: for whom, and for red that the
    care team knows. Names only the students in the flag: the teacher chose
    them on this form."""
    if nieuw:
        namen = [
            leerling.volledige_naam
            for leerling, _rol in sorted(
                leerlingen_met_rol, key=lambda paar: (paar[0].achternaam, paar[0].voornaam)
            )
        ]
        melding = _("Vlag geregistreerd voor %(namen)s.") % {
            "namen": get_text_list(namen, pgettext("de laatste in een opsomming", "en"))
        }
    else:
        melding = _("Deze vlag was al geregistreerd: er werd niets dubbel bewaard.")
    if vlag.kleur == VlagKleur.ROOD:
        # vlag_registreren notified the care coordinators (in the app, and
        # by e-mail once committed); say so only if it reached one.
        if zorgteam_verwittigd(vlag):
            melding += " " + _("Het zorgteam werd verwittigd.")
        else:
            melding += " " + _(
                "Niemand van het zorgteam kon verwittigd worden: "
                "verwittig zelf de zorgcoördinator of de directie."
            )
    return melding


@require_http_methods(["GET", "POST"])
def vlag_nieuw(request, pk):
    """Log a flag in a few taps. With htmx the answer is a success panel (or
    the form with its errors) in place; without JavaScript a redirect to the
    flag's page. A second submit of the same form returns the first flag."""
    user = request.user
    klas = policies.get_klas_for_user(user, pk)
    if not policies.can_log_vlag(user, klas):
        raise Http404
    leerlingen = klas.huidige_leerlingen()
    vakken = _vakken(klas)
    context = {"klas": klas}
    if request.method == "POST":
        form = VlagForm(request.POST, leerlingen=leerlingen, vakken=vakken, klas=klas)
        if form.is_valid():
            try:
                vlag, nieuw = vlag_registreren(
                    klas=klas,
                    door=user,
                    kleur=form.cleaned_data["kleur"],
                    moment=form.cleaned_data["moment"],
                    leerlingen_met_rol=form.leerlingen_met_rol(),
                    vak=form.gekozen_vak(),
                    omschrijving=form.cleaned_data["omschrijving"],
                    reeds_gedaan=form.cleaned_data["reeds_gedaan"],
                    sleutel=form.eenmalige_sleutel,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                melding = _melding(vlag, nieuw, form.leerlingen_met_rol())
                if not request.htmx:
                    messages.success(request, melding)
                    return redirect(vlag_url(vlag))
                context.update(vlag=vlag, melding=melding)
                return render(request, "leerlingen/vlaggen/nieuw.html#geregistreerd", context)
    else:
        form = _nieuw_formulier(user, klas, leerlingen, vakken)
        # The form lists the class by name: in the trail of each student
        # (one INSERT), as the class list is.
        audit_vastleggen(
            gebruiker=user,
            actie=Actie.LEZEN,
            onderwerp="vlagformulier",
            leerlingen=leerlingen,
            school_id=klas.schooljaar.school_id,
            object_id=klas.pk,
            omschrijving=klas.naam,
        )
    context["form"] = form
    if request.htmx:
        return render(request, "leerlingen/vlaggen/nieuw.html#formulier", context)
    return render(request, "leerlingen/vlaggen/nieuw.html", context)


# --- the flag's page -------------------------------------------------------------


@require_GET
def vlag_detail(request, pk):
    user = request.user
    vlag = policies.get_vlag_for_user(user, pk)
    # The template must not query: the people of a red flag's alert loop
    # and the follow-ups are loaded here.
    prefetch_related_objects([vlag], "erkend_door", "opgenomen_door")
    betrokkenen = list(
        VlagBetrokkene.objects.filter(vlag=vlag)
        .select_related("leerling")
        .order_by("leerling__achternaam", "leerling__voornaam", "pk")
    )
    zichtbaar_ids = set(
        policies.leerlingen_visible_to(user)
        .filter(pk__in=[b.leerling_id for b in betrokkenen])
        .values_list("pk", flat=True)
    )
    zichtbaar = [b for b in betrokkenen if b.leerling_id in zichtbaar_ids]
    opvolgingen = list(vlag.opvolgingen.select_related("door").order_by("datum", "aangemaakt"))
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="vlag",
        leerlingen=[b.leerling for b in zichtbaar],
        school_id=vlag.school_id,
        object_id=vlag.pk,
    )
    return render(
        request,
        "leerlingen/vlaggen/detail.html",
        {
            "vlag": vlag,
            "betrokkenen": zichtbaar,
            "verborgen": len(betrokkenen) - len(zichtbaar),
            # A CLB worker reads the flag of a student in reach, not the class.
            "toon_klaslink": bool(vlag.klas_id)
            and policies.can_view_klas(user, vlag.klas_id, vlag.school_id),
            # Also read by the red-flag alert partial (_alarm_plek.html).
            "opvolgingen": opvolgingen,
        },
    )


# --- a student's flags ------------------------------------------------------------


def _kleurfilter(request) -> str:
    kleur = request.GET.get("kleur", "")
    return kleur if kleur in VlagKleur.values else ""


@require_GET
def leerling_vlaggen(request, pk):
    user = request.user
    leerling = policies.get_leerling_for_user(user, pk)
    if not policies.can_view_vlaggen(user, leerling):
        raise Http404
    kleur = _kleurfilter(request)
    vlaggen = _vlaggen_van(user, leerling)
    if kleur:
        vlaggen = vlaggen.filter(kleur=kleur)
    pagina = pagineren(request, vlaggen, PER_PAGINA)
    for vlag in pagina.object_list:
        _rol_label(vlag)
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="vlaggen",
        leerlingen=[leerling],
        object_id=leerling.pk,
        # That a filter was set, not its colour: the functional administrator
        # reads the trail and would take "rood" for the student's flags.
        omschrijving=f"pagina {pagina.number}" + (", kleurfilter" if kleur else ""),
    )
    return render(
        request,
        "leerlingen/vlaggen/lijst.html",
        {
            "leerling": leerling,
            "pagina": pagina,
            "kleur": kleur,
            "kleuren": VlagKleur.choices,
        },
    )


def huidig_schooljaar_begin(leerling: Leerling) -> datetime.date:
    """The first day of the student's school's current year."""
    begin = (
        Schooljaar.objects.filter(school_id=leerling.school_id, is_huidig=True)
        .order_by("-begin")
        .values_list("begin", flat=True)
        .first()
    )
    return begin or schooljaar_begin(timezone.localdate())


def _middernacht(datum: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(datum, datetime.time.min))


def _schooljaar_begin(leerling: Leerling) -> datetime.datetime:
    """Midnight of the first day of the student's school's current year."""
    return _middernacht(huidig_schooljaar_begin(leerling))


def vlag_tellingen(user, leerling: Leerling, vanaf: datetime.date | None) -> list[dict]:
    """The number of flags per colour this user sees of `leerling`, from
    `vanaf` on (None: all), in one query."""
    zichtbaar = _zichtbaar_van(user, leerling)
    if vanaf is not None:
        zichtbaar = zichtbaar.filter(moment__gte=_middernacht(vanaf))
    tellingen = zichtbaar.aggregate(
        **{kleur: Count("pk", filter=Q(kleur=kleur)) for kleur in VlagKleur.values}
    )
    return [
        {"kleur": kleur, "label": label, "aantal": tellingen[kleur]}
        for kleur, label in VlagKleur.choices
    ]


def rode_vlaggen(user, leerling: Leerling, vanaf: datetime.date | None) -> list[Vlag]:
    """The red flags this user sees of `leerling` (from `vanaf` on), newest
    first, each with its follow-ups as the flag's page shows them: two
    queries, however many flags."""
    vlaggen = _vlaggen_van(user, leerling).filter(kleur=VlagKleur.ROOD)
    if vanaf is not None:
        vlaggen = vlaggen.filter(moment__gte=_middernacht(vanaf))
    opvolgingen = VlagOpvolging.objects.select_related("door").order_by("datum", "aangemaakt")
    vlaggen = vlaggen.select_related("erkend_door", "opgenomen_door").prefetch_related(
        Prefetch("opvolgingen", queryset=opvolgingen, to_attr="opvolginglijst")
    )
    return [_rol_label(vlag) for vlag in vlaggen]


def sectie(request, leerling) -> dict:
    """Counts per colour this school year and the latest flags the viewer
    may see; for the care team and the student's own teachers."""
    user = request.user
    if not policies.can_view_vlaggen(user, leerling):
        return {}
    laatste = [_rol_label(vlag) for vlag in _vlaggen_van(user, leerling)[:IN_SECTIE]]
    return {
        "onderdeel": "vlaggen",
        "tellingen": vlag_tellingen(user, leerling, huidig_schooljaar_begin(leerling)),
        "vlaggen": laatste,
    }


urlpatterns = [
    path("klassen/<int:pk>/vlag/", vlag_nieuw, name="vlag_nieuw"),
    path("vlaggen/<int:pk>/", vlag_detail, name="vlag_detail"),
    path("leerlingen/<int:pk>/vlaggen/", leerling_vlaggen, name="leerling_vlaggen"),
]
