"""Timeline entries. The service that records a thing also writes (or
updates) its timeline entry, in the same transaction."""

import datetime

from django.db import models

from ..models import TijdlijnItem, Zichtbaarheid


def _bron(bron: models.Model) -> dict:
    return {"bron_type": bron._meta.label_lower, "bron_id": bron.pk}


def tijdlijn_registreren(
    *,
    leerling,
    soort: str,
    datum: datetime.date,
    titel: str,
    bron: models.Model,
    zichtbaarheid: str = Zichtbaarheid.KLASTEAM,
    tekst: str = "",
    domeinen: int = 0,
    is_sterkte: bool = False,
    auteur=None,
    url: str = "",
) -> TijdlijnItem:
    return TijdlijnItem.objects.create(
        leerling=leerling,
        soort=soort,
        datum=datum,
        titel=titel[:300],
        tekst=tekst,
        domeinen=domeinen,
        zichtbaarheid=zichtbaarheid,
        is_sterkte=is_sterkte,
        auteur=str(auteur or "")[:200],
        url=url,
        **_bron(bron),
    )


def tijdlijn_bijwerken(*, bron: models.Model, **velden) -> int:
    """Bring the timeline entries of `bron` in line after it changed."""
    if "titel" in velden:
        velden["titel"] = velden["titel"][:300]
    return TijdlijnItem.objects.filter(**_bron(bron)).update(**velden)
