"""Writing to the audit trail. One call is one INSERT, however many students
it names."""

from collections.abc import Iterable, Sequence

from .context import huidige_herkomst
from .models import Actie, AuditEvent


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
    if not events:
        events = [AuditEvent(school_id=school_id, **gemeen)]
    return AuditEvent.objects.bulk_create(events)
