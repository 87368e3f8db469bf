"""Count the flags of a period again into the day counts behind the flag
trends (after a restore, a manual repair, or to check them)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from leerlingen.vlagtellingen import vlagtellingen_herbouwen


def _datum(tekst: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(tekst)
    except ValueError:
        raise CommandError(f"Geen geldige datum (JJJJ-MM-DD): {tekst!r}") from None


class Command(BaseCommand):
    help = "Tel de vlaggen van een periode opnieuw voor de trendgrafieken."

    def add_arguments(self, parser):
        parser.add_argument("--van", required=True, help="eerste dag, JJJJ-MM-DD")
        parser.add_argument("--tot", help="laatste dag, JJJJ-MM-DD (standaard: vandaag)")
        parser.add_argument("--school", type=int, help="enkel deze school (id)")

    def handle(self, *args, van, tot=None, school=None, **options):
        begin = _datum(van)
        einde = _datum(tot) if tot else timezone.localdate()
        if einde < begin:
            raise CommandError("--tot ligt voor --van.")
        aantal = vlagtellingen_herbouwen(van=begin, tot=einde, school_id=school)
        self.stdout.write(f"{aantal} vlaggen geteld van {begin} tot en met {einde}.")
