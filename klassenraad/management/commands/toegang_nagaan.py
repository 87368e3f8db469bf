"""`manage.py toegang_nagaan`: find what already points at people who may not
see it, from before the pickers asked the access policy (issue 10).

Reports, one line per finding, and changes nothing:
- action items whose owner may not read the student's care content
  (leerlingen.policies.zorg_lezers);
- meetings whose chair or participants have no care access in the school
  (zorg_lezers_van_school);
- notifications whose link leads to a student's record, flag or action item
  and whose recipient may not read that student's care content.

Lines name ids and e-mail addresses, never a student's name: the report may
be pasted into a ticket. Exits with status 1 when it finds anything, so a
deployment script or a cron job notices; the care team then reassigns or the
functional administrator removes, by hand and audited.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.urls import Resolver404, resolve

from klassenraad.models import Actiepunt, Overleg
from leerlingen.models import Leerling, VlagBetrokkene
from leerlingen.policies import zorg_lezers, zorg_lezers_van_school
from zorg.meldingen.models import Melding


def _lezers(cache: dict, leerling_id: int) -> set[int]:
    """The ids of who may read this student's care content, once per student."""
    if leerling_id not in cache:
        leerling = Leerling.objects.filter(pk=leerling_id).first()
        cache[leerling_id] = (
            set(zorg_lezers(leerling).values_list("pk", flat=True)) if leerling else set()
        )
    return cache[leerling_id]


def actiepunten_nagaan(cache: dict):
    for a in Actiepunt.objects.select_related("eigenaar").order_by("leerling_id", "pk"):
        if a.eigenaar_id not in _lezers(cache, a.leerling_id):
            yield (
                f"action item {a.pk} ({a.status}, meeting {a.overleg_id}): owner "
                f"{a.eigenaar.email} (user {a.eigenaar_id}) may not read the care content "
                f"of student {a.leerling_id}"
            )


def deelnemers_nagaan():
    toegelaten: dict[int, set[int]] = {}
    deelnemers = defaultdict(list)
    for overleg_id, user_id, email in Overleg.deelnemers.through.objects.values_list(
        "overleg_id", "user_id", "user__email"
    ).order_by("overleg_id", "user_id"):
        deelnemers[overleg_id].append((user_id, email))
    for overleg in Overleg.objects.select_related("voorzitter").order_by("pk"):
        if overleg.school_id not in toegelaten:
            toegelaten[overleg.school_id] = set(
                zorg_lezers_van_school(overleg.school_id).values_list("pk", flat=True)
            )
        ok = toegelaten[overleg.school_id]
        if overleg.voorzitter_id not in ok:
            yield (
                f"meeting {overleg.pk} ({overleg.status}, school {overleg.school_id}): chair "
                f"{overleg.voorzitter.email} (user {overleg.voorzitter_id}) has no care access "
                "in the school"
            )
        for user_id, email in deelnemers[overleg.pk]:
            if user_id not in ok:
                yield (
                    f"meeting {overleg.pk} ({overleg.status}, school {overleg.school_id}): "
                    f"participant {email} (user {user_id}) has no care access in the school"
                )


def _leerlingen_van_link(link: str) -> list[int] | None:
    """The students a notification's link leads to, or None when it is about
    no student (or leads nowhere known)."""
    try:
        match = resolve(urlsplit(link).path)
    except Resolver404:
        return None
    naam, pk = match.view_name, match.kwargs.get("pk")
    if pk is None:
        return None
    if naam.startswith("leerlingen:leerling_"):
        return [pk]
    if naam.startswith("klassenraad:actiepunt_"):
        return list(Actiepunt.objects.filter(pk=pk).values_list("leerling_id", flat=True))
    if naam.startswith("leerlingen:vlag_"):
        return list(VlagBetrokkene.objects.filter(vlag_id=pk).values_list("leerling_id", flat=True))
    return None


def meldingen_nagaan(cache: dict):
    for m in Melding.objects.exclude(link="").select_related("ontvanger").order_by("pk"):
        leerlingen = _leerlingen_van_link(m.link)
        if not leerlingen:
            continue
        verboden = [pk for pk in leerlingen if m.ontvanger_id not in _lezers(cache, pk)]
        if verboden:
            studenten = ", ".join(str(pk) for pk in verboden)
            yield (
                f"notification {m.pk} ({m.link}): recipient {m.ontvanger.email} "
                f"(user {m.ontvanger_id}) may not read the care content of student(s) "
                f"{studenten}"
            )


class Command(BaseCommand):
    help = (
        "Report action items, meeting participants and notifications that point at "
        "people who may not see them. Changes nothing; exits with status 1 on findings."
    )

    def handle(self, *args, **options):
        cache: dict[int, set[int]] = {}
        aantal = 0
        for bron in (actiepunten_nagaan(cache), deelnemers_nagaan(), meldingen_nagaan(cache)):
            for regel in bron:
                self.stdout.write(regel)
                aantal += 1
        if aantal:
            raise CommandError(
                f"{aantal} finding(s): people who may not see them are linked to care "
                "content. Nothing was changed."
            )
        self.stdout.write("No findings: every action item, participant and notification is fine.")
