"""What every page's navigation needs from the care-policy report."""

from . import policies


def zorgbeleid(request):
    """Whether the main menu offers "Zorgbeleid" (the reports the user may
    open). Lazy: a group director is known only after a query, which a page
    that shows no menu (an htmx partial) should not pay."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"toon_zorgbeleid": lambda: policies.can_view_zorgbeleid(user)}
