"""Who reads the school-wide audit trail: the director and the functional
administrator of the school, the same roles that read one student's trail
(leerlingen.policies.can_view_audit). The trail holds no care content (the
services keep titles and texts out of it), only who did what to which
record, so the administrator may read it too."""

from zorg.accounts.models import Rol
from zorg.accounts.policies import toegang

from .models import AuditEvent


def audit_school_ids(user) -> frozenset[int]:
    return toegang(user).scholen_met(Rol.DIRECTIE, Rol.BEHEERDER)


def can_view_audittrail(user) -> bool:
    return bool(audit_school_ids(user))


def auditevents_visible_to(user):
    """The events of the schools whose trail the user reads. Events without
    a school (a sign-in) belong to no school's trail."""
    return AuditEvent.objects.filter(school_id__in=audit_school_ids(user))
