"""Role-matrix rows of the care-policy report (its pages and exports) and
the team's reflection on the care policy (zorgbeleid).

The report of a school opens for its director and care coordinators and for
the director of its group; the group's report only for that group director.

The director and the care coordinators of school 1 read and write it;
everyone else, the care coordinator of school 2 included, gets 404 as for a
school that does not exist. An action's page also opens for its owner
(here the teacher of 3A). An empty POST to a form shows it again with its
errors (200); one to a button goes back with a message (302)."""

import datetime

from django.utils import timezone

from tests.matrix import ZORGTEAM_SCHOOL1, Rij, codes, zichtbaar_voor
from zorgbeleid.models import Keuze, Reflectie, Reflectieactie, Verwachting


def _reflectie(w, **extra):
    """Some walks ask a row's kwargs more than once: one reflection."""
    reflectie, _ = Reflectie.objects.get_or_create(
        schooljaar=w.schooljaar,
        verwachting=Verwachting.VISIE,
        defaults={
            "school": w.school,
            "keuze": Keuze.VERSTERKEN,
            "redenering": "Meer opvolgen.",
            "aangemaakt_door": w.directie,
            "gewijzigd_door": w.directie,
            **extra,
        },
    )
    return reflectie


def _jaar(w):
    return {"pk": w.school.pk, "jaar_pk": w.schooljaar.pk}


def _met_reflectie(w):
    _reflectie(w)
    return {**_jaar(w), "verwachting": Verwachting.VISIE.value}


def _definitief(w):
    _reflectie(
        w, status=Reflectie.Status.DEFINITIEF, beslist_door=w.directie, beslist_op=timezone.now()
    )
    return {**_jaar(w), "verwachting": Verwachting.VISIE.value}


def _actie(w):
    actie = Reflectieactie.objects.create(
        reflectie=_reflectie(w),
        omschrijving="Visietekst bespreken op de personeelsvergadering",
        eigenaar=w.leerkracht,
        vervaldatum=timezone.localdate() + datetime.timedelta(days=30),
        aangemaakt_door=w.directie,
    )
    return {"pk": actie.pk}


EIGENAAR = ZORGTEAM_SCHOOL1 | {"leerkracht"}
# The director of school 1's group reads the reflection, writes nothing.
LEZERS = ZORGTEAM_SCHOOL1 | {"groepsdirectie"}


def _groep(w):
    return {"pk": w.school.scholengemeenschap_id, "jaarnaam": w.schooljaar.naam}


RIJEN: dict[str, Rij] = {
    # A list: the care coordinator of school 2 sees it too, with their own
    # school only (tests/zorgbeleid/test_rapport_pagina.py).
    "zorgbeleid:rapport_start": Rij(get=zichtbaar_voor(LEZERS | {"buitenstaander"})),
    "zorgbeleid:rapport": Rij(get=zichtbaar_voor(LEZERS), kwargs=_jaar),
    "zorgbeleid:groep_rapport": Rij(get=zichtbaar_voor({"groepsdirectie"}), kwargs=_groep),
    "zorgbeleid:reflectie_overzicht": Rij(get=zichtbaar_voor(LEZERS), kwargs=_jaar),
    "zorgbeleid:reflectie_bewerken": Rij(
        get=zichtbaar_voor(LEZERS),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=lambda w: {**_jaar(w), "verwachting": Verwachting.SAMEN.value},
    ),
    "zorgbeleid:reflectie_definitief": Rij(
        get=codes(405),
        post=codes(404, zorgcoordinator=302, directie=302),
        kwargs=_met_reflectie,
    ),
    # Only the director opens a final reflection again.
    "zorgbeleid:reflectie_heropenen": Rij(
        get=codes(405), post=codes(404, directie=302), kwargs=_definitief
    ),
    "zorgbeleid:actie_toevoegen": Rij(
        get=codes(405), post=zichtbaar_voor(ZORGTEAM_SCHOOL1), kwargs=_met_reflectie
    ),
    # The protected exports: whoever opens the school's report; the group's
    # own report for its group director only.
    "zorgbeleid:rapport_export": Rij(
        get=zichtbaar_voor(LEZERS), kwargs=lambda w: {**_jaar(w), "formaat": "xlsx"}
    ),
    "zorgbeleid:groepsrapport_export": Rij(
        get=zichtbaar_voor({"groepsdirectie"}),
        kwargs=lambda w: {
            "pk": w.school.scholengemeenschap_id,
            "jaarnaam": w.schooljaar.naam,
            "formaat": "csv",
        },
    ),
    "zorgbeleid:actie_detail": Rij(
        get=zichtbaar_voor(EIGENAAR), post=zichtbaar_voor(EIGENAAR), kwargs=_actie
    ),
    "zorgbeleid:actie_verwijderen": Rij(
        get=codes(405), post=codes(404, zorgcoordinator=302, directie=302), kwargs=_actie
    ),
}
