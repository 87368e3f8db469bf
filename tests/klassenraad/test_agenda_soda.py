"""A low SODA report in two periods in a row is a reason for the care cell."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from klassenraad.agenda import voorstellen
from klassenraad.models import Agendareden, OverlegSoort
from tests import factories as f
from tests.klassenraad import factories as k
from tests.leerlingen.factories_soda import in_het_voorjaar, perioden_maken, score, waarden

__all__ = ["in_het_voorjaar"]

pytestmark = pytest.mark.usefixtures("in_het_voorjaar")


@pytest.fixture
def soda(wereld):
    kerst, paas, eind = perioden_maken(wereld.schooljaar)
    frans = f.LesopdrachtFactory(
        klas=wereld.klas_a, vak=f.VakFactory(school=wereld.school, naam="Frans")
    )
    wiskunde = wereld.leerkracht.lesopdrachten.get()
    return {
        "w": waarden(wereld.school),
        "kerst": kerst,
        "paas": paas,
        "eind": eind,
        "vakken": [wiskunde, frans],
    }


def _rapport(soda, leerling, periode, *codes, **per_criterium):
    """One score per subject: the codes in every column unless given."""
    w = soda["w"]
    for opdracht, code in zip(soda["vakken"], codes, strict=False):
        score(
            leerling,
            periode,
            opdracht,
            w[code],
            **{c: w[v] for c, v in per_criterium.items()},
        )


def _soda_redenen(cel) -> dict:
    return {
        v.leerling.pk: tekst
        for v in voorstellen(cel)
        for soort, tekst in v.redenen
        if soort == Agendareden.SODA
    }


def test_low_in_two_periods_in_a_row_is_a_reason_naming_both_and_the_criteria(wereld, soda):
    cel = k.overleg(wereld, OverlegSoort.CEL, dagen=2)
    # Kerst: attitude 1 in both subjects; Paas: attitude 2 and 3 (half low).
    _rapport(soda, wereld.leerling_a, soda["kerst"], "3", "3", attitude="1")
    w = soda["w"]
    score(wereld.leerling_a, soda["paas"], soda["vakken"][0], w["3"], attitude=w["2"])
    score(wereld.leerling_a, soda["paas"], soda["vakken"][1], w["3"], attitude=w["3"])
    assert _soda_redenen(cel) == {
        wereld.leerling_a.pk: "Lage SODA-score in Kerstrapport en Paasrapport (attitude)"
    }


@pytest.mark.parametrize(
    ("kerst", "paas"),
    [
        ("1", "3"),  # low, then better: the latest period is not low
        ("3", "1"),  # low once, in the latest period only
        ("1", None),  # low once; the Paasrapport not scored yet
    ],
    ids=["recovered", "once-latest", "once-not-yet-scored"],
)
def test_low_once_or_recovered_is_no_reason(wereld, soda, kerst, paas):
    cel = k.overleg(wereld, OverlegSoort.CEL, dagen=2)
    _rapport(soda, wereld.leerling_a, soda["kerst"], kerst, kerst)
    if paas:
        _rapport(soda, wereld.leerling_a, soda["paas"], paas, paas)
    assert _soda_redenen(cel) == {}


def test_a_third_of_the_subjects_low_is_not_low(wereld, soda):
    cel = k.overleg(wereld, OverlegSoort.CEL, dagen=2)
    soda["vakken"].append(
        f.LesopdrachtFactory(
            klas=wereld.klas_a, vak=f.VakFactory(school=wereld.school, naam="Engels")
        )
    )
    for periode in (soda["kerst"], soda["paas"]):
        _rapport(soda, wereld.leerling_a, periode, "1", "3", "4")
    assert _soda_redenen(cel) == {}


def test_last_years_periods_do_not_count(wereld, soda):
    cel = k.overleg(wereld, OverlegSoort.CEL, dagen=2)
    vorig = perioden_maken(wereld.vorig_schooljaar)
    for periode in vorig[1:]:
        _rapport(soda, wereld.leerling_a, periode, "1", "1")
    assert _soda_redenen(cel) == {}


def test_the_soda_reason_ranks_below_a_signal_and_above_a_request(wereld, soda):
    cel = k.overleg(wereld, OverlegSoort.CEL, dagen=2)
    # Names against the expected order, so the name cannot be what ranks.
    vraag = f.leerling_in(wereld.klas_a, voornaam="An", achternaam="Aerts")
    laag = f.leerling_in(wereld.klas_a, voornaam="Bo", achternaam="Bosmans")
    signaal = f.leerling_in(wereld.klas_a, voornaam="Cas", achternaam="Claes")
    k.bespreekvraag(vraag, wereld.leerkracht)
    for periode in (soda["kerst"], soda["paas"]):
        _rapport(soda, laag, periode, "2", "2")
    from tests.klassenraad.test_agenda import _signaal

    _signaal(signaal, dagen_geleden=1)
    assert [v.leerling for v in voorstellen(cel)] == [signaal, laag, vraag]


def _vul(wereld, soda, aantal):
    for _ in range(aantal):
        leerling = f.leerling_in(wereld.klas_a)
        for periode in (soda["kerst"], soda["paas"]):
            _rapport(soda, leerling, periode, "1", "2")


def test_the_soda_reason_keeps_the_agenda_at_a_fixed_number_of_queries(wereld, soda):
    # One query for all students' periods, not one per student or period.
    cel = k.overleg(wereld, OverlegSoort.CEL, dagen=2)
    _vul(wereld, soda, 3)
    with CaptureQueriesContext(connection) as weinig:
        assert len(voorstellen(cel)) == 3
    _vul(wereld, soda, 40)
    with CaptureQueriesContext(connection) as veel:
        assert len(voorstellen(cel)) == 43
    assert len(veel) == len(weinig)
