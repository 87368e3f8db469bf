import pytest
from django.urls import reverse

from tests.factories import WACHTWOORD


def test_wrong_password_gives_a_clear_dutch_message(wereld, client):
    response = client.post(
        reverse("account_login"), {"login": "zorg@test.example", "password": "verkeerd"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "e-mailadres en/of wachtwoord is niet correct" in html
    assert "_auth_user_id" not in client.session


def test_login_with_email_reaches_the_start_page(wereld, client):
    response = client.post(
        reverse("account_login"),
        {"login": "ZORG@test.example", "password": WACHTWOORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("start")


def test_signup_is_closed(wereld, client):
    response = client.post(
        reverse("account_signup"),
        {"email": "nieuw@test.example", "password1": "Abcdef12345!", "password2": "Abcdef12345!"},
    )
    from zorg.accounts.models import User

    assert not User.objects.filter(email="nieuw@test.example").exists()
    assert response.status_code == 200


def test_password_reset_does_not_reveal_whether_an_address_exists(wereld, client):
    from django.core import mail

    bestaand = client.post(reverse("account_reset_password"), {"email": "zorg@test.example"})
    onbekend = client.post(reverse("account_reset_password"), {"email": "niemand@test.example"})
    assert bestaand.status_code == onbekend.status_code
    assert len(mail.outbox) == 1


def test_the_language_switch_turns_the_ui_english_and_back(wereld, client_voor):
    client = client_voor(wereld.leerkracht)
    assert "Klassen" in client.get(reverse("start")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("start")).content.decode()
    assert 'lang="en"' in html
    assert "My classes" in html
    assert "Mijn klassen" not in html
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Mijn klassen" in client.get(reverse("start")).content.decode()


def test_dutch_is_the_default(wereld, client_voor):
    html = client_voor(wereld.leerkracht).get(reverse("start")).content.decode()
    assert 'lang="nl-BE"' in html


def test_pages_send_a_strict_content_security_policy(wereld, client_voor):
    response = client_voor(wereld.leerkracht).get(reverse("start"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.parametrize(
    "pad",
    ["/leerlingen/abc/", "/leerlingen/-1/", "/klassen/99999999999999999999/", "/meldingen/x/"],
)
def test_tampered_ids_in_urls_give_404(wereld, client_voor, pad):
    assert client_voor(wereld.zorgcoordinator).get(pad).status_code == 404


def test_huge_id_in_url_gives_404_not_500(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).get("/leerlingen/99999999999999999999/")
    assert response.status_code == 404


def test_an_english_browser_still_gets_dutch_until_the_switch_is_used(wereld, client_voor):
    client = client_voor(wereld.leerkracht)
    html = client.get(reverse("start"), headers={"Accept-Language": "en-US,en;q=0.9"}).content
    assert "Mijn klassen" in html.decode()


def test_login_page_offers_no_sign_up(client):
    html = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in html
    assert "Aanmelden bij Zorg" in html
