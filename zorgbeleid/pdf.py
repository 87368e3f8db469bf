"""The care-policy report as a PDF (zorg.pdf): the protected report of a
school year (document "zorgbeleid", for whoever opens the school's report)
and of a school group (document "zorgbeleid-groep", for its group
director; the school year's name is the request's option), each table with
its chart where it has one, and for a school the team's choices beside the
figures that support them, last year's with what became of their actions.

The charts are the report page's (zorgbeleid.grafieken). A table with a
hidden count ("< 5") is shown without a chart: a bar cannot be drawn for a
number the report does not give."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zorg.pdf.soorten import Documentsoort, Opmaak

from . import policies
from .export import Export, groepsexport, schoolexport
from .grafieken import svg
from .models import OMSCHRIJVINGEN, Verwachting
from .rapport import Tabel, secties_voor_verwachting


def grafiek(tabel: Tabel) -> SafeString | None:
    """The table's chart as the report page draws it (zorgbeleid.grafieken),
    or None: not charted, or a count in it is hidden."""
    return svg(tabel, id=f"grafiek-{tabel.sleutel}")


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
            "tabellen": [{"tabel": t, "grafiek": grafiek(t)} for t in sectie.tabellen],
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
