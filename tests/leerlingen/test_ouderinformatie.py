"""What parents and the student are told (leerlingen.ouderinformatie): the
measures in force in parent wording, the agreements of talks with parents
or the student this school year, and what registered sources (the CLB)
share; never anything else of the care record."""

import datetime
import json

import pytest

from leerlingen import ouderinformatie as oi
from leerlingen.models import Gesprek, Maatregel, MaatregelSoort
from tests.leerlingen.factories_gesprekken import GesprekFactory
from tests.leerlingen.factories_maatregelen import MaatregelFactory

# A day in the middle of a school year, away from the clock the suite runs on.
OP = datetime.date(2027, 3, 10)


@pytest.fixture
def zonder_bronnen(monkeypatch):
    """No registered sources (the CLB's is registered at start-up)."""
    monkeypatch.setattr(oi, "_BRONNEN", [])


def _maatregel(leerling, **kwargs):
    waarden = {
        "leerling": leerling,
        "begin": datetime.date(2027, 1, 10),
        "evaluatiedatum": datetime.date(2027, 6, 1),
    }
    waarden.update(kwargs)
    return MaatregelFactory(**waarden)


def test_only_measures_in_force_on_the_day_are_told(wereld, zonder_bronnen):
    leerling = wereld.leerling_a
    _maatregel(leerling, titel="Extra tijd bij toetsen")
    _maatregel(leerling, titel="Voorgesteld", status=Maatregel.Status.VOORGESTELD)
    _maatregel(leerling, titel="Gestopt", status=Maatregel.Status.GESTOPT)
    _maatregel(leerling, titel="Later", begin=datetime.date(2027, 4, 1))
    _maatregel(leerling, titel="Afgelopen", einde=datetime.date(2027, 3, 9))
    _maatregel(leerling, titel="Eindigt vandaag", einde=OP)
    _maatregel(wereld.leerling_b, titel="Van een ander")

    info = oi.ouderinformatie(leerling, op=OP)

    assert [m.titel_voor_ouders for m in info.maatregelen] == [
        "Extra tijd bij toetsen",
        "Eindigt vandaag",
    ]


def test_a_measure_is_told_in_the_words_for_parents_when_the_school_wrote_them(
    wereld, zonder_bronnen
):
    _maatregel(
        wereld.leerling_a,
        titel="Dispensatie spelling",
        soort=MaatregelSoort.DISPENSEREND,
        ouderomschrijving="Spelfouten tellen niet mee bij Frans",
        akkoord_nodig=True,
    )

    [maatregel] = oi.ouderinformatie(wereld.leerling_a, op=OP).maatregelen

    assert maatregel.titel_voor_ouders == "Spelfouten tellen niet mee bij Frans"
    assert maatregel.soort == "dispenserend"
    assert maatregel.akkoord_nodig and not maatregel.akkoord
    assert maatregel.wacht_op_akkoord


def test_a_measure_the_parents_agreed_to_no_longer_waits_for_agreement(wereld, zonder_bronnen):
    _maatregel(
        wereld.leerling_a,
        akkoord_nodig=True,
        ouders_akkoord=True,
        ouders_akkoord_op=datetime.date(2027, 2, 1),
    )

    [maatregel] = oi.ouderinformatie(wereld.leerling_a, op=OP).maatregelen

    assert maatregel.akkoord and maatregel.akkoord_op == datetime.date(2027, 2, 1)
    assert not maatregel.wacht_op_akkoord


def test_agreements_come_from_talks_with_parents_or_the_student_without_their_summary(
    wereld, zonder_bronnen
):
    leerling = wereld.leerling_a
    GesprekFactory(
        leerling=leerling,
        datum=datetime.date(2027, 2, 3),
        soort=Gesprek.Soort.OUDERS,
        samenvatting="Geheime samenvatting van het oudergesprek",
        afspraken="Mama leest elke avond de planning na.",
    )
    GesprekFactory(
        leerling=leerling,
        datum=datetime.date(2027, 2, 5),
        soort=Gesprek.Soort.LEERLING,
        afspraken="Lotte vraagt hulp als ze vastloopt.",
    )
    GesprekFactory(
        leerling=leerling,
        datum=datetime.date(2027, 2, 6),
        soort=Gesprek.Soort.CLB,
        afspraken="Afspraak uit een overleg met het CLB",
    )
    GesprekFactory(leerling=leerling, datum=datetime.date(2027, 2, 7), afspraken="  ")
    GesprekFactory(
        leerling=leerling, datum=datetime.date(2027, 3, 11), afspraken="Na de dag van de brief"
    )

    info = oi.ouderinformatie(leerling, op=OP)

    assert [(a.datum, a.soort, a.tekst) for a in info.afspraken] == [
        (datetime.date(2027, 2, 3), "oudergesprek", "Mama leest elke avond de planning na."),
        (datetime.date(2027, 2, 5), "leerlingengesprek", "Lotte vraagt hulp als ze vastloopt."),
    ]
    assert "Geheime samenvatting" not in json.dumps(info.als_json())


@pytest.mark.parametrize(
    ("op", "verwacht"),
    [
        # 31 August still belongs to the school year that began last September ...
        (datetime.date(2027, 8, 31), ["September", "Juni"]),
        # ... 1 September begins a new one: last year's agreements are not told again.
        (datetime.date(2027, 9, 1), []),
        # New Year's Day is in the middle of one.
        (datetime.date(2027, 1, 1), ["September"]),
    ],
)
def test_agreements_are_those_of_the_school_year_of_the_day(wereld, zonder_bronnen, op, verwacht):
    leerling = wereld.leerling_a
    GesprekFactory(leerling=leerling, datum=datetime.date(2026, 8, 31), afspraken="Vorig jaar")
    GesprekFactory(leerling=leerling, datum=datetime.date(2026, 9, 1), afspraken="September")
    GesprekFactory(leerling=leerling, datum=datetime.date(2027, 6, 20), afspraken="Juni")

    info = oi.ouderinformatie(leerling, op=op)

    assert [a.tekst for a in info.afspraken] == verwacht


def test_registered_sources_are_asked_for_whom_and_on_which_day(wereld, zonder_bronnen):
    gevraagd = []

    def bron(leerling, *, voor, op):
        gevraagd.append((leerling, voor, op))
        return [oi.OuderCLB(titel="Advies", tekst=f"voor {voor}", datum=op)]

    oi.ouderbron_registreren(bron)
    oi.ouderbron_registreren(bron)

    info = oi.ouderinformatie(wereld.leerling_a, voor="leerling", op=OP)

    assert gevraagd == [(wereld.leerling_a, "leerling", OP)]
    assert info.clb == [oi.OuderCLB(titel="Advies", tekst="voor leerling", datum=OP)]


def test_an_unknown_reader_is_refused(wereld, zonder_bronnen):
    with pytest.raises(ValueError):
        oi.ouderinformatie(wereld.leerling_a, voor="leerkracht", op=OP)


def test_the_frozen_copy_is_plain_json_with_the_student_named(wereld, zonder_bronnen):
    _maatregel(wereld.leerling_a, titel="Laptop met voorleessoftware")

    kopie = json.loads(json.dumps(oi.ouderinformatie(wereld.leerling_a, op=OP).als_json()))

    assert kopie["leerling"]["naam"] == "Lotte Peeters"
    assert kopie["maatregelen"][0]["titel_voor_ouders"] == "Laptop met voorleessoftware"
    assert kopie["maatregelen"][0]["begin"] == "2027-01-10"


def test_the_information_takes_the_same_queries_for_one_measure_or_many(
    wereld, django_assert_max_num_queries
):
    # Guards against a query per measure (its kind, its agreement) or per
    # talk, and against a registered source that queries per trajectory.
    leerling = wereld.leerling_a
    for _ in range(2):
        _maatregel(leerling)
        GesprekFactory(leerling=leerling, datum=datetime.date(2027, 2, 3), afspraken="x")
    with django_assert_max_num_queries(6) as weinig:
        oi.ouderinformatie(leerling, op=OP)
    for _ in range(15):
        _maatregel(leerling)
        GesprekFactory(leerling=leerling, datum=datetime.date(2027, 2, 3), afspraken="x")
    with django_assert_max_num_queries(len(weinig.captured_queries)):
        info = oi.ouderinformatie(leerling, op=OP)
    assert len(info.maatregelen) == 17 and len(info.afspraken) == 17
