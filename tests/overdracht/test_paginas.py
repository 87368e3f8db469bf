"""The transfer's pages through the client: the coordinator's steps, the
director who reads but does not act, the list's query bound, and the import
at the receiving school with every refusal (nothing saved)."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from leerlingen.models import TijdlijnItem, Zichtbaarheid
from overdracht import services
from overdracht.models import OntvangenOverdracht, Overdracht
from tests import factories as f
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.overdracht.hulp import geinformeerd, voorbereid, vrijgegeven
from zorg.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _bestand(w, **velden) -> bytes:
    velden.setdefault("school_instellingsnummer", w.school2.instellingsnummer)
    return services.overdrachtsbestand(vrijgegeven(w, **velden)).encode()


def _uploaden(client, inhoud: bytes):
    return client.post(
        reverse("overdracht:importeren"),
        {"bestand": SimpleUploadedFile("overdracht.json", inhoud, "application/json")},
    )


def _bevestigen(client, inhoud: bytes, leerling, sleutel=None):
    return client.post(
        reverse("overdracht:importeren"),
        {
            "document": inhoud.decode(),
            "leerling": leerling.pk,
            "sleutel": str(sleutel or uuid.uuid4()),
        },
    )


def test_the_coordinator_prepares_informs_and_records_the_answer_on_the_pages(wereld, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    antwoord = client.post(
        reverse("overdracht:nieuw", args=[wereld.leerling_a.pk]),
        {"school_naam": "Atheneum Zoekmans", "sleutel": str(uuid.uuid4())},
    )
    o = Overdracht.objects.get()
    assert antwoord.url == reverse("overdracht:detail", args=[o.pk])

    antwoord = client.post(
        reverse("overdracht:informeren", args=[o.pk]),
        {"versie": o.versie, "geinformeerd_op": "2020-01-01"},
    )
    assert antwoord.status_code == 200
    assert "vóór de overdracht bestond" in antwoord.content.decode()

    o.refresh_from_db()
    client.post(
        reverse("overdracht:informeren", args=[o.pk]),
        # The local day (Brussels): around midnight UTC is a day behind.
        {"versie": o.versie, "geinformeerd_op": timezone.localdate().isoformat()},
    )
    o.refresh_from_db()
    assert o.status == Overdracht.Status.GEINFORMEERD

    antwoord = client.post(reverse("overdracht:vrijgeven", args=[o.pk]), {"versie": o.versie})
    assert antwoord.status_code == 200
    assert "kunnen nog bezwaar maken" in antwoord.content.decode()

    client.post(
        reverse("overdracht:reactie", args=[o.pk]),
        {
            "versie": o.versie,
            "antwoord": "bezwaar",
            "op": o.geinformeerd_op.isoformat(),
            "opmerking": "Niet zonder gesprek.",
        },
    )
    o.refresh_from_db()
    assert o.status == Overdracht.Status.BEZWAAR
    assert (
        "Niet zonder gesprek."
        in client.get(reverse("overdracht:detail", args=[o.pk])).content.decode()
    )


def test_an_outdated_step_shows_the_conflict_in_dutch(wereld, client_voor):
    o = voorbereid(wereld)
    oud = o.versie
    geinformeerd(wereld, o)

    antwoord = client_voor(wereld.zorgcoordinator).post(
        reverse("overdracht:intrekken", args=[o.pk]), {"versie": oud}
    )

    assert antwoord.status_code == 409
    assert "Iemand anders wijzigde deze overdracht intussen" in antwoord.content.decode()
    assert Overdracht.objects.get().status == Overdracht.Status.GEINFORMEERD


def test_leaving_items_out_on_the_page_is_kept(wereld, client_voor):
    blijft = MaatregelFactory(leerling=wereld.leerling_a, titel="Blijft erin")
    MaatregelFactory(leerling=wereld.leerling_a, titel="Mag niet mee")
    o = voorbereid(wereld)

    client_voor(wereld.zorgcoordinator).post(
        reverse("overdracht:inhoud", args=[o.pk]),
        {"versie": o.versie, "opnemen": [f"maatregel-{blijft.pk}"]},
    )

    o.refresh_from_db()
    assert len(o.weggelaten) == 1 and o.weggelaten != [f"maatregel-{blijft.pk}"]


def test_the_director_reads_a_transfer_but_takes_no_step(wereld, client_voor):
    o = geinformeerd(wereld, voorbereid(wereld))
    client = client_voor(wereld.directie)

    pagina = client.get(reverse("overdracht:detail", args=[o.pk]))
    stap = client.post(reverse("overdracht:intrekken", args=[o.pk]), {"versie": o.versie})

    assert pagina.status_code == 200
    assert reverse("overdracht:intrekken", args=[o.pk]) not in pagina.content.decode()
    assert stap.status_code == 404


def test_the_released_page_shows_the_fingerprint_to_compare(wereld, client_voor):
    o = vrijgegeven(wereld)

    pagina = client_voor(wereld.zorgcoordinator).get(reverse("overdracht:detail", args=[o.pk]))

    assert o.vingerafdruk in pagina.content.decode()
    assert reverse("overdracht:bestand", args=[o.pk]) in pagina.content.decode()


def test_the_list_of_transfers_has_a_query_bound_that_does_not_grow(
    wereld, client_voor, django_assert_max_num_queries
):
    client = client_voor(wereld.zorgcoordinator)

    def lijst_met(aantal):
        for i in range(aantal - Overdracht.objects.count()):
            leerling = f.leerling_in(wereld.klas_a)
            voorbereid(wereld, leerling, school_naam=f"School {i}")
        # Guards against a query per row for the student or their school.
        with django_assert_max_num_queries(12):
            antwoord = client.get(reverse("overdracht:lijst"))
        assert antwoord.status_code == 200
        assert antwoord.content.decode().count('data-testid="overdracht-rij"') == aantal

    lijst_met(5)
    lijst_met(30)


def test_a_released_file_is_imported_once_at_the_next_school(wereld, client_voor):
    inhoud = _bestand(wereld)
    client = client_voor(wereld.buitenstaander)

    voorbeeld = _uploaden(client, inhoud)
    assert voorbeeld.status_code == 200
    assert json.loads(inhoud)["vingerafdruk"] in voorbeeld.content.decode()
    assert not OntvangenOverdracht.objects.exists()

    sleutel = uuid.uuid4()
    eerste = _bevestigen(client, inhoud, wereld.leerling_x, sleutel)
    nog_eens = _bevestigen(client, inhoud, wereld.leerling_x, sleutel)
    opnieuw = _bevestigen(client, inhoud, wereld.leerling_x)

    ontvangen = OntvangenOverdracht.objects.get()
    assert eerste.status_code == 302 and nog_eens.status_code == 302
    assert ontvangen.leerling == wereld.leerling_x
    assert "werd al ingevoerd" in opnieuw.content.decode()
    item = TijdlijnItem.objects.get(leerling=wereld.leerling_x, soort=TijdlijnItem.Soort.OVERDRACHT)
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    assert AuditEvent.objects.filter(
        onderwerp="ontvangen_overdracht", leerling_id=wereld.leerling_x.pk
    ).exists()
    pagina = client.get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_x.pk]))
    assert reverse("overdracht:ontvangen", args=[ontvangen.pk]) in pagina.content.decode()
    assert 'data-testid="samenvatting"' in pagina.content.decode()


def test_a_tampered_file_is_refused_and_nothing_is_saved(wereld, client_voor):
    bestand = json.loads(_bestand(wereld))
    bestand["inhoud"]["samenvatting"]["zorgfase"] = "1. brede basiszorg"
    inhoud = json.dumps(bestand).encode()
    client = client_voor(wereld.buitenstaander)

    upload = _uploaden(client, inhoud)
    bevestigd = _bevestigen(client, inhoud, wereld.leerling_x)

    assert "De handtekening van dit overdrachtsbestand klopt niet" in upload.content.decode()
    assert "De handtekening van dit overdrachtsbestand klopt niet" in bevestigd.content.decode()
    assert not OntvangenOverdracht.objects.exists()


def test_a_file_for_another_school_is_refused(wereld, client_voor):
    inhoud = _bestand(wereld, school_instellingsnummer="999999")

    antwoord = _uploaden(client_voor(wereld.buitenstaander), inhoud)

    assert "bestemd voor een andere school" in antwoord.content.decode()
    assert not OntvangenOverdracht.objects.exists()


def test_a_file_of_a_wrong_format_is_refused(wereld, client_voor):
    bestand = json.loads(_bestand(wereld))
    bestand["formaat"] = 2

    antwoord = _uploaden(client_voor(wereld.buitenstaander), json.dumps(bestand).encode())

    assert "formaat (2)" in antwoord.content.decode()


def test_a_student_of_another_school_cannot_receive_the_transfer(wereld, client_voor):
    inhoud = _bestand(wereld, school_instellingsnummer="")

    antwoord = _bevestigen(client_voor(wereld.buitenstaander), inhoud, wereld.leerling_a)

    assert antwoord.status_code == 200
    assert "Kies de leerling bij wie de overdracht hoort" in antwoord.content.decode()
    assert not OntvangenOverdracht.objects.exists()


def test_the_start_page_counts_open_transfers_for_the_care_team_only(wereld, client_voor):
    o = voorbereid(wereld)
    services.overdracht_intrekken(overdracht=o, versie=o.versie, door=wereld.zorgcoordinator)
    geinformeerd(wereld, voorbereid(wereld))

    coordinator = client_voor(wereld.zorgcoordinator).get(reverse("start")).content.decode()
    directie = client_voor(wereld.directie).get(reverse("start")).content.decode()
    leerkracht = client_voor(wereld.leerkracht).get(reverse("start")).content.decode()

    assert "1 lopende overdracht" in coordinator
    assert reverse("overdracht:importeren") in coordinator
    assert "1 lopende overdracht" in directie
    assert reverse("overdracht:importeren") not in directie
    assert 'data-testid="kaart-overdrachten"' not in leerkracht
