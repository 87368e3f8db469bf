"""Role-matrix rows for the red-flag acknowledgement loop, follow-up and
closing, and handling a pattern signal.

A red flag about leerling_a (3A) is acknowledged and taken up by the school's
care team only. A yellow flag logged by the teacher of 3A is followed up and
closed by that teacher and by the care team; the class teacher of 3A sees it
but does not follow it up. Everyone else does not see the flag: 404."""

from tests.leerlingen.factories_vlagalarm import signaal, vlag
from tests.matrix import ZORGTEAM_SCHOOL1, Rij, codes, zichtbaar_voor

OPVOLGERS_GELE_VLAG = ZORGTEAM_SCHOOL1 | {"leerkracht"}


def _rode_vlag(w):
    return {"pk": vlag(w.leerling_a, klas=w.klas_a, gemeld_door=w.leerkracht).pk}


def _gele_vlag(w):
    return {"pk": vlag(w.leerling_a, klas=w.klas_a, gemeld_door=w.leerkracht, kleur="geel").pk}


def _signaal(w):
    return {"pk": signaal(w.leerling_a).pk}


def _post(toegelaten: set[str], status: int = 302) -> dict[str, int]:
    return codes(404) | dict.fromkeys(toegelaten, status)


RIJEN: dict[str, Rij] = {
    "leerlingen:vlag_erkennen": Rij(
        get=codes(405), post=_post(ZORGTEAM_SCHOOL1), kwargs=_rode_vlag
    ),
    # An empty POST re-shows the form with its error (200) and saves nothing.
    "leerlingen:vlag_opnemen": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=_rode_vlag,
    ),
    "leerlingen:vlag_opvolging": Rij(
        get=zichtbaar_voor(OPVOLGERS_GELE_VLAG),
        post=zichtbaar_voor(OPVOLGERS_GELE_VLAG),
        kwargs=_gele_vlag,
    ),
    "leerlingen:vlag_afsluiten": Rij(
        get=codes(405), post=_post(OPVOLGERS_GELE_VLAG), kwargs=_gele_vlag
    ),
    # The care team and the class teacher of 3A; not a subject teacher.
    "leerlingen:signaal_afhandelen": Rij(
        get=codes(405), post=_post(ZORGTEAM_SCHOOL1 | {"titularis"}), kwargs=_signaal
    ),
}
