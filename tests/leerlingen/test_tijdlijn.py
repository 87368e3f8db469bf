import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerlingen import domeinen
from leerlingen.models import TijdlijnItem, Zichtbaarheid
from leerlingen.services.tijdlijn import tijdlijn_bijwerken, tijdlijn_registreren
from tests.dossier import dossier_vullen
from zorg.audit.models import AuditEvent

VANDAAG = datetime.date.today()


def _item(leerling, titel, **kwargs):
    defaults = {
        "soort": TijdlijnItem.Soort.OBSERVATIE,
        "datum": VANDAAG,
        "zichtbaarheid": Zichtbaarheid.KLASTEAM,
        "domeinen": domeinen.LEREN,
    }
    defaults.update(kwargs)
    # Any saved row can stand as the source; the student itself will do.
    return tijdlijn_registreren(leerling=leerling, titel=titel, bron=leerling, **defaults)


def _titels(response) -> list[str]:
    return [item.titel for item in response.context["pagina"].object_list]


def _url(w, **params):
    return reverse("leerlingen:tijdlijn", args=[w.leerling_a.pk])


def test_teacher_sees_class_team_entries_only(wereld, client_voor):
    _item(wereld.leerling_a, "voor het klasteam")
    _item(wereld.leerling_a, "enkel zorgteam", zichtbaarheid=Zichtbaarheid.ZORGTEAM)
    leerkracht = client_voor(wereld.leerkracht).get(_url(wereld))
    assert _titels(leerkracht) == ["voor het klasteam"]
    assert "enkel zorgteam" not in leerkracht.content.decode()
    zorg = client_voor(wereld.zorgcoordinator).get(_url(wereld))
    assert set(_titels(zorg)) == {"voor het klasteam", "enkel zorgteam"}


def test_entries_of_another_student_never_show(wereld, client_voor):
    _item(wereld.leerling_b, "over Noah")
    response = client_voor(wereld.zorgcoordinator).get(_url(wereld))
    assert _titels(response) == []


def test_newest_first(wereld, client_voor):
    _item(wereld.leerling_a, "oud", datum=VANDAAG - datetime.timedelta(days=30))
    _item(wereld.leerling_a, "nieuw")
    _item(wereld.leerling_a, "midden", datum=VANDAAG - datetime.timedelta(days=3))
    assert _titels(client_voor(wereld.titularis).get(_url(wereld))) == ["nieuw", "midden", "oud"]


def test_filter_by_domain_includes_entries_in_several_domains(wereld, client_voor):
    _item(wereld.leerling_a, "leren", domeinen=domeinen.LEREN)
    _item(wereld.leerling_a, "welzijn", domeinen=domeinen.PSYCHOSOCIAAL)
    _item(wereld.leerling_a, "beide", domeinen=domeinen.LEREN | domeinen.PSYCHOSOCIAAL)
    response = client_voor(wereld.titularis).get(_url(wereld), {"domein": domeinen.PSYCHOSOCIAAL})
    assert set(_titels(response)) == {"welzijn", "beide"}


def test_filter_by_kind_and_period(wereld, client_voor):
    _item(wereld.leerling_a, "maatregel", soort=TijdlijnItem.Soort.MAATREGEL)
    _item(
        wereld.leerling_a,
        "oude maatregel",
        soort=TijdlijnItem.Soort.MAATREGEL,
        datum=VANDAAG - datetime.timedelta(days=100),
    )
    _item(wereld.leerling_a, "observatie")
    client = client_voor(wereld.titularis)
    assert set(_titels(client.get(_url(wereld), {"soort": "maatregel"}))) == {
        "maatregel",
        "oude maatregel",
    }
    van = (VANDAAG - datetime.timedelta(days=10)).isoformat()
    assert _titels(client.get(_url(wereld), {"soort": "maatregel", "van": van})) == ["maatregel"]
    tot = (VANDAAG - datetime.timedelta(days=50)).isoformat()
    assert _titels(client.get(_url(wereld), {"tot": tot})) == ["oude maatregel"]


@pytest.mark.parametrize(
    "params",
    [
        {"van": "31-02-2026"},
        {"van": "gisteren"},
        {"domein": "99"},
        {"soort": "<script>"},
        {"van": "2026-05-01", "tot": "2026-04-01"},
        {"pagina": "x"},
    ],
)
def test_bad_filters_give_a_message_not_an_error(wereld, client_voor, params):
    _item(wereld.leerling_a, "iets")
    response = client_voor(wereld.titularis).get(_url(wereld), params)
    assert response.status_code == 200
    if set(params) - {"pagina"}:
        assert response.context["filter"].errors


def test_end_before_start_is_explained_in_dutch(wereld, client_voor):
    response = client_voor(wereld.titularis).get(
        _url(wereld), {"van": "2026-05-01", "tot": "2026-04-01"}
    )
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()


def test_pages_of_25(wereld, client_voor):
    for i in range(30):
        _item(wereld.leerling_a, f"item {i}")
    client = client_voor(wereld.titularis)
    eerste = client.get(_url(wereld))
    tweede = client.get(_url(wereld), {"pagina": 2})
    assert len(_titels(eerste)) == 25
    assert len(_titels(tweede)) == 5
    assert not set(_titels(eerste)) & set(_titels(tweede))


def test_reading_the_timeline_is_audited(wereld, client_voor):
    client_voor(wereld.titularis).get(_url(wereld))
    assert AuditEvent.objects.filter(
        leerling_id=wereld.leerling_a.pk, onderwerp="tijdlijn", gebruiker=wereld.titularis
    ).exists()


def test_updating_a_source_updates_its_entry(wereld):
    item = _item(wereld.leerling_a, "voor")
    assert tijdlijn_bijwerken(bron=wereld.leerling_a, titel="na") == 1
    item.refresh_from_db()
    assert item.titel == "na"


def _tel(client, url, params=None):
    client.get(url, params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "params", [None, {"domein": 1, "soort": "observatie", "van": "2020-01-01"}]
)
def test_query_count_is_constant_and_at_most_12(wereld, client_voor, params):
    # Guards against fetching entries (or their sources) one by one.
    client = client_voor(wereld.titularis)
    for i in range(5):
        _item(wereld.leerling_a, f"a{i}")
    weinig = _tel(client, _url(wereld), params)
    for i in range(200):
        _item(
            wereld.leerling_a,
            f"b{i}",
            soort=TijdlijnItem.Soort.MAATREGEL if i % 2 else "observatie",
        )
    veel = _tel(client, _url(wereld), params)
    assert weinig == veel
    assert veel <= 12


def test_timeline_templates_run_no_queries(wereld, client_voor, template_queries):
    for i in range(10):
        _item(wereld.leerling_a, f"a{i}", is_sterkte=bool(i % 2))
    response = client_voor(wereld.titularis).get(_url(wereld))
    assert response.status_code == 200
    assert template_queries == []


def test_student_page_shows_the_latest_five_entries(wereld, client_voor):
    for i in range(7):
        _item(wereld.leerling_a, f"item {i}", datum=VANDAAG - datetime.timedelta(days=i))
    html = (
        client_voor(wereld.titularis)
        .get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
        .content.decode()
    )
    assert "item 4" in html
    assert "item 5" not in html


# --- links only where the reader may follow them ---------------------------------------


def _maatregel_url(m) -> str:
    return reverse("leerlingen:maatregel_detail", args=[m.leerling_id, m.pk])


@pytest.mark.parametrize("pagina", ["leerlingen:tijdlijn", "leerlingen:leerling_detail"])
def test_a_teacher_sees_a_stopped_measure_on_the_timeline_without_a_link(
    wereld, client_voor, pagina
):
    d = dossier_vullen(wereld)
    html = (
        client_voor(wereld.leerkracht)
        .get(reverse(pagina, args=[wereld.leerling_a.pk]))
        .content.decode()
    )
    # The class team reads that the measure stopped (it must stop applying
    # it), but the measure itself is the care team's once it is no longer in
    # force: the page would answer 404.
    assert "Rekenmachine bij hoofdrekenen" in html
    assert _maatregel_url(d.maatregel_gestopt) not in html
    assert _maatregel_url(d.maatregel) not in html
    assert (
        client_voor(wereld.leerkracht).get(_maatregel_url(d.maatregel_gestopt)).status_code == 404
    )


def test_the_care_team_follows_the_link_to_a_stopped_measure(wereld, client_voor):
    d = dossier_vullen(wereld)
    client = client_voor(wereld.zorgcoordinator)
    html = client.get(reverse("leerlingen:tijdlijn", args=[wereld.leerling_a.pk])).content.decode()
    assert _maatregel_url(d.maatregel_gestopt) in html
    assert client.get(_maatregel_url(d.maatregel_gestopt)).status_code == 200
