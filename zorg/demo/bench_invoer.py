"""The import at the scale of `manage.py bench` (issue 16's targets: 2,000
students with guardians and enrolments in ≤ 10 s, 20,000 in ≤ 60 s).

For each size, a school of its own (a current school year with 36
classes) and a CSV file as an administration package writes it (";",
UTF-8 with BOM, dd/mm/jjjj, two guardians per student). Timed, as the
worker runs them: the dry run, the confirmed import (the target), and the
same file again (every row unchanged), each with its SQL statements and
the growth of the process's peak RSS."""

from __future__ import annotations

import datetime
import io
import random
import resource
import tempfile
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from leerlingen.models import Inschrijving, Klas, Leerling, Ouder
from zorg.accounts.models import School, Schooljaar, SchoolType, User, schooljaar_begin
from zorg.demo.bench_herinneringen import _Teller
from zorg.invoer.models import Importopdracht
from zorg.invoer.services import (
    import_bevestigen,
    importopdracht_aanmaken,
    invoer_controleren,
    invoer_uitvoeren,
    koppeling_bewaren,
)

DOELEN = {2_000: 10.0, 20_000: 60.0}
VOORNAMEN = ("Emma", "Jonas", "Noor", "Lars", "Finn", "Mila", "Bram", "Lotte", "Cas", "Jana")
ACHTERNAMEN = ("Claes", "Maes", "Aerts", "Wouters", "Bosmans", "Janssens", "Vermeulen")
KOP = (
    "leerlingnummer;voornaam;achternaam;geboortedatum;klas;inschrijvingsdatum;"
    "ouder1_naam;ouder1_relatie;ouder1_telefoon;ouder1_email;ouder1_adres;ouder1_contactpersoon;"
    "ouder2_naam;ouder2_relatie;ouder2_telefoon;ouder2_email;ouder2_adres;ouder2_contactpersoon"
)


def _school(aantal: int) -> tuple[School, list[str]]:
    bestaand = set(School.objects.values_list("instellingsnummer", flat=True))
    nummer = next(str(n) for n in range(990_000, 999_999) if str(n) not in bestaand)
    school = School.objects.create(
        naam=f"Bench import {aantal}", instellingsnummer=nummer, schooltype=SchoolType.SECUNDAIR
    )
    begin = schooljaar_begin(timezone.localdate())
    Schooljaar.objects.filter(school=school).update(is_huidig=False)
    jaar = Schooljaar.objects.create(
        school=school,
        naam=f"{begin.year}-{begin.year + 1}",
        begin=begin,
        einde=begin.replace(year=begin.year + 1, month=8, day=31),
        is_huidig=True,
    )
    klassen = [f"{leerjaar}{letter}" for leerjaar in range(1, 7) for letter in "ABCDEF"]
    Klas.objects.bulk_create(
        Klas(schooljaar=jaar, naam=naam, leerjaar=int(naam[0])) for naam in klassen
    )
    return school, klassen


def _bestand(aantal: int, klassen: list[str], seed: int) -> SimpleUploadedFile:
    toeval = random.Random(seed)
    uit = io.StringIO()
    uit.write("\ufeff" + KOP + "\r\n")
    for i in range(aantal):
        achternaam = toeval.choice(ACHTERNAMEN)
        geboren = datetime.date(2008, 9, 1) + datetime.timedelta(days=toeval.randrange(2200))
        uit.write(
            f"{100000 + i};{toeval.choice(VOORNAMEN)};{achternaam};{geboren:%d/%m/%Y};"
            f"{klassen[i % len(klassen)]};;"
            f"Ouder A {achternaam};moeder;0470 {i:06d};a{i}@example.org;"
            f"Kerkstraat {i}, 9000 Gent;ja;"
            f"Ouder B {achternaam};vader;0480 {i:06d};b{i}@example.org;;nee\r\n"
        )
    return SimpleUploadedFile("bench.csv", uit.getvalue().encode("utf-8"))


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _gemeten(functie) -> dict:
    teller = _Teller()
    rss = _rss_mb()
    with connection.execute_wrapper(teller):
        begin = time.perf_counter()
        status = functie()
        seconden = time.perf_counter() - begin
    return {
        "seconds": round(seconden, 2),
        "queries": teller.totaal,
        "status": status,
        "peak_rss_growth_mb": round(_rss_mb() - rss, 1),
    }


def _import(school: School, door, bestand) -> dict:
    opdracht = importopdracht_aanmaken(
        school=school, door=door, soort="leerlingen", volledig=True, bestand=bestand
    )
    koppeling_bewaren(opdracht=opdracht, koppeling=opdracht.koppeling)
    controle = _gemeten(lambda: invoer_controleren(str(opdracht.pk)))
    opdracht.refresh_from_db()
    import_bevestigen(opdracht=opdracht, vertrokken_beeindigen=False)
    invoer = _gemeten(lambda: invoer_uitvoeren(str(opdracht.pk)))
    opdracht.refresh_from_db()
    return {"dry_run": controle, "import": invoer, "totals": opdracht.totalen}


def invoer_meten(groottes=(2_000, 20_000)) -> list[dict]:
    uit = []
    door = User.objects.filter(
        email="bench-import@example.org"
    ).first() or User.objects.create_user(email="bench-import@example.org")
    with tempfile.TemporaryDirectory() as map_, override_settings(MEDIA_ROOT=map_):
        for aantal in groottes:
            school, klassen = _school(aantal)
            eerste = _import(school, door, _bestand(aantal, klassen, seed=aantal))
            tweede = _import(school, door, _bestand(aantal, klassen, seed=aantal))
            uit.append(
                {
                    "students": aantal,
                    "file_bytes": _bestand(aantal, klassen, seed=aantal).size,
                    "first": eerste,
                    "again": tweede,
                    "rows": {
                        "students": Leerling.objects.filter(school=school).count(),
                        "guardians": Ouder.objects.filter(leerling__school=school).count(),
                        "enrolments": Inschrijving.objects.filter(leerling__school=school).count(),
                    },
                    "target_seconds": DOELEN.get(aantal),
                }
            )
    return uit


def gemist(figuren: list[dict]) -> list[str]:
    fout = []
    for f in figuren:
        if f["first"]["import"]["status"] != Importopdracht.Status.KLAAR:
            fout.append(f"{f['students']} students: import {f['first']['import']['status']}")
        elif f["target_seconds"] and f["first"]["import"]["seconds"] > f["target_seconds"]:
            fout.append(
                f"{f['students']} students: {f['first']['import']['seconds']:.1f} s "
                f"> {f['target_seconds']} s"
            )
        if f["rows"]["students"] != f["students"]:
            fout.append(f"{f['students']} students: {f['rows']['students']} rows after two imports")
    return fout
