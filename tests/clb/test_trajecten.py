"""The CLB's side (issue 6, part D): accepting a referral, working in the HGD
trajectory (stage, goals, needs, notes, participants, the layer of each
entry) and closing it; the pages, who reaches them, their query counts; the
CLB card on the start page.

Every refusal has a clear Dutch message and writes nothing; nothing of the
CLB-only layer reaches what the school can read (timeline, notifications,
the audit trail's descriptions)."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clb.models import (
    Behoefte,
    Betrokkene,
    Doel,
    Doeltermijn,
    HGDTraject,
    Laag,
    Trajectnotitie,
    Trajectstap,
    Uitkomst,
)
from clb.services import trajecten as services
from leerlingen.models import Aanmelding, TijdlijnItem, Zichtbaarheid
from leerlingen.policies import in_clb_bereik
from tests import factories as f
from tests.clb import factories as c
from zorg.accounts.models import User
from zorg.audit.models import Actie, AuditEvent
from zorg.meldingen.models import Melding
from zorg.versies import VerouderdeVersie

GEHEIM = "Vertrouwelijk: de huisarts vermoedt een slaapstoornis."
VANDAAG = timezone.localdate


def _dagen(n: int) -> datetime.date:
    return VANDAAG() + datetime.timedelta(days=n)


def fresh(user) -> User:
    """A new user object, as a new request has (scopes are cached on it)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def mw(wereld):
    """The worker of the CLB serving school 1."""
    return wereld.users["clb"]


@pytest.fixture
def open_aanmelding(wereld):
    return c.aanmelding(
        wereld.leerling_a,
        wereld.zorgcoordinator,
        hulpvraag="Hoe helpen we Lotte om haar huiswerk te plannen?",
        bron=Aanmelding.Bron.ZORGFASE,
    )


@pytest.fixture
def traject(wereld, mw):
    return c.traject(wereld, begeleider=mw)


def _tijdlijn_clb(leerling):
    return list(
        TijdlijnItem.objects.filter(leerling=leerling, soort=TijdlijnItem.Soort.CLB).order_by("pk")
    )


def _niets_geschreven(leerling, aanmelding=None):
    assert not HGDTraject.objects.filter(leerling=leerling).exists()
    assert not TijdlijnItem.objects.filter(leerling=leerling, soort="clb").exists()
    assert not Melding.objects.exists()
    assert not AuditEvent.objects.filter(onderwerp__startswith="hgd").exists()
    if aanmelding is not None:
        aanmelding.refresh_from_db()
        assert aanmelding.status == Aanmelding.Status.OPEN


def _fout(exc: pytest.ExceptionInfo) -> str:
    return " ".join(str(m) for m in exc.value.messages)


# --- accepting a referral --------------------------------------------------------------


def test_accepting_opens_a_trajectory_at_intake_with_the_question(wereld, mw, open_aanmelding):
    w = wereld
    traject = services.aanmelding_aanvaarden(aanmelding=open_aanmelding, begeleider=mw, door=mw)
    traject.refresh_from_db()
    open_aanmelding.refresh_from_db()
    assert open_aanmelding.status == Aanmelding.Status.AANVAARD
    assert traject.aanmelding_id == open_aanmelding.pk
    assert traject.leerling_id == w.leerling_a.pk
    assert traject.clb_id == w.clb.pk
    assert traject.begeleider_id == mw.pk
    assert traject.stap == Trajectstap.INTAKE
    assert traject.status == HGDTraject.Status.LOPEND
    assert traject.hulpvraag == "Hoe helpen we Lotte om haar huiswerk te plannen?"
    assert traject.geopend_op == VANDAAG()
    # The school's care team reads who leads it.
    [item] = _tijdlijn_clb(w.leerling_a)
    naam = mw.get_full_name() or mw.email
    assert item.titel == f"Aanmelding aanvaard door het CLB; trajectbegeleider: {naam}"
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    assert item.url == reverse("clb:traject_school", args=[w.leerling_a.pk])
    # The student stays in the worker's reach (an accepted referral).
    assert in_clb_bereik(fresh(mw), w.leerling_a)


def test_accepting_notifies_the_care_coordinators_without_content(wereld, mw, open_aanmelding):
    w = wereld
    services.aanmelding_aanvaarden(aanmelding=open_aanmelding, begeleider=mw, door=mw)
    [melding] = Melding.objects.all()
    assert melding.ontvanger == w.zorgcoordinator
    assert melding.titel == "Het CLB aanvaardde een aanmelding"
    assert melding.tekst == ""
    for inhoud in ("Lotte", "Peeters", "huiswerk"):
        assert inhoud not in melding.titel + melding.link
    assert melding.link == reverse("leerlingen:leerling_detail", args=[w.leerling_a.pk]) + "#clb"


def test_accepting_is_audited_with_the_student_and_no_text(wereld, mw, open_aanmelding):
    traject = services.aanmelding_aanvaarden(aanmelding=open_aanmelding, begeleider=mw, door=mw)
    [event] = AuditEvent.objects.filter(onderwerp="hgd_traject")
    assert event.actie == Actie.AANMAKEN
    assert event.leerling_id == wereld.leerling_a.pk
    assert event.object_id == str(traject.pk)
    assert "huiswerk" not in event.omschrijving


def test_a_referral_of_a_school_the_clb_does_not_serve_is_refused(wereld, mw):
    w = wereld
    elders = c.aanmelding(w.leerling_x, w.buitenstaander)
    with pytest.raises(ValidationError) as exc:
        services.aanmelding_aanvaarden(aanmelding=elders, begeleider=mw, door=mw)
    assert "jouw CLB niet bedient" in _fout(exc)
    _niets_geschreven(w.leerling_x, elders)


def test_the_other_clb_cannot_accept_a_referral_of_school_1(wereld, open_aanmelding):
    w = wereld
    ander = w.users["clb_ander"]
    with pytest.raises(ValidationError) as exc:
        services.aanmelding_aanvaarden(aanmelding=open_aanmelding, begeleider=ander, door=ander)
    assert "jouw CLB niet bedient" in _fout(exc)
    _niets_geschreven(w.leerling_a, open_aanmelding)


def test_school_staff_cannot_accept(wereld, mw, open_aanmelding):
    w = wereld
    with pytest.raises(ValidationError):
        services.aanmelding_aanvaarden(
            aanmelding=open_aanmelding, begeleider=mw, door=w.zorgcoordinator
        )
    _niets_geschreven(w.leerling_a, open_aanmelding)


@pytest.mark.parametrize("status", [Aanmelding.Status.AANVAARD, Aanmelding.Status.AFGESLOTEN])
def test_a_referral_that_no_longer_waits_is_refused(wereld, mw, status):
    w = wereld
    a = c.aanmelding(w.leerling_a, w.zorgcoordinator, status=status)
    with pytest.raises(ValidationError) as exc:
        services.aanmelding_aanvaarden(aanmelding=a, begeleider=mw, door=mw)
    assert "al aanvaard of afgesloten" in _fout(exc)
    assert not HGDTraject.objects.exists()
    assert not Melding.objects.exists()


def test_accepting_twice_is_refused_the_second_time(wereld, mw, open_aanmelding):
    services.aanmelding_aanvaarden(aanmelding=open_aanmelding, begeleider=mw, door=mw)
    stale = Aanmelding.objects.get(pk=open_aanmelding.pk)
    stale.status = Aanmelding.Status.OPEN  # as a page opened before the first acceptance
    with pytest.raises(ValidationError):
        services.aanmelding_aanvaarden(aanmelding=stale, begeleider=mw, door=mw)
    assert HGDTraject.objects.count() == 1


def test_a_lead_of_another_clb_or_inactive_or_from_the_school_is_refused(
    wereld, mw, open_aanmelding
):
    w = wereld
    inactief = f.CLBMedewerkerFactory(
        user=f.UserFactory(email="oud@clb.example"), clb=w.clb, actief=False
    ).user
    for begeleider in (w.users["clb_ander"], inactief, w.zorgcoordinator, None):
        with pytest.raises(ValidationError) as exc:
            services.aanmelding_aanvaarden(
                aanmelding=open_aanmelding, begeleider=begeleider, door=mw
            )
        assert "actieve medewerker van CLB Test" in _fout(exc)
        assert exc.value.error_dict.keys() == {"begeleider"}
    _niets_geschreven(w.leerling_a, open_aanmelding)


def test_a_colleague_of_the_same_clb_may_lead(wereld, mw, open_aanmelding):
    collega = f.CLBMedewerkerFactory(
        user=f.UserFactory(email="collega@clb.example"), clb=wereld.clb
    ).user
    traject = services.aanmelding_aanvaarden(
        aanmelding=open_aanmelding, begeleider=collega, door=mw
    )
    assert traject.begeleider_id == collega.pk


# --- the trajectory's frame --------------------------------------------------------------


def _wijzig(traject, door, **velden):
    velden.setdefault("versie", traject.versie)
    velden.setdefault("stap", traject.stap)
    velden.setdefault("hulpvraag", traject.hulpvraag)
    velden.setdefault("perspectief", traject.perspectief)
    return services.traject_wijzigen(traject=traject, door=door, **velden)


def test_stages_move_forward_skip_the_investigation_and_move_back(wereld, mw, traject):
    t = _wijzig(traject, mw, stap=Trajectstap.STRATEGIE, perspectief="Lotte haalt haar A-attest.")
    assert (t.stap, t.versie, t.perspectief) == ("strategie", 2, "Lotte haalt haar A-attest.")
    t = _wijzig(t, mw, stap=Trajectstap.INDICERING)  # no investigation needed
    t = _wijzig(t, mw, stap=Trajectstap.ONDERZOEK)  # back: it is needed after all
    assert HGDTraject.objects.get(pk=traject.pk).stap == Trajectstap.ONDERZOEK
    titels = [i.titel for i in _tijdlijn_clb(wereld.leerling_a)]
    assert titels == [
        "HGD-traject: stap strategie",
        "HGD-traject: stap indicering",
        "HGD-traject: stap onderzoek",
    ]
    stappen = AuditEvent.objects.filter(onderwerp="hgd_traject", actie=Actie.WIJZIGEN).order_by(
        "pk"
    )
    # The stage is care content: the trail names the changed field only.
    assert [e.omschrijving for e in stappen] == ["versie 2", "versie 3", "versie 4"]
    assert all("stap" in e.velden for e in stappen)
    assert "perspectief" in stappen[0].velden and "stap" in stappen[0].velden


def test_an_edit_without_a_stage_change_writes_no_timeline_entry(mw, traject):
    _wijzig(traject, mw, perspectief="Doorstromen naar het vierde jaar.")
    assert not TijdlijnItem.objects.filter(soort="clb").exists()


def test_an_outdated_version_is_refused_with_the_saved_state(mw, traject):
    _wijzig(traject, mw, stap=Trajectstap.STRATEGIE)
    with pytest.raises(VerouderdeVersie) as exc:
        _wijzig(traject, mw, versie=1, stap=Trajectstap.ADVIES, hulpvraag="Iets anders")
    assert exc.value.huidig.stap == Trajectstap.STRATEGIE
    assert exc.value.huidig.versie == 2
    opgeslagen = HGDTraject.objects.get(pk=traject.pk)
    assert (opgeslagen.stap, opgeslagen.versie) == ("strategie", 2)
    assert opgeslagen.hulpvraag != "Iets anders"


def test_frame_rules(mw, traject):
    with pytest.raises(ValidationError) as exc:
        _wijzig(traject, mw, stap="vakantie", hulpvraag="  ")
    assert set(exc.value.error_dict) == {"stap", "hulpvraag"}
    assert "Formuleer de hulpvraag." in _fout(exc)
    assert HGDTraject.objects.get(pk=traject.pk).versie == 1


def test_the_other_clb_and_school_staff_cannot_change_a_trajectory(wereld, traject):
    for door in (wereld.users["clb_ander"], wereld.zorgcoordinator):
        with pytest.raises(ValidationError):
            _wijzig(traject, door, stap=Trajectstap.ADVIES)
    assert HGDTraject.objects.get(pk=traject.pk).stap == Trajectstap.INTAKE


# --- goals -------------------------------------------------------------------------------


def _doel(traject, door, **velden):
    velden.setdefault("termijn", Doeltermijn.KORT)
    velden.setdefault("omschrijving", "Lotte plant haar huiswerk zelf.")
    velden.setdefault("evaluatiedatum", _dagen(21))
    velden.setdefault("laag", Laag.GEDEELD)
    return services.doel_toevoegen(traject=traject, door=door, **velden)


def test_a_shared_goal_reaches_the_timeline_a_clb_goal_does_not(wereld, mw, traject):
    gedeeld = _doel(traject, mw)
    _doel(traject, mw, omschrijving=GEHEIM, laag=Laag.CLB)
    [item] = _tijdlijn_clb(wereld.leerling_a)
    assert item.bron_id == gedeeld.pk and "Lotte plant" in item.titel
    assert not TijdlijnItem.objects.filter(tekst__contains="Vertrouwelijk").exists()
    assert not TijdlijnItem.objects.filter(titel__contains="Vertrouwelijk").exists()
    assert [e.omschrijving for e in AuditEvent.objects.filter(onderwerp="hgd_doel")] == [
        "doel",
        "doel",
    ]


def test_a_goal_needs_a_review_date(mw, traject):
    with pytest.raises(ValidationError) as exc:
        _doel(traject, mw, evaluatiedatum=None)
    assert exc.value.message_dict == {"evaluatiedatum": ["Geef elk doel een evaluatiedatum."]}
    assert not Doel.objects.exists()


def test_a_goal_review_date_in_the_past_is_refused(mw, traject):
    with pytest.raises(ValidationError) as exc:
        _doel(traject, mw, evaluatiedatum=_dagen(-1))
    assert "in het verleden" in _fout(exc)
    assert _doel(traject, mw, evaluatiedatum=VANDAAG()).evaluatiedatum == VANDAAG()


def test_goal_rules_for_text_term_and_layer(mw, traject):
    with pytest.raises(ValidationError) as exc:
        _doel(traject, mw, omschrijving=" ", termijn="eeuwig", laag="iedereen")
    assert set(exc.value.error_dict) == {"omschrijving", "termijn", "laag"}
    assert "Kies wie dit mag lezen" in " ".join(exc.value.message_dict["laag"])
    assert not Doel.objects.exists()
    assert not TijdlijnItem.objects.exists()


def _wijzig_doel(doel, door, **velden):
    velden.setdefault("versie", doel.versie)
    velden.setdefault("status", doel.status)
    velden.setdefault("evaluatiedatum", doel.evaluatiedatum)
    velden.setdefault("omschrijving", doel.omschrijving)
    velden.setdefault("laag", doel.laag)
    return services.doel_wijzigen(doel=doel, door=door, **velden)


def test_evaluating_a_goal_past_its_date_keeps_that_date(wereld, mw, traject):
    doel = c.doel(traject, mw, dagen=-5)
    gewijzigd = _wijzig_doel(doel, mw, status=Doel.Status.BEREIKT)
    assert (gewijzigd.status, gewijzigd.versie) == ("bereikt", 2)
    [item] = _tijdlijn_clb(wereld.leerling_a)
    assert "bereikt" in item.tekst
    with pytest.raises(ValidationError) as exc:
        _wijzig_doel(gewijzigd, mw, evaluatiedatum=_dagen(-1))
    assert "in het verleden" in _fout(exc)


def test_a_goal_edit_is_version_checked(mw, traject):
    doel = c.doel(traject, mw)
    _wijzig_doel(doel, mw, omschrijving="Eerste versie.")
    with pytest.raises(VerouderdeVersie) as exc:
        _wijzig_doel(doel, mw, versie=1, omschrijving="Tweede versie.")
    assert exc.value.huidig.omschrijving == "Eerste versie."
    assert Doel.objects.get(pk=doel.pk).omschrijving == "Eerste versie."


def test_making_a_goal_clb_only_takes_it_off_the_timeline(wereld, mw, traject):
    doel = _doel(traject, mw)
    assert len(_tijdlijn_clb(wereld.leerling_a)) == 1
    _wijzig_doel(Doel.objects.get(pk=doel.pk), mw, laag=Laag.CLB)
    assert _tijdlijn_clb(wereld.leerling_a) == []


# --- needs, notes, participants ---------------------------------------------------------


def test_needs(wereld, mw, traject):
    behoefte = services.behoefte_toevoegen(
        traject=traject,
        soort=Behoefte.Soort.ONDERWIJS,
        van=Behoefte.Van.CONTEXT,
        omschrijving="De leerkrachten hebben nood aan een vast stappenplan.",
        laag=Laag.GEDEELD,
        door=mw,
    )
    assert behoefte.laag == Laag.GEDEELD
    assert len(_tijdlijn_clb(wereld.leerling_a)) == 1
    with pytest.raises(ValidationError) as exc:
        services.behoefte_toevoegen(
            traject=traject, soort="x", van="y", omschrijving="", laag="z", door=mw
        )
    assert set(exc.value.error_dict) == {"soort", "van", "omschrijving", "laag"}
    assert Behoefte.objects.count() == 1


@pytest.mark.parametrize(
    ("soort", "laag"),
    [
        (Trajectnotitie.Soort.ADVIES, Laag.GEDEELD),
        (Trajectnotitie.Soort.AFSPRAAK, Laag.GEDEELD),
        (Trajectnotitie.Soort.OVERLEG, Laag.CLB),
        (Trajectnotitie.Soort.NOTITIE, Laag.CLB),
        (Trajectnotitie.Soort.ONDERZOEK, Laag.CLB),
        (Trajectnotitie.Soort.DERDEN, Laag.CLB),
    ],
)
def test_a_note_takes_the_default_layer_of_its_kind(mw, traject, soort, laag):
    notitie = services.notitie_toevoegen(
        traject=traject, soort=soort, datum=VANDAAG(), tekst="Tekst.", door=mw
    )
    assert notitie.laag == laag
    assert TijdlijnItem.objects.filter(soort="clb").exists() == (laag == Laag.GEDEELD)


def test_a_chosen_layer_overrides_the_default(mw, traject):
    gedeeld = services.notitie_toevoegen(
        traject=traject,
        soort=Trajectnotitie.Soort.OVERLEG,
        datum=VANDAAG(),
        tekst="Overleg met de ouders en de klastitularis.",
        deelnemers="Moeder, klastitularis",
        laag=Laag.GEDEELD,
        door=mw,
    )
    geheim = services.notitie_toevoegen(
        traject=traject,
        soort=Trajectnotitie.Soort.ADVIES,
        datum=VANDAAG(),
        tekst=GEHEIM,
        laag=Laag.CLB,
        door=mw,
    )
    assert (gedeeld.laag, geheim.laag) == (Laag.GEDEELD, Laag.CLB)
    [item] = TijdlijnItem.objects.filter(soort="clb")
    assert item.bron_id == gedeeld.pk


def test_note_rules(mw, traject):
    with pytest.raises(ValidationError) as exc:
        services.notitie_toevoegen(
            traject=traject, soort="dagboek", datum=_dagen(1), tekst=" ", door=mw
        )
    assert set(exc.value.error_dict) == {"soort", "datum", "tekst"}
    assert "De datum ligt in de toekomst." in _fout(exc)
    with pytest.raises(ValidationError) as exc:
        services.notitie_toevoegen(
            traject=traject,
            soort=Trajectnotitie.Soort.NOTITIE,
            datum=VANDAAG(),
            tekst="Tekst",
            laag="publiek",
            door=mw,
        )
    assert set(exc.value.error_dict) == {"laag"}
    assert not Trajectnotitie.objects.exists()


def test_participants(mw, traject):
    b = services.betrokkene_toevoegen(
        traject=traject,
        soort=Betrokkene.Soort.LEERSTEUNCENTRUM,
        naam="An Desmet",
        rol="Leersteuncentrum Leieland",
        door=mw,
    )
    assert Betrokkene.objects.get(pk=b.pk).naam == "An Desmet"
    with pytest.raises(ValidationError) as exc:
        services.betrokkene_toevoegen(traject=traject, soort="buur", naam="", door=mw)
    assert set(exc.value.error_dict) == {"soort", "naam"}


# --- the layer of an entry ---------------------------------------------------------------


def test_switching_the_layer_shares_and_takes_back(wereld, mw, traject):
    notitie = c.notitie(traject, mw, soort=Trajectnotitie.Soort.NOTITIE, tekst="Eerst geheim.")
    assert _tijdlijn_clb(wereld.leerling_a) == []
    # A note of this kind gets no timeline entry even when shared (Part E's
    # rule), so share an advice instead to see the timeline follow.
    advies = c.notitie(traject, mw, soort=Trajectnotitie.Soort.ADVIES, tekst="Vooraan zitten.")
    services.laag_wijzigen(item=advies, laag=Laag.GEDEELD, door=mw)
    assert Trajectnotitie.objects.get(pk=advies.pk).laag == Laag.GEDEELD
    [item] = _tijdlijn_clb(wereld.leerling_a)
    assert item.tekst.startswith("Vooraan zitten.")
    services.laag_wijzigen(item=advies, laag=Laag.CLB, door=mw)
    assert _tijdlijn_clb(wereld.leerling_a) == []
    services.laag_wijzigen(item=notitie, laag=Laag.GEDEELD, door=mw)
    assert Trajectnotitie.objects.get(pk=notitie.pk).laag == Laag.GEDEELD
    events = AuditEvent.objects.filter(onderwerp="hgd_notitie", actie=Actie.WIJZIGEN)
    assert events.count() == 3
    assert all(e.velden == ["laag"] for e in events)
    assert not events.filter(omschrijving__contains="Vooraan").exists()


def test_a_goal_layer_switch_raises_its_version(mw, traject):
    doel = c.doel(traject, mw)
    services.laag_wijzigen(item=doel, laag=Laag.CLB, door=mw)
    assert Doel.objects.get(pk=doel.pk).versie == 2


def test_an_unknown_layer_is_refused(mw, traject):
    doel = c.doel(traject, mw, laag=Laag.CLB)
    with pytest.raises(ValidationError) as exc:
        services.laag_wijzigen(item=doel, laag="iedereen", door=mw)
    assert "Kies wie dit mag lezen" in _fout(exc)
    assert Doel.objects.get(pk=doel.pk).laag == Laag.CLB
    assert not TijdlijnItem.objects.exists()


def test_only_the_trajectorys_clb_switches_a_layer(wereld, mw, traject):
    doel = c.doel(traject, mw, laag=Laag.CLB)
    for door in (wereld.users["clb_ander"], wereld.zorgcoordinator):
        with pytest.raises(ValidationError):
            services.laag_wijzigen(item=doel, laag=Laag.GEDEELD, door=door)
    assert Doel.objects.get(pk=doel.pk).laag == Laag.CLB


# --- closing -------------------------------------------------------------------------------


def _sluit(traject, door, **velden):
    velden.setdefault("versie", traject.versie)
    velden.setdefault("uitkomst", Uitkomst.ADVIES_OP_SCHOOL)
    velden.setdefault("toelichting", "De school werkt met het advies verder.")
    return services.traject_afsluiten(traject=traject, door=door, **velden)


def test_closing_records_the_outcome_closes_the_referral_and_ends_the_reach(wereld, mw, traject):
    w = wereld
    assert in_clb_bereik(fresh(mw), w.leerling_a)
    t = _sluit(traject, mw)
    assert (t.status, t.uitkomst, t.afgesloten_op) == ("afgesloten", "advies_op_school", VANDAAG())
    assert t.uitkomst_toelichting == "De school werkt met het advies verder."
    assert Aanmelding.objects.get(pk=t.aanmelding_id).status == Aanmelding.Status.AFGESLOTEN
    [item] = _tijdlijn_clb(w.leerling_a)
    assert item.titel == "HGD-traject afgesloten: advies uitgevoerd op school"
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    assert not in_clb_bereik(fresh(mw), w.leerling_a)
    [melding] = Melding.objects.all()
    assert melding.titel == "Het CLB sloot een HGD-traject af" and melding.tekst == ""


def test_closing_needs_an_outcome(mw, traject):
    with pytest.raises(ValidationError) as exc:
        _sluit(traject, mw, uitkomst="")
    assert exc.value.message_dict == {"uitkomst": ["Kies de uitkomst van het traject."]}
    with pytest.raises(ValidationError) as exc:
        _sluit(traject, mw, uitkomst="gewonnen")
    assert set(exc.value.error_dict) == {"uitkomst"}
    t = HGDTraject.objects.get(pk=traject.pk)
    assert (t.status, t.uitkomst) == ("lopend", "")
    assert not TijdlijnItem.objects.exists()


def test_closing_is_version_checked(mw, traject):
    _wijzig(traject, mw, stap=Trajectstap.ADVIES)
    with pytest.raises(VerouderdeVersie):
        _sluit(traject, mw, versie=1)
    assert HGDTraject.objects.get(pk=traject.pk).status == HGDTraject.Status.LOPEND


def test_a_closed_trajectory_takes_no_more_entries_but_its_layers_can_change(mw, traject):
    doel = c.doel(traject, mw)
    t = _sluit(traject, mw, uitkomst=Uitkomst.VERSLAG_IAC)
    bericht = "Dit traject is afgesloten"
    for poging in (
        lambda: _sluit(t, mw),
        lambda: _wijzig(t, mw, stap=Trajectstap.OPVOLGING),
        lambda: _doel(t, mw),
        lambda: services.notitie_toevoegen(
            traject=t, soort="notitie", datum=VANDAAG(), tekst="x", door=mw
        ),
        lambda: services.behoefte_toevoegen(
            traject=t, soort="onderwijs", van="leerling", omschrijving="x", laag="clb", door=mw
        ),
        lambda: services.betrokkene_toevoegen(traject=t, soort="ouders", naam="x", door=mw),
        lambda: _wijzig_doel(doel, mw, status=Doel.Status.BEREIKT),
    ):
        with pytest.raises(ValidationError) as exc:
            poging()
        assert bericht in _fout(exc)
    # Taking a shared entry back stays possible.
    services.laag_wijzigen(item=doel, laag=Laag.CLB, door=mw)
    assert Doel.objects.get(pk=doel.pk).laag == Laag.CLB


def test_nothing_school_readable_holds_clb_only_text(wereld, mw, open_aanmelding):
    t = services.aanmelding_aanvaarden(aanmelding=open_aanmelding, begeleider=mw, door=mw)
    _wijzig(t, mw, stap=Trajectstap.ONDERZOEK)
    t.refresh_from_db()
    _doel(t, mw, omschrijving=GEHEIM, laag=Laag.CLB)
    services.behoefte_toevoegen(
        traject=t, soort="opvoeding", van="context", omschrijving=GEHEIM, laag="clb", door=mw
    )
    for soort in Trajectnotitie.Soort:
        services.notitie_toevoegen(
            traject=t, soort=soort, datum=VANDAAG(), tekst=GEHEIM, laag=Laag.CLB, door=mw
        )
    geheim_doel = Doel.objects.get(omschrijving=GEHEIM)
    services.laag_wijzigen(item=geheim_doel, laag=Laag.CLB, door=mw)
    _sluit(Doel.objects.get(pk=geheim_doel.pk).traject, mw, uitkomst=Uitkomst.EXTERNE_HULP)
    for model, velden in (
        (TijdlijnItem, ("titel", "tekst")),
        (Melding, ("titel", "tekst", "link")),
        (AuditEvent, ("omschrijving",)),
    ):
        for veld in velden:
            assert not model.objects.filter(**{f"{veld}__contains": "Vertrouwelijk"}).exists()
            assert not model.objects.filter(**{f"{veld}__contains": "slaapstoornis"}).exists()
    assert AuditEvent.objects.filter(onderwerp="hgd_notitie").count() == 6


# --- the pages: who reaches them --------------------------------------------------------------


def _alle_urls(w, mw):
    t = c.traject(w, begeleider=mw)
    d = c.doel(t, mw)
    a = c.aanmelding(w.leerling_b, w.zorgcoordinator)
    per_traject = [
        "traject_detail",
        "traject_bewerken",
        "doel_nieuw",
        "behoefte_nieuw",
        "notitie_nieuw",
        "betrokkene_nieuw",
        "laag_wijzigen",
        "traject_afsluiten",
    ]
    return [
        reverse("clb:aanmelding_aanvaarden", args=[a.pk]),
        reverse("clb:doel_bewerken", args=[t.pk, d.pk]),
        *(reverse(f"clb:{naam}", args=[t.pk]) for naam in per_traject),
    ]


@pytest.mark.parametrize(
    "rol",
    [
        "clb_ander",
        "zorgcoordinator",
        "directie",
        "leerkracht",
        "titularis",
        "secretariaat",
        "beheerder",
        "buitenstaander",
        "platform",
    ],
)
def test_everyone_but_the_clb_of_the_school_gets_404_everywhere(wereld, mw, client_voor, rol):
    client = client_voor(wereld.users[rol])
    urls = _alle_urls(wereld, mw)
    detail = reverse("clb:traject_detail", args=[HGDTraject.objects.get().pk])
    for url in urls:
        for methode in ("get", "post"):
            response = getattr(client, methode)(url, {"soort": "doel", "id": 1, "laag": "gedeeld"})
            alleen_post = url.endswith("/laag/") and methode == "get"
            alleen_get = url == detail and methode == "post"
            verwacht = 405 if alleen_post or alleen_get else 404
            assert response.status_code == verwacht, (methode, url, rol)
    assert not AuditEvent.objects.filter(onderwerp__startswith="hgd").exists()
    assert Doel.objects.get().laag == Laag.GEDEELD


@pytest.mark.parametrize(
    "rol", ["zorgcoordinator", "directie", "leerkracht", "secretariaat", "beheerder", "platform"]
)
def test_school_staff_get_404_on_the_clb_lists(wereld, client_voor, rol):
    client = client_voor(wereld.users[rol])
    for naam in ("clb:aanmelding_lijst", "clb:traject_lijst"):
        assert client.get(reverse(naam)).status_code == 404


def test_the_other_clb_sees_empty_lists(wereld, mw, client_voor):
    w = wereld
    c.aanmelding(w.leerling_b, w.zorgcoordinator)
    c.traject(w, begeleider=mw)
    client = client_voor(w.users["clb_ander"])
    response = client.get(reverse("clb:aanmelding_lijst"))
    # Full names: the generated staff names may share a surname.
    assert response.status_code == 200 and "Noah Janssens" not in response.content.decode()
    response = client.get(reverse("clb:traject_lijst") + "?status=alle")
    assert response.status_code == 200 and "Lotte Peeters" not in response.content.decode()


# --- referrals on the page ----------------------------------------------------------------------


def _meer_leerlingen(w, aantal):
    return [
        f.leerling_in(w.klas_b, voornaam=f"Leerling{i}", achternaam=f"Achternaam{i}")
        for i in range(aantal)
    ]


def test_the_referral_list_shows_the_waiting_oldest_first_then_the_accepted(
    wereld, mw, client_voor
):
    w = wereld
    c.aanmelding(w.leerling_b, w.zorgcoordinator, datum=_dagen(-2), hulpvraag="Vraag over Noah")
    c.aanmelding(w.leerling_a, w.zorgcoordinator, datum=_dagen(-9), hulpvraag="Vraag over Lotte")
    c.aanmelding(w.leerling_x, w.buitenstaander, hulpvraag="Vraag over Mila")
    aanvaard = c.traject(
        w, leerling=f.leerling_in(w.klas_a, voornaam="Ada", achternaam="Aerts"), begeleider=mw
    )
    response = client_voor(mw).get(reverse("clb:aanmelding_lijst"))
    assert response.status_code == 200
    wachtend = response.context["pagina"].object_list
    assert [a.leerling.voornaam for a in wachtend] == ["Lotte", "Noah"]
    assert wachtend[0].leerling.huidige_klas_naam == "3A"
    assert [a.pk for a in response.context["aanvaard"]] == [aanvaard.aanmelding_id]
    html = response.content.decode()
    assert "Vraag over Lotte" in html and "Vraag over Mila" not in html
    assert reverse("clb:traject_detail", args=[aanvaard.pk]) in html
    # One audit event per student shown (one INSERT).
    events = AuditEvent.objects.filter(onderwerp="aanmelding", actie=Actie.LEZEN)
    assert {e.gebruiker for e in events} == {mw}
    leerlingen = set(events.values_list("leerling_id", flat=True))
    assert leerlingen == {w.leerling_a.pk, w.leerling_b.pk, aanvaard.leerling_id}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_referral_list_has_a_fixed_number_of_queries(wereld, mw, client_voor, template_queries):
    w = wereld
    client = client_voor(mw)
    url = reverse("clb:aanmelding_lijst")
    c.aanmelding(w.leerling_a, w.zorgcoordinator)
    c.traject(w, leerling=w.leerling_b, begeleider=mw)
    klein = _queries(client, url)
    for leerling in _meer_leerlingen(w, 30):
        c.aanmelding(leerling, w.zorgcoordinator)
    for leerling in _meer_leerlingen(w, 5):
        c.traject(w, leerling=leerling, begeleider=mw)
    groot = _queries(client, url)
    assert klein == groot <= 14
    assert template_queries == []


def test_accepting_on_the_page_chooses_a_lead_of_the_clb(wereld, mw, client_voor, open_aanmelding):
    w = wereld
    collega = f.CLBMedewerkerFactory(
        user=f.UserFactory(email="collega@clb.example", first_name="Bram", last_name="Claes"),
        clb=w.clb,
    ).user
    f.CLBMedewerkerFactory(user=f.UserFactory(email="weg@clb.example"), clb=w.clb, actief=False)
    client = client_voor(mw)
    url = reverse("clb:aanmelding_aanvaarden", args=[open_aanmelding.pk])
    response = client.get(url)
    assert response.status_code == 200
    keuzes = {pk for pk, _ in response.context["form"].fields["begeleider"].choices}
    assert keuzes == {mw.pk, collega.pk}
    assert "huiswerk te plannen" in response.content.decode()
    # A lead of another CLB, slipped into the form, is refused.
    response = client.post(
        url, {"sleutel": str(uuid.uuid4()), "begeleider": w.users["clb_ander"].pk}
    )
    assert response.status_code == 200
    assert "actieve medewerker van het CLB" in response.content.decode()
    assert not HGDTraject.objects.exists()
    response = client.post(url, {"sleutel": str(uuid.uuid4()), "begeleider": collega.pk})
    traject = HGDTraject.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("clb:traject_detail", args=[traject.pk])
    assert traject.begeleider == collega
    # Once accepted, the page says so and links to the trajectory.
    response = client.get(url)
    assert "wacht niet meer op het CLB" in response.content.decode()
    assert response.context["traject_id"] == traject.pk
    response = client.post(url, {"sleutel": str(uuid.uuid4()), "begeleider": mw.pk})
    assert "al aanvaard of afgesloten" in response.content.decode()
    assert HGDTraject.objects.count() == 1


# --- trajectories on the page ------------------------------------------------------------


def test_the_trajectory_list_filters_running_closed_and_mine(wereld, mw, client_voor):
    w = wereld
    collega = f.CLBMedewerkerFactory(user=f.UserFactory(email="c@clb.example"), clb=w.clb).user
    mijn = c.traject(w, begeleider=mw)
    van_collega = c.traject(w, leerling=w.leerling_b, begeleider=collega)
    dicht = c.traject(
        w,
        leerling=f.leerling_in(w.klas_a, voornaam="Ada", achternaam="Aerts"),
        begeleider=mw,
        status=HGDTraject.Status.AFGESLOTEN,
        uitkomst=Uitkomst.EXTERNE_HULP,
        afgesloten_op=VANDAAG(),
    )
    c.doel(mijn, mw, dagen=-2)
    client = client_voor(mw)

    def ids(query=""):
        response = client.get(reverse("clb:traject_lijst") + query)
        return {t.pk for t in response.context["pagina"].object_list}, response

    gevonden, response = ids()
    assert gevonden == {mijn.pk, van_collega.pk}
    assert [t.te_evalueren for t in response.context["pagina"].object_list if t.pk == mijn.pk] == [
        True
    ]
    assert ids("?status=afgesloten")[0] == {dicht.pk}
    assert ids("?status=alle")[0] == {mijn.pk, van_collega.pk, dicht.pk}
    assert ids("?mijn=1")[0] == {mijn.pk}
    assert ids("?status=alle&mijn=1")[0] == {mijn.pk, dicht.pk}
    assert ids("?status=onzin")[0] == {mijn.pk, van_collega.pk}


def test_the_trajectory_list_has_a_fixed_number_of_queries(
    wereld, mw, client_voor, template_queries
):
    w = wereld
    client = client_voor(mw)
    url = reverse("clb:traject_lijst")
    t = c.traject(w, begeleider=mw)
    c.doel(t, mw)
    klein = _queries(client, url)
    for leerling in _meer_leerlingen(w, 25):
        t = c.traject(w, leerling=leerling, begeleider=mw)
        c.doel(t, mw)
        c.doel(t, mw, dagen=3)
    groot = _queries(client, url)
    assert klein == groot <= 12
    assert template_queries == []


def _vul(traject, door, aantal):
    for i in range(aantal):
        laag = Laag.GEDEELD if i % 2 else Laag.CLB
        c.doel(traject, door, laag=laag, omschrijving=f"Doel {i}", dagen=i - 2)
        c.behoefte(
            traject,
            door,
            laag=laag,
            soort=list(Behoefte.Soort)[i % 3],
            van=list(Behoefte.Van)[i % 2],
            omschrijving=f"Behoefte {i}",
        )
        c.notitie(
            traject,
            door,
            laag=laag,
            soort=list(Trajectnotitie.Soort)[i % 6],
            tekst=f"Notitie {i}",
        )
        Betrokkene.objects.create(traject=traject, soort="extern", naam=f"Partner {i}")


def test_the_trajectory_page_shows_both_layers_marked(wereld, mw, client_voor):
    w = wereld
    t = c.traject(w, begeleider=mw)
    gedeeld = c.doel(t, mw, omschrijving="Gedeeld doel voor de klas.")
    geheim = c.notitie(t, mw, tekst=GEHEIM)
    te_laat = c.doel(t, mw, omschrijving="Al lang te evalueren.", dagen=-3)
    response = client_voor(mw).get(reverse("clb:traject_detail", args=[t.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gedeeld doel voor de klas." in html and GEHEIM in html
    assert 'data-testid="laag-gedeeld"' in html and 'data-testid="laag-clb"' in html
    assert html.count('data-testid="achterstallig"') == 1
    assert response.context["doelen"][0] == te_laat and te_laat.pk != gedeeld.pk
    assert [s["huidig"] for s in response.context["stappen"]] == [True] + [False] * 5
    assert len(response.context["behoeftegroepen"]) == 6
    assert [g["soort"] for g in response.context["notitiegroepen"]] == list(
        Trajectnotitie.Soort.values
    )
    assert f'value="{geheim.pk}"' in html
    # The CLB reaches the student (an accepted referral): a link to her record.
    assert reverse("leerlingen:leerling_detail", args=[w.leerling_a.pk]) in html
    event = AuditEvent.objects.get(onderwerp="hgd_traject", actie=Actie.LEZEN)
    assert event.leerling_id == w.leerling_a.pk
    assert event.omschrijving == "CLB-dossier"


def test_a_closed_trajectory_page_has_no_edit_links_and_no_record_link(wereld, mw, client_voor):
    w = wereld
    t = c.traject(w, begeleider=mw)
    _sluit(t, mw)
    client = client_voor(mw)
    response = client.get(reverse("clb:traject_detail", args=[t.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("clb:doel_nieuw", args=[t.pk]) not in html
    assert reverse("leerlingen:leerling_detail", args=[w.leerling_a.pk]) not in html
    assert "Advies uitgevoerd op school" in html
    # The edit pages send back to the trajectory with a message.
    for naam in ("traject_bewerken", "doel_nieuw", "notitie_nieuw", "traject_afsluiten"):
        response = client.get(reverse(f"clb:{naam}", args=[t.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("clb:traject_detail", args=[t.pk])


def test_the_trajectory_page_has_a_fixed_number_of_queries(
    wereld, mw, client_voor, template_queries
):
    w = wereld
    client = client_voor(mw)
    t = c.traject(w, begeleider=mw)
    _vul(t, mw, 3)
    url = reverse("clb:traject_detail", args=[t.pk])
    klein = _queries(client, url)
    _vul(t, mw, 27)
    groot = _queries(client, url)
    assert klein == groot <= 16
    assert template_queries == []


# --- the forms on the page --------------------------------------------------------------------


def test_a_goal_without_a_review_date_is_refused_on_the_page(mw, client_voor, traject):
    client = client_voor(mw)
    url = reverse("clb:doel_nieuw", args=[traject.pk])
    response = client.post(
        url,
        {
            "termijn": "kort",
            "omschrijving": "Iets",
            "laag": "gedeeld",
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert "Geef elk doel een evaluatiedatum." in response.content.decode()
    response = client.post(
        url,
        {
            "sleutel": str(uuid.uuid4()),
            "termijn": "kort",
            "omschrijving": "Iets",
            "laag": "gedeeld",
            "evaluatiedatum": _dagen(-1).isoformat(),
        },
    )
    assert "in het verleden" in response.content.decode()
    assert not Doel.objects.exists()
    response = client.post(
        url,
        {
            "sleutel": str(uuid.uuid4()),
            "termijn": "kort",
            "omschrijving": "Iets",
            "laag": "gedeeld",
            "evaluatiedatum": _dagen(7).isoformat(),
        },
    )
    doel = Doel.objects.get()
    assert response["Location"] == reverse("clb:traject_detail", args=[traject.pk]) + (
        f"#doel-{doel.pk}"
    )


def test_the_note_form_preselects_the_kind_and_its_layer(mw, client_voor, traject):
    client = client_voor(mw)
    url = reverse("clb:notitie_nieuw", args=[traject.pk])
    form = client.get(url + "?soort=advies").context["form"]
    assert (form["soort"].initial, form["laag"].initial) == ("advies", Laag.GEDEELD)
    form = client.get(url + "?soort=onderzoek").context["form"]
    assert (form["soort"].initial, form["laag"].initial) == ("onderzoek", Laag.CLB)
    form = client.get(url + "?soort=iets").context["form"]
    assert form["laag"].initial == ""
    # Without a choice the layer follows the kind.
    for soort, laag in (("afspraak", Laag.GEDEELD), ("derden", Laag.CLB)):
        response = client.post(
            url,
            {
                "soort": soort,
                "datum": VANDAAG().isoformat(),
                "tekst": f"Over {soort}",
                "sleutel": str(uuid.uuid4()),
            },
        )
        assert response.status_code == 302
        assert Trajectnotitie.objects.get(tekst=f"Over {soort}").laag == laag
    response = client.post(
        url,
        {
            "soort": "notitie",
            "datum": VANDAAG().isoformat(),
            "tekst": "x",
            "laag": "iedereen",
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert "Kies wie dit mag lezen" in response.content.decode()


def test_the_layer_switch_on_the_page(wereld, mw, client_voor, traject):
    w = wereld
    client = client_voor(mw)
    url = reverse("clb:laag_wijzigen", args=[traject.pk])
    notitie = c.notitie(traject, mw, soort=Trajectnotitie.Soort.ADVIES, tekst=GEHEIM)
    # Tampering: an unknown layer is refused with a message, nothing changes.
    response = client.post(url, {"soort": "notitie", "id": notitie.pk, "laag": "school"})
    assert response.status_code == 200
    assert "Kies wie dit mag lezen" in response.content.decode()
    assert Trajectnotitie.objects.get(pk=notitie.pk).laag == Laag.CLB
    # An entry of another trajectory: 404.
    ander = c.traject(w, leerling=w.leerling_b, begeleider=mw)
    vreemd = c.notitie(ander, mw)
    response = client.post(url, {"soort": "notitie", "id": vreemd.pk, "laag": "gedeeld"})
    assert response.status_code == 404
    assert Trajectnotitie.objects.get(pk=vreemd.pk).laag == Laag.CLB
    # An incomplete form: refused with a message.
    response = client.post(url, {"soort": "consultatie", "laag": "gedeeld"})
    assert response.status_code == 200
    assert "onvolledig" in response.content.decode()
    response = client.post(url, {"soort": "notitie", "id": notitie.pk, "laag": "gedeeld"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#notitie-{notitie.pk}")
    assert Trajectnotitie.objects.get(pk=notitie.pk).laag == Laag.GEDEELD
    assert TijdlijnItem.objects.filter(soort="clb", bron_id=notitie.pk).exists()


def test_another_clbs_entry_is_404(wereld, mw, client_voor):
    """Another CLB's trajectory of school 2 and its entries stay out of
    reach, whatever id is posted."""
    w = wereld
    ander_mw = w.users["clb_ander"]
    aanmelding = c.aanmelding(w.leerling_x, w.buitenstaander, status=Aanmelding.Status.AANVAARD)
    elders = HGDTraject.objects.create(
        aanmelding=aanmelding,
        leerling=w.leerling_x,
        clb=w.clb_ander,
        begeleider=ander_mw,
        hulpvraag="Vraag",
        geopend_op=VANDAAG(),
    )
    doel = c.doel(elders, ander_mw)
    eigen = c.traject(w, begeleider=mw)
    client = client_voor(mw)
    assert client.get(reverse("clb:traject_detail", args=[elders.pk])).status_code == 404
    assert client.get(reverse("clb:doel_bewerken", args=[eigen.pk, doel.pk])).status_code == 404
    response = client.post(
        reverse("clb:laag_wijzigen", args=[eigen.pk]),
        {"soort": "doel", "id": doel.pk, "laag": "clb"},
    )
    assert response.status_code == 404
    assert Doel.objects.get(pk=doel.pk).laag == Laag.GEDEELD


def test_editing_the_frame_shows_a_conflict_with_the_saved_state(mw, client_voor, traject):
    client = client_voor(mw)
    url = reverse("clb:traject_bewerken", args=[traject.pk])
    gegevens = {"stap": "strategie", "hulpvraag": "Vraag", "perspectief": "", "versie": 1}
    assert client.post(url, gegevens).status_code == 302
    response = client.post(url, {**gegevens, "stap": "advies", "perspectief": "Mijn tekst"})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="conflict"' in html and "Strategie" in html.title()
    assert "Mijn tekst" in html  # the input is kept
    assert response.context["form"]["versie"].value() == "2"
    assert HGDTraject.objects.get(pk=traject.pk).stap == Trajectstap.STRATEGIE


def test_editing_a_goal_shows_a_conflict(mw, client_voor, traject):
    doel = c.doel(traject, mw, omschrijving="Oud doel.")
    client = client_voor(mw)
    url = reverse("clb:doel_bewerken", args=[traject.pk, doel.pk])
    gegevens = {
        "status": "lopend",
        "omschrijving": "Nieuw doel.",
        "evaluatiedatum": doel.evaluatiedatum.isoformat(),
        "laag": "gedeeld",
        "versie": 1,
    }
    assert client.post(url, gegevens).status_code == 302
    response = client.post(url, {**gegevens, "omschrijving": "Nog anders."})
    assert response.status_code == 409
    assert "Nieuw doel." in response.content.decode()
    assert Doel.objects.get(pk=doel.pk).omschrijving == "Nieuw doel."


def test_closing_on_the_page(wereld, mw, client_voor, traject):
    client = client_voor(mw)
    url = reverse("clb:traject_afsluiten", args=[traject.pk])
    response = client.get(url)
    assert response.status_code == 200
    keuzes = [k for k, _ in response.context["form"].fields["uitkomst"].choices]
    assert keuzes == list(Uitkomst.values)
    response = client.post(url, {"versie": 1, "toelichting": "Zonder uitkomst"})
    assert response.status_code == 200
    assert "Kies de uitkomst van het traject." in response.content.decode()
    assert HGDTraject.objects.get(pk=traject.pk).status == HGDTraject.Status.LOPEND
    response = client.post(url, {"versie": 1, "uitkomst": "verslag_iac", "toelichting": ""})
    assert response.status_code == 302
    t = HGDTraject.objects.get(pk=traject.pk)
    assert (t.status, t.uitkomst) == ("afgesloten", "verslag_iac")


def test_closing_after_someone_else_changed_the_trajectory_shows_the_conflict(
    mw, client_voor, traject
):
    client = client_voor(mw)
    gegevens = {"stap": "strategie", "hulpvraag": "Vraag", "perspectief": "", "versie": 1}
    assert (
        client.post(reverse("clb:traject_bewerken", args=[traject.pk]), gegevens).status_code == 302
    )
    url = reverse("clb:traject_afsluiten", args=[traject.pk])
    response = client.post(
        url, {"versie": 1, "uitkomst": "advies_op_school", "toelichting": "Klaar"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="conflict"' in html and "Klaar" in html
    assert response.context["form"]["versie"].value() == "2"
    assert HGDTraject.objects.get(pk=traject.pk).status == HGDTraject.Status.LOPEND
    # The second, deliberate save closes it.
    response = client.post(
        url, {"versie": 2, "uitkomst": "advies_op_school", "toelichting": "Klaar"}
    )
    assert response.status_code == 302
    assert HGDTraject.objects.get(pk=traject.pk).status == HGDTraject.Status.AFGESLOTEN


def test_participants_and_needs_on_the_page(mw, client_voor, traject):
    client = client_voor(mw)
    response = client.post(
        reverse("clb:betrokkene_nieuw", args=[traject.pk]),
        {
            "soort": "ouders",
            "naam": "Sofie Peeters",
            "rol": "moeder",
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("clb:behoefte_nieuw", args=[traject.pk]),
        {
            "soort": "ondersteuning",
            "van": "context",
            "omschrijving": "Coaching",
            "laag": "clb",
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    assert Behoefte.objects.get().laag == Laag.CLB
    html = client.get(reverse("clb:traject_detail", args=[traject.pk])).content.decode()
    assert "Sofie Peeters" in html and "Coaching" in html


def test_every_read_is_audited(mw, client_voor, traject):
    client = client_voor(mw)
    doel = c.doel(traject, mw)
    for url in (
        reverse("clb:traject_detail", args=[traject.pk]),
        reverse("clb:traject_bewerken", args=[traject.pk]),
        reverse("clb:doel_nieuw", args=[traject.pk]),
        reverse("clb:doel_bewerken", args=[traject.pk, doel.pk]),
        reverse("clb:behoefte_nieuw", args=[traject.pk]),
        reverse("clb:notitie_nieuw", args=[traject.pk]),
        reverse("clb:betrokkene_nieuw", args=[traject.pk]),
        reverse("clb:traject_afsluiten", args=[traject.pk]),
        reverse("clb:traject_lijst"),
    ):
        voor = AuditEvent.objects.filter(actie=Actie.LEZEN).count()
        assert client.get(url).status_code == 200
        nieuw = AuditEvent.objects.filter(actie=Actie.LEZEN).order_by("-pk")[0]
        assert AuditEvent.objects.filter(actie=Actie.LEZEN).count() == voor + 1, url
        assert nieuw.leerling_id == traject.leerling_id, url


# --- the start page -----------------------------------------------------------------------


def test_the_start_page_card_lists_the_newest_waiting_referrals_first(wereld, mw, client_voor):
    w = wereld
    ander, traject_leerling = _meer_leerlingen(w, 2)
    c.aanmelding(w.leerling_a, w.zorgcoordinator, datum=_dagen(-5))
    c.aanmelding(w.leerling_b, w.zorgcoordinator, datum=_dagen(-1))
    # Registered last, dated earlier (a meeting's decision typed in today):
    # new to the CLB all the same.
    c.aanmelding(ander, w.zorgcoordinator, datum=_dagen(-10))
    c.aanmelding(w.leerling_x, w.buitenstaander)  # another CLB's school
    c.traject(w, leerling=traject_leerling, begeleider=mw)
    response = client_voor(mw).get(reverse("start"))
    html = response.content.decode()
    assert [a.leerling for a in response.context["clb_wachtend"]] == [
        ander,
        w.leerling_b,
        w.leerling_a,
    ]
    lijst = html[html.index('data-testid="clb-wachtend"') :]
    assert lijst.index(ander.volledige_naam) < lijst.index("Noah Janssens")
    assert lijst.index("Noah Janssens") < lijst.index("Lotte Peeters")
    assert "3 aanmeldingen wachten op het CLB" in html
    assert "Geen nieuwe aanmeldingen." not in html
    assert reverse("clb:aanmelding_lijst") in html
    assert reverse("clb:aanmelding_aanvaarden", args=[w.leerling_a.aanmeldingen.get().pk]) in html
    assert "1 lopend traject dat ik begeleid" in html
    assert reverse("clb:traject_lijst") + "?mijn=1" in html


def test_the_start_page_card_when_nothing_waits(wereld, mw, client_voor):
    html = client_voor(mw).get(reverse("start")).content.decode()
    assert "Geen nieuwe aanmeldingen." in html
    assert "0 lopende trajecten die ik begeleid" in html
    html = client_voor(wereld.zorgcoordinator).get(reverse("start")).content.decode()
    assert 'id="clb-aanmeldingen"' not in html


def test_the_start_page_card_has_a_fixed_number_of_queries(
    wereld, mw, client_voor, template_queries
):
    w = wereld
    client = client_voor(mw)
    c.aanmelding(w.leerling_a, w.zorgcoordinator)
    c.traject(w, leerling=w.leerling_b, begeleider=mw)
    klein = _queries(client, reverse("start"))
    for leerling in _meer_leerlingen(w, 14):
        c.aanmelding(leerling, w.zorgcoordinator)
    for leerling in _meer_leerlingen(w, 3):
        c.traject(w, leerling=leerling, begeleider=mw)
    response = client.get(reverse("start"))
    assert len(response.context["clb_wachtend"]) == 10
    html = response.content.decode()
    meer = html[html.index('data-testid="clb-wachtend-meer"') :]
    assert "De nieuwste 10 van 15: alle wachtende aanmeldingen" in meer
    assert meer.index(reverse("clb:aanmelding_lijst")) < meer.index("De nieuwste 10 van 15")
    assert _queries(client, reverse("start")) == klein
    assert template_queries == []
