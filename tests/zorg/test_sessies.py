"""Sessions (zorg.sessies): the idle timeout, a school's setting for it,
the absolute limit, the events that end a person's sessions, and the page
listing one's own sessions. All under a stopped clock that the tests move."""

import datetime
import json

import pytest
import time_machine
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.factories import WACHTWOORD
from zorg.accounts.models import CLBMedewerker, Lidmaatschap, Rol, School
from zorg.pdf.models import PdfOpdracht

MINUUT = datetime.timedelta(minutes=1)
SECONDE = datetime.timedelta(seconds=1)
LEERLINGEN = "/leerlingen/?q=Lotte"


@pytest.fixture
def klok():
    """The clock stands still at the moment the test begins; `klok.shift`
    moves it."""
    with time_machine.travel(timezone.now(), tick=False) as reiziger:
        yield reiziger


def _aangemeld(client, user) -> Client:
    client.force_login(user)
    return client


def _open(client) -> bool:
    """Whether the client's session is still signed in (a page opens)."""
    antwoord = client.get(LEERLINGEN)
    if antwoord.status_code == 200:
        return True
    assert antwoord.status_code == 302
    assert antwoord["Location"].startswith(reverse("account_login"))
    return False


def _berichten(antwoord) -> list[str]:
    return [str(m) for m in get_messages(antwoord.wsgi_request)]


# --- the idle timeout --------------------------------------------------------


def test_a_session_idle_just_under_thirty_minutes_stays_signed_in(wereld, client, klok):
    _aangemeld(client, wereld.leerkracht)
    klok.shift(30 * MINUUT - SECONDE)
    assert _open(client)
    # Each page view is activity: another 29:59 later it is still open.
    klok.shift(30 * MINUUT - SECONDE)
    assert _open(client)


def test_a_session_idle_just_over_thirty_minutes_ends_with_a_message_and_leads_back(
    wereld, client, klok
):
    _aangemeld(client, wereld.leerkracht)
    klok.shift(30 * MINUUT + SECONDE)
    antwoord = client.get(LEERLINGEN)
    assert antwoord.status_code == 302
    login = antwoord["Location"]
    assert login.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    pagina = client.get(login)
    assert "Je bent afgemeld omdat je 30 minuten niets deed in Zorg." in pagina.content.decode()
    # Signing in again leads back to the page the person was on.
    terug = client.post(login, {"login": wereld.leerkracht.email, "password": WACHTWOORD})
    assert terug.status_code == 302
    assert terug["Location"] == LEERLINGEN


def test_the_idle_time_counts_from_the_last_activity_not_the_sign_in(wereld, client, klok):
    _aangemeld(client, wereld.leerkracht)
    klok.shift(20 * MINUUT)
    assert _open(client)
    klok.shift(20 * MINUUT)  # 40 minutes after signing in, 20 after the last page
    assert _open(client)
    klok.shift(30 * MINUUT + SECONDE)
    assert not _open(client)


def test_a_schools_shorter_setting_applies(wereld, client, klok):
    School.objects.filter(pk=wereld.school.pk).update(sessie_inactief_minuten=15)
    _aangemeld(client, wereld.leerkracht)
    klok.shift(15 * MINUUT - SECONDE)
    assert _open(client)
    klok.shift(15 * MINUUT + SECONDE)
    antwoord = client.get(LEERLINGEN, follow=True)
    assert "Je bent afgemeld omdat je 15 minuten niets deed in Zorg." in " ".join(
        _berichten(antwoord)
    )


def test_a_schools_longer_setting_applies(wereld, client, klok):
    School.objects.filter(pk=wereld.school.pk).update(sessie_inactief_minuten=60)
    _aangemeld(client, wereld.leerkracht)
    klok.shift(59 * MINUUT)
    assert _open(client)
    klok.shift(60 * MINUUT + SECONDE)
    assert not _open(client)


def test_a_person_in_several_schools_gets_the_strictest_setting(wereld, client, klok):
    School.objects.filter(pk=wereld.school.pk).update(sessie_inactief_minuten=45)
    School.objects.filter(pk=wereld.school2.pk).update(sessie_inactief_minuten=20)
    f.LidmaatschapFactory(user=wereld.leerkracht, school=wereld.school2, rol=Rol.LEERKRACHT)
    _aangemeld(client, wereld.leerkracht)
    klok.shift(20 * MINUUT - SECONDE)
    assert _open(client)
    klok.shift(20 * MINUUT + SECONDE)
    assert not _open(client)


def test_a_clb_worker_gets_the_strictest_setting_of_the_schools_their_clb_serves(
    wereld, client, klok
):
    School.objects.filter(pk=wereld.school.pk).update(sessie_inactief_minuten=50)
    School.objects.filter(pk=wereld.school2.pk).update(sessie_inactief_minuten=15)
    wereld.clb.scholen.add(wereld.school2)
    _aangemeld(client, wereld.users["clb"])
    klok.shift(15 * MINUUT + SECONDE)
    assert not _open(client)


def test_without_a_school_the_default_applies(wereld, client, klok):
    assert settings.ZORG_SESSIE_INACTIEF_MINUTEN == 30
    _aangemeld(client, wereld.platform)
    klok.shift(30 * MINUUT - SECONDE)
    assert _open(client)
    klok.shift(30 * MINUUT + SECONDE)
    assert not _open(client)


def test_a_new_school_takes_the_default_from_the_environment(settings, db):
    settings.ZORG_SESSIE_INACTIEF_MINUTEN = 25
    assert f.SchoolFactory().sessie_inactief_minuten == 25


def test_polling_a_pdf_job_is_no_activity_but_opening_its_page_is(wereld, client, klok):
    opdracht = PdfOpdracht.objects.create(
        soort="klas-maatregelen",
        object_id=wereld.klas_a.pk,
        aangevraagd_door=wereld.zorgcoordinator,
        school=wereld.school,
        taal="nl",
    )
    url = reverse("pdf:opdracht", args=[opdracht.pk])
    _aangemeld(client, wereld.zorgcoordinator)
    # The status part, every second while the PDF is being made (here every
    # ten minutes): it does not keep the session alive.
    for _ in range(3):
        klok.shift(10 * MINUUT)
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
    klok.shift(MINUUT)
    antwoord = client.get(
        url, headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{url}"}
    )
    # htmx is sent to the login page as a whole page, not into the fragment.
    assert antwoord.status_code == 200
    assert antwoord["HX-Redirect"].startswith(reverse("account_login"))
    assert f"next={url}" in antwoord["HX-Redirect"]
    # Opening the job's page is activity.
    _aangemeld(client, wereld.zorgcoordinator)
    klok.shift(20 * MINUUT)
    assert client.get(url).status_code == 200
    klok.shift(20 * MINUUT)
    assert _open(client)


def test_a_form_posted_after_the_timeout_leads_back_to_its_page(wereld, client, klok):
    _aangemeld(client, wereld.zorgcoordinator)
    klok.shift(31 * MINUUT)
    formulier = f"http://testserver/leerlingen/{wereld.leerling_a.pk}/"
    antwoord = client.post(reverse("meldingen:alles_gelezen"), headers={"Referer": formulier})
    assert antwoord.status_code == 302
    assert antwoord["Location"] == (
        f"{reverse('account_login')}?next=/leerlingen/{wereld.leerling_a.pk}/"
    )


def test_a_referer_from_elsewhere_is_not_where_login_leads(wereld, client, klok):
    _aangemeld(client, wereld.zorgcoordinator)
    klok.shift(31 * MINUUT)
    antwoord = client.post(
        reverse("meldingen:alles_gelezen"), headers={"Referer": "https://elders.example/x"}
    )
    assert antwoord["Location"] == f"{reverse('account_login')}?next=/"


# --- the page's warning: status and "stay signed in" ------------------------


def test_the_status_tells_the_time_left_and_asking_is_no_activity(wereld, client, klok):
    _aangemeld(client, wereld.leerkracht)
    klok.shift(10 * MINUUT)
    status = client.get(reverse("sessies:status")).json()
    assert status == {"aangemeld": True, "resterend": 20 * 60, "verlengbaar": True}
    klok.shift(10 * MINUUT)
    assert client.get(reverse("sessies:status")).json()["resterend"] == 10 * 60
    klok.shift(10 * MINUUT + SECONDE)
    assert client.get(reverse("sessies:status")).json() == {"aangemeld": False}
    # The login page says why.
    pagina = client.get(reverse("account_login"))
    assert "30 minuten niets deed" in pagina.content.decode()


def test_stay_signed_in_gives_the_full_time_again(wereld, client, klok):
    _aangemeld(client, wereld.leerkracht)
    klok.shift(28 * MINUUT)
    antwoord = client.post(reverse("sessies:verlengen"))
    assert antwoord.json() == {"aangemeld": True, "resterend": 30 * 60, "verlengbaar": True}
    klok.shift(29 * MINUUT)
    assert _open(client)


def test_stay_signed_in_after_the_end_says_so(wereld, client, klok):
    _aangemeld(client, wereld.leerkracht)
    klok.shift(31 * MINUUT)
    assert client.post(reverse("sessies:verlengen")).json() == {"aangemeld": False}
    assert not _open(client)


def test_stay_signed_in_needs_the_csrf_token(wereld, klok):
    client = Client(enforce_csrf_checks=True)
    _aangemeld(client, wereld.leerkracht)
    assert client.post(reverse("sessies:verlengen")).status_code == 403


def test_pages_carry_the_warning_and_its_script_without_inline_code(wereld, client, klok):
    _aangemeld(client, wereld.leerkracht)
    html = client.get(reverse("start")).content.decode()
    assert 'id="sessie-waarschuwing"' in html
    assert 'data-resterend="1800"' in html
    assert '<script src="/static/js/sessie.js" defer></script>' in html
    assert "<script>" not in html
    # The login page has neither.
    client.logout()
    assert "sessie-waarschuwing" not in client.get(reverse("account_login")).content.decode()


# --- the absolute limit ------------------------------------------------------


def test_an_active_session_ends_ten_hours_after_signing_in(wereld, client, klok):
    _aangemeld(client, wereld.leerkracht)
    for _ in range(29):  # a page every 20 minutes: 9 h 40
        klok.shift(20 * MINUUT)
        assert _open(client)
    klok.shift(20 * MINUUT - SECONDE)  # 9:59:59
    assert _open(client)
    assert not client.get(reverse("sessies:status")).json()["verlengbaar"]
    klok.shift(2 * SECONDE)
    antwoord = client.get(LEERLINGEN, follow=True)
    assert (
        "Je bent afgemeld omdat je al 10 uur aangemeld was. "
        in " ".join(_berichten(antwoord)) + " "
    )


def test_the_absolute_limit_is_a_setting(wereld, client, klok, settings):
    settings.SESSION_COOKIE_AGE = 2 * 60 * 60
    _aangemeld(client, wereld.leerkracht)
    for _ in range(6):
        klok.shift(20 * MINUUT)
        assert _open(client)
    klok.shift(SECONDE)
    assert not _open(client)


# --- events that end sessions ------------------------------------------------


def test_an_ended_membership_ends_the_session(wereld, client, klok):
    _aangemeld(client, wereld.leerkracht)
    assert _open(client)
    Lidmaatschap.objects.filter(user=wereld.leerkracht).update(actief=False)
    antwoord = client.get(LEERLINGEN, follow=True)
    assert antwoord.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert (
        "Je bent afgemeld omdat je toegang tot een school gewijzigd is. "
        "Meld je opnieuw aan om verder te werken."
    ) in _berichten(antwoord)


def test_a_deleted_membership_ends_the_session_even_with_another_left(wereld, client, klok):
    tweede = f.LidmaatschapFactory(
        user=wereld.leerkracht, school=wereld.school2, rol=Rol.LEERKRACHT
    )
    _aangemeld(client, wereld.leerkracht)
    assert _open(client)
    tweede.delete()
    assert not _open(client)


def test_a_membership_added_during_the_session_keeps_it_and_ending_it_ends_it(wereld, client, klok):
    _aangemeld(client, wereld.leerkracht)
    nieuw = f.LidmaatschapFactory(user=wereld.leerkracht, school=wereld.school2, rol=Rol.LEERKRACHT)
    assert _open(client)
    nieuw.actief = False
    nieuw.save()
    assert not _open(client)


def test_an_ended_clb_membership_ends_the_session(wereld, client, klok):
    _aangemeld(client, wereld.users["clb"])
    assert _open(client)
    CLBMedewerker.objects.filter(user=wereld.users["clb"]).update(actief=False)
    assert not _open(client)


def test_a_deactivated_account_is_signed_out(wereld, client, klok):
    _aangemeld(client, wereld.leerkracht)
    assert _open(client)
    wereld.leerkracht.is_active = False
    wereld.leerkracht.save()
    assert not _open(client)


def _twee_sessies(user):
    """Two browsers of the same person, signed in through the login page
    (as allauth records it, so that its re-authentication is satisfied)."""
    browsers = []
    for _ in range(2):
        browser = Client()
        antwoord = browser.post(
            reverse("account_login"), {"login": user.email, "password": WACHTWOORD}
        )
        assert antwoord.status_code == 302
        browsers.append(browser)
    assert UserSession.objects.filter(user=user).count() == 2
    return browsers


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(wereld, klok):
    hier, elders = _twee_sessies(wereld.leerkracht)
    nieuw = "een-nieuw-wachtwoord-42"
    antwoord = hier.post(
        reverse("account_change_password"),
        {"oldpassword": WACHTWOORD, "password1": nieuw, "password2": nieuw},
    )
    assert antwoord.status_code == 302
    assert _open(hier)
    assert not _open(elders)
    assert UserSession.objects.filter(user=wereld.leerkracht).count() == 1


def _totp_activeren(browser):
    # allauth asks for the password again before a second factor changes.
    assert (
        browser.post(reverse("account_reauthenticate"), {"password": WACHTWOORD}).status_code == 302
    )
    assert browser.get(reverse("mfa_activate_totp")).status_code == 200
    geheim = browser.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(geheim, next(yield_hotp_counters_from_time())))
    antwoord = browser.post(reverse("mfa_activate_totp"), {"code": code})
    assert antwoord.status_code == 302, antwoord.content.decode()[:2000]


def test_adding_a_second_factor_ends_the_other_sessions(
    wereld, klok, django_capture_on_commit_callbacks
):
    hier, elders = _twee_sessies(wereld.leerkracht)
    # allauth sends its signal once the new factor is committed.
    with django_capture_on_commit_callbacks(execute=True):
        _totp_activeren(hier)
    assert Authenticator.objects.filter(user=wereld.leerkracht).exists()
    assert _open(hier)
    assert not _open(elders)


def _met_totp_aanmelden(user) -> Client:
    """Another browser, signed in with password and TOTP code."""
    browser = Client()
    browser.post(reverse("account_login"), {"login": user.email, "password": WACHTWOORD})
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    geheim = get_mfa_adapter().decrypt(totp.data["secret"])
    code = format_hotp_value(hotp_value(geheim, next(yield_hotp_counters_from_time())))
    antwoord = browser.post(reverse("mfa_authenticate"), {"code": code})
    assert antwoord.status_code == 302, antwoord.content.decode()[:2000]
    assert _open(browser)
    return browser


def test_removing_a_second_factor_ends_the_other_sessions(wereld, klok):
    hier = _twee_sessies(wereld.leerkracht)[0]
    _totp_activeren(hier)
    klok.shift(MINUUT)  # a fresh code: the one used is not accepted twice
    elders = _met_totp_aanmelden(wereld.leerkracht)
    totp = Authenticator.objects.get(user=wereld.leerkracht, type=Authenticator.Type.TOTP)
    antwoord = hier.post(reverse("mfa_deactivate_totp"), {"authenticator": totp.pk})
    assert antwoord.status_code == 302
    assert not Authenticator.objects.filter(
        user=wereld.leerkracht, type=Authenticator.Type.TOTP
    ).exists()
    assert _open(hier)
    assert not _open(elders)


# --- the sessions page -------------------------------------------------------


def test_the_sessions_page_lists_ones_own_live_sessions(wereld, klok):
    hier, elders = _twee_sessies(wereld.leerkracht)
    _twee_sessies(wereld.titularis)  # someone else's: not listed
    html = hier.get(reverse("sessies:lijst")).content.decode()
    assert html.count('data-testid="sessie"') == 2
    assert html.count("deze sessie") == 1
    # A session that ended for inactivity is no longer listed.
    klok.shift(20 * MINUUT)
    assert _open(hier)
    klok.shift(11 * MINUUT)
    html = hier.get(reverse("sessies:lijst")).content.decode()
    assert html.count('data-testid="sessie"') == 1
    assert not _open(elders)


def test_the_sessions_page_is_also_allauths(wereld, client, klok):
    assert reverse("usersessions_list") == reverse("sessies:lijst")
    _aangemeld(client, wereld.leerkracht)
    assert "Mijn sessies" in client.get(reverse("usersessions_list")).content.decode()


def test_signing_out_the_other_sessions_keeps_this_one(wereld, klok):
    hier, elders = _twee_sessies(wereld.leerkracht)
    antwoord = hier.post(reverse("sessies:lijst"), {"actie": "andere"}, follow=True)
    assert "1 andere sessie is afgemeld." in _berichten(antwoord)
    assert _open(hier)
    assert not _open(elders)


def test_signing_out_everywhere_ends_every_session(wereld, klok):
    hier, elders = _twee_sessies(wereld.leerkracht)
    antwoord = hier.post(reverse("sessies:lijst"), {"actie": "overal"})
    assert antwoord["Location"] == reverse("account_login")
    assert not _open(hier)
    assert not _open(elders)
    assert not UserSession.objects.filter(user=wereld.leerkracht).exists()


def test_an_unknown_action_changes_nothing_and_says_so(wereld, klok):
    hier, elders = _twee_sessies(wereld.leerkracht)
    antwoord = hier.post(reverse("sessies:lijst"), {"actie": "iets"}, follow=True)
    assert "Kies of je de andere sessies of alle sessies afmeldt." in _berichten(antwoord)
    assert _open(hier)
    assert _open(elders)


def test_the_sessions_page_has_a_query_bound_that_does_not_grow_with_sessions(
    wereld, klok, django_assert_max_num_queries
):
    # Guards against loading each session from the session table in turn.
    hier = _twee_sessies(wereld.leerkracht)[0]

    def tellen(aantal):
        for _ in range(aantal):
            Client().post(
                reverse("account_login"),
                {"login": wereld.leerkracht.email, "password": WACHTWOORD},
            )
        hier.get(reverse("sessies:lijst"))
        with django_assert_max_num_queries(100) as ctx:
            hier.get(reverse("sessies:lijst"))
        return len(ctx.captured_queries)

    assert tellen(0) == tellen(6)


def test_every_session_records_where_it_was_signed_in_from(wereld, client, klok):
    _aangemeld(client, wereld.leerkracht)
    rij = UserSession.objects.get(user=wereld.leerkracht)
    assert rij.session_key == client.session.session_key
    klok.shift(5 * MINUUT)
    assert _open(client)
    rij.refresh_from_db()
    assert rij.last_seen_at == timezone.now()


def test_the_status_is_json_for_the_anonymous(client, db):
    antwoord = client.get(reverse("sessies:status"))
    assert json.loads(antwoord.content) == {"aangemeld": False}
    assert "no-cache" in antwoord["Cache-Control"]


# --- every end of a session is in the trail ------------------------------------------


def _afmeldingen(user) -> list[tuple[int | None, str]]:
    from zorg.audit.models import Actie, AuditEvent

    return list(
        AuditEvent.objects.filter(actie=Actie.AFMELDEN, object_id__in=["", str(user.pk)])
        .filter(gebruiker__isnull=False)
        .order_by("pk")
        .values_list("gebruiker_id", "omschrijving")
    )


def test_signing_out_is_in_the_trail(wereld, client, klok):
    _aangemeld(client, wereld.leerkracht)
    client.post(reverse("account_logout"))
    assert _afmeldingen(wereld.leerkracht) == [(wereld.leerkracht.pk, "zelf afgemeld")]


def test_a_session_ended_for_idleness_is_in_the_trail_with_the_reason(wereld, client, klok):
    _aangemeld(client, wereld.leerkracht)
    klok.shift(30 * MINUUT + SECONDE)
    assert not _open(client)
    assert _afmeldingen(wereld.leerkracht) == [
        (wereld.leerkracht.pk, "door Zorg afgemeld: 30 minuten niet actief")
    ]


def test_a_session_ended_at_the_absolute_limit_is_in_the_trail_with_the_reason(
    wereld, client, klok
):
    _aangemeld(client, wereld.leerkracht)
    for _ in range(30):  # a page every 20 minutes: 10 h
        klok.shift(20 * MINUUT)
        assert _open(client)
    klok.shift(SECONDE)
    assert not _open(client)
    assert _afmeldingen(wereld.leerkracht) == [
        (wereld.leerkracht.pk, "door Zorg afgemeld: na 10 uur aangemeld")
    ]


def test_a_session_ended_by_a_changed_membership_is_in_the_trail(wereld, client, klok):
    _aangemeld(client, wereld.leerkracht)
    assert _open(client)
    Lidmaatschap.objects.filter(user=wereld.leerkracht).update(actief=False)
    assert not _open(client)
    assert _afmeldingen(wereld.leerkracht) == [
        (wereld.leerkracht.pk, "door Zorg afgemeld: toegang tot een school gewijzigd")
    ]


def test_ending_the_other_sessions_and_everywhere_is_in_the_trail(wereld, klok):
    user = wereld.leerkracht
    hier, _elders = _twee_sessies(user)
    hier.post(reverse("sessies:lijst"), {"actie": "andere"})
    hier.post(reverse("sessies:lijst"), {"actie": "overal"})
    assert _afmeldingen(user) == [
        (user.pk, f"1 sessie(s) van {user.email} beëindigd: andere sessies afgemeld"),
        (user.pk, f"1 sessie(s) van {user.email} beëindigd: overal afgemeld"),
        (user.pk, "overal afgemeld"),
    ]


def test_a_password_change_that_ends_sessions_is_in_the_trail(wereld, klok):
    user = wereld.leerkracht
    hier, _elders = _twee_sessies(user)
    nieuw = "een-nieuw-wachtwoord-42"
    hier.post(
        reverse("account_change_password"),
        {"oldpassword": WACHTWOORD, "password1": nieuw, "password2": nieuw},
    )
    assert _afmeldingen(user) == [
        (user.pk, f"1 sessie(s) van {user.email} beëindigd: wachtwoord gewijzigd")
    ]


def test_an_mfa_reset_by_the_administrator_names_who_ended_the_sessions(wereld, klok):
    from zorg.accounts.tweestaps import mfa_resetten

    user = wereld.leerkracht
    _twee_sessies(user)
    mfa_resetten(door=wereld.beheerder, user=user)
    assert _afmeldingen(user) == [
        (
            wereld.beheerder.pk,
            f"2 sessie(s) van {user.email} beëindigd: tweestapsverificatie gereset",
        )
    ]


def test_the_session_check_and_the_access_policy_share_one_query(wereld, client, klok):
    """Every request reads the person's memberships once: the policy's
    `toegang` query also brings what the session check needs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clb = wereld.users["clb"]
    for user in (wereld.zorgcoordinator, clb, wereld.users["groepsdirectie"]):
        client.force_login(user)
        client.get(LEERLINGEN)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("start")).status_code == 200
        lidmaatschappen = [
            q["sql"]
            for q in ctx.captured_queries
            if '"accounts_lidmaatschap"' in q["sql"] and '"accounts_clbmedewerker"' in q["sql"]
        ]
        assert len(lidmaatschappen) == 1, user
        assert not [
            q["sql"]
            for q in ctx.captured_queries
            if q["sql"].startswith('SELECT "accounts_clb"."id"')
        ]
