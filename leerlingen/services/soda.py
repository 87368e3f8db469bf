"""SODA reports: the school's periods and scale, and the teachers' scores.

The care team sets up the periods of the school year and the scale; a
subject teacher scores the students of a class they teach, period by period,
cell by cell or the whole grid at once. The first score of a student in a
period writes one timeline entry for that period, which later scores bring
up to date (never one entry per cell). A broken rule raises a
`ValidationError` in Dutch and writes nothing.

Two saves of the same cell (the teacher's two tabs, a double click, the
htmx save of a cell and then the grid's button): the last one wins, and
that is harmless. A score row belongs to one teaching assignment, so to one
teacher; each save writes only the columns it changes, on the row locked
for the transaction (no lost update of the other columns), and the grid's
button writes only the cells that differ from what the page showed. What
is lost is at most the teacher's own earlier choice for that one cell,
which the later save replaced on purpose.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zorg.accounts.models import School, Schooljaar
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import nieuwe_versie_bewaren, vergrendelen, versie_controleren

from .. import soda as soda_lezen
from ..models import (
    Inschrijving,
    Leerling,
    Lesopdracht,
    SodaCriterium,
    SodaPeriode,
    SodaSchaal,
    SodaScore,
    SodaWaarde,
    TijdlijnItem,
    Zichtbaarheid,
)
from .tijdlijn import tijdlijn_registreren

NAAM_MAX = SodaPeriode._meta.get_field("naam").max_length
MAX_WAARDEN = 10

# The default scale: the values and what each means, in the school's
# language (the rows are the school's own text once created).
STANDAARDSCHAAL = (
    ("1", gettext_noop("onvoldoende"), gettext_noop("Schiet tekort: dit vraagt opvolging."), True),
    ("2", gettext_noop("zwak"), gettext_noop("Nog niet wat we verwachten: een werkpunt."), True),
    ("3", gettext_noop("goed"), gettext_noop("Zoals we het verwachten."), False),
    ("4", gettext_noop("zeer goed"), gettext_noop("Een voorbeeld voor de klas."), False),
)


@dataclass(frozen=True)
class Schaalwaarde:
    """One value as the scale form hands it over."""

    code: str
    label: str
    omschrijving: str = ""
    is_laag: bool = False


def standaardwaarden() -> list[Schaalwaarde]:
    with translation.override(settings.LANGUAGE_CODE):
        return [
            Schaalwaarde(code=code, label=_(label), omschrijving=_(uitleg), is_laag=laag)
            for code, label, uitleg, laag in STANDAARDSCHAAL
        ]


# --- the scale ------------------------------------------------------------------


def soda_standaard_instellen(*, school: School) -> SodaSchaal:
    """The school's scale; the default one (1-4) when it has none yet. For
    the demo and the tests; the care team sets up its own on the scale
    page. Safe to run twice."""
    with transaction.atomic():
        schaal, nieuw = SodaSchaal.objects.get_or_create(school=school)
        if nieuw:
            SodaWaarde.objects.bulk_create(
                SodaWaarde(schaal=schaal, volgorde=i, **vars(waarde))
                for i, waarde in enumerate(standaardwaarden(), start=1)
            )
    return schaal


def _schaal_controleren(waarden: list[Schaalwaarde]) -> list[Schaalwaarde]:
    fouten: list[str] = []
    waarden = [
        Schaalwaarde(
            code=w.code.strip(),
            label=w.label.strip(),
            omschrijving=w.omschrijving.strip(),
            is_laag=w.is_laag,
        )
        for w in waarden
        if w.code.strip() or w.label.strip() or w.omschrijving.strip()
    ]
    if len(waarden) < 2:
        fouten.append(_("Een schaal heeft minstens twee waarden."))
    if len(waarden) > MAX_WAARDEN:
        fouten.append(_("Een schaal heeft hoogstens %(max)d waarden.") % {"max": MAX_WAARDEN})
    if any(not w.code or not w.label for w in waarden):
        fouten.append(_("Geef elke waarde een code en een label."))
    if any(len(w.code) > 5 or len(w.label) > 50 or len(w.omschrijving) > 200 for w in waarden):
        fouten.append(_("Een code is hoogstens 5 tekens, een label 50, een omschrijving 200."))
    codes = [w.code for w in waarden]
    if len(set(codes)) != len(codes):
        fouten.append(_("Elke code komt maar één keer voor."))
    laag = [w.is_laag for w in waarden]
    if laag != sorted(laag, reverse=True):
        fouten.append(
            _(
                "De lage waarden staan onderaan de schaal: zet ze eerst, "
                "een lage waarde kan niet boven een gewone staan."
            )
        )
    elif waarden and all(laag):
        fouten.append(_("Niet elke waarde kan laag zijn."))
    if fouten:
        raise ValidationError({NON_FIELD_ERRORS: fouten})
    return waarden


def soda_schaal_wijzigen(
    *, school: School, waarden: list[Schaalwaarde], versie: int | None, door
) -> SodaSchaal:
    """Replace the school's scale by `waarden`, lowest first. A value keeps
    its row (and the scores given with it) by its code; a value some score
    already uses cannot go. `versie` is the scale's version the form
    started from (None for a school without a scale yet)."""
    waarden = _schaal_controleren(waarden)
    with transaction.atomic():
        schaal, nieuw = SodaSchaal.objects.get_or_create(school=school)
        if not nieuw:
            schaal = vergrendelen(
                SodaSchaal,
                pk=schaal.pk,
                versie=versie,
                bericht=_("Iemand anders wijzigde de SODA-schaal intussen."),
            )
        elif versie is not None:
            # The form saw a scale that is gone: start from the saved one.
            versie_controleren(schaal, versie)
        bestaand = {w.code: w for w in SodaWaarde.objects.filter(schaal=schaal)}
        weg = [w for code, w in bestaand.items() if code not in {n.code for n in waarden}]
        gebruikt = _gebruikte_waarden([w.pk for w in weg])
        if gebruikt:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _(
                            "De waarde %(codes)s werd al gegeven en kan niet weg: "
                            "pas het label aan in plaats van ze te schrappen."
                        )
                        % {"codes": ", ".join(sorted(w.code for w in weg if w.pk in gebruikt))}
                    ]
                }
            )
        SodaWaarde.objects.filter(pk__in=[w.pk for w in weg]).delete()
        # Out of the way of the unique order first, then in place.
        SodaWaarde.objects.filter(schaal=schaal).update(volgorde=F("volgorde") + 1000)
        for i, nieuwe in enumerate(waarden, start=1):
            rij = bestaand.get(nieuwe.code) or SodaWaarde(schaal=schaal)
            rij.volgorde = i
            for veld, waarde in vars(nieuwe).items():
                setattr(rij, veld, waarde)
            rij.save()
        if not nieuw:
            nieuwe_versie_bewaren(schaal, [])
        audit_vastleggen(
            gebruiker=door,
            actie=Actie.AANMAKEN if nieuw else Actie.WIJZIGEN,
            onderwerp="soda-schaal",
            school_id=school.pk,
            object_id=schaal.pk,
            omschrijving=", ".join(w.code for w in waarden),
        )
    return schaal


def _gebruikte_waarden(pks: list[int]) -> set[int]:
    if not pks:
        return set()
    gebruikt: set[int] = set()
    for criterium in SodaCriterium.values:
        gebruikt |= set(
            SodaScore.objects.filter(**{f"{criterium}_id__in": pks}).values_list(
                f"{criterium}_id", flat=True
            )
        )
    return gebruikt


# --- the periods ------------------------------------------------------------------


def _periode_controleren(
    *, schooljaar: Schooljaar, naam: str, begin, einde, zonder: SodaPeriode | None = None
) -> str:
    fouten: dict[str, list[str]] = {}

    def fout(veld, bericht):
        fouten.setdefault(veld, []).append(bericht)

    naam = (naam or "").strip()
    if not naam:
        fout("naam", _("Geef de periode een naam, bv. Kerstrapport."))
    elif len(naam) > NAAM_MAX:
        fout("naam", _("De naam is te lang: hoogstens %(max)d tekens.") % {"max": NAAM_MAX})
    if begin is None:
        fout("begin", _("Vul een datum in."))
    if einde is None:
        fout("einde", _("Vul een datum in."))
    if fouten:
        raise ValidationError(fouten)
    if einde < begin:
        fout("einde", _("Het einde ligt voor het begin."))
    elif begin < schooljaar.begin or einde > schooljaar.einde:
        fout(
            NON_FIELD_ERRORS,
            _("Een periode valt binnen het schooljaar %(jaar)s (%(begin)s tot %(einde)s).")
            % {
                "jaar": schooljaar.naam,
                "begin": schooljaar.begin.strftime("%d/%m/%Y"),
                "einde": schooljaar.einde.strftime("%d/%m/%Y"),
            },
        )
    andere = SodaPeriode.objects.filter(schooljaar=schooljaar)
    if zonder is not None:
        andere = andere.exclude(pk=zonder.pk)
    if andere.filter(naam__iexact=naam).exists():
        fout("naam", _("Dit schooljaar heeft al een periode met die naam."))
    overlap = andere.filter(begin__lte=einde, einde__gte=begin).first()
    if overlap is not None and not fouten:
        fout(
            NON_FIELD_ERRORS,
            _("Deze periode overlapt met %(naam)s.") % {"naam": overlap.naam},
        )
    if fouten:
        raise ValidationError(fouten)
    return naam


def _volgorde_herstellen(schooljaar: Schooljaar) -> None:
    """Periods do not overlap, so their order is that of their dates."""
    perioden = list(SodaPeriode.objects.filter(schooljaar=schooljaar).order_by("begin", "pk"))
    SodaPeriode.objects.filter(schooljaar=schooljaar).update(volgorde=F("volgorde") + 1000)
    for i, periode in enumerate(perioden, start=1):
        SodaPeriode.objects.filter(pk=periode.pk).update(volgorde=i)


def soda_periode_toevoegen(
    *, schooljaar: Schooljaar, naam: str, begin: datetime.date, einde: datetime.date, door
) -> SodaPeriode:
    with transaction.atomic():
        # One change of a year's periods at a time: the order and the
        # overlap check read them all.
        Schooljaar.objects.select_for_update().get(pk=schooljaar.pk)
        naam = _periode_controleren(schooljaar=schooljaar, naam=naam, begin=begin, einde=einde)
        periode = SodaPeriode.objects.create(
            schooljaar=schooljaar, naam=naam, begin=begin, einde=einde, volgorde=10_000
        )
        _volgorde_herstellen(schooljaar)
        periode.refresh_from_db()
        audit_vastleggen(
            gebruiker=door,
            actie=Actie.AANMAKEN,
            onderwerp="soda-periode",
            school_id=schooljaar.school_id,
            object_id=periode.pk,
            omschrijving=f"{schooljaar.naam}: {periode.naam}",
        )
    return periode


def soda_periode_wijzigen(
    *,
    periode: SodaPeriode,
    versie: int,
    naam: str,
    begin: datetime.date,
    einde: datetime.date,
    door,
) -> SodaPeriode:
    schooljaar = periode.schooljaar
    with transaction.atomic():
        Schooljaar.objects.select_for_update().get(pk=schooljaar.pk)
        huidig = vergrendelen(
            SodaPeriode,
            pk=periode.pk,
            versie=versie,
            bericht=_("Iemand anders wijzigde deze periode intussen."),
        )
        naam = _periode_controleren(
            schooljaar=schooljaar, naam=naam, begin=begin, einde=einde, zonder=huidig
        )
        gewijzigd = [
            veld
            for veld, waarde in (("naam", naam), ("begin", begin), ("einde", einde))
            if getattr(huidig, veld) != waarde
        ]
        huidig.naam, huidig.begin, huidig.einde = naam, begin, einde
        nieuwe_versie_bewaren(huidig, ["naam", "begin", "einde"])
        _volgorde_herstellen(schooljaar)
        huidig.refresh_from_db()
        huidig.schooljaar = schooljaar
        if "naam" in gewijzigd:
            _titels_bijwerken(huidig)
        audit_vastleggen(
            gebruiker=door,
            actie=Actie.WIJZIGEN,
            onderwerp="soda-periode",
            school_id=schooljaar.school_id,
            object_id=huidig.pk,
            omschrijving=f"{schooljaar.naam}: {huidig.naam}",
            velden=gewijzigd,
        )
    return huidig


# --- the scores -------------------------------------------------------------------


def _tijdlijn_filter(leerling_id: int, periode: SodaPeriode) -> dict:
    return {
        "leerling_id": leerling_id,
        "soort": TijdlijnItem.Soort.SODA,
        "bron_type": SodaPeriode._meta.label_lower,
        "bron_id": periode.pk,
    }


def _titel(periode: SodaPeriode, samenvatting) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        titel = _("SODA %(periode)s: %(medianen)s") % {
            "periode": periode.naam,
            "medianen": samenvatting.kort(),
        }
        tekst = _("Mediaan over %(aantal)d vakken.") % {"aantal": samenvatting.aantal_vakken}
        if samenvatting.laag:
            tekst += " " + _("Laag in %(criteria)s.") % {
                "criteria": ", ".join(samenvatting.lage_criteria)
            }
    return titel, tekst


def _samenvatting(leerling: Leerling, periode: SodaPeriode):
    gevonden = soda_lezen.samenvattingen(
        SodaScore.objects.filter(leerling_id=leerling.pk),
        [periode],
        soda_lezen.schaalwaarden([leerling.school_id]),
    )
    return gevonden.get((leerling.pk, periode.pk)) or soda_lezen.Samenvatting(periode)


def _tijdlijn_bijhouden(leerling: Leerling, periode: SodaPeriode, door) -> None:
    """One entry per student and period: written with the first score,
    brought up to date by every later one. The student's row is locked by
    the caller, so two first scores at once still make one entry."""
    titel, tekst = _titel(periode, _samenvatting(leerling, periode))
    bijgewerkt = TijdlijnItem.objects.filter(**_tijdlijn_filter(leerling.pk, periode)).update(
        titel=titel[:300], tekst=tekst
    )
    if not bijgewerkt:
        tijdlijn_registreren(
            leerling=leerling,
            soort=TijdlijnItem.Soort.SODA,
            datum=min(timezone.localdate(), periode.einde),
            titel=titel,
            tekst=tekst,
            bron=periode,
            zichtbaarheid=Zichtbaarheid.KLASTEAM,
            auteur=door,
            url=reverse("leerlingen:leerling_detail", args=[leerling.pk]) + "#soda",
        )


def _titels_bijwerken(periode: SodaPeriode) -> None:
    """A renamed period: its entries carry the new name."""
    items = list(
        TijdlijnItem.objects.filter(
            soort=TijdlijnItem.Soort.SODA,
            bron_type=SodaPeriode._meta.label_lower,
            bron_id=periode.pk,
        ).select_related("leerling")
    )
    if not items:
        return
    gevonden = soda_lezen.samenvattingen(
        SodaScore.objects.filter(leerling_id__in=[i.leerling_id for i in items]),
        [periode],
        soda_lezen.schaalwaarden([periode.schooljaar.school_id]),
    )
    for item in items:
        samenvatting = gevonden.get((item.leerling_id, periode.pk)) or soda_lezen.Samenvatting(
            periode
        )
        item.titel, item.tekst = _titel(periode, samenvatting)
        item.titel = item.titel[:300]
    TijdlijnItem.objects.bulk_update(items, ["titel", "tekst"])


def _score_controleren(
    *, leerling: Leerling, periode: SodaPeriode, lesopdracht: Lesopdracht, waarden: dict
) -> None:
    klas = lesopdracht.klas
    fouten: list[str] = []
    if periode.schooljaar_id != klas.schooljaar_id:
        fouten.append(_("Deze periode hoort niet bij het schooljaar van de klas."))
    elif periode.begin > timezone.localdate():
        fouten.append(
            _("De periode %(naam)s begint pas op %(dag)s.")
            % {"naam": periode.naam, "dag": periode.begin.strftime("%d/%m/%Y")}
        )
    if not Inschrijving.objects.actief().filter(leerling=leerling, klas=klas).exists():
        fouten.append(
            _("%(naam)s zit niet (meer) in %(klas)s.")
            % {"naam": leerling.volledige_naam, "klas": klas.naam}
        )
    schaal_ids = set(
        SodaSchaal.objects.filter(school_id=leerling.school_id).values_list("pk", flat=True)
    )
    for criterium, waarde in waarden.items():
        if criterium not in SodaCriterium.values:
            fouten.append(_("Onbekend criterium."))
        elif waarde is not None and waarde.schaal_id not in schaal_ids:
            fouten.append(_("Kies een waarde van de schaal van de school."))
    if fouten:
        raise ValidationError({NON_FIELD_ERRORS: fouten})


def soda_score_bewaren(
    *,
    leerling: Leerling,
    periode: SodaPeriode,
    lesopdracht: Lesopdracht,
    waarden: dict[str, SodaWaarde | None],
    door,
) -> SodaScore | None:
    """Save the columns in `waarden` (criterion -> a value of the school's
    scale, or None to empty the cell) of this teacher's score of `leerling`
    in `periode`; the other columns stay as they are. Returns the score, or
    None when nothing changed (then nothing is written, not even audit)."""
    _score_controleren(leerling=leerling, periode=periode, lesopdracht=lesopdracht, waarden=waarden)
    with transaction.atomic():
        # One save per student at a time: the first score of a period
        # writes the timeline entry once.
        Leerling.objects.select_for_update().only("pk").get(pk=leerling.pk)
        score, nieuw = SodaScore.objects.get_or_create(
            leerling=leerling, periode=periode, lesopdracht=lesopdracht, defaults={"door": door}
        )
        score = SodaScore.objects.select_for_update().get(pk=score.pk)
        gewijzigd = [
            criterium
            for criterium, waarde in waarden.items()
            if getattr(score, f"{criterium}_id") != (waarde.pk if waarde else None)
        ]
        if not gewijzigd and not nieuw:
            return None
        for criterium in gewijzigd:
            setattr(score, criterium, waarden[criterium])
        score.door = door
        score.save(update_fields=[*gewijzigd, "door", "gewijzigd"])
        _tijdlijn_bijhouden(leerling, periode, door)
        audit_vastleggen(
            gebruiker=door,
            actie=Actie.AANMAKEN if nieuw else Actie.WIJZIGEN,
            onderwerp="soda",
            leerlingen=[leerling],
            object_id=score.pk,
            omschrijving=f"{periode.naam}, {lesopdracht.vak.naam}",
            velden=gewijzigd,
        )
    return score


def soda_scores_bewaren(
    *,
    periode: SodaPeriode,
    lesopdracht: Lesopdracht,
    wijzigingen: dict[Leerling, dict[str, SodaWaarde | None]],
    door,
) -> int:
    """The whole grid at once (the page without JavaScript): every student's
    changed cells, all or nothing. Returns how many scores changed."""
    aantal = 0
    with transaction.atomic():
        for leerling, waarden in wijzigingen.items():
            if waarden and soda_score_bewaren(
                leerling=leerling,
                periode=periode,
                lesopdracht=lesopdracht,
                waarden=waarden,
                door=door,
            ):
                aantal += 1
    return aantal
