"""The PDF documents of the student record (zorg.pdf): the class measures
overview for a substitute teacher's folder, and a student's care file
(zorgdossier).

The care file is the student page on paper, for its reader: every part is
gathered by the same function, with the same policies, as its section of
the student page (apps built on the record add theirs through
leerlingen.dossierdelen), so it never holds what the reader does not see on
screen. Its parts list everything in the chosen period, where the page
shows the latest few."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zorg.pdf.soorten import Documentsoort, Opmaak

from . import domeinen, policies
from .dossierdelen import dossierdelen
from .models import Gesprek, Inschrijving, ObservatieSoort
from .views.gesprekken import zichtbare_gesprekken
from .views.intake import huidige_intake
from .views.maatregelen import klas_maatregelen_overzicht, maatregelen_gegevens
from .views.observaties import zichtbare_observaties
from .views.vlaggen import huidig_schooljaar_begin, rode_vlaggen, vlag_tellingen
from .views.zorgfase import zorgfase_gegevens


def _klas_maatregelen(user, klas, opties) -> Opmaak:
    context = klas_maatregelen_overzicht(user, klas)
    return Opmaak(
        template="leerlingen/pdf/klas_maatregelen.html",
        context=context,
        titel=_("Maatregelen in %(klas)s") % {"klas": klas.naam},
        school=klas.schooljaar.school,
        leerlingen=[blok["leerling"] for blok in context["blokken"]],
    )


KLAS_MAATREGELEN = Documentsoort(
    code="klas-maatregelen",
    label=gettext_lazy("Maatregelen van de klas"),
    opzoeken=policies.get_klas_maatregelen_for_user,
    opmaken=_klas_maatregelen,
    school_id=lambda klas: klas.schooljaar.school_id,
)


def _mijn_klassen_maatregelen(user, school, opties) -> Opmaak:
    """Every class `user` teaches or leads in the school's current school
    year, each as its own overview (the same data as the class's page),
    each on a new page."""
    klassen = [
        klas_maatregelen_overzicht(user, klas)
        for klas in policies.lesklassen_in_school(user, school.pk)
    ]
    return Opmaak(
        template="leerlingen/pdf/mijn_klassen_maatregelen.html",
        context={"klassen": klassen},
        titel=_("Maatregelen in mijn klassen"),
        school=school,
        leerlingen=list(
            {
                blok["leerling"].pk: blok["leerling"]
                for overzicht in klassen
                for blok in overzicht["blokken"]
            }.values()
        ),
    )


MIJN_KLASSEN_MAATREGELEN = Documentsoort(
    code="mijn-klassen-maatregelen",
    label=gettext_lazy("Maatregelen in al mijn klassen"),
    opzoeken=policies.get_mijn_klassen_school_for_user,
    opmaken=_mijn_klassen_maatregelen,
    school_id=lambda school: school.pk,
)


# --- the care file ------------------------------------------------------------------

SCHOOLJAAR = "schooljaar"
ALLES = "alles"
PERIODES = (SCHOOLJAAR, ALLES)


def zorgdossier_opties(data: Mapping[str, str]) -> dict:
    """The period: this school year (the default) or everything."""
    periode = data.get("periode") or SCHOOLJAAR
    if periode not in PERIODES:
        raise ValidationError(_("Kies als periode dit schooljaar of alles."))
    return {"periode": periode}


def _per_domein(observaties) -> list[dict]:
    """The observations per guidance domain, strengths and concerns apart.
    One that belongs to several domains is listed under each."""
    groepen = []
    for bit, label in domeinen.KEUZES:
        van_domein = [o for o in observaties if o.domeinen & bit]
        if van_domein:
            groepen.append(
                {
                    "label": label,
                    "sterktes": [o for o in van_domein if o.soort == ObservatieSoort.STERKTE],
                    "zorgen": [o for o in van_domein if o.soort != ObservatieSoort.STERKTE],
                }
            )
    return groepen


def zorgdossier_gegevens(user, leerling, periode: str) -> dict:
    """Everything the care file shows `user` of `leerling`: the parts of the
    student page, in full for the period. A fixed number of queries,
    whatever the size of the record. The caller looked the student up with
    `get_zorgdossier_leerling_for_user`."""
    vanaf = huidig_schooljaar_begin(leerling) if periode == SCHOOLJAAR else None
    observaties = list(zichtbare_observaties(user, leerling, vanaf))
    gesprekken = list(zichtbare_gesprekken(user, leerling, vanaf))
    context = {
        "leerling": leerling,
        "periode": periode,
        "vanaf": vanaf,
        "vandaag": timezone.localdate(),
        "inschrijvingen": list(
            Inschrijving.objects.filter(leerling=leerling)
            .select_related("klas__schooljaar")
            .order_by("-begin", "-pk")
        ),
        "zorgfase": zorgfase_gegevens(user, leerling, vanaf),
        "maatregelen": maatregelen_gegevens(user, leerling, vanaf),
        "observaties": _per_domein(observaties),
        "aantal_observaties": len(observaties),
        "gesprekken": gesprekken,
        "ouderafspraken": [
            g for g in gesprekken if g.soort == Gesprek.Soort.OUDERS and g.afspraken
        ],
        "toon_intake": policies.can_view_intake(user, leerling),
        "toon_vlaggen": policies.can_view_vlaggen(user, leerling),
    }
    if context["toon_intake"]:
        context["intake"] = huidige_intake(leerling)
    if context["toon_vlaggen"]:
        context["vlag_tellingen"] = vlag_tellingen(user, leerling, vanaf)
        context["rode_vlaggen"] = rode_vlaggen(user, leerling, vanaf)
    context["delen"] = [
        gegevens for deel in dossierdelen() if (gegevens := deel(user, leerling, vanaf))
    ]
    return context


def _zorgdossier(user, leerling, opties) -> Opmaak:
    context = zorgdossier_gegevens(user, leerling, opties.get("periode", SCHOOLJAAR))
    return Opmaak(
        template="leerlingen/pdf/zorgdossier.html",
        context=context,
        titel=_("Zorgdossier van %(naam)s") % {"naam": leerling.volledige_naam},
        school=leerling.school,
        leerlingen=[leerling],
    )


ZORGDOSSIER = Documentsoort(
    code="zorgdossier",
    label=gettext_lazy("Zorgdossier"),
    opzoeken=policies.get_zorgdossier_leerling_for_user,
    opmaken=_zorgdossier,
    opties=zorgdossier_opties,
)

# --- the parent letter ----------------------------------------------------------------


def _ouderbrief(user, brief, opties) -> Opmaak:
    """The letter as the parents received it (its frozen content), for
    printing or mailing: the same template as the page."""
    from .views.ouderbrieven import brief_inhoud

    leerling = brief.leerling
    return Opmaak(
        template="leerlingen/pdf/ouderbrief.html",
        context={
            "leerling": leerling,
            "ouderbrief": brief,
            "brief": brief_inhoud(brief.inhoud),
            "datum": brief.geinformeerd_op,
            "school": leerling.school,
        },
        titel=_("Ouderbrief voor %(naam)s") % {"naam": leerling.volledige_naam},
        school=leerling.school,
        leerlingen=[leerling],
    )


OUDERBRIEF = Documentsoort(
    code="ouderbrief",
    label=gettext_lazy("Ouderbrief"),
    opzoeken=policies.get_ouderbrief_for_user,
    opmaken=_ouderbrief,
    school_id=lambda brief: brief.leerling.school_id,
)

DOCUMENTEN = [KLAS_MAATREGELEN, MIJN_KLASSEN_MAATREGELEN, ZORGDOSSIER, OUDERBRIEF]
