"""Requests to discuss a student: the services (rules, duplicates, the
notification to the care coordinators), the pages (who may ask, who may
withdraw) and the meetings section of the student page."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klassenraad.models import Beslissing, BeslissingSoort, Bespreekvraag, OverlegSoort
from klassenraad.services.agenda import bespreekvraag_intrekken, bespreekvraag_maken
from leerlingen.models import Inschrijving
from tests import factories as f
from tests.clb.factories import aanmelding
from tests.klassenraad import factories as k
from zorg.accounts.models import Rol
from zorg.audit.models import Actie, AuditEvent
from zorg.meldingen.models import Melding

CEL = Bespreekvraag.Waar.CEL
KLASSENRAAD = Bespreekvraag.Waar.KLASSENRAAD
CEL_TITEL = "Nieuwe vraag om een leerling te bespreken op de cel"


def _nieuw_url(leerling):
    return reverse("klassenraad:bespreekvraag_nieuw", args=[leerling.pk])


def _intrekken_url(vraag):
    return reverse("klassenraad:bespreekvraag_intrekken", args=[vraag.pk])


def _detail_url(leerling):
    return reverse("leerlingen:leerling_detail", args=[leerling.pk])


# --- the services -------------------------------------------------------------------


def test_a_teacher_asks_to_discuss_a_student_at_the_cell(wereld):
    w = wereld
    tweede = f.UserFactory()
    f.LidmaatschapFactory(user=tweede, school=w.school, rol=Rol.ZORGCOORDINATOR)
    # Not a care coordinator of this school, or not active: no notification.
    inactief = f.UserFactory(is_active=False)
    f.LidmaatschapFactory(user=inactief, school=w.school, rol=Rol.ZORGCOORDINATOR)

    vraag = bespreekvraag_maken(
        leerling=w.leerling_a, waar=CEL, reden="  Trekt zich terug.  ", door=w.leerkracht
    )

    assert (vraag.status, vraag.reden, vraag.gevraagd_door) == (
        "open",
        "Trekt zich terug.",
        w.leerkracht,
    )
    meldingen = Melding.objects.all()
    assert {m.ontvanger for m in meldingen} == {w.zorgcoordinator, tweede}
    for melding in meldingen:
        # Content-free: no name and no reason, a link to the student page.
        assert melding.titel == CEL_TITEL
        assert melding.tekst == ""
        assert "Lotte" not in melding.titel and "Peeters" not in melding.titel
        assert melding.link == _detail_url(w.leerling_a)
        assert melding.school == w.school
        assert melding.email_gevraagd is False
    event = AuditEvent.objects.get(onderwerp="bespreekvraag")
    assert (event.actie, event.leerling_id, event.object_id, event.gebruiker) == (
        Actie.AANMAKEN,
        w.leerling_a.pk,
        str(vraag.pk),
        w.leerkracht,
    )


def test_a_care_coordinators_own_request_does_not_notify_them(wereld):
    w = wereld
    bespreekvraag_maken(leerling=w.leerling_a, waar=CEL, reden="Zorgen.", door=w.zorgcoordinator)
    assert not Melding.objects.exists()


def test_a_request_for_the_class_council_notifies_nobody(wereld):
    w = wereld
    vraag = bespreekvraag_maken(
        leerling=w.leerling_a, waar=KLASSENRAAD, reden="Moe.", door=w.titularis
    )
    assert vraag.waar == KLASSENRAAD
    assert not Melding.objects.exists()


def _zonder_klas(w):
    Inschrijving.objects.filter(leerling=w.leerling_a).update(
        einde=timezone.localdate() - datetime.timedelta(days=1)
    )


@pytest.mark.usefixtures("schooljaar_onderweg")
@pytest.mark.parametrize(
    ("geval", "veld", "bericht"),
    [
        ("geen_reden", "reden", "Schrijf waarom je deze leerling wil laten bespreken."),
        ("te_lang", "reden", "De reden is te lang"),
        ("waar", "waar", "Kies waar de leerling besproken moet worden."),
        ("dubbel", "waar", "Je vroeg al om deze leerling te bespreken"),
        ("geen_klas", "waar", "zit nu in geen klas"),
    ],
)
def test_request_refusals(wereld, geval, veld, bericht):
    w = wereld
    waar = {"waar": "gang", "geen_klas": KLASSENRAAD}.get(geval, CEL)
    reden = {"geen_reden": " \n ", "te_lang": "x" * 2001}.get(geval, "Zorgen.")
    if geval == "dubbel":
        k.bespreekvraag(w.leerling_a, w.leerkracht, waar=CEL)
    if geval == "geen_klas":
        _zonder_klas(w)
    voor = Bespreekvraag.objects.count()

    with pytest.raises(ValidationError) as fout:
        bespreekvraag_maken(leerling=w.leerling_a, waar=waar, reden=reden, door=w.leerkracht)

    assert bericht in " ".join(fout.value.message_dict[veld])
    assert Bespreekvraag.objects.count() == voor
    assert not Melding.objects.exists()
    assert not AuditEvent.objects.filter(onderwerp="bespreekvraag").exists()


@pytest.mark.usefixtures("schooljaar_onderweg")
def test_the_same_request_is_fine_from_someone_else_elsewhere_or_after_the_first(wereld):
    w = wereld
    eerste = bespreekvraag_maken(leerling=w.leerling_a, waar=CEL, reden="a", door=w.leerkracht)
    bespreekvraag_maken(leerling=w.leerling_a, waar=CEL, reden="b", door=w.titularis)
    bespreekvraag_maken(leerling=w.leerling_a, waar=KLASSENRAAD, reden="c", door=w.leerkracht)
    bespreekvraag_intrekken(vraag=eerste, door=w.leerkracht)
    bespreekvraag_maken(leerling=w.leerling_a, waar=CEL, reden="d", door=w.leerkracht)
    # A student without a class can still go to the cell.
    _zonder_klas(w)
    bespreekvraag_maken(leerling=w.leerling_a, waar=CEL, reden="e", door=w.directie)
    assert Bespreekvraag.objects.filter(status="open").count() == 4


def test_withdrawing_a_request(wereld):
    w = wereld
    vraag = k.bespreekvraag(w.leerling_a, w.leerkracht)

    bespreekvraag_intrekken(vraag=vraag, door=w.leerkracht)

    vraag.refresh_from_db()
    assert vraag.status == "ingetrokken"
    event = AuditEvent.objects.get(onderwerp="bespreekvraag")
    assert (event.actie, event.leerling_id) == (Actie.WIJZIGEN, w.leerling_a.pk)


@pytest.mark.parametrize("status", ["ingepland", "ingetrokken"])
def test_only_an_open_request_is_withdrawn(wereld, status):
    w = wereld
    vraag = k.bespreekvraag(w.leerling_a, w.leerkracht, status=status)

    with pytest.raises(ValidationError, match="al op een agenda of werd al ingetrokken"):
        bespreekvraag_intrekken(vraag=vraag, door=w.leerkracht)

    vraag.refresh_from_db()
    assert vraag.status == status
    assert not AuditEvent.objects.exists()


# --- the pages ----------------------------------------------------------------------


def test_a_teacher_of_the_student_asks_through_the_page(wereld, client_voor):
    w = wereld
    client = client_voor(w.leerkracht)

    pagina = client.get(_nieuw_url(w.leerling_a))
    assert pagina.status_code == 200
    antwoord = client.post(
        _nieuw_url(w.leerling_a),
        {
            "waar": "cel",
            "reden": "Huilt vaak.",
            "sleutel": str(uuid.uuid4()),
        },
        follow=True,
    )

    assert antwoord.redirect_chain == [(_detail_url(w.leerling_a), 302)]
    assert "Je vraag is doorgegeven" in antwoord.content.decode()
    vraag = Bespreekvraag.objects.get()
    assert (vraag.leerling, vraag.waar, vraag.reden, vraag.gevraagd_door) == (
        w.leerling_a,
        CEL,
        "Huilt vaak.",
        w.leerkracht,
    )
    assert Melding.objects.get().ontvanger == w.zorgcoordinator


def test_the_form_shows_the_rules_messages(wereld, client_voor):
    w = wereld
    client = client_voor(w.titularis)

    leeg = client.post(
        _nieuw_url(w.leerling_a),
        {
            "waar": "cel",
            "reden": "",
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert "Schrijf waarom je deze leerling wil laten bespreken." in leeg.content.decode()
    client.post(
        _nieuw_url(w.leerling_a),
        {
            "waar": "klassenraad",
            "reden": "Moe.",
            "sleutel": str(uuid.uuid4()),
        },
    )
    dubbel = client.post(
        _nieuw_url(w.leerling_a),
        {
            "waar": "klassenraad",
            "reden": "Moe.",
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert dubbel.status_code == 200
    html = dubbel.content.decode()
    assert "Je vroeg al om deze leerling te bespreken op de begeleidende klassenraad" in html
    assert Bespreekvraag.objects.count() == 1


@pytest.mark.parametrize(
    "rol", ["leerkracht_b", "secretariaat", "beheerder", "clb", "clb_ander", "buitenstaander"]
)
def test_who_does_not_teach_the_student_cannot_ask(wereld, client_voor, rol):
    w = wereld
    if rol in ("clb", "clb_ander"):
        # A referral lets the CLB of the school read her record, not ask.
        aanmelding(w.leerling_a, w.zorgcoordinator)
    client = client_voor(w.users[rol])
    assert client.get(_nieuw_url(w.leerling_a)).status_code == 404
    antwoord = client.post(_nieuw_url(w.leerling_a), {"waar": "cel", "reden": "x"})
    assert antwoord.status_code == 404
    assert not Bespreekvraag.objects.exists()


def test_a_teacher_asks_only_about_their_own_students(wereld, client_voor):
    w = wereld
    client = client_voor(w.leerkracht)
    antwoord = client.post(_nieuw_url(w.leerling_b), {"waar": "cel", "reden": "x"})
    assert antwoord.status_code == 404
    assert not Bespreekvraag.objects.exists()


def test_withdrawing_through_the_page(wereld, client_voor):
    w = wereld
    eigen = k.bespreekvraag(w.leerling_a, w.leerkracht)
    van_titularis = k.bespreekvraag(w.leerling_a, w.titularis)

    # Another teacher of the student does not see someone else's request.
    assert client_voor(w.leerkracht).post(_intrekken_url(van_titularis)).status_code == 404
    antwoord = client_voor(w.leerkracht).post(_intrekken_url(eigen), follow=True)
    assert antwoord.redirect_chain == [(_detail_url(w.leerling_a), 302)]
    assert "is ingetrokken" in antwoord.content.decode()
    # The care team withdraws anyone's.
    assert client_voor(w.zorgcoordinator).post(_intrekken_url(van_titularis)).status_code == 302
    eigen.refresh_from_db()
    van_titularis.refresh_from_db()
    assert (eigen.status, van_titularis.status) == ("ingetrokken", "ingetrokken")

    # Twice: a message, not an error page.
    antwoord = client_voor(w.leerkracht).post(_intrekken_url(eigen), follow=True)
    assert "al op een agenda of werd al ingetrokken" in antwoord.content.decode()


@pytest.mark.parametrize("rol", ["titularis", "clb", "secretariaat", "buitenstaander"])
def test_others_cannot_withdraw_a_request(wereld, client_voor, rol):
    w = wereld
    if rol == "clb":
        aanmelding(w.leerling_a, w.zorgcoordinator)  # reaches her, still no
    vraag = k.bespreekvraag(w.leerling_a, w.leerkracht)
    assert client_voor(w.users[rol]).post(_intrekken_url(vraag)).status_code == 404
    vraag.refresh_from_db()
    assert vraag.status == "open"


# --- the section on the student page -------------------------------------------------


def _sectie(client, leerling):
    antwoord = client.get(_detail_url(leerling))
    assert antwoord.status_code == 200
    for sectie in antwoord.context["secties"]:
        if sectie.get("onderdeel") == "overleg":
            return sectie, antwoord.content.decode()
    return None, antwoord.content.decode()


def _geschiedenis(w):
    cel = k.overleg(w, OverlegSoort.CEL, dagen=-14)
    raad = k.overleg(w, OverlegSoort.BEGELEIDEND, dagen=-7)
    for overleg, tekst in ((cel, "Aanmelden bij het CLB."), (raad, "Extra tijd bij toetsen.")):
        punt = k.agendapunt(overleg, w.leerling_a)
        Beslissing.objects.create(
            agendapunt=punt, soort=BeslissingSoort.AFSPRAAK, tekst=tekst, door=w.zorgcoordinator
        )
    # Another student's item is not this student's history.
    k.agendapunt(cel, w.leerling_b)
    return cel, raad


def test_the_section_for_a_teacher_of_the_student(wereld, client_voor):
    w = wereld
    _cel, raad = _geschiedenis(w)
    eigen = k.bespreekvraag(w.leerling_a, w.leerkracht, reden="Mijn vraag.")
    k.bespreekvraag(w.leerling_a, w.titularis, reden="Vraag van een ander.")

    sectie, html = _sectie(client_voor(w.leerkracht), w.leerling_a)

    assert sectie["kan_vragen"] is True
    assert _nieuw_url(w.leerling_a) in html
    assert "Bespreken op de cel of de klassenraad" in html
    assert sectie["vragen"] == [eigen]
    assert "Vraag van een ander." not in html
    assert _intrekken_url(eigen) in html
    # The class council of 3A, not the care cell.
    assert [p["overleg"] for p in sectie["punten"]] == [raad]
    assert "Extra tijd bij toetsen." in html
    assert "Aanmelden bij het CLB." not in html
    assert reverse("klassenraad:overleg_detail", args=[raad.pk]) in html


def test_the_section_for_the_care_team_and_the_clb(wereld, client_voor):
    w = wereld
    cel, raad = _geschiedenis(w)
    k.bespreekvraag(w.leerling_a, w.leerkracht, reden="Vraag 1.")
    k.bespreekvraag(w.leerling_a, w.titularis, reden="Vraag 2.")
    k.bespreekvraag(w.leerling_a, w.titularis, reden="Oud.", status="ingetrokken")

    sectie, html = _sectie(client_voor(w.zorgcoordinator), w.leerling_a)
    assert [v.reden for v in sectie["vragen"]] == ["Vraag 1.", "Vraag 2."]
    assert all(v.kan_intrekken for v in sectie["vragen"])
    assert [p["overleg"] for p in sectie["punten"]] == [raad, cel]
    assert [b.tekst for b in sectie["punten"][1]["beslissingen"]] == ["Aanmelden bij het CLB."]

    # The CLB without a referral does not reach her page at all.
    clb = client_voor(w.users["clb"])
    assert clb.get(_detail_url(w.leerling_a)).status_code == 404
    # With one, it sees the care cell, asks nothing, sees no teachers' requests.
    aanmelding(w.leerling_a, w.zorgcoordinator)
    sectie, html = _sectie(clb, w.leerling_a)
    assert sectie["kan_vragen"] is False
    assert sectie["vragen"] == []
    assert [p["overleg"] for p in sectie["punten"]] == [cel]
    assert "Bespreken op de cel of de klassenraad" not in html


@pytest.mark.parametrize("rol", ["secretariaat", "beheerder"])
def test_no_section_without_access_to_the_care_record(wereld, client_voor, rol):
    w = wereld
    _geschiedenis(w)
    k.bespreekvraag(w.leerling_a, w.leerkracht)
    sectie, html = _sectie(client_voor(w.users[rol]), w.leerling_a)
    assert sectie is None
    assert 'data-testid="sectie-overleg"' not in html


def test_the_clb_without_history_gets_no_section(wereld, client_voor):
    w = wereld
    aanmelding(w.leerling_a, w.zorgcoordinator)  # the CLB reaches her page
    sectie, _html = _sectie(client_voor(w.users["clb"]), w.leerling_a)
    assert sectie is None


def test_the_section_shows_the_ten_latest_meetings_at_a_fixed_cost(
    wereld, client_voor, template_queries
):
    w = wereld
    client = client_voor(w.zorgcoordinator)

    def meet():
        client.get(_detail_url(w.leerling_a))
        with CaptureQueriesContext(connection) as ctx:
            sectie, _html = _sectie(client, w.leerling_a)
        return len(ctx.captured_queries), sectie

    def vergaderingen(aantal, begin):
        for i in range(aantal):
            overleg = k.overleg(w, OverlegSoort.CEL, dagen=-(begin + i))
            punt = k.agendapunt(overleg, w.leerling_a)
            for j in range(2):
                Beslissing.objects.create(
                    agendapunt=punt,
                    soort=BeslissingSoort.AFSPRAAK,
                    tekst=f"Afspraak {i}.{j}",
                    door=w.zorgcoordinator,
                )
            k.bespreekvraag(w.leerling_a, f.UserFactory())

    vergaderingen(2, 1)
    weinig, sectie = meet()
    assert len(sectie["punten"]) == 2
    vergaderingen(20, 10)
    veel, sectie = meet()

    assert len(sectie["punten"]) == 10
    # Newest first.
    assert [p["overleg"].moment for p in sectie["punten"]] == sorted(
        (p["overleg"].moment for p in sectie["punten"]), reverse=True
    )
    assert veel == weinig, f"{weinig} queries with 2 meetings, {veel} with 22"
    assert template_queries == []
