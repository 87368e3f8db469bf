"""A security key in software, for tests without a browser: it answers the
options allauth puts on its pages (`js_data`) as a real key would, with a
P-256 key pair and "none" attestation. The browser tests use Chromium's
virtual authenticator instead."""

from __future__ import annotations

import hashlib
import json
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

FLAG = AuthenticatorData.FLAG


class Sleutel:
    def __init__(self, rp_id: str = "testserver", origin: str = "https://testserver"):
        self.rp_id = rp_id
        self.origin = origin
        self.prive = ec.generate_private_key(ec.SECP256R1())
        self.id = os.urandom(16)
        self.teller = 0

    def _rp_hash(self) -> bytes:
        return hashlib.sha256(self.rp_id.encode()).digest()

    def registreren(self, creation_options: dict) -> str:
        """The JSON the page posts after navigator.credentials.create()."""
        challenge = creation_options["publicKey"]["challenge"]
        client_data = CollectedClientData.create(
            type="webauthn.create", challenge=websafe_decode(challenge), origin=self.origin
        )
        cose = ES256.from_cryptography_key(self.prive.public_key())
        auth_data = AuthenticatorData.create(
            self._rp_hash(),
            FLAG.UP | FLAG.AT,
            self.teller,
            AttestedCredentialData.create(Aaguid.NONE, self.id, cose),
        )
        attestatie = AttestationObject.create("none", auth_data, {})
        return json.dumps(
            {
                "id": websafe_encode(self.id),
                "rawId": websafe_encode(self.id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": websafe_encode(bytes(client_data)),
                    "attestationObject": websafe_encode(bytes(attestatie)),
                },
                "clientExtensionResults": {"credProps": {"rk": False}},
            }
        )

    def aanmelden(self, request_options: dict) -> str:
        """The JSON the page posts after navigator.credentials.get()."""
        self.teller += 1
        challenge = request_options["publicKey"]["challenge"]
        client_data = CollectedClientData.create(
            type="webauthn.get", challenge=websafe_decode(challenge), origin=self.origin
        )
        auth_data = AuthenticatorData.create(self._rp_hash(), FLAG.UP, self.teller)
        handtekening = self.prive.sign(
            bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256())
        )
        return json.dumps(
            {
                "id": websafe_encode(self.id),
                "rawId": websafe_encode(self.id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": websafe_encode(bytes(client_data)),
                    "authenticatorData": websafe_encode(bytes(auth_data)),
                    "signature": websafe_encode(handtekening),
                    "userHandle": None,
                },
                "clientExtensionResults": {},
            }
        )
