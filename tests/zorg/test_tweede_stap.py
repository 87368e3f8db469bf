"""Issue 15: the second step of the sign-in (the code from the app, a recovery
code, or the security key, after the right password) is limited per account
and per client address like the password, without locking the owner out of
the browsers they signed in on before; every wrong answer is in the audit
trail and the owner hears of repeated ones (zorg.accounts.aanmelden,
zorg.accounts.forms)."""

import datetime
import zoneinfo

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import WACHTWOORD
from zorg.accounts import aanmelden
from zorg.audit.models import Actie, AuditEvent
from zorg.meldingen.models import Melding

PROXY = "127.0.0.1"
LOGIN = "/account/login/"
MFA = "/account/2fa/authenticate/"
MOMENT = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))
GEHEIM = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DOELWIT = "leerkracht@test.example"
EIGEN_ADRES = "198.51.100.10"

achter_proxy = override_settings(ZORG_TRUSTED_PROXIES=1)


def _code(moment: datetime.datetime) -> str:
    return format_hotp_value(hotp_value(GEHEIM, int(moment.timestamp()) // 30))


def _fout(moment: datetime.datetime, n: int = 0) -> str:
    """A six-digit code that is not the right one at `moment`."""
    goed = _code(moment)
    kandidaat = f"{(int(goed) + 1 + n) % 1_000_000:06d}"
    assert kandidaat != goed
    return kandidaat


def _client(adres: str, apparaat: str | None = None) -> Client:
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=adres)
    if apparaat:
        client.cookies[aanmelden.APPARAAT_COOKIE] = apparaat
    return client


def _wachtwoord(client: Client, email: str = DOELWIT) -> None:
    response = client.post(LOGIN, {"login": email, "password": WACHTWOORD})
    assert response["Location"].startswith(MFA), response.get("Location")


def _code_ingeven(client: Client, code: str, adres: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": adres} if adres else {}
    return client.post(MFA, {"code": code}, **extra)


def _aangemeld(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _geweigerd(response) -> bool:
    return "Te veel mislukte aanmeldpogingen" in response.content.decode()


def _gecontroleerd(wat: str = "code") -> int:
    """How many second-factor answers were checked and wrong (the trail)."""
    return AuditEvent.objects.filter(
        actie=Actie.AANMELDEN_MISLUKT, omschrijving=f"tweede stap ({wat}) voor {DOELWIT}"
    ).count()


def _bekende_browser(moment: datetime.datetime) -> str:
    """The owner signs in completely (password and code) once in their own
    browser; the cookie that makes it one the account uses."""
    client = _client(EIGEN_ADRES)
    _wachtwoord(client)
    _code_ingeven(client, _code(moment))
    assert _aangemeld(client)
    return client.cookies[aanmelden.APPARAAT_COOKIE].value


@pytest.fixture
def doelwit(wereld):
    assert wereld.leerkracht.email == DOELWIT
    TOTP.activate(wereld.leerkracht, GEHEIM)
    RecoveryCodes.activate(wereld.leerkracht)
    return wereld.leerkracht


@achter_proxy
def test_whoever_has_the_password_guesses_no_more_codes_than_the_accounts_limit(wereld, doelwit):
    """Ten code guesses a minute for an hour, each from another address, with
    a fresh sign-in with the password every minute: at most ten are checked
    (the account's hourly window), while the owner signs in as usual."""
    with time_machine.travel(MOMENT, tick=False) as reis:
        apparaat = _bekende_browser(MOMENT)
        geweigerd = 0
        for minuut in range(60):
            nu = MOMENT + datetime.timedelta(minutes=minuut)
            aanvaller = _client(f"10.{minuut}.0.1")
            _wachtwoord(aanvaller)
            for poging in range(10):
                response = _code_ingeven(aanvaller, _fout(nu, poging), f"10.{minuut}.{poging}.1")
                assert response.status_code == 200
                assert not _aangemeld(aanvaller)
                geweigerd += _geweigerd(response)
            if minuut % 10 == 5:
                eigenaar = _client(EIGEN_ADRES, apparaat)
                _wachtwoord(eigenaar)
                _code_ingeven(eigenaar, _code(nu))
                assert _aangemeld(eigenaar), f"minute {minuut}: the owner was refused"
            reis.shift(datetime.timedelta(minutes=1))
    assert _gecontroleerd() <= 10
    assert geweigerd >= 590
    # The day's window: twenty, however the guesses are spread.
    with time_machine.travel(MOMENT + datetime.timedelta(hours=1), tick=False) as reis:
        for uur in range(23):
            nu = MOMENT + datetime.timedelta(hours=1 + uur)
            aanvaller = _client(f"10.100.{uur}.1")
            _wachtwoord(aanvaller)
            for poging in range(3):
                _code_ingeven(aanvaller, _fout(nu, poging), f"10.100.{uur}.{poging + 2}")
            reis.shift(datetime.timedelta(hours=1))
    assert _gecontroleerd() <= 20


@achter_proxy
def test_wrong_codes_by_someone_else_do_not_lock_the_owner_out_of_their_browser(
    wereld, doelwit, client_voor
):
    with time_machine.travel(MOMENT, tick=False) as reis:
        apparaat = _bekende_browser(MOMENT)
        # A code works once: the next is half a minute later.
        reis.shift(datetime.timedelta(seconds=30))
        nu = MOMENT + datetime.timedelta(seconds=30)
        aanvaller = _client("203.0.113.1")
        _wachtwoord(aanvaller)
        for poging in range(3):
            assert not _geweigerd(_code_ingeven(aanvaller, _fout(nu, poging)))
        # The fourth in the minute is refused, the right code too, unchecked.
        assert _geweigerd(_code_ingeven(aanvaller, _code(nu)))
        assert not _aangemeld(aanvaller)
        assert _gecontroleerd() == 3
        assert aanmelden.is_geblokkeerd(DOELWIT, stap=aanmelden.TWEEDE_STAP)
        # Not the password's wait: a new browser still gets to the code.
        onbekend = _client("203.0.113.2")
        _wachtwoord(onbekend)
        assert _geweigerd(_code_ingeven(onbekend, _code(nu)))

        # The owner, in the browser they signed in on before.
        eigenaar = _client(EIGEN_ADRES, apparaat)
        _wachtwoord(eigenaar)
        _code_ingeven(eigenaar, _code(nu))
        assert _aangemeld(eigenaar)
        # Their sign-in does not hand the guesser a fresh set of guesses.
        assert aanmelden.is_geblokkeerd(DOELWIT, stap=aanmelden.TWEEDE_STAP)

        # The administrator lifts the wait (admin action, audited).
        response = client_voor(wereld.users["platform"]).post(
            reverse("admin:accounts_user_changelist"),
            {"action": "aanmeldblokkering_opheffen", "_selected_action": [doelwit.pk]},
        )
        assert response.status_code == 302
        assert not aanmelden.is_geblokkeerd(DOELWIT, stap=aanmelden.TWEEDE_STAP)
        assert AuditEvent.objects.filter(
            onderwerp="aanmeldblokkering", gebruiker=wereld.users["platform"]
        ).exists()


@achter_proxy
def test_the_wait_at_the_second_step_grows_and_ends_by_itself(wereld, doelwit):
    with time_machine.travel(MOMENT, tick=False) as reis:
        for ronde in range(2):
            nu = MOMENT + datetime.timedelta(seconds=61 * ronde)
            aanvaller = _client(f"203.0.113.{ronde + 1}")
            _wachtwoord(aanvaller)
            for poging in range(3):
                assert not _geweigerd(_code_ingeven(aanvaller, _fout(nu, poging)))
            reis.shift(datetime.timedelta(seconds=61))
        # Six in a quarter of an hour: a minute is no longer enough.
        nu = MOMENT + datetime.timedelta(seconds=122)
        client = _client("203.0.113.9")
        _wachtwoord(client)
        assert _geweigerd(_code_ingeven(client, _code(nu)))
        reis.shift(datetime.timedelta(minutes=14))
        nu = MOMENT + datetime.timedelta(seconds=122, minutes=14)
        client = _client("203.0.113.10")
        _wachtwoord(client)
        _code_ingeven(client, _code(nu))
        assert _aangemeld(client)
    assert _gecontroleerd() == 6


@achter_proxy
def test_right_codes_count_for_nothing(wereld, doelwit):
    """Eight sign-ins in four minutes (a code works once: one each half
    minute), where three a minute would be refused if they counted."""
    with time_machine.travel(MOMENT, tick=False) as reis:
        for i in range(8):
            nu = MOMENT + datetime.timedelta(seconds=30 * i)
            client = _client(f"203.0.113.{i + 1}")
            _wachtwoord(client)
            _code_ingeven(client, _code(nu))
            assert _aangemeld(client), f"sign-in {i + 1} was refused"
            reis.shift(datetime.timedelta(seconds=30))


@achter_proxy
def test_a_code_works_once(wereld, doelwit):
    with time_machine.travel(MOMENT, tick=False):
        eerste = _client("203.0.113.1")
        _wachtwoord(eerste)
        _code_ingeven(eerste, _code(MOMENT))
        assert _aangemeld(eerste)
        tweede = _client("203.0.113.2")
        _wachtwoord(tweede)
        _code_ingeven(tweede, _code(MOMENT))
        assert not _aangemeld(tweede)
    assert _gecontroleerd() == 1


@achter_proxy
def test_a_recovery_code_is_a_second_step_answer_too(wereld, doelwit):
    codes = Authenticator.objects.get(user=doelwit, type="recovery_codes").wrap()
    with time_machine.travel(MOMENT, tick=False):
        client = _client("203.0.113.1")
        _wachtwoord(client)
        _code_ingeven(client, codes.get_unused_codes()[0])
        assert _aangemeld(client)


@achter_proxy
def test_a_wrong_code_is_in_the_trail_with_the_clients_address(wereld, doelwit):
    with time_machine.travel(MOMENT, tick=False):
        client = _client("203.0.113.77")
        _wachtwoord(client)
        _code_ingeven(client, _fout(MOMENT))
    event = AuditEvent.objects.get(omschrijving=f"tweede stap (code) voor {DOELWIT}")
    assert event.actie == Actie.AANMELDEN_MISLUKT
    assert event.gebruiker is None
    assert event.object_id == str(doelwit.pk)
    assert event.ip == "203.0.113.77"


@achter_proxy
def test_a_wrong_answer_from_a_key_is_counted_and_recorded(wereld, doelwit):
    with time_machine.travel(MOMENT, tick=False):
        client = _client("203.0.113.1")
        _wachtwoord(client)
        for _ in range(3):
            response = client.post(MFA, {"credential": '{"id": "x"}'})
            assert response.status_code == 200
            assert not _geweigerd(response)
        assert _gecontroleerd("sleutel") == 3
        # The key's answers and the codes share the account's windows.
        assert _geweigerd(_code_ingeven(client, _code(MOMENT)))
        assert not _aangemeld(client)


@achter_proxy
def test_the_owner_hears_that_someone_has_their_password(
    wereld, doelwit, django_capture_on_commit_callbacks
):
    with time_machine.travel(MOMENT, tick=False) as reis:
        aanvaller = _client("203.0.113.1")
        _wachtwoord(aanvaller)
        for poging in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                _code_ingeven(aanvaller, _fout(MOMENT, poging))
        assert not Melding.objects.filter(ontvanger=doelwit).exists()
        assert not mail.outbox
        with django_capture_on_commit_callbacks(execute=True):
            _code_ingeven(aanvaller, _fout(MOMENT, 2))
        melding = Melding.objects.get(ontvanger=doelwit)
        assert "kent iemand je" in melding.tekst
        assert [m.to for m in mail.outbox] == [[DOELWIT]]
        assert "kent iemand je wachtwoord" in mail.outbox[0].body
        assert "verkeerde code" in mail.outbox[0].body
        # More within the hour: no second message.
        reis.shift(datetime.timedelta(minutes=20))
        nu = MOMENT + datetime.timedelta(minutes=20)
        aanvaller = _client("203.0.113.2")
        _wachtwoord(aanvaller)
        for poging in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                _code_ingeven(aanvaller, _fout(nu, poging))
        assert Melding.objects.filter(ontvanger=doelwit).count() == 1
        assert len(mail.outbox) == 1


def test_production_rates_for_the_second_step_meet_the_account_limit():
    """The windows the second step counts in (ASVS 5.0 6.3.1, 6.6.3): no more
    than ten answers an hour and twenty a day per account, from browsers the
    account never signed in on."""
    rates = {(r.amount, r.duration) for r in aanmelden._account_rates()}
    assert (10, 3600) in rates
    assert (20, 86400) in rates
    assert all(amount <= 20 for amount, _duur in rates)
