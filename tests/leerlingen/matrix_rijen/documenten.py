"""Role-matrix rows for the documenten part of the student record."""

import contextlib
import weakref
from pathlib import Path

from django.conf import settings

from tests.leerlingen.factories_documenten import document_met_bestand
from tests.matrix import ZORGTEAM_SCHOOL1, Rij, codes, zichtbaar_voor


def _opruimen(pad: Path, nieuwe_mappen: list[Path]) -> None:
    pad.unlink(missing_ok=True)
    for map_ in nieuwe_mappen:  # deepest first; only what this row created
        with contextlib.suppress(OSError):  # not empty: leave it
            map_.rmdir()


def _met_document(w):
    """A real file for the download row. The matrix has no tmp MEDIA_ROOT,
    so the file is removed again once the test's world is gone (or at exit
    at the latest)."""
    root = Path(settings.MEDIA_ROOT)
    map_ = root / "documenten" / str(w.school.pk)
    nieuwe_mappen = [m for m in (map_, map_.parent, root) if not m.exists()]
    document = document_met_bestand(leerling=w.leerling_a, door=w.zorgcoordinator)
    pad = root / document.bestand.name
    weakref.finalize(w, _opruimen, pad, nieuwe_mappen)
    return {"pk": w.leerling_a.pk, "doc_pk": document.pk}


RIJEN: dict[str, Rij] = {
    # Upload: the school's care team only; an empty POST is a form with
    # errors (200).
    "leerlingen:document_nieuw": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=codes(404, zorgcoordinator=200, directie=200),
        kwargs=lambda w: {"pk": w.leerling_a.pk},
    ),
    # Download: the care team and the CLB (care-team-level readers); never
    # a teacher, the secretariat or another school.
    "leerlingen:document_download": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=_met_document,
    ),
}
