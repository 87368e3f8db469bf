"""`manage.py demo`: a realistic, deterministic demo school group.

The command only reads its options, refuses what cannot work, and prints
what was loaded and the logins. The school group is zorg.demo.plan (a pure
plan from a seed) and zorg.demo.laden (writing it, with the care record).
"""

from django.core.management.base import BaseCommand, CommandError

from zorg.demo.laden import DemoFout, demo_geladen, demo_laden
from zorg.demo.plan import DEMO_WACHTWOORD, LOGINS, STANDAARD_AANTAL, STANDAARD_SEED


class Command(BaseCommand):
    help = (
        "Load a deterministic demo school group (Scholengemeenschap Leiedal) with staff, "
        "classes and students. Does nothing when the demo is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--students",
            type=int,
            default=STANDAARD_AANTAL,
            help=f"students in the secondary school (default {STANDAARD_AANTAL}); "
            "the primary school gets min(200, N)",
        )
        parser.add_argument(
            "--dko", action="store_true", help="also an arts academy (DKO) with 60 students"
        )
        parser.add_argument("--seed", type=int, default=STANDAARD_SEED, help="random seed")

    def handle(self, *args, students, dko, seed, **options):
        verbosity = options.get("verbosity", 1)
        if demo_geladen():
            if verbosity:
                self.stdout.write("Demo data already loaded.")
                self._logins()
            return
        if students < 1:
            raise CommandError("--students must be at least 1")
        try:
            geladen = demo_laden(seed=seed, studenten=students, dko=dko)
        except DemoFout as fout:
            raise CommandError(str(fout)) from fout
        if verbosity:
            plan, telling, zorg = geladen.plan, geladen.telling, geladen.zorg
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo loaded: school year {plan.jaar}-{plan.jaar + 1}, "
                    f"{len(plan.scholen)} schools, {telling['leerlingen']} students, "
                    f"{telling['klassen']} classes (both years), "
                    f"{telling['inschrijvingen']} enrolments, {telling['ouders']} guardians, "
                    f"{telling['gebruikers']} users, {telling['lesopdrachten']} teaching "
                    "assignments."
                )
            )
            self.stdout.write(
                f"Care record for {zorg.leerlingen} students: {zorg.fasewijzigingen} phase "
                f"changes, {zorg.observaties} observations, {zorg.maatregelen} measures "
                f"({zorg.evaluaties} evaluated), {zorg.gesprekken} talks, "
                f"{zorg.intakes} intakes; {geladen.vlaggen} behaviour flags; "
                f"{geladen.overleggen} meetings; {geladen.trajecten} HGD trajectories; "
                f"{geladen.reflecties} care-policy reflections."
            )
            self._logins()
            self.stdout.write(
                f"Took {geladen.duur:.1f} s (plan {geladen.duur_plan:.1f} s, "
                f"database {geladen.duur_database:.1f} s, "
                f"care record {geladen.duur_zorg:.1f} s)."
            )

    def _logins(self):
        breedte = max(len(label) for label, _ in LOGINS)
        self.stdout.write("")
        self.stdout.write(f"{'Role':<{breedte}}  E-mail")
        self.stdout.write(f"{'-' * breedte}  {'-' * 34}")
        for label, email in LOGINS:
            self.stdout.write(f"{label:<{breedte}}  {email}")
        self.stdout.write(f"\nPassword for every demo login: {DEMO_WACHTWOORD}\n")
