"""A CLB file with both layers, for the tests that prove the CLB's own layer
never reaches the school (tests/clb/test_geen_lek.py, the PDFs of
tests/pdf): leerling_a has a consultation, a referral and a trajectory
with, for every kind of entry (goals, needs, each kind of note), one entry
shared with the school ("GEDEELD-...") and one the CLB keeps to itself
("GEHEIM-...", participants of its notes included), and one entry that was
shared and then taken back into the CLB's layer; the care cell, with the
CLB worker, has her on its agenda."""

from clb.models import Behoefte, Doel, Laag, Trajectnotitie, Trajectstap
from clb.services.consultaties import consultatie_geven
from clb.services.tijdlijn import gedeeld_op_tijdlijn
from klassenraad.models import OverlegSoort
from klassenraad.services.agenda import agenda_aanvaarden
from leerlingen.models import Leerling, TijdlijnItem, Zorgfase
from tests.clb import factories as c
from tests.klassenraad import factories as k

GEHEIM = "GEHEIM"
SCHOOLROLLEN = [
    "zorgcoordinator",
    "directie",
    "leerkracht",
    "titularis",
    "secretariaat",
    "beheerder",
]


def _fase(w, soort):
    return Zorgfase.objects.get(schooltype=w.school.schooltype, soort=soort)


def _naar_enkel_clb(item, door) -> None:
    """Take a shared entry back into the CLB's layer as the CLB does: through
    the trajectory service when it is there, else as it does (save, then
    bring the timeline in line)."""
    try:
        from clb.services.trajecten import laag_wijzigen
    except ImportError:
        laag_wijzigen = None
    if laag_wijzigen is not None:
        laag_wijzigen(item=item, laag=Laag.CLB, door=door)
        return
    type(item).objects.filter(pk=item.pk).update(laag=Laag.CLB)
    item.refresh_from_db()
    gedeeld_op_tijdlijn(item)


def clb_dossier(w) -> dict:
    """leerling_a's trajectory, both layers, and the school's use of it:
    the trajectory, the care cell that has her on its agenda (with the CLB
    worker), and the goal taken back into the CLB's layer."""
    clb = w.users["clb"]
    leerling = w.leerling_a
    # Phase 1: the CLB, on the care cell, gives a written consultation.
    Leerling.objects.filter(pk=leerling.pk).update(zorgfase=_fase(w, Zorgfase.Soort.VERHOOGD))
    leerling.refresh_from_db()
    eerste_cel = k.overleg(w, OverlegSoort.CEL, dagen=-3)
    eerste_cel.deelnemers.add(clb)
    k.agendapunt(eerste_cel, leerling)
    consultatie_geven(
        leerling=leerling,
        clb=w.clb,
        vraag="GEDEELD-vraag",
        advies="GEDEELD-consultatie",
        door=clb,
    )
    # Phase 2: a referral, a trajectory.
    Leerling.objects.filter(pk=leerling.pk).update(zorgfase=_fase(w, Zorgfase.Soort.UITBREIDING))
    leerling.refresh_from_db()
    t = c.traject(
        w,
        begeleider=clb,
        stap=Trajectstap.ADVIES,
        hulpvraag="GEDEELD-hulpvraag",
        perspectief="GEDEELD-perspectief",
    )
    for laag, woord in ((Laag.GEDEELD, "GEDEELD"), (Laag.CLB, GEHEIM)):
        entries = [
            c.doel(t, clb, laag=laag, omschrijving=f"{woord}-doel", dagen=-1),
            c.behoefte(t, clb, laag=laag, omschrijving=f"{woord}-behoefte"),
            c.behoefte(
                t,
                clb,
                laag=laag,
                soort=Behoefte.Soort.OPVOEDING,
                van=Behoefte.Van.CONTEXT,
                omschrijving=f"{woord}-opvoedingsbehoefte",
            ),
        ]
        for soort in Trajectnotitie.Soort:
            entries.append(
                c.notitie(
                    t,
                    clb,
                    laag=laag,
                    soort=soort,
                    tekst=f"{woord}-{soort.value}",
                    deelnemers=f"{woord}-deelnemers-{soort.value}",
                )
            )
        for entry in entries:
            gedeeld_op_tijdlijn(entry)
    # Shared first (so it was on the timeline), then taken back.
    terug = c.doel(t, clb, omschrijving="GEHEIM-doel-eerst-gedeeld", dagen=-1)
    gedeeld_op_tijdlijn(terug)
    assert TijdlijnItem.objects.filter(titel__contains="GEHEIM-doel-eerst-gedeeld").exists()
    _naar_enkel_clb(terug, clb)
    assert Doel.objects.get(pk=terug.pk).laag == Laag.CLB

    # The care cell, with the CLB worker, takes her on its agenda.
    cel = k.overleg(w, OverlegSoort.CEL, dagen=2)
    cel.deelnemers.add(clb)
    agenda_aanvaarden(overleg=cel, leerling_ids=[leerling.pk], door=w.zorgcoordinator)
    return {"traject": t, "cel": cel, "geheim_doel": terug}
