"""The care-policy report's figures at the scale of `manage.py bench`
(issue 14's targets: ≤ 1 s for a 2,000-student school, ≤ 5 s for the
100,000-student bench school, in a number of queries that does not depend
on the school's size). Each school of the demo, this school year beside
the previous one, as the report computes it."""

from __future__ import annotations

import time

from django.db import connection

from leerlingen.models import Leerling
from zorg.accounts.models import School
from zorg.demo.bench_herinneringen import _Teller
from zorgbeleid.cijfers import jaarvergelijking

# Seconds allowed, by the school's number of students (the first bound that
# holds): the two targets.
DOELEN = [(2_000, 1.0), (100_000, 5.0)]
# `demo --students N` loads a few more than N into the secondary school
# (2,030 for 2,000; 100,030 for 100,000): they are held to N's target.
SPELING = 1.05


def doel(leerlingen: int) -> float | None:
    return next((seconden for grens, seconden in DOELEN if leerlingen <= grens * SPELING), None)


def zorgbeleid_meten() -> list[dict]:
    uit = []
    for school in School.objects.order_by("pk"):
        jaar = school.schooljaren.filter(is_huidig=True).first()
        if jaar is None:
            continue
        leerlingen = Leerling.objects.filter(school=school).count()
        teller = _Teller()
        with connection.execute_wrapper(teller):
            begin = time.perf_counter()
            jaarvergelijking(school, jaar)
            seconden = time.perf_counter() - begin
        uit.append(
            {
                "school": school.naam,
                "students": leerlingen,
                "seconds": round(seconden, 2),
                "queries": teller.totaal,
                "target_seconds": doel(leerlingen),
            }
        )
    return uit


def gemist(figuren: list[dict]) -> list[str]:
    return [
        f"{f['school']} ({f['students']} students): {f['seconds']:.2f} s > {f['target_seconds']} s"
        for f in figuren
        if f["target_seconds"] is not None and f["seconds"] > f["target_seconds"]
    ]
