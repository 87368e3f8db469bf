"""What every page's navigation needs from school administration."""

from . import policies


def beheer(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"toon_instellingen": policies.toont_instellingen(user)}
