"""Moves in the care continuum and referrals to the CLB.

The rules are keyed on a phase's `soort` and its place in its school type's
continuum, never on its number: in DKO the IAC is phase 2."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen

from ..models import (
    Aanmelding,
    Gesprek,
    Leerling,
    TijdlijnItem,
    Zichtbaarheid,
    Zorgfase,
    ZorgfaseWijziging,
)
from .tijdlijn import tijdlijn_registreren

BESLIST_WAAR_MAX = 200


class ZorgfaseRegelFout(ValidationError):
    """A phase change (or a referral) the rules refuse. Carries its Dutch
    messages per form field, so a view can show each beside its field.
    `ontbreekt` lists what an IAC decision still lacks."""

    def __init__(self, fouten: dict[str, list[str]], ontbreekt: list[str] | None = None):
        super().__init__(fouten)
        self.ontbreekt = list(ontbreekt or [])


def _jaar_terug(datum: datetime.date) -> datetime.date:
    try:
        return datum.replace(year=datum.year - 1)
    except ValueError:  # 29 February
        return datum.replace(year=datum.year - 1, day=28)


IAC_ONTBREKEND_OUDERS = gettext_lazy("een oudergesprek (in de voorbije 12 maanden)")
IAC_ONTBREKEND_CLB = gettext_lazy(
    "een overleg of schriftelijk consult van het CLB (in de voorbije 12 maanden), of een "
    "afgesloten HGD-traject met een verslag voor een IAC"
)
IAC_ONTBREKEND_GROND = gettext_lazy(
    "een grond: eerdere maatregelen volstonden niet, of het welbevinden van de leerling "
    "komt in het gedrang (toegelicht in de reden)"
)


# Other ways the CLB's part of an IAC decision is met, which apps built on
# the student record know of (the CLB app: a trajectory closed with a report
# for an IAC, a written consultation), without this app importing them:
# callables (leerling, op) -> bool, registered from an AppConfig.ready().
_IAC_CLB_REGELS: list = []


# What else a new referral sets going, which apps built on the student record
# know of (the CLB app: telling the staff of the CLB serving the school),
# without this app importing them: callables (aanmelding, door) -> None,
# registered from an AppConfig.ready(). They run in the referral's
# transaction, after it is written.
_BIJ_AANMELDING: list = []


def bij_aanmelding_registreren(gevolg) -> None:
    """Let an app act on every new referral, however it was made (a phase
    change, a meeting's decision, a direct referral). Registering twice is
    harmless."""
    if gevolg not in _BIJ_AANMELDING:
        _BIJ_AANMELDING.append(gevolg)


def iac_clb_regel_registreren(regel) -> None:
    """Let an app say when the CLB's part of an IAC decision is met.
    Registering twice is harmless."""
    if regel not in _IAC_CLB_REGELS:
        _IAC_CLB_REGELS.append(regel)


def iac_voorwaarden(leerling: Leerling, op: datetime.date | None = None) -> list[str]:
    """What the record still lacks before an individually adapted curriculum
    may be decided on `op` (today): a talk with the parents and a
    consultation with the CLB, both in the 12 months before (recent enough
    to speak of the student as they are now). The CLB's part is also met by
    what a registered rule accepts (`iac_clb_regel_registreren`). Empty when
    nothing is missing. Reads, never writes; the grounds of the decision
    itself are checked by `zorgfase_wijzigen`."""
    op = op or timezone.localdate()
    gehouden = set(
        Gesprek.objects.filter(
            leerling=leerling,
            soort__in=[Gesprek.Soort.OUDERS, Gesprek.Soort.CLB],
            datum__gte=_jaar_terug(op),
            datum__lte=op,
        )
        .order_by()
        .values_list("soort", flat=True)
        .distinct()
    )
    ontbreekt = []
    if Gesprek.Soort.OUDERS not in gehouden:
        ontbreekt.append(str(IAC_ONTBREKEND_OUDERS))
    if Gesprek.Soort.CLB not in gehouden and not any(
        regel(leerling, op) for regel in _IAC_CLB_REGELS
    ):
        ontbreekt.append(str(IAC_ONTBREKEND_CLB))
    return ontbreekt


def verouderd_bericht(leerling: Leerling) -> str:
    """Someone else moved the student since the decision started from `van`."""
    return _(
        "Iemand anders wijzigde intussen de zorgfase: %(naam)s staat nu in fase %(fase)s. "
        "Bekijk die beslissing en kies opnieuw."
    ) % {"naam": leerling.volledige_naam, "fase": leerling.zorgfase}


def fase_titel(van: Zorgfase, naar: Zorgfase) -> str:
    """The timeline title of a move: de-escalation has its own wording."""
    if naar.nummer < van.nummer:
        return _("Afschaling: %(van)s → %(naar)s") % {"van": van, "naar": naar}
    return _("Zorgfase: %(van)s → %(naar)s") % {"van": van, "naar": naar}


def _iac_bericht(ontbreekt: list[str]) -> str:
    return _(
        "Een individueel aangepast curriculum wordt pas beslist na overleg met alle "
        "partijen. Nog niet in het dossier: %(ontbreekt)s."
    ) % {"ontbreekt": "; ".join(ontbreekt)}


@dataclass(frozen=True)
class FaseKeuze:
    """One phase the student could move to, and whether the rules allow it
    before anything is filled in. `waarom_niet` says why not, as the rules
    refuse it; `kort` says it in a line, for the list of phases not
    offered. What a decision must still bring along (a question for help, a
    ground for an IAC) is not a reason to withhold a phase."""

    fase: Zorgfase
    afschaling: bool
    overslaan: bool = False
    ontbreekt: tuple[str, ...] = ()
    waarom_niet: str = ""
    kort: str = ""

    @property
    def toegestaan(self) -> bool:
        return not self.waarom_niet


def fase_keuzes(
    *, leerling: Leerling, fasen: list[Zorgfase], op: datetime.date | None = None
) -> list[FaseKeuze]:
    """The moves from the student's current phase to each other phase of
    `fasen` (the continuum of their school type, in order) on `op` (today):
    the one place that decides what is allowed, so the form offers exactly
    what `zorgfase_wijzigen` accepts. Up goes one step at a time; down may
    skip phases; up into IAC needs the consultation `iac_voorwaarden` asks
    for. At most two queries (only when the next step up is an IAC)."""
    huidig = leerling.zorgfase
    plaats = {fase.pk: index for index, fase in enumerate(fasen)}
    # A phase outside this continuum (the school changed type) counts as
    # before its first step.
    hier = plaats.get(huidig.pk, -1)
    keuzes = []
    for index, fase in enumerate(fasen):
        if fase.pk == huidig.pk:
            continue
        if index < hier:
            keuzes.append(FaseKeuze(fase=fase, afschaling=True))
        elif index > hier + 1:
            keuzes.append(
                FaseKeuze(
                    fase=fase,
                    afschaling=False,
                    overslaan=True,
                    waarom_niet=_(
                        "Een fase overslaan kan niet: van fase %(van)s gaat het eerst naar fase "
                        "%(volgende)s. Opschalen gebeurt één stap tegelijk; afschalen mag wel "
                        "meerdere fasen tegelijk."
                    )
                    % {"van": huidig, "volgende": fasen[hier + 1]},
                    kort=_("eerst fase %(volgende)s: een fase overslaan kan niet")
                    % {"volgende": fasen[hier + 1]},
                )
            )
        elif fase.soort == Zorgfase.Soort.IAC and (ontbreekt := iac_voorwaarden(leerling, op=op)):
            keuzes.append(
                FaseKeuze(
                    fase=fase,
                    afschaling=False,
                    ontbreekt=tuple(ontbreekt),
                    waarom_niet=_iac_bericht(ontbreekt),
                    kort=_(
                        "eerst overleg met alle partijen; nog niet in het dossier: %(ontbreekt)s"
                    )
                    % {"ontbreekt": "; ".join(ontbreekt)},
                )
            )
        else:
            keuzes.append(FaseKeuze(fase=fase, afschaling=False))
    return keuzes


def _vandaag_of_vroeger(datum: datetime.date | None, fouten: dict) -> None:
    if datum is None:
        fouten.setdefault("datum", []).append(_("Vul een datum in."))
    elif datum > timezone.localdate():
        fouten.setdefault("datum", []).append(
            _("De datum ligt in de toekomst. Registreer een beslissing pas als ze genomen is.")
        )


def _controleer_fasewijziging(
    *,
    leerling: Leerling,
    huidig: Zorgfase,
    naar: Zorgfase,
    datum,
    reden: str,
    beslist_waar: str,
    hulpvraag: str,
    maatregelen_ontoereikend: bool,
    welbevinden_in_gedrang: bool,
) -> tuple[dict[str, list[str]], list[str]]:
    """Every rule a move must meet, all at once so the form shows every
    problem in one go. Returns (errors per field, what IAC still lacks)."""
    fouten: dict[str, list[str]] = {}
    ontbreekt: list[str] = []

    if not reden.strip():
        fouten.setdefault("reden", []).append(
            _("Geef de reden van de wijziging: waarom past deze fase nu beter?")
        )
    if not beslist_waar.strip():
        fouten.setdefault("beslist_waar", []).append(
            _("Vul in waar dit beslist werd, bv. op de begeleidende klassenraad.")
        )
    elif len(beslist_waar.strip()) > BESLIST_WAAR_MAX:
        fouten.setdefault("beslist_waar", []).append(
            _("Hou het kort: hoogstens %(max)d tekens.") % {"max": BESLIST_WAAR_MAX}
        )
    _vandaag_of_vroeger(datum, fouten)

    schooltype = leerling.school.schooltype
    if naar.schooltype != schooltype:
        fouten.setdefault("naar", []).append(
            _(
                "Fase %(fase)s hoort bij een ander schooltype: kies een fase uit het "
                "zorgcontinuüm van deze school."
            )
            % {"fase": naar}
        )
        return fouten, ontbreekt
    if naar.pk == huidig.pk:
        fouten.setdefault("naar", []).append(
            _("De leerling staat al in fase %(fase)s. Kies een andere fase.") % {"fase": huidig}
        )
        return fouten, ontbreekt

    continuum = list(Zorgfase.objects.filter(schooltype=schooltype).order_by("nummer"))
    keuze = next(
        k for k in fase_keuzes(leerling=leerling, fasen=continuum, op=datum) if k.fase.pk == naar.pk
    )
    if keuze.overslaan:
        fouten.setdefault("naar", []).append(keuze.waarom_niet)
        return fouten, ontbreekt

    opschaling = not keuze.afschaling
    if naar.soort == Zorgfase.Soort.UITBREIDING and opschaling and not hulpvraag.strip():
        fouten.setdefault("hulpvraag", []).append(
            _(
                "Bij uitbreiding van zorg meldt de school de leerling aan bij het CLB: "
                "formuleer de hulpvraag."
            )
        )
    if naar.soort == Zorgfase.Soort.IAC and opschaling:
        ontbreekt = list(keuze.ontbreekt)
        if not (maatregelen_ontoereikend or welbevinden_in_gedrang):
            ontbreekt.append(str(IAC_ONTBREKEND_GROND))
        if ontbreekt:
            fouten.setdefault(NON_FIELD_ERRORS, []).append(_iac_bericht(ontbreekt))
    return fouten, ontbreekt


@transaction.atomic
def zorgfase_wijzigen(
    *,
    leerling: Leerling,
    naar: Zorgfase,
    datum: datetime.date,
    reden: str,
    beslist_waar: str,
    door,
    van: Zorgfase,
    hulpvraag: str = "",
    maatregelen_ontoereikend: bool = False,
    welbevinden_in_gedrang: bool = False,
) -> ZorgfaseWijziging:
    """Move `leerling` from `van` (the phase the decision started from) to
    `naar`. Raises ZorgfaseRegelFout, having written nothing, when a rule
    refuses the move or someone else changed the phase meanwhile."""
    # The row lock makes two simultaneous changes wait for each other; the
    # second then sees that the phase is no longer the one it started from.
    # No join in the locking query: after waiting, PostgreSQL rechecks the
    # updated row against the joined rows it read before, and a changed
    # phase would make the student vanish from the result.
    vergrendeld = Leerling.objects.select_for_update().get(pk=leerling.pk)
    huidig = Zorgfase.objects.get(pk=vergrendeld.zorgfase_id)
    vergrendeld.zorgfase = huidig
    if huidig.pk != van.pk:
        raise ZorgfaseRegelFout({NON_FIELD_ERRORS: [verouderd_bericht(vergrendeld)]})

    reden, beslist_waar, hulpvraag = reden.strip(), beslist_waar.strip(), hulpvraag.strip()
    fouten, ontbreekt = _controleer_fasewijziging(
        leerling=vergrendeld,
        huidig=huidig,
        naar=naar,
        datum=datum,
        reden=reden,
        beslist_waar=beslist_waar,
        hulpvraag=hulpvraag,
        maatregelen_ontoereikend=maatregelen_ontoereikend,
        welbevinden_in_gedrang=welbevinden_in_gedrang,
    )
    vorige = (
        ZorgfaseWijziging.objects.filter(leerling=vergrendeld)
        .order_by("-datum", "-aangemaakt")
        .values_list("datum", flat=True)
        .first()
    )
    if vorige and datum and datum < vorige and "datum" not in fouten:
        # The current phase is the `naar` of the latest move: a move dated
        # before it would turn the history around.
        fouten["datum"] = [
            _("De datum ligt vóór de vorige wijziging van de zorgfase (%(datum)s).")
            % {"datum": date_format(vorige, "d/m/Y")}
        ]
    if fouten:
        raise ZorgfaseRegelFout(fouten, ontbreekt)

    opschaling = naar.nummer > huidig.nummer
    is_iac = naar.soort == Zorgfase.Soort.IAC and opschaling
    wijziging = ZorgfaseWijziging.objects.create(
        leerling=vergrendeld,
        van=huidig,
        naar=naar,
        datum=datum,
        reden=reden,
        beslist_waar=beslist_waar,
        beslist_door=door,
        maatregelen_ontoereikend=is_iac and maatregelen_ontoereikend,
        welbevinden_in_gedrang=is_iac and welbevinden_in_gedrang,
    )
    vergrendeld.zorgfase = naar
    vergrendeld.save(update_fields=["zorgfase", "gewijzigd"])
    leerling.zorgfase = naar

    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="zorgfase",
        leerlingen=[vergrendeld],
        object_id=wijziging.pk,
        # Neither phase nor direction: the trail is read by the functional
        # administrator, who may not read care content.
        velden=["zorgfase"],
    )
    # Stored text, so in the site's language, as phase names are.
    with translation.override(settings.LANGUAGE_CODE):
        titel = fase_titel(huidig, naar)
    # Teachers see the phase, so they see the move; the reason is the care
    # team's and stays out of this entry.
    tijdlijn_registreren(
        leerling=vergrendeld,
        soort=TijdlijnItem.Soort.ZORGFASE,
        datum=datum,
        titel=titel,
        bron=wijziging,
        zichtbaarheid=Zichtbaarheid.KLASTEAM,
        auteur=_naam(door),
        url=reverse("leerlingen:leerling_detail", args=[vergrendeld.pk]) + "#zorgfase",
    )
    # Coming down from IAC into extended care, the CLB is already on board:
    # only a move up refers the student.
    # A referral still waiting for the CLB already asks for help: it is the
    # one this move refers to.
    bestaande = open_aanmelding(vergrendeld)
    if bestaande is not None and naar.soort == Zorgfase.Soort.UITBREIDING and opschaling:
        if bestaande.zorgfase_wijziging_id is None:
            bestaande.zorgfase_wijziging = wijziging
            bestaande.save(update_fields=["zorgfase_wijziging"])
    elif naar.soort == Zorgfase.Soort.UITBREIDING and opschaling:
        _aanmelding_registreren(
            leerling=vergrendeld,
            hulpvraag=hulpvraag,
            datum=datum,
            door=door,
            bron=Aanmelding.Bron.ZORGFASE,
            zorgfase_wijziging=wijziging,
        )
    return wijziging


def _naam(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def open_aanmelding(leerling) -> Aanmelding | None:
    """The student's referral still waiting for the CLB, if any (at most
    one: a database constraint)."""
    return Aanmelding.objects.filter(leerling=leerling, status=Aanmelding.Status.OPEN).first()


def al_aangemeld_bericht(leerling, aanmelding: Aanmelding | None) -> str:
    if aanmelding is None:
        return _("%(naam)s is al aangemeld bij het CLB: die aanmelding wacht nog op het CLB.") % {
            "naam": leerling.volledige_naam
        }
    return _(
        "%(naam)s is al aangemeld bij het CLB: de aanmelding van %(datum)s wacht nog op het "
        "CLB. Er staat telkens maar één aanmelding open."
    ) % {"naam": leerling.volledige_naam, "datum": date_format(aanmelding.datum, "d/m/Y")}


def _aanmelding_registreren(
    *, leerling, hulpvraag: str, datum, door, bron: str, zorgfase_wijziging=None
) -> Aanmelding:
    try:
        with transaction.atomic():
            aanmelding = Aanmelding.objects.create(
                leerling=leerling,
                datum=datum,
                hulpvraag=hulpvraag,
                bron=bron,
                status=Aanmelding.Status.OPEN,
                zorgfase_wijziging=zorgfase_wijziging,
                aangemaakt_door=door,
            )
    except IntegrityError:
        # The constraint: someone referred the student meanwhile.
        raise ZorgfaseRegelFout(
            {NON_FIELD_ERRORS: [al_aangemeld_bericht(leerling, open_aanmelding(leerling))]}
        ) from None
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="aanmelding",
        leerlingen=[leerling],
        object_id=aanmelding.pk,
        velden=["hulpvraag", "bron"],
    )
    tijdlijn_registreren(
        leerling=leerling,
        soort=TijdlijnItem.Soort.AANMELDING,
        datum=datum,
        titel=_("Aangemeld bij het CLB"),
        tekst=hulpvraag,
        bron=aanmelding,
        zichtbaarheid=Zichtbaarheid.ZORGTEAM,
        auteur=_naam(door),
        url=reverse("leerlingen:leerling_detail", args=[leerling.pk]) + "#zorgfase",
    )
    for gevolg in _BIJ_AANMELDING:
        gevolg(aanmelding, door)
    return aanmelding


@transaction.atomic
def aanmelding_maken(
    *,
    leerling: Leerling,
    hulpvraag: str,
    datum: datetime.date,
    door,
    bron: str = Aanmelding.Bron.RECHTSTREEKS,
) -> Aanmelding:
    """A referral to the CLB outside a phase change, e.g. straight from the
    care coordinator. Raises ZorgfaseRegelFout, having written nothing, on
    an empty question for help, a date in the future, or a referral of the
    student that still waits for the CLB."""
    # Two referrals at once wait for each other here; the second then sees
    # the first.
    leerling = Leerling.objects.select_for_update().get(pk=leerling.pk)
    hulpvraag = hulpvraag.strip()
    fouten: dict[str, list[str]] = {}
    bestaande = open_aanmelding(leerling)
    if bestaande is not None:
        fouten[NON_FIELD_ERRORS] = [al_aangemeld_bericht(leerling, bestaande)]
    if not hulpvraag:
        fouten["hulpvraag"] = [
            _("Formuleer de hulpvraag: met welke vraag meldt de school de leerling aan?")
        ]
    _vandaag_of_vroeger(datum, fouten)
    if fouten:
        raise ZorgfaseRegelFout(fouten)
    return _aanmelding_registreren(
        leerling=leerling, hulpvraag=hulpvraag, datum=datum, door=door, bron=bron
    )
