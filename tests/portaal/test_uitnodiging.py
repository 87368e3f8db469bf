"""Inviting a guardian or the student, the link in the e-mail, accepting,
sending again and revoking: through the client, as the people do it."""

import datetime
import re
import uuid

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from portaal import services
from portaal.models import Portaaltoegang
from portaal.policies import leeftijd_op
from tests import factories as f
from tests.datums import lokaal
from zorg.audit.models import Actie, AuditEvent

WACHTWOORD = "Vlinder-Tafel-2026!"


@pytest.fixture
def school_met_portaal(wereld):
    wereld.school.portaal_aan = True
    wereld.school.save(update_fields=["portaal_aan"])
    return wereld


def _uitnodigen(client, leerling, sleutel=None, **data):
    return client.post(
        reverse("portaal:beheer", args=[leerling.pk]),
        {"sleutel": str(sleutel or uuid.uuid4()), **data},
    )


def _link(bericht) -> str:
    """The invitation's path, from the absolute link in the e-mail (whatever
    address ZORG_BASE_URL gives the installation)."""
    basis = re.escape(settings.ZORG_BASE_URL)
    return re.search(rf"{basis}(/portaal/uitnodiging/\S+/)", bericht.body).group(1)


def _nieuwe_ouder(wereld, email="bart@ouders.example"):
    return f.OuderFactory(leerling=wereld.leerling_b, naam="Bart Janssens", email=email)


def test_a_guardian_is_invited_accepts_and_reads_their_child(
    school_met_portaal, client_voor, django_capture_on_commit_callbacks
):
    w = school_met_portaal
    ouder = _nieuwe_ouder(w)
    client = client_voor(w.zorgcoordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _uitnodigen(client, w.leerling_b, wie=str(ouder.pk))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    bericht = mail.outbox[0]
    assert bericht.to == ["bart@ouders.example"]
    assert "Sint-Testcollege" in bericht.subject
    # The mail names no care content, only the school and the child's first name.
    assert "Janssens" not in bericht.body

    toegang = Portaaltoegang.objects.get(leerling=w.leerling_b)
    persoon = toegang.user
    assert not persoon.has_usable_password()
    assert not persoon.lidmaatschappen.exists()

    client.logout()
    link = _link(bericht)
    assert "Kies een wachtwoord" in client.get(link).content.decode()
    response = client.post(link, {"new_password1": WACHTWOORD, "new_password2": WACHTWOORD})
    assert response.status_code == 302 and response["Location"] == reverse("portaal:start")
    toegang.refresh_from_db()
    assert toegang.aanvaard_op is not None

    html = client.get(reverse("portaal:start")).content.decode()
    assert "Noah Janssens" in html
    assert client.get(reverse("portaal:kind", args=[w.leerling_b.pk])).status_code == 200

    client.logout()
    assert client.login(email="bart@ouders.example", password=WACHTWOORD)
    assert client.get(reverse("start"))["Location"] == reverse("portaal:start")

    acties = list(
        AuditEvent.objects.filter(onderwerp__in=["portaaltoegang", "portaal"])
        .order_by("pk")
        .values_list("actie", "leerling_id", "omschrijving")
    )
    assert (Actie.AANMAKEN, w.leerling_b.pk, "uitnodiging (ouder)") in acties
    assert (Actie.WIJZIGEN, w.leerling_b.pk, "uitnodiging aanvaard (ouder)") in acties
    assert any(a == Actie.LEZEN and "portaal (ouder)" in o for a, _l, o in acties)


def test_a_weak_password_is_refused_in_dutch_and_nothing_is_accepted(
    school_met_portaal, client_voor, django_capture_on_commit_callbacks
):
    w = school_met_portaal
    ouder = _nieuwe_ouder(w)
    with django_capture_on_commit_callbacks(execute=True):
        _uitnodigen(client_voor(w.zorgcoordinator), w.leerling_b, wie=str(ouder.pk))
    client = client_voor(None)
    response = client.post(_link(mail.outbox[0]), {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert "Dit wachtwoord bevat alleen cijfers." in response.content.decode()
    assert Portaaltoegang.objects.get(leerling=w.leerling_b).aanvaard_op is None


def test_the_same_address_in_other_capitals_reuses_the_account_for_a_sibling(school_met_portaal):
    w = school_met_portaal
    eerste = services.portaaltoegang_uitnodigen(
        door=w.zorgcoordinator, leerling=w.leerling_b, ouder=_nieuwe_ouder(w)
    )
    broer = f.leerling_in(w.klas_a, voornaam="Jonas", achternaam="Janssens")
    tweede = services.portaaltoegang_uitnodigen(
        door=w.zorgcoordinator,
        leerling=broer,
        ouder=f.OuderFactory(leerling=broer, email="Bart@Ouders.Example"),
    )
    assert tweede.user_id == eerste.user_id


def test_a_double_submitted_invitation_is_saved_and_mailed_once(
    school_met_portaal, client_voor, django_capture_on_commit_callbacks
):
    w = school_met_portaal
    ouder = _nieuwe_ouder(w)
    client = client_voor(w.zorgcoordinator)
    sleutel = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        _uitnodigen(client, w.leerling_b, sleutel, wie=str(ouder.pk))
        response = _uitnodigen(client, w.leerling_b, sleutel, wie=str(ouder.pk))
    assert response.status_code == 302
    assert Portaaltoegang.objects.filter(leerling=w.leerling_b).count() == 1
    assert len(mail.outbox) == 1


def test_the_link_works_for_seven_days_and_not_a_minute_longer(
    school_met_portaal, client_voor, django_capture_on_commit_callbacks
):
    w = school_met_portaal
    ouder = _nieuwe_ouder(w)
    # Sent on New Year's Eve, late: the week crosses into the new year.
    with (
        time_machine.travel(lokaal(2026, 12, 31, 23, 30), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.portaaltoegang_uitnodigen(
            door=w.zorgcoordinator, leerling=w.leerling_b, ouder=ouder
        )
    link = _link(mail.outbox[0])
    client = client_voor(None)
    with time_machine.travel(lokaal(2027, 1, 7, 23, 29), tick=False):
        assert "Kies een wachtwoord" in client.get(link).content.decode()
    with time_machine.travel(lokaal(2027, 1, 7, 23, 31), tick=False):
        html = client.get(link).content.decode()
        assert 'data-testid="uitnodiging-ongeldig"' in html
        client.post(link, {"new_password1": WACHTWOORD, "new_password2": WACHTWOORD})
    assert Portaaltoegang.objects.get(leerling=w.leerling_b).aanvaard_op is None


def test_accepting_twice_changes_nothing_and_says_so(
    school_met_portaal, client_voor, django_capture_on_commit_callbacks
):
    w = school_met_portaal
    ouder = _nieuwe_ouder(w)
    with django_capture_on_commit_callbacks(execute=True):
        services.portaaltoegang_uitnodigen(
            door=w.zorgcoordinator, leerling=w.leerling_b, ouder=ouder
        )
    link = _link(mail.outbox[0])
    client = client_voor(None)
    client.post(link, {"new_password1": WACHTWOORD, "new_password2": WACHTWOORD})
    eerst = Portaaltoegang.objects.get(leerling=w.leerling_b).aanvaard_op
    client.logout()
    response = client.post(
        link, {"new_password1": "Ander-Wachtwoord-99", "new_password2": "Ander-Wachtwoord-99"}
    )
    assert 'data-testid="uitnodiging-aanvaard"' in response.content.decode()
    assert Portaaltoegang.objects.get(leerling=w.leerling_b).aanvaard_op == eerst
    assert client.login(email="bart@ouders.example", password=WACHTWOORD)


def test_sending_again_mails_a_new_link_and_the_old_one_stops(
    school_met_portaal, client_voor, django_capture_on_commit_callbacks
):
    w = school_met_portaal
    ouder = _nieuwe_ouder(w)
    with (
        time_machine.travel(lokaal(2027, 3, 1, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.portaaltoegang_uitnodigen(
            door=w.zorgcoordinator, leerling=w.leerling_b, ouder=ouder
        )
    with time_machine.travel(lokaal(2027, 3, 2, 9), tick=False):
        client = client_voor(w.directie)
        with django_capture_on_commit_callbacks(execute=True):
            response = _uitnodigen(client, w.leerling_b, opnieuw="1", wie=str(ouder.pk))
        assert response.status_code == 302
        assert len(mail.outbox) == 2
        assert Portaaltoegang.objects.filter(leerling=w.leerling_b).count() == 1
        client = client_voor(None)
        assert (
            'data-testid="uitnodiging-ongeldig"'
            in client.get(_link(mail.outbox[0])).content.decode()
        )
        assert "Kies een wachtwoord" in client.get(_link(mail.outbox[1])).content.decode()


def test_revoking_ends_access_at_once(wereld, client_voor):
    w = wereld
    w.school.portaal_aan = True
    w.school.save(update_fields=["portaal_aan"])
    ouder = client_voor(w.ouder)
    kind = reverse("portaal:kind", args=[w.leerling_a.pk])
    assert ouder.get(kind).status_code == 200
    toegang = Portaaltoegang.objects.get(user=w.ouder)
    zorg = client_voor(w.zorgcoordinator)
    assert zorg.post(reverse("portaal:intrekken", args=[toegang.pk])).status_code == 302
    ouder = client_voor(w.ouder)
    assert ouder.get(kind).status_code == 404
    assert 'data-testid="portaal-leeg"' in ouder.get(reverse("portaal:start")).content.decode()
    event = AuditEvent.objects.get(onderwerp="portaaltoegang", actie=Actie.WIJZIGEN)
    assert event.omschrijving == "toegang ingetrokken (ouder)"


def test_a_revoked_link_no_longer_opens(
    school_met_portaal, django_capture_on_commit_callbacks, client_voor
):
    w = school_met_portaal
    with django_capture_on_commit_callbacks(execute=True):
        toegang = services.portaaltoegang_uitnodigen(
            door=w.zorgcoordinator, leerling=w.leerling_b, ouder=_nieuwe_ouder(w)
        )
    services.portaaltoegang_intrekken(door=w.zorgcoordinator, toegang=toegang)
    html = client_voor(None).get(_link(mail.outbox[0])).content.decode()
    assert 'data-testid="uitnodiging-ongeldig"' in html


def test_with_the_portal_off_the_page_says_so_and_offers_no_invitation(wereld, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    html = client.get(reverse("portaal:beheer", args=[wereld.leerling_a.pk])).content.decode()
    assert 'data-testid="portaal-uit"' in html
    assert "Uitnodiging versturen" not in html
    detail = client.get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
    assert "staat uit in deze school" in detail.content.decode()
    with pytest.raises(ValidationError):
        services.portaaltoegang_uitnodigen(
            door=wereld.zorgcoordinator,
            leerling=wereld.leerling_a,
            ouder=wereld.leerling_a.ouders.first(),
        )


def test_an_unknown_guardian_is_a_dutch_form_error_not_a_500(school_met_portaal, client_voor):
    w = school_met_portaal
    response = _uitnodigen(client_voor(w.zorgcoordinator), w.leerling_a, wie="999999")
    assert response.status_code == 200
    assert "Kies wie je uitnodigt." in response.content.decode()


# --- the student from 12 on ----------------------------------------------------------


@pytest.mark.parametrize(
    ("geboren", "dag", "mag"),
    [
        (datetime.date(2014, 9, 3), datetime.date(2026, 9, 2), False),
        (datetime.date(2014, 9, 3), datetime.date(2026, 9, 3), True),  # the 12th birthday
        (datetime.date(2016, 2, 29), datetime.date(2028, 2, 28), False),
        (datetime.date(2016, 2, 29), datetime.date(2028, 2, 29), True),  # leap day birthday
    ],
)
def test_a_student_is_invited_from_their_twelfth_birthday_on(
    school_met_portaal, django_capture_on_commit_callbacks, geboren, dag, mag
):
    w = school_met_portaal
    leerling = f.LeerlingFactory(school=w.school, geboortedatum=geboren)
    with (
        time_machine.travel(
            datetime.datetime.combine(dag, datetime.time(0, 5), tzinfo=lokaal(2026, 1, 1).tzinfo),
            tick=False,
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        if mag:
            services.portaaltoegang_uitnodigen(
                door=w.zorgcoordinator, leerling=leerling, email="Jules@Leerlingen.example"
            )
        else:
            with pytest.raises(ValidationError, match="vanaf 12 jaar"):
                services.portaaltoegang_uitnodigen(
                    door=w.zorgcoordinator, leerling=leerling, email="jules@leerlingen.example"
                )
    assert Portaaltoegang.objects.filter(leerling=leerling, soort="leerling").exists() is mag
    assert len(mail.outbox) == int(mag)
    if mag:
        leerling.refresh_from_db()
        assert leerling.email == "Jules@Leerlingen.example"


def test_born_on_a_leap_day_one_is_a_year_older_on_the_first_of_march():
    assert leeftijd_op(datetime.date(2016, 2, 29), datetime.date(2029, 2, 28)) == 12
    assert leeftijd_op(datetime.date(2016, 2, 29), datetime.date(2029, 3, 1)) == 13


def test_a_student_under_twelve_is_not_offered_on_the_page(school_met_portaal, client_voor):
    w = school_met_portaal
    jong = f.leerling_in(
        w.klas_a,
        voornaam="Bo",
        geboortedatum=datetime.date.today().replace(year=datetime.date.today().year - 11),
    )
    html = (
        client_voor(w.zorgcoordinator)
        .get(reverse("portaal:beheer", args=[jong.pk]))
        .content.decode()
    )
    assert 'data-testid="te-jong"' in html
    assert 'value="leerling"' not in html
