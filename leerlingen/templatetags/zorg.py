from django import template

from .. import domeinen

register = template.Library()


@register.filter
def domeinlabels(masker) -> list[str]:
    """The names of the guidance domains in a bit mask."""
    return domeinen.labels(int(masker or 0))
