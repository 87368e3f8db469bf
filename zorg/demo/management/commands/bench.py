"""`manage.py bench`: load the demo at scale and time the main pages.

1. On an empty database, times `manage.py demo --students N` (students/second).
   Then, while the demo has no school year of flags yet, writes one for the
   secondary school (`zorg.demo.vlaggen.bulk_vlaggen`), so the flag trend
   views are timed at scale.
2. Logged in as named demo users through django.test.Client, times each page
   of `metingen()` (median of several runs after one warm-up) and counts its
   queries.
3. Times the daily reminder run of every school (zorg.demo.bench_herinneringen):
   on a school day derived from the school's calendar, over a school year of
   measures, action items, CLB goals and red flags topped up for the number
   of students; its SQL statements and the reminders it created, then a second
   run that must create none. Fails when a run takes over 30 s.
4. Makes the PDF documents (zorg.demo.bench_pdf) in a process of their own,
   as a worker would: the class measures overview of 30 students and what
   other documents register; seconds and pages of each, the process's peak RSS.
5. Computes the care-policy report's figures of every school (this year
   beside the last, zorg.demo.bench_zorgbeleid): seconds and SQL statements.
6. Serves the pages a role uses every day through gunicorn (3 workers) and
   puts them under load (zorg.demo.belasting): per page p50/p95, what
   PostgreSQL executed per view and its SQL time, the top five statements,
   the plans of the flag trends and the student search, and req/s,
   p50/p95/p99 and errors at 2, 8 and 32 connections. Needs
   pg_stat_statements for the statement counts (scripts/bench.sh loads it).
7. Imports 2,000 and 20,000 students with two guardians each from a CSV file
   into schools of their own (zorg.demo.bench_invoer), as the worker does:
   the dry run, the confirmed import (≤ 10 s and ≤ 60 s) and the same file
   again; seconds, SQL statements, peak RSS growth. `--import-only` runs
   just this, without loading the demo.
8. Prints a table and writes the figures to ./bench-results.json.

To add a benchmark, add a `Meting(label, user, url)` to `metingen()`.
"""

from __future__ import annotations

import datetime
import json
import platform
import random
import resource
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klassenraad.models import (
    Actiepunt,
    Agendapunt,
    Agendareden,
    Bespreekvraag,
    Overleg,
    OverlegSoort,
)
from leerlingen.models import (
    Aanmelding,
    Bereik,
    Inschrijving,
    Klas,
    Leerling,
    Lesopdracht,
    Maatregel,
    MaatregelSoort,
    Vlag,
)
from zorg.accounts.models import Rol, School, User
from zorg.demo.belasting import (
    belasting_meten,
    portretraden,
    tabellen,
    tweede_factor,
    volgende_cel,
)
from zorg.demo.belasting import gemist as belasting_gemist
from zorg.demo.bench_herinneringen import (
    MAXIMUM_SECONDEN,
    celdagen_instellen,
    herinneringen_aanvullen,
    herinneringen_meten,
    herinneringsmoment,
)
from zorg.demo.bench_invoer import gemist as invoer_gemist
from zorg.demo.bench_invoer import invoer_meten
from zorg.demo.bench_pdf import gemist, pdf_aanvullen, pdf_meten
from zorg.demo.bench_zorgbeleid import gemist as zorgbeleid_gemist
from zorg.demo.bench_zorgbeleid import zorgbeleid_meten
from zorg.demo.plan import DEMO_INSTELLINGSNUMMER
from zorg.demo.vlaggen import bulk_vlaggen

ZORG = "zorg@sint-jozef.example"
LEERKRACHT = "leerkracht@sint-jozef.example"
RESULTATEN = "bench-results.json"
# The flag trend views are timed on at least a school year of flags of the
# secondary school: about 10 per student, and no fewer than this.
VLAGGEN_MINIMUM = 20_000
VLAGGEN_PER_LEERLING = 10
VLAGGEN_SEED = 2026
BATCH = 2_000


@dataclass(frozen=True)
class Meting:
    label: str
    user: str  # e-mail of a demo login
    url: str


@dataclass(frozen=True)
class Context:
    """Objects of the loaded demo the URLs point at."""

    klas_id: int
    klas_naam: str
    leerling_id: int
    leerlingnummer: str


def context_zoeken() -> Context:
    """A current class that the named teacher teaches, and its first student:
    every user in the table may see both, so the figures compare."""
    leerkracht = User.objects.get(email=LEERKRACHT)
    klas = (
        Klas.objects.filter(
            schooljaar__is_huidig=True,
            pk__in=Lesopdracht.objects.filter(leerkracht=leerkracht).values("klas_id"),
        )
        .order_by("leerjaar", "naam")
        .first()
    )
    if klas is None:
        raise CommandError(f"{LEERKRACHT} teaches no class: is the demo loaded?")
    inschrijving = (
        Inschrijving.objects.actief()
        .filter(klas=klas)
        .select_related("leerling")
        .order_by("leerling__achternaam", "leerling__voornaam", "leerling_id")
        .first()
    )
    if inschrijving is None:
        raise CommandError(f"Class {klas.naam} has no students.")
    leerling = inschrijving.leerling
    return Context(klas.pk, klas.naam, leerling.pk, leerling.leerlingnummer)


def metingen(ctx: Context) -> list[Meting]:
    """What is timed, in the order of the table. Later issues add rows here."""
    lijst = reverse("leerlingen:leerling_lijst")
    paginas = [
        ("student list", lijst),
        ("search 'peeters'", f"{lijst}?q=peeters"),
        (f"search number {ctx.leerlingnummer}", f"{lijst}?q={ctx.leerlingnummer}"),
        ("class list", reverse("leerlingen:klas_lijst")),
        (f"class page {ctx.klas_naam}", reverse("leerlingen:klas_detail", args=[ctx.klas_id])),
        ("student page", reverse("leerlingen:leerling_detail", args=[ctx.leerling_id])),
        ("student timeline", reverse("leerlingen:tijdlijn", args=[ctx.leerling_id])),
        (
            f"class measures {ctx.klas_naam}",
            reverse("leerlingen:klas_maatregelen", args=[ctx.klas_id]),
        ),
    ]
    trends = reverse("leerlingen:vlag_trends")
    return (
        [
            Meting(f"{rol}: {label}", user, url)
            for rol, user in (("zorgcoördinator", ZORG), ("leerkracht", LEERKRACHT))
            for label, url in paginas
        ]
        + [
            Meting("zorgcoördinator: flag trends school (per week)", ZORG, trends),
            Meting(
                "zorgcoördinator: flag trends school (per month)",
                ZORG,
                f"{trends}?groepering=maand",
            ),
            Meting(
                f"leerkracht: flag trends class {ctx.klas_naam}",
                LEERKRACHT,
                reverse("leerlingen:klas_vlag_trends", args=[ctx.klas_id]),
            ),
        ]
        + _overlegmetingen()
    )


def _overlegmetingen() -> list[Meting]:
    """The next care cell's proposed agenda and a portrait class council of
    the demo's secondary school."""
    school = School.objects.get(instellingsnummer=DEMO_INSTELLINGSNUMMER)
    metingen = []
    cel = volgende_cel(school)
    if cel is not None:
        metingen.append(
            Meting(
                "zorgcoördinator: care-cell agenda (proposals)",
                ZORG,
                reverse("klassenraad:agenda_voorstel", args=[cel.pk]),
            )
        )
    # A portrait council of a class the named teacher teaches, so both may
    # open it (at another size of the demo the school's first is not theirs).
    portretten = portretraden(school)
    eigen = portretten.filter(
        klas__in=Lesopdracht.objects.filter(leerkracht__email=LEERKRACHT).values("klas_id")
    ).first()
    portret = eigen or portretten.first()
    if portret is not None:
        lezers = (("zorgcoördinator", ZORG), ("leerkracht", LEERKRACHT))
        for rol, user in lezers if eigen else lezers[:1]:
            metingen.append(
                Meting(
                    f"{rol}: portrait class council {portret.klas}",
                    user,
                    reverse("klassenraad:overleg_detail", args=[portret.pk]),
                )
            )
    return metingen


# A school year of weekly care cells, each with this many students and as
# many action items, for the agenda's timing.
CELLEN_PER_JAAR = 40
PUNTEN_PER_CEL = 30


def overleggen_aanvullen() -> dict:
    """Give the secondary school a whole school year of meeting data in bulk
    (closed weekly cells with agenda items and action items, requests to
    discuss, measures with evaluation dates, CLB referrals), so the next
    cell's agenda is timed against it. Skipped when already there."""
    school = School.objects.get(instellingsnummer=DEMO_INSTELLINGSNUMMER)
    bestaand = Overleg.objects.cellen().filter(school=school).count()
    if bestaand >= CELLEN_PER_JAAR:
        return {"created": 0, "cells": bestaand}
    rng = random.Random(VLAGGEN_SEED)
    zorg = User.objects.get(email=ZORG)
    personeel = list(User.objects.met_rol(school.pk, Rol.LEERKRACHT).order_by("pk")[:60]) or [zorg]
    ids = list(
        Inschrijving.objects.actief()
        .filter(klas__schooljaar__school=school)
        .values_list("leerling_id", flat=True)
        .distinct()
    )
    nu = timezone.now()
    vandaag = timezone.localdate()
    start = time.perf_counter()
    with transaction.atomic():
        cellen = Overleg.objects.bulk_create(
            Overleg(
                school=school,
                soort=OverlegSoort.CEL,
                moment=nu - datetime.timedelta(days=7 * (CELLEN_PER_JAAR - i)),
                voorzitter=zorg,
                aangemaakt_door=zorg,
                status=Overleg.Status.AFGESLOTEN,
                afgesloten_op=nu - datetime.timedelta(days=7 * (CELLEN_PER_JAAR - i)),
            )
            for i in range(CELLEN_PER_JAAR - bestaand)
        )
        punten, acties = [], []
        reden = [{"soort": Agendareden.TOEGEVOEGD.value, "tekst": "Bench"}]
        for cel in cellen:
            for leerling_id in rng.sample(ids, min(PUNTEN_PER_CEL, len(ids))):
                punten.append(
                    Agendapunt(
                        overleg=cel, leerling_id=leerling_id, toegevoegd_door=zorg, redenen=reden
                    )
                )
                oud = cel.moment < nu - datetime.timedelta(weeks=8)
                klaar = rng.random() < (0.97 if oud else 0.7)
                acties.append(
                    Actiepunt(
                        overleg=cel,
                        leerling_id=leerling_id,
                        eigenaar=rng.choice(personeel),
                        omschrijving="Opvolgen",
                        vervaldatum=timezone.localdate(cel.moment)
                        + datetime.timedelta(days=rng.randint(3, 40)),
                        status=Actiepunt.Status.AFGEROND if klaar else Actiepunt.Status.OPEN,
                        afgehandeld_op=nu if klaar else None,
                    )
                )
        Agendapunt.objects.bulk_create(punten, batch_size=BATCH)
        Actiepunt.objects.bulk_create(acties, batch_size=BATCH)
        maatregelen = []
        for leerling_id in rng.sample(ids, min(1200, len(ids))):
            begin = vandaag - datetime.timedelta(days=rng.randint(30, 300))
            actief = rng.random() < 0.6
            evaluatiedatum = max(begin, vandaag + datetime.timedelta(rng.randint(-10, 120)))
            maatregelen.append(
                Maatregel(
                    leerling_id=leerling_id,
                    soort=MaatregelSoort.COMPENSEREND,
                    titel="Extra tijd bij toetsen",
                    domeinen=1,
                    bereik=Bereik.TOETSEN,
                    begin=begin,
                    evaluatiedatum=evaluatiedatum,
                    evaluatietermijn=evaluatiedatum,
                    einde=None if actief else begin + datetime.timedelta(days=150),
                    beslist_waar="cel leerlingbegeleiding",
                    beslist_door=zorg,
                    status=Maatregel.Status.ACTIEF if actief else Maatregel.Status.GEEVALUEERD,
                )
            )
        Maatregel.objects.bulk_create(maatregelen, batch_size=BATCH)
        Bespreekvraag.objects.bulk_create(
            (
                Bespreekvraag(
                    leerling_id=rng.choice(ids),
                    waar=rng.choice(Bespreekvraag.Waar.values),
                    reden="Zorgen in de klas",
                    gevraagd_door=rng.choice(personeel),
                    status=Bespreekvraag.Status.OPEN
                    if rng.random() < 0.05
                    else Bespreekvraag.Status.INGEPLAND,
                    aangemaakt=nu - datetime.timedelta(days=rng.randint(0, 280)),
                )
                for _ in range(800)
            ),
            batch_size=BATCH,
        )
        # A student has at most one open referral (een_open_aanmelding_per_
        # leerling): those the demo already referred get closed ones only.
        al_open = set(
            Aanmelding.objects.filter(
                leerling__school=school, status=Aanmelding.Status.OPEN
            ).values_list("leerling_id", flat=True)
        )
        Aanmelding.objects.bulk_create(
            (
                Aanmelding(
                    leerling_id=leerling_id,
                    datum=vandaag - datetime.timedelta(days=rng.randint(0, 280)),
                    hulpvraag="Hoe ondersteunen we deze leerling het best?",
                    bron=Aanmelding.Bron.CEL,
                    status=Aanmelding.Status.OPEN
                    if rng.random() < 0.2 and leerling_id not in al_open
                    else Aanmelding.Status.AFGESLOTEN,
                    aangemaakt_door=zorg,
                )
                for leerling_id in rng.sample(ids, min(150, len(ids)))
            ),
            batch_size=BATCH,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "created": len(cellen),
        "cells": bestaand + len(cellen),
        "agenda_items": len(punten),
        "action_items": len(acties),
        "measures": len(maatregelen),
        "seconds": round(time.perf_counter() - start, 2),
    }


VLAGGEN_MAXIMUM = 50_000


def vlaggen_aanvullen() -> dict:
    """Until the demo carries flags of its own: give the secondary school a
    school year of them (about 10 per student, at least VLAGGEN_MINIMUM) so
    the trend views are timed at scale. Skipped when there are enough."""
    school = School.objects.get(instellingsnummer=DEMO_INSTELLINGSNUMMER)
    bestaand = Vlag.objects.filter(school=school).count()
    nieuw = 0
    seconden = 0.0
    if bestaand < VLAGGEN_MINIMUM:
        leerlingen = Inschrijving.objects.actief().filter(klas__schooljaar__school=school).count()
        # A school year at ~10 per student, capped: a 100,000-student run
        # would otherwise spend minutes writing a million flags.
        doel = min(max(VLAGGEN_MINIMUM, VLAGGEN_PER_LEERLING * leerlingen), VLAGGEN_MAXIMUM)
        start = time.perf_counter()
        nieuw = bulk_vlaggen(school, doel - bestaand, VLAGGEN_SEED)
        seconden = time.perf_counter() - start
    return {
        "school": school.naam,
        "existing": bestaand,
        "created": nieuw,
        "seconds": round(seconden, 2),
        "total": bestaand + nieuw,
    }


@dataclass
class Uitslag:
    label: str
    user: str
    url: str
    status: int
    median_ms: float
    min_ms: float
    max_ms: float
    queries: int
    runs_ms: list[float]


def _meet(client: Client, meting: Meting, herhalingen: int) -> Uitslag:
    client.get(meting.url, secure=True)  # warm-up: caches, connection, templates
    tijden = []
    for _ in range(herhalingen):
        start = time.perf_counter()
        response = client.get(meting.url, secure=True)
        tijden.append((time.perf_counter() - start) * 1000)
    # Queries are counted on a separate run, so the debug cursor does not
    # weigh on the timings.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(meting.url, secure=True)
    return Uitslag(
        label=meting.label,
        user=meting.user,
        url=meting.url,
        status=response.status_code,
        median_ms=round(statistics.median(tijden), 2),
        min_ms=round(min(tijden), 2),
        max_ms=round(max(tijden), 2),
        queries=len(queries),
        runs_ms=[round(t, 2) for t in tijden],
    )


def _piek_rss_mb() -> float:
    piek = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return round(piek / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _statische_bestanden() -> dict:
    """Production settings use a manifest storage that needs collectstatic;
    without a manifest, pages are rendered with plain static URLs (the lookup
    costs the same)."""
    storage = storages["staticfiles"]
    if isinstance(storage, ManifestFilesMixin) and not storage.hashed_files:
        gewoon = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        return {"STORAGES": {**settings.STORAGES, "staticfiles": gewoon}}
    return {}


class Command(BaseCommand):
    help = (
        "Load the demo with N students on an empty database and time the main pages "
        "(median ms and queries); writes bench-results.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=100_000)
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="time the pages on the demo already loaded instead of refusing",
        )
        parser.add_argument(
            "--runs", type=int, default=5, help="timed runs per page, after one warm-up"
        )
        parser.add_argument(
            "--import-only",
            action="store_true",
            help="time only the import of 2,000 and 20,000 students (no demo needed)",
        )
        parser.add_argument(
            "--load-seconds",
            type=float,
            default=20.0,
            help="seconds of load at each number of connections (0: no load stage)",
        )
        parser.add_argument(
            "--served-only",
            action="store_true",
            help="after loading (or with --reuse), only the served pages and the load stage",
        )
        parser.add_argument(
            "--care-policy-only",
            action="store_true",
            help="after loading (or with --reuse), time only the care-policy report's figures",
        )

    def handle(
        self,
        *args,
        students,
        reuse,
        runs,
        care_policy_only,
        import_only,
        load_seconds,
        served_only,
        **options,
    ):
        if import_only:
            figuren = invoer_meten()
            self._invoer_tabel(figuren)
            pad = Path.cwd() / RESULTATEN
            pad.write_text(json.dumps({"import": figuren}, indent=2, ensure_ascii=False) + "\n")
            self.stdout.write(f"Figures written to {pad}")
            self._invoer_doelen(figuren)
            return
        geladen = School.objects.filter(instellingsnummer=DEMO_INSTELLINGSNUMMER).exists()
        if geladen and not reuse:
            raise CommandError(
                "The demo is already loaded: the load is only timed on an empty database. "
                "Use a fresh database, or --reuse to time the pages only."
            )
        resultaat: dict = {
            "when": timezone.now().isoformat(timespec="seconds"),
            "database": connection.vendor,
            "python": platform.python_version(),
            "runs_per_page": runs,
        }
        if geladen:
            self.stdout.write("Reusing the demo already loaded; the load is not timed.")
            resultaat["load"] = None
        else:
            self.stdout.write(f"Loading the demo with {students} students ...")
            start = time.perf_counter()
            call_command("demo", students=students, verbosity=0)
            seconden = time.perf_counter() - start
            totaal = Leerling.objects.count()
            resultaat["load"] = {
                "students_requested": students,
                "students_loaded": totaal,
                "seconds": round(seconden, 2),
                "students_per_second": round(totaal / seconden, 1),
            }
            self.stdout.write(
                f"Loaded {totaal} students in {seconden:.1f} s "
                f"({totaal / seconden:,.0f} students/s)."
            )
        resultaat["rows"] = {
            "students": Leerling.objects.count(),
            "enrolments": Inschrijving.objects.count(),
            "classes": Klas.objects.count(),
            "users": User.objects.count(),
        }
        if care_policy_only:
            resultaat["care_policy_report"] = zorgbeleid_meten()
            self._zorgbeleid_tabel(resultaat["care_policy_report"])
            pad = Path.cwd() / RESULTATEN
            pad.write_text(json.dumps(resultaat, indent=2, ensure_ascii=False) + "\n")
            self.stdout.write(f"Figures written to {pad}")
            self._zorgbeleid_doelen(resultaat["care_policy_report"])
            return

        vlaggen = vlaggen_aanvullen()
        resultaat["flags"] = vlaggen
        if vlaggen["created"]:
            self.stdout.write(
                f"Wrote {vlaggen['created']} flags for {vlaggen['school']} "
                f"in {vlaggen['seconds']:.1f} s (now {vlaggen['total']})."
            )
        resultaat["rows"]["flags"] = Vlag.objects.count()
        resultaat["meetings"] = overleggen_aanvullen()
        if resultaat["meetings"]["created"]:
            self.stdout.write(
                f"Wrote a school year of meetings: {resultaat['meetings']['created']} care cells "
                f"with {resultaat['meetings']['agenda_items']} agenda and action items."
            )

        ctx = context_zoeken()
        extra = _statische_bestanden()
        hosts = settings.ALLOWED_HOSTS
        if "testserver" not in hosts and "*" not in hosts:
            extra["ALLOWED_HOSTS"] = [*hosts, "testserver"]
        if served_only:
            self._geserveerd(resultaat, extra, load_seconds)
            return
        uitslagen: list[Uitslag] = []
        clients: dict[str, Client] = {}
        with override_settings(**extra):
            for meting in metingen(ctx):
                if meting.user not in clients:
                    gebruiker = User.objects.get(email=meting.user)
                    tweede_factor(gebruiker)
                    clients[meting.user] = Client()
                    clients[meting.user].force_login(gebruiker)
                uitslagen.append(_meet(clients[meting.user], meting, runs))
        resultaat["requests"] = [asdict(u) for u in uitslagen]
        self._tabel(uitslagen)
        belasting = self._geserveerd(resultaat, extra, load_seconds, schrijven=False)
        resultaat["peak_rss_mb_before_reminders"] = _piek_rss_mb()
        resultaat["reminders"] = self._herinneringen()
        resultaat["pdf"] = self._pdf()
        resultaat["care_policy_report"] = zorgbeleid_meten()
        resultaat["import"] = invoer_meten()
        resultaat["peak_rss_mb"] = _piek_rss_mb()
        if "STORAGES" in extra:
            resultaat["note"] = "no staticfiles manifest: rendered with plain static URLs"

        self._herinneringen_tabel(resultaat["reminders"])
        self._pdf_tabel(resultaat["pdf"])
        self._zorgbeleid_tabel(resultaat["care_policy_report"])
        self._invoer_tabel(resultaat["import"])
        self.stdout.write(f"\nPeak RSS: {resultaat['peak_rss_mb']} MB")
        pad = Path.cwd() / RESULTATEN
        pad.write_text(json.dumps(resultaat, indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(f"Figures written to {pad}")
        fout = [u for u in uitslagen if u.status != 200]
        if fout:
            raise CommandError(
                "Not every page answered 200: " + ", ".join(f"{u.label} ({u.status})" for u in fout)
            )
        runs = resultaat["reminders"]
        traag = [
            f"{naam} {runs[naam]['seconds']:.1f} s"
            for naam in ("first_run", "second_run")
            if runs[naam]["seconds"] > MAXIMUM_SECONDEN
        ]
        if traag:
            raise CommandError(
                f"The reminder run took over {MAXIMUM_SECONDEN:.0f} s: " + ", ".join(traag)
            )
        self._zorgbeleid_doelen(resultaat["care_policy_report"])
        self._invoer_doelen(resultaat["import"])
        if belasting:
            raise CommandError("Served-page targets missed: " + "; ".join(belasting))
        if gemist(resultaat["pdf"]):
            raise CommandError("PDF targets missed: " + "; ".join(gemist(resultaat["pdf"])))
        if runs["second_run"]["reminders"]:
            raise CommandError(
                f"The second reminder run created {runs['second_run']['reminders']} reminders, "
                "not 0."
            )

    def _geserveerd(self, resultaat: dict, extra: dict, seconden: float, schrijven=True):
        """The served pages and the load (zorg.demo.belasting); the targets
        missed. With `schrijven`, also writes the figures and fails on them."""
        leerlingen = resultaat["rows"]["students"]
        self.stdout.write("\nServing the pages through gunicorn ...")
        with override_settings(**extra):
            figuren = belasting_meten(
                runs=20, seconden=seconden, niveaus=(2, 8, 32) if seconden else ()
            )
        resultaat["served"] = figuren
        for regel in tabellen(figuren, leerlingen):
            self.stdout.write(regel)
        missers = belasting_gemist(figuren, leerlingen)
        for misser in missers:
            self.stdout.write(f"MISSED: {misser}")
        if schrijven:
            pad = Path.cwd() / RESULTATEN
            pad.write_text(json.dumps(resultaat, indent=2, ensure_ascii=False) + "\n")
            self.stdout.write(f"Figures written to {pad}")
            if missers:
                raise CommandError("Served-page targets missed: " + "; ".join(missers))
        return missers

    def _invoer_tabel(self, figures: list[dict]) -> None:
        self.stdout.write(
            "\nImport of students with two guardians each from CSV (as the worker runs it): "
            "the dry run, the confirmed import (the target), the same file again"
        )
        for f in figures:
            delen = [
                f"{naam} {f[ronde][stap]['seconds']:>6.2f} s {f[ronde][stap]['queries']:>5} queries"
                for naam, ronde, stap in (
                    ("dry run", "first", "dry_run"),
                    ("import", "first", "import"),
                    ("again", "again", "import"),
                )
            ]
            self.stdout.write(
                f"{f['students']:>7} students ({f['file_bytes'] / 1e6:.1f} MB)  "
                + "  ".join(delen)
                + f"  target {f['target_seconds']} s"
                + f"  RSS +{f['first']['import']['peak_rss_growth_mb']} MB"
            )

    def _invoer_doelen(self, figures: list[dict]) -> None:
        if invoer_gemist(figures):
            raise CommandError("Import targets missed: " + "; ".join(invoer_gemist(figures)))

    def _zorgbeleid_tabel(self, figures: list[dict]) -> None:
        self.stdout.write(
            "\nCare-policy report figures (this year and last), per school: the figures alone, "
            "and the whole report as the director's XLSX"
        )
        for f in figures:
            rapport = (
                f"report+XLSX {f['report_seconds']:>6.2f} s {f['report_queries']:>4} queries"
                if f["report_seconds"] is not None
                else "no director"
            )
            self.stdout.write(
                f"{f['school']:<32} {f['students']:>7} students  "
                f"figures {f['figures_seconds']:>6.2f} s {f['figures_queries']:>4} queries  "
                + rapport
            )

    def _zorgbeleid_doelen(self, figures: list[dict]) -> None:
        if zorgbeleid_gemist(figures):
            raise CommandError("Report targets missed: " + "; ".join(zorgbeleid_gemist(figures)))

    def _pdf(self) -> dict:
        """Top up what the PDFs read, then make them in a process of their own."""
        school = School.objects.get(instellingsnummer=DEMO_INSTELLINGSNUMMER)
        opdrachten, aanvulling = pdf_aanvullen(school)
        return {"top_up": aanvulling, **pdf_meten(opdrachten)}

    def _pdf_tabel(self, figures: dict) -> None:
        self.stdout.write("")
        self.stdout.write(
            f"PDF documents, made in a process of their own (warm-up "
            f"{figures['warm_up_seconds']:.2f} s; peak RSS {figures['worker_peak_rss_mb']} MB)"
        )
        breedte = max(len(d["document"]) for d in figures["documents"])
        self.stdout.write(f"{'document':<{breedte}}  {'pages':>5}  {'seconds':>7}  status")
        for d in figures["documents"]:
            self.stdout.write(
                f"{d['document']:<{breedte}}  {d['pages'] or 0:>5}  {d['seconds']:>7.2f}  "
                f"{d['status']}"
            )

    def _herinneringen(self) -> dict:
        """Top up what the reminders read, then time the run of every school."""
        # The care cell's day first: the moment is derived from it.
        celdagen_instellen()
        school = School.objects.get(instellingsnummer=DEMO_INSTELLINGSNUMMER)
        nu = herinneringsmoment(school)
        self.stdout.write(
            f"\nReminder run at {timezone.localtime(nu):%a %d/%m/%Y %H:%M}: a school day of "
            f"{school.naam}, the day before its care cell."
        )
        aanvulling = herinneringen_aanvullen(school, nu)
        self.stdout.write(
            f"Topped up for the reminders in {aanvulling['seconds']:.1f} s: "
            f"{aanvulling.get('created', {})}."
        )
        return {"top_up": aanvulling, **herinneringen_meten(nu)}

    def _herinneringen_tabel(self, figures: dict) -> None:
        self.stdout.write("")
        self.stdout.write(f"Reminder run, {figures['schools']} schools, at {figures['at']}")
        self.stdout.write(
            f"{'run':<10}  {'seconds':>7}  {'queries':>7}  {'reminders':>9}  {'notifications':>13}"
        )
        for naam in ("first_run", "second_run"):
            r = figures[naam]
            self.stdout.write(
                f"{naam.replace('_', ' '):<10}  {r['seconds']:>7.2f}  {r['queries']:>7}  "
                f"{r['reminders']:>9}  {r['notifications']:>13}"
            )
        for soort, aantal in figures["first_run"]["reminders_by_kind"].items():
            self.stdout.write(f"  {soort}: {aantal}")

    def _tabel(self, uitslagen: list[Uitslag]) -> None:
        breedte = max(len(u.label) for u in uitslagen)
        self.stdout.write("")
        self.stdout.write(f"{'What':<{breedte}}  {'median ms':>9}  {'queries':>7}  status")
        self.stdout.write(f"{'-' * breedte}  {'-' * 9}  {'-' * 7}  ------")
        for u in uitslagen:
            self.stdout.write(
                f"{u.label:<{breedte}}  {u.median_ms:>9.1f}  {u.queries:>7}  {u.status}"
            )
