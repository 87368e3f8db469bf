"""The summary's content (overdracht.inhoud): which measures count as
having worked, the phase history in short, leaving items out, a constant
number of queries; and the signing key's setting."""

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leerlingen.models import Maatregel, MaatregelEvaluatie, Zorgfase, ZorgfaseWijziging
from overdracht import inhoud
from tests.leerlingen.factories_maatregelen import MaatregelFactory

pytestmark = pytest.mark.django_db

OP = datetime.date.today()


def _evaluatie(m, effect, dagen=1):
    return MaatregelEvaluatie.objects.create(
        maatregel=m,
        datum=OP - datetime.timedelta(days=dagen),
        effect=effect,
        beslissing=MaatregelEvaluatie.Beslissing.STOPPEN,
        notities="Notitie van het team over de klas.",
        door=m.beslist_door,
    )


def test_measures_in_force_and_ended_ones_that_worked_are_in_the_summary(wereld):
    a = wereld.leerling_a
    MaatregelFactory(leerling=a, titel="Loopt")
    werkte = MaatregelFactory(leerling=a, titel="Werkte", status=Maatregel.Status.GEEVALUEERD)
    _evaluatie(werkte, MaatregelEvaluatie.Effect.WERKT)
    niet = MaatregelFactory(leerling=a, titel="Werkte niet", status=Maatregel.Status.GEEVALUEERD)
    _evaluatie(niet, MaatregelEvaluatie.Effect.WERKT_NIET)
    MaatregelFactory(leerling=a, titel="Voorstel", status=Maatregel.Status.VOORGESTELD)
    MaatregelFactory(leerling=a, titel="Gestopt zonder evaluatie", status=Maatregel.Status.GESTOPT)

    s = inhoud.samenvatting(a, op=OP)

    assert [m["titel"] for m in s["maatregelen"]] == ["Loopt", "Werkte"]
    [evaluatie] = s["maatregelen"][1]["evaluaties"]
    assert evaluatie["effect"] == "werkt" and evaluatie["beslissing"] == "stoppen"
    assert "Notitie van het team" not in str(s)


def test_the_phase_history_names_moves_without_their_reasons(wereld):
    a = wereld.leerling_a
    fasen = Zorgfase.objects.filter(schooltype=a.school.schooltype).order_by("nummer")
    ZorgfaseWijziging.objects.create(
        leerling=a,
        van=fasen[0],
        naar=fasen[1],
        datum=OP,
        reden="Reden met de naam van een klasgenoot",
        beslist_waar="cel",
        beslist_door=wereld.zorgcoordinator,
    )

    s = inhoud.samenvatting(a, op=OP)

    [fase] = s["fasegeschiedenis"]
    assert fase["datum"] == OP.isoformat()
    assert fase["naar"] == str(fasen[1])
    assert "klasgenoot" not in str(s)


def test_left_out_items_are_gone_and_the_rest_stays(wereld):
    a = wereld.leerling_a
    m1 = MaatregelFactory(leerling=a, titel="Blijft")
    m2 = MaatregelFactory(leerling=a, titel="Weg")
    s = inhoud.samenvatting(a, op=OP)

    zonder = inhoud.weglaten(s, [f"maatregel-{m2.pk}"])

    assert [m["titel"] for m in zonder["maatregelen"]] == ["Blijft"]
    assert f"maatregel-{m1.pk}" in inhoud.sleutels(zonder)


def test_the_summary_takes_the_same_number_of_queries_for_a_long_record(wereld):
    a = wereld.leerling_a

    def meten() -> int:
        a.refresh_from_db()
        with CaptureQueriesContext(connection) as ctx:
            inhoud.samenvatting(a, op=OP)
        return len(ctx.captured_queries)

    m = MaatregelFactory(leerling=a)
    _evaluatie(m, MaatregelEvaluatie.Effect.WERKT)
    weinig = meten()
    for _ in range(10):
        m = MaatregelFactory(leerling=a, status=Maatregel.Status.GEEVALUEERD)
        _evaluatie(m, MaatregelEvaluatie.Effect.WERKT_DEELS)
        _evaluatie(m, MaatregelEvaluatie.Effect.WERKT, dagen=2)

    # Guards against a query per measure for its evaluations.
    assert meten() == weinig


def test_a_summary_from_elsewhere_of_another_shape_is_refused():
    assert inhoud.vorm_klopt({"leerling": {}, "maatregelen": []})
    assert not inhoud.vorm_klopt({"leerling": {}, "maatregelen": [{"titel": 3}]})
    assert not inhoud.vorm_klopt({"leerling": {}, "clb": "tekst"})
    assert not inhoud.vorm_klopt({"leerling": {}, "maatregelen": [{"evaluaties": "werkt"}]})
    assert not inhoud.vorm_klopt([])
    # A shape that holds is shown, whatever its dates say.
    vreemd = {"leerling": {}, "maatregelen": [{"evaluaties": None, "begin": "gisteren"}]}
    assert inhoud.vorm_klopt(vreemd)
    assert inhoud.voor_weergave(vreemd)["maatregelen"][0]["begin"] is None


ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("sleutel", "melding"),
    [("geen-base64!", "must be base64"), ("YWJj", "32 random bytes")],
)
def test_a_malformed_signing_key_stops_the_start_up(sleutel, melding):
    uit = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "PATH": "",
            "DJANGO_SETTINGS_MODULE": "zorg.settings",
            "DATABASE_URL": "postgres://x:y@127.0.0.1:5/z",
            "ZORG_SECRET_KEY": "s" * 60,
            "ZORG_BASE_URL": "https://zorg.example.org",
            "ZORG_OVERDRACHT_SLEUTEL": sleutel,
        },
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )

    assert uit.returncode != 0
    assert melding in uit.stderr
