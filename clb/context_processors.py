"""What every page's navigation needs from the CLB app."""

from zorg.accounts.policies import toegang


def clb(request):
    """Whether the main menu offers "CLB" (incoming referrals and the
    trajectories) and whether "Klassen" makes sense: a CLB worker without a
    role in a school sees no class pages. From the scope computed once per
    request; the pages themselves apply clb.policies."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    t = toegang(user)
    alleen_clb = bool(t.clb_ids) and not (
        t.zorg_school_ids or t.leerkracht_school_ids or t.administratie_school_ids
    )
    return {"toon_clb": bool(t.clb_ids), "toon_klassen": not alleen_clb}
