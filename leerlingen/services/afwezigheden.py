"""Absences: the secretariat records them per class and day (or imports
them, zorg.invoer), corrects a code or removes a mistake; after every write
the threshold of problematic half days is checked for the students written.

The threshold (`School.afwezigheid_drempel`) counts the problematic half
days (`PROBLEMATISCHE_CODES`) per school year, by the calendar (1 September
to 31 August): a write counts in the school year of the absence's date, not
of today. A student who reaches it gets one valid record per school year
(`Afwezigheidsdrempel`): the care coordinators and the CLB of the school
hear of it, the care team's timeline gets an entry, and the student goes on
the next care cell's agenda. Going further above it changes nothing; a
correction back below it withdraws the record (kept as history), and
reaching it again that school year counts again. A school year that already
ended is recorded silently (see `drempels_nagaan`).

A broken rule raises a `ValidationError` keyed by form field (or
`__all__`), in Dutch, and writes nothing."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from zorg.accounts.kalender import schoolkalender
from zorg.accounts.models import School, schooljaar_begin
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import indiening_bewaren
from zorg.meldingen.services import melding_versturen
from zorg.meldingen.soorten import CLB, Modus, Soort
from zorg.schoolkalender import Kalender, startjaar_van
from zorg.versies import nieuwe_versie_bewaren, vergrendelen

from ..models import (
    Afwezigheid,
    AfwezigheidCode,
    Afwezigheidsdrempel,
    Dagdeel,
    Inschrijving,
    Klas,
    Leerling,
    TijdlijnItem,
    Zichtbaarheid,
)
from ..policies import zorgcoordinatoren
from .meldingen import melding_over_leerlingen, toegelaten_ontvangers
from .tijdlijn import tijdlijn_bijwerken, tijdlijn_registreren

# The class-day form's name for its keys (zorg.eenmalig).
KLASDAG_FORMULIER = "leerlingen.afwezigheden_klasdag"
NOTITIE_MAX = Afwezigheid._meta.get_field("notitie").max_length

AFWEZIGHEIDSDREMPEL = Soort(
    "afwezigheidsdrempel",
    gettext_lazy("Een leerling bereikte de drempel van problematische afwezigheden"),
    Modus.DIRECT,
    ontvangers=frozenset({"zorgcoordinator", CLB}),
)

Cel = tuple[int, str]  # (leerling_id, dagdeel)


def afwezigheden_url(leerling_id: int) -> str:
    return reverse("leerlingen:leerling_afwezigheden", args=[leerling_id])


# --- the rules ------------------------------------------------------------------


def _dag(datum: datetime.date) -> str:
    return formats.date_format(datum, "l j F Y")


def datum_controleren(
    datum: datetime.date | None, *, kalender: Kalender, vandaag: datetime.date | None = None
) -> str | None:
    """Why absences cannot be recorded on `datum` (in Dutch), or None: not
    in the future, and only on a day the school is open by its calendar."""
    vandaag = vandaag or timezone.localdate()
    if datum is None:
        return _("Kies een datum.")
    if datum > vandaag:
        return _("%(dag)s ligt in de toekomst: registreer enkel afwezigheden die al gebeurden.") % {
            "dag": _dag(datum).capitalize()
        }
    if not kalender.is_schooldag(datum):
        if datum.weekday() >= 5:
            return _("Op %(dag)s is er geen school (weekend): kies een schooldag.") % {
                "dag": _dag(datum)
            }
        vrij = next((p for p in kalender.vrije_perioden(startjaar_van(datum)) if datum in p), None)
        return _("Op %(dag)s is er geen school (%(reden)s): kies een schooldag.") % {
            "dag": _dag(datum),
            "reden": str(vrij.naam).lower() if vrij else _("vrije dag"),
        }
    return None


def _notitie(notitie: str) -> str:
    notitie = (notitie or "").strip()
    if len(notitie) > NOTITIE_MAX:
        raise ValidationError(
            {
                "notitie": _("De notitie is te lang: maximaal %(max)d tekens, nu %(aantal)d.")
                % {"max": NOTITIE_MAX, "aantal": len(notitie)}
            }
        )
    if "\x00" in notitie:
        raise ValidationError({"notitie": _("De notitie bevat een ongeldig teken.")})
    return notitie


def _code(code: str, veld: str = "code") -> str:
    if code not in AfwezigheidCode.values:
        raise ValidationError({veld: _("Kies een geldige code.")})
    return code


# --- a class on one day -----------------------------------------------------------


@dataclass
class Klasdag:
    """What saving a class's day did."""

    nieuw: int = 0
    gewijzigd: int = 0
    verwijderd: int = 0
    drempels: list[Afwezigheidsdrempel] = field(default_factory=list)

    @property
    def aantal(self) -> int:
        return self.nieuw + self.gewijzigd + self.verwijderd


def klasdag_afwezigheden(klas: Klas, datum: datetime.date) -> dict[Cel, Afwezigheid]:
    """The absences of the students enrolled in `klas` now on `datum`, by
    (student, half day): one query."""
    return {
        (a.leerling_id, a.dagdeel): a
        for a in Afwezigheid.objects.filter(
            datum=datum,
            leerling_id__in=Inschrijving.objects.actief().filter(klas=klas).values("leerling_id"),
        )
    }


def afwezigheden_klasdag_registreren(
    *,
    klas: Klas,
    datum: datetime.date,
    door,
    keuzes: Mapping[Cel, str],
    gezien: Mapping[Cel, int],
    sleutel: uuid.UUID | None,
) -> tuple[Klasdag | None, bool]:
    """Save the half days of a class on one day as the form left them:
    `keuzes` maps (student, half day) to a code, or "" for present (which
    removes an absence recorded before). `gezien` holds the version of each
    absence the form showed: a half day someone else changed since is
    refused (nothing is written). A fixed number of queries, whatever the
    size of the class. Returns the outcome and whether it was saved now (a
    second submit of the same form saves nothing: zorg.eenmalig)."""
    return indiening_bewaren(
        sleutel=sleutel,
        door=door,
        formulier=KLASDAG_FORMULIER,
        maken=lambda: _klasdag_bewaren(
            klas=klas, datum=datum, door=door, keuzes=keuzes, gezien=gezien
        ),
    )


def _klasdag_bewaren(*, klas, datum, door, keuzes, gezien) -> Klasdag:
    school = klas.schooljaar.school
    fout = datum_controleren(datum, kalender=schoolkalender(school.pk))
    if fout:
        raise ValidationError({"datum": fout})
    ingeschreven = {
        leerling_id: (voornaam, achternaam)
        for leerling_id, voornaam, achternaam in Inschrijving.objects.actief()
        .filter(klas=klas)
        .values_list("leerling_id", "leerling__voornaam", "leerling__achternaam")
    }
    for (leerling_id, dagdeel), code in keuzes.items():
        if leerling_id not in ingeschreven:
            raise ValidationError(
                _("Kies enkel leerlingen uit klas %(klas)s.") % {"klas": klas.naam}
            )
        if dagdeel not in Dagdeel.values or (code and code not in AfwezigheidCode.values):
            raise ValidationError(_("Kies voor elke halve dag een geldige code."))
    bestaand = {
        (a.leerling_id, a.dagdeel): a
        for a in Afwezigheid.objects.select_for_update().filter(
            datum=datum, leerling_id__in=list(ingeschreven)
        )
    }
    nieuw: list[Afwezigheid] = []
    gewijzigd: list[Afwezigheid] = []
    weg: list[Afwezigheid] = []
    verouderd: set[int] = set()
    nu = timezone.now()
    for cel, code in keuzes.items():
        huidig = bestaand.get(cel)
        if (huidig.code if huidig else "") == code:
            continue
        # The form showed another state than the saved one: someone else
        # saved this half day in between.
        if (huidig.versie if huidig else None) != gezien.get(cel):
            verouderd.add(cel[0])
            continue
        if huidig is None:
            nieuw.append(
                Afwezigheid(
                    leerling_id=cel[0],
                    datum=datum,
                    dagdeel=cel[1],
                    code=code,
                    geregistreerd_door=door,
                    aangemaakt=nu,
                    gewijzigd=nu,
                )
            )
        elif code:
            huidig.code = code
            huidig.gewijzigd = nu
            huidig.versie += 1
            gewijzigd.append(huidig)
        else:
            weg.append(huidig)
    if verouderd:
        namen = sorted(f"{ingeschreven[pk][0]} {ingeschreven[pk][1]}".strip() for pk in verouderd)
        raise ValidationError(
            _(
                "Iemand anders wijzigde intussen de afwezigheden van %(namen)s op deze dag. "
                "Hieronder staat wat nu bewaard is: kijk het na en bewaar opnieuw."
            )
            % {"namen": get_text_list(namen, pgettext("de laatste in een opsomming", "en"))},
            code="verouderd",
        )
    Afwezigheid.objects.bulk_create(nieuw)
    Afwezigheid.objects.bulk_update(gewijzigd, ["code", "gewijzigd", "versie"])
    if weg:
        Afwezigheid.objects.filter(pk__in=[a.pk for a in weg]).delete()
    betrokken = sorted({a.leerling_id for a in (*nieuw, *gewijzigd, *weg)})
    if betrokken:
        audit_vastleggen(
            gebruiker=door,
            actie=Actie.WIJZIGEN,
            onderwerp="afwezigheden",
            leerlingen=[Leerling(pk=pk, school_id=school.pk) for pk in betrokken],
            object_id=klas.pk,
            # Counts and the day: no codes (the trail is no place for them).
            omschrijving=f"{klas.naam} {datum:%d/%m/%Y}: {len(nieuw)} nieuw, "
            f"{len(gewijzigd)} gewijzigd, {len(weg)} verwijderd",
        )
    drempels = drempels_nagaan(school=school, leerling_ids=betrokken, door=door, schooljaar=datum)
    return Klasdag(len(nieuw), len(gewijzigd), len(weg), drempels)


# --- one absence ------------------------------------------------------------------


def _verouderd_bericht(huidig: Afwezigheid) -> str:
    return _(
        "Iemand anders wijzigde deze afwezigheid intussen: de code is nu ‘%(code)s’. "
        "Kijk ze na en bewaar opnieuw."
    ) % {"code": huidig.get_code_display()}


@transaction.atomic
def afwezigheid_wijzigen(
    *, afwezigheid: Afwezigheid, door, code: str, notitie: str, versie: int
) -> Afwezigheid:
    """Change the code or the note of one absence, from the version the
    form showed (zorg.versies)."""
    code = _code(code)
    notitie = _notitie(notitie)
    huidig = vergrendelen(
        Afwezigheid.objects.select_related("leerling__school"),
        pk=afwezigheid.pk,
        versie=versie,
        bericht=_verouderd_bericht,
    )
    velden = [
        veld
        for veld, waarde in (("code", code), ("notitie", notitie))
        if getattr(huidig, veld) != waarde
    ]
    if not velden:
        return huidig
    huidig.code = code
    huidig.notitie = notitie
    huidig.gewijzigd = timezone.now()
    nieuwe_versie_bewaren(huidig, [*velden, "gewijzigd"])
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="afwezigheid",
        leerlingen=[huidig.leerling],
        object_id=huidig.pk,
        omschrijving=f"{huidig.datum:%d/%m/%Y} {huidig.dagdeel}",
        velden=velden,
    )
    if "code" in velden:
        drempels_nagaan(
            school=huidig.leerling.school,
            leerling_ids=[huidig.leerling_id],
            door=door,
            schooljaar=huidig.datum,
        )
    return huidig


@transaction.atomic
def afwezigheid_verwijderen(*, afwezigheid: Afwezigheid, door, versie: int) -> None:
    """Remove an absence recorded by mistake; a threshold record it no
    longer reaches is withdrawn (see `drempels_nagaan`)."""
    huidig = vergrendelen(
        Afwezigheid.objects.select_related("leerling__school"),
        pk=afwezigheid.pk,
        versie=versie,
        bericht=_verouderd_bericht,
    )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.VERWIJDEREN,
        onderwerp="afwezigheid",
        leerlingen=[huidig.leerling],
        object_id=huidig.pk,
        omschrijving=f"{huidig.datum:%d/%m/%Y} {huidig.dagdeel}",
    )
    huidig.delete()
    if huidig.is_problematisch:
        drempels_nagaan(
            school=huidig.leerling.school,
            leerling_ids=[huidig.leerling_id],
            door=door,
            schooljaar=huidig.datum,
        )


# --- the threshold ----------------------------------------------------------------


def problematische_halve_dagen(leerling_ids: Iterable[int], begin: datetime.date) -> dict[int, int]:
    """Per student, the problematic half days of the school year that began
    on `begin`: one query for all of them."""
    return dict(
        Afwezigheid.objects.problematisch()
        .in_schooljaar(begin)
        .filter(leerling_id__in=list(leerling_ids))
        .values("leerling_id")
        .annotate(aantal=Count("pk"))
        .values_list("leerling_id", "aantal")
    )


def clb_medewerkers(school_id: int) -> list:
    """The active staff of the CLBs serving the school."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            clb_lidmaatschappen__actief=True,
            clb_lidmaatschappen__clb__scholen=school_id,
        )
        .distinct()
        .order_by("pk")
    )


def _jaar(begin: datetime.date) -> str:
    return f"{begin.year}-{begin.year + 1}"


def drempels_nagaan(
    *,
    school: School,
    leerling_ids: Iterable[int],
    door,
    schooljaar: datetime.date | None = None,
) -> list[Afwezigheidsdrempel]:
    """Bring the threshold records of these students for one school year
    (the one `schooljaar` falls in; by default the current one) in line with
    their problematic half days of that year, after a write. Call inside the
    write's transaction. Returns the records reached now.

    - Who has at least the school's threshold and no valid record that
      school year gets one: a timeline entry for the care team, an audit
      event, and (while that school year runs) the notifications and the
      care cell's agenda. A record for a school year that already ended
      (last year's register corrected in September) is made `achteraf`:
      recorded and audited, told to nobody, on no agenda.
    - A valid record whose count a correction brought below the threshold
      (the lower of the one it was reached at and the school's current one)
      is withdrawn: `ingetrokken_op`, an audit event, its timeline entry
      marked and a second entry that says why. No notification: the
      coordinator was told of the crossing, a correction is the register
      being put right, and the cell's agenda drops the student by itself.
    - A change of the school's threshold touches nothing by itself: it
      applies to each student at the next write of their absences.

    Two queries when nothing changes."""
    leerling_ids = sorted(set(leerling_ids))
    if not leerling_ids:
        return []
    huidig = schooljaar_begin(timezone.localdate())
    begin = schooljaar_begin(schooljaar) if schooljaar else huidig
    drempel = school.afwezigheid_drempel
    aantallen = problematische_halve_dagen(leerling_ids, begin)
    geldig = {
        d.leerling_id: d
        for d in Afwezigheidsdrempel.objects.geldig()
        .filter(leerling_id__in=leerling_ids, schooljaar=begin)
        .select_related("leerling")
    }
    nu = timezone.now()
    terug = [d for pk, d in geldig.items() if aantallen.get(pk, 0) < min(d.drempel, drempel)]
    with translation.override(settings.LANGUAGE_CODE):
        if terug:
            _drempels_intrekken(school, terug, aantallen, door=door, begin=begin, nu=nu)
        nieuw_ids = [
            pk for pk, aantal in aantallen.items() if aantal >= drempel and pk not in geldig
        ]
        bereikt = (
            _drempels_bereikt(
                school,
                {pk: aantallen[pk] for pk in nieuw_ids},
                door=door,
                begin=begin,
                achteraf=begin < huidig,
                nu=nu,
            )
            if nieuw_ids
            else []
        )
    return bereikt


def _drempels_intrekken(school, drempels, aantallen, *, door, begin, nu) -> None:
    for d in drempels:
        d.ingetrokken_op = nu
        d.aantal_bij_intrekking = aantallen.get(d.leerling_id, 0)
    Afwezigheidsdrempel.objects.bulk_update(drempels, ["ingetrokken_op", "aantal_bij_intrekking"])
    for d in drempels:
        # The entry of the crossing stays, marked; the second one says why.
        tijdlijn_bijwerken(
            bron=d,
            titel=_("Drempel van problematische afwezigheden bereikt (later ingetrokken)"),
        )
        tijdlijn_registreren(
            leerling=d.leerling,
            soort=TijdlijnItem.Soort.AFWEZIGHEID,
            datum=timezone.localdate(),
            titel=_("Drempel van problematische afwezigheden ingetrokken"),
            tekst=_(
                "Na een correctie van de afwezigheden blijven er %(aantal)d problematisch "
                "afwezige halve dagen in schooljaar %(jaar)s, onder de drempel van %(drempel)d. "
                "De vaststelling van %(dag)s is ingetrokken: de leerling komt er niet meer "
                "voor op de agenda van de cel leerlingbegeleiding."
            )
            % {
                "aantal": d.aantal_bij_intrekking,
                "jaar": _jaar(begin),
                "drempel": min(d.drempel, school.afwezigheid_drempel),
                "dag": formats.date_format(timezone.localtime(d.bereikt_op), "d/m/Y"),
            },
            bron=d,
            zichtbaarheid=Zichtbaarheid.ZORGTEAM,
            auteur=door,
            url=afwezigheden_url(d.leerling_id),
        )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="afwezigheidsdrempel",
        leerlingen=[d.leerling for d in drempels],
        school_id=school.pk,
        omschrijving=f"ingetrokken na correctie, schooljaar {_jaar(begin)}",
        velden=["ingetrokken_op"],
    )


def _drempels_bereikt(school, aantallen, *, door, begin, achteraf, nu):
    drempel = school.afwezigheid_drempel
    Afwezigheidsdrempel.objects.bulk_create(
        [
            Afwezigheidsdrempel(
                leerling_id=pk,
                schooljaar=begin,
                bereikt_op=nu,
                aantal=aantal,
                drempel=drempel,
                achteraf=achteraf,
            )
            for pk, aantal in aantallen.items()
        ],
        # A concurrent write may have recorded the same crossing: the
        # constraint keeps one valid record per school year, and that one
        # was told.
        ignore_conflicts=True,
    )
    drempels = list(
        Afwezigheidsdrempel.objects.geldig()
        .filter(leerling_id__in=list(aantallen), schooljaar=begin, bereikt_op=nu)
        .select_related("leerling")
    )
    if not drempels:
        return []
    for d in drempels:
        if achteraf:
            tekst = _(
                "%(aantal)d problematisch afwezige halve dagen in schooljaar %(jaar)s "
                "(drempel van de school: %(drempel)d), vastgesteld na een correctie van het "
                "register van dat schooljaar. Niemand werd verwittigd en de leerling komt er "
                "niet voor op de agenda van de cel leerlingbegeleiding."
            ) % {"aantal": d.aantal, "drempel": d.drempel, "jaar": _jaar(begin)}
        else:
            tekst = _(
                "%(aantal)d problematisch afwezige halve dagen dit schooljaar "
                "(drempel van de school: %(drempel)d). Het zorgteam en het CLB werden "
                "verwittigd; de leerling komt op de agenda van de cel leerlingbegeleiding."
            ) % {"aantal": d.aantal, "drempel": d.drempel}
        tijdlijn_registreren(
            leerling=d.leerling,
            soort=TijdlijnItem.Soort.AFWEZIGHEID,
            datum=timezone.localdate(),
            titel=_("Drempel van problematische afwezigheden bereikt"),
            tekst=tekst,
            bron=d,
            zichtbaarheid=Zichtbaarheid.ZORGTEAM,
            auteur=door,
            url=afwezigheden_url(d.leerling_id),
        )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="afwezigheidsdrempel",
        leerlingen=[d.leerling for d in drempels],
        school_id=school.pk,
        # Neutral words: the functional administrator reads the trail.
        omschrijving=f"schooljaar {_jaar(begin)}" + (" (achteraf)" if achteraf else ""),
    )
    if not achteraf:
        _drempel_melden(school, drempels)
    return drempels


def _drempel_melden(school: School, drempels: list[Afwezigheidsdrempel]) -> None:
    """The care coordinators and the CLB staff who may read the student hear
    it by name; the school's other CLB staff hear that a student of the
    school reached it, unnamed (the student comes in their reach through the
    care cell's agenda)."""
    coordinatoren = zorgcoordinatoren(school.pk)
    clb = clb_medewerkers(school.pk)
    ontvangers = [*coordinatoren, *clb]
    if not ontvangers:
        return
    for d in drempels:
        naam = d.leerling.volledige_naam
        met_naam = toegelaten_ontvangers(ontvangers, [d.leerling])
        melding_over_leerlingen(
            leerlingen=[d.leerling],
            ontvangers=met_naam,
            titel=_("Problematische afwezigheden: %(naam)s") % {"naam": naam},
            tekst=_(
                "%(naam)s is dit schooljaar %(aantal)d halve dagen problematisch afwezig "
                "(drempel: %(drempel)d). Bespreek dit op de volgende cel leerlingbegeleiding."
            )
            % {"naam": naam, "aantal": d.aantal, "drempel": d.drempel},
            link=afwezigheden_url(d.leerling_id),
            school=school,
            soort=AFWEZIGHEIDSDREMPEL.code,
        )
        gekend = {u.pk for u in met_naam}
        anoniem = [u for u in clb if u.pk not in gekend]
        if anoniem:
            melding_versturen(
                ontvangers=anoniem,
                titel=_("Problematische afwezigheden in %(school)s") % {"school": school.naam},
                tekst=_(
                    "Een leerling van %(school)s bereikte de drempel van %(drempel)d "
                    "problematisch afwezige halve dagen. De leerling komt op de agenda van de "
                    "cel leerlingbegeleiding."
                )
                % {"school": school.naam, "drempel": d.drempel},
                school=school,
                soort=AFWEZIGHEIDSDREMPEL.code,
            )
