"""The parent letter's pages: preview and informing (once, however often
sent), the response form (versioned), who reads a letter, the section on
the student page and its query count; and the CLB's pages for what the
parents see."""

import datetime
import uuid

import pytest
from django.urls import reverse

from clb.models import Laag, Ouderinzage, Trajectnotitie
from leerlingen.models import Leerling, Ouderbrief, Zichtbaarheid
from leerlingen.services.ouderbrieven import ouderbrief_maken
from tests.clb import factories as c
from tests.leerlingen.factories_gesprekken import GesprekFactory
from tests.leerlingen.factories_maatregelen import MaatregelFactory

VANDAAG = datetime.date.today()
DAG = datetime.timedelta(days=1)


def _nieuw(leerling):
    return reverse("leerlingen:ouderbrief_nieuw", args=[leerling.pk])


def _brief(wereld, op=None) -> Ouderbrief:
    return ouderbrief_maken(
        leerling=wereld.leerling_a, geinformeerd_op=op or VANDAAG, door=wereld.zorgcoordinator
    )


def test_the_preview_shows_the_letter_as_it_would_go_out_today(wereld, client_voor):
    MaatregelFactory(
        leerling=wereld.leerling_a,
        titel="Dispensatie spelling",
        ouderomschrijving="Spelfouten tellen niet mee",
        akkoord_nodig=True,
    )

    pagina = client_voor(wereld.zorgcoordinator).get(_nieuw(wereld.leerling_a)).content.decode()

    assert "Spelfouten tellen niet mee" in pagina
    assert 'data-testid="brief-akkoord-gevraagd"' in pagina
    assert not Ouderbrief.objects.exists()


def test_informing_twice_with_the_same_form_records_one_letter(wereld, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    data = {"geinformeerd_op": VANDAAG.isoformat(), "sleutel": str(uuid.uuid4())}

    eerste = client.post(_nieuw(wereld.leerling_a), data)
    tweede = client.post(_nieuw(wereld.leerling_a), data)

    brief = Ouderbrief.objects.get()
    assert eerste.status_code == tweede.status_code == 302
    assert tweede["Location"] == reverse(
        "leerlingen:ouderbrief_detail", args=[wereld.leerling_a.pk, brief.pk]
    )


@pytest.mark.parametrize(
    ("datum", "bericht"),
    [
        ((VANDAAG + DAG).isoformat(), "niet in de toekomst"),
        ("31/02/2027", "geldige datum"),
        ("", "Vul een datum in"),
    ],
)
def test_a_bad_date_is_refused_in_dutch_without_a_letter(wereld, client_voor, datum, bericht):
    antwoord = client_voor(wereld.zorgcoordinator).post(
        _nieuw(wereld.leerling_a), {"geinformeerd_op": datum, "sleutel": str(uuid.uuid4())}
    )

    assert antwoord.status_code == 200
    assert bericht in antwoord.content.decode()
    assert not Ouderbrief.objects.exists()


def test_the_parents_agreement_recorded_on_the_form_reaches_the_measure(wereld, client_voor):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a, akkoord_nodig=True)
    brief = _brief(wereld)

    antwoord = client_voor(wereld.zorgcoordinator).post(
        reverse("leerlingen:ouderbrief_reactie", args=[wereld.leerling_a.pk, brief.pk]),
        {"reactie": "akkoord", "reactie_op": VANDAAG.isoformat(), "opmerking": "", "versie": 1},
    )

    assert antwoord.status_code == 302
    maatregel.refresh_from_db()
    assert maatregel.ouders_akkoord and maatregel.ouders_akkoord_op == VANDAAG
    brief.refresh_from_db()
    assert (
        brief.reactie == Ouderbrief.Reactie.AKKOORD and brief.reactie_door == wereld.zorgcoordinator
    )


def test_a_response_from_a_stale_form_is_refused_with_what_is_saved_now(wereld, client_voor):
    brief = _brief(wereld)
    url = reverse("leerlingen:ouderbrief_reactie", args=[wereld.leerling_a.pk, brief.pk])
    client = client_voor(wereld.zorgcoordinator)
    client.post(url, {"reactie": "niet_akkoord", "reactie_op": VANDAAG.isoformat(), "versie": 1})

    antwoord = client.post(
        url, {"reactie": "akkoord", "reactie_op": VANDAAG.isoformat(), "versie": 1}
    )

    assert antwoord.status_code == 409
    pagina = antwoord.content.decode()
    assert "Iemand anders legde intussen een reactie vast" in pagina
    assert 'data-testid="conflict"' in pagina and "niet akkoord" in pagina
    brief.refresh_from_db()
    assert brief.reactie == Ouderbrief.Reactie.NIET_AKKOORD


def test_the_class_teacher_gets_the_same_404_as_a_stranger_for_the_letter(wereld, client_voor):
    # The letter quotes agreements of talks the class teacher may not read
    # (a care-team-only talk with the parents): she does not get to read it
    # through the letter either.
    GesprekFactory(
        leerling=wereld.leerling_a,
        door=wereld.zorgcoordinator,
        datum=VANDAAG,
        zichtbaarheid=Zichtbaarheid.ZORGTEAM,
        afspraken="Wekelijks overleg met de zorgcoördinator.",
    )
    brief = _brief(wereld)
    url = reverse("leerlingen:ouderbrief_detail", args=[wereld.leerling_a.pk, brief.pk])
    assert "Wekelijks overleg" in client_voor(wereld.zorgcoordinator).get(url).content.decode()

    titularis = client_voor(wereld.titularis)

    assert titularis.get(url).status_code == 404
    leerlingpagina = titularis.get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    ).content.decode()
    assert url not in leerlingpagina
    assert "Wekelijks overleg" not in leerlingpagina


def test_a_letter_under_another_students_address_is_a_404(wereld, client_voor):
    brief = _brief(wereld)

    antwoord = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:ouderbrief_detail", args=[wereld.leerling_b.pk, brief.pk])
    )

    assert antwoord.status_code == 404


def test_a_clb_worker_who_reaches_the_student_reads_the_letter(wereld, client_voor):
    c.traject(wereld)  # an accepted referral: the CLB worker reaches her
    brief = _brief(wereld)

    antwoord = client_voor(wereld.users["clb"]).get(
        reverse("leerlingen:ouderbrief_detail", args=[wereld.leerling_a.pk, brief.pk])
    )

    assert antwoord.status_code == 200


def test_the_letters_section_takes_the_same_queries_for_two_letters_or_twelve(
    wereld, client_voor, django_assert_max_num_queries
):
    # Guards against a query per letter in the section (its author, its
    # school year, its frozen content).
    client = client_voor(wereld.zorgcoordinator)
    url = reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    for dagen in range(2):
        _brief(wereld, VANDAAG - dagen * DAG)
    with django_assert_max_num_queries(200) as weinig:
        assert client.get(url).content.decode().count('data-testid="ouderbrief-rij"') == 2
    for dagen in range(2, 12):
        _brief(wereld, VANDAAG - dagen * DAG)
    with django_assert_max_num_queries(len(weinig.captured_queries)):
        pagina = client.get(url).content.decode()
    assert pagina.count('data-testid="ouderbrief-rij"') == 12


# --- the CLB's pages -------------------------------------------------------------------


def test_the_clb_shares_a_shared_note_with_the_parents_from_the_trajectory(wereld, client_voor):
    t = c.traject(wereld)
    n = c.notitie(t, wereld.users["clb"], laag=Laag.GEDEELD, soort=Trajectnotitie.Soort.ADVIES)
    client = client_voor(wereld.users["clb"])

    detail = client.get(reverse("clb:traject_detail", args=[t.pk])).content.decode()
    assert reverse("clb:notitie_ouders_delen", args=[t.pk, n.pk]) in detail
    antwoord = client.post(reverse("clb:notitie_ouders_delen", args=[t.pk, n.pk]), {"delen": "ja"})

    assert antwoord.status_code == 302
    n.refresh_from_db()
    assert n.delen_met_ouders


def test_a_note_of_another_trajectory_is_a_404(wereld, client_voor):
    t = c.traject(wereld)
    ander = c.traject(wereld, wereld.leerling_b)
    n = c.notitie(ander, wereld.users["clb"], laag=Laag.GEDEELD)

    antwoord = client_voor(wereld.users["clb"]).post(
        reverse("clb:notitie_ouders_delen", args=[t.pk, n.pk]), {"delen": "ja"}
    )

    assert antwoord.status_code == 404


def test_the_clb_records_that_the_student_refused_on_a_date(wereld, client_voor):
    Leerling.objects.filter(pk=wereld.leerling_a.pk).update(geboortedatum=datetime.date(2010, 1, 1))
    t = c.traject(wereld)
    client = client_voor(wereld.users["clb"])
    url = reverse("clb:ouderinzage", args=[t.pk])

    antwoord = client.post(url, {"ouders_mogen_clb_zien": "nee", "beslist_op": VANDAAG.isoformat()})

    assert antwoord.status_code == 302
    inzage = Ouderinzage.objects.get(leerling=wereld.leerling_a)
    assert not inzage.ouders_mogen_clb_zien and inzage.beslist_op == VANDAAG
    pagina = client.get(url).content.decode()
    assert "De leerling besliste op" in pagina and "niet zien" in pagina


def test_for_a_student_under_twelve_there_is_nothing_to_record(wereld, client_voor):
    Leerling.objects.filter(pk=wereld.leerling_a.pk).update(
        geboortedatum=VANDAAG.replace(year=VANDAAG.year - 8)
        if not (VANDAAG.month == 2 and VANDAAG.day == 29)
        else datetime.date(VANDAAG.year - 8, 3, 1)
    )
    t = c.traject(wereld)

    pagina = client_voor(wereld.users["clb"]).get(reverse("clb:ouderinzage", args=[t.pk]))

    assert "nog geen 12" in pagina.content.decode()
    assert 'name="ouders_mogen_clb_zien"' not in pagina.content.decode()
