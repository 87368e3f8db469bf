"""Notifications about students. Every notification that concerns a student
(its link leads to their record, a flag, an action item) goes through
`melding_over_leerlingen`, which hands it only to who may read those
students' care content (leerlingen.policies.zorg_lezers). An explicit choice
(an action item's owner) is refused earlier by its service, beside the field;
here, in an automatic fan-out, anyone else is left out with a log line."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from zorg.meldingen.services import melding_versturen

from ..policies import zorg_lezers

log = logging.getLogger(__name__)


def toegelaten_ontvangers(ontvangers: Iterable, leerlingen: Iterable) -> list:
    """The recipients who may read the care content of every one of
    `leerlingen`, in their order, once each. One query per student."""
    unieke = {user.pk: user for user in ontvangers}
    ids = set(unieke)
    for leerling in leerlingen:
        if not ids:
            break
        ids &= set(zorg_lezers(leerling).filter(pk__in=ids).values_list("pk", flat=True))
    return [user for pk, user in unieke.items() if pk in ids]


def melding_over_leerlingen(*, leerlingen: Iterable, ontvangers: Iterable, titel: str, **kwargs):
    """`melding_versturen` for a notification about `leerlingen`, to the
    recipients allowed to read them; the others are skipped and logged (by
    id: a log is no place for a name)."""
    leerlingen = list(leerlingen)
    ontvangers = list(ontvangers)
    toegelaten = toegelaten_ontvangers(ontvangers, leerlingen)
    geweigerd = sorted({u.pk for u in ontvangers} - {u.pk for u in toegelaten})
    if geweigerd:
        log.warning(
            "Notification %r about students %s not sent to users %s: they may not read "
            "those students' care content.",
            titel,
            [leerling.pk for leerling in leerlingen],
            geweigerd,
        )
    if not toegelaten:
        return []
    return melding_versturen(ontvangers=toegelaten, titel=titel, **kwargs)
