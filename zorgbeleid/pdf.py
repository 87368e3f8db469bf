"""The care-policy report as a PDF (zorg.pdf): the protected report of a
school year (document "zorgbeleid", for whoever opens the school's report)
and of a school group (document "zorgbeleid-groep", for its group
director; the school year's name is the request's option), each table with
its chart where it has one, and for a school the team's choices beside the
figures that support them, last year's with what became of their actions.

The charts are leerlingen.grafieken's SVG. A table with a hidden count
("< 5") is shown without a chart: a bar cannot be drawn for a number the
report does not give."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerlingen.grafieken import Grafiek, Reeks, staafdiagram
from leerlingen.models import VlagKleur
from zorg.pdf.soorten import Documentsoort, Opmaak

from . import policies
from .export import Export, groepsexport, schoolexport
from .models import OMSCHRIJVINGEN, Verwachting
from .rapport import Tabel, secties_voor_verwachting

KLEUREN = ["#1f5fa8", "#9aa5b1", "#2e7d32", "#d2691e", "#6f42c1", "#20806f", "#b71c1c", "#b59a00"]
VLAGKLEUREN = {
    VlagKleur.GROEN: "#2e7d32",
    VlagKleur.GEEL: "#f2c200",
    VlagKleur.ORANJE: "#d2691e",
    VlagKleur.ROOD: "#b71c1c",
}


def _getallen(cellen) -> bool:
    return all(isinstance(c, int) and not isinstance(c, bool) for c in cellen)


def grafiek(tabel: Tabel, schooljaar: str) -> SafeString | None:
    """The table's chart (`Tabel.grafiek`), or None: not charted, or a
    count in it is hidden."""
    rijen = [r for r in tabel.rijen if not r.totaal]
    if not rijen or tabel.grafiek is None:
        return None
    if tabel.grafiek == "staaf":
        categorieen = [r.label for r in rijen]
        reeksen = [
            Reeks(f"k{j}", kolom, KLEUREN[j % len(KLEUREN)], [r.cellen[j] for r in rijen])
            for j, kolom in enumerate(tabel.kolommen)
        ]
        gestapeld = False
    elif tabel.grafiek == "gestapeld":
        categorieen = list(tabel.kolommen)
        reeksen = [
            Reeks(f"r{i}", r.label, KLEUREN[i % len(KLEUREN)], list(r.cellen))
            for i, r in enumerate(rijen)
        ]
        gestapeld = True
    elif tabel.grafiek == "maanden":
        # This year's months, a column per colour (the table has last year's too).
        categorieen = [r.label for r in rijen]
        kleuren = list(VLAGKLEUREN.values())
        kolommen = [j for j, k in enumerate(tabel.kolommen) if k.endswith(schooljaar)]
        reeksen = [
            Reeks(
                f"m{n}",
                tabel.kolommen[j],
                kleuren[n % len(kleuren)],
                [r.cellen[j] for r in rijen],
                rand="#6b5900" if n == 1 else None,
            )
            for n, j in enumerate(kolommen)
        ]
        gestapeld = True
    else:
        return None
    if not reeksen or not all(_getallen(r.waarden) for r in reeksen):
        return None
    return staafdiagram(
        Grafiek(titel=tabel.titel, omschrijving=tabel.toelichting, categorieen=categorieen,
                reeksen=reeksen),
        gestapeld=gestapeld,
        id=f"grafiek-{tabel.sleutel}",
    )  # fmt: skip


def pdf_context(export: Export) -> dict:
    """The sections with their tables and charts, and (for a school) beside
    each the choices of the expectations it supports; then the reflection
    per expectation, this year's and last year's."""
    rapport = export.rapport
    heeft_reflectie = bool(export.keuzes)
    vorig = rapport.vorig_schooljaar
    secties = [
        {
            "sectie": sectie,
            "tabellen": [
                {"tabel": t, "grafiek": grafiek(t, rapport.schooljaar)} for t in sectie.tabellen
            ],
            "keuzes": [
                {"verwachting": Verwachting(v), "keuze": export.keuze(v)}
                for v in sectie.verwachtingen
            ]
            if heeft_reflectie
            else [],
        }
        for sectie in rapport.secties
    ]
    reflectie = [
        {
            "verwachting": v,
            "omschrijving": OMSCHRIJVINGEN[v],
            "dit": export.keuze(v.value),
            "vorig": export.keuze(v.value, vorig) if vorig else None,
            "secties": [s.titel for s in secties_voor_verwachting(rapport, v.value)],
        }
        for v in Verwachting
    ]
    return {
        "export": export,
        "rapport": rapport,
        "secties": secties,
        "reflectie": reflectie if heeft_reflectie else [],
    }


def _jaar(user, jaar, opties) -> Opmaak:
    export = schoolexport(user, jaar)
    return Opmaak(
        template="zorgbeleid/pdf/rapport.html",
        context=pdf_context(export),
        titel=f"{export.titel} {export.schooljaar}",
        school=jaar.school,
    )


def _groep_opties(data) -> dict:
    jaarnaam = (data.get("jaarnaam") or "").strip()
    if not jaarnaam or len(jaarnaam) > 20:
        raise ValidationError(_("Kies het schooljaar van het rapport."))
    return {"jaarnaam": jaarnaam}


def _groep(user, groep, opties) -> Opmaak:
    try:
        export = groepsexport(groep, opties["jaarnaam"])
    except LookupError as exc:
        raise Http404 from exc
    return Opmaak(
        template="zorgbeleid/pdf/rapport.html",
        context=pdf_context(export),
        titel=f"{export.titel} {export.schooljaar}",
        # The job and its audit event belong to no one school.
        school=None,
    )


RAPPORT = Documentsoort(
    code="zorgbeleid",
    label=gettext_lazy("Zorgbeleid: cijfers en reflectie"),
    opzoeken=policies.get_rapport_jaar_for_user,
    opmaken=_jaar,
)

GROEPSRAPPORT = Documentsoort(
    code="zorgbeleid-groep",
    label=gettext_lazy("Zorgbeleid van de scholengemeenschap"),
    opzoeken=policies.get_groep_for_user,
    opmaken=_groep,
    opties=_groep_opties,
    school_id=lambda groep: None,
)

DOCUMENTEN = [RAPPORT, GROEPSRAPPORT]
