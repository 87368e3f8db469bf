"""What every page's navigation needs from the CLB app."""

from . import policies


def clb(request):
    """Whether the main menu offers "CLB" (incoming referrals and the
    trajectories) and whether "Klassen" makes sense. From the scope computed
    once per request; the pages themselves apply clb.policies."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "toon_clb": policies.is_clb_medewerker(user),
        "toon_klassen": policies.can_view_klassen(user),
    }
