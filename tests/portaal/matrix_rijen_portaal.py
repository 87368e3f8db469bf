"""Role-matrix rows of the parents' and students' portal (issue 17)."""

from tests.matrix import ZORGTEAM_SCHOOL1, Rij, codes, zichtbaar_voor


def _portaal_aan(w):
    w.school.portaal_aan = True
    w.school.save(update_fields=["portaal_aan"])


def _toegang_kwargs(w):
    from portaal.models import Portaaltoegang

    return {"pk": Portaaltoegang.objects.get(user=w.ouder).pk}


RIJEN: dict[str, Rij] = {
    # The portal's start page and a child's page: the guardian and the
    # student with accepted access; every staff member gets the 404 of a
    # stranger (they hold no portal access).
    "portaal:start": Rij(get=zichtbaar_voor({"ouder", "leerling"}), opzet=_portaal_aan),
    "portaal:kind": Rij(
        get=zichtbaar_voor({"ouder", "leerling"}),
        kwargs=lambda w: {"pk": w.leerling_a.pk},
        opzet=_portaal_aan,
    ),
    # The care team of school 1 invites; an empty POST is a form with errors.
    "portaal:beheer": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=codes(404, zorgcoordinator=200, directie=200),
        kwargs=lambda w: {"pk": w.leerling_a.pk},
        opzet=_portaal_aan,
    ),
    "portaal:intrekken": Rij(
        get=codes(405, ouder=405, leerling=405),
        post=codes(404, zorgcoordinator=302, directie=302),
        kwargs=_toegang_kwargs,
        opzet=_portaal_aan,
    ),
    # The link in the e-mail: open to all (a malformed token is explained).
    "portaal:uitnodiging": Rij(
        get=codes(200, anoniem=200, ouder=200, leerling=200),
        post=codes(200, anoniem=200, ouder=200, leerling=200),
        kwargs=lambda w: {"token": "ongeldig"},
    ),
}
