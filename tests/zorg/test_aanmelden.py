"""Issue 15, findings 1 and 2: the client's address behind the proxy, the
sign-in throttle that protects accounts without handing out lockouts, and
one sign-in (allauth, with MFA and the throttle) for the platform's admin."""

import datetime
import zoneinfo

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core import mail
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from tests.factories import WACHTWOORD
from zorg.accounts import aanmelden
from zorg.audit.models import Actie, AuditEvent
from zorg.clientadres import client_ip
from zorg.meldingen.models import Melding

PROXY = "127.0.0.1"
LOGIN = "/account/login/"
# A school day, in the middle of a lesson: nothing else in Zorg cares.
MOMENT = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))
TOTP_GEHEIM = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# The README's nginx in front (ZORG_TRUSTED_PROXIES=1).
achter_proxy = override_settings(ZORG_TRUSTED_PROXIES=1)


def _client(adres: str, apparaat: str | None = None) -> Client:
    """A browser at `adres`, reaching Zorg through the README's nginx."""
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=adres)
    if apparaat:
        client.cookies[aanmelden.APPARAAT_COOKIE] = apparaat
    return client


def _aanmelden(client: Client, email: str, wachtwoord: str):
    return client.post(LOGIN, {"login": email, "password": wachtwoord})


def _aangemeld(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _wachtwoord_gecontroleerd(email: str) -> int:
    """How many times a password was actually checked against `email` and
    failed (Django's user_login_failed, in the audit trail)."""
    return AuditEvent.objects.filter(actie=Actie.AANMELDEN_MISLUKT, omschrijving=email).count()


def _geweigerd(response) -> bool:
    return "Te veel mislukte aanmeldpogingen" in response.content.decode()


# --- the client's address ---------------------------------------------------------------


def _verzoek(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "verwacht"),
    [
        # Without a proxy, X-Forwarded-For is the client's own claim.
        (0, "198.51.100.7", "203.0.113.9", "198.51.100.7"),
        # One proxy: its entry is last; what the client wrote before it is ignored.
        (1, PROXY, "203.0.113.9", "203.0.113.9"),
        (1, PROXY, "10.0.0.1, 203.0.113.9", "203.0.113.9"),
        (2, PROXY, "10.0.0.1, 203.0.113.9, 192.0.2.1", "203.0.113.9"),
        # Fewer entries than proxies: the direct peer, never a client's claim.
        (2, PROXY, "203.0.113.9", PROXY),
        (1, PROXY, None, PROXY),
        # Malformed: no address rather than garbage in the trail.
        (1, PROXY, "niet-een-adres", None),
        (1, PROXY, "2001:DB8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_the_entry_the_trusted_proxies_wrote(
    settings, proxies, remote, forwarded, verwacht
):
    settings.ZORG_TRUSTED_PROXIES = proxies
    assert client_ip(_verzoek(remote, forwarded)) == verwacht


@achter_proxy
def test_behind_the_proxy_twelve_clients_failing_once_do_not_refuse_each_other(wereld):
    for i in range(12):
        response = _aanmelden(_client(f"203.0.113.{i + 1}"), f"iemand{i}@test.example", "fout")
        assert response.status_code == 200
        assert not _geweigerd(response), f"client {i + 1} was refused"
    dertiende = _client("203.0.113.13")
    _aanmelden(dertiende, "zorg@test.example", WACHTWOORD)
    assert _aangemeld(dertiende)


@achter_proxy
def test_behind_the_proxy_forty_clients_sign_in_within_a_minute(wereld):
    with time_machine.travel(MOMENT, tick=False):
        for i in range(40):
            client = _client(f"203.0.113.{i + 1}")
            response = _aanmelden(client, "zorg@test.example", WACHTWOORD)
            assert response.status_code == 302, f"client {i + 1}: {response.status_code}"
            assert _aangemeld(client)


@achter_proxy
def test_the_audit_trail_records_the_client_not_the_proxy(wereld):
    _aanmelden(_client("203.0.113.77"), "zorg@test.example", "fout")
    event = AuditEvent.objects.get(actie=Actie.AANMELDEN_MISLUKT)
    assert event.ip == "203.0.113.77"


# --- the throttle -----------------------------------------------------------------------


def _bekende_browser(email: str, adres: str = "198.51.100.10") -> str:
    """Sign in once from a browser, and return the cookie that makes it one
    the account uses."""
    client = _client(adres)
    _aanmelden(client, email, WACHTWOORD)
    assert _aangemeld(client)
    return client.cookies[aanmelden.APPARAAT_COOKIE].value


@achter_proxy
def test_an_attacker_from_many_addresses_neither_blocks_others_nor_guesses_faster_than_the_limit(
    wereld,
):
    doelwit = "leerkracht@test.example"
    assert wereld.leerkracht.email == doelwit
    with time_machine.travel(MOMENT, tick=False) as reis:
        apparaat = _bekende_browser(doelwit)
        geweigerd = 0
        for minuut in range(60):
            for poging in range(10):
                adres = f"10.{minuut}.{poging}.1"
                if _geweigerd(_aanmelden(_client(adres), doelwit, f"gok-{minuut}-{poging}")):
                    geweigerd += 1
            # Someone else, from anywhere, signs in as usual.
            if minuut % 5 == 0:
                collega = _client(f"192.0.2.{minuut + 1}")
                _aanmelden(collega, "zorg@test.example", WACHTWOORD)
                assert _aangemeld(collega), f"minute {minuut}: a colleague was refused"
            # So does the owner, in the browser they used before.
            if minuut % 10 == 5:
                eigenaar = _client("198.51.100.10", apparaat)
                _aanmelden(eigenaar, doelwit, WACHTWOORD)
                assert _aangemeld(eigenaar), f"minute {minuut}: the owner was refused"
            reis.shift(datetime.timedelta(minutes=1))
    # 600 attempts, at most 10 of them checked: the account's hourly window.
    assert _wachtwoord_gecontroleerd(doelwit) <= 10
    assert geweigerd >= 590


@achter_proxy
def test_five_failures_by_someone_else_do_not_lock_the_owner_out(wereld):
    doelwit = "leerkracht@test.example"
    with time_machine.travel(MOMENT, tick=False):
        apparaat = _bekende_browser(doelwit)
        for i in range(5):
            _aanmelden(_client(f"203.0.113.{i + 1}"), doelwit, "fout")
        eigenaar = _client("198.51.100.10", apparaat)
        _aanmelden(eigenaar, doelwit, WACHTWOORD)
        assert _aangemeld(eigenaar)


@achter_proxy
def test_the_wait_grows_with_the_failures_and_a_refusal_checks_no_password(wereld):
    doelwit = "leerkracht@test.example"
    with time_machine.travel(MOMENT, tick=False) as reis:
        for i in range(3):
            assert not _geweigerd(_aanmelden(_client(f"203.0.113.{i + 1}"), doelwit, "fout"))
        # The fourth in the same minute is refused, the right password too,
        # and the password is not even looked at.
        onbekend = _client("203.0.113.50")
        assert _geweigerd(_aanmelden(onbekend, doelwit, WACHTWOORD))
        assert not _aangemeld(onbekend)
        assert _wachtwoord_gecontroleerd(doelwit) == 3
        assert aanmelden.is_geblokkeerd(doelwit)
        # A minute later: three more (the 15-minute window holds six).
        reis.shift(datetime.timedelta(seconds=61))
        for i in range(3):
            assert not _geweigerd(_aanmelden(_client(f"203.0.114.{i + 1}"), doelwit, "fout"))
        # Now a minute is not enough: the wait is a quarter of an hour.
        reis.shift(datetime.timedelta(seconds=61))
        assert _geweigerd(_aanmelden(_client("203.0.115.1"), doelwit, "fout"))
        reis.shift(datetime.timedelta(minutes=14))
        client = _client("203.0.115.2")
        _aanmelden(client, doelwit, WACHTWOORD)
        assert _aangemeld(client)
    assert _wachtwoord_gecontroleerd(doelwit) == 6


@achter_proxy
def test_a_known_browser_has_windows_of_its_own(wereld):
    """The owner mistyping in their own browser slows down that browser only."""
    doelwit = "leerkracht@test.example"
    with time_machine.travel(MOMENT, tick=False):
        apparaat = _bekende_browser(doelwit)
        for _ in range(3):
            _aanmelden(_client("198.51.100.10", apparaat), doelwit, "fout")
        assert _geweigerd(_aanmelden(_client("198.51.100.10", apparaat), doelwit, WACHTWOORD))
        assert not aanmelden.is_geblokkeerd(doelwit)
        ander = _client("203.0.113.5")
        _aanmelden(ander, doelwit, WACHTWOORD)
        assert _aangemeld(ander)


def test_a_forged_browser_cookie_counts_as_an_unknown_browser(wereld):
    doelwit = "leerkracht@test.example"
    with time_machine.travel(MOMENT, tick=False):
        for _ in range(3):
            _aanmelden(_client("203.0.113.1"), doelwit, "fout")
        vals = _client("203.0.113.2", "abc:def")
        assert _geweigerd(_aanmelden(vals, doelwit, WACHTWOORD))


def _blokkeren(email: str) -> None:
    for i in range(6):
        _aanmelden(_client(f"203.0.113.{i + 1}"), email, "fout")
    assert aanmelden.is_geblokkeerd(email)


@achter_proxy
def test_a_sign_in_with_mfa_lifts_the_wait_and_is_audited(wereld):
    doelwit = "leerkracht@test.example"
    with time_machine.travel(MOMENT, tick=False):
        apparaat = _bekende_browser(doelwit)
        TOTP.activate(wereld.leerkracht, TOTP_GEHEIM)
        _blokkeren(doelwit)
        eigenaar = _client("198.51.100.10", apparaat)
        response = _aanmelden(eigenaar, doelwit, WACHTWOORD)
        assert response["Location"].startswith(reverse("mfa_authenticate"))
        assert aanmelden.is_geblokkeerd(doelwit), "a password alone lifts nothing"
        code = format_hotp_value(hotp_value(TOTP_GEHEIM, int(MOMENT.timestamp()) // 30))
        eigenaar.post(reverse("mfa_authenticate"), {"code": code})
        assert _aangemeld(eigenaar)
    assert not aanmelden.is_geblokkeerd(doelwit)
    event = AuditEvent.objects.get(onderwerp="aanmeldblokkering")
    assert event.gebruiker == wereld.leerkracht


def test_the_administrator_lifts_the_wait_with_an_admin_action(wereld, client_voor):
    doelwit = "leerkracht@test.example"
    with time_machine.travel(MOMENT, tick=False):
        _blokkeren(doelwit)
        beheer = client_voor(wereld.users["platform"])
        response = beheer.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "aanmeldblokkering_opheffen", "_selected_action": [wereld.leerkracht.pk]},
        )
        assert response.status_code == 302
        assert not aanmelden.is_geblokkeerd(doelwit)
    event = AuditEvent.objects.get(onderwerp="aanmeldblokkering")
    assert event.gebruiker == wereld.users["platform"]
    assert event.object_id == str(wereld.leerkracht.pk)


def test_the_administrator_lifts_the_wait_with_a_command(wereld, capsys):
    doelwit = "leerkracht@test.example"
    with time_machine.travel(MOMENT, tick=False):
        _blokkeren(doelwit)
        call_command("aanmelding_deblokkeren", "LEERKRACHT@test.example")
        assert not aanmelden.is_geblokkeerd(doelwit)
        client = _client("203.0.113.9")
        _aanmelden(client, doelwit, WACHTWOORD)
        assert _aangemeld(client)
    assert "Lifted" in capsys.readouterr().out
    assert AuditEvent.objects.filter(onderwerp="aanmeldblokkering", gebruiker=None).count() == 1


@achter_proxy
def test_the_owner_hears_of_repeated_failures_at_most_once_an_hour(
    wereld, django_capture_on_commit_callbacks
):
    doelwit = "leerkracht@test.example"

    def falen(aantal, start):
        for i in range(aantal):
            with django_capture_on_commit_callbacks(execute=True):
                _aanmelden(_client(f"203.0.{start}.{i + 1}"), doelwit, "fout")

    with time_machine.travel(MOMENT, tick=False) as reis:
        falen(2, 1)
        assert not Melding.objects.filter(ontvanger=wereld.leerkracht).exists()
        assert not mail.outbox
        falen(1, 2)
        assert Melding.objects.filter(ontvanger=wereld.leerkracht).count() == 1
        assert [m.to for m in mail.outbox] == [[doelwit]]
        assert "verkeerd wachtwoord" in mail.outbox[0].body
        # More failures within the hour: no second message.
        for stap in range(3):
            reis.shift(datetime.timedelta(minutes=15))
            falen(3, 10 + stap)
        assert Melding.objects.filter(ontvanger=wereld.leerkracht).count() == 1
        assert len(mail.outbox) == 1
        # The next hour, new failures are news again.
        reis.shift(datetime.timedelta(minutes=16))
        falen(3, 20)
        assert Melding.objects.filter(ontvanger=wereld.leerkracht).count() == 2
        assert len(mail.outbox) == 2


# --- one sign-in for the platform's admin -----------------------------------------------


def test_the_admin_has_no_login_form_of_its_own(wereld, client):
    response = client.get("/platformbeheer/login/?next=/platformbeheer/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == ("/account/login/?next=%2Fplatformbeheer%2Faccounts%2Fuser%2F")
    # A foreign next is not followed.
    response = client.get("/platformbeheer/login/?next=https://elders.example/")
    assert response["Location"] == "/account/login/?next=%2Fplatformbeheer%2F"


def test_thirty_wrong_passwords_at_the_admin_login_then_the_right_one_do_not_sign_in(
    wereld, client
):
    platform = wereld.users["platform"].email
    for i in range(30):
        client.post("/platformbeheer/login/", {"username": platform, "password": f"fout{i}"})
    response = client.post("/platformbeheer/login/", {"username": platform, "password": WACHTWOORD})
    assert response.status_code == 302
    assert not _aangemeld(client)
    assert client.get("/platformbeheer/").status_code == 302
    assert _wachtwoord_gecontroleerd(platform) == 0


def test_guessing_the_admins_password_through_the_sign_in_page_is_throttled(wereld):
    platform = wereld.users["platform"].email
    with time_machine.travel(MOMENT, tick=False):
        for i in range(30):
            _aanmelden(Client(REMOTE_ADDR=f"203.0.113.{i + 1}"), platform, f"fout{i}")
    assert _wachtwoord_gecontroleerd(platform) == 3


def test_with_totp_the_password_alone_does_not_open_the_admin(wereld, client):
    staf = wereld.users["platform"]
    TOTP.activate(staf, TOTP_GEHEIM)
    with time_machine.travel(MOMENT, tick=False):
        # The old way in: the admin's own form.
        client.post(
            "/platformbeheer/login/?next=/platformbeheer/",
            {"username": staf.email, "password": WACHTWOORD},
        )
        assert client.get("/platformbeheer/").status_code == 302
        # The one way in: the password leads to the second step, not in.
        response = client.post(
            "/account/login/?next=/platformbeheer/", {"login": staf.email, "password": WACHTWOORD}
        )
        assert response["Location"].startswith(reverse("mfa_authenticate"))
        assert not _aangemeld(client)
        assert client.get("/platformbeheer/").status_code == 302
        assert client.get(reverse("start")).status_code == 302
        code = format_hotp_value(hotp_value(TOTP_GEHEIM, int(MOMENT.timestamp()) // 30))
        response = client.post(reverse("mfa_authenticate"), {"code": code})
        assert response["Location"] == "/platformbeheer/"
        assert client.get("/platformbeheer/").status_code == 200


def test_a_signed_in_user_who_is_not_staff_is_sent_back_to_zorg(wereld, client_voor):
    response = client_voor(wereld.leerkracht).get("/platformbeheer/login/")
    assert response["Location"] == reverse("start")
