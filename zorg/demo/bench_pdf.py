"""PDF documents at the scale of `manage.py bench` (issue 13's targets).

`pdf_aanvullen()` prepares what the documents read: a class of the bench's
own in the demo school with 30 students, each with three measures in force,
and two students of its largest class with a long record (the care files).
Other document kinds register a builder in `OPBOUW` (code -> function
returning the jobs to time), so the bench grows with them.

`pdf_meten()` makes the jobs in a fresh Python process, as a worker would:
its own memory (Django, WeasyPrint, the fonts; not the bench's 100,000
students) is the worker's peak RSS, and each document is timed from the
data to the written file. One document is made first as a warm-up (a
worker that has made one PDF has its fonts and stylesheets parsed)."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from leerlingen.models import Bereik, Inschrijving, Klas, Leerling, Maatregel, MaatregelSoort
from leerlingen.policies import zorgcoordinatoren
from leerlingen.vlagtellingen import vlaggen_bulk_aanmaken
from zorg.accounts.models import School
from zorg.pdf.models import PdfOpdracht

KLASGROOTTE = 30
BENCHKLAS = "Bench 30"
MAATREGELEN_PER_LEERLING = 3
SOORTEN = [MaatregelSoort.STIMULEREND, MaatregelSoort.COMPENSEREND, MaatregelSoort.REMEDIEREND]

# Issue 13's targets: seconds per document (by the start of its label) and
# the worker's peak memory.
DOELEN = {
    "class measures overview": 1.0,
    "care file (~20 pages)": 1.5,
    "care file (~200 pages)": 10.0,
}
MAX_RSS_MB = 250


def gemist(figuren: dict) -> list[str]:
    """The targets the figures miss, in words (empty: all met)."""
    uit = []
    for d in figuren["documents"]:
        for begin, seconden in DOELEN.items():
            if d["document"].startswith(begin) and d["seconds"] > seconden:
                uit.append(f"{d['document']}: {d['seconds']:.2f} s > {seconden} s")
    if figuren["worker_peak_rss_mb"] > MAX_RSS_MB:
        uit.append(f"worker peak RSS {figuren['worker_peak_rss_mb']} MB > {MAX_RSS_MB} MB")
    return uit


# Document kinds beyond the class overview: code -> builder(school, user)
# returning [(label, PdfOpdracht)], registered by their bench module.
OPBOUW: dict[str, Callable] = {}


def _benchklas(school: School) -> Klas:
    """A class of the current school year of the bench's own: 30 students
    with three measures each, what a substitute's folder would hold (the
    demo's classes carry the reminder bench's extra measures)."""
    jaar = school.schooljaren.get(is_huidig=True)
    klas, _nieuw = Klas.objects.get_or_create(
        schooljaar=jaar, naam=BENCHKLAS, defaults={"leerjaar": 1}
    )
    return klas


def _klas(school: School) -> Klas:
    """The demo's largest current class (not the bench's own)."""
    return (
        Klas.objects.filter(schooljaar__school=school, schooljaar__is_huidig=True)
        .exclude(naam=BENCHKLAS)
        .annotate(aantal=Count("inschrijvingen", filter=Q(inschrijvingen__einde__isnull=True)))
        .order_by("-aantal", "pk")
        .first()
    )


def klas_aanvullen(school: School) -> tuple[Klas, int]:
    """The bench's class, filled to 30 students with three measures in
    force each. Returns it and how many rows were written."""
    klas = _benchklas(school)
    vandaag = timezone.localdate()
    ingeschreven = list(
        Inschrijving.objects.actief().filter(klas=klas).values_list("leerling_id", flat=True)
    )
    geschreven = 0
    tekort = KLASGROOTTE - len(ingeschreven)
    if tekort > 0:
        fase = Leerling.objects.filter(school=school).values_list("zorgfase_id", flat=True)[0]
        nieuw = Leerling.objects.bulk_create(
            Leerling(
                school=school,
                leerlingnummer=f"B{klas.pk}-{i}",
                voornaam=f"Bench{i}",
                achternaam=f"Klasgenoot{i:02d}",
                geboortedatum=datetime.date(vandaag.year - 14, 1 + i % 12, 1 + i % 28),
                zorgfase_id=fase,
            )
            for i in range(tekort)
        )
        Inschrijving.objects.bulk_create(
            Inschrijving(leerling=lln, klas=klas, begin=klas.schooljaar.begin) for lln in nieuw
        )
        ingeschreven += [lln.pk for lln in nieuw]
        geschreven += 2 * len(nieuw)
    al = dict(
        Maatregel.objects.filter(leerling_id__in=ingeschreven, status=Maatregel.Status.ACTIEF)
        .values("leerling_id")
        .annotate(n=Count("pk"))
        .values_list("leerling_id", "n")
    )
    eigenaar = zorgcoordinatoren(school.pk)[0]
    maatregelen = [
        Maatregel(
            leerling_id=leerling_id,
            soort=SOORTEN[i % len(SOORTEN)],
            titel=f"Maatregel {i + 1} voor de bench",
            omschrijving=(
                "Extra tijd bij toetsen en examens: een kwartier per lesuur. "
                "Instructies ook schriftelijk, kort en stap voor stap."
            ),
            domeinen=1,
            bereik=Bereik.ALLE_VAKKEN,
            begin=klas.schooljaar.begin,
            evaluatiedatum=vandaag + datetime.timedelta(days=60),
            evaluatietermijn=vandaag + datetime.timedelta(days=60),
            beslist_waar="begeleidende klassenraad",
            beslist_door=eigenaar,
            status=Maatregel.Status.ACTIEF,
        )
        for leerling_id in ingeschreven
        for i in range(al.get(leerling_id, 0), MAATREGELEN_PER_LEERLING)
    ]
    Maatregel.objects.bulk_create(maatregelen)
    return klas, geschreven + len(maatregelen)


def opdracht(user, soort: str, object_id: int, school, **opties) -> PdfOpdracht:
    """A job as `pdf_aanvragen` writes it, not queued: the bench makes it."""
    return PdfOpdracht.objects.create(
        soort=soort,
        object_id=object_id,
        opties=opties,
        aangevraagd_door=user,
        school=school,
        taal=settings.LANGUAGE_CODE,
    )


def pdf_aanvullen(school: School) -> tuple[list[tuple[str, PdfOpdracht]], dict]:
    """The jobs to time (label, job) and what was written for them."""
    coordinator = zorgcoordinatoren(school.pk)[0]
    klas, geschreven = klas_aanvullen(school)
    aantal = Inschrijving.objects.actief().filter(klas=klas).count()
    opdrachten = [
        (
            f"class measures overview ({aantal} students)",
            opdracht(coordinator, "klas-maatregelen", klas.pk, school),
        )
    ]
    for opbouw in OPBOUW.values():
        opdrachten += opbouw(school, coordinator)
    return opdrachten, {"rows_written": geschreven, "class": klas.naam, "students": aantal}


_WORKER = """
import json, sys, time
import django
django.setup()
from zorg.pdf.models import PdfOpdracht
from zorg.pdf.services import pdf_maken
uit = {}
for pk in sys.argv[1:]:
    begin = time.perf_counter()
    status = pdf_maken(pk)
    seconden = time.perf_counter() - begin
    paginas = PdfOpdracht.objects.filter(pk=pk).values_list("paginas", flat=True).first()
    uit[pk] = {"seconds": round(seconden, 3), "status": status, "pages": paginas}
# VmHWM, this process's own high-water mark: ru_maxrss would carry the
# bench's (the parent's) over the fork and exec.
with open("/proc/self/status") as status:
    hwm = next(int(r.split()[1]) for r in status if r.startswith("VmHWM:"))
uit["peak_rss_mb"] = round(hwm / 1024, 1)
print(json.dumps(uit))
"""


def _database_url() -> str:
    """This connection's database (the test database when a test runs it)."""
    db = connection.settings_dict
    wie = f"{quote(db['USER'], safe='')}:{quote(db['PASSWORD'], safe='')}"
    return f"postgres://{wie}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def pdf_meten(opdrachten: list[tuple[str, PdfOpdracht]]) -> dict:
    """Make the jobs in a process of their own (after a warm-up copy of the
    first) and return the figures per document and the process's peak RSS."""
    _label, eerste = opdrachten[0]
    opwarmen = opdracht(
        eerste.aangevraagd_door, eerste.soort, eerste.object_id, eerste.school, **eerste.opties
    )
    ids = [str(opwarmen.pk)] + [str(o.pk) for _label, o in opdrachten]
    uit = subprocess.run(  # noqa: S603 (this Python, this module's code, job ids)
        [sys.executable, "-c", _WORKER, *ids],
        env={
            **os.environ,
            "DATABASE_URL": _database_url(),
            "ZORG_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figuren = json.loads(uit.strip().splitlines()[-1])
    return {
        "warm_up_seconds": figuren[str(opwarmen.pk)]["seconds"],
        "documents": [{"document": label, **figuren[str(o.pk)]} for label, o in opdrachten],
        "worker_peak_rss_mb": figuren["peak_rss_mb"],
    }


# --- the care file ----------------------------------------------------------------
#
# Two students of the demo school get a long record, written in bulk: the
# number of entries of each kind that gives about 20 and about 200 pages of
# care file (about 1.2 entries of each kind per page, measured).
LANGE_DOSSIERS = {"care file (~20 pages)": 24, "care file (~200 pages)": 290}
_ZIN = "Werkt geconcentreerd aan de opdracht en vraagt hulp wanneer nodig. "


def _lang_dossier(leerling, klas, door, aantal: int) -> int:
    from leerlingen import domeinen
    from leerlingen.models import (
        Gesprek,
        MaatregelEvaluatie,
        Observatie,
        ObservatieSoort,
        Vlag,
        VlagBetrokkene,
        VlagKleur,
        VlagOpvolging,
        Zichtbaarheid,
    )

    vandaag = timezone.localdate()
    begin = klas.schooljaar.begin
    dagen = max(1, (vandaag - begin).days)
    dag = [begin + datetime.timedelta(days=n * dagen // aantal) for n in range(aantal)]
    Observatie.objects.bulk_create(
        Observatie(
            leerling=leerling,
            auteur=door,
            datum=dag[n],
            soort=ObservatieSoort.STERKTE if n % 2 else ObservatieSoort.ZORG,
            domeinen=domeinen.LEREN | domeinen.PSYCHOSOCIAAL,
            tekst=f"Observatie {n + 1}: " + _ZIN * 4,
            zichtbaarheid=Zichtbaarheid.KLASTEAM,
        )
        for n in range(aantal)
    )
    Gesprek.objects.bulk_create(
        Gesprek(
            leerling=leerling,
            datum=dag[n],
            soort=Gesprek.Soort.OUDERS,
            deelnemers="moeder, klastitularis, zorgcoördinator",
            samenvatting=f"Gesprek {n + 1}: " + _ZIN * 3,
            afspraken=f"Afspraak {n + 1}: elke vrijdag de planning samen overlopen.",
            domeinen=domeinen.LEREN,
            zichtbaarheid=Zichtbaarheid.KLASTEAM,
            door=door,
        )
        for n in range(aantal)
    )
    maatregelen = Maatregel.objects.bulk_create(
        Maatregel(
            leerling=leerling,
            soort=SOORTEN[n % len(SOORTEN)],
            titel=f"Maatregel {n + 1} van het dossier",
            omschrijving=_ZIN * 2,
            domeinen=1,
            bereik=Bereik.ALLE_VAKKEN,
            begin=dag[n],
            evaluatiedatum=dag[n] + datetime.timedelta(days=42),
            evaluatietermijn=dag[n] + datetime.timedelta(days=42),
            beslist_waar="begeleidende klassenraad",
            beslist_door=door,
            status=Maatregel.Status.ACTIEF,
        )
        for n in range(aantal)
    )
    MaatregelEvaluatie.objects.bulk_create(
        MaatregelEvaluatie(
            maatregel=m,
            datum=vandaag,
            termijn=m.evaluatietermijn,
            effect=MaatregelEvaluatie.Effect.WERKT,
            beslissing=MaatregelEvaluatie.Beslissing.VERDERZETTEN,
            door=door,
            notities=f"Evaluatie {n + 1}: helpt, verderzetten.",
        )
        for n, m in enumerate(maatregelen)
    )
    vlaggen = vlaggen_bulk_aanmaken(
        Vlag(
            school=klas.schooljaar.school,
            klas=klas,
            kleur=VlagKleur.ROOD if n % 2 else VlagKleur.GEEL,
            moment=timezone.make_aware(datetime.datetime.combine(dag[n], datetime.time(10))),
            omschrijving=f"Incident {n + 1}: " + _ZIN * 2,
            reeds_gedaan="Apart genomen en rustig gepraat.",
            gemeld_door=door,
            status=Vlag.Status.AFGESLOTEN,
            erkend_op=timezone.now() if n % 2 else None,
            erkend_door=door if n % 2 else None,
        )
        for n in range(aantal)
    )
    VlagBetrokkene.objects.bulk_create(
        VlagBetrokkene(vlag=v, leerling=leerling, rol=VlagBetrokkene.Rol.BETROKKEN) for v in vlaggen
    )
    VlagOpvolging.objects.bulk_create(
        VlagOpvolging(
            vlag=v,
            soort=VlagOpvolging.Soort.HERSTELGESPREK,
            datum=timezone.localdate(v.moment),
            door=door,
            notities=f"Opvolging {n + 1}: herstelgesprek gevoerd.",
        )
        for n, v in enumerate(vlaggen)
    )
    return 2 * aantal * 4


def zorgdossiers(school, coordinator) -> list[tuple[str, PdfOpdracht]]:
    """The long care files' jobs (the records written once: a second bench
    finds them)."""
    klas = _klas(school)
    leerlingen = list(
        Leerling.objects.filter(inschrijvingen__klas=klas, inschrijvingen__einde__isnull=True)
        .exclude(achternaam__startswith="Klasgenoot")
        .order_by("pk")[: len(LANGE_DOSSIERS)]
    )
    opdrachten = []
    for leerling, (label, aantal) in zip(leerlingen, LANGE_DOSSIERS.items(), strict=True):
        if not leerling.observaties.filter(tekst__startswith="Observatie 1:").exists():
            _lang_dossier(leerling, klas, coordinator, aantal)
        opdrachten.append(
            (label, opdracht(coordinator, "zorgdossier", leerling.pk, school, periode="alles"))
        )
    return opdrachten


OPBOUW["zorgdossier"] = zorgdossiers
