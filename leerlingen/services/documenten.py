"""Uploaded documents (attestations, reports): PDF, PNG or JPEG only, judged
by their bytes, never by the name or the browser's word. Stored under
MEDIA_ROOT with a random name; only a policy-checked view hands them out.

The first bytes pick the type; then the whole file is read: a real parser
for that type must accept it (pypdf for PDF, Pillow for PNG and JPEG), and no
HTML may hide anywhere in it. A file that starts with `%PDF-` and goes on as
an HTML page, or a valid PDF or image with a page of HTML in a comment or
after its end, is refused: a browser that ever sniffs it, or a tool that
opens it by another name, must not find a web page in the care record."""

import io
import logging
import re
import unicodedata
import warnings
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PdfReader

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen

from ..models import Document, Leerling, TijdlijnItem, Zichtbaarheid
from .tijdlijn import tijdlijn_registreren

logger = logging.getLogger(__name__)

# (signature at the start of the file, content type). The content type is
# what the download is served as and what picks the stored extension.
HANDTEKENINGEN = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
EXTENSIES = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
BESTANDSNAAM_MAX = Document._meta.get_field("bestandsnaam").max_length
_KOP_LENGTE = max(len(h) for h, _type in HANDTEKENINGEN)
# What starts an HTML page or an active part of one, wherever it stands in
# the file. A PDF's text and an image's pixels are compressed or encoded, so
# these do not occur in a real attestation by chance.
HTML_MERKTEKENS = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed|meta)[\s>/]",
    re.IGNORECASE,
)
PILLOW_FORMATEN = {"image/png": "PNG", "image/jpeg": "JPEG"}


def max_grootte_tekst(max_bytes: int) -> str:
    """The size limit as people say it: "10 MB" (or kB for small limits)."""
    mb = max_bytes / (1024 * 1024)
    if mb >= 1:
        decimalen = 0 if mb == int(mb) else 1
        return f"{formats.number_format(mb, decimal_pos=decimalen)} MB"
    kb = max_bytes / 1024
    decimalen = 0 if kb == int(kb) else 1
    return f"{formats.number_format(kb, decimal_pos=decimalen)} kB"


def inhoudstype_bepalen(bestand) -> str:
    """The content type of an uploaded file, from its first bytes and its
    size. Raises ValidationError (in Dutch) for an empty, too large or
    unsupported file."""
    max_bytes = settings.ZORG_DOCUMENT_MAX_BYTES  # read now: tests lower it
    grootte = bestand.size
    if not grootte:
        raise ValidationError(_("Het bestand is leeg."), code="leeg")
    if grootte > max_bytes:
        raise ValidationError(
            _("Het bestand is te groot: maximaal %(max)s.") % {"max": max_grootte_tekst(max_bytes)},
            code="te_groot",
        )
    bestand.seek(0)
    kop = bestand.read(_KOP_LENGTE)
    bestand.seek(0)
    for handtekening, inhoudstype in HANDTEKENINGEN:
        if kop.startswith(handtekening):
            _inhoud_nagaan(bestand, inhoudstype)
            return inhoudstype
    raise ValidationError(
        _(
            "Enkel PDF, PNG of JPEG is toegelaten. Dit bestand is geen van de drie "
            "(een andere bestandsnaam of extensie verandert daar niets aan)."
        ),
        code="type",
    )


def _inhoud_nagaan(bestand, inhoudstype: str) -> None:
    """Read the whole file: no HTML anywhere in it, and the parser of its
    type reads it to the end. Raises ValidationError (in Dutch)."""
    bestand.seek(0)
    inhoud = bestand.read()  # at most ZORG_DOCUMENT_MAX_BYTES, checked before
    bestand.seek(0)
    if HTML_MERKTEKENS.search(inhoud):
        raise ValidationError(
            _("Dit bestand bevat een webpagina (HTML) en wordt daarom geweigerd."),
            code="html",
        )
    try:
        with warnings.catch_warnings():
            # An image of more pixels than Pillow's limit is refused, not
            # decoded with a warning.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if inhoudstype == "application/pdf":
                _pdf_lezen(inhoud)
            else:
                _afbeelding_lezen(inhoud, PILLOW_FORMATEN[inhoudstype])
    except ValidationError:
        raise
    except Exception as fout:  # a parser of hostile input may raise anything
        logger.info("Upload refused by the %s parser: %r", inhoudstype, fout)
        raise ValidationError(
            _(
                "Dit bestand is beschadigd of geen echte PDF, PNG of JPEG: het kan niet "
                "gelezen worden. Sla het opnieuw op als PDF of foto en probeer nog eens."
            ),
            code="onleesbaar",
        ) from None


def _pdf_lezen(inhoud: bytes) -> None:
    reader = PdfReader(io.BytesIO(inhoud), strict=True)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValidationError(
            _("Deze PDF is met een wachtwoord beveiligd. Laad een versie zonder wachtwoord op."),
            code="wachtwoord",
        )
    pagina = None
    for pagina in reader.pages:
        pagina.get_contents()
    if pagina is None:
        raise ValueError("a PDF without pages")


def _afbeelding_lezen(inhoud: bytes, formaat: str) -> None:
    with Image.open(io.BytesIO(inhoud), formats=[formaat]) as afbeelding:
        afbeelding.verify()
    # verify() leaves the image unusable; decoding every pixel needs a
    # second open.
    with Image.open(io.BytesIO(inhoud), formats=[formaat]) as afbeelding:
        afbeelding.load()


def bestandsnaam_opschonen(naam: str, inhoudstype: str = "") -> str:
    """The original file name as shown to people: without any path, without
    control characters, capped to the column's length, keeping its
    extension."""
    naam = unicodedata.normalize("NFC", str(naam or ""))
    naam = naam.replace("\\", "/").rsplit("/", 1)[-1]
    naam = "".join(c for c in naam if c.isprintable()).strip().strip(".")
    if not naam:
        naam = _("document") + EXTENSIES.get(inhoudstype, "")
    if len(naam) > BESTANDSNAAM_MAX:
        pad = PurePosixPath(naam)
        extensie = pad.suffix[:10]
        naam = pad.name[: BESTANDSNAAM_MAX - len(extensie)] + extensie
    return naam


def downloadnaam(document: Document) -> str:
    """A safe name for Content-Disposition: letters, digits and a few marks,
    and the extension of what the file really is."""
    stam = PurePosixPath(bestandsnaam_opschonen(document.bestandsnaam)).stem
    stam = re.sub(r"[^\w\-. ()]+", "_", stam).strip(" ._")[:100] or "document"
    return stam + EXTENSIES.get(document.inhoudstype, "")


def document_opslaan(
    *,
    leerling: Leerling,
    door,
    bestand,
    titel: str,
    soort: str,
) -> Document:
    """Store an uploaded file for `leerling`. The file and its row are
    written together: if anything after writing the file fails, the
    transaction rolls back and the file is removed again, so nothing is left
    half saved. Call it outside any other transaction (views are not
    ATOMIC_REQUESTS): Django has no hook for an outer rollback."""
    inhoudstype = inhoudstype_bepalen(bestand)
    document = Document(
        leerling=leerling,
        titel=titel,
        soort=soort,
        bestandsnaam=bestandsnaam_opschonen(getattr(bestand, "name", ""), inhoudstype),
        inhoudstype=inhoudstype,
        grootte=bestand.size,
        geupload_door=door,
    )
    opgeslagen_naam = None
    try:
        with transaction.atomic():
            # upload_to gives the random name; the original name is ignored.
            document.bestand.save("upload", bestand, save=False)
            opgeslagen_naam = document.bestand.name
            document.save()
            audit_vastleggen(
                gebruiker=door,
                actie=Actie.AANMAKEN,
                onderwerp="document",
                leerlingen=[leerling],
                object_id=document.pk,
                # No title in the trail: the functional administrator reads
                # the trail but may not read care content.
                velden=["titel", "soort", "bestand"],
            )
            tijdlijn_registreren(
                leerling=leerling,
                soort=TijdlijnItem.Soort.DOCUMENT,
                datum=timezone.localdate(),
                titel=titel,
                tekst=str(document.get_soort_display()),
                bron=document,
                zichtbaarheid=Zichtbaarheid.ZORGTEAM,
                auteur=door,
                url=reverse("leerlingen:document_download", args=[leerling.pk, document.pk]),
            )
    except BaseException:
        if opgeslagen_naam:
            _bestand_verwijderen(document.bestand.storage, opgeslagen_naam)
        raise
    return document


def _bestand_verwijderen(storage, naam: str) -> None:
    try:
        storage.delete(naam)
    except OSError:
        # The row is gone either way; a stray file is logged, never served.
        logger.exception("Could not remove document file %s after a failed save", naam)
