"""The guiding class council selects who (does not) get remediation or
differentiation: per student and subject, or for the whole class in a
subject (the class level first). Each choice becomes a planned
remediation linked to the meeting, in one transaction; the care record's
service writes each one's timeline entries and audit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from leerlingen.models import Leerling, Remediering, Vak
from leerlingen.services.remediering import RemedieringGegevens, remediering_maken
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen

from ..models import Overleg, OverlegSoort

# What the council may choose: not every approach, the two the seeds name.
AANPAKKEN = (Remediering.Aanpak.REMEDIERING, Remediering.Aanpak.DIFFERENTIATIE)


@dataclass(frozen=True)
class Keuze:
    """One tick: `leerling` None is the whole class."""

    vak: Vak
    aanpak: str
    leerling: Leerling | None = None


def _nood(overleg: Overleg) -> str:
    return _("Geselecteerd door de begeleidende klassenraad van %(datum)s.") % {
        "datum": timezone.localtime(overleg.moment).strftime("%d/%m/%Y")
    }


@transaction.atomic
def remedieringen_selecteren(
    *,
    overleg: Overleg,
    keuzes: list[Keuze],
    begin: datetime.date,
    aantal_weken: int,
    door,
) -> list[Remediering]:
    """Record the council's selection as planned remediations of the class."""
    if overleg.soort != OverlegSoort.BEGELEIDEND or overleg.klas_id is None:
        raise ValidationError(_("Enkel een begeleidende klassenraad selecteert remediëring."))
    if overleg.is_afgesloten:
        raise ValidationError(_("Dit overleg is afgesloten."))
    if not keuzes:
        raise ValidationError(_("Kies minstens één leerling of de hele klas voor een vak."))
    if any(k.aanpak not in AANPAKKEN for k in keuzes):
        raise ValidationError(_("Kies remediëring of differentiatie."))
    gemaakt = []
    with translation.override(settings.LANGUAGE_CODE):
        nood = _nood(overleg)
        for k in keuzes:
            titel = f"{Remediering.Aanpak(k.aanpak).label.capitalize()} {k.vak.naam}"
            gemaakt.append(
                remediering_maken(
                    klas=overleg.klas,
                    gegevens=RemedieringGegevens(
                        vak=k.vak,
                        niveau=Remediering.Niveau.LEERLING
                        if k.leerling
                        else Remediering.Niveau.KLAS,
                        leerling=k.leerling,
                        titel=titel,
                        nood=nood,
                        aanpak=k.aanpak,
                        begin=begin,
                        aantal_weken=aantal_weken,
                        status=Remediering.Status.GEPLAND,
                    ),
                    door=door,
                    overleg=overleg,
                )
            )
    # The meeting's decision, in its own trail (no content: who and how many).
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="overleg_remediering",
        leerlingen=[k.leerling for k in keuzes if k.leerling],
        school_id=overleg.school_id,
        object_id=overleg.pk,
        omschrijving=f"{len(gemaakt)} remediëringen",
    )
    return gemaakt
