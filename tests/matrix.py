"""Building blocks of the role matrix (tests/test_matrix.py): expected
status codes per role."""

from dataclasses import dataclass, field

from tests.conftest import ROLLEN

AANGEMELD = [r for r in ROLLEN if r != "anoniem"]
# Issue 17: guardians and students signed in for the portal. Every staff page
# is the same 404 for them as for a stranger (portaal.middleware), whatever
# the method, so `codes`, `zichtbaar_voor` and `alleen_get` give them 404
# unless a row names them.
PORTAAL = {"ouder", "leerling"}
# Leerling_a has no referral to the CLB in the matrix world: the CLB worker of
# the school's CLB does not reach her. tests/clb/test_bereik.py walks these
# rows again with a referral (her read pages open for that CLB, nothing else).
ZIET_SCHOOL1_LEERLING_A = {
    "leerkracht",
    "titularis",
    "zorgcoordinator",
    "directie",
    "secretariaat",
    "beheerder",
}


# Care content of leerling_a (class 3A, school 1): the class team (teachers of
# 3A) and the care team; not the secretariat or the administrator.
ZIET_ZORG_LEERLING_A = {"leerkracht", "titularis", "zorgcoordinator", "directie"}
# The school's care team of school 1: care coordinator and director.
ZORGTEAM_SCHOOL1 = {"zorgcoordinator", "directie"}


def codes(standaard: int, anoniem: int = 302, **per_rol: int) -> dict[str, int]:
    result = dict.fromkeys(AANGEMELD, standaard)
    result.update(dict.fromkeys(PORTAAL, 404))
    result["anoniem"] = anoniem
    result.update(per_rol)
    return result


def zichtbaar_voor(rollen: set[str]) -> dict[str, int]:
    return {rol: (200 if rol in rollen else 404) for rol in AANGEMELD} | {"anoniem": 302}


def alleen_get(get: dict[str, int]) -> dict[str, int]:
    """POST on a GET-only view: 405 for the logged in, login for the rest
    (and the portal's 404 where the GET is one for a portal user)."""
    return {
        rol: (302 if rol == "anoniem" else 404 if rol in PORTAAL and get[rol] == 404 else 405)
        for rol in get
    }


@dataclass
class Rij:
    get: dict[str, int]
    post: dict[str, int] | None = None
    kwargs: object = None  # callable(wereld) -> dict
    opzet: object = None  # callable(wereld) -> None, before the request
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.post is None:
            self.post = alleen_get(self.get)
