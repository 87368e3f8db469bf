"""The signed transfer file: a JSON document the receiving installation can
check for origin and integrity, never a live link between installations.

Ed25519 (the `cryptography` package). The file carries the sender's public
key and its fingerprint; the signature covers the content and that key, in
a canonical JSON form (sorted keys, no spaces, UTF-8). Integrity: any change
breaks the signature. Origin: the receiving school compares the fingerprint
shown on import with the one the sending school shows on its page (by
phone, on paper): a forger can sign with a key of their own, not with
that one.

The file, format 1:

    {"formaat": 1, "soort": "zorg-overdracht", "inhoud": {...},
     "publieke_sleutel": "<base64>", "vingerafdruk": "AB12 CD34 ...",
     "handtekening": "<base64>"}
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

FORMAAT = 1
SOORT = "zorg-overdracht"
# A transfer summary is a few kilobytes; anything far larger is not one.
MAX_GROOTTE = 2 * 1024 * 1024


class SleutelOntbreekt(ImproperlyConfigured):
    """The installation has no signing key (ZORG_OVERDRACHT_SLEUTEL)."""


class OngeldigBestand(ValueError):
    """A file that is not a valid, untouched transfer file; the message is
    for the reader (Dutch)."""


def sleutel_ingesteld() -> bool:
    return bool(getattr(settings, "ZORG_OVERDRACHT_SLEUTEL", ""))


def _prive_sleutel() -> Ed25519PrivateKey:
    waarde = getattr(settings, "ZORG_OVERDRACHT_SLEUTEL", "")
    if not waarde:
        raise SleutelOntbreekt(
            "ZORG_OVERDRACHT_SLEUTEL is not set: transfers cannot be signed. Set it to 32 "
            "random bytes, base64."
        )
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(waarde))


def _publieke_bytes(publiek: Ed25519PublicKey) -> bytes:
    return publiek.public_bytes(Encoding.Raw, PublicFormat.Raw)


def vingerafdruk_van(publieke_bytes: bytes) -> str:
    """SHA-256 of the raw public key, in groups of four hex digits: read out
    over the phone, compared on paper."""
    digest = hashlib.sha256(publieke_bytes).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def eigen_vingerafdruk() -> str:
    """This installation's fingerprint, or SleutelOntbreekt."""
    return vingerafdruk_van(_publieke_bytes(_prive_sleutel().public_key()))


def _canoniek(formaat, soort, inhoud, publieke_sleutel) -> bytes:
    return json.dumps(
        {
            "formaat": formaat,
            "soort": soort,
            "inhoud": inhoud,
            "publieke_sleutel": publieke_sleutel,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


def ondertekenen(inhoud: dict) -> dict:
    """The signed file (a dict; `als_tekst` writes it) for `inhoud`."""
    prive = _prive_sleutel()
    publiek = _publieke_bytes(prive.public_key())
    publiek_b64 = base64.b64encode(publiek).decode()
    handtekening = prive.sign(_canoniek(FORMAAT, SOORT, inhoud, publiek_b64))
    return {
        "formaat": FORMAAT,
        "soort": SOORT,
        "inhoud": inhoud,
        "publieke_sleutel": publiek_b64,
        "vingerafdruk": vingerafdruk_van(publiek),
        "handtekening": base64.b64encode(handtekening).decode(),
    }


def als_tekst(bestand: dict) -> str:
    return json.dumps(bestand, ensure_ascii=False, indent=2, sort_keys=True)


def controleren(tekst: str | bytes) -> dict:
    """The file's `inhoud` and `vingerafdruk` when `tekst` is an untouched
    transfer file of a known format, else OngeldigBestand with a message."""
    if isinstance(tekst, bytes):
        if len(tekst) > MAX_GROOTTE:
            raise OngeldigBestand(_("Dit bestand is te groot voor een overdrachtsbestand."))
        try:
            tekst = tekst.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise OngeldigBestand(_("Dit is geen overdrachtsbestand van Zorg.")) from exc
    try:
        bestand = json.loads(tekst)
    except (ValueError, RecursionError) as exc:
        raise OngeldigBestand(_("Dit is geen overdrachtsbestand van Zorg.")) from exc
    if not isinstance(bestand, dict) or bestand.get("soort") != SOORT:
        raise OngeldigBestand(_("Dit is geen overdrachtsbestand van Zorg."))
    if bestand.get("formaat") != FORMAAT:
        raise OngeldigBestand(
            _(
                "Dit overdrachtsbestand heeft een formaat (%(formaat)s) dat deze versie van "
                "Zorg niet kent."
            )
            % {"formaat": str(bestand.get("formaat"))[:20]}
        )
    inhoud = bestand.get("inhoud")
    publiek_b64 = bestand.get("publieke_sleutel")
    handtekening_b64 = bestand.get("handtekening")
    if (
        not isinstance(inhoud, dict)
        or not isinstance(publiek_b64, str)
        or not isinstance(handtekening_b64, str)
    ):
        raise OngeldigBestand(_("Dit overdrachtsbestand is onvolledig."))
    ongeldig = _(
        "De handtekening van dit overdrachtsbestand klopt niet: het werd na het vrijgeven "
        "gewijzigd of is niet door Zorg gemaakt. Er werd niets bewaard."
    )
    try:
        publiek = base64.b64decode(publiek_b64, validate=True)
        handtekening = base64.b64decode(handtekening_b64, validate=True)
        sleutel = Ed25519PublicKey.from_public_bytes(publiek)
        sleutel.verify(handtekening, _canoniek(FORMAAT, SOORT, inhoud, publiek_b64))
    except (binascii.Error, ValueError, InvalidSignature) as exc:
        raise OngeldigBestand(ongeldig) from exc
    vingerafdruk = vingerafdruk_van(publiek)
    if bestand.get("vingerafdruk") != vingerafdruk:
        raise OngeldigBestand(ongeldig)
    return {"inhoud": inhoud, "vingerafdruk": vingerafdruk}
