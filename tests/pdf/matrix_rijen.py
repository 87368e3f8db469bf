"""Role-matrix rows of the PDF documents (zorg.pdf).

Asking for a PDF is as open as the thing it shows: the class measures
overview of 3A to its teachers and the care team (302 to the job's page),
404 for everyone else. A job and its file are only ever the requester's
(the care coordinator's here): 404 for everyone else, whatever they may see."""

import weakref
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile

from tests.leerlingen.factories_documenten import pdf_bytes
from tests.leerlingen.matrix_rijen.documenten import _opruimen
from tests.matrix import ZIET_ZORG_LEERLING_A, Rij, codes, zichtbaar_voor
from zorg.pdf.models import PdfOpdracht
from zorg.pdf.opslag import opslag


def _opdracht(w):
    """A finished job of the care coordinator, with its file (removed again
    with the test's world: the matrix has no tmp MEDIA_ROOT)."""
    root = Path(settings.MEDIA_ROOT)
    nieuwe_mappen = [m for m in (root / "pdf", root) if not m.exists()]
    opdracht = PdfOpdracht.objects.create(
        soort="klas-maatregelen",
        object_id=w.klas_a.pk,
        aangevraagd_door=w.zorgcoordinator,
        school=w.school,
        taal="nl",
        status=PdfOpdracht.Status.KLAAR,
        titel="Maatregelen in 3A",
        paginas=1,
    )
    opdracht.bestand = opslag().save(f"{opdracht.pk}.pdf", ContentFile(pdf_bytes()))
    opdracht.save(update_fields=["bestand"])
    weakref.finalize(w, _opruimen, root / "pdf" / opdracht.bestand, nieuwe_mappen)
    return {"pk": opdracht.pk}


RIJEN: dict[str, Rij] = {
    "pdf:aanvragen": Rij(
        get=codes(405),
        post=codes(404, **dict.fromkeys(ZIET_ZORG_LEERLING_A, 302)),
        kwargs=lambda w: {"soort": "klas-maatregelen", "object_id": w.klas_a.pk},
    ),
    "pdf:opdracht": Rij(get=zichtbaar_voor({"zorgcoordinator"}), kwargs=_opdracht),
    "pdf:downloaden": Rij(get=zichtbaar_voor({"zorgcoordinator"}), kwargs=_opdracht),
}
