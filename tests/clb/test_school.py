"""What the school sees of the CLB's work: the trajectory page per student
(the shared layer only, at the school's own levels), the section on the
student page, and the CLB's written consultation in phase 1 (its rules,
what it writes, who may give one)."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clb.models import (
    Betrokkene,
    Consultatie,
    HGDTraject,
    Laag,
    Trajectnotitie,
    Trajectstap,
    Uitkomst,
)
from clb.services.consultaties import consultatie_geven
from clb.views import school as school_views
from leerlingen.models import Leerling, TijdlijnItem, Zichtbaarheid, Zorgfase
from leerlingen.policies import get_leerling_for_user
from tests import factories as f
from tests.clb import factories as c
from tests.klassenraad.factories import agendapunt, overleg
from zorg.accounts.models import Rol
from zorg.audit.models import Actie, AuditEvent
from zorg.meldingen.models import Melding

VANDAAG = timezone.localdate


def _fase(w, soort) -> Zorgfase:
    return Zorgfase.objects.get(schooltype=w.school.schooltype, soort=soort)


def _in_fase(w, leerling, soort) -> None:
    Leerling.objects.filter(pk=leerling.pk).update(zorgfase=_fase(w, soort))
    leerling.refresh_from_db()


def _traject(w, **velden) -> HGDTraject:
    velden.setdefault("perspectief", "Lotte haalt het A-attest in haar eigen richting.")
    return c.traject(w, begeleider=w.users["clb"], **velden)


def _op_de_cel(w, leerling, medewerker=None):
    """Put `leerling` on a care cell the CLB worker attends: in their reach."""
    cel = overleg(w, moment=timezone.now())
    cel.deelnemers.add(medewerker or w.users["clb"])
    agendapunt(cel, leerling)
    return cel


def _vol_traject(w):
    """A trajectory with one shared and one CLB-only entry of each kind."""
    t = _traject(w, stap=Trajectstap.ADVIES)
    clb = w.users["clb"]
    c.doel(t, clb, omschrijving="Gedeeld doel: plant het huiswerk zelf.", dagen=-1)
    c.doel(t, clb, omschrijving="Vertrouwelijk doel over de thuissituatie.", laag=Laag.CLB)
    c.behoefte(t, clb, omschrijving="Gedeelde behoefte: korte opdrachten.")
    c.behoefte(t, clb, omschrijving="Vertrouwelijke behoefte van het gezin.", laag=Laag.CLB)
    for soort in Trajectnotitie.Soort:
        c.notitie(t, clb, soort=soort, laag=Laag.GEDEELD, tekst=f"Gedeeld {soort.value}.")
        c.notitie(
            t,
            clb,
            soort=soort,
            laag=Laag.CLB,
            tekst=f"Vertrouwelijk {soort.value}.",
            deelnemers="huisarts",
        )
    Betrokkene.objects.create(traject=t, soort=Betrokkene.Soort.OUDERS, naam="Sofie Peeters")
    return t


def _url(leerling):
    return reverse("clb:traject_school", args=[leerling.pk])


# --- the trajectory page ------------------------------------------------------------


def test_the_care_team_sees_the_state_and_the_whole_shared_layer(
    wereld, client_voor, template_queries
):
    w = wereld
    _vol_traject(w)
    client = client_voor(w.zorgcoordinator)  # logging in is audited too
    voor = AuditEvent.objects.count()

    response = client.get(_url(w.leerling_a))

    assert response.status_code == 200
    html = response.content.decode()
    for gedeeld in (
        "stap: advies",  # the stage
        str(w.users["clb"].get_full_name() or w.users["clb"].email),
        "Hoe helpen we Lotte",  # the question for help
        "eigen richting",  # the perspective
        "Gedeeld doel",
        "Gedeelde behoefte",
        "Gedeeld advies.",
        "Gedeeld afspraak.",
        "Gedeeld overleg.",
        "Gedeeld notitie.",
        "Gedeeld onderzoek.",
        "Gedeeld derden.",
        "Sofie Peeters",
    ):
        assert gedeeld in html, gedeeld
    assert "Vertrouwelijk" not in html
    assert "huisarts" not in html
    assert 'aria-current="step"' in html
    assert template_queries == []
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() == voor + 1
    assert (event.actie, event.onderwerp, event.leerling_id) == (
        Actie.LEZEN,
        "hgd_traject",
        w.leerling_a.pk,
    )


def test_a_teacher_sees_the_state_goals_and_advice_not_the_care_teams_part(wereld, client_voor):
    w = wereld
    _vol_traject(w)

    response = client_voor(w.leerkracht).get(_url(w.leerling_a))

    assert response.status_code == 200
    html = response.content.decode()
    for gedeeld in ("eigen richting", "Gedeeld doel", "Gedeeld advies."):
        assert gedeeld in html, gedeeld
    for zorgteam in (
        "Hoe helpen we Lotte",
        "Gedeelde behoefte",
        "Gedeeld afspraak.",
        "Gedeeld overleg.",
        "Gedeeld notitie.",
        "Sofie Peeters",
    ):
        assert zorgteam not in html, zorgteam
    assert "Vertrouwelijk" not in html
    assert response.context["zorgteam"] is False


def test_a_closed_trajectory_shows_its_outcome(wereld, client_voor):
    w = wereld
    _traject(
        w,
        status=HGDTraject.Status.AFGESLOTEN,
        uitkomst=Uitkomst.EXTERNE_HULP,
        uitkomst_toelichting="Verder bij het CGG.",
        afgesloten_op=VANDAAG(),
    )
    html = client_voor(w.zorgcoordinator).get(_url(w.leerling_a)).content.decode()
    assert "Doorverwijzing naar externe hulp" in html
    assert "Verder bij het CGG." in html


def test_written_consultations_are_on_the_trajectory_page(wereld, client_voor):
    w = wereld
    _traject(w)
    c.consultatie(w.leerling_a, w.clb, w.users["clb"], advies="Zet Lotte vooraan.")
    html = client_voor(w.leerkracht).get(_url(w.leerling_a)).content.decode()
    assert "Zet Lotte vooraan." in html


@pytest.mark.parametrize("rol", ["zorgcoordinator", "leerkracht", "clb"])
def test_without_a_trajectory_the_page_does_not_exist(wereld, client_voor, rol):
    w = wereld
    c.aanmelding(w.leerling_a, w.zorgcoordinator)  # the CLB reaches her
    assert client_voor(w.users[rol]).get(_url(w.leerling_a)).status_code == 404


@pytest.mark.parametrize(
    "rol", ["secretariaat", "beheerder", "leerkracht_b", "clb_ander", "buitenstaander"]
)
def test_whoever_may_not_read_the_students_care_gets_404(wereld, client_voor, rol):
    w = wereld
    _vol_traject(w)
    assert client_voor(w.users[rol]).get(_url(w.leerling_a)).status_code == 404


def test_the_clb_worker_sees_the_schools_view_with_a_link_to_their_own_file(wereld, client_voor):
    w = wereld
    t = _vol_traject(w)
    response = client_voor(w.users["clb"]).get(_url(w.leerling_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("clb:traject_detail", args=[t.pk]) in html
    assert "Vertrouwelijk" not in html
    # The school does not get that link.
    html = client_voor(w.zorgcoordinator).get(_url(w.leerling_a)).content.decode()
    assert reverse("clb:traject_detail", args=[t.pk]) not in html


def _vul(w, t, aantal):
    clb = w.users["clb"]
    for i in range(aantal):
        c.doel(t, clb, omschrijving=f"Doel {i}")
        c.doel(t, clb, omschrijving=f"Geheim doel {i}", laag=Laag.CLB)
        c.behoefte(t, clb)
        c.notitie(t, clb, soort=Trajectnotitie.Soort.ADVIES, laag=Laag.GEDEELD)
        c.notitie(t, clb, soort=Trajectnotitie.Soort.AFSPRAAK, laag=Laag.GEDEELD)
        c.notitie(t, clb)
        Betrokkene.objects.create(traject=t, soort=Betrokkene.Soort.EXTERN, naam=f"Partner {i}")
        c.consultatie(w.leerling_a, w.clb, clb)


@pytest.mark.parametrize("rol", ["zorgcoordinator", "leerkracht"])
def test_the_page_costs_a_fixed_number_of_queries(wereld, client_voor, template_queries, rol):
    w = wereld
    t = _traject(w)
    client = client_voor(w.users[rol])
    url = _url(w.leerling_a)

    def meet():
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    _vul(w, t, 2)
    weinig, _response = meet()
    _vul(w, t, 30)
    _traject(w)  # a second trajectory
    veel, response = meet()

    assert len(response.context["rijen"]) == 2
    assert veel == weinig, f"{weinig} queries for a few entries, {veel} for many"
    assert veel <= 16
    assert template_queries == []


# --- the section on the student page --------------------------------------------------


def _sectie(user, leerling):
    request = RequestFactory().get("/")
    request.user = user
    return school_views.sectie(request, get_leerling_for_user(user, leerling.pk))


def test_the_section_shows_the_state_the_next_review_and_the_shared_goals_due(wereld, client_voor):
    w = wereld
    t = _traject(w, stap=Trajectstap.STRATEGIE)
    clb = w.users["clb"]
    c.doel(t, clb, omschrijving="Gedeeld en te evalueren.", dagen=-2)
    c.doel(t, clb, omschrijving="Gedeeld en later.", dagen=20)
    c.doel(t, clb, omschrijving="Vertrouwelijk en te evalueren.", laag=Laag.CLB, dagen=-5)

    response = client_voor(w.zorgcoordinator).get(
        reverse("leerlingen:leerling_detail", args=[w.leerling_a.pk])
    )

    html = response.content.decode()
    assert 'data-testid="sectie-clb"' in html
    assert '<span class="badge text-bg-primary">strategie</span>' in html
    assert "Gedeeld en te evalueren." in html
    assert "Gedeeld en later." not in html  # not due yet: only its date counts
    assert "Vertrouwelijk" not in html
    volgende = (VANDAAG() - datetime.timedelta(days=2)).strftime("%d/%m/%Y")
    assert f"Volgende evaluatie van een doel: {volgende}" in html
    assert _url(w.leerling_a) in html
    assert reverse("clb:traject_detail", args=[t.pk]) not in html


def test_the_section_is_absent_when_there_is_nothing_to_show(wereld):
    w = wereld
    assert _sectie(w.zorgcoordinator, w.leerling_a) is None
    _traject(w)
    # The secretariat reads no care content at all.
    assert _sectie(w.secretariaat, w.leerling_a) is None
    assert _sectie(w.zorgcoordinator, w.leerling_a)["trajecten"]


def test_a_phase_1_student_shows_the_consultations(wereld):
    w = wereld
    c.consultatie(w.leerling_a, w.clb, w.users["clb"], advies="Zet Lotte vooraan.")
    context = _sectie(w.leerkracht, w.leerling_a)
    assert [k.advies for k in context["consultaties"]] == ["Zet Lotte vooraan."]
    assert not context["kan_consulteren"]


def test_the_clb_worker_may_consult_in_phase_1_and_finds_their_own_file(wereld):
    w = wereld
    _in_fase(w, w.leerling_a, Zorgfase.Soort.VERHOOGD)
    _op_de_cel(w, w.leerling_a)
    assert _sectie(w.users["clb"], w.leerling_a)["kan_consulteren"]
    # The school's care team does not give CLB consultations.
    assert _sectie(w.zorgcoordinator, w.leerling_a) is None

    _in_fase(w, w.leerling_a, Zorgfase.Soort.UITBREIDING)
    t = _traject(w)
    context = _sectie(w.users["clb"], w.leerling_a)
    assert not context["kan_consulteren"]
    assert [r["eigen_dossier"] for r in context["trajecten"]] == [True]
    assert t.pk == context["trajecten"][0]["traject"].pk


def test_the_section_costs_a_fixed_number_of_queries(wereld):
    w = wereld
    t = _traject(w)
    _vul(w, t, 2)
    _sectie(w.zorgcoordinator, w.leerling_a)  # the user's scope, cached on the user
    with CaptureQueriesContext(connection) as weinig:
        _sectie(w.zorgcoordinator, w.leerling_a)
    _vul(w, t, 20)
    _traject(w)
    with CaptureQueriesContext(connection) as veel:
        context = _sectie(w.zorgcoordinator, w.leerling_a)
    assert len(context["trajecten"]) == 2
    assert len(veel.captured_queries) == len(weinig.captured_queries)
    # The student, the trajectories, the consultations, the running goals.
    assert len(veel.captured_queries) <= 4


def test_the_student_page_renders_the_section_without_template_queries(
    wereld, client_voor, template_queries
):
    w = wereld
    t = _traject(w)
    _vul(w, t, 2)
    response = client_voor(w.titularis).get(
        reverse("leerlingen:leerling_detail", args=[w.leerling_a.pk])
    )
    assert 'data-testid="sectie-clb"' in response.content.decode()
    assert template_queries == []


# --- the written consultation -----------------------------------------------------------


def _consultatie_url(leerling):
    return reverse("clb:consultatie_nieuw", args=[leerling.pk])


def _tellingen():
    return {
        "consultaties": Consultatie.objects.count(),
        "tijdlijn": TijdlijnItem.objects.count(),
        "meldingen": Melding.objects.count(),
    }


def test_a_consultation_in_phase_1_goes_on_the_timeline_and_notifies_the_care_coordinators(
    wereld, client_voor
):
    w = wereld
    _in_fase(w, w.leerling_a, Zorgfase.Soort.VERHOOGD)
    _op_de_cel(w, w.leerling_a)
    tweede = f.UserFactory(email="zorg2@test.example")
    f.LidmaatschapFactory(user=tweede, school=w.school, rol=Rol.ZORGCOORDINATOR)
    client = client_voor(w.users["clb"])
    assert client.get(_consultatie_url(w.leerling_a)).status_code == 200

    response = client.post(
        _consultatie_url(w.leerling_a),
        {
            "vraag": "Hoe gaan we om met het uitstelgedrag?",
            "advies": "Werk met een planning.",
            "sleutel": str(uuid.uuid4()),
        },
    )

    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("leerlingen:leerling_detail", args=[w.leerling_a.pk]) + "#clb"
    )
    consultatie = Consultatie.objects.get()
    assert (consultatie.leerling, consultatie.clb, consultatie.door) == (
        w.leerling_a,
        w.clb,
        w.users["clb"],
    )
    assert consultatie.datum == VANDAAG()
    assert consultatie.vraag == "Hoe gaan we om met het uitstelgedrag?"
    item = TijdlijnItem.objects.get(bron_type="clb.consultatie", bron_id=consultatie.pk)
    assert item.soort == TijdlijnItem.Soort.CLB
    assert item.titel == "CLB-consultatie"
    assert item.tekst == "Werk met een planning."
    assert item.zichtbaarheid == Zichtbaarheid.KLASTEAM
    meldingen = Melding.objects.order_by("ontvanger_id")
    assert {m.ontvanger for m in meldingen} == {w.zorgcoordinator, tweede}
    # Content-free: no name, no advice.
    for melding in meldingen:
        assert "planning" not in melding.titel + melding.tekst
        assert "Lotte" not in melding.titel + melding.tekst
    event = AuditEvent.objects.filter(onderwerp="clb_consultatie", actie=Actie.AANMAKEN).get()
    assert event.leerling_id == w.leerling_a.pk
    assert "planning" not in event.omschrijving
    # The class team reads it on the timeline.
    tijdlijn = client_voor(w.leerkracht).get(reverse("leerlingen:tijdlijn", args=[w.leerling_a.pk]))
    assert "Werk met een planning." in tijdlijn.content.decode()


@pytest.mark.parametrize("soort", [Zorgfase.Soort.BASISZORG, Zorgfase.Soort.UITBREIDING])
def test_outside_phase_1_the_form_explains_and_nothing_is_saved(wereld, client_voor, soort):
    w = wereld
    _in_fase(w, w.leerling_a, soort)
    _op_de_cel(w, w.leerling_a)
    client = client_voor(w.users["clb"])
    voor = _tellingen()

    response = client.get(_consultatie_url(w.leerling_a))
    assert response.status_code == 200
    assert 'data-testid="niet-in-fase-1"' in response.content.decode()
    assert "HGD-traject" in response.content.decode()
    assert response.context["mogelijk"] is False

    response = client.post(_consultatie_url(w.leerling_a), {"advies": "Toch een advies."})
    assert response.status_code == 200
    assert 'data-testid="niet-in-fase-1"' in response.content.decode()
    assert _tellingen() == voor


def test_the_service_refuses_outside_phase_1_too(wereld):
    w = wereld
    _in_fase(w, w.leerling_a, Zorgfase.Soort.UITBREIDING)
    voor = _tellingen()
    with pytest.raises(ValidationError) as fout:
        consultatie_geven(
            leerling=w.leerling_a, clb=w.clb, vraag="", advies="Advies.", door=w.users["clb"]
        )
    assert "fase 1" in " ".join(fout.value.messages)
    assert _tellingen() == voor


def test_an_empty_advice_is_refused_with_a_clear_message(wereld, client_voor):
    w = wereld
    _in_fase(w, w.leerling_a, Zorgfase.Soort.VERHOOGD)
    _op_de_cel(w, w.leerling_a)
    voor = _tellingen()

    response = client_voor(w.users["clb"]).post(
        _consultatie_url(w.leerling_a),
        {
            "vraag": "Een vraag",
            "advies": "   ",
            "sleutel": str(uuid.uuid4()),
        },
    )

    assert response.status_code == 200
    assert "Schrijf het advies" in " ".join(response.context["form"].errors["advies"])
    assert _tellingen() == voor


def test_the_service_refuses_a_clb_that_does_not_serve_the_school(wereld):
    w = wereld
    _in_fase(w, w.leerling_a, Zorgfase.Soort.VERHOOGD)
    voor = _tellingen()
    with pytest.raises(ValidationError) as fout:
        consultatie_geven(
            leerling=w.leerling_a,
            clb=w.clb_ander,
            vraag="",
            advies="Advies.",
            door=w.users["clb_ander"],
        )
    assert "bedient" in " ".join(fout.value.messages)
    assert _tellingen() == voor


def test_a_clb_worker_who_does_not_reach_the_student_gets_404(wereld, client_voor):
    w = wereld
    _in_fase(w, w.leerling_a, Zorgfase.Soort.VERHOOGD)
    # No referral, no care cell: the school's CLB does not reach her.
    client = client_voor(w.users["clb"])
    assert client.get(_consultatie_url(w.leerling_a)).status_code == 404
    assert client.post(_consultatie_url(w.leerling_a), {"advies": "x"}).status_code == 404
    assert Consultatie.objects.count() == 0


def test_another_clb_gets_404(wereld, client_voor):
    w = wereld
    _in_fase(w, w.leerling_a, Zorgfase.Soort.VERHOOGD)
    _op_de_cel(w, w.leerling_a)
    client = client_voor(w.users["clb_ander"])
    assert client.get(_consultatie_url(w.leerling_a)).status_code == 404
    assert client.post(_consultatie_url(w.leerling_a), {"advies": "x"}).status_code == 404
    assert Consultatie.objects.count() == 0


@pytest.mark.parametrize("rol", ["zorgcoordinator", "directie", "titularis"])
def test_the_school_does_not_give_clb_consultations(wereld, client_voor, rol):
    w = wereld
    _in_fase(w, w.leerling_a, Zorgfase.Soort.VERHOOGD)
    _op_de_cel(w, w.leerling_a)
    response = client_voor(w.users[rol]).post(_consultatie_url(w.leerling_a), {"advies": "x"})
    assert response.status_code == 404
    assert Consultatie.objects.count() == 0


def test_the_consultation_form_runs_no_template_queries(wereld, client_voor, template_queries):
    w = wereld
    _in_fase(w, w.leerling_a, Zorgfase.Soort.VERHOOGD)
    _op_de_cel(w, w.leerling_a)
    response = client_voor(w.users["clb"]).get(_consultatie_url(w.leerling_a))
    assert response.status_code == 200
    assert template_queries == []
