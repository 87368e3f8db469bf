"""Who of a demo school's staff the demo's writers act as."""

from __future__ import annotations

from zorg.accounts.models import Lidmaatschap, User


def eerste_met_rol(school, rol: str) -> User | None:
    """The school's first active member with `rol`, by membership: the same
    person every run of a seed."""
    lid = (
        Lidmaatschap.objects.filter(school=school, rol=rol, actief=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return lid.user if lid else None
