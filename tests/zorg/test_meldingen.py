import pytest
from django.core import mail
from django.urls import reverse

from tests import factories as f
from zorg.meldingen.models import Melding
from zorg.meldingen.services import melding_versturen
from zorg.meldingen.tasks import meldingen_mailen


def test_notification_is_mailed_after_commit_without_care_details(
    wereld, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        melding_versturen(
            ontvangers=[wereld.zorgcoordinator, wereld.directie, wereld.zorgcoordinator],
            titel="Rode vlag voor Lotte Peeters",
            tekst="Details",
            link="/leerlingen/",
            school=wereld.school,
        )
    assert Melding.objects.count() == 2  # one per person, duplicates folded
    assert len(mail.outbox) == 2
    for bericht in mail.outbox:
        assert "Lotte" not in bericht.body
        assert "Lotte" not in bericht.subject
        assert "/meldingen/" in bericht.body
    assert not Melding.objects.filter(email_verzonden_op__isnull=True).exists()


def test_nothing_is_mailed_when_the_transaction_rolls_back(
    wereld, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                melding_versturen(ontvangers=[wereld.directie], titel="x")
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []


def test_mailing_twice_sends_once(wereld):
    melding = f.MeldingFactory(ontvanger=wereld.directie)
    assert meldingen_mailen([melding.pk]) == 1
    assert meldingen_mailen([melding.pk]) == 0
    assert len(mail.outbox) == 1


def test_bell_shows_the_unread_count(wereld, client_voor):
    f.MeldingFactory(ontvanger=wereld.zorgcoordinator)
    f.MeldingFactory(ontvanger=wereld.zorgcoordinator)
    f.MeldingFactory(ontvanger=wereld.directie)
    html = client_voor(wereld.zorgcoordinator).get(reverse("start")).content.decode()
    assert 'data-testid="ongelezen">2<' in html


def test_opening_a_notification_marks_it_read_and_follows_its_link(wereld, client_voor):
    melding = f.MeldingFactory(ontvanger=wereld.zorgcoordinator, link="/klassen/")
    response = client_voor(wereld.zorgcoordinator).post(
        reverse("meldingen:melding_openen", args=[melding.pk])
    )
    assert response["Location"] == "/klassen/"
    melding.refresh_from_db()
    assert melding.gelezen_op is not None


def test_a_notification_link_to_another_site_is_not_followed(wereld, client_voor):
    melding = f.MeldingFactory(ontvanger=wereld.zorgcoordinator, link="https://evil.example/")
    response = client_voor(wereld.zorgcoordinator).post(
        reverse("meldingen:melding_openen", args=[melding.pk])
    )
    assert response["Location"] == reverse("meldingen:melding_lijst")


def test_someone_elses_notification_is_a_404(wereld, client_voor):
    melding = f.MeldingFactory(ontvanger=wereld.zorgcoordinator)
    response = client_voor(wereld.directie).post(
        reverse("meldingen:melding_openen", args=[melding.pk])
    )
    assert response.status_code == 404
    melding.refresh_from_db()
    assert melding.gelezen_op is None


def test_mark_all_read_touches_only_own(wereld, client_voor):
    eigen = f.MeldingFactory(ontvanger=wereld.zorgcoordinator)
    andere = f.MeldingFactory(ontvanger=wereld.directie)
    client_voor(wereld.zorgcoordinator).post(reverse("meldingen:alles_gelezen"))
    eigen.refresh_from_db()
    andere.refresh_from_db()
    assert eigen.gelezen_op is not None
    assert andere.gelezen_op is None


@pytest.mark.parametrize("pk", ["999999"])
def test_missing_notification_is_a_404(wereld, client_voor, pk):
    response = client_voor(wereld.zorgcoordinator).post(f"/meldingen/{pk}/openen/")
    assert response.status_code == 404
