"""Talks: the service (audit, timeline, visibility), the section with the
agreements made with the parents, the detail and create pages, and who sees
what."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from leerlingen import domeinen
from leerlingen.models import Gesprek, TijdlijnItem, Zichtbaarheid
from leerlingen.services.gesprekken import gesprek_maken
from leerlingen.views import gesprekken as gesprek_views
from tests.clb.factories import aanmelding
from tests.leerlingen.factories_gesprekken import GesprekFactory
from zorg.audit.models import Actie, AuditEvent

GISTEREN = datetime.date.today() - datetime.timedelta(days=1)


def _maak(wereld, **kwargs) -> Gesprek:
    waarden = {
        "leerling": wereld.leerling_a,
        "door": wereld.zorgcoordinator,
        "datum": GISTEREN,
        "soort": Gesprek.Soort.OUDERS,
        "deelnemers": "mama, klastitularis, zorgcoördinator",
        "samenvatting": "Lotte slaapt slecht sinds de verhuis.",
        "afspraken": "Mama meldt het als het slapen niet beter gaat.",
        "domeinen": domeinen.PSYCHOSOCIAAL,
    }
    waarden.update(kwargs)
    return gesprek_maken(**waarden)


def _formulier(**kwargs) -> dict:
    data = {
        "soort": "ouders",
        "datum": GISTEREN.isoformat(),
        "deelnemers": "papa, klastitularis",
        "samenvatting": "Papa vertelt dat de huistaken lang duren.",
        "afspraken": "Papa kijkt de agenda na op maandag.",
        "domeinen": [str(domeinen.LEREN)],
        "zichtbaarheid": "klasteam",
        "sleutel": str(uuid.uuid4()),
    }
    data.update(kwargs)
    return data


# --- the service ---------------------------------------------------------------


def test_a_talk_is_recorded_with_a_timeline_entry_and_an_audit_event(wereld):
    gesprek = _maak(wereld)

    assert gesprek.zichtbaarheid == Zichtbaarheid.ZORGTEAM  # the default
    item = TijdlijnItem.objects.get(bron_type="leerlingen.gesprek", bron_id=gesprek.pk)
    assert item.soort == TijdlijnItem.Soort.GESPREK
    assert item.titel == "Oudergesprek"
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    assert item.domeinen == domeinen.PSYCHOSOCIAAL
    assert "Afspraken: Mama meldt het als het slapen niet beter gaat." in item.tekst
    assert item.auteur == str(wereld.zorgcoordinator)
    assert item.url == reverse("leerlingen:gesprek_detail", args=[wereld.leerling_a.pk, gesprek.pk])
    event = AuditEvent.objects.get(onderwerp="gesprek")
    assert (event.actie, event.leerling_id, event.object_id, event.gebruiker) == (
        Actie.AANMAKEN,
        wereld.leerling_a.pk,
        str(gesprek.pk),
        wereld.zorgcoordinator,
    )


def test_a_class_team_talk_has_a_class_team_timeline_entry(wereld):
    gesprek = _maak(wereld, zichtbaarheid=Zichtbaarheid.KLASTEAM)
    item = TijdlijnItem.objects.get(bron_type="leerlingen.gesprek", bron_id=gesprek.pk)
    assert item.zichtbaarheid == Zichtbaarheid.KLASTEAM


@pytest.mark.parametrize(
    ("soort", "titel"),
    [
        ("leerling", "Leerlingengesprek"),
        ("clb", "Overleg met het CLB"),
        ("extern", "Overleg met externe partners"),
        ("mdo", "Multidisciplinair overleg"),
    ],
)
def test_the_timeline_title_names_the_kind_of_talk(wereld, soort, titel):
    gesprek = _maak(wereld, soort=soort, afspraken="")
    item = TijdlijnItem.objects.get(bron_type="leerlingen.gesprek", bron_id=gesprek.pk)
    assert item.titel == titel
    assert "Geen afspraken genoteerd." in item.tekst


@pytest.mark.parametrize(
    ("veld", "waarden", "bericht"),
    [
        ("samenvatting", {"samenvatting": "  "}, "Vat het gesprek kort samen."),
        ("deelnemers", {"deelnemers": ""}, "wie aan het gesprek deelnam"),
        ("domeinen", {"domeinen": 0}, "Kies minstens één begeleidingsdomein."),
        ("datum", {"datum": datetime.date.today() + datetime.timedelta(days=1)}, "toekomst"),
        ("afspraken", {"afspraken": "a" * 4001}, "maximaal 4000 tekens, nu 4001"),
        ("samenvatting", {"samenvatting": "a\x00"}, "ongeldig teken"),
        ("soort", {"soort": "roddel"}, "met wie het gesprek was"),
        ("zichtbaarheid", {"zichtbaarheid": "ouders"}, "wie dit gesprek mag lezen"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(wereld, veld, waarden, bericht):
    with pytest.raises(ValidationError) as exc:
        _maak(wereld, **waarden)
    assert bericht in " ".join(exc.value.message_dict[veld])
    assert not Gesprek.objects.exists()
    assert not TijdlijnItem.objects.exists()
    assert not AuditEvent.objects.exists()


# --- the section --------------------------------------------------------------------


def _pagina(client, wereld) -> str:
    return client.get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    ).content.decode()


def _blok_ouderafspraken(html: str) -> str:
    begin = html.index('data-testid="ouderafspraken"')
    return html[begin : html.index('<ol class="list-group', begin)]


def test_agreements_with_parents_are_listed_newest_first_above_the_talks(wereld, client_voor):
    _maak(wereld, datum=datetime.date(2026, 10, 1), afspraken="Oud: agenda elke dag nakijken.")
    _maak(wereld, datum=datetime.date(2026, 11, 2), afspraken="Nieuw: huiswerkklas proberen.")
    _maak(wereld, soort="leerling", afspraken="Leerling: zelf de planning bijhouden.")
    _maak(wereld, afspraken="")  # a parent talk without agreements adds nothing
    html = _pagina(client_voor(wereld.zorgcoordinator), wereld)
    blok = _blok_ouderafspraken(html)
    assert "Afspraken met ouders" in blok
    assert blok.index("Nieuw: huiswerkklas proberen.") < blok.index("Oud: agenda elke dag")
    assert "Leerling: zelf de planning bijhouden." not in blok
    assert blok.count("<li") == 2
    assert html.index('data-testid="ouderafspraken"') < html.index('data-testid="gesprek"')


def test_a_teacher_sees_class_team_talks_only(wereld, client_voor):
    _maak(wereld, afspraken="Zorgteam-afspraak.", samenvatting="Zorgteam-samenvatting.")
    _maak(
        wereld,
        afspraken="Klasteam-afspraak.",
        samenvatting="Klasteam-samenvatting.",
        zichtbaarheid=Zichtbaarheid.KLASTEAM,
    )
    leerkracht = _pagina(client_voor(wereld.leerkracht), wereld)
    assert "Klasteam-afspraak." in leerkracht
    assert "Klasteam-samenvatting." in leerkracht
    assert "Zorgteam-afspraak." not in leerkracht
    assert "Zorgteam-samenvatting." not in leerkracht
    # The CLB worker reads care-team talks of a student it reaches (a referral).
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    clb = _pagina(client_voor(wereld.users["clb"]), wereld)
    assert "Zorgteam-afspraak." in clb
    assert "Klasteam-afspraak." in clb


@pytest.mark.parametrize("rol", ["secretariaat", "beheerder"])
def test_the_secretariat_and_the_administrator_see_no_talks(wereld, client_voor, rol):
    _maak(wereld, zichtbaarheid=Zichtbaarheid.KLASTEAM)
    html = _pagina(client_voor(wereld.users[rol]), wereld)
    assert 'id="gesprekken-kop"' not in html
    assert "Mama meldt het" not in html


def test_the_section_says_talks_are_not_edited_and_offers_a_new_one(wereld, client_voor):
    html = _pagina(client_voor(wereld.titularis), wereld)
    assert "wijzig je achteraf niet" in html
    assert reverse("leerlingen:gesprek_nieuw", args=[wereld.leerling_a.pk]) + "?soort=ouders" in (
        html
    )


def test_the_clb_without_a_referral_does_not_reach_the_talks(wereld, client_voor):
    gesprek = _maak(wereld, afspraken="Zorgteam-afspraak.")
    client = client_voor(wereld.users["clb"])
    pagina = client.get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
    assert pagina.status_code == 404
    detail = reverse("leerlingen:gesprek_detail", args=[wereld.leerling_a.pk, gesprek.pk])
    assert client.get(detail).status_code == 404


def test_the_referred_clb_reads_but_is_not_offered_to_record(wereld, client_voor):
    gesprek = _maak(wereld, afspraken="Zorgteam-afspraak.")
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    client = client_voor(wereld.users["clb"])
    html = _pagina(client, wereld)
    assert 'id="gesprekken-kop"' in html
    assert reverse("leerlingen:gesprek_nieuw", args=[wereld.leerling_a.pk]) not in html
    detail = client.get(
        reverse("leerlingen:gesprek_detail", args=[wereld.leerling_a.pk, gesprek.pk])
    )
    assert detail.status_code == 200
    assert "Zorgteam-afspraak." in detail.content.decode()


def test_the_teachers_timeline_holds_no_care_team_talks(wereld, client_voor):
    _maak(wereld, afspraken="Enkel zorgteam: afspraak.")
    _maak(wereld, afspraken="Klasteam: afspraak.", zichtbaarheid=Zichtbaarheid.KLASTEAM)
    url = reverse("leerlingen:tijdlijn", args=[wereld.leerling_a.pk])
    html = client_voor(wereld.leerkracht).get(url).content.decode()
    assert "Klasteam: afspraak." in html
    assert "Enkel zorgteam: afspraak." not in html
    assert "Enkel zorgteam: afspraak." in client_voor(wereld.directie).get(url).content.decode()


# --- the detail page ---------------------------------------------------------------


def test_the_detail_page_shows_the_talk_and_audits_the_read(wereld, client_voor):
    gesprek = _maak(wereld)
    response = client_voor(wereld.directie).get(
        reverse("leerlingen:gesprek_detail", args=[wereld.leerling_a.pk, gesprek.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lotte slaapt slecht sinds de verhuis." in html
    assert "Mama meldt het als het slapen niet beter gaat." in html
    assert "mama, klastitularis, zorgcoördinator" in html
    assert "wijzig je achteraf niet" in html
    event = AuditEvent.objects.get(onderwerp="gesprek", actie=Actie.LEZEN)
    assert (event.leerling_id, event.object_id) == (wereld.leerling_a.pk, str(gesprek.pk))


def test_a_talk_of_another_student_is_404_under_this_student(wereld, client_voor):
    ander = GesprekFactory(leerling=wereld.leerling_b)
    response = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:gesprek_detail", args=[wereld.leerling_a.pk, ander.pk])
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("zichtbaarheid", "verwacht"),
    [(Zichtbaarheid.ZORGTEAM, 404), (Zichtbaarheid.KLASTEAM, 200)],
)
def test_a_teacher_opens_a_talk_only_when_it_is_for_the_class_team(
    wereld, client_voor, zichtbaarheid, verwacht
):
    gesprek = GesprekFactory(leerling=wereld.leerling_a, zichtbaarheid=zichtbaarheid)
    response = client_voor(wereld.leerkracht).get(
        reverse("leerlingen:gesprek_detail", args=[wereld.leerling_a.pk, gesprek.pk])
    )
    assert response.status_code == verwacht


def test_talks_have_no_edit_view(wereld, client_voor):
    gesprek = GesprekFactory(leerling=wereld.leerling_a)
    with pytest.raises(NoReverseMatch):
        reverse("leerlingen:gesprek_bewerken", args=[wereld.leerling_a.pk, gesprek.pk])
    response = client_voor(wereld.zorgcoordinator).post(
        reverse("leerlingen:gesprek_detail", args=[wereld.leerling_a.pk, gesprek.pk]),
        {"samenvatting": "Stil herschreven."},
    )
    assert response.status_code == 405
    gesprek.refresh_from_db()
    assert gesprek.samenvatting != "Stil herschreven."


# --- the create page ----------------------------------------------------------------


def test_recording_a_talk_leads_to_its_page(wereld, client_voor):
    client = client_voor(wereld.titularis)
    response = client.post(
        reverse("leerlingen:gesprek_nieuw", args=[wereld.leerling_a.pk]), _formulier()
    )
    gesprek = Gesprek.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "leerlingen:gesprek_detail", args=[wereld.leerling_a.pk, gesprek.pk]
    )
    assert (gesprek.door, gesprek.soort, gesprek.zichtbaarheid) == (
        wereld.titularis,
        "ouders",
        "klasteam",
    )
    assert "Het gesprek is bewaard." in client.get(response["Location"]).content.decode()


def test_the_create_form_defaults_to_the_care_team_and_takes_the_kind_from_the_link(
    wereld, client_voor
):
    response = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:gesprek_nieuw", args=[wereld.leerling_a.pk]), {"soort": "ouders"}
    )
    form = response.context["form"]
    assert form["zichtbaarheid"].value() == Zichtbaarheid.ZORGTEAM
    assert form["soort"].value() == "ouders"
    assert form["datum"].value() == timezone.localdate()


def test_an_unknown_kind_in_the_link_is_ignored(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:gesprek_nieuw", args=[wereld.leerling_a.pk]), {"soort": "<script>"}
    )
    assert response.status_code == 200
    assert response.context["form"]["soort"].value() in (None, "")


def test_a_teacher_recording_a_care_team_talk_is_told_it_leaves_their_view(wereld, client_voor):
    client = client_voor(wereld.leerkracht)
    response = client.post(
        reverse("leerlingen:gesprek_nieuw", args=[wereld.leerling_a.pk]),
        _formulier(zichtbaarheid="zorgteam"),
    )
    assert Gesprek.objects.get().zichtbaarheid == Zichtbaarheid.ZORGTEAM
    assert response["Location"].endswith("#gesprekken")
    html = client.get(response["Location"]).content.decode()
    assert "enkel voor het zorgteam" in html
    assert "Papa vertelt dat de huistaken lang duren." not in html


def test_bad_input_on_the_create_page_shows_messages_and_saves_nothing(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        reverse("leerlingen:gesprek_nieuw", args=[wereld.leerling_a.pk]),
        _formulier(samenvatting="", domeinen=[], datum="morgen", afspraken="x" * 4100),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vat het gesprek kort samen." in html
    assert "Kies minstens één begeleidingsdomein." in html
    assert "Vul een geldige datum in." in html
    assert "maximaal 4000 tekens, nu 4100" in html
    assert not Gesprek.objects.exists()


def test_a_future_date_is_refused(wereld, client_voor):
    morgen = timezone.localdate() + datetime.timedelta(days=1)
    response = client_voor(wereld.zorgcoordinator).post(
        reverse("leerlingen:gesprek_nieuw", args=[wereld.leerling_a.pk]),
        _formulier(datum=morgen.isoformat()),
    )
    assert "De datum ligt in de toekomst" in response.content.decode()
    assert not Gesprek.objects.exists()


@pytest.mark.parametrize("rol", ["clb", "secretariaat", "leerkracht_b", "buitenstaander"])
def test_roles_that_do_not_record_talks_get_404_and_nothing_is_saved(wereld, client_voor, rol):
    if rol == "clb":
        # Even a CLB worker who reaches her (a referral) records no school talks.
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    response = client_voor(wereld.users[rol]).post(
        reverse("leerlingen:gesprek_nieuw", args=[wereld.leerling_a.pk]), _formulier()
    )
    assert response.status_code == 404
    assert not Gesprek.objects.exists()


# --- queries ----------------------------------------------------------------------


def _vul(wereld, aantal):
    for i in range(aantal):
        GesprekFactory(
            leerling=wereld.leerling_a,
            door=wereld.zorgcoordinator if i % 2 else wereld.titularis,
            soort=Gesprek.Soort.OUDERS if i % 3 else Gesprek.Soort.LEERLING,
            afspraken=f"Afspraak {i}." if i % 2 else "",
            zichtbaarheid=Zichtbaarheid.KLASTEAM if i % 4 else Zichtbaarheid.ZORGTEAM,
        )


@pytest.mark.parametrize("rol", ["titularis", "zorgcoordinator"])
def test_the_section_query_count_does_not_grow_with_talks(wereld, rol):
    # Guards against a query per talk for the author (joined) and against
    # the parents' agreements being gathered per talk.
    request = RequestFactory().get("/")
    request.user = wereld.users[rol]
    _vul(wereld, 5)
    gesprek_views.sectie(request, wereld.leerling_a)
    with CaptureQueriesContext(connection) as weinig:
        gesprek_views.sectie(request, wereld.leerling_a)
    _vul(wereld, 195)
    with CaptureQueriesContext(connection) as veel:
        context = gesprek_views.sectie(request, wereld.leerling_a)
    assert len(veel) == len(weinig) <= 3
    assert len(context["gesprekken"]) == gesprek_views.IN_SECTIE
    assert context["meer_gesprekken"] is True


def test_the_student_page_query_count_does_not_grow_with_talks(wereld, client_voor):
    # The whole student page, with this section among the others.
    client = client_voor(wereld.titularis)
    url = reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    _vul(wereld, 5)
    client.get(url)
    with CaptureQueriesContext(connection) as weinig:
        client.get(url)
    _vul(wereld, 195)
    with CaptureQueriesContext(connection) as veel:
        client.get(url)
    assert len(veel) == len(weinig)


def test_the_section_template_runs_no_queries(wereld, template_queries):
    _vul(wereld, 15)
    request = RequestFactory().get("/")
    request.user = wereld.zorgcoordinator
    s = gesprek_views.sectie(request, wereld.leerling_a)
    html = render_to_string(
        "leerlingen/secties/gesprekken.html", {"s": s, "leerling": wereld.leerling_a}, request
    )
    assert "Afspraak 1." in html
    assert template_queries == []


def test_the_pages_run_no_template_queries(wereld, client_voor, template_queries):
    _vul(wereld, 15)
    gesprek = _maak(wereld)
    client = client_voor(wereld.zorgcoordinator)
    for url in (
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]),
        reverse("leerlingen:gesprek_detail", args=[wereld.leerling_a.pk, gesprek.pk]),
        reverse("leerlingen:gesprek_nieuw", args=[wereld.leerling_a.pk]),
    ):
        assert client.get(url).status_code == 200
    assert template_queries == []
