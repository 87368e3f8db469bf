"""Changing a school's settings: version-checked, audited (which settings
changed, never more)."""

from django.db import transaction

from zorg.accounts.models import School
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import nieuwe_versie_bewaren, vergrendelen


@transaction.atomic
def schoolinstellingen_wijzigen(*, school: School, versie: int, gegevens: dict, door) -> list[str]:
    """Save the settings in `gegevens` when the page was loaded at `versie`
    (else VerouderdeVersie with the saved settings). Returns the names of
    the settings that changed; nothing is written or audited when none did."""
    vergrendeld = vergrendelen(School, versie=versie, pk=school.pk)
    gewijzigd = [veld for veld, waarde in gegevens.items() if getattr(vergrendeld, veld) != waarde]
    if not gewijzigd:
        return []
    for veld in gewijzigd:
        setattr(vergrendeld, veld, gegevens[veld])
    nieuwe_versie_bewaren(vergrendeld, gewijzigd)
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="schoolinstellingen",
        school_id=school.pk,
        object_id=school.pk,
        velden=gewijzigd,
    )
    return gewijzigd
