"""Reminders and notification e-mails without Celery beat (`make run`, or a
cron job): what beat runs every few minutes, run once, or again and again
with --elke."""

import time

from django.core.management.base import BaseCommand

from zorg.herinneringen.tasks import herinneringen_versturen
from zorg.meldingen.tasks import meldingen_nasturen, samenvattingen_versturen


class Command(BaseCommand):
    help = "Create the reminders that are due, send summaries and unsent e-mails."

    def add_arguments(self, parser):
        parser.add_argument(
            "--elke",
            type=int,
            metavar="SECONDEN",
            help="keep running, every this many seconds (until stopped)",
        )

    def handle(self, *args, elke=None, **options):
        while True:
            herinneringen = herinneringen_versturen()
            samenvattingen = samenvattingen_versturen()
            nagestuurd = meldingen_nasturen()
            self.stdout.write(
                f"herinneringen: {herinneringen}, samenvattingen: {samenvattingen}, "
                f"e-mails nagestuurd: {nagestuurd}"
            )
            if not elke:
                return
            time.sleep(elke)
