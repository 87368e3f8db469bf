"""The report page serves its figures from the cache (issue 19,
zorgbeleid.cache): computed at most once per ZORGBELEID_CIJFERS_SECONDEN per
school and year (a group: per group and year name) and per Brussels day,
with the moment of computing on the page. Access is asked and the read
audited on every request; reflections stay live; the exports stay live; a
cache that fails costs speed, not the page."""

import datetime
import io
import logging
import pickle
import re

import pytest
import redis
import time_machine
from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from leerlingen.models import VlagKleur
from tests import factories as f
from tests.datums import lokaal
from tests.leerlingen.factories_vlaggen import vlag_met
from zorg.audit.models import Actie, AuditEvent
from zorgbeleid import cache as cijfercache
from zorgbeleid import services
from zorgbeleid.cijfers import jaarvergelijking
from zorgbeleid.models import Keuze, Verwachting

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")

# A Tuesday in March of 2026-2027, mid-morning in Brussels.
OP = lokaal(2027, 3, 16, 10, 42)

# The cached page: session (and its activity, every few minutes), user,
# the policy's school year, the phase names, the reflections and their
# actions of two years, the years for the switch, the audit insert, the
# unread notifications: 9 to 16. Computing the two years' figures alone is
# about 50 more.
GECACHET = 20


@pytest.fixture(autouse=True)
def _lege_cijfercache():
    cache.clear()
    yield
    cache.clear()


def _url(w, jaar=None):
    return reverse("zorgbeleid:rapport", args=[w.school.pk, (jaar or w.schooljaar).pk])


def _groep_url(w):
    return reverse(
        "zorgbeleid:groep_rapport", args=[w.school.scholengemeenschap_id, w.schooljaar.naam]
    )


def _tekst(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _vlaggen(html: str) -> list[int]:
    """The total row of the flags per colour: this year's count (and last
    year's beside it, if any)."""
    begin = html.index('data-testid="tabel-vlaggen_per_kleur"')
    tabel = _tekst(html[begin : html.index("</figure>", begin)])
    return [int(n) for n in re.search(r"totaal((?: \d+)+)", tabel).group(1).split()]


def _vlag(w, klas=None, moment=None, kleur=VlagKleur.ROOD):
    klas = klas or w.klas_a
    leerling = f.leerling_in(klas)
    extra = {"moment": moment} if moment else {}
    return vlag_met(leerling, klas=klas, kleur=kleur, **extra)


def _zonder_tokens(inhoud: bytes) -> bytes:
    return re.sub(rb"[A-Za-z0-9]{64}", b"<token>", inhoud)


def _get(client_voor, user, url, moment=OP, **cookies):
    """The page as `user` sees it at `moment` (logged in then)."""
    with time_machine.travel(moment, tick=False):
        client = client_voor(user)
        for naam, waarde in cookies.items():
            client.cookies[naam] = waarde
        return client.get(url)


def _html(client_voor, user, url, moment=OP, **cookies) -> str:
    antwoord = _get(client_voor, user, url, moment, **cookies)
    assert antwoord.status_code == 200
    return antwoord.content.decode()


@pytest.fixture
def rode(wereld):
    """Six red flags of school 1 this year, before OP: enough to show on the
    group's page too (which hides counts under 5)."""
    for dag in range(1, 7):
        _vlag(wereld, moment=lokaal(2027, 3, dag))
    return wereld


# --- fewer queries, the same figures -------------------------------------------------


@pytest.mark.parametrize("pagina", ["school", "groep"])
def test_a_second_visit_within_the_window_costs_far_fewer_queries_and_shows_the_same_figures(
    rode, client_voor, django_assert_max_num_queries, pagina
):
    w = rode
    user, url = (w.directie, _url(w)) if pagina == "school" else (w.groepsdirectie, _groep_url(w))
    with time_machine.travel(OP, tick=False):
        client = client_voor(user)
        client.get(reverse("start"))  # the session, warm
        with CaptureQueriesContext(connection) as eerste:
            voor = client.get(url).content.decode()
        # The live computation exceeds the bound: without the cache this
        # second visit would too.
        assert len(eerste.captured_queries) > GECACHET + 20
    with (
        time_machine.travel(OP + datetime.timedelta(minutes=5), tick=False),
        django_assert_max_num_queries(GECACHET),
    ):
        na = client.get(url).content.decode()
    assert _vlaggen(voor)[0] == _vlaggen(na)[0] == 6


@pytest.mark.parametrize("pagina", ["school", "groep"])
def test_the_cached_page_costs_the_same_queries_with_few_or_many_students(
    wereld, client_voor, django_assert_max_num_queries, pagina
):
    """The bound does not grow with students or flags: the kept figures and
    tables are one value, whatever they count (guards against a query per
    student, flag, section or table creeping into the cached path)."""
    w = wereld
    user, url = (w.directie, _url(w)) if pagina == "school" else (w.groepsdirectie, _groep_url(w))
    for _ in range(5):
        _vlag(w, moment=lokaal(2027, 3, 1))
    _html(client_voor, user, url)  # computed and kept
    with time_machine.travel(OP + datetime.timedelta(minutes=1), tick=False):
        client = client_voor(user)
        with django_assert_max_num_queries(GECACHET):
            weinig = client.get(url).content.decode()
    assert _vlaggen(weinig)[0] == 5
    for i in range(200):
        _vlag(w, klas=w.klas_a if i % 2 else w.klas_b, moment=lokaal(2027, 3, 2))
    cache.clear()
    _html(client_voor, user, url)
    with time_machine.travel(OP + datetime.timedelta(minutes=1), tick=False):
        client = client_voor(user)
        with django_assert_max_num_queries(GECACHET):
            veel = client.get(url).content.decode()
    assert _vlaggen(veel)[0] == 205


# --- the window ----------------------------------------------------------------------


@override_settings(ZORGBELEID_CIJFERS_SECONDEN=120)
def test_a_new_flag_shows_once_the_window_has_passed(rode, client_voor):
    w = rode
    assert _vlaggen(_html(client_voor, w.directie, _url(w)))[0] == 6
    _vlag(w, moment=lokaal(2027, 3, 7))
    # Within the setting's two minutes: the kept figures.
    binnen = OP + datetime.timedelta(seconds=110)
    assert _vlaggen(_html(client_voor, w.directie, _url(w), binnen))[0] == 6
    na = OP + datetime.timedelta(seconds=125)
    assert _vlaggen(_html(client_voor, w.directie, _url(w), na))[0] == 7


def test_a_new_day_in_brussels_computes_again_though_the_window_has_not_passed(wereld, client_voor):
    """New Year's Eve, 23:55 in Brussels, and 7 minutes later: the same UTC
    day (22:55 and 23:02), but another Brussels day, so another key (the
    figures count "today" as a reference date)."""
    w = wereld
    oudjaar = lokaal(2026, 12, 31, 23, 55)
    _vlag(w, moment=lokaal(2026, 12, 30))
    assert _vlaggen(_html(client_voor, w.directie, _url(w), oudjaar))[0] == 1
    _vlag(w, moment=lokaal(2026, 12, 31, 12))
    nieuwjaar = lokaal(2027, 1, 1, 0, 2)
    assert _vlaggen(_html(client_voor, w.directie, _url(w), nieuwjaar))[0] == 2


def test_reflections_beside_the_kept_figures_stay_live(rode, client_voor):
    w = rode
    _html(client_voor, w.directie, _url(w))
    with time_machine.travel(OP + datetime.timedelta(minutes=1), tick=False):
        services.reflectie_bewaren(
            schooljaar=w.schooljaar,
            verwachting=Verwachting.DOMEINEN,
            keuze=Keuze.OPSTARTEN,
            redenering="Gezondheid krijgt te weinig aandacht.",
            versie=None,
            door=w.directie,
        )
    html = _html(client_voor, w.directie, _url(w), OP + datetime.timedelta(minutes=2))
    assert "Gezondheid krijgt te weinig aandacht." in html
    assert "om 10:42" in html  # the figures are still the kept ones


# --- one key per school, year and group ---------------------------------------------


def test_another_schools_director_never_gets_this_schools_kept_figures(rode, client_voor):
    w = rode
    _vlag(w, klas=w.klas_x, moment=lokaal(2027, 3, 5))
    assert _vlaggen(_html(client_voor, w.directie, _url(w)))[0] == 6
    # School 2's year has the same name (2026-2027) and the same day.
    ander = reverse("zorgbeleid:rapport", args=[w.school2.pk, w.klas_x.schooljaar_id])
    html = _html(client_voor, w.buitenstaander, ander)
    assert _vlaggen(html)[0] == 1
    assert "Sint-Testcollege" not in html


def test_last_years_report_is_kept_apart_from_this_years(rode, client_voor):
    w = rode
    _vlag(w, moment=lokaal(2026, 3, 5))  # in 2025-2026
    assert _vlaggen(_html(client_voor, w.directie, _url(w))) == [6, 1]
    assert _vlaggen(_html(client_voor, w.directie, _url(w, w.vorig_schooljaar))) == [1]


def test_the_groups_figures_are_kept_apart_from_its_schools(rode, client_voor):
    w = rode
    school3 = f.SchoolFactory(
        naam="Derde School", scholengemeenschap_id=w.school.scholengemeenschap_id
    )
    klas3 = f.KlasFactory(schooljaar=f.SchooljaarFactory(school=school3), naam="1C")
    _vlag(w, klas=klas3, moment=lokaal(2027, 3, 6))
    assert _vlaggen(_html(client_voor, w.directie, _url(w)))[0] == 6
    assert _vlaggen(_html(client_voor, w.groepsdirectie, _groep_url(w)))[0] == 7
    assert _vlaggen(_html(client_voor, w.groepsdirectie, _url(w)))[0] == 6


@pytest.mark.parametrize(
    ("rol", "pagina"),
    [("buitenstaander", "school"), ("leerkracht", "school"), ("directie", "groep")],
)
def test_who_may_not_see_the_report_gets_the_same_404_with_the_figures_kept_or_not(
    rode, client_voor, rol, pagina
):
    w = rode
    url, bevoegd = (_url(w), w.directie) if pagina == "school" else (_groep_url(w), None)
    bevoegd = bevoegd or w.groepsdirectie
    koud = _get(client_voor, w.users[rol], url)
    assert koud.status_code == 404
    _html(client_voor, bevoegd, url)  # now kept
    warm = _get(client_voor, w.users[rol], url)
    assert warm.status_code == 404
    # The same page but for its CSRF tokens (masked anew on every render).
    assert _zonder_tokens(warm.content) == _zonder_tokens(koud.content)
    assert not AuditEvent.objects.filter(gebruiker=w.users[rol], actie=Actie.LEZEN).exists()


def test_every_visit_is_audited_also_when_the_figures_are_kept(rode, client_voor):
    w = rode
    for minuut in (0, 1, 2):
        _html(client_voor, w.zorgcoordinator, _url(w), OP + datetime.timedelta(minutes=minuut))
    gelezen = AuditEvent.objects.filter(
        gebruiker=w.zorgcoordinator,
        actie=Actie.LEZEN,
        onderwerp="zorgbeleid",
        object_id=str(w.schooljaar.pk),
    )
    assert gelezen.count() == 3


# --- what the page says, and the exports --------------------------------------------


def test_the_page_says_when_the_figures_were_computed(rode, client_voor):
    w = rode
    _html(client_voor, w.directie, _url(w))
    later = _html(client_voor, w.directie, _url(w), OP + datetime.timedelta(minutes=5))
    assert (
        "Cijfers berekend om 10:42; ze worden hoogstens elke 10 minuten opnieuw berekend."
        in _tekst(later)
    )
    engels = _html(
        client_voor,
        w.groepsdirectie,
        _groep_url(w),
        OP + datetime.timedelta(minutes=6),
        zorg_taal="en",
    )
    assert "Figures computed at 10:48; they are recomputed at most every 10 minutes." in _tekst(
        engels
    )


def test_the_kept_tables_are_kept_per_language(rode, client_voor):
    """The tables and charts are kept rendered: in the reader's language,
    with its number format, not in that of whoever came first."""
    w = rode
    nederlands = _tekst(_html(client_voor, w.directie, _url(w)))
    assert "Vlaggen per kleur" in nederlands and "Flags per colour" not in nederlands
    binnen = OP + datetime.timedelta(minutes=1)
    engels = _tekst(_html(client_voor, w.zorgcoordinator, _url(w), binnen, zorg_taal="en"))
    assert "Flags per colour" in engels and "Vlaggen per kleur" not in engels
    assert re.search(r"Flags per colour .* total 6 ", engels)
    # Both from the figures of 10:42.
    assert "Figures computed at 10:42" in engels


@override_settings(ZORGBELEID_CIJFERS_SECONDEN=60)
def test_the_page_names_the_settings_window(rode, client_voor):
    html = _html(client_voor, rode.directie, _url(rode))
    assert "ze worden hoogstens elke minuut opnieuw berekend." in _tekst(html)


def _xlsx_vlaggen(response) -> int:
    """The total of the flags per colour in the spreadsheet (a total stays a
    number, whatever is hidden)."""
    blad = load_workbook(io.BytesIO(response.content))["Gedragsvlaggen"]
    rijen = [[c.value for c in rij] for rij in blad.iter_rows()]
    start = next(i for i, r in enumerate(rijen) if str(r[0] or "").startswith("Vlaggen per kleur"))
    return next(r[1] for r in rijen[start:] if r[0] == "totaal")


def test_the_spreadsheet_counts_a_flag_added_within_the_window(rode, client_voor):
    w = rode
    assert _vlaggen(_html(client_voor, w.directie, _url(w)))[0] == 6
    _vlag(w, moment=lokaal(2027, 3, 10))
    binnen = OP + datetime.timedelta(minutes=2)
    assert _vlaggen(_html(client_voor, w.directie, _url(w), binnen))[0] == 6
    export = reverse("zorgbeleid:rapport_export", args=[w.school.pk, w.schooljaar.pk, "xlsx"])
    assert _xlsx_vlaggen(_get(client_voor, w.directie, export, binnen)) == 7


# --- a cache that fails ---------------------------------------------------------------


class KapotteCache(BaseCache):
    """A cache whose server is gone, as Django's RedisCache then is: every
    call raises."""

    pogingen = 0

    def __init__(self, location, params):
        super().__init__(params)

    def get(self, key, default=None, version=None):
        KapotteCache.pogingen += 1
        raise redis.exceptions.ConnectionError("Error 111 connecting to redis. Connection refused.")

    def set(self, key, value, timeout=None, version=None):
        KapotteCache.pogingen += 1
        raise redis.exceptions.ConnectionError("Error 111 connecting to redis. Connection refused.")

    def clear(self):
        pass


@pytest.mark.parametrize("pagina", ["school", "groep"])
def test_a_cache_that_is_down_costs_speed_not_the_page(rode, client_voor, caplog, pagina):
    w = rode
    user, url = (w.directie, _url(w)) if pagina == "school" else (w.groepsdirectie, _groep_url(w))
    KapotteCache.pogingen = 0
    kapot = {"default": {"BACKEND": f"{__name__}.KapotteCache"}}
    with override_settings(CACHES=kapot), caplog.at_level(logging.WARNING, "zorgbeleid.cache"):
        html = _html(client_voor, user, url)
    assert _vlaggen(html)[0] == 6
    assert KapotteCache.pogingen >= 1
    assert "report figures computed live" in caplog.text


# --- what is kept ----------------------------------------------------------------------


def test_the_kept_figures_survive_pickling(rode):
    """Redis keeps a pickle: the tree of dataclasses comes back equal."""
    w = rode
    with time_machine.travel(OP, tick=False):
        vergelijking = jaarvergelijking(w.school, w.schooljaar)
    assert pickle.loads(pickle.dumps(vergelijking)) == vergelijking  # noqa: S301
    assert vergelijking.vorig_jaar is not None


def test_figures_of_another_shape_are_never_served(rode, client_voor, monkeypatch):
    """A release whose figures have another shape (or meaning: VERSIE)
    looks under another key than the figures an older one kept."""
    w = rode
    _html(client_voor, w.directie, _url(w))
    _vlag(w, moment=lokaal(2027, 3, 7))
    monkeypatch.setattr(cijfercache, "VERSIE", cijfercache.VERSIE + 1)
    binnen = OP + datetime.timedelta(minutes=1)
    assert _vlaggen(_html(client_voor, w.directie, _url(w), binnen))[0] == 7


# --- one computation at a time ---------------------------------------------------------


def _deel(w) -> str:
    return f"school:{w.school.pk}:{w.schooljaar.pk}"


def test_a_request_that_misses_while_another_computes_waits_for_its_figures(
    rode, client_voor, monkeypatch, django_assert_max_num_queries
):
    """Three workers that miss at once compute the figures once: the others
    wait for the first one's (at 100,000 students seconds of the database
    each)."""
    w = rode
    with time_machine.travel(OP, tick=False):
        anders = jaarvergelijking(w.school, w.schooljaar)  # 6 red flags
        volledig = cijfercache.sleutel(_deel(w))
        assert cache.add(f"{volledig}:bezig", 1, 60)  # another worker computes
    _vlag(w, moment=lokaal(2027, 3, 7))
    gewacht = []

    def ander_klaar(seconden):
        # The other worker keeps its figures while this one waits.
        gewacht.append(seconden)
        cache.set(volledig, (anders, OP - datetime.timedelta(seconds=3)), 600)

    monkeypatch.setattr(cijfercache.time, "sleep", ander_klaar)
    with time_machine.travel(OP, tick=False):
        client = client_voor(w.directie)
        with django_assert_max_num_queries(GECACHET):
            html = client.get(_url(w)).content.decode()
    assert gewacht == [cijfercache.STAP]
    assert _vlaggen(html)[0] == 6
    assert "Cijfers berekend om 10:41" in _tekst(html)


def test_a_request_stops_waiting_for_figures_that_do_not_come(rode, client_voor, monkeypatch):
    """A worker that took the slot and died (or takes too long): after
    WACHTEN seconds the page computes the figures itself."""
    w = rode
    with time_machine.travel(OP, tick=False):
        assert cache.add(f"{cijfercache.sleutel(_deel(w))}:bezig", 1, 60)
    gewacht = []
    monkeypatch.setattr(cijfercache.time, "sleep", gewacht.append)
    assert _vlaggen(_html(client_voor, w.directie, _url(w)))[0] == 6
    assert len(gewacht) == round(cijfercache.WACHTEN / cijfercache.STAP)


def test_the_computing_request_frees_its_slot(rode, client_voor):
    w = rode
    _html(client_voor, w.directie, _url(w))
    with time_machine.travel(OP, tick=False):
        volledig = cijfercache.sleutel(_deel(w))
        assert cache.get(volledig) is not None
        assert cache.get(f"{volledig}:bezig") is None
