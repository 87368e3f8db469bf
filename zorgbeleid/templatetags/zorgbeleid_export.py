"""Which downloads of the care-policy report the reader may follow, for the
report page's `_export.html`. Rests on the policy predicates, which read the
user's scope cached for the request."""

from django import template

from .. import policies

register = template.Library()


@register.simple_tag
def export_rechten(user, school=None, groep=None, jaarnaam="") -> dict:
    """Whether `user` may download the school's and the group's report, and
    the group PDF request's option (its school year)."""
    return {
        "school": school is not None and policies.can_view_rapport(user, school),
        "groep": groep is not None and policies.can_view_groepsrapport(user, groep),
        "groep_opties": [("jaarnaam", jaarnaam)],
    }
