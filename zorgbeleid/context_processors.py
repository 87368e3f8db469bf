"""What every page's navigation needs from the care-policy report."""

from . import policies


def zorgbeleid(request):
    """Whether the main menu offers "Zorgbeleid" (the reports the user may
    open). Decided here, before the template renders (templates get
    evaluated data): for a user on no school's care team that is one query,
    whether they direct a school group."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"toon_zorgbeleid": policies.can_view_zorgbeleid(user)}
