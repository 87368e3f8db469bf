"""Shared fixtures: one small school world with a named user for every role,
plus outsiders, as the house style asks."""

import contextvars
import datetime
import os
import random
import zlib
import zoneinfo
from dataclasses import dataclass, field

import factory.random
import pytest
import time_machine
from django.db import connection
from django.template.base import Template
from django.utils import timezone

from tests import factories as f
from tests.portaal.factories import leerling_met_toegang, ouder_met_toegang
from tests.processen import SMTPServer, wacht_tot  # noqa: F401  (wacht_tot: for the tests)
from zorg.accounts.models import Groepsdirectie, Rol, Scholengemeenschap, School, SchoolType

# ZORG_TEST_DATUM runs the whole suite on another day, with a clock that
# ticks on from there, to prove that nothing depends on the day CI happens to
# run (issue 10). An ISO date or date and time; without a zone it is
# Brussels time:
#   ZORG_TEST_DATUM=2027-07-15T10:00 pytest -n 2 --dist loadfile \
#       -m "not browser and not celery"
# The test world's school years follow that clock (factories.SchooljaarFactory).
# time-machine patches the clock process-wide, so threads see it too; browser
# and Celery tests are not meant for such runs (Chromium and Redis keep their
# own clocks). pytest_configure runs in every xdist worker, so each travels.
_REISDOEL_OMGEVING = "ZORG_TEST_DATUM"
_reis = None


def _reisdoel() -> datetime.datetime | None:
    waarde = os.environ.get(_REISDOEL_OMGEVING, "").strip()
    if not waarde:
        return None
    try:
        moment = datetime.datetime.fromisoformat(waarde)
    except ValueError as fout:
        raise pytest.UsageError(
            f"{_REISDOEL_OMGEVING}={waarde!r} is no ISO date or date and time"
        ) from fout
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))
    return moment


def pytest_configure(config):
    global _reis
    moment = _reisdoel()
    if moment is not None:
        _reis = time_machine.travel(moment, tick=True)
        _reis.start()


def pytest_unconfigure(config):
    global _reis
    if _reis is not None:
        _reis.stop()
        _reis = None


def pytest_report_header(config):
    moment = _reisdoel()
    if moment is not None:
        return f"{_REISDOEL_OMGEVING}: the clock starts at {moment.isoformat()}"
    return None


# Playwright's sync API runs an event loop in the test thread; Django's
# async-safety check would otherwise refuse the ORM beside live_server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROLLEN = [
    "anoniem",
    "leerkracht",
    "titularis",
    "leerkracht_b",
    "zorgcoordinator",
    "directie",
    "secretariaat",
    "beheerder",
    "clb",
    "clb_ander",
    "buitenstaander",
    "platform",
    "groepsdirectie",
    # Issue 17: a guardian of leerling_a and leerling_a herself, with accepted
    # portal access (school 1's portal is off in the world; the portal's rows
    # switch it on in their `opzet`). No staff page opens for them.
    "ouder",
    "leerling",
]


@dataclass
class Wereld:
    """School 1 (secondary) with classes A and B; school 2 is another school
    of another CLB. `users` maps a role name from ROLLEN to a user (or None
    for the anonymous visitor)."""

    school: object
    school2: object
    schooljaar: object
    vorig_schooljaar: object
    klas_a: object
    klas_b: object
    klas_x: object
    leerling_a: object
    leerling_b: object
    leerling_x: object
    clb: object
    clb_ander: object
    users: dict = field(default_factory=dict)

    def __getattr__(self, name):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


@pytest.fixture(autouse=True)
def _vast_toeval(request):
    """Each test draws the same "random" names and values on every run, in
    any order and on any worker: factory_boy, Faker (whose shared generator
    factory_boy reseeds with it) and `random` are seeded from the test's id.
    A test that passes once passes every time."""
    seed = zlib.crc32(request.node.nodeid.encode())
    factory.random.reseed_random(seed)
    random.seed(seed)


@pytest.fixture(autouse=True)
def _lege_cache():
    """Each test starts with an empty cache: the login rate limits of one
    test (a browser suite logs in dozens of times a minute) must not refuse
    the login of the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _zorgfasen(request):
    """Transactional tests (live server, Celery worker) flush every table,
    the phases seeded by a migration included; put them back, for every test
    that uses the database (marked, or through a fixture): in a parallel run
    any test can come right after a flush."""
    namen = set(request.fixturenames)
    if "transactional_db" in namen or "live_server" in namen:
        request.getfixturevalue("transactional_db")
    elif request.node.get_closest_marker("django_db") or namen & {"db", "wereld"}:
        request.getfixturevalue("db")
    else:
        return
    from leerlingen.models import Zorgfase
    from leerlingen.zorgfasen import FASEN, zorgfasen_aanmaken

    if Zorgfase.objects.count() < sum(map(len, FASEN.values())):
        zorgfasen_aanmaken(Zorgfase)


@pytest.fixture
def schooljaar_onderweg():
    """For tests that write history "N days ago" in the current school year
    (a red flag yesterday, a cell last week, a student who left yesterday):
    early in a school year there is none of it yet (on 1 September
    yesterday lies in the previous one), so they run three months into the
    school year the clock is in (the longest such history, a signal 60 days
    old, fits), the clock ticking on from there.
    Request it before `wereld`. The first days of a school year have tests
    of their own (the test_datums modules)."""
    nu = timezone.localtime()
    onderweg = f.huidig_schooljaar_begin() + datetime.timedelta(days=90)
    if nu.date() >= onderweg:
        yield
        return
    with time_machine.travel(datetime.datetime.combine(onderweg, nu.timetz()), tick=True):
        yield


def _lid(user, school, *rollen):
    for rol in rollen:
        f.LidmaatschapFactory(user=user, school=school, rol=rol)
    return user


@pytest.fixture
def wereld(db) -> Wereld:
    school = f.SchoolFactory(naam="Sint-Testcollege", schooltype=SchoolType.SECUNDAIR)
    school2 = f.SchoolFactory(naam="Andere School", schooltype=SchoolType.SECUNDAIR)
    # The current school year is the one containing today, whatever today is
    # (see ZORG_TEST_DATUM above); the previous one ends the day before.
    begin = f.huidig_schooljaar_begin()
    vorig = f.SchooljaarFactory(
        school=school, begin=begin.replace(year=begin.year - 1), is_huidig=False
    )
    jaar = f.SchooljaarFactory(school=school)
    jaar2 = f.SchooljaarFactory(school=school2)
    klas_a = f.KlasFactory(schooljaar=jaar, naam="3A")
    klas_b = f.KlasFactory(schooljaar=jaar, naam="3B")
    klas_x = f.KlasFactory(schooljaar=jaar2, naam="3X")

    leerling_a = f.leerling_in(klas_a, voornaam="Lotte", achternaam="Peeters")
    leerling_b = f.leerling_in(klas_b, voornaam="Noah", achternaam="Janssens")
    leerling_x = f.leerling_in(klas_x, voornaam="Mila", achternaam="Peeters")
    moeder_a = f.OuderFactory(
        leerling=leerling_a, naam="Sofie Peeters", relatie="moeder", email="sofie@ouders.example"
    )

    users = {"anoniem": None}
    users["leerkracht"] = _lid(
        f.UserFactory(email="leerkracht@test.example"), school, Rol.LEERKRACHT
    )
    f.LesopdrachtFactory(leerkracht=users["leerkracht"], klas=klas_a)
    users["titularis"] = _lid(f.UserFactory(email="titularis@test.example"), school, Rol.LEERKRACHT)
    klas_a.klastitularissen.add(users["titularis"])
    users["leerkracht_b"] = _lid(
        f.UserFactory(email="leerkracht-b@test.example"), school, Rol.LEERKRACHT
    )
    f.LesopdrachtFactory(leerkracht=users["leerkracht_b"], klas=klas_b)
    users["zorgcoordinator"] = _lid(
        f.UserFactory(email="zorg@test.example"), school, Rol.ZORGCOORDINATOR
    )
    users["directie"] = _lid(f.UserFactory(email="directie@test.example"), school, Rol.DIRECTIE)
    users["secretariaat"] = _lid(
        f.UserFactory(email="secretariaat@test.example"), school, Rol.SECRETARIAAT
    )
    users["beheerder"] = _lid(f.UserFactory(email="beheerder@test.example"), school, Rol.BEHEERDER)

    clb = f.CLBFactory(naam="CLB Test")
    clb.scholen.add(school)
    users["clb"] = f.CLBMedewerkerFactory(
        user=f.UserFactory(email="clb@test.example"), clb=clb
    ).user
    clb_ander = f.CLBFactory(naam="CLB Elders")
    clb_ander.scholen.add(school2)
    users["clb_ander"] = f.CLBMedewerkerFactory(
        user=f.UserFactory(email="clb-elders@test.example"), clb=clb_ander
    ).user
    users["buitenstaander"] = _lid(
        f.UserFactory(email="zorg@andere.example"), school2, Rol.ZORGCOORDINATOR
    )
    users["platform"] = f.UserFactory(
        email="platform@test.example", is_staff=True, is_superuser=True
    )
    # The director of school 1's group (not of school 2's): the care-policy
    # report of the group's schools, nothing else.
    groep = Scholengemeenschap.objects.create(naam="Scholengemeenschap Test")
    School.objects.filter(pk=school.pk).update(scholengemeenschap=groep)
    school.scholengemeenschap = groep
    School.objects.filter(pk=school2.pk).update(
        scholengemeenschap=Scholengemeenschap.objects.create(naam="Scholengemeenschap Elders")
    )
    users["groepsdirectie"] = f.UserFactory(email="groepsdirectie@test.example")
    Groepsdirectie.objects.create(user=users["groepsdirectie"], scholengemeenschap=groep)
    users["ouder"] = ouder_met_toegang(
        leerling_a, moeder_a, uitgenodigd_door=users["zorgcoordinator"]
    ).user
    users["leerling"] = leerling_met_toegang(
        leerling_a, uitgenodigd_door=users["zorgcoordinator"]
    ).user
    return Wereld(
        school=school,
        school2=school2,
        schooljaar=jaar,
        vorig_schooljaar=vorig,
        klas_a=klas_a,
        klas_b=klas_b,
        klas_x=klas_x,
        leerling_a=leerling_a,
        leerling_b=leerling_b,
        leerling_x=leerling_x,
        clb=clb,
        clb_ander=clb_ander,
        users=users,
    )


@pytest.fixture
def client_voor(client):
    """A test client logged in as the given user (or anonymous for None)."""

    def maak(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return maak


_in_template = contextvars.ContextVar("in_template", default=False)


@pytest.fixture
def template_queries(monkeypatch):
    """Collect every SQL statement that runs while a template renders. Views
    must hand templates evaluated data; this list must stay empty."""
    gevonden: list[str] = []
    origineel = Template._render

    def render(self, context):
        token = _in_template.set(True)
        try:
            return origineel(self, context)
        finally:
            _in_template.reset(token)

    def wrapper(execute, sql, params, many, ctx):
        if _in_template.get():
            gevonden.append(sql)
        return execute(sql, params, many, ctx)

    monkeypatch.setattr(Template, "_render", render)
    with connection.execute_wrapper(wrapper):
        yield gevonden


@pytest.fixture
def echte_worker():
    """A real Celery worker (in a thread of this process) consuming from the
    private Redis that `make test` starts; tasks are sent, not run eagerly."""
    from celery.contrib.testing.worker import start_worker

    from zorg.celery import app

    assert os.environ.get("REDIS_URL"), "make test starts a private Redis and sets REDIS_URL"
    oud = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = os.environ["REDIS_URL"]
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager, app.conf.broker_url = oud


@pytest.fixture
def smtp_server():
    """An SMTP server on a free port whose moods the test sets (see
    tests.processen.SMTPServer)."""
    server = SMTPServer()
    server.draaien()
    try:
        yield server
    finally:
        # Let a stalled send go (before a worker is asked to stop).
        server.sluiten()


@pytest.fixture
def wereld_in_2026_2027():
    """For tests that travel to named days of the school year 2026-2027 (plus
    the next leap day) and write dates in it: build their world on a day of
    that year, whatever day the suite runs on (ZORG_TEST_DATUM), so its
    current school year is the one those dates belong to."""
    from tests.datums import IN_2026_2027

    with time_machine.travel(IN_2026_2027, tick=True):
        yield


def pytest_collection_modifyitems(items):
    """A test that starts a real Celery worker or a live server is marked as
    such, marker or not: `make test` runs those one at a time, after the
    parallel run (one Redis queue, one browser)."""
    for item in items:
        namen = set(getattr(item, "fixturenames", ()))
        if namen & {"echte_worker", "worker_proces", "eigen_redis"}:
            item.add_marker(pytest.mark.celery)
        if "live_server" in namen or "page" in namen:
            item.add_marker(pytest.mark.browser)
