"""Run a create once per form key.

Inside one transaction the key row is inserted first, then the create runs.
A concurrent second submit of the same form blocks on the key's unique index
until the first commits, then finds what the first created; a resubmit later
finds it at once. Only the user whose form it was gets that answer."""

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import SLEUTEL
from .models import Indiening

# What the view says when a submit turned out to be a repeat.
AL_BEWAARD = gettext_lazy("Dit formulier was al verstuurd: er werd niets dubbel bewaard.")


def _al_gebruikt() -> ValidationError:
    return ValidationError(
        {NON_FIELD_ERRORS: [_("Dit formulier werd al gebruikt. Laad de pagina opnieuw.")]}
    )


def _eerder(sleutel: uuid.UUID) -> Indiening | None:
    return Indiening.objects.filter(sleutel=sleutel).first()


def _vorige_uitkomst(indiening: Indiening, *, door, formulier: str):
    """What the first submit created, for the same user and form only."""
    if indiening.door_id != door.pk or indiening.formulier != formulier:
        raise _al_gebruikt()
    if indiening.inhoud_type_id is None:
        return None
    inhoud = indiening.inhoud
    if inhoud is None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "Dit formulier werd al verstuurd, maar wat het bewaarde bestaat niet "
                        "meer. Laad de pagina opnieuw."
                    )
                ]
            }
        )
    return inhoud


def indiening_bewaren(
    *, sleutel: uuid.UUID | None, door, formulier: str, maken: Callable[[], Any]
) -> tuple[Any, bool]:
    """Run `maken` (a service call) once for `sleutel`. Returns its result
    and True, or, for a repeat, what the first run created (the model
    instance it returned, else None) and False. Raises ValidationError for a
    missing key or someone else's key, writing nothing."""
    if sleutel is None:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Het formulier is onvolledig. Laad de pagina opnieuw.")]}
        )
    eerder = _eerder(sleutel)
    if eerder is not None:
        return _vorige_uitkomst(eerder, door=door, formulier=formulier), False
    with transaction.atomic():
        try:
            with transaction.atomic():
                indiening = Indiening.objects.create(
                    sleutel=sleutel, door=door, formulier=formulier
                )
        except IntegrityError:
            # The other submit of this form inserted the key first; the insert
            # waited for it to commit, so its row is there to read now.
            eerder = Indiening.objects.filter(sleutel=sleutel).first()
            if eerder is None:  # pragma: no cover - a conflict leaves the row
                raise
            return _vorige_uitkomst(eerder, door=door, formulier=formulier), False
        resultaat = maken()
        if isinstance(resultaat, models.Model) and resultaat.pk is not None:
            indiening.inhoud_type = ContentType.objects.get_for_model(resultaat)
            indiening.inhoud_id = str(resultaat.pk)
            indiening.save(update_fields=["inhoud_type", "inhoud_id"])
    return resultaat, True


def eenmalig_bewaren(form, door, maken: Callable[[], Any]) -> tuple[Any, bool]:
    """`indiening_bewaren` with the key of a valid `EenmaligForm`."""
    return indiening_bewaren(
        sleutel=form.eenmalige_sleutel, door=door, formulier=form.formuliernaam(), maken=maken
    )


def al_verstuurd(form, door) -> bool:
    """Whether this bound, not yet validated form was sent and saved before
    by `door`. For a form whose own checks refuse a repeat (it starts from a
    state the first submit changed): the view answers the repeat before
    validating."""
    try:
        sleutel = uuid.UUID(str(form.data.get(SLEUTEL, "")))
    except ValueError:
        return False
    return Indiening.objects.filter(
        sleutel=sleutel, door=door, formulier=form.formuliernaam()
    ).exists()
