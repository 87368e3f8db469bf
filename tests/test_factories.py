"""The factories' generated names can never be a name a test looks for, and
each test draws the same names on every run (tests/conftest.py seeds them)."""

import random
import re
import zlib
from pathlib import Path

import factory.random
from faker.providers.person.nl_BE import Provider as NlBePersoon

from tests import factories as f

TESTS = Path(__file__).parent
VASTE_NAAM = re.compile(
    r"""\b(?:voornaam|achternaam|first_name|last_name)="([^"]+)"|OuderFactory\([^)]*\bnaam="([^"]+)\""""
)


def _vaste_namen_in_de_tests() -> set[str]:
    namen = set()
    for bestand in TESTS.rglob("*.py"):
        for voor_of_achter, ouder in VASTE_NAAM.findall(bestand.read_text(encoding="utf-8")):
            namen.update([voor_of_achter] if voor_of_achter else ouder.split(" ", 1))
    # Formulas (CSV-injection tests) are not names Faker could produce.
    return {naam for naam in namen if re.fullmatch(r"[^\W\d_][\w' -]*", naam)}


def test_every_name_the_tests_give_is_a_fixed_name():
    gevonden = _vaste_namen_in_de_tests()
    assert {"Maes", "Claes", "Peeters", "Lotte", "Noah"} <= gevonden  # the scan works
    assert gevonden <= f.VASTE_NAMEN, gevonden - f.VASTE_NAMEN


def test_the_generated_name_pools_exclude_every_fixed_name():
    # Faker's Belgian list holds Maes and Claes (and Claessens, Charlotte ...).
    assert {"Maes", "Claes", "Claessens", "Peeters"} <= set(NlBePersoon.last_names)
    assert "Charlotte" in NlBePersoon.first_names
    for naam in (*f.VOORNAMEN, *f.ACHTERNAMEN):
        assert not any(vast in naam for vast in f.VASTE_NAMEN), naam
    assert len(f.VOORNAMEN) > 500 and len(f.ACHTERNAMEN) > 300  # still plenty of names


def test_staff_students_and_guardians_get_names_from_the_pools():
    for _ in range(300):
        user = f.UserFactory.build()
        assert user.first_name in f.VOORNAMEN and user.last_name in f.ACHTERNAMEN
        ouder = f.OuderFactory.build(leerling=None)
        voornaam, achternaam = ouder.naam.split(" ", 1)
        assert voornaam in f.VOORNAMEN and achternaam in f.ACHTERNAMEN
    leerling = f.LeerlingFactory.build(school=None, zorgfase=None)
    assert leerling.voornaam in f.VOORNAMEN and leerling.achternaam in f.ACHTERNAMEN


def _trekking():
    return [f.UserFactory.build().last_name for _ in range(20)], random.random()


def test_each_test_draws_the_same_names_on_every_run(request):
    eerste = _trekking()
    seed = zlib.crc32(request.node.nodeid.encode())
    factory.random.reseed_random(seed)
    random.seed(seed)
    assert _trekking() == eerste
