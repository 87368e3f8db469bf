"""Writing to the audit trail. One call is one INSERT, however many students
it names."""

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
