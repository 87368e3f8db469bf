"""The care-policy report part of `manage.py bench`."""

import io
import json

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_the_bench_computes_each_schools_report_figures():
    from zorg.demo.bench_zorgbeleid import doel, gemist, zorgbeleid_meten

    call_command("demo", students=60, verbosity=0)
    figuren = zorgbeleid_meten()
    assert {f["school"] for f in figuren} >= {"Sint-Jozefscollege"}
    for f in figuren:
        assert f["figures_queries"] > 0 and f["figures_seconds"] >= 0
    sint_jozef = next(f for f in figuren if f["school"] == "Sint-Jozefscollege")
    # The whole report, as its director downloads it: more statements than
    # the figures (the phases' names, the reflection), a real XLSX file.
    assert sint_jozef["report_queries"] > sint_jozef["figures_queries"]
    assert sint_jozef["xlsx_bytes"] > 1_000
    assert sint_jozef["seconds"] == sint_jozef["report_seconds"]
    assert doel(2_000) == 1.0 and doel(100_200) == 5.0 and doel(300_000) is None
    # The demo's "2,000" school holds 2,030 students: still the 1 s target.
    assert doel(2_030) == 1.0 and doel(2_500) == 5.0
    traag = [{"school": "X", "students": 2_000, "seconds": 1.2, "target_seconds": 1.0}]
    assert gemist(traag) == ["X (2000 students): 1.20 s > 1.0 s"]


@pytest.mark.django_db
def test_the_bench_can_time_only_the_report_figures(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call_command("demo", students=60, verbosity=0)
    uit = io.StringIO()
    try:
        call_command("bench", "--reuse", "--care-policy-only", stdout=uit)
    except CommandError as fout:
        # The verdict on the seconds is make bench's, on an idle machine: on
        # a loaded test machine even the 60-student school may miss 1 s.
        # What is tested here is that the figures are measured and written.
        assert "Report targets missed" in str(fout)
    resultaat = json.loads((tmp_path / "bench-results.json").read_text())
    assert "requests" not in resultaat and "reminders" not in resultaat
    assert {f["school"] for f in resultaat["care_policy_report"]} >= {"Sint-Jozefscollege"}
    assert "Care-policy report figures" in uit.getvalue()
