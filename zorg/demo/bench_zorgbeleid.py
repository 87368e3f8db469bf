"""The care-policy report at the scale of `manage.py bench` (issue 14's
targets: ≤ 1 s for a 2,000-student school, ≤ 5 s for the 100,000-student
bench school, in a number of queries that does not depend on the school's
size). Each school of the demo, this school year beside the previous one,
twice: the figures alone (`jaarvergelijking`), and the whole report as its
director downloads it (the figures, the protected tables, the reflection and
the XLSX file: `schoolexport` + `xlsx_maken`), which the target applies to."""

from __future__ import annotations

import time

from django.db import connection

from leerlingen.models import Leerling
from zorg.accounts.models import Rol, School, User
from zorg.demo.bench_herinneringen import _Teller
from zorgbeleid.cijfers import jaarvergelijking
from zorgbeleid.export import schoolexport, xlsx_maken

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
        directeur = User.objects.met_rol(school.pk, Rol.DIRECTIE).order_by("pk").first()
        teller = _Teller()
        with connection.execute_wrapper(teller):
            begin = time.perf_counter()
            jaarvergelijking(school, jaar)
            cijfers_seconden = time.perf_counter() - begin
        cijfers_queries = teller.totaal
        rapport = {"seconds": None, "queries": None, "xlsx_bytes": None}
        if directeur is not None:
            teller = _Teller()
            with connection.execute_wrapper(teller):
                begin = time.perf_counter()
                bestand = xlsx_maken(schoolexport(directeur, jaar))
                rapport = {
                    "seconds": round(time.perf_counter() - begin, 2),
                    "queries": teller.totaal,
                    "xlsx_bytes": len(bestand),
                }
        uit.append(
            {
                "school": school.naam,
                "students": leerlingen,
                "figures_seconds": round(cijfers_seconden, 2),
                "figures_queries": cijfers_queries,
                "report_seconds": rapport["seconds"],
                "report_queries": rapport["queries"],
                "xlsx_bytes": rapport["xlsx_bytes"],
                # What the target applies to: the whole report where the
                # school has a director to download it, else the figures.
                "seconds": rapport["seconds"] if directeur else round(cijfers_seconden, 2),
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
