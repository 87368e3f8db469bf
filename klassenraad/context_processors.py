"""What every page's navigation needs from the meetings app."""

from zorg.accounts.policies import toegang


def overleg(request):
    """Whether the main menu offers "Overleg": to the care team, teachers
    (class councils) and the CLB (care cells). From the scope computed once
    per request, never a query per page beyond it; the list itself applies
    klassenraad.policies."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    t = toegang(user)
    return {"toon_overleg": bool(t.zorg_school_ids or t.leerkracht_school_ids or t.clb_school_ids)}
