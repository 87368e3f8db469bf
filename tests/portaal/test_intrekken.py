"""Revoking ends the person's sessions; a revoked guardian or student can
be invited again (a new link, the same account)."""

import re

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from portaal import services
from portaal.models import Portaaltoegang
from tests import factories as f
from tests.portaal.factories import ouder_met_toegang
from zorg.audit.models import Actie, AuditEvent

WACHTWOORD = "Vlinder-Tafel-2026!"


@pytest.fixture
def w(wereld):
    wereld.school.portaal_aan = True
    wereld.school.save(update_fields=["portaal_aan"])
    return wereld


def _link(bericht) -> str:
    basis = re.escape(settings.ZORG_BASE_URL)
    return re.search(rf"{basis}(/portaal/uitnodiging/\S+/)", bericht.body).group(1)


def _aangemeld(user) -> Client:
    """A browser of its own, signed in with the password (allauth's login
    page): the session is registered as a real sign-in is."""
    if not user.check_password(WACHTWOORD):
        user.set_password(WACHTWOORD)
        user.save(update_fields=["password"])
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": WACHTWOORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_a_revoked_guardians_next_request_is_signed_out_and_their_sessions_are_gone(w, client_voor):
    kind = reverse("portaal:kind", args=[w.leerling_a.pk])
    ouder = _aangemeld(w.ouder)
    tweede_toestel = _aangemeld(w.ouder)
    assert ouder.get(kind).status_code == 200
    sleutels = list(UserSession.objects.filter(user=w.ouder).values_list("session_key", flat=True))
    assert len(sleutels) == 2
    assert Session.objects.filter(session_key__in=sleutels).count() == 2

    toegang = Portaaltoegang.objects.get(user=w.ouder)
    zorg = client_voor(w.zorgcoordinator)
    assert zorg.post(reverse("portaal:intrekken", args=[toegang.pk])).status_code == 302

    for toestel in (ouder, tweede_toestel):
        response = toestel.get(kind)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not Session.objects.filter(session_key__in=sleutels).exists()
    assert not UserSession.objects.filter(user=w.ouder).exists()
    event = AuditEvent.objects.get(onderwerp="sessie", actie=Actie.AFMELDEN)
    assert event.gebruiker_id == w.zorgcoordinator.pk
    assert event.omschrijving.endswith("portaaltoegang ingetrokken")


def test_revoking_twice_ends_no_session_started_after_the_first_revocation(w, client_voor):
    toegang = Portaaltoegang.objects.get(user=w.ouder)
    services.portaaltoegang_intrekken(door=w.zorgcoordinator, toegang=toegang)
    ouder = _aangemeld(w.ouder)
    services.portaaltoegang_intrekken(door=w.zorgcoordinator, toegang=toegang)
    assert UserSession.objects.filter(user=w.ouder).count() == 1
    assert ouder.get(reverse("portaal:start")).status_code == 200


def test_staff_who_are_also_a_parent_keep_their_session_when_their_access_is_revoked(w):
    toegang = ouder_met_toegang(
        w.leerling_a,
        ouder=f.OuderFactory(leerling=w.leerling_a, email=w.leerkracht.email),
        user=w.leerkracht,
    )
    leerkracht = _aangemeld(w.leerkracht)
    services.portaaltoegang_intrekken(door=w.zorgcoordinator, toegang=toegang)
    assert UserSession.objects.filter(user=w.leerkracht).count() == 1
    assert leerkracht.get(reverse("start")).status_code == 200


def test_a_revoked_guardian_is_invited_again_with_a_new_link_for_the_same_account(
    w, client_voor, django_capture_on_commit_callbacks
):
    oud = Portaaltoegang.objects.get(user=w.ouder)
    zorg = client_voor(w.zorgcoordinator)
    zorg.post(reverse("portaal:intrekken", args=[oud.pk]))
    beheer = reverse("portaal:beheer", args=[w.leerling_a.pk])
    html = zorg.get(beheer).content.decode()
    assert html.count('data-testid="opnieuw-uitnodigen"') == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = zorg.post(
            beheer,
            {
                "sleutel": "5b0f7c1e-0d7e-4c53-9f0a-4a0c2d1c9e11",
                "opnieuw": "1",
                "wie": str(oud.ouder_id),
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [w.ouder.email]
    nieuw = Portaaltoegang.objects.get(user=w.ouder, ingetrokken_op__isnull=True)
    assert nieuw.pk != oud.pk and nieuw.aanvaard_op is None
    oud.refresh_from_db()
    assert oud.ingetrokken_op is not None  # the history stays
    # While the new invitation is open, the revoked row offers no second one.
    assert 'data-testid="opnieuw-uitnodigen"' not in zorg.get(beheer).content.decode()
    event = AuditEvent.objects.filter(onderwerp="portaaltoegang", actie=Actie.AANMAKEN).get()
    assert event.omschrijving == "opnieuw uitgenodigd na intrekking (ouder)"
    assert event.object_id == str(nieuw.pk)

    # The guardian keeps their password: they confirm, then sign in as usual.
    w.ouder.set_password(WACHTWOORD)
    w.ouder.save(update_fields=["password"])
    gast = Client()
    link = _link(mail.outbox[0])
    assert "Kies een wachtwoord" not in gast.get(link).content.decode()
    assert gast.post(link)["Location"] == reverse("account_login")
    nieuw.refresh_from_db()
    assert nieuw.aanvaard_op is not None
    assert gast.login(email=w.ouder.email, password=WACHTWOORD)
    assert gast.get(reverse("portaal:kind", args=[w.leerling_a.pk])).status_code == 200
    assert Portaaltoegang.objects.filter(user=w.ouder).count() == 2


def test_the_link_of_the_revoked_invitation_stays_dead_after_inviting_again(
    w, django_capture_on_commit_callbacks
):
    ouder = f.OuderFactory(leerling=w.leerling_b, naam="Bart Janssens", email="bart@ouders.example")
    with django_capture_on_commit_callbacks(execute=True):
        eerste = services.portaaltoegang_uitnodigen(
            door=w.zorgcoordinator, leerling=w.leerling_b, ouder=ouder
        )
    services.portaaltoegang_intrekken(door=w.zorgcoordinator, toegang=eerste)
    with django_capture_on_commit_callbacks(execute=True):
        tweede = services.portaaltoegang_uitnodigen(
            door=w.zorgcoordinator, leerling=w.leerling_b, ouder=ouder
        )
    assert tweede.user_id == eerste.user_id and tweede.pk != eerste.pk
    gast = Client()
    assert 'data-testid="uitnodiging-ongeldig"' in gast.get(_link(mail.outbox[0])).content.decode()
    assert "Kies een wachtwoord" in gast.get(_link(mail.outbox[1])).content.decode()
