"""Measures (maatregelen): reasonable adjustments, their evaluations over
time, and the school's catalogue of common measures.

The rules about a measure's dates, scope and parents' agreement live here,
not in the forms, so every way in (a form, the demo data, a later import)
meets the same rules. A broken rule raises a `ValidationError` whose keys
are the form's field names, so a view can show it beside the field.

Concurrency: a measure carries a version. An edit names the version it
started from and only lands when that is still the saved one (a conditional
UPDATE); otherwise `VerouderdeVersie` carries the newer saved measure so
the view can show both. Evaluating and stopping raise the version too, so an
edit begun before them is refused rather than silently undoing them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import (
    VerouderdeVersie,
    nieuwe_versie_bewaren,
    vergrendelen,
    versie_controleren,
    versie_ophogen,
)

from .. import domeinen as domeinen_mod
from ..models import (
    Bereik,
    Leerling,
    Maatregel,
    MaatregelCatalogusItem,
    MaatregelEvaluatie,
    MaatregelSoort,
    TijdlijnItem,
    Vak,
    Zichtbaarheid,
)
from .tijdlijn import tijdlijn_bijwerken, tijdlijn_registreren

ZOMERVAKANTIE = (7, 8)  # July and August: no lessons, no class councils


def _weekdag_op_of_na(datum: datetime.date) -> datetime.date:
    if datum.weekday() >= 5:  # Saturday, Sunday
        return datum + datetime.timedelta(days=7 - datum.weekday())
    return datum


def voorgestelde_evaluatiedatum(*, begin: datetime.date, weken: int) -> datetime.date:
    """The evaluation date a new measure's form proposes: `weken` (the
    school's evaluation period) after the start, on a weekday (a weekend
    becomes the Monday after). Nobody evaluates in the summer holiday, so a
    date in July or August becomes the last weekday of June, while the
    teachers who applied the measure can still judge it and the result can
    travel to the next school year; unless that leaves less than half the
    period (a measure started shortly before the summer), then the first
    weekday of September. Only a proposal: the user may pick any date."""
    datum = _weekdag_op_of_na(begin + datetime.timedelta(weeks=weken))
    if datum.month not in ZOMERVAKANTIE:
        return datum
    juni = datetime.date(datum.year, 6, 30)
    while juni.weekday() >= 5:
        juni -= datetime.timedelta(days=1)
    if (juni - begin).days * 2 >= weken * 7:
        return juni
    return _weekdag_op_of_na(datetime.date(datum.year, 9, 1))


OPEN_STATUSSEN = frozenset({Maatregel.Status.VOORGESTELD, Maatregel.Status.ACTIEF})
# The fields a user edits; the audit event names those that changed.
VELDEN = (
    "soort",
    "titel",
    "omschrijving",
    "domeinen",
    "bereik",
    "vakken",
    "begin",
    "einde",
    "evaluatiedatum",
    "beslist_waar",
    "ouderomschrijving",
    "akkoord_nodig",
    "ouders_akkoord",
    "ouders_akkoord_op",
    "stem_leerling",
    "status",
)


@dataclass(frozen=True)
class MaatregelGegevens:
    """What a user fills in for a measure (new or edited)."""

    soort: str
    titel: str
    domeinen: int
    bereik: str
    begin: datetime.date
    evaluatiedatum: datetime.date
    beslist_waar: str
    omschrijving: str = ""
    vakken: tuple[Vak, ...] = field(default_factory=tuple)
    einde: datetime.date | None = None
    # The words used with the parents (blank: the title) and whether the
    # parents' agreement is needed (the parent letter asks for it).
    ouderomschrijving: str = ""
    akkoord_nodig: bool = False
    ouders_akkoord: bool = False
    ouders_akkoord_op: datetime.date | None = None
    stem_leerling: str = ""
    status: str = Maatregel.Status.ACTIEF


# --- rules ---------------------------------------------------------------------


def _gecontroleerd(gegevens: MaatregelGegevens, leerling: Leerling) -> MaatregelGegevens:
    """The data with the rules applied, or a ValidationError per field."""
    fouten: dict[str, str] = {}
    titel = gegevens.titel.strip()
    if not titel:
        fouten["titel"] = _("Geef de maatregel een titel.")
    if gegevens.soort not in MaatregelSoort.values:
        fouten["soort"] = _("Kies een soort maatregel (STICORDI).")
    if gegevens.bereik not in Bereik.values:
        fouten["bereik"] = _("Kies voor welke vakken de maatregel geldt.")
    if not 0 < gegevens.domeinen <= domeinen_mod.ALLE:
        fouten["domeinen"] = _("Kies minstens één begeleidingsdomein.")
    if not gegevens.beslist_waar.strip():
        fouten["beslist_waar"] = _("Vul in waar de maatregel beslist werd.")
    if gegevens.evaluatiedatum < gegevens.begin:
        fouten["evaluatiedatum"] = _("De evaluatiedatum ligt vóór de startdatum.")
    if gegevens.einde is not None and gegevens.einde < gegevens.begin:
        fouten["einde"] = _("De einddatum ligt vóór de startdatum.")
    if gegevens.ouders_akkoord and gegevens.ouders_akkoord_op is None:
        fouten["ouders_akkoord_op"] = _("Vul de datum in waarop de ouders akkoord gingen.")
    if gegevens.status not in Maatregel.Status.values:
        fouten["status"] = _("Kies een geldige status.")
    elif gegevens.status not in OPEN_STATUSSEN and gegevens.einde is None:
        fouten["einde"] = _("Een afgesloten maatregel heeft een einddatum.")
    vakken = tuple(gegevens.vakken) if gegevens.bereik == Bereik.GEKOZEN_VAKKEN else ()
    if gegevens.bereik == Bereik.GEKOZEN_VAKKEN and not vakken:
        fouten["vakken"] = _("Kies minstens één vak voor een maatregel in gekozen vakken.")
    if any(vak.school_id != leerling.school_id for vak in vakken):
        fouten["vakken"] = _("Kies enkel vakken van de school van de leerling.")
    if fouten:
        raise ValidationError(fouten)
    return MaatregelGegevens(
        soort=gegevens.soort,
        titel=titel,
        domeinen=gegevens.domeinen,
        bereik=gegevens.bereik,
        begin=gegevens.begin,
        evaluatiedatum=gegevens.evaluatiedatum,
        beslist_waar=gegevens.beslist_waar.strip(),
        omschrijving=gegevens.omschrijving.strip(),
        vakken=vakken,
        einde=gegevens.einde,
        ouderomschrijving=gegevens.ouderomschrijving.strip(),
        akkoord_nodig=gegevens.akkoord_nodig,
        ouders_akkoord=gegevens.ouders_akkoord,
        ouders_akkoord_op=gegevens.ouders_akkoord_op if gegevens.ouders_akkoord else None,
        stem_leerling=gegevens.stem_leerling.strip(),
        status=gegevens.status,
    )


# --- timeline ------------------------------------------------------------------


def _tijdlijntitel(maatregel: Maatregel) -> str:
    # The same title on every entry of one measure, so an edit can bring them
    # all in line; what happened is in the entry's text.
    return f"{maatregel.get_soort_display().capitalize()}: {maatregel.titel}"


def _bereik_tekst(maatregel: Maatregel, vakken) -> str:
    if maatregel.bereik == Bereik.GEKOZEN_VAKKEN:
        return ", ".join(vak.naam for vak in vakken)
    return str(maatregel.get_bereik_display())


def _url(maatregel: Maatregel) -> str:
    return reverse("leerlingen:maatregel_detail", args=[maatregel.leerling_id, maatregel.pk])


def _maatregel_op_tijdlijn(
    maatregel: Maatregel, *, datum: datetime.date, tekst: str, zichtbaarheid: str, door
) -> TijdlijnItem:
    return tijdlijn_registreren(
        leerling=maatregel.leerling,
        soort=TijdlijnItem.Soort.MAATREGEL,
        datum=datum,
        titel=_tijdlijntitel(maatregel),
        bron=maatregel,
        zichtbaarheid=zichtbaarheid,
        tekst=tekst,
        domeinen=maatregel.domeinen,
        auteur=door,
        url=_url(maatregel),
    )


def _start_tekst(maatregel: Maatregel, vakken) -> str:
    return _("Gestart op %(datum)s, geldt voor: %(bereik)s.") % {
        "datum": maatregel.begin.strftime("%d/%m/%Y"),
        "bereik": _bereik_tekst(maatregel, vakken),
    }


# --- measures ------------------------------------------------------------------


@transaction.atomic
def maatregel_maken(
    *,
    leerling: Leerling,
    gegevens: MaatregelGegevens,
    door,
    catalogus_item: MaatregelCatalogusItem | None = None,
) -> Maatregel:
    """Record a measure, proposed or already active. A catalogue item of
    another school is not recorded."""
    if gegevens.status not in OPEN_STATUSSEN:
        raise ValidationError({"status": _("Een nieuwe maatregel is voorgesteld of actief.")})
    g = _gecontroleerd(gegevens, leerling)
    if catalogus_item is not None and catalogus_item.school_id != leerling.school_id:
        catalogus_item = None
    maatregel = Maatregel.objects.create(
        leerling=leerling,
        soort=g.soort,
        titel=g.titel,
        omschrijving=g.omschrijving,
        domeinen=g.domeinen,
        bereik=g.bereik,
        begin=g.begin,
        einde=g.einde,
        evaluatiedatum=g.evaluatiedatum,
        evaluatietermijn=g.evaluatiedatum,
        beslist_waar=g.beslist_waar,
        beslist_door=door,
        ouderomschrijving=g.ouderomschrijving,
        akkoord_nodig=g.akkoord_nodig,
        ouders_akkoord=g.ouders_akkoord,
        ouders_akkoord_op=g.ouders_akkoord_op,
        stem_leerling=g.stem_leerling,
        status=g.status,
        catalogus_item=catalogus_item,
    )
    if g.vakken:
        maatregel.vakken.set(g.vakken)
    with translation.override(settings.LANGUAGE_CODE):
        if g.status == Maatregel.Status.ACTIEF:
            # Teachers must apply it: the class team sees it.
            _maatregel_op_tijdlijn(
                maatregel,
                datum=g.begin,
                tekst=_start_tekst(maatregel, g.vakken),
                zichtbaarheid=Zichtbaarheid.KLASTEAM,
                door=door,
            )
        else:
            # A proposal is the care team's until it is decided.
            _maatregel_op_tijdlijn(
                maatregel,
                datum=timezone.localdate(),
                tekst=_("Voorgesteld, start gepland op %(datum)s.")
                % {"datum": g.begin.strftime("%d/%m/%Y")},
                zichtbaarheid=Zichtbaarheid.ZORGTEAM,
                door=door,
            )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="maatregel",
        leerlingen=[leerling],
        object_id=maatregel.pk,
        # No title and no status: the trail is read by the functional
        # administrator, who may not read care content.
        velden=list(VELDEN),
    )
    return maatregel


def _huidige_waarden(maatregel: Maatregel) -> dict:
    waarden = {veld: getattr(maatregel, veld) for veld in VELDEN if veld != "vakken"}
    waarden["vakken"] = {vak.pk for vak in maatregel.vakken.all()}
    return waarden


@transaction.atomic
def maatregel_wijzigen(
    *, maatregel_id: int, versie: int, gegevens: MaatregelGegevens, door
) -> Maatregel:
    """Save an edit that started from `versie`. Raises VerouderdeVersie when
    someone saved the measure since, and changes nothing then."""
    oud = Maatregel.objects.select_related("leerling").get(pk=maatregel_id)
    versie_controleren(oud, versie)
    statussen = OPEN_STATUSSEN if oud.status == Maatregel.Status.VOORGESTELD else {oud.status}
    if gegevens.status not in statussen:
        raise ValidationError(
            {"status": _("Een actieve of afgesloten maatregel kan niet terug naar voorgesteld.")}
        )
    g = _gecontroleerd(gegevens, oud.leerling)
    voor = _huidige_waarden(oud)
    # A proposal is not in force: its evaluation is still being planned. From
    # the start on, an edit moves the planned date but not the deadline.
    termijn = {}
    if oud.status == Maatregel.Status.VOORGESTELD:
        termijn["evaluatietermijn"] = g.evaluatiedatum
    # The guard itself: only the version this edit started from is replaced.
    bijgewerkt = versie_ophogen(
        Maatregel,
        maatregel_id,
        versie,
        soort=g.soort,
        titel=g.titel,
        omschrijving=g.omschrijving,
        domeinen=g.domeinen,
        bereik=g.bereik,
        begin=g.begin,
        einde=g.einde,
        evaluatiedatum=g.evaluatiedatum,
        beslist_waar=g.beslist_waar,
        ouderomschrijving=g.ouderomschrijving,
        akkoord_nodig=g.akkoord_nodig,
        ouders_akkoord=g.ouders_akkoord,
        ouders_akkoord_op=g.ouders_akkoord_op,
        stem_leerling=g.stem_leerling,
        status=g.status,
        gewijzigd=timezone.now(),
        **termijn,
    )
    if not bijgewerkt:
        raise VerouderdeVersie(Maatregel.objects.select_related("leerling").get(pk=maatregel_id))
    maatregel = Maatregel.objects.select_related("leerling").get(pk=maatregel_id)
    maatregel.vakken.set(g.vakken)
    na = _huidige_waarden(maatregel)
    gewijzigd = [veld for veld in VELDEN if voor[veld] != na[veld]]
    with translation.override(settings.LANGUAGE_CODE):
        tijdlijn_bijwerken(
            bron=maatregel, titel=_tijdlijntitel(maatregel), domeinen=maatregel.domeinen
        )
        if oud.status != maatregel.status:
            _maatregel_op_tijdlijn(
                maatregel,
                datum=maatregel.begin,
                tekst=_start_tekst(maatregel, g.vakken),
                zichtbaarheid=Zichtbaarheid.KLASTEAM,
                door=door,
            )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="maatregel",
        leerlingen=[maatregel.leerling],
        object_id=maatregel.pk,
        omschrijving=f"versie {maatregel.versie}",
        velden=gewijzigd,
    )
    return maatregel


def _vergrendeld(maatregel: Maatregel) -> Maatregel:
    # Lock the measure row alone: a join in a FOR UPDATE query locks (and
    # after a wait re-checks) the student row too, which a concurrent phase
    # change may have updated.
    vergrendeld = vergrendelen(Maatregel, pk=maatregel.pk)
    vergrendeld.leerling = maatregel.leerling
    return vergrendeld


@transaction.atomic
def maatregel_evalueren(
    *,
    maatregel: Maatregel,
    datum: datetime.date,
    effect: str,
    beslissing: str,
    door,
    notities: str = "",
    volgende_evaluatie: datetime.date | None = None,
) -> MaatregelEvaluatie:
    """Record an evaluation of an active measure. Continuing or adjusting it
    sets its next evaluation date; stopping ends it on the evaluation date."""
    m = _vergrendeld(maatregel)
    Beslissing = MaatregelEvaluatie.Beslissing
    fouten: dict[str, str] = {}
    if m.status != Maatregel.Status.ACTIEF:
        raise ValidationError(_("Enkel een actieve maatregel kan geëvalueerd worden."))
    if effect not in MaatregelEvaluatie.Effect.values:
        fouten["effect"] = _("Kies of de maatregel werkt.")
    if beslissing not in Beslissing.values:
        fouten["beslissing"] = _("Kies wat er met de maatregel gebeurt.")
    if datum < m.begin:
        fouten["datum"] = _("De evaluatie ligt vóór de startdatum van de maatregel.")
    elif datum > timezone.localdate():
        fouten["datum"] = _("Een evaluatie kan niet in de toekomst liggen.")
    if beslissing in (Beslissing.VERDERZETTEN, Beslissing.AANPASSEN):
        if volgende_evaluatie is None:
            fouten["volgende_evaluatie"] = _(
                "Vul de datum van de volgende evaluatie in als de maatregel doorloopt."
            )
        elif volgende_evaluatie <= datum:
            fouten["volgende_evaluatie"] = _("De volgende evaluatie moet na deze evaluatie liggen.")
    if fouten:
        raise ValidationError(fouten)
    stoppen = beslissing == Beslissing.STOPPEN
    evaluatie = MaatregelEvaluatie.objects.create(
        maatregel=m,
        datum=datum,
        termijn=m.evaluatietermijn,
        effect=effect,
        notities=notities.strip(),
        beslissing=beslissing,
        volgende_evaluatie=None if stoppen else volgende_evaluatie,
        door=door,
    )
    if stoppen:
        m.status = Maatregel.Status.GEEVALUEERD
        m.einde = datum
    else:
        # The next evaluation is scheduled: its deadline is set here.
        m.evaluatiedatum = m.evaluatietermijn = volgende_evaluatie
    nieuwe_versie_bewaren(m, ["status", "einde", "evaluatiedatum", "evaluatietermijn", "gewijzigd"])
    with translation.override(settings.LANGUAGE_CODE):
        # The evaluation's notes are the care team's.
        tijdlijn_registreren(
            leerling=m.leerling,
            soort=TijdlijnItem.Soort.EVALUATIE,
            datum=datum,
            titel=_("Evaluatie: %(titel)s") % {"titel": m.titel},
            bron=evaluatie,
            zichtbaarheid=Zichtbaarheid.ZORGTEAM,
            tekst=_("%(effect)s, beslissing: %(beslissing)s.")
            % {
                "effect": evaluatie.get_effect_display().capitalize(),
                "beslissing": evaluatie.get_beslissing_display(),
            }
            + (f"\n{evaluatie.notities}" if evaluatie.notities else ""),
            domeinen=m.domeinen,
            auteur=door,
            url=_url(m),
        )
        if stoppen:
            # The class team must know to stop applying it.
            _maatregel_op_tijdlijn(
                m,
                datum=datum,
                tekst=_("Afgesloten na evaluatie op %(datum)s.")
                % {"datum": datum.strftime("%d/%m/%Y")},
                zichtbaarheid=Zichtbaarheid.KLASTEAM,
                door=door,
            )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="maatregelevaluatie",
        leerlingen=[m.leerling],
        object_id=m.pk,
        omschrijving=f"evaluatie {evaluatie.pk}",
        velden=["effect", "beslissing", "notities"],
    )
    return evaluatie


@transaction.atomic
def maatregel_stoppen(*, maatregel: Maatregel, datum: datetime.date, reden: str, door) -> Maatregel:
    """End a proposed or active measure without an evaluation (the student
    left, the proposal was not followed, ...)."""
    m = _vergrendeld(maatregel)
    reden = reden.strip()
    if m.status not in OPEN_STATUSSEN:
        raise ValidationError(_("Deze maatregel is al afgesloten."))
    fouten: dict[str, str] = {}
    if not reden:
        fouten["reden"] = _("Geef een reden op om de maatregel stop te zetten.")
    was_actief = m.status == Maatregel.Status.ACTIEF
    if was_actief and datum < m.begin:
        fouten["datum"] = _("De einddatum ligt vóór de startdatum.")
    if fouten:
        raise ValidationError(fouten)
    m.status = Maatregel.Status.GESTOPT
    # A proposal dropped before its planned start was never in force; its end
    # cannot lie before its start.
    m.einde = max(datum, m.begin)
    nieuwe_versie_bewaren(m, ["status", "einde", "gewijzigd"])
    with translation.override(settings.LANGUAGE_CODE):
        _maatregel_op_tijdlijn(
            m,
            datum=datum,
            tekst=_("Stopgezet op %(datum)s: %(reden)s")
            % {"datum": datum.strftime("%d/%m/%Y"), "reden": reden},
            # Only a measure the class team applied concerns them.
            zichtbaarheid=Zichtbaarheid.KLASTEAM if was_actief else Zichtbaarheid.ZORGTEAM,
            door=door,
        )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="maatregel",
        leerlingen=[m.leerling],
        object_id=m.pk,
        omschrijving="stopgezet",
        velden=["status", "einde"],
    )
    return m


# --- the catalogue -------------------------------------------------------------


@transaction.atomic
def catalogus_item_maken(
    *,
    school_id: int,
    soort: str,
    titel: str,
    bereik: str,
    domeinen: int,
    door,
    omschrijving: str = "",
) -> MaatregelCatalogusItem:
    titel = titel.strip()
    fouten: dict[str, str] = {}
    if not titel:
        fouten["titel"] = _("Geef de maatregel een titel.")
    if soort not in MaatregelSoort.values:
        fouten["soort"] = _("Kies een soort maatregel (STICORDI).")
    if bereik not in Bereik.values:
        fouten["bereik"] = _("Kies voor welke vakken de maatregel meestal geldt.")
    if not 0 < domeinen <= domeinen_mod.ALLE:
        fouten["domeinen"] = _("Kies minstens één begeleidingsdomein.")
    if fouten:
        raise ValidationError(fouten)
    if MaatregelCatalogusItem.objects.filter(school_id=school_id, titel__iexact=titel).exists():
        raise ValidationError(
            {"titel": _("Deze maatregel staat al in de catalogus van de school.")}
        )
    try:
        with transaction.atomic():
            item = MaatregelCatalogusItem.objects.create(
                school_id=school_id,
                soort=soort,
                titel=titel,
                omschrijving=omschrijving.strip(),
                bereik=bereik,
                domeinen=domeinen,
            )
    except IntegrityError as exc:  # a simultaneous add of the same title
        raise ValidationError(
            {"titel": _("Deze maatregel staat al in de catalogus van de school.")}
        ) from exc
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="maatregelcatalogus",
        school_id=school_id,
        object_id=item.pk,
        velden=["titel", "soort", "bereik", "domeinen"],
    )
    return item


def _catalogus_item_actief_zetten(item: MaatregelCatalogusItem, actief: bool, door) -> None:
    MaatregelCatalogusItem.objects.filter(pk=item.pk).update(actief=actief)
    item.actief = actief
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="maatregelcatalogus",
        school_id=item.school_id,
        object_id=item.pk,
        velden=["actief"],
    )


@transaction.atomic
def catalogus_item_deactiveren(*, item: MaatregelCatalogusItem, door) -> MaatregelCatalogusItem:
    """Take an item out of the choice for new measures; measures made from
    it keep their text."""
    _catalogus_item_actief_zetten(item, False, door)
    return item


@transaction.atomic
def catalogus_item_activeren(*, item: MaatregelCatalogusItem, door) -> MaatregelCatalogusItem:
    _catalogus_item_actief_zetten(item, True, door)
    return item
