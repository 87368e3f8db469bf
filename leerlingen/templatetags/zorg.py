import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from .. import domeinen

register = template.Library()

# Under this, a time reads "zonet": "0 minuten geleden" reads like a fault.
ZONET = datetime.timedelta(minutes=1)


@register.filter
def domeinlabels(masker) -> list[str]:
    """The names of the guidance domains in a bit mask."""
    return domeinen.labels(int(masker or 0))


@register.filter
def geleden(moment: datetime.datetime | None) -> str:
    """How long ago `moment` was, for every relative time in the UI:
    "zonet" under a minute (also for a moment a little in the future, a
    clock a few seconds ahead), else "3 uur, 5 minuten geleden"."""
    if moment is None or moment == "":
        return ""
    if timezone.now() - moment < ZONET:
        return _("zonet")
    return _("%(wanneer)s geleden") % {"wanneer": timesince(moment)}
