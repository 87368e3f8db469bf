"""A measure in the words used with the parents, and whether it needs the
parents' agreement: the form, the service, and the mark on the student's
measures while the agreement is missing."""

import uuid

from django.urls import reverse

from leerlingen.models import Maatregel
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.leerlingen.test_maatregelen import VANDAAG, _maak, _post_data
from zorg.audit.models import AuditEvent


def test_the_parent_wording_and_the_need_for_agreement_are_recorded_from_the_form(
    wereld, client_voor
):
    client = client_voor(wereld.zorgcoordinator)
    antwoord = client.post(
        reverse("leerlingen:maatregel_nieuw", args=[wereld.leerling_a.pk]),
        _post_data(
            ouderomschrijving="  Spelfouten tellen niet mee  ",
            akkoord_nodig="on",
            sleutel=str(uuid.uuid4()),
        ),
    )

    assert antwoord.status_code == 302
    maatregel = Maatregel.objects.get(leerling=wereld.leerling_a)
    assert maatregel.ouderomschrijving == "Spelfouten tellen niet mee"
    assert maatregel.akkoord_nodig and not maatregel.ouders_akkoord
    assert maatregel.titel_voor_ouders == "Spelfouten tellen niet mee"


def test_without_parent_wording_the_parents_read_the_title(wereld):
    maatregel = _maak(wereld)

    assert maatregel.ouderomschrijving == ""
    assert maatregel.titel_voor_ouders == "Laptop met voorleessoftware"
    assert not maatregel.akkoord_nodig


def test_an_edit_of_the_need_for_agreement_is_named_in_the_audit_trail(wereld, client_voor):
    maatregel = _maak(wereld)
    client = client_voor(wereld.zorgcoordinator)

    client.post(
        reverse("leerlingen:maatregel_bewerken", args=[wereld.leerling_a.pk, maatregel.pk]),
        _post_data(titel=maatregel.titel, akkoord_nodig="on", versie=1),
    )

    maatregel.refresh_from_db()
    assert maatregel.akkoord_nodig
    event = AuditEvent.objects.filter(onderwerp="maatregel").latest("pk")
    assert "akkoord_nodig" in event.velden


def test_a_measure_waiting_for_agreement_is_marked_on_the_student_page(wereld, client_voor):
    MaatregelFactory(leerling=wereld.leerling_a, titel="Wacht", akkoord_nodig=True)
    MaatregelFactory(
        leerling=wereld.leerling_a,
        titel="Akkoord",
        akkoord_nodig=True,
        ouders_akkoord=True,
        ouders_akkoord_op=VANDAAG,
    )

    pagina = client_voor(wereld.titularis).get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    )

    assert pagina.content.decode().count('data-testid="wacht-op-akkoord"') == 1
