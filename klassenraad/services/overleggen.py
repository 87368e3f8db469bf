"""Meetings: planning them, the general minutes, the notes per student,
starting and closing, and amendments to closed minutes.

The rules live here, not in the forms, so every way in (a form, the demo
data, a later import) meets the same rules. A broken rule raises a
`ValidationError` whose keys are the form's field names.

Concurrency: the meeting and each agenda item carry a version. An edit of
the planning, the minutes or an item's notes names the version it started
from and only lands when that is still the saved one (`versie_ophogen`);
otherwise `VerouderdeVersie` carries the saved row so the view can show it
beside what the user typed. Every write locks the meeting's row first, so a
note saved while someone closes the meeting either lands before the close
or is refused after it.

Closed minutes are read-only: every write here refuses them with the same
message, and a correction is an amendment (Aanvulling).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from leerlingen.models import Klas, Lesopdracht
from leerlingen.policies import zorg_lezers_van_school
from zorg.accounts.models import School
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import VerouderdeVersie, vergrendelen, versie_controleren, versie_ophogen

from ..models import KLASSENRADEN, Aanvulling, Agendapunt, Agendareden, Overleg, OverlegSoort

EXTERNEN_MAX = Overleg._meta.get_field("externen").max_length
NOTULEN_MAX = Overleg._meta.get_field("notulen").max_length
NOTITIES_MAX = Agendapunt._meta.get_field("notities").max_length
AANVULLING_MAX = Aanvulling._meta.get_field("tekst").max_length


def afgesloten_bericht() -> str:
    return _("Dit verslag is afgesloten. Voeg een aanvulling toe om iets te corrigeren.")


def _weiger_als_afgesloten(overleg: Overleg) -> None:
    if overleg.is_afgesloten:
        raise ValidationError(afgesloten_bericht(), code="afgesloten")


def _vergrendeld(overleg: Overleg) -> Overleg:
    """The meeting's row, locked for the rest of the transaction and read
    fresh (status and version as saved now)."""
    return vergrendelen(Overleg, pk=overleg.pk)


# --- who may take part -----------------------------------------------------------


def personeel_van(school_id: int):
    """The users who may chair or attend a meeting of the school: who has
    care access there (its care team, its teachers, the staff of a CLB
    serving it). A meeting's agenda, notes and decisions are care content:
    not the secretariat, not the functional administrator."""
    return zorg_lezers_van_school(school_id)


def _controleer_deelnemers(school: School, voorzitter, deelnemers, fouten: dict) -> list:
    """The participants, the chair among them, once each; the rule broken
    goes to the field it concerns."""
    alle = {u.pk: u for u in deelnemers}
    if voorzitter is not None:
        alle[voorzitter.pk] = voorzitter
    toegelaten = set(
        personeel_van(school.pk).filter(pk__in=list(alle)).values_list("pk", flat=True)
    )
    if voorzitter is None:
        fouten["voorzitter"] = _("Kies wie het overleg voorzit.")
    elif voorzitter.pk not in toegelaten:
        fouten["voorzitter"] = _(
            "De voorzitter moet bij het zorgteam van %(school)s horen, er lesgeven of werken "
            "voor een CLB dat de school begeleidt: een overleg gaat over het zorgdossier van "
            "leerlingen."
        ) % {"school": school.naam}
    vreemd = [u for u in deelnemers if u.pk not in toegelaten]
    if vreemd:
        fouten["deelnemers"] = _(
            "Deze deelnemers mogen het zorgdossier van de leerlingen van %(school)s niet "
            "inzien en kunnen dus niet deelnemen: %(namen)s. Kies mensen van het zorgteam, "
            "leerkrachten van de school of medewerkers van een CLB dat de school begeleidt."
        ) % {"school": school.naam, "namen": ", ".join(sorted(str(u) for u in vreemd))}
    return list(alle.values())


def _controleer(
    *, school: School, soort: str, moment, voorzitter, deelnemers, externen: str, klas
) -> tuple[Klas | None, list, str]:
    fouten: dict[str, str] = {}
    if soort not in OverlegSoort.values:
        fouten["soort"] = _("Kies een soort overleg.")
    if soort in KLASSENRADEN:
        if klas is None:
            fouten["klas"] = _("Een klassenraad hoort bij een klas: kies de klas.")
        elif klas.schooljaar.school_id != school.pk or not klas.schooljaar.is_huidig:
            fouten["klas"] = _("Kies een klas van %(school)s in het huidige schooljaar.") % {
                "school": school.naam
            }
    else:
        # A care cell or a parent meeting is about the school, not a class.
        klas = None
    if moment is None:
        fouten["moment"] = _("Vul de datum en het uur van het overleg in.")
    externen = (externen or "").strip()
    if len(externen) > EXTERNEN_MAX:
        fouten["externen"] = _("Deze tekst is te lang: maximaal %(max)d tekens.") % {
            "max": EXTERNEN_MAX
        }
    alle = _controleer_deelnemers(school, voorzitter, list(deelnemers), fouten)
    if fouten:
        raise ValidationError(fouten)
    return klas, alle, externen


def _agenda_met_klas_vullen(overleg: Overleg, door) -> int:
    """A portrait class council walks through every student of the class:
    the agenda holds them all, by name."""
    with translation.override(settings.LANGUAGE_CODE):
        tekst = _("Leerling van %(klas)s") % {"klas": overleg.klas.naam}
    punten = [
        Agendapunt(
            overleg=overleg,
            leerling=leerling,
            volgorde=volgorde,
            redenen=[{"soort": Agendareden.KLAS.value, "tekst": tekst}],
            toegevoegd_door=door,
        )
        for volgorde, leerling in enumerate(overleg.klas.huidige_leerlingen(), start=1)
    ]
    Agendapunt.objects.bulk_create(punten)
    return len(punten)


# --- planning --------------------------------------------------------------------


@transaction.atomic
def overleg_plannen(
    *,
    school: School,
    soort: str,
    moment: datetime.datetime | None,
    voorzitter,
    deelnemers,
    externen: str = "",
    klas: Klas | None = None,
    door,
) -> Overleg:
    """Plan a meeting. A portrait class council starts with every student of
    the class on its agenda."""
    klas, alle, externen = _controleer(
        school=school,
        soort=soort,
        moment=moment,
        voorzitter=voorzitter,
        deelnemers=deelnemers,
        externen=externen,
        klas=klas,
    )
    overleg = Overleg.objects.create(
        school=school,
        klas=klas,
        soort=soort,
        moment=moment,
        voorzitter=voorzitter,
        externen=externen,
        aangemaakt_door=door,
    )
    overleg.deelnemers.set(alle)
    aantal = 0
    if soort == OverlegSoort.PORTRET:
        aantal = _agenda_met_klas_vullen(overleg, door)
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="overleg",
        school_id=school.pk,
        object_id=overleg.pk,
        omschrijving=f"{soort}{f' {klas.naam}' if klas else ''}"
        + (f", {aantal} leerlingen op de agenda" if aantal else ""),
    )
    return overleg


@transaction.atomic
def overleg_wijzigen(
    *,
    overleg: Overleg,
    versie: int,
    soort: str,
    moment: datetime.datetime | None,
    voorzitter,
    deelnemers,
    externen: str = "",
    klas: Klas | None = None,
    door,
) -> Overleg:
    """Save an edit of the planning begun at `versie`. The kind and the
    class stay once students are on the agenda: the agenda was made for
    them."""
    huidig = _vergrendeld(overleg)
    _weiger_als_afgesloten(huidig)
    versie_controleren(huidig, versie)
    school = School.objects.get(pk=huidig.school_id)
    klas, alle, externen = _controleer(
        school=school,
        soort=soort,
        moment=moment,
        voorzitter=voorzitter,
        deelnemers=deelnemers,
        externen=externen,
        klas=klas,
    )
    klas_id = klas.pk if klas else None
    anders = soort != huidig.soort or klas_id != huidig.klas_id
    heeft_agenda = Agendapunt.objects.filter(overleg_id=huidig.pk).exists()
    if anders and heeft_agenda:
        veld = "soort" if soort != huidig.soort else "klas"
        raise ValidationError(
            {
                veld: _(
                    "Er staan al leerlingen op de agenda: het soort overleg en de klas "
                    "liggen vast. Plan een nieuw overleg."
                )
            }
        )
    if not versie_ophogen(
        Overleg,
        huidig.pk,
        versie,
        soort=soort,
        klas_id=klas_id,
        moment=moment,
        voorzitter_id=voorzitter.pk,
        externen=externen,
        gewijzigd=timezone.now(),
    ):  # pragma: no cover - the row is locked, so the version cannot move
        raise VerouderdeVersie(Overleg.objects.get(pk=huidig.pk))
    huidig.refresh_from_db()
    huidig.deelnemers.set(alle)
    if huidig.soort == OverlegSoort.PORTRET and not heeft_agenda:
        _agenda_met_klas_vullen(huidig, door)
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="overleg",
        school_id=huidig.school_id,
        object_id=huidig.pk,
        omschrijving=f"versie {huidig.versie}",
        velden=["soort", "klas", "moment", "voorzitter", "deelnemers", "externen"],
    )
    return huidig


@transaction.atomic
def overleg_starten(*, overleg: Overleg, door) -> Overleg:
    """Planned → in progress. The version stays: starting changes no text,
    so nobody's open edit of the minutes is refused because of it."""
    huidig = _vergrendeld(overleg)
    _weiger_als_afgesloten(huidig)
    if huidig.status != Overleg.Status.GEPLAND:
        raise ValidationError(_("Dit overleg is al gestart."), code="gestart")
    Overleg.objects.filter(pk=huidig.pk).update(
        status=Overleg.Status.BEZIG, gewijzigd=timezone.now()
    )
    huidig.status = Overleg.Status.BEZIG
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="overleg",
        school_id=huidig.school_id,
        object_id=huidig.pk,
        omschrijving="gestart",
        velden=["status"],
    )
    return huidig


# --- minutes and notes -----------------------------------------------------------


@transaction.atomic
def notulen_opslaan(*, overleg: Overleg, notulen: str, versie: int, door) -> Overleg:
    """Save the general minutes begun at `versie`; VerouderdeVersie when
    someone saved them since (nothing changes then)."""
    huidig = _vergrendeld(overleg)
    _weiger_als_afgesloten(huidig)
    notulen = (notulen or "").strip()
    if len(notulen) > NOTULEN_MAX:
        raise ValidationError(
            {"notulen": _("Deze tekst is te lang: maximaal %(max)d tekens.") % {"max": NOTULEN_MAX}}
        )
    if not versie_ophogen(Overleg, huidig.pk, versie, notulen=notulen, gewijzigd=timezone.now()):
        raise VerouderdeVersie(
            huidig,
            _(
                "Iemand anders bewaarde de notulen intussen. Je tekst is nog niet bewaard: "
                "vergelijk hem met de opgeslagen notulen en bewaar opnieuw."
            ),
        )
    huidig.refresh_from_db()
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="overleg",
        school_id=huidig.school_id,
        object_id=huidig.pk,
        omschrijving=f"notulen, versie {huidig.versie}",
        velden=["notulen"],
    )
    return huidig


@transaction.atomic
def notities_opslaan(
    *, agendapunt: Agendapunt, notities: str, besproken: bool, versie: int, door
) -> Agendapunt:
    """Save the notes about one student begun at `versie`."""
    overleg = _vergrendeld(agendapunt.overleg)
    _weiger_als_afgesloten(overleg)
    notities = (notities or "").strip()
    if len(notities) > NOTITIES_MAX:
        raise ValidationError(
            {
                "notities": _("Deze tekst is te lang: maximaal %(max)d tekens.")
                % {"max": NOTITIES_MAX}
            }
        )
    if not versie_ophogen(
        Agendapunt,
        agendapunt.pk,
        versie,
        notities=notities,
        besproken=bool(besproken),
        gewijzigd=timezone.now(),
    ):
        raise VerouderdeVersie(
            Agendapunt.objects.select_related("leerling").get(pk=agendapunt.pk),
            _(
                "Iemand anders bewaarde de notities over deze leerling intussen. Je tekst is "
                "nog niet bewaard: vergelijk hem met de opgeslagen notities en bewaar opnieuw."
            ),
        )
    punt = Agendapunt.objects.select_related("leerling").get(pk=agendapunt.pk)
    punt.overleg = overleg
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="agendapunt",
        leerlingen=[punt.leerling],
        object_id=punt.pk,
        omschrijving=f"overleg {overleg.pk}, versie {punt.versie}",
        velden=["notities", "besproken"],
    )
    return punt


# --- closing and amendments ------------------------------------------------------


@transaction.atomic
def overleg_afsluiten(*, overleg: Overleg, versie: int, door) -> Overleg:
    """Close the minutes as they were at `versie`: when someone changed the
    meeting since the closer looked, the close is refused so nobody closes
    minutes they have not seen."""
    huidig = _vergrendeld(overleg)
    _weiger_als_afgesloten(huidig)
    nu = timezone.now()
    if not versie_ophogen(
        Overleg,
        huidig.pk,
        versie,
        status=Overleg.Status.AFGESLOTEN,
        afgesloten_op=nu,
        afgesloten_door=door,
        gewijzigd=nu,
    ):
        raise VerouderdeVersie(
            huidig,
            _(
                "Iemand wijzigde het verslag terwijl je het wilde afsluiten. Bekijk de "
                "laatste versie en sluit opnieuw af."
            ),
        )
    huidig.refresh_from_db()
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="overleg",
        school_id=huidig.school_id,
        object_id=huidig.pk,
        omschrijving="afgesloten",
        velden=["status"],
    )
    return huidig


@transaction.atomic
def aanvulling_toevoegen(
    *, overleg: Overleg, tekst: str, door, agendapunt: Agendapunt | None = None
) -> Aanvulling:
    """A correction or addition to closed minutes, about the meeting or one
    student on its agenda."""
    huidig = _vergrendeld(overleg)
    if not huidig.is_afgesloten:
        raise ValidationError(
            _(
                "Een aanvulling hoort bij een afgesloten verslag: zolang het overleg open is, "
                "pas je de notulen of de notities zelf aan."
            ),
            code="open",
        )
    fouten: dict[str, str] = {}
    tekst = (tekst or "").strip()
    if not tekst:
        fouten["tekst"] = _("Schrijf de aanvulling.")
    elif len(tekst) > AANVULLING_MAX:
        fouten["tekst"] = _("Deze tekst is te lang: maximaal %(max)d tekens.") % {
            "max": AANVULLING_MAX
        }
    if agendapunt is not None and agendapunt.overleg_id != huidig.pk:
        fouten["agendapunt"] = _("Deze leerling staat niet op de agenda van dit overleg.")
    if fouten:
        raise ValidationError(fouten)
    aanvulling = Aanvulling.objects.create(
        overleg=huidig, agendapunt=agendapunt, tekst=tekst, door=door
    )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="aanvulling",
        leerlingen=[agendapunt.leerling] if agendapunt is not None else (),
        school_id=huidig.school_id,
        object_id=aanvulling.pk,
        omschrijving=f"overleg {huidig.pk}",
    )
    return aanvulling


# --- the portrait class councils of a new school year ----------------------------


def klassen_zonder_portret(school: School) -> list[Klas]:
    """The current year's classes of `school` that have no portrait class
    council yet, each with its class team (`team`: class teachers and the
    teachers of the class, by name). Three queries, whatever the number of
    classes."""
    klassen = list(
        Klas.objects.filter(schooljaar__school=school, schooljaar__is_huidig=True)
        .exclude(Exists(Overleg.objects.filter(klas=OuterRef("pk"), soort=OverlegSoort.PORTRET)))
        .select_related("schooljaar")
        .prefetch_related(
            "klastitularissen",
            Prefetch(
                "lesopdrachten",
                queryset=Lesopdracht.objects.select_related("leerkracht"),
            ),
        )
        .order_by("leerjaar", "naam")
    )
    for klas in klassen:
        team = {u.pk: u for u in klas.klastitularissen.all()}
        team.update({o.leerkracht_id: o.leerkracht for o in klas.lesopdrachten.all()})
        klas.team = sorted(
            team.values(), key=lambda u: (u.last_name.lower(), u.first_name.lower(), u.email)
        )
    return klassen


@transaction.atomic
def portretklassenraden_plannen(
    *, school: School, momenten: dict[Klas, datetime.datetime], voorzitter, door
) -> list[Overleg]:
    """Plan the portrait class council of each class in `momenten` (at its
    moment), chaired by `voorzitter`, with the class team who may take part
    (class teachers and the class's teachers), each with every student of
    the class on its agenda: all or none. A class that got one in the
    meantime is refused."""
    zonder = {k.pk: k for k in klassen_zonder_portret(school)}
    fouten = [klas.naam for klas in momenten if klas.pk not in zonder]
    if fouten:
        raise ValidationError(
            _("Deze klassen hebben al een portretklassenraad: %(klassen)s.")
            % {"klassen": ", ".join(fouten)}
        )
    mogen = {u.pk for u in zorg_lezers_van_school(school.pk)}
    return [
        overleg_plannen(
            school=school,
            soort=OverlegSoort.PORTRET,
            moment=moment,
            voorzitter=voorzitter,
            deelnemers=[u for u in zonder[klas.pk].team if u.pk in mogen],
            klas=zonder[klas.pk],
            door=door,
        )
        for klas, moment in sorted(momenten.items(), key=lambda kv: (kv[1], kv[0].naam))
    ]
