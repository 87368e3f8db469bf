"""Which kinds of notification a person can get, so the preferences page
offers only those (a teacher is not asked about the care cell's agenda, the
secretariat about nothing that concerns care)."""

from zorg.accounts.policies import toegang

from .soorten import CLB, Soort, soorten


def soorten_voor(user) -> list[Soort]:
    """The registered kinds whose recipients include a role `user` holds in
    any school (or CLB staff, for a CLB member)."""
    wie = toegang(user)
    rollen = {rol for rol, school_ids in wie.rollen.items() if school_ids}
    if wie.is_clb:
        rollen.add(CLB)
    return [s for s in soorten() if not s.ontvangers or s.ontvangers & rollen]
