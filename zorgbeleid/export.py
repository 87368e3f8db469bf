"""The care-policy report as it leaves the school: a CSV, a spreadsheet
(XLSX) and the PDF's content (zorgbeleid.pdf), always protected
(`rapport_opbouwen(..., beschermd=True)`): a figure about fewer than five
students reads "< 5", and cannot be computed back from a total.

What goes out: the report's sections of tables, and for a school the team's
reflection (each quality expectation's choice, reasoning and status, who
decided it, and the actions with their due date and what became of them),
this year's beside last year's. No student is named; of the staff only who
decided a final reflection, as the report's accountability asks. Nothing
comes from the CLB's own layer: the figures count only the shared one.
Action owners are not named: the report is about the policy, not people.

A group's export (a Scholengemeenschap, for its group director) holds its
figures over all its schools, protected over the sum: a school's small
count is hidden in the group's table whenever the group's count is small.
A group has no reflection of its own (each school's team writes one).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from leerlingen.models import Zorgfase
from zorg.accounts.models import Scholengemeenschap, School, Schooljaar
from zorg.exporteren import csv_veilig

from . import policies
from .cijfers import groepsvergelijking, jaarvergelijking
from .kleine_aantallen import KLEIN
from .models import Reflectie, Reflectieactie, Verwachting
from .rapport import Rapport, Rij, Sectie, Tabel, fasenamen, rapport_opbouwen, titel

FORMATEN = ("xlsx", "csv")


@dataclass
class Keuze:
    """One expectation's reflection of one school year, and its actions."""

    verwachting: Verwachting
    schooljaar: str
    reflectie: Reflectie | None
    acties: list[Reflectieactie] = field(default_factory=list)


@dataclass
class Export:
    """What one export holds: the protected report and (for a school) the
    reflection of this year and last year, per expectation."""

    naam: str  # the school's or the group's
    schooljaar: str
    rapport: Rapport
    keuzes: dict[str, list[Keuze]] = field(default_factory=dict)  # by expectation
    school: School | None = None
    groep: Scholengemeenschap | None = None
    # The schools counted (a group's: those with the year, this or last).
    scholen: list[int] = field(default_factory=list)

    @property
    def titel(self) -> str:
        return titel()

    @property
    def bestandsnaam(self) -> str:
        return slugify(f"zorgbeleid {self.naam} {self.schooljaar}") or "zorgbeleid"

    def keuze(self, verwachting: str, schooljaar: str | None = None) -> Keuze | None:
        jaar = schooljaar or self.schooljaar
        return next((k for k in self.keuzes.get(verwachting, []) if k.schooljaar == jaar), None)


def _reflecties(user, jaren: list[Schooljaar]) -> dict[tuple[int, str], Reflectie]:
    """The reflections of `jaren` by (year, expectation), each with its
    actions: two queries whatever their number."""
    acties = Reflectieactie.objects.order_by("vervaldatum", "pk")
    return {
        (r.schooljaar_id, r.verwachting): r
        for r in policies.reflecties_visible_to(user)
        .filter(schooljaar__in=jaren)
        .select_related("beslist_door")
        .prefetch_related(Prefetch("acties", queryset=acties))
    }


def schoolexport(user, jaar: Schooljaar) -> Export:
    """The school's protected report of `jaar` (which `user` may open: the
    caller asked the policy) beside last year, with the reflection."""
    school = jaar.school
    rapport = rapport_opbouwen(
        jaarvergelijking(school, jaar), beschermd=True, fasen=fasenamen(school.schooltype)
    )
    vorig = jaar.vorige()
    jaren = [j for j in (jaar, vorig) if j is not None]
    reflecties = _reflecties(user, jaren)
    keuzes = {
        v.value: [
            Keuze(
                verwachting=v,
                schooljaar=j.naam,
                reflectie=(r := reflecties.get((j.pk, v.value))),
                acties=list(r.acties.all()) if r else [],
            )
            for j in jaren
        ]
        for v in Verwachting
    }
    return Export(
        naam=school.naam,
        schooljaar=jaar.naam,
        rapport=rapport,
        keuzes=keuzes,
        school=school,
        scholen=[school.pk],
    )


def groepsfasen(groep: Scholengemeenschap, jaarnaam: str) -> dict[str, str]:
    """The phases of the group's schools: their names when the schools are
    of one school type; only numbers when the types differ (phase 2 of
    part-time arts education is not phase 2 of a secondary school)."""
    types = set(
        School.objects.filter(scholengemeenschap=groep, schooljaren__naam=jaarnaam)
        .values_list("schooltype", flat=True)
        .distinct()
    )
    if len(types) == 1:
        return fasenamen(types.pop())
    nummers = (
        Zorgfase.objects.filter(schooltype__in=types)
        .values_list("nummer", flat=True)
        .distinct()
        .order_by("nummer")
    )
    return {str(n): _("fase %(nummer)s") % {"nummer": n} for n in nummers}


def groepsexport(groep: Scholengemeenschap, jaarnaam: str) -> Export:
    """The group's protected report of `jaarnaam` over its schools, beside
    the year before. LookupError when none of its schools has that year."""
    vergelijking = groepsvergelijking(groep, jaarnaam)
    rapport = rapport_opbouwen(vergelijking, beschermd=True, fasen=groepsfasen(groep, jaarnaam))
    scholen = set(vergelijking.dit_jaar.scholen)
    if vergelijking.vorig_jaar is not None:
        scholen |= set(vergelijking.vorig_jaar.scholen)
    return Export(
        naam=groep.naam,
        schooljaar=jaarnaam,
        rapport=rapport,
        groep=groep,
        scholen=sorted(scholen),
    )


# --- the reflection as tables ---------------------------------------------------------


def _naam(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def _uitkomst(actie: Reflectieactie) -> str:
    return {
        "afgerond": _("afgerond"),
        "geannuleerd": _("geannuleerd"),
        "te_laat": _("te laat"),
        "open": _("open"),
    }[actie.uitkomst]


def reflectiesectie(export: Export) -> Sectie | None:
    """The team's reflection as a section of two tables: the choice per
    expectation and year, and the actions with what became of them."""
    if not export.keuzes:
        return None
    keuzerijen, actierijen = [], []
    for verwachting in Verwachting:
        for keuze in export.keuzes[verwachting.value]:
            r = keuze.reflectie
            definitief = r is not None and r.is_definitief
            keuzerijen.append(
                Rij(
                    str(verwachting.label),
                    [
                        keuze.schooljaar,
                        r.get_keuze_display() if r else _("Nog geen keuze."),
                        r.get_status_display() if r else "",
                        r.redenering if r else "",
                        _naam(r.beslist_door) if definitief else "",
                        timezone.localtime(r.beslist_op).date() if definitief else None,
                    ],
                )
            )
            for actie in keuze.acties:
                actierijen.append(
                    Rij(
                        str(verwachting.label),
                        [
                            keuze.schooljaar,
                            actie.omschrijving,
                            actie.vervaldatum,
                            _uitkomst(actie),
                            actie.resultaat,
                        ],
                    )
                )
    return Sectie(
        "reflectie",
        _("Reflectie van het team"),
        [
            Tabel(
                sleutel="reflectie_keuzes",
                titel=_("Keuzes per kwaliteitsverwachting"),
                kolommen=[
                    _("schooljaar"),
                    _("wat doen we?"),
                    _("status"),
                    _("waarom?"),
                    _("beslist door"),
                    _("beslist op"),
                ],
                rijen=keuzerijen,
            ),
            Tabel(
                sleutel="reflectie_acties",
                titel=_("Acties en wat ervan werd"),
                kolommen=[
                    _("schooljaar"),
                    _("actie"),
                    _("tegen wanneer?"),
                    _("uitkomst"),
                    _("resultaat"),
                ],
                rijen=actierijen,
                toelichting=_("De acties van dit en vorig schooljaar, met hun uitkomst."),
            ),
        ],
    )


def secties(export: Export) -> list[Sectie]:
    """The report's sections, then the reflection's (a school's)."""
    reflectie = reflectiesectie(export)
    return [*export.rapport.secties, *([reflectie] if reflectie else [])]


def _kop(export: Export) -> str:
    return f"{export.titel} · {export.naam} · {export.schooljaar}"


def _beschermingsnoot() -> str:
    return _(
        "Aantallen van 1 tot 4 leerlingen staan als “%(klein)s”; ze zijn niet af te leiden "
        "uit de totalen."
    ) % {"klein": KLEIN}


# --- CSV ---------------------------------------------------------------------------------


def _csv_cel(waarde) -> str:
    if waarde is None:
        return ""
    if isinstance(waarde, bool):
        return str(waarde)
    if isinstance(waarde, int):
        return str(waarde)
    if isinstance(waarde, float):
        # The decimal comma of a Flemish Excel (hence the ";" between fields).
        return f"{waarde:.1f}".replace(".", ",")
    if isinstance(waarde, datetime.date):
        return date_format(waarde, "d/m/Y")
    return csv_veilig(str(waarde))


def csv_schrijven(export: Export, writer) -> None:
    """The export as CSV rows: a heading, then per table its column
    headings and its rows, each row led by its section, table and label."""
    writer.writerow([csv_veilig(_kop(export))])
    writer.writerow([_beschermingsnoot()])
    for sectie in secties(export):
        for tabel in sectie.tabellen:
            writer.writerow([])
            writer.writerow(
                [
                    _csv_cel(sectie.titel),
                    _csv_cel(tabel.titel),
                    "",
                    *(_csv_cel(k) for k in tabel.kolommen),
                ]
            )
            for rij in tabel.rijen:
                writer.writerow(
                    [
                        _csv_cel(sectie.titel),
                        _csv_cel(tabel.titel),
                        _csv_cel(rij.label),
                        *(_csv_cel(c) for c in rij.cellen),
                    ]
                )


# --- XLSX --------------------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ONGELDIG_IN_BLADNAAM = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _bladnaam(titel: str, gebruikt: set[str]) -> str:
    """A sheet name: at most 31 characters, none of []:*?/\\, unique."""
    basis = titel.translate(_ONGELDIG_IN_BLADNAAM).strip()[:31] or "blad"
    naam, n = basis, 2
    while naam.lower() in gebruikt:
        achter = f" ({n})"
        naam, n = basis[: 31 - len(achter)] + achter, n + 1
    gebruikt.add(naam.lower())
    return naam


def _xlsx_cel(cel, waarde, *, vet=False):
    from openpyxl.styles import Alignment, Font

    if isinstance(waarde, datetime.date):
        cel.value = waarde
        cel.number_format = "DD/MM/YYYY"
    elif isinstance(waarde, bool):
        cel.value = str(waarde)
    elif isinstance(waarde, int):
        cel.value = waarde
        cel.number_format = "0"
    elif isinstance(waarde, float):
        cel.value = waarde
        cel.number_format = "0.0"
    elif waarde is not None:
        cel.value = str(waarde)
        # Text, even when it begins with "=": openpyxl would write a formula.
        cel.data_type = "s"
        if waarde == KLEIN:
            cel.alignment = Alignment(horizontal="right")
        elif "\n" in cel.value or len(cel.value) > 60:
            cel.alignment = Alignment(wrap_text=True, vertical="top")
    if vet:
        cel.font = Font(bold=True)


def xlsx_maken(export: Export) -> bytes:
    """The export as a workbook: one sheet per section, each with a title
    row, the note on small numbers, and per table its title, column
    headings and rows; numbers are numbers, "< 5" is text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    boek = Workbook()
    boek.remove(boek.active)
    boek.properties.title = _kop(export)
    boek.properties.creator = "Zorg"
    gebruikt: set[str] = set()
    for sectie in secties(export):
        blad = boek.create_sheet(_bladnaam(sectie.titel, gebruikt))
        rij = 1
        _xlsx_cel(blad.cell(rij, 1), f"{_kop(export)}: {sectie.titel}")
        blad.cell(rij, 1).font = Font(bold=True, size=14)
        rij += 1
        _xlsx_cel(blad.cell(rij, 1), _beschermingsnoot())
        blad.cell(rij, 1).font = Font(italic=True)
        breedste = 1
        for tabel in sectie.tabellen:
            rij += 2
            _xlsx_cel(blad.cell(rij, 1), tabel.titel)
            blad.cell(rij, 1).font = Font(bold=True, size=12)
            rij += 1
            for k, kolom in enumerate(tabel.kolommen, start=2):
                _xlsx_cel(blad.cell(rij, k), kolom, vet=True)
            breedste = max(breedste, len(tabel.kolommen) + 1)
            for r in tabel.rijen:
                rij += 1
                _xlsx_cel(blad.cell(rij, 1), r.label, vet=r.totaal)
                for k, waarde in enumerate(r.cellen, start=2):
                    _xlsx_cel(blad.cell(rij, k), waarde, vet=r.totaal)
            if tabel.toelichting:
                rij += 1
                _xlsx_cel(blad.cell(rij, 1), tabel.toelichting)
                blad.cell(rij, 1).font = Font(italic=True, size=9)
        blad.column_dimensions["A"].width = 55
        for k in range(2, breedste + 1):
            blad.column_dimensions[blad.cell(1, k).column_letter].width = 18
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()
