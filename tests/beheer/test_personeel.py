"""The school's staff pages (issue 16): inviting, roles, deactivating, the
account rescues; who may do it, what the trail records, two administrators
at once, and the query bound of the list."""

import datetime
import re
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.factories import WACHTWOORD
from zorg.accounts import aanmelden
from zorg.accounts.models import Lidmaatschap, Rol, User
from zorg.audit.models import AuditEvent
from zorg.beheer import personeel
from zorg.beheer.models import Uitnodiging
from zorg.eenmalig.forms import SLEUTEL

GEHEIM = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_na_commit = {}


@pytest.fixture(autouse=True)
def _mails_na_commit(django_capture_on_commit_callbacks):
    """Tests run in a transaction that never commits: the helpers below run
    what a request queues for after its commit (the invitation e-mails) as
    that request ends."""
    _na_commit["vang"] = django_capture_on_commit_callbacks
    yield
    _na_commit.clear()


def _post(client, url, data=None, **kwargs):
    with _na_commit["vang"](execute=True):
        return client.post(url, data or {}, **kwargs)


def _lijst(w):
    return reverse("beheer:personeel_lijst", args=[w.school.pk])


def _detail(w, persoon):
    return reverse("beheer:personeelslid", args=[w.school.pk, persoon.pk])


def _uitnodigen(client, w, **gegevens):
    pagina = client.get(reverse("beheer:personeel_uitnodigen", args=[w.school.pk]))
    sleutel = re.search(rf'name="{SLEUTEL}" value="([^"]+)"', pagina.content.decode()).group(1)
    data = {SLEUTEL: sleutel, "first_name": "", "last_name": "", "rollen": ["leerkracht"]}
    data.update(gegevens)
    return _post(client, reverse("beheer:personeel_uitnodigen", args=[w.school.pk]), data), data


def _link(bericht) -> str:
    """The path of the set-password link, behind the configured address."""
    basis = re.escape(settings.ZORG_BASE_URL)
    return re.search(basis + r"(/account/password/reset/key/\S+)", bericht.body).group(1)


def _rol(client, w, persoon, rol, actie, stand=None):
    return client.post(
        reverse("beheer:personeel_rol", args=[w.school.pk, persoon.pk]),
        {
            "rol": rol,
            "actie": actie,
            "stand": stand or personeel.stand(persoon, w.school),
        },
        follow=True,
    )


def _toegang(client, w, persoon, actief: bool):
    return client.post(
        reverse("beheer:personeel_toegang", args=[w.school.pk, persoon.pk]),
        {"actief": "1" if actief else "0", "stand": personeel.stand(persoon, w.school)},
        follow=True,
    )


def _events(persoon):
    return AuditEvent.objects.filter(onderwerp="personeel", object_id=str(persoon.pk))


# --- the list ------------------------------------------------------------------------


def test_the_list_shows_the_schools_staff_and_nobody_else(wereld, client):
    client.force_login(wereld.beheerder)
    pagina = client.get(_lijst(wereld)).content.decode()
    for rol in ("leerkracht", "titularis", "zorgcoordinator", "directie", "beheerder"):
        assert wereld.users[rol].email in pagina
    # Another school's staff, the CLB, the platform: never listed.
    for rol in ("buitenstaander", "clb", "platform", "groepsdirectie"):
        assert wereld.users[rol].email not in pagina


def test_the_director_reads_the_list_and_a_person_without_any_button(wereld, client):
    client.force_login(wereld.directie)
    lijst = client.get(_lijst(wereld)).content.decode()
    assert wereld.leerkracht.email in lijst
    assert "Iemand uitnodigen" not in lijst
    detail = client.get(_detail(wereld, wereld.leerkracht)).content.decode()
    for naam in ("personeel_rol", "personeel_toegang", "personeel_account"):
        assert (
            reverse(f"beheer:{naam}", args=[wereld.school.pk, wereld.leerkracht.pk]) not in detail
        )
    assert "Deactiveren" not in detail and "Toevoegen" not in detail
    assert _rol(client, wereld, wereld.leerkracht, "directie", "toevoegen").status_code == 404


def test_the_list_searches_and_filters(wereld, client):
    client.force_login(wereld.beheerder)
    pagina = client.get(_lijst(wereld), {"q": "zorg@test"}).content.decode()
    assert wereld.zorgcoordinator.email in pagina
    assert wereld.leerkracht.email not in pagina
    Lidmaatschap.objects.filter(user=wereld.leerkracht).update(actief=False)
    pagina = client.get(_lijst(wereld), {"filter": "inactief"}).content.decode()
    assert wereld.leerkracht.email in pagina and wereld.directie.email not in pagina
    # A bad filter is ignored, not a 500.
    assert client.get(_lijst(wereld), {"filter": "x" * 500}).status_code == 200


def _meet(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_for_5_and_for_45_people(wereld, client):
    # Guards against a query per person for their roles here, their second
    # factor, their invitation or their state.
    client.force_login(wereld.beheerder)

    def erbij(aantal):
        for _ in range(aantal):
            persoon = f.UserFactory()
            f.LidmaatschapFactory(user=persoon, school=wereld.school, rol=Rol.LEERKRACHT)
            f.LidmaatschapFactory(user=persoon, school=wereld.school, rol=Rol.SECRETARIAAT)
            TOTP.activate(persoon, GEHEIM)
            Uitnodiging.objects.create(user=persoon, school=wereld.school)

    erbij(2)
    weinig = _meet(client, _lijst(wereld))
    erbij(38)
    veel = _meet(client, _lijst(wereld))
    assert weinig == veel <= 12


# --- inviting ------------------------------------------------------------------------


def test_inviting_a_new_address_makes_an_account_that_sets_its_password_by_the_link(wereld, client):
    client.force_login(wereld.beheerder)
    antwoord, _data = _uitnodigen(
        client,
        wereld,
        email="Jana.Maes@School.example",
        first_name="Jana",
        last_name="Maes",
        rollen=["leerkracht", "secretariaat"],
    )
    assert antwoord.status_code == 302
    jana = User.objects.get(email="jana.maes@school.example")
    assert not jana.has_usable_password()
    assert set(jana.lidmaatschappen.values_list("rol", flat=True)) == {
        "leerkracht",
        "secretariaat",
    }
    assert len(mail.outbox) == 1
    bericht = mail.outbox[0]
    assert bericht.to == ["jana.maes@school.example"]
    assert "Sint-Testcollege" in bericht.subject
    assert "Kies je wachtwoord" in bericht.body
    event = _events(jana).get()
    assert event.gebruiker == wereld.beheerder and event.school_id == wereld.school.pk

    # The invitee follows the link and chooses a password.
    client.logout()
    stap = client.get(_link(bericht), follow=True)
    assert stap.status_code == 200
    nieuw = "Een-lang-wachtwoord-42"
    client.post(stap.redirect_chain[-1][0], {"password1": nieuw, "password2": nieuw})
    jana.refresh_from_db()
    assert jana.check_password(nieuw)
    # The link is used up.
    assert "password1" not in client.get(_link(bericht), follow=True).content.decode()


def test_the_invitation_link_expires(wereld, client):
    client.force_login(wereld.beheerder)
    _uitnodigen(client, wereld, email="bram.claes@school.example")
    link = _link(mail.outbox[0])
    client.logout()
    later = timezone.now() + datetime.timedelta(days=4)
    with time_machine.travel(later):
        pagina = client.get(link, follow=True).content.decode()
    assert 'name="password1"' not in pagina


def test_inviting_someone_of_another_school_adds_a_membership_and_keeps_their_account(
    wereld, client
):
    ander = wereld.buitenstaander
    ander.last_login = timezone.now()
    ander.save(update_fields=["last_login"])
    naam = ander.get_full_name()
    client.force_login(wereld.beheerder)
    _uitnodigen(client, wereld, email=ander.email.upper(), first_name="Olaf", last_name="Weg")
    ander.refresh_from_db()
    assert ander.get_full_name() == naam
    assert ander.check_password(WACHTWOORD)
    assert Lidmaatschap.objects.filter(user=ander, school=wereld.school2, actief=True).exists()
    assert Lidmaatschap.objects.filter(user=ander, school=wereld.school, rol="leerkracht").exists()
    # Already signing in: word of the new school, no password link.
    assert "/account/password/reset/key/" not in mail.outbox[0].body
    assert "gaf je toegang" in mail.outbox[0].body


def test_a_double_submitted_invitation_invites_once(wereld, client):
    client.force_login(wereld.beheerder)
    _antwoord, data = _uitnodigen(client, wereld, email="sam.aerts@school.example")
    opnieuw = _post(
        client, reverse("beheer:personeel_uitnodigen", args=[wereld.school.pk]), data, follow=True
    )
    assert "al verstuurd" in opnieuw.content.decode()
    assert User.objects.filter(email="sam.aerts@school.example").count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("gegevens", "melding"),
    [
        ({"email": ""}, "Vul een e-mailadres in."),
        ({"email": "geen-adres"}, "Vul een geldig e-mailadres in."),
        ({"email": "bo@school.example", "rollen": []}, "Kies minstens één rol."),
        ({"email": "bo@school.example", "rollen": ["baas"]}, "baas is geen beschikbare keuze."),
        ({"email": "platform@test.example"}, "platformbeheer"),
    ],
)
def test_a_bad_invitation_is_refused_in_dutch(wereld, client, gegevens, melding):
    client.force_login(wereld.beheerder)
    antwoord, _data = _uitnodigen(client, wereld, **gegevens)
    assert antwoord.status_code == 200
    assert melding in antwoord.content.decode()
    assert not mail.outbox
    assert not Lidmaatschap.objects.filter(user=wereld.platform).exists()


def test_imported_people_not_yet_invited_are_invited_all_at_once_and_only_once(wereld, client):
    # What the import makes: accounts without a password, with a membership.
    geimporteerd = []
    for naam in ("Ada", "Cis", "Dirk"):
        persoon = User.objects.create_user(email=f"{naam.lower()}@school.example", first_name=naam)
        f.LidmaatschapFactory(user=persoon, school=wereld.school, rol=Rol.LEERKRACHT)
        geimporteerd.append(persoon)
    client.force_login(wereld.beheerder)
    lijst = client.get(_lijst(wereld), {"filter": "niet_uitgenodigd"}).content.decode()
    for persoon in geimporteerd:
        assert persoon.email in lijst
    # The world's users signed in never either; they are in the count too.
    assert wereld.leerkracht.email in lijst
    verwacht = personeel.nog_niet_uitgenodigd(
        User.objects.filter(lidmaatschappen__school=wereld.school).distinct(), wereld.school
    ).count()
    url = reverse("beheer:personeel_alle_uitnodigen", args=[wereld.school.pk])
    pagina = client.get(url).content.decode()
    sleutel = re.search(rf'name="{SLEUTEL}" value="([^"]+)"', pagina).group(1)
    antwoord = _post(client, url, {SLEUTEL: sleutel}, follow=True)
    assert f"{verwacht} uitnodigingen verstuurd." in antwoord.content.decode()
    assert len(mail.outbox) == verwacht
    assert {m.to[0] for m in mail.outbox} >= {p.email for p in geimporteerd}
    assert all("/account/password/reset/key/" in m.body for m in mail.outbox)
    assert AuditEvent.objects.filter(onderwerp="personeel").count() == verwacht
    # A double submit and a second round invite nobody again.
    _post(client, url, {SLEUTEL: sleutel})
    assert "Iedereen is al uitgenodigd" in client.get(url).content.decode()
    staf = User.objects.filter(lidmaatschappen__school=wereld.school).distinct()
    assert personeel.alle_uitnodigen(staf=staf, school=wereld.school, door=wereld.beheerder) == 0
    assert len(mail.outbox) == verwacht


def test_resending_an_invitation_mails_a_new_link(wereld, client):
    client.force_login(wereld.beheerder)
    _uitnodigen(client, wereld, email="finn.bosmans@school.example")
    finn = User.objects.get(email="finn.bosmans@school.example")
    _post(client, reverse("beheer:personeel_opnieuw_uitnodigen", args=[wereld.school.pk, finn.pk]))
    assert len(mail.outbox) == 2
    assert Uitnodiging.objects.get(user=finn).aantal == 2


# --- roles ---------------------------------------------------------------------------


def test_the_administrator_adds_and_removes_a_role(wereld, client):
    client.force_login(wereld.beheerder)
    leerkracht = wereld.leerkracht
    assert (
        "De wijziging is bewaard."
        in _rol(client, wereld, leerkracht, "zorgcoordinator", "toevoegen").content.decode()
    )
    assert Lidmaatschap.objects.filter(user=leerkracht, rol="zorgcoordinator").exists()
    _rol(client, wereld, leerkracht, "zorgcoordinator", "verwijderen")
    assert not Lidmaatschap.objects.filter(user=leerkracht, rol="zorgcoordinator").exists()
    omschrijvingen = list(_events(leerkracht).values_list("omschrijving", flat=True))
    assert any("Zorgcoördinator toegevoegd" in o for o in omschrijvingen)
    assert any("Zorgcoördinator verwijderd" in o for o in omschrijvingen)


def test_the_last_administrator_cannot_be_removed_nor_remove_themselves(wereld, client):
    client.force_login(wereld.beheerder)
    antwoord = _rol(client, wereld, wereld.beheerder, "beheerder", "verwijderen")
    assert "niet wegnemen" in antwoord.content.decode()
    # With a second administrator, the first still cannot take their own role...
    f.LidmaatschapFactory(user=wereld.directie, school=wereld.school, rol=Rol.BEHEERDER)
    _rol(client, wereld, wereld.beheerder, "beheerder", "deactiveren")
    assert Lidmaatschap.objects.get(user=wereld.beheerder, rol="beheerder").actief
    # ...but may take the other's; then the other is the last one.
    _rol(client, wereld, wereld.directie, "beheerder", "verwijderen")
    assert not Lidmaatschap.objects.filter(user=wereld.directie, rol="beheerder").exists()


def test_the_service_keeps_the_last_active_administrator(wereld):
    tweede = f.UserFactory()
    f.LidmaatschapFactory(user=tweede, school=wereld.school, rol=Rol.BEHEERDER)
    personeel.toegang_wijzigen(
        school=wereld.school,
        persoon=wereld.beheerder,
        actief=False,
        stand_=personeel.stand(wereld.beheerder, wereld.school),
        door=tweede,
    )
    with pytest.raises(personeel.ValidationError, match="minstens één actieve beheerder"):
        personeel.rol_wijzigen(
            school=wereld.school,
            persoon=tweede,
            rol=Rol.BEHEERDER,
            actie="deactiveren",
            stand_=personeel.stand(tweede, wereld.school),
            door=wereld.leerkracht,
        )
    assert Lidmaatschap.objects.get(user=tweede, rol="beheerder").actief


def test_a_change_from_a_stale_page_is_refused_and_overwrites_nothing(wereld, client):
    client.force_login(wereld.beheerder)
    leerkracht = wereld.leerkracht
    oud = personeel.stand(leerkracht, wereld.school)
    # Another administrator adds a role meanwhile.
    _rol(client, wereld, leerkracht, "secretariaat", "toevoegen")
    antwoord = _rol(client, wereld, leerkracht, "leerkracht", "verwijderen", stand=oud)
    assert "Iemand anders wijzigde intussen deze persoon" in antwoord.content.decode()
    assert Lidmaatschap.objects.filter(user=leerkracht, rol="leerkracht").exists()
    assert _events(leerkracht).count() == 1


# --- deactivating ---------------------------------------------------------------------


def test_deactivating_ends_the_persons_sessions_and_keeps_what_they_wrote(wereld, client):
    from django.test import Client

    from tests.dossier import dossier_vullen

    dossier_vullen(wereld)
    geschreven = AuditEvent.objects.filter(gebruiker=wereld.leerkracht).count()
    zelf = Client()
    assert zelf.login(email=wereld.leerkracht.email, password=WACHTWOORD)
    assert zelf.get(reverse("start")).status_code == 200
    client.force_login(wereld.beheerder)
    assert (
        "De wijziging is bewaard."
        in _toegang(client, wereld, wereld.leerkracht, actief=False).content.decode()
    )
    assert not Lidmaatschap.objects.filter(user=wereld.leerkracht, actief=True).exists()
    # The session is over at the person's very next request.
    volgende = zelf.get(reverse("start"))
    assert volgende.status_code == 302 and "/account/login/" in volgende["Location"]
    # Nothing they wrote is gone: the account, its memberships and rows stay.
    assert User.objects.filter(pk=wereld.leerkracht.pk, is_active=True).exists()
    assert Lidmaatschap.objects.filter(user=wereld.leerkracht).count() == 1
    assert AuditEvent.objects.filter(gebruiker=wereld.leerkracht).count() >= geschreven
    # Reactivated, they sign in again and work.
    _toegang(client, wereld, wereld.leerkracht, actief=True)
    assert zelf.login(email=wereld.leerkracht.email, password=WACHTWOORD)
    assert (
        zelf.get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])).status_code
        == 200
    )


def test_deactivating_touches_only_this_schools_memberships(wereld, client):
    leerkracht = wereld.leerkracht
    f.LidmaatschapFactory(user=leerkracht, school=wereld.school2, rol=Rol.LEERKRACHT)
    client.force_login(wereld.beheerder)
    _toegang(client, wereld, leerkracht, actief=False)
    assert Lidmaatschap.objects.get(user=leerkracht, school=wereld.school2).actief
    assert not Lidmaatschap.objects.get(user=leerkracht, school=wereld.school).actief


# --- the account ---------------------------------------------------------------------


def test_the_account_of_a_person_in_another_school_is_read_only_and_says_why(wereld, client):
    leerkracht = wereld.leerkracht
    client.force_login(wereld.beheerder)
    assert (
        "Naam en e-mailadres wijzigen" in client.get(_detail(wereld, leerkracht)).content.decode()
    )
    f.LidmaatschapFactory(user=leerkracht, school=wereld.school2, rol=Rol.LEERKRACHT)
    detail = client.get(_detail(wereld, leerkracht)).content.decode()
    assert "Naam en e-mailadres wijzigen" not in detail
    assert 'data-testid="elders"' in detail
    url = reverse("beheer:personeel_account", args=[wereld.school.pk, leerkracht.pk])
    assert client.get(url).status_code == 404
    assert (
        client.get(
            reverse("beheer:personeel_tweestaps_resetten", args=[wereld.school.pk, leerkracht.pk])
        ).status_code
        == 404
    )


def test_the_administrator_changes_a_name_and_address_and_a_stale_form_is_refused(wereld, client):
    leerkracht = wereld.leerkracht
    url = reverse("beheer:personeel_account", args=[wereld.school.pk, leerkracht.pk])
    client.force_login(wereld.beheerder)
    oud = personeel.stand(leerkracht, wereld.school)
    gegevens = {"first_name": "Lien", "last_name": "Wouters", "email": "lien@school.example"}
    client.post(url, {**gegevens, "stand": oud})
    leerkracht.refresh_from_db()
    assert (leerkracht.first_name, leerkracht.email) == ("Lien", "lien@school.example")
    event = _events(leerkracht).get()
    assert set(event.velden) == {"first_name", "last_name", "email"}
    antwoord = client.post(url, {**gegevens, "first_name": "Greet", "stand": oud})
    assert 'data-testid="conflict"' in antwoord.content.decode()
    leerkracht.refresh_from_db()
    assert leerkracht.first_name == "Lien"
    # An address someone else has is refused.
    nieuw = personeel.stand(leerkracht, wereld.school)
    antwoord = client.post(url, {**gegevens, "email": wereld.directie.email, "stand": nieuw})
    assert "Er bestaat al een account met dit e-mailadres." in antwoord.content.decode()


# --- the rescues ---------------------------------------------------------------------


def test_resetting_the_second_factor_asks_first_and_is_audited_in_the_school(wereld, client):
    leerkracht = wereld.leerkracht
    TOTP.activate(leerkracht, GEHEIM)
    url = reverse("beheer:personeel_tweestaps_resetten", args=[wereld.school.pk, leerkracht.pk])
    client.force_login(wereld.beheerder)
    assert "Ja, resetten" in client.get(url).content.decode()
    assert Authenticator.objects.filter(user=leerkracht).exists()
    client.post(url)
    assert not Authenticator.objects.filter(user=leerkracht).exists()
    event = AuditEvent.objects.get(onderwerp="tweestapsverificatie", object_id=str(leerkracht.pk))
    assert event.school_id == wereld.school.pk and event.gebruiker == wereld.beheerder
    assert event.omschrijving == f"gereset voor {leerkracht.email}: totp"


def _blokkeren(email):
    for rate, sleutel in zip(
        aanmelden._account_rates(), aanmelden._cache_sleutels(email), strict=True
    ):
        from django.core.cache import cache

        cache.set(sleutel, [time.time()] * rate.amount, 3600)
    assert aanmelden.is_geblokkeerd(email)


def test_lifting_a_sign_in_block_asks_first_and_is_audited(wereld, client):
    leerkracht = wereld.leerkracht
    _blokkeren(leerkracht.email)
    client.force_login(wereld.beheerder)
    lijst = client.get(_lijst(wereld)).content.decode()
    assert "geblokkeerd" in lijst
    url = reverse("beheer:personeel_blokkering_opheffen", args=[wereld.school.pk, leerkracht.pk])
    assert "Ja, opheffen" in client.get(url).content.decode()
    assert aanmelden.is_geblokkeerd(leerkracht.email)
    client.post(url)
    assert not aanmelden.is_geblokkeerd(leerkracht.email)
    event = AuditEvent.objects.get(onderwerp="aanmeldblokkering")
    assert event.school_id == wereld.school.pk
    assert event.omschrijving == (
        f"opgeheven voor {leerkracht.email}: door de beheerder van Sint-Testcollege"
    )


# --- reach ---------------------------------------------------------------------------


def test_another_schools_administrator_and_staff_are_404(wereld, client):
    beheerder2 = f.UserFactory()
    f.LidmaatschapFactory(user=beheerder2, school=wereld.school2, rol=Rol.BEHEERDER)
    client.force_login(beheerder2)
    assert client.get(_lijst(wereld)).status_code == 404
    assert client.get(_detail(wereld, wereld.leerkracht)).status_code == 404
    assert _rol(client, wereld, wereld.leerkracht, "directie", "toevoegen").status_code == 404
    # School 1's administrator cannot reach school 2's staff through school 1.
    client.force_login(wereld.beheerder)
    assert client.get(_detail(wereld, wereld.buitenstaander)).status_code == 404
    assert client.get(_detail(wereld, wereld.platform)).status_code == 404
    assert (
        client.get(reverse("beheer:personeelslid", args=[wereld.school.pk, 999_999])).status_code
        == 404
    )


def test_a_platform_superuser_with_a_membership_is_never_listed_nor_touchable(wereld, client):
    f.LidmaatschapFactory(user=wereld.platform, school=wereld.school, rol=Rol.LEERKRACHT)
    client.force_login(wereld.beheerder)
    assert wereld.platform.email not in client.get(_lijst(wereld)).content.decode()
    assert client.get(_detail(wereld, wereld.platform)).status_code == 404
