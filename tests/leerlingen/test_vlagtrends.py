"""Patterns and trends of behaviour flags: the SVG chart renderer, the
school and class trend views (numbers, filters, access, bad input, query
counts) and the bulk flag generator of the demo and the benchmark."""

import datetime
import xml.etree.ElementTree as ET
import zoneinfo

import pytest
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerlingen.grafieken import Grafiek, Reeks, schaal_maximum, staafdiagram, tabel_html
from leerlingen.models import Lesopdracht, Vlag, VlagBetrokkene, VlagKleur, VlagOpvolging
from leerlingen.views.vlagtrends import perioden
from leerlingen.vlagtellingen import vlaggen_bulk_aanmaken
from tests import factories as f
from tests.clb.factories import aanmelding
from zorg.accounts.models import Rol
from zorg.audit.models import AuditEvent
from zorg.demo.vlaggen import bulk_vlaggen

BRUSSEL = zoneinfo.ZoneInfo("Europe/Brussels")
SVG = "{http://www.w3.org/2000/svg}"
URL = reverse("leerlingen:vlag_trends")
# The year the wereld's current school year begins in (it follows the clock,
# see ZORG_TEST_DATUM in tests/conftest.py), and two of its weeks, Mondays:
# the first Monday of October and two weeks later.
JAAR = f.huidig_schooljaar_begin().year
WEEK_X = datetime.date(JAAR, 10, 1) + datetime.timedelta(
    days=-datetime.date(JAAR, 10, 1).weekday() % 7
)
WEEK_Y = WEEK_X + datetime.timedelta(days=14)


def _moment(dag, uur=10, minuut=0):
    return datetime.datetime.combine(dag, datetime.time(uur, minuut), tzinfo=BRUSSEL)


def vlag(klas, *, kleur=VlagKleur.GEEL, moment=None, vak=None, leerlingen=(), door=None):
    """One flag in `klas`, with its students (at least one of the class)."""
    school = klas.schooljaar.school
    v = Vlag.objects.create(
        school=school,
        klas=klas,
        kleur=kleur,
        moment=moment or _moment(WEEK_X),
        vak=vak,
        omschrijving="Zat op de gsm.",
        gemeld_door=door or f.UserFactory(),
    )
    leerlingen = list(leerlingen) or [f.leerling_in(klas)]
    VlagBetrokkene.objects.bulk_create(VlagBetrokkene(vlag=v, leerling=x) for x in leerlingen)
    return v


def veel_vlaggen(klas, aantal, door, leerling):
    """`aantal` flags spread over the school year, in bulk."""
    kleuren = list(VlagKleur)
    vlaggen = vlaggen_bulk_aanmaken(
        Vlag(
            school=klas.schooljaar.school,
            klas=klas,
            kleur=kleuren[i % 4],
            moment=_moment(datetime.date(JAAR, 9, 1) + datetime.timedelta(days=i % 80)),
            omschrijving="x",
            gemeld_door=door,
        )
        for i in range(aantal)
    )
    VlagBetrokkene.objects.bulk_create(VlagBetrokkene(vlag=v, leerling=leerling) for v in vlaggen)


def _xml(markup):
    """Parse markup this app rendered itself (never outside input)."""
    return ET.fromstring(str(markup))  # noqa: S314


def _svg(response):
    return _xml(response.context["trends"].svg)


# --- the renderer -------------------------------------------------------------------


def _grafiek(**kwargs):
    standaard = {
        "titel": "Vlaggen per week in 3A",
        "omschrijving": "Een samenvatting.",
        "categorieen": ["5/10", "12/10", "19/10"],
        "reeksen": [
            Reeks("groen", "Groen", "#2e7d32", [2, 0, 1]),
            Reeks("geel", "Geel", "#f2c94c", [4, 1, 0], rand="#7a5c00"),
        ],
    }
    return Grafiek(**(standaard | kwargs))


def _staven(svg):
    return svg.findall(f".//{SVG}rect[@class]")


def _balken(svg, sleutel=None):
    return [
        r
        for r in _staven(svg)
        if r.get("class").startswith("staaf")
        and (sleutel is None or f"staaf-{sleutel}" in r.get("class"))
    ]


def test_the_chart_is_valid_svg_with_a_title_and_description_for_screen_readers():
    svg = _xml(staafdiagram(_grafiek(), id="g1"))
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "g1-titel g1-desc"
    assert svg.find(f"{SVG}title").text == "Vlaggen per week in 3A"
    assert svg.find(f"{SVG}title").get("id") == "g1-titel"
    assert svg.find(f"{SVG}desc").text == "Een samenvatting."


def test_a_stacked_chart_draws_one_bar_per_non_zero_number():
    svg = _xml(staafdiagram(_grafiek()))
    # groen 2, 1 and geel 4, 1: four segments; zeros draw nothing.
    assert len(_balken(svg)) == 4
    assert len(_balken(svg, "groen")) == 2
    assert len(_balken(svg, "geel")) == 2


def test_bar_heights_are_proportional_to_the_numbers():
    svg = _xml(staafdiagram(_grafiek(), gestapeld=False))
    hoogten = {r.find(f"{SVG}title").text: float(r.get("height")) for r in _balken(svg)}
    # Geel 4 in the first week is four times geel 1 in the second, twice groen 2.
    geel_4 = hoogten["5/10: 4 Geel"]
    assert geel_4 == pytest.approx(4 * hoogten["12/10: 1 Geel"], rel=0.02)
    assert geel_4 == pytest.approx(2 * hoogten["5/10: 2 Groen"], rel=0.02)


def test_stacked_segments_sit_on_top_of_each_other():
    svg = _xml(staafdiagram(_grafiek(), gestapeld=True))
    groen, geel = _balken(svg, "groen")[0], _balken(svg, "geel")[0]
    assert groen.get("x") == geel.get("x")
    assert float(geel.get("y")) + float(geel.get("height")) == pytest.approx(
        float(groen.get("y")), abs=0.11
    )


def test_grouped_bars_stand_side_by_side_on_the_same_baseline():
    svg = _xml(staafdiagram(_grafiek(), gestapeld=False))
    groen, geel = _balken(svg, "groen")[0], _balken(svg, "geel")[0]
    assert float(geel.get("x")) > float(groen.get("x"))
    assert float(groen.get("y")) + float(groen.get("height")) == pytest.approx(
        float(geel.get("y")) + float(geel.get("height")), abs=0.11
    )


def test_no_data_renders_an_empty_state_without_dividing_by_zero():
    leeg = _grafiek(
        reeksen=[Reeks("groen", "Groen", "#2e7d32", [0, 0, 0])], leeg_tekst="Geen vlaggen."
    )
    svg = _xml(staafdiagram(leeg))
    assert not _balken(svg)
    assert svg.find(f".//{SVG}text[@class='leeg']").text == "Geen vlaggen."


def test_a_chart_without_periods_still_renders():
    svg = _xml(
        staafdiagram(_grafiek(categorieen=[], reeksen=[Reeks("rood", "Rood", "#b42318", [])]))
    )
    assert not _balken(svg)
    assert svg.find(f".//{SVG}text[@class='leeg']") is not None


def test_text_in_the_chart_and_table_is_escaped():
    kwaad = "<script>alert(1)</script>"
    grafiek = _grafiek(
        titel=kwaad,
        omschrijving='a "quote" & more',
        categorieen=["<b>1</b>", "2", "3"],
        reeksen=[Reeks("groen", "<img src=x>", "#2e7d32", [1, 2, 3])],
    )
    markup = str(staafdiagram(grafiek))
    assert "<script" not in markup and "<img" not in markup and "<b>" not in markup
    svg = _xml(markup)
    assert svg.find(f"{SVG}title").text == kwaad
    assert svg.find(f"{SVG}desc").text == 'a "quote" & more'
    tabel = str(tabel_html(grafiek, bijschrift=kwaad))
    assert "<script" not in tabel and "<img" not in tabel
    assert "&lt;script&gt;" in tabel


def test_the_chart_has_no_inline_styles_scripts_or_external_references():
    markup = str(staafdiagram(_grafiek()))
    for verboden in ("style=", "<style", "<script", "href", "url(", "on"):
        if verboden == "on":
            assert " onclick" not in markup and " onload" not in markup
        else:
            assert verboden not in markup


def test_the_legend_names_every_series_with_its_total():
    svg = _xml(staafdiagram(_grafiek()))
    teksten = [t.text for t in svg.findall(f".//{SVG}g/{SVG}text")]
    assert teksten == ["Groen (3)", "Geel (5)"]


def test_the_table_fallback_has_the_same_numbers_and_totals():
    tabel = _xml(tabel_html(_grafiek(), bijschrift="Vlaggen", kop="Week"))
    koppen = [th.text for th in tabel.find("thead").iter("th")]
    assert koppen == ["Week", "Groen", "Geel", "Totaal"]
    rijen = [[c.text for c in tr] for tr in tabel.find("tbody")]
    assert rijen == [["5/10", "2", "4", "6"], ["12/10", "0", "1", "1"], ["19/10", "1", "0", "1"]]
    assert [c.text for c in tabel.find("tfoot/tr")] == ["Totaal", "3", "5", "8"]
    assert tabel.find("caption").text == "Vlaggen"


def test_a_series_of_the_wrong_length_or_with_negative_numbers_is_refused():
    with pytest.raises(ValueError):
        _grafiek(reeksen=[Reeks("groen", "Groen", "#2e7d32", [1, 2])])
    with pytest.raises(ValueError):
        _grafiek(reeksen=[Reeks("groen", "Groen", "#2e7d32", [1, -2, 3])])


@pytest.mark.parametrize(
    ("waarde", "top", "stap"),
    [(0, 0, 1), (1, 1, 1), (3, 3, 1), (7, 8, 2), (10, 10, 5), (250, 300, 100), (1234, 1500, 500)],
)
def test_the_y_axis_ends_on_a_round_number(waarde, top, stap):
    assert schaal_maximum(waarde) == (top, stap)


def test_weeks_start_on_monday_and_months_on_the_first():
    assert perioden(datetime.date(2026, 10, 7), datetime.date(2026, 10, 19), "week") == [
        datetime.date(2026, 10, 5),
        datetime.date(2026, 10, 12),
        datetime.date(2026, 10, 19),
    ]
    assert perioden(datetime.date(2026, 11, 15), datetime.date(2027, 1, 2), "maand") == [
        datetime.date(2026, 11, 1),
        datetime.date(2026, 12, 1),
        datetime.date(2027, 1, 1),
    ]


# --- the school view: numbers ----------------------------------------------------


def _trends(client, params=None, url=URL):
    response = client.get(url, params or {})
    assert response.status_code == 200
    trends = response.context["trends"]
    assert trends is not None, response.context["form"].errors
    return trends


def test_the_care_coordinator_sees_flags_per_colour_per_week(wereld, client_voor):
    for dag in (0, 1, 3):
        vlag(wereld.klas_a, kleur=VlagKleur.GEEL, moment=_moment(WEEK_X + datetime.timedelta(dag)))
    vlag(wereld.klas_b, kleur=VlagKleur.ROOD, moment=_moment(WEEK_Y + datetime.timedelta(2)))
    vlag(wereld.klas_b, kleur=VlagKleur.GROEN, moment=_moment(WEEK_Y))
    trends = _trends(client_voor(wereld.zorgcoordinator))
    assert trends.aantal("geel", WEEK_X) == 3
    assert trends.aantal("rood", WEEK_Y) == 1
    assert trends.aantal("rood", WEEK_X) == 0
    assert trends.aantal("groen", WEEK_Y) == 1
    assert [(t["kleur"], t["aantal"]) for t in trends.totalen] == [
        ("groen", 1),
        ("geel", 3),
        ("oranje", 0),
        ("rood", 1),
    ]
    assert trends.totaal == 5


def test_green_flags_are_shown_beside_the_others_in_chart_legend_and_totals(wereld, client_voor):
    vlag(wereld.klas_a, kleur=VlagKleur.GROEN)
    vlag(wereld.klas_a, kleur=VlagKleur.ROOD)
    response = client_voor(wereld.directie).get(URL)
    svg = _svg(response)
    assert len(_balken(svg, "groen")) == 1
    assert len(_balken(svg, "rood")) == 1
    html = response.content.decode()
    assert 'data-kleur="groen"' in html
    assert "Groen (1)" in html


def test_an_incident_with_several_students_counts_once(wereld, client_voor):
    andere = f.leerling_in(wereld.klas_a)
    vlag(wereld.klas_a, kleur=VlagKleur.ORANJE, leerlingen=[wereld.leerling_a, andere])
    trends = _trends(client_voor(wereld.zorgcoordinator))
    assert trends.aantal("oranje", WEEK_X) == 1
    assert trends.totaal == 1


def test_flags_of_another_school_are_never_counted(wereld, client_voor):
    vlag(wereld.klas_x, kleur=VlagKleur.ROOD)
    vlag(wereld.klas_a, kleur=VlagKleur.GEEL)
    trends = _trends(client_voor(wereld.zorgcoordinator))
    assert trends.totaal == 1
    assert trends.aantal("rood", WEEK_X) == 0


def test_the_default_period_is_the_current_school_year(wereld, client_voor):
    jaar = wereld.schooljaar
    vlag(wereld.klas_a, moment=_moment(jaar.begin, 8, 30))
    vlag(wereld.klas_a, moment=_moment(datetime.date(JAAR, 5, 12)))  # last school year
    response = client_voor(wereld.zorgcoordinator).get(URL)
    trends = response.context["trends"]
    assert trends.totaal == 1

    def maandag(dag):
        return dag - datetime.timedelta(days=dag.weekday())

    assert trends.perioden[0] == maandag(jaar.begin)  # the Monday of 1 September
    assert trends.perioden[-1] == maandag(jaar.einde)
    form = response.context["form"]
    assert form["van"].value() == f"{JAAR}-09-01"
    assert form["tot"].value() == jaar.einde.isoformat() == f"{JAAR + 1}-08-31"


def test_a_chosen_period_counts_only_its_own_flags(wereld, client_voor):
    vlag(wereld.klas_a, moment=_moment(datetime.date(2026, 5, 12)))
    vlag(wereld.klas_a, moment=_moment(datetime.date(2026, 5, 31), 23, 59))
    vlag(wereld.klas_a, moment=_moment(datetime.date(2026, 6, 1), 0, 0))
    trends = _trends(
        client_voor(wereld.zorgcoordinator),
        {"van": "2026-05-01", "tot": "2026-05-31", "groepering": "maand"},
    )
    assert trends.perioden == [datetime.date(2026, 5, 1)]
    assert trends.aantal("geel", datetime.date(2026, 5, 1)) == 2


def test_counting_per_month(wereld, client_voor):
    vlag(wereld.klas_a, kleur=VlagKleur.GEEL, moment=_moment(datetime.date(JAAR, 10, 1)))
    vlag(wereld.klas_a, kleur=VlagKleur.GEEL, moment=_moment(datetime.date(JAAR, 10, 30)))
    vlag(wereld.klas_a, kleur=VlagKleur.ORANJE, moment=_moment(datetime.date(JAAR, 11, 2)))
    trends = _trends(client_voor(wereld.zorgcoordinator), {"groepering": "maand"})
    assert trends.perioden[:3] == [
        datetime.date(JAAR, 9, 1),
        datetime.date(JAAR, 10, 1),
        datetime.date(JAAR, 11, 1),
    ]
    assert trends.aantal("geel", datetime.date(JAAR, 10, 1)) == 2
    assert trends.aantal("oranje", datetime.date(JAAR, 11, 1)) == 1
    assert "Vlaggen per maand" in trends.grafiek.titel


# --- time zone edges -----------------------------------------------------------------


def test_a_flag_on_sunday_at_half_past_eleven_brussels_time_belongs_to_that_week(
    wereld, client_voor
):
    zondag = WEEK_X + datetime.timedelta(days=6)
    vlag(wereld.klas_a, kleur=VlagKleur.ROOD, moment=_moment(zondag, 23, 30))
    trends = _trends(client_voor(wereld.zorgcoordinator))
    assert trends.aantal("rood", WEEK_X) == 1
    assert trends.aantal("rood", WEEK_X + datetime.timedelta(days=7)) == 0


def test_a_flag_just_after_midnight_on_monday_belongs_to_the_new_week(wereld, client_voor):
    # 00:30 in Brussels is still Sunday in UTC: grouping in UTC would put it
    # in the week before.
    maandag = WEEK_Y
    moment = _moment(maandag, 0, 30)
    assert moment.astimezone(datetime.UTC).date() == maandag - datetime.timedelta(days=1)
    vlag(wereld.klas_a, kleur=VlagKleur.ORANJE, moment=moment)
    trends = _trends(client_voor(wereld.zorgcoordinator))
    assert trends.aantal("oranje", WEEK_Y) == 1
    assert trends.aantal("oranje", WEEK_Y - datetime.timedelta(days=7)) == 0


def test_a_flag_just_after_midnight_on_the_first_belongs_to_the_new_month(wereld, client_voor):
    vlag(wereld.klas_a, kleur=VlagKleur.GEEL, moment=_moment(datetime.date(JAAR, 11, 1), 0, 15))
    vlag(wereld.klas_a, kleur=VlagKleur.GEEL, moment=_moment(datetime.date(JAAR, 10, 31), 23, 45))
    trends = _trends(client_voor(wereld.zorgcoordinator), {"groepering": "maand"})
    assert trends.aantal("geel", datetime.date(JAAR, 11, 1)) == 1
    assert trends.aantal("geel", datetime.date(JAAR, 10, 1)) == 1


def test_the_last_day_of_the_period_counts_until_midnight_brussels_time(wereld, client_voor):
    vlag(wereld.klas_a, moment=_moment(datetime.date(2026, 10, 11), 23, 30))
    vlag(wereld.klas_a, moment=_moment(datetime.date(2026, 10, 12), 0, 10))
    trends = _trends(
        client_voor(wereld.zorgcoordinator), {"van": "2026-10-05", "tot": "2026-10-11"}
    )
    assert trends.totaal == 1


# --- filters ---------------------------------------------------------------------


def test_filter_by_class(wereld, client_voor):
    vlag(wereld.klas_a, kleur=VlagKleur.GEEL)
    vlag(wereld.klas_b, kleur=VlagKleur.ROOD)
    trends = _trends(client_voor(wereld.zorgcoordinator), {"klas": wereld.klas_b.pk})
    assert trends.totaal == 1
    assert trends.aantal("rood", WEEK_X) == 1


def test_filter_by_grade(wereld, client_voor):
    klas_5 = f.KlasFactory(schooljaar=wereld.schooljaar, naam="5A", leerjaar=5)
    vlag(klas_5, kleur=VlagKleur.ORANJE)
    vlag(wereld.klas_a, kleur=VlagKleur.GEEL)
    trends = _trends(client_voor(wereld.zorgcoordinator), {"leerjaar": 5})
    assert trends.totaal == 1
    assert trends.aantal("oranje", WEEK_X) == 1
    keuzes = dict(
        client_voor(wereld.zorgcoordinator).get(URL).context["form"].fields["leerjaar"].choices
    )
    assert keuzes[3] == "3de leerjaar" and keuzes[5] == "5de leerjaar"


def test_filter_by_subject(wereld, client_voor):
    wiskunde = f.VakFactory(school=wereld.school, naam="Wiskunde")
    frans = f.VakFactory(school=wereld.school, naam="Frans")
    vlag(wereld.klas_a, vak=wiskunde)
    vlag(wereld.klas_a, vak=frans)
    vlag(wereld.klas_a, vak=frans)
    trends = _trends(client_voor(wereld.zorgcoordinator), {"vak": frans.pk})
    assert trends.totaal == 2


def test_a_class_of_an_earlier_school_year_can_be_chosen_and_is_labelled_with_its_year(
    wereld, client_voor
):
    oud = f.KlasFactory(schooljaar=wereld.vorig_schooljaar, naam="2A")
    vlag(oud, moment=_moment(datetime.date(JAAR, 3, 3)))
    client = client_voor(wereld.zorgcoordinator)
    vorig_jaar = {"van": f"{JAAR - 1}-09-01", "tot": f"{JAAR}-06-30"}
    keuzes = dict(client.get(URL, vorig_jaar).context["form"].fields["klas"].choices)
    assert keuzes[oud.pk] == f"2A ({JAAR - 1}-{JAAR})"
    trends = _trends(client, {"klas": oud.pk, **vorig_jaar})
    assert trends.totaal == 1


def test_the_class_filter_offers_the_classes_of_the_school_years_of_the_period(wereld, client_voor):
    """A school group's thousands of classes of every year are not offered
    at once (issue 19): the current year's by default, an earlier year's
    when the period reaches into it."""
    oud = f.KlasFactory(schooljaar=wereld.vorig_schooljaar, naam="2A")
    client = client_voor(wereld.zorgcoordinator)

    keuzes = dict(client.get(URL).context["form"].fields["klas"].choices)
    assert wereld.klas_a.pk in keuzes and oud.pk not in keuzes
    over_twee_jaar = {"van": f"{JAAR - 1}-09-01", "tot": wereld.klas_a.schooljaar.einde}
    keuzes = dict(client.get(URL, over_twee_jaar).context["form"].fields["klas"].choices)
    assert keuzes[oud.pk] == f"2A ({JAAR - 1}-{JAAR})" and keuzes[wereld.klas_a.pk] == "3A"
    # A class outside the period is refused with the form's message, not a 500.
    response = client.get(URL, {"klas": oud.pk})
    assert response.status_code == 200
    assert "Kies een klas uit de lijst." in response.content.decode()


# --- bad input: a message, never a 500 -------------------------------------------------


@pytest.mark.parametrize(
    ("params", "veld", "bericht"),
    [
        ({"van": "gisteren"}, "van", "Vul een geldige datum in."),
        ({"van": "2026-13-45"}, "van", "Vul een geldige datum in."),
        (
            {"van": "2026-10-10", "tot": "2026-10-01"},
            "tot",
            "De einddatum ligt vóór de begindatum.",
        ),
        ({"van": "0001-01-01"}, "van", "Kies een datum tussen 2000 en 2099."),
        ({"tot": "9999-12-31"}, "tot", "Kies een datum tussen 2000 en 2099."),
        (
            {"van": "2010-01-01", "tot": "2026-01-01"},
            "tot",
            "Kies een periode van hoogstens drie jaar.",
        ),
        ({"leerjaar": "99"}, "leerjaar", "Kies een leerjaar uit de lijst."),
        ({"leerjaar": "drie"}, "leerjaar", "Kies een leerjaar uit de lijst."),
        ({"vak": "abc"}, "vak", "Kies een vak uit de lijst."),
        ({"groepering": "jaar"}, "groepering", "Kies of je per week of per maand wilt tellen."),
        ({"weergave": "taart"}, "weergave", "Kies gestapelde staven of staven naast elkaar."),
    ],
)
def test_bad_filter_input_gives_a_dutch_message(wereld, client_voor, params, veld, bericht):
    vlag(wereld.klas_a)
    response = client_voor(wereld.zorgcoordinator).get(URL, params)
    assert response.status_code == 200
    assert response.context["trends"] is None
    assert bericht in response.context["form"].errors[veld]
    assert bericht in response.content.decode()
    assert "De filter klopt niet" in response.content.decode()


def test_a_class_of_another_school_injected_in_the_filter_is_refused(wereld, client_voor):
    vlag(wereld.klas_x, kleur=VlagKleur.ROOD)
    response = client_voor(wereld.zorgcoordinator).get(URL, {"klas": wereld.klas_x.pk})
    assert response.status_code == 200
    assert response.context["trends"] is None
    assert "Kies een klas uit de lijst." in response.context["form"].errors["klas"]


def test_a_subject_of_another_school_injected_in_the_filter_is_refused(wereld, client_voor):
    vak_x = f.VakFactory(school=wereld.school2, naam="Latijn")
    response = client_voor(wereld.zorgcoordinator).get(URL, {"vak": vak_x.pk})
    assert response.context["trends"] is None
    assert "Kies een vak uit de lijst." in response.context["form"].errors["vak"]


def test_empty_filter_values_fall_back_to_the_defaults(wereld, client_voor):
    vlag(wereld.klas_a)
    trends = _trends(
        client_voor(wereld.zorgcoordinator),
        {"van": "", "tot": "", "klas": "", "groepering": "", "weergave": ""},
    )
    assert trends.totaal == 1


# --- which school ----------------------------------------------------------------------


def test_another_schools_id_in_the_school_parameter_is_a_404(wereld, client_voor):
    vlag(wereld.klas_x, kleur=VlagKleur.ROOD)
    client = client_voor(wereld.zorgcoordinator)
    assert client.get(URL, {"school": wereld.school2.pk}).status_code == 404
    assert client.get(URL, {"school": "abc"}).status_code == 404
    assert client.get(URL, {"school": 999_999}).status_code == 404


def test_the_care_coordinator_of_another_school_sees_only_their_own_school(wereld, client_voor):
    vlag(wereld.klas_a, kleur=VlagKleur.GEEL)
    vlag(wereld.klas_x, kleur=VlagKleur.ROOD)
    client = client_voor(wereld.buitenstaander)
    response = client.get(URL)
    assert response.context["school"] == wereld.school2
    trends = response.context["trends"]
    assert (trends.totaal, trends.aantal("rood", WEEK_X)) == (1, 1)
    assert client.get(URL, {"school": wereld.school.pk}).status_code == 404


def test_a_coordinator_of_two_schools_picks_the_school(wereld, client_voor):
    f.LidmaatschapFactory(
        user=wereld.zorgcoordinator, school=wereld.school2, rol=Rol.ZORGCOORDINATOR
    )
    vlag(wereld.klas_a, kleur=VlagKleur.GEEL)
    vlag(wereld.klas_x, kleur=VlagKleur.ROOD)
    vlag(wereld.klas_x, kleur=VlagKleur.ROOD)
    client = client_voor(wereld.zorgcoordinator)
    eerste = client.get(URL)
    # Without a choice: the first school by name ("Andere School").
    assert eerste.context["school"] == wereld.school2
    assert dict(eerste.context["form"].fields["school"].choices) == {
        wereld.school2.pk: "Andere School",
        wereld.school.pk: "Sint-Testcollege",
    }
    gekozen = client.get(URL, {"school": wereld.school.pk})
    assert gekozen.context["school"] == wereld.school
    assert gekozen.context["trends"].totaal == 1
    assert gekozen.context["trends"].aantal("geel", WEEK_X) == 1


def test_a_coordinator_of_one_school_gets_no_school_choice(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).get(URL)
    assert "school" not in response.context["form"].fields


@pytest.mark.parametrize(
    "rol", ["leerkracht", "titularis", "secretariaat", "beheerder", "clb", "platform"]
)
def test_who_is_not_on_a_care_team_gets_a_404_for_the_school_trends(wereld, client_voor, rol):
    assert client_voor(wereld.users[rol]).get(URL).status_code == 404


def test_an_inactive_membership_does_not_open_the_school_trends(wereld, client_voor):
    gebruiker = f.UserFactory()
    f.LidmaatschapFactory(user=gebruiker, school=wereld.school, rol=Rol.DIRECTIE, actief=False)
    assert client_voor(gebruiker).get(URL).status_code == 404


# --- the class view ----------------------------------------------------------------------


def _klas_url(klas):
    return reverse("leerlingen:klas_vlag_trends", args=[klas.pk])


def test_a_teacher_of_the_class_sees_only_that_class(wereld, client_voor):
    vlag(wereld.klas_a, kleur=VlagKleur.GEEL)
    vlag(wereld.klas_a, kleur=VlagKleur.GROEN)
    vlag(wereld.klas_b, kleur=VlagKleur.ROOD)
    trends = _trends(client_voor(wereld.leerkracht), url=_klas_url(wereld.klas_a))
    assert trends.totaal == 2
    assert trends.aantal("groen", WEEK_X) == 1
    assert trends.aantal("rood", WEEK_X) == 0
    assert "3A" in trends.grafiek.titel


def test_the_class_view_filters_by_subject_and_has_no_class_or_grade_filter(wereld, client_voor):
    frans = f.VakFactory(school=wereld.school, naam="Frans")
    vlag(wereld.klas_a, vak=frans)
    vlag(wereld.klas_a)
    response = client_voor(wereld.titularis).get(_klas_url(wereld.klas_a), {"vak": frans.pk})
    assert response.context["trends"].totaal == 1
    assert {"klas", "leerjaar", "school"}.isdisjoint(response.context["form"].fields)


@pytest.mark.parametrize(
    ("rol", "status"),
    [
        ("leerkracht", 200),
        ("titularis", 200),
        ("zorgcoordinator", 200),
        ("directie", 200),
        ("leerkracht_b", 404),
        ("secretariaat", 404),
        ("beheerder", 404),
        ("clb", 404),
        ("buitenstaander", 404),
    ],
)
def test_who_sees_the_class_trends(wereld, client_voor, rol, status):
    if rol == "clb":
        # A referred student of the class opens no class to the CLB.
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    assert client_voor(wereld.users[rol]).get(_klas_url(wereld.klas_a)).status_code == status


def test_bad_input_on_the_class_view_gives_a_message(wereld, client_voor):
    response = client_voor(wereld.leerkracht).get(
        _klas_url(wereld.klas_a), {"van": "2026-10-10", "tot": "2026-01-01"}
    )
    assert response.status_code == 200
    assert response.context["trends"] is None
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()


# --- page, htmx, audit ---------------------------------------------------------------------


def test_the_page_shows_the_chart_and_the_table_of_numbers(wereld, client_voor):
    vlag(wereld.klas_a, kleur=VlagKleur.GEEL)
    html = client_voor(wereld.zorgcoordinator).get(URL).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="staafdiagram"' in html
    assert "tabel-grafiek" in html
    assert "Toon de cijfers als tabel" in html
    assert "style=" not in html.split('id="vlagtrends"')[1]


def test_an_htmx_request_gets_only_the_filter_and_chart(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).get(
        URL, {"groepering": "maand"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="vlagtrends">')
    assert "<html" not in html
    assert "staafdiagram" in html


def test_reading_the_trends_is_audited_once(wereld, client_voor):
    client_voor(wereld.zorgcoordinator).get(URL, {"groepering": "maand"})
    event = AuditEvent.objects.get(onderwerp="vlagtrends")
    assert event.gebruiker == wereld.zorgcoordinator
    assert event.actie == "lezen"
    assert event.school_id == wereld.school.pk
    assert "maand" in event.omschrijving
    client_voor(wereld.leerkracht).get(_klas_url(wereld.klas_a))
    assert (
        AuditEvent.objects.filter(onderwerp="vlagtrends", object_id=str(wereld.klas_a.pk)).count()
        == 1
    )


# --- query counts ----------------------------------------------------------------------------


def _queries(client, url, params=None):
    client.get(url, params)  # session, scope and caches warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    assert response.context["trends"] is not None
    return len(ctx.captured_queries), response.context["trends"].totaal


@pytest.mark.parametrize(
    ("rol", "url", "params"),
    [
        ("zorgcoordinator", lambda w: URL, None),
        ("zorgcoordinator", lambda w: URL, {"groepering": "maand", "leerjaar": 3}),
        ("titularis", lambda w: _klas_url(w.klas_a), None),
    ],
)
def test_the_trends_cost_the_same_queries_for_5_and_2000_flags(
    wereld, client_voor, template_queries, rol, url, params
):
    # Guards against counting in Python: one aggregate query (periods x
    # colours), whatever the number of flags.
    client = client_voor(wereld.users[rol])
    door = wereld.leerkracht
    veel_vlaggen(wereld.klas_a, 5, door, wereld.leerling_a)
    weinig, totaal = _queries(client, url(wereld), params)
    assert totaal == 5
    veel_vlaggen(wereld.klas_a, 1995, door, wereld.leerling_a)
    veel, totaal = _queries(client, url(wereld), params)
    assert totaal == 2000
    assert weinig == veel <= 12
    assert template_queries == []


# --- the bulk generator --------------------------------------------------------------------------


@pytest.fixture
def druk_klas(wereld):
    """3A with 30 students and two teachers."""
    for _ in range(29):
        f.leerling_in(wereld.klas_a)
    f.LesopdrachtFactory(klas=wereld.klas_a, vak=f.VakFactory(school=wereld.school, naam="Frans"))
    return wereld.klas_a


# Early in a school year the generator's history reaches back into the
# previous one (zorg.demo.kalender.geschiedenis_begin), where the world's
# students had no class: the promise "in this school year" is for a school
# year under way.
@pytest.mark.usefixtures("schooljaar_onderweg")
def test_bulk_flags_are_a_realistic_school_year(wereld, druk_klas):
    geschreven = bulk_vlaggen(wereld.school, 2000, seed=7)
    assert geschreven == 2000
    vlaggen = Vlag.objects.filter(school=wereld.school)
    assert vlaggen.count() == 2000
    aandeel = {k: vlaggen.filter(kleur=k).count() / 2000 for k in VlagKleur.values}
    assert 0.30 < aandeel["groen"] < 0.40
    assert 0.30 < aandeel["geel"] < 0.40
    assert 0.18 < aandeel["oranje"] < 0.26
    assert 0.05 < aandeel["rood"] < 0.11
    # Every flag has students of its own class, a teacher of that class and
    # a moment on a school day, in this school year, not in the future.
    assert not vlaggen.filter(betrokkenen__isnull=True).exists()
    assert not VlagBetrokkene.objects.exclude(
        leerling__inschrijvingen__klas=F("vlag__klas")
    ).exists()
    assert not vlaggen.exclude(
        Exists(
            Lesopdracht.objects.filter(
                klas=OuterRef("klas"), leerkracht=OuterRef("gemeld_door"), vak=OuterRef("vak")
            )
        )
    ).exists()
    assert vlaggen.filter(klas=druk_klas).count() > vlaggen.filter(klas=wereld.klas_b).count()
    momenten = [m.astimezone(BRUSSEL) for m in vlaggen.values_list("moment", flat=True)]
    assert all(m.weekday() < 5 and 8 <= m.hour < 17 for m in momenten)
    assert min(momenten).date() >= wereld.schooljaar.begin
    assert max(momenten).date() < datetime.date.today()
    # Several students in some incidents, one in most.
    per_vlag = VlagBetrokkene.objects.count() / 2000
    assert 1.1 < per_vlag < 1.5


def test_bulk_red_flags_are_acknowledged_and_closed_ones_have_a_follow_up(wereld, druk_klas):
    bulk_vlaggen(wereld.school, 500, seed=3)
    rood = Vlag.objects.filter(kleur=VlagKleur.ROOD)
    assert rood.exists()
    assert not rood.filter(erkend_op__isnull=True).exists()
    assert set(rood.values_list("erkend_door_id", flat=True)) == {wereld.zorgcoordinator.pk}
    gesloten = rood.filter(status=Vlag.Status.AFGESLOTEN)
    assert VlagOpvolging.objects.filter(vlag__in=gesloten).count() == gesloten.count()
    assert not Vlag.objects.exclude(kleur=VlagKleur.ROOD).filter(erkend_op__isnull=False).exists()


def test_bulk_flags_are_the_same_for_the_same_seed(wereld, druk_klas):
    bulk_vlaggen(wereld.school, 200, seed=11)
    eerste = list(Vlag.objects.order_by("pk").values_list("kleur", "moment", "klas_id"))
    Vlag.objects.all().delete()
    bulk_vlaggen(wereld.school, 200, seed=11)
    tweede = list(Vlag.objects.order_by("pk").values_list("kleur", "moment", "klas_id"))
    assert eerste == tweede


def test_bulk_flags_concentrate_non_green_flags_on_a_minority(wereld, druk_klas):
    bulk_vlaggen(wereld.school, 2000, seed=5)
    per_leerling = sorted(
        VlagBetrokkene.objects.filter(
            rol=VlagBetrokkene.Rol.BETROKKEN, vlag__kleur__in=["geel", "oranje", "rood"]
        )
        .values("leerling")
        .annotate(n=Count("id"))
        .values_list("n", flat=True),
        reverse=True,
    )
    top_vijfde = sum(per_leerling[: len(per_leerling) // 5])
    assert top_vijfde > 0.35 * sum(per_leerling)


def test_bulk_flags_for_a_school_without_students_write_nothing(wereld):
    leeg = f.SchoolFactory()
    assert bulk_vlaggen(leeg, 100, seed=1) == 0
    assert not Vlag.objects.filter(school=leeg).exists()
