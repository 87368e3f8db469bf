"""The kinds of notification, and how each person wants to hear of them.

Each app registers the kinds it sends (in its AppConfig.ready), with the
channel a person gets when they chose nothing: an e-mail at once, a place
in the daily summary e-mail, or only the notification in Zorg. A kind that
may not be missed (a red flag) is `vast`: nobody can turn its e-mail off.

E-mail is not a safe channel: whatever the kind, an e-mail says only that
there is something to read in Zorg, or how many of each kind, with a link."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Modus(models.TextChoices):
    DIRECT = "direct", _("meteen een e-mail")
    SAMENVATTING = "samenvatting", _("in de dagelijkse samenvatting")
    IN_APP = "in_app", _("alleen in Zorg")


# Who a kind can reach, besides the roles of a membership (zorg.accounts.Rol).
CLB = "clb"


@dataclass(frozen=True)
class Soort:
    code: str
    label: str
    standaard: Modus = Modus.SAMENVATTING
    # The person cannot change how they hear of it.
    vast: bool = False
    # The roles (a membership's, or CLB) whose holders can get it: the
    # preferences page offers a person only those. Empty: everyone.
    ontvangers: frozenset[str] = frozenset()


_SOORTEN: dict[str, Soort] = {}


def soort_registreren(soort: Soort) -> None:
    bestaand = _SOORTEN.get(soort.code)
    if bestaand is not None and bestaand != soort:
        raise ValueError(f"notification kind {soort.code!r} registered twice")
    _SOORTEN[soort.code] = soort


def soorten() -> list[Soort]:
    return list(_SOORTEN.values())


def soort(code: str) -> Soort | None:
    return _SOORTEN.get(code)
