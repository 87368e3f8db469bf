"""The signed transfer file (overdracht.ondertekening): what one
installation signs, another verifies; any change, an unknown format or a
file that is no transfer file is refused with a Dutch message."""

import base64
import json

import pytest

from overdracht import ondertekening as o

INHOUD = {"kenmerk": "k", "samenvatting": {"maatregelen": [{"titel": "Extra tijd bij toetsen"}]}}


def _tekst(bestand: dict) -> str:
    return o.als_tekst(bestand)


def test_a_signed_file_verifies_and_names_the_senders_fingerprint():
    bestand = o.ondertekenen(INHOUD)

    gecontroleerd = o.controleren(_tekst(bestand))

    assert gecontroleerd["inhoud"] == INHOUD
    assert gecontroleerd["vingerafdruk"] == o.eigen_vingerafdruk()
    assert bestand["formaat"] == 1


def test_a_file_changed_after_signing_is_refused():
    bestand = o.ondertekenen(INHOUD)
    bestand["inhoud"]["samenvatting"]["maatregelen"][0]["titel"] = "Geen huiswerk meer"

    with pytest.raises(o.OngeldigBestand) as fout:
        o.controleren(_tekst(bestand))

    assert "handtekening van dit overdrachtsbestand klopt niet" in str(fout.value)


def test_a_file_with_a_changed_fingerprint_is_refused():
    bestand = o.ondertekenen(INHOUD)
    bestand["vingerafdruk"] = "0000 " * 15 + "0000"

    with pytest.raises(o.OngeldigBestand):
        o.controleren(_tekst(bestand))


def test_a_file_signed_by_another_key_verifies_but_shows_another_fingerprint(settings):
    eigen = o.eigen_vingerafdruk()
    settings.ZORG_OVERDRACHT_SLEUTEL = base64.b64encode(b"x" * 32).decode()
    vreemd = o.ondertekenen(INHOUD)
    settings.ZORG_OVERDRACHT_SLEUTEL = base64.b64encode(b"y" * 32).decode()

    # The receiving school sees the forger's fingerprint, not the sender's.
    assert o.controleren(_tekst(vreemd))["vingerafdruk"] != eigen


def test_a_file_whose_key_was_swapped_without_resigning_is_refused(settings):
    bestand = o.ondertekenen(INHOUD)
    settings.ZORG_OVERDRACHT_SLEUTEL = base64.b64encode(b"z" * 32).decode()
    ander = o.ondertekenen(INHOUD)
    bestand["publieke_sleutel"] = ander["publieke_sleutel"]
    bestand["vingerafdruk"] = ander["vingerafdruk"]

    with pytest.raises(o.OngeldigBestand):
        o.controleren(_tekst(bestand))


@pytest.mark.parametrize(
    ("tekst", "bericht"),
    [
        ("geen json", "geen overdrachtsbestand"),
        (json.dumps([1, 2]), "geen overdrachtsbestand"),
        (json.dumps({"soort": "iets anders", "formaat": 1}), "geen overdrachtsbestand"),
        (json.dumps({"soort": "zorg-overdracht", "formaat": 2}), "formaat (2)"),
        (json.dumps({"soort": "zorg-overdracht", "formaat": 1}), "onvolledig"),
        (
            json.dumps(
                {
                    "soort": "zorg-overdracht",
                    "formaat": 1,
                    "inhoud": {},
                    "publieke_sleutel": "!!",
                    "handtekening": "??",
                }
            ),
            "klopt niet",
        ),
    ],
)
def test_what_is_no_valid_transfer_file_is_refused_with_a_reason(tekst, bericht):
    with pytest.raises(o.OngeldigBestand) as fout:
        o.controleren(tekst)

    assert bericht in str(fout.value)


def test_bytes_that_are_no_text_are_refused():
    with pytest.raises(o.OngeldigBestand):
        o.controleren(b"\xff\xfe\x00")


def test_without_a_key_nothing_is_signed(settings):
    settings.ZORG_OVERDRACHT_SLEUTEL = ""

    assert not o.sleutel_ingesteld()
    with pytest.raises(o.SleutelOntbreekt):
        o.ondertekenen(INHOUD)
