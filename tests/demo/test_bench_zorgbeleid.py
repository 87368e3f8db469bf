"""The care-policy report part of `manage.py bench`."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_bench_computes_each_schools_report_figures():
    from zorg.demo.bench_zorgbeleid import doel, gemist, zorgbeleid_meten

    call_command("demo", students=60, verbosity=0)
    figuren = zorgbeleid_meten()
    assert {f["school"] for f in figuren} >= {"Sint-Jozefscollege"}
    for f in figuren:
        assert f["queries"] > 0 and f["seconds"] >= 0
    assert doel(2_000) == 1.0 and doel(100_200) == 5.0 and doel(300_000) is None
    traag = [{"school": "X", "students": 2_000, "seconds": 1.2, "target_seconds": 1.0}]
    assert gemist(traag) == ["X (2000 students): 1.20 s > 1.0 s"]
