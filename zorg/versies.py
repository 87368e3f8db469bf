"""Optimistic locking, once for every app.

A versioned row (a measure, a flag, a meeting, a trajectory, ...) carries
`versie`. An edit names the version it started from and only lands when
that is still the saved one; otherwise `VerouderdeVersie` carries the row
as saved now, so the view can show it beside what the user typed. Nothing
is written then.

Two ways to land an edit, both in the caller's transaction:
- lock the row (`vergrendelen`, which also checks the version), change it,
  and save it with a raised version (`nieuwe_versie_bewaren`);
- one conditional UPDATE that only matches the version the edit started
  from (`versie_ophogen`), for a service that does not hold the row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _

Bericht = str | Callable[[models.Model], str] | None


class VerouderdeVersie(ValidationError):
    """Someone else saved this after the edit began. Carries the saved
    object (`huidig`), so the view can show it beside what the user typed,
    and the message for the user (`bericht`).

    A ValidationError of the whole form (code "verouderd"): a caller
    without a conflict screen shows it like any other refusal."""

    def __init__(self, huidig, bericht: str | None = None):
        bericht = str(bericht or _("Iemand anders wijzigde dit intussen."))
        super().__init__({NON_FIELD_ERRORS: [ValidationError(bericht, code="verouderd")]})
        self.huidig = huidig
        self.bericht = bericht


def versie_controleren(huidig: models.Model, versie: int | None, bericht: Bericht = None) -> None:
    """Refuse with VerouderdeVersie when the edit began at another `versie`
    than the one saved in `huidig`. No `versie` (None): no check.
    `bericht` may be a function of the saved object."""
    if versie is None or huidig.versie == versie:
        return
    if callable(bericht):
        bericht = bericht(huidig)
    raise VerouderdeVersie(huidig, bericht)


def vergrendelen(
    bron: type[models.Model] | models.QuerySet,
    *,
    versie: int | None = None,
    bericht: Bericht = None,
    **filters,
):
    """The row of `bron` (a model or a queryset) matching `filters`, read
    fresh and locked until the transaction ends. The row alone: FOR UPDATE
    OF the row's own table, so a join the queryset reads locks nothing
    else (and after a wait nothing else is checked again). With `versie`,
    refused as in `versie_controleren`. DoesNotExist when there is none."""
    queryset = bron._default_manager.all() if isinstance(bron, type) else bron
    huidig = queryset.select_for_update(of=("self",)).get(**filters)
    versie_controleren(huidig, versie, bericht)
    return huidig


def nieuwe_versie_bewaren(vergrendeld: models.Model, velden: Iterable[str]) -> None:
    """Save `velden` of a row locked with `vergrendelen` and raise its
    version by one in the same UPDATE; `vergrendeld.versie` is then the
    saved number again."""
    vergrendeld.versie = F("versie") + 1
    vergrendeld.save(update_fields=[*velden, "versie"])
    vergrendeld.refresh_from_db(fields=["versie"])


def versie_ophogen(model: type[models.Model], pk: int, versie: int, **velden) -> bool:
    """One conditional UPDATE: save `velden` and raise the version only when
    the saved version is still `versie`. False when someone else was first."""
    return bool(model.objects.filter(pk=pk, versie=versie).update(versie=F("versie") + 1, **velden))


# --- the conflict screen ---------------------------------------------------------


def conflict_tonen(
    request, exc: VerouderdeVersie, form_klasse, *args, huidig=None, bericht=None, **kwargs
) -> tuple:
    """What a page shows after `exc`: the form again with the user's POSTed
    input kept but bound with the saved version, so saving once more is a
    deliberate choice made with both in view; and the `conflict` for the
    page's template: the message (`bericht`, else the service's) and the
    saved object (`huidig`, else the exception's; a view passes its own
    copy when the page reads more of it). A page adds what it shows of the
    saved state to `conflict`. `args` and `kwargs` go to the form."""
    huidig = exc.huidig if huidig is None else huidig
    data = request.POST.copy()
    data["versie"] = str(huidig.versie)
    form = form_klasse(data, *args, **kwargs)
    form.is_valid()
    return form, {"bericht": exc.bericht if bericht is None else bericht, "huidig": huidig}
