"""The demo's HGD trajectories (zorg.demo.clbdemo): written through the
CLB's services for CLB Leiedal, at different stages, with both layers, and
with a referral still waiting in each school for the CLB's start page."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from clb.models import HGDTraject, Laag, Trajectnotitie, Trajectstap, Uitkomst
from leerlingen.models import Aanmelding, TijdlijnItem
from zorg.accounts.models import CLBMedewerker, School
from zorg.audit.models import AuditEvent
from zorg.meldingen.models import Melding


@pytest.mark.django_db
def test_the_demo_has_trajectories_at_every_stage_with_both_layers():
    uit = io.StringIO()
    call_command("demo", stdout=uit, students=200)
    trajecten = list(HGDTraject.objects.select_related("clb", "leerling__zorgfase"))
    assert f"{len(trajecten)} HGD trajectories" in uit.getvalue()
    assert len(trajecten) >= 6
    assert {t.clb.naam for t in trajecten} == {"CLB Leiedal"}
    staf = set(
        CLBMedewerker.objects.filter(clb__naam="CLB Leiedal").values_list("user_id", flat=True)
    )
    assert {t.begeleider_id for t in trajecten} <= staf
    assert Counter(t.begeleider.email for t in trajecten).most_common(1)[0][0] == (
        "clb@clb-leiedal.example"
    )
    lopend = {t.stap for t in trajecten if t.status == HGDTraject.Status.LOPEND}
    assert {
        Trajectstap.INTAKE,
        Trajectstap.STRATEGIE,
        Trajectstap.ONDERZOEK,
        Trajectstap.ADVIES,
        Trajectstap.OPVOLGING,
    } <= lopend
    uitkomsten = {t.uitkomst for t in trajecten if t.status == HGDTraject.Status.AFGESLOTEN}
    assert {Uitkomst.ADVIES_OP_SCHOOL, Uitkomst.VERSLAG_IAC} <= uitkomsten
    for t in trajecten:
        if t.uitkomst == Uitkomst.VERSLAG_IAC:
            assert t.leerling.zorgfase.soort == "iac"
    # Both layers: shared goals, needs, advice and agreements; CLB-only
    # notes, investigations and third-party information.
    notities = Counter(Trajectnotitie.objects.values_list("soort", "laag"))
    for soort in ("advies", "afspraak"):
        assert notities[(soort, Laag.GEDEELD)] > 0
    for soort in ("notitie", "onderzoek", "derden"):
        assert notities[(soort, Laag.CLB)] > 0
    assert all(
        "Vertrouwelijk" in tekst
        for tekst in Trajectnotitie.objects.filter(laag=Laag.CLB).values_list("tekst", flat=True)
    )
    # Nothing of the CLB's own layer reached what the school reads.
    assert not TijdlijnItem.objects.filter(tekst__contains="Vertrouwelijk").exists()
    assert not TijdlijnItem.objects.filter(titel__contains="Vertrouwelijk").exists()
    assert not Melding.objects.filter(titel__contains="Vertrouwelijk").exists()
    assert not AuditEvent.objects.filter(omschrijving__contains="Vertrouwelijk").exists()
    # Each school served keeps a referral waiting.
    for school in School.objects.filter(clbs__naam="CLB Leiedal"):
        assert Aanmelding.objects.filter(
            leerling__school=school, status=Aanmelding.Status.OPEN
        ).exists(), school
