"""Changing a school's structure: campuses, subjects, the dates of its
school years, classes with their class teachers, teaching assignments and
the measure catalogue.

Every change is audited. The structure is no care content, so its events
name the campus, subject or class; the catalogue's events name only the
fields that changed (an item's text is care policy). Edits are
version-checked (zorg.versies). A name is stripped and its inner spaces
collapsed, and two names of one school (or one school year) that differ
only in case are the same name: the check is the service's, the unique
constraints behind it catch a simultaneous add.

Creating the next school year, switching the current one and archiving
last year's classes are the rollover's (issue 16's wizard), not these."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import formats
from django.utils.translation import gettext as _

from leerlingen import domeinen as domeinen_mod
from leerlingen.models import (
    Bereik,
    Inschrijving,
    Klas,
    Lesopdracht,
    MaatregelCatalogusItem,
    MaatregelSoort,
    Vak,
)
from zorg.accounts.models import Campus, School, Schooljaar
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import nieuwe_versie_bewaren, vergrendelen

# A school year runs from September to the end of June or August; a little
# more than twelve months leaves room for a late end, not for two years.
LANGSTE_SCHOOLJAAR = datetime.timedelta(days=397)
LEERJAREN = range(1, 8)


def naam_opschonen(naam: str) -> str:
    """A name as it is saved: no leading, trailing or doubled spaces."""
    return " ".join((naam or "").split())


def _naam_controleren(naam: str, *, max_length: int, leeg: str, veld: str = "naam") -> str:
    naam = naam_opschonen(naam)
    if not naam:
        raise ValidationError({veld: leeg})
    if len(naam) > max_length:
        raise ValidationError(
            {
                veld: _("Een naam is hoogstens %(max)d tekens lang (deze telt er %(aantal)d).")
                % {"max": max_length, "aantal": len(naam)}
            }
        )
    return naam


def _uniek(queryset, naam: str, bericht: str, *, veld: str = "naam", kolom: str = "naam") -> None:
    if queryset.filter(**{f"{kolom}__iexact": naam}).exists():
        raise ValidationError({veld: bericht})


def _bewaren_of_dubbel(maken, bericht: str, veld: str = "naam"):
    """Run an INSERT or UPDATE; a unique constraint that refuses it (the
    same name added at the same moment by someone else) is the user's
    message, not a 500."""
    try:
        with transaction.atomic():
            return maken()
    except IntegrityError as exc:
        raise ValidationError({veld: bericht}) from exc


# --- campuses ---------------------------------------------------------------------


def _campus_dubbel() -> str:
    return _("Deze school heeft al een campus met die naam.")


def _campus_gegevens(school_id: int, naam: str, adres: str, zonder: int | None = None):
    naam = _naam_controleren(
        naam,
        max_length=Campus._meta.get_field("naam").max_length,
        leeg=_("Geef de campus een naam."),
    )
    adres = naam_opschonen(adres)
    if len(adres) > Campus._meta.get_field("adres").max_length:
        raise ValidationError({"adres": _("Dit adres is te lang.")})
    _uniek(Campus.objects.filter(school_id=school_id).exclude(pk=zonder), naam, _campus_dubbel())
    return naam, adres


@transaction.atomic
def campus_toevoegen(*, school: School, naam: str, adres: str = "", door) -> Campus:
    naam, adres = _campus_gegevens(school.pk, naam, adres)
    campus = _bewaren_of_dubbel(
        lambda: Campus.objects.create(school=school, naam=naam, adres=adres), _campus_dubbel()
    )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="campus",
        school_id=school.pk,
        object_id=campus.pk,
        omschrijving=naam,
    )
    return campus


@transaction.atomic
def campus_wijzigen(*, campus: Campus, versie: int, naam: str, adres: str = "", door) -> list[str]:
    """Rename a campus (or change its address). Returns the changed fields."""
    huidig = vergrendelen(Campus, versie=versie, pk=campus.pk)
    naam, adres = _campus_gegevens(huidig.school_id, naam, adres, zonder=huidig.pk)
    return _wijzigen(huidig, {"naam": naam, "adres": adres}, door, "campus", _campus_dubbel())


def _wijzigen(huidig, gegevens: dict, door, onderwerp: str, dubbel: str) -> list[str]:
    """Save the fields of the locked `huidig` that differ from `gegevens`,
    with a raised version, and audit it (old and new name)."""
    gewijzigd = [veld for veld, waarde in gegevens.items() if getattr(huidig, veld) != waarde]
    if not gewijzigd:
        return []
    voor = str(huidig)
    for veld in gewijzigd:
        setattr(huidig, veld, gegevens[veld])
    _bewaren_of_dubbel(lambda: nieuwe_versie_bewaren(huidig, gewijzigd), dubbel)
    school_id = getattr(huidig, "school_id", None)
    if school_id is None:
        school_id = huidig.schooljaar.school_id
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp=onderwerp,
        school_id=school_id,
        object_id=huidig.pk,
        omschrijving=voor if voor == str(huidig) else f"{voor} → {huidig}",
        velden=gewijzigd,
    )
    return gewijzigd


class InGebruik(ValidationError):
    """A row others still refer to: the message says what to do instead."""


def _verwijderen(rij, *, door, onderwerp: str, school_id: int, in_gebruik: str) -> None:
    omschrijving, pk = str(rij), rij.pk
    try:
        with transaction.atomic():
            rij.delete()
    except ProtectedError as exc:
        raise InGebruik(in_gebruik) from exc
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.VERWIJDEREN,
        onderwerp=onderwerp,
        school_id=school_id,
        object_id=pk,
        omschrijving=omschrijving,
    )


@transaction.atomic
def campus_verwijderen(*, campus: Campus, door) -> Campus:
    """Remove a campus no class uses, else InGebruik."""
    huidig = vergrendelen(Campus, pk=campus.pk)
    bericht = _("‘%(naam)s’ wordt nog door een klas gebruikt en blijft dus bestaan.") % {
        "naam": huidig.naam
    }
    if Klas.objects.filter(campus=huidig).exists():
        raise InGebruik(bericht)
    _verwijderen(
        huidig, door=door, onderwerp="campus", school_id=huidig.school_id, in_gebruik=bericht
    )
    return huidig


# --- subjects -------------------------------------------------------------------


def _vak_dubbel() -> str:
    return _("Deze school heeft al een vak met die naam.")


def _vak_naam(school_id: int, naam: str, zonder: int | None = None) -> str:
    naam = _naam_controleren(
        naam, max_length=Vak._meta.get_field("naam").max_length, leeg=_("Geef het vak een naam.")
    )
    _uniek(Vak.objects.filter(school_id=school_id).exclude(pk=zonder), naam, _vak_dubbel())
    return naam


@transaction.atomic
def vak_toevoegen(*, school: School, naam: str, door) -> Vak:
    naam = _vak_naam(school.pk, naam)
    vak = _bewaren_of_dubbel(lambda: Vak.objects.create(school=school, naam=naam), _vak_dubbel())
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="vak",
        school_id=school.pk,
        object_id=vak.pk,
        omschrijving=naam,
    )
    return vak


@transaction.atomic
def vak_wijzigen(*, vak: Vak, versie: int, naam: str, door) -> list[str]:
    huidig = vergrendelen(Vak, versie=versie, pk=vak.pk)
    naam = _vak_naam(huidig.school_id, naam, zonder=huidig.pk)
    return _wijzigen(huidig, {"naam": naam}, door, "vak", _vak_dubbel())


@transaction.atomic
def vak_verwijderen(*, vak: Vak, door) -> Vak:
    """Remove a subject no teaching assignment, measure or flag names."""
    huidig = vergrendelen(Vak, pk=vak.pk)
    bericht = _(
        "Het vak %(naam)s wordt nog gebruikt (in een lesopdracht of een maatregel) "
        "en blijft dus bestaan."
    ) % {"naam": huidig.naam}
    if Lesopdracht.objects.filter(vak=huidig).exists() or _vak_in_maatregelen(huidig):
        raise InGebruik(bericht)
    _verwijderen(huidig, door=door, onderwerp="vak", school_id=huidig.school_id, in_gebruik=bericht)
    return huidig


def _vak_in_maatregelen(vak: Vak) -> bool:
    # A measure's subjects are a plain many-to-many: deleting the subject
    # would silently drop it from the measure's scope.
    from leerlingen.models import Maatregel

    return Maatregel.vakken.through.objects.filter(vak_id=vak.pk).exists()


# --- school years -----------------------------------------------------------------


def _datum(dag: datetime.date) -> str:
    return formats.date_format(dag, "SHORT_DATE_FORMAT")


def schooljaar_data_controleren(
    *, schooljaar: Schooljaar, begin: datetime.date, einde: datetime.date
) -> None:
    """A school year begins before it ends, lasts at most about thirteen
    months, overlaps no other school year of its school and still holds
    its own free periods and enrolments. ValidationError by field."""
    if einde <= begin:
        raise ValidationError({"einde": _("Het einde moet na het begin liggen.")})
    if einde - begin > LANGSTE_SCHOOLJAAR:
        raise ValidationError(
            {"einde": _("Een schooljaar duurt hoogstens dertien maanden. Kijk de data na.")}
        )
    ander = (
        Schooljaar.objects.filter(
            school_id=schooljaar.school_id, begin__lte=einde, einde__gte=begin
        )
        .exclude(pk=schooljaar.pk)
        .order_by("begin")
        .first()
    )
    if ander is not None:
        raise ValidationError(
            _("Deze data overlappen met schooljaar %(naam)s (%(begin)s tot en met %(einde)s).")
            % {"naam": ander.naam, "begin": _datum(ander.begin), "einde": _datum(ander.einde)}
        )
    buiten = schooljaar.vrije_perioden.exclude(begin__gte=begin, einde__lte=einde).first()
    if schooljaar.kalender_vastgelegd and buiten is not None:
        raise ValidationError(
            _("De vrije periode %(naam)s valt dan buiten het schooljaar: pas de kalender aan.")
            % {"naam": buiten.naam}
        )
    if Inschrijving.objects.filter(klas__schooljaar=schooljaar, begin__gt=einde).exists():
        raise ValidationError(
            _("Er zijn inschrijvingen die pas na dat einde beginnen: kijk de data na.")
        )


@transaction.atomic
def schooljaar_wijzigen(
    *, schooljaar: Schooljaar, versie: int, begin: datetime.date, einde: datetime.date, door
) -> list[str]:
    """Change the first and last day of a school year. The year's version is
    also its calendar's: a calendar edited meanwhile refuses this, and this
    refuses a calendar form opened before."""
    huidig = vergrendelen(
        Schooljaar,
        versie=versie,
        bericht=_("Iemand anders wijzigde intussen dit schooljaar of zijn kalender."),
        pk=schooljaar.pk,
    )
    schooljaar_data_controleren(schooljaar=huidig, begin=begin, einde=einde)
    gegevens = {"begin": begin, "einde": einde}
    gewijzigd = [veld for veld, waarde in gegevens.items() if getattr(huidig, veld) != waarde]
    if not gewijzigd:
        return []
    voor = f"{huidig.naam}: {huidig.begin} – {huidig.einde}"
    for veld in gewijzigd:
        setattr(huidig, veld, gegevens[veld])
    nieuwe_versie_bewaren(huidig, gewijzigd)
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="schooljaar",
        school_id=huidig.school_id,
        object_id=huidig.pk,
        omschrijving=f"{voor} → {huidig.begin} – {huidig.einde}",
        velden=gewijzigd,
    )
    return gewijzigd


# --- classes ----------------------------------------------------------------------


def _klas_dubbel() -> str:
    return _("Dit schooljaar heeft al een klas met die naam.")


def _klas_gegevens(
    schooljaar: Schooljaar,
    *,
    naam: str,
    leerjaar: int,
    campus: Campus | None,
    klastitularissen,
    kiesbaar,
    zonder: int | None = None,
) -> dict:
    naam = _naam_controleren(
        naam, max_length=Klas._meta.get_field("naam").max_length, leeg=_("Geef de klas een naam.")
    )
    fouten = {}
    if leerjaar not in LEERJAREN:
        fouten["leerjaar"] = _("Kies een leerjaar van 1 tot en met 7.")
    if campus is not None and campus.school_id != schooljaar.school_id:
        fouten["campus"] = _("Kies een campus van deze school.")
    kiesbaar_ids = set(kiesbaar.values_list("pk", flat=True))
    if any(user.pk not in kiesbaar_ids for user in klastitularissen):
        fouten["klastitularissen"] = _(
            "Kies als klastitularis een actieve leerkracht van deze school."
        )
    if fouten:
        raise ValidationError(fouten)
    _uniek(Klas.objects.filter(schooljaar=schooljaar).exclude(pk=zonder), naam, _klas_dubbel())
    return {"naam": naam, "leerjaar": leerjaar, "campus": campus}


def _titularissen(users) -> str:
    return ", ".join(sorted(str(user.get_full_name() or user.email) for user in users))


@transaction.atomic
def is_gearchiveerd(schooljaar: Schooljaar) -> bool:
    """A school year before the school's current one: its classes, their
    teams and assignments are history (the rollover left them), kept as
    they were. One query, none for the current year itself."""
    if schooljaar.is_huidig:
        return False
    return Schooljaar.objects.filter(
        school_id=schooljaar.school_id, is_huidig=True, begin__gt=schooljaar.begin
    ).exists()


def gearchiveerd_bericht() -> str:
    return _(
        "Dit schooljaar is voorbij: zijn klassen, klasteams en lesopdrachten blijven zoals "
        "ze waren."
    )


def _niet_gearchiveerd(schooljaar: Schooljaar) -> None:
    if is_gearchiveerd(schooljaar):
        raise InGebruik(gearchiveerd_bericht())


def klas_toevoegen(
    *,
    schooljaar: Schooljaar,
    naam: str,
    leerjaar: int,
    campus: Campus | None,
    klastitularissen=(),
    kiesbaar,
    door,
) -> Klas:
    """Add a class to a school year. `kiesbaar`: the people who may be its
    class teachers (the policy's active teachers of the school)."""
    _niet_gearchiveerd(schooljaar)
    gegevens = _klas_gegevens(
        schooljaar,
        naam=naam,
        leerjaar=leerjaar,
        campus=campus,
        klastitularissen=klastitularissen,
        kiesbaar=kiesbaar,
    )
    klas = _bewaren_of_dubbel(
        lambda: Klas.objects.create(schooljaar=schooljaar, **gegevens), _klas_dubbel()
    )
    klas.klastitularissen.set(klastitularissen)
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="klas",
        school_id=schooljaar.school_id,
        object_id=klas.pk,
        omschrijving=f"{schooljaar.naam}: {klas.naam}",
        velden=["naam", "leerjaar", "campus", *(["klastitularissen"] if klastitularissen else [])],
    )
    return klas


@transaction.atomic
def klas_wijzigen(
    *,
    klas: Klas,
    versie: int,
    naam: str,
    leerjaar: int,
    campus: Campus | None,
    klastitularissen,
    kiesbaar,
    door,
) -> list[str]:
    """Change a class's name, grade, campus and class teachers. A class
    teacher taken off loses what the class gave them: the event names who
    came and who went."""
    huidig = vergrendelen(
        Klas.objects.select_related("schooljaar"),
        versie=versie,
        bericht=_("Iemand anders wijzigde intussen deze klas."),
        pk=klas.pk,
    )
    _niet_gearchiveerd(huidig.schooljaar)
    gegevens = _klas_gegevens(
        huidig.schooljaar,
        naam=naam,
        leerjaar=leerjaar,
        campus=campus,
        klastitularissen=klastitularissen,
        kiesbaar=kiesbaar,
        zonder=huidig.pk,
    )
    voor = str(huidig)
    gewijzigd = [veld for veld, waarde in gegevens.items() if getattr(huidig, veld) != waarde]
    oud = set(huidig.klastitularissen.all())
    nieuw = set(klastitularissen)
    if oud != nieuw:
        gewijzigd.append("klastitularissen")
    if not gewijzigd:
        return []
    for veld, waarde in gegevens.items():
        setattr(huidig, veld, waarde)
    velden = [veld for veld in gewijzigd if veld != "klastitularissen"]
    _bewaren_of_dubbel(lambda: nieuwe_versie_bewaren(huidig, velden), _klas_dubbel())
    omschrijving = voor if voor == huidig.naam else f"{voor} → {huidig.naam}"
    if oud != nieuw:
        huidig.klastitularissen.set(nieuw)
        delen = []
        if nieuw - oud:
            delen.append(
                _("klastitularis erbij: %(namen)s") % {"namen": _titularissen(nieuw - oud)}
            )
        if oud - nieuw:
            delen.append(_("klastitularis eraf: %(namen)s") % {"namen": _titularissen(oud - nieuw)})
        omschrijving = f"{omschrijving} ({'; '.join(delen)})"
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="klas",
        school_id=huidig.schooljaar.school_id,
        object_id=huidig.pk,
        omschrijving=f"{huidig.schooljaar.naam}: {omschrijving}",
        velden=gewijzigd,
    )
    return gewijzigd


def klas_verwijderen_bericht(klas: Klas) -> str:
    return _(
        "Klas %(naam)s heeft leerlingen of een geschiedenis (inschrijvingen, overleggen, "
        "vlaggen) en blijft dus bestaan. Een klas van vorig jaar archiveren doet de "
        "overgang naar het nieuwe schooljaar."
    ) % {"naam": klas.naam}


@transaction.atomic
def klas_verwijderen(*, klas: Klas, door) -> Klas:
    """Remove a class that never had a student, a meeting or a flag (a
    class made by mistake). Its teaching assignments go with it, each
    audited: they gave their teachers access."""
    huidig = vergrendelen(Klas.objects.select_related("schooljaar"), pk=klas.pk)
    _niet_gearchiveerd(huidig.schooljaar)
    bericht = klas_verwijderen_bericht(huidig)
    if Inschrijving.objects.filter(klas=huidig).exists():
        raise InGebruik(bericht)
    opdrachten = list(huidig.lesopdrachten.select_related("leerkracht", "vak"))
    school_id = huidig.schooljaar.school_id
    naam = f"{huidig.schooljaar.naam}: {huidig.naam}"
    huidig.naam = naam  # for the event's description
    _verwijderen(huidig, door=door, onderwerp="klas", school_id=school_id, in_gebruik=bericht)
    for opdracht in opdrachten:
        _lesopdracht_audit(opdracht, Actie.VERWIJDEREN, door, school_id, naam)
    return huidig


# --- teaching assignments --------------------------------------------------------


def _lesopdracht_audit(opdracht: Lesopdracht, actie, door, school_id: int, klas: str) -> None:
    audit_vastleggen(
        gebruiker=door,
        actie=actie,
        onderwerp="lesopdracht",
        school_id=school_id,
        object_id=opdracht.pk,
        omschrijving=(
            f"{klas}: {opdracht.vak.naam} – "
            f"{opdracht.leerkracht.get_full_name() or opdracht.leerkracht.email}"
        ),
    )


def _lesopdracht_dubbel() -> str:
    return _("Deze leerkracht geeft dat vak al in deze klas.")


@transaction.atomic
def lesopdracht_toevoegen(*, klas: Klas, leerkracht, vak: Vak, kiesbaar, door) -> Lesopdracht:
    """A teacher teaches a subject in a class: from now on they see the
    class's students (and what the class team sees of them)."""
    _niet_gearchiveerd(klas.schooljaar)
    school_id = klas.schooljaar.school_id
    fouten = {}
    if not kiesbaar.filter(pk=leerkracht.pk).exists():
        fouten["leerkracht"] = _("Kies een actieve leerkracht van deze school.")
    if vak.school_id != school_id:
        fouten["vak"] = _("Kies een vak van deze school.")
    if fouten:
        raise ValidationError(fouten)
    if Lesopdracht.objects.filter(klas=klas, leerkracht=leerkracht, vak=vak).exists():
        raise ValidationError({"vak": _lesopdracht_dubbel()})
    opdracht = _bewaren_of_dubbel(
        lambda: Lesopdracht.objects.create(klas=klas, leerkracht=leerkracht, vak=vak),
        _lesopdracht_dubbel(),
        veld="vak",
    )
    _lesopdracht_audit(
        opdracht, Actie.AANMAKEN, door, school_id, f"{klas.schooljaar.naam}: {klas.naam}"
    )
    return opdracht


@transaction.atomic
def lesopdracht_verwijderen(*, opdracht: Lesopdracht, door) -> Lesopdracht:
    """End a teaching assignment. The teacher no longer sees the class
    through it (they may through another subject or as class teacher)."""
    klas = opdracht.klas
    _niet_gearchiveerd(klas.schooljaar)
    _lesopdracht_audit(
        opdracht,
        Actie.VERWIJDEREN,
        door,
        klas.schooljaar.school_id,
        f"{klas.schooljaar.naam}: {klas.naam}",
    )
    Lesopdracht.objects.filter(pk=opdracht.pk).delete()
    return opdracht


# --- the measure catalogue -------------------------------------------------------

CATALOGUS_VELDEN = ("soort", "titel", "omschrijving", "bereik", "domeinen")


def catalogus_gegevens_controleren(
    *, school_id: int, gegevens: dict, zonder: int | None = None
) -> dict:
    """The rules of a catalogue item, as the model and the measure form keep
    them: a title, a STICORDI kind, a scope and at least one domain; one
    title once per school (case aside). Returns the cleaned data."""
    gegevens = {
        **gegevens,
        "titel": naam_opschonen(gegevens["titel"]),
        "omschrijving": (gegevens.get("omschrijving") or "").strip(),
    }
    fouten: dict[str, str] = {}
    if not gegevens["titel"]:
        fouten["titel"] = _("Geef de maatregel een titel.")
    elif len(gegevens["titel"]) > MaatregelCatalogusItem._meta.get_field("titel").max_length:
        fouten["titel"] = _("Deze titel is te lang.")
    if gegevens["soort"] not in MaatregelSoort.values:
        fouten["soort"] = _("Kies een soort maatregel (STICORDI).")
    if gegevens["bereik"] not in Bereik.values:
        fouten["bereik"] = _("Kies voor welke vakken de maatregel meestal geldt.")
    if not 0 < (gegevens["domeinen"] or 0) <= domeinen_mod.ALLE:
        fouten["domeinen"] = _("Kies minstens één begeleidingsdomein.")
    if fouten:
        raise ValidationError(fouten)
    _uniek(
        MaatregelCatalogusItem.objects.filter(school_id=school_id).exclude(pk=zonder),
        gegevens["titel"],
        _catalogus_dubbel(),
        veld="titel",
        kolom="titel",
    )
    return gegevens


def _catalogus_dubbel() -> str:
    return _("Deze maatregel staat al in de catalogus van de school.")


@transaction.atomic
def catalogus_item_wijzigen(
    *, item: MaatregelCatalogusItem, versie: int, gegevens: dict, door
) -> list[str]:
    """Change a catalogue item. Measures made from it keep their own text:
    they were copied when made. The event names the fields, not the text."""
    huidig = vergrendelen(
        MaatregelCatalogusItem,
        versie=versie,
        bericht=_("Iemand anders wijzigde intussen deze maatregel uit de catalogus."),
        pk=item.pk,
    )
    gegevens = catalogus_gegevens_controleren(
        school_id=huidig.school_id,
        gegevens={veld: gegevens[veld] for veld in CATALOGUS_VELDEN},
        zonder=huidig.pk,
    )
    gewijzigd = [veld for veld, waarde in gegevens.items() if getattr(huidig, veld) != waarde]
    if not gewijzigd:
        return []
    for veld in gewijzigd:
        setattr(huidig, veld, gegevens[veld])
    _bewaren_of_dubbel(
        lambda: nieuwe_versie_bewaren(huidig, gewijzigd), _catalogus_dubbel(), veld="titel"
    )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="maatregelcatalogus",
        school_id=huidig.school_id,
        object_id=huidig.pk,
        velden=gewijzigd,
    )
    return gewijzigd


@transaction.atomic
def catalogus_item_actief_zetten(*, item: MaatregelCatalogusItem, actief: bool, door) -> bool:
    """Take an item out of the choice for new measures (or back in); it is
    never deleted, measures made from it refer to it. False, writing
    nothing, when it already was so."""
    huidig = vergrendelen(MaatregelCatalogusItem, pk=item.pk)
    if huidig.actief == actief:
        return False
    huidig.actief = actief
    nieuwe_versie_bewaren(huidig, ["actief"])
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="maatregelcatalogus",
        school_id=huidig.school_id,
        object_id=huidig.pk,
        velden=["actief"],
    )
    return True
