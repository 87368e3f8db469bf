"""Writing to the audit trail. One call is one INSERT, however many students
it names.

A page that shows students by name (a list, search results, a class list,
the start page's cards) records the read as one row per student shown, all
in the one INSERT of `audit_vastleggen` (or `getoond_vastleggen` when the
page shows students under several headings). One row per student, not one
row holding a list of ids: "who saw student X, when" is then the indexed
query `AuditEvent.objects.filter(leerling_id=X)` (index audit_leerling_tijd)
that the student's own trail page already runs, and the trail outlives the
student as every other row does."""

from collections.abc import Iterable, Sequence

from .context import huidige_herkomst
from .models import Actie, AuditEvent


def audit_events(
    *,
    gebruiker,
    actie: Actie | str,
    onderwerp: str,
    leerlingen: Iterable = (),
    school_id: int | None = None,
    object_id: str | int = "",
    omschrijving: str = "",
    velden: Sequence[str] = (),
) -> list[AuditEvent]:
    """The events `audit_vastleggen` writes, unsaved: to record a change of
    many objects in one INSERT (`AuditEvent.objects.bulk_create`)."""
    herkomst = huidige_herkomst.get()
    gemeen = {
        "gebruiker": gebruiker if getattr(gebruiker, "pk", None) else None,
        "actie": actie,
        "onderwerp": onderwerp,
        "object_id": str(object_id),
        "omschrijving": omschrijving[:300],
        "velden": list(velden),
        "ip": herkomst.ip if herkomst else None,
        "methode": herkomst.methode if herkomst else "",
        "pad": herkomst.pad if herkomst else "",
    }
    events = [
        AuditEvent(leerling_id=leerling.pk, school_id=leerling.school_id, **gemeen)
        for leerling in leerlingen
    ]
    return events or [AuditEvent(school_id=school_id, **gemeen)]


def audit_vastleggen(
    *,
    gebruiker,
    actie: Actie | str,
    onderwerp: str,
    leerlingen: Iterable = (),
    school_id: int | None = None,
    object_id: str | int = "",
    omschrijving: str = "",
    velden: Sequence[str] = (),
) -> list[AuditEvent]:
    """Record that `gebruiker` did `actie` on `onderwerp`, once per student
    named (objects with `pk` and `school_id`), or once without a student."""
    return AuditEvent.objects.bulk_create(
        audit_events(
            gebruiker=gebruiker,
            actie=actie,
            onderwerp=onderwerp,
            leerlingen=leerlingen,
            school_id=school_id,
            object_id=object_id,
            omschrijving=omschrijving,
            velden=velden,
        )
    )


def getoond_vastleggen(
    *,
    gebruiker,
    onderwerp: str,
    getoond: dict[int, tuple[object, list[str]]],
) -> list[AuditEvent]:
    """Record that a page showed students under one or more headings, in one
    INSERT: `getoond` maps a student's pk to the student and the headings
    they were shown under, which become the row's description. Nothing is
    written when nobody was shown."""
    per_omschrijving: dict[str, list] = {}
    for leerling, onderdelen in getoond.values():
        omschrijving = ", ".join(dict.fromkeys(onderdelen))
        per_omschrijving.setdefault(omschrijving, []).append(leerling)
    events = [
        event
        for omschrijving, leerlingen in per_omschrijving.items()
        for event in audit_events(
            gebruiker=gebruiker,
            actie=Actie.LEZEN,
            onderwerp=onderwerp,
            leerlingen=leerlingen,
            omschrijving=omschrijving,
        )
    ]
    return AuditEvent.objects.bulk_create(events) if events else []
