"""The reminder run: for one school, what falls due now, minus what was
already reminded, as notifications (in one go, whatever the number)."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from zorg.accounts.kalender import schoolkalender
from zorg.accounts.models import School
from zorg.meldingen.services import Bericht, meldingen_aanmaken

from .models import Herinnering
from .planners import Planner, Voorstel, planners

log = logging.getLogger(__name__)


@transaction.atomic
def herinneringen_plannen(
    *, school_id: int, nu: datetime.datetime | None = None, alleen: list[str] | None = None
) -> int:
    """Create the reminders of one school that are due at `nu` and that
    nobody got yet; returns how many. Runs hold the school's row locked, so
    two at once (two beat processes, a retried task) follow each other and
    the second finds nothing left to do; the unique constraint is the last
    guard. E-mails are queued after the commit. `alleen`: only these kinds."""
    nu = nu or timezone.now()
    school = School.objects.select_for_update(of=("self",)).get(pk=school_id)
    kalender = schoolkalender(school.pk)
    schooldag = kalender.is_schooldag(timezone.localdate(nu))
    aantal = 0
    for planner in planners():
        if alleen is not None and planner.soort not in alleen:
            continue
        if planner.alleen_schooldagen and not schooldag:
            continue
        aantal += _plannen(planner, school, nu, kalender)
    return aantal


def herinneringen_alle_scholen(*, nu: datetime.datetime | None = None) -> int:
    """The reminder run of every school, one school per transaction (see
    `herinneringen_plannen`): a school that fails does not hold up the rest,
    and the next run picks up what a killed worker left. Returns how many."""
    nu = nu or timezone.now()
    aantal = 0
    for school_id in School.objects.order_by("pk").values_list("pk", flat=True):
        aantal += herinneringen_plannen(school_id=school_id, nu=nu)
    return aantal


def _plannen(planner: Planner, school: School, nu, kalender) -> int:
    voorstellen = list(planner.plannen(school, nu, kalender))
    if not voorstellen:
        return 0
    al_gedaan = set(
        Herinnering.objects.filter(
            soort=planner.soort,
            object_id__in={v.object_id for v in voorstellen},
            vervaldatum__in={v.vervaldatum for v in voorstellen},
        ).values_list("object_id", "vervaldatum", "ontvanger_id")
    )
    nieuw: list[tuple[Voorstel, int]] = [
        (voorstel, ontvanger)
        for voorstel in voorstellen
        for ontvanger in sorted(voorstel.ontvangers)
        if (voorstel.object_id, voorstel.vervaldatum, ontvanger) not in al_gedaan
    ]
    if not nieuw:
        return 0
    meldingen = meldingen_aanmaken(
        [
            Bericht(
                ontvanger_id=ontvanger,
                titel=voorstel.titel,
                tekst=voorstel.tekst,
                link=voorstel.link,
                soort=planner.soort,
                school_id=school.pk,
                leerling_id=voorstel.leerling_id,
            )
            for voorstel, ontvanger in nieuw
        ]
    )
    try:
        with transaction.atomic():
            Herinnering.objects.bulk_create(
                Herinnering(
                    soort=planner.soort,
                    object_id=voorstel.object_id,
                    vervaldatum=voorstel.vervaldatum,
                    ontvanger_id=ontvanger,
                    school=school,
                    melding=melding,
                )
                for (voorstel, ontvanger), melding in zip(nieuw, meldingen, strict=True)
            )
    except IntegrityError:
        # Only a run that did not take the school's lock can get here: undo
        # this run's work for the school rather than remind twice.
        log.error("Reminders %s of school %s collided: rolled back", planner.soort, school.pk)
        raise
    if planner.na_aanmaken is not None:
        planner.na_aanmaken(sorted({voorstel.object_id for voorstel, _ in nieuw}))
    return len(nieuw)
