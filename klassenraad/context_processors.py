"""What every page's navigation needs from the meetings app."""

from . import policies


def overleg(request):
    """Whether the main menu offers "Overleg". From the scope computed once
    per request, never a query per page beyond it; the list itself applies
    klassenraad.policies."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"toon_overleg": policies.can_view_overleggen(user)}
