"""The guess of which column holds which field, on headers as the
administration packages write them, and the documented templates."""

import io

import pytest

from zorg.invoer.soorten import SOORTEN, koppeling_raden, sjabloon_csv, sjabloon_xlsx


@pytest.mark.parametrize(
    ("kolommen", "verwacht"),
    [
        # Smartschool-like: "Naam" is the surname when "Voornaam" is there too.
        (
            ["Stamnummer", "Naam", "Voornaam", "Geboortedatum", "Klas"],
            {"leerlingnummer": 0, "achternaam": 1, "voornaam": 2, "geboortedatum": 3, "klas": 4},
        ),
        # Wisa-like.
        (
            ["Stamboeknummer", "Familienaam", "Voornaam", "Geboorte datum", "Klasgroep"],
            {"leerlingnummer": 0, "achternaam": 1, "voornaam": 2, "geboortedatum": 3, "klas": 4},
        ),
        # Informat-like, with guardians and columns Zorg does not use.
        (
            ["Instellingsnr", "Stamnr", "Voornaam", "Naam", "Geb. datum", "Klascode",
             "Naam ouder 1", "Relatie ouder 1", "E-mail ouder 1", "GSM ouder 1"],
            {"leerlingnummer": 1, "voornaam": 2, "achternaam": 3, "geboortedatum": 4, "klas": 5,
             "ouder1_naam": 6, "ouder1_relatie": 7, "ouder1_email": 8, "ouder1_telefoon": 9},
        ),
        # The template's own headers, in any order and case.
        (
            ["KLAS", "Leerlingnummer", "ouder2_naam", "voornaam", "achternaam", "geboortedatum"],
            {"klas": 0, "leerlingnummer": 1, "ouder2_naam": 2, "voornaam": 3, "achternaam": 4,
             "geboortedatum": 5},
        ),
    ],
    ids=["smartschool", "wisa", "informat", "template"],
)  # fmt: skip
def test_headers_are_mapped_by_their_normalised_names(kolommen, verwacht):
    assert koppeling_raden(SOORTEN["leerlingen"], kolommen) == verwacht


def test_a_column_serves_one_field():
    koppeling = koppeling_raden(SOORTEN["leerlingen"], ["Naam", "Naam"])
    assert koppeling == {"achternaam": 0}


@pytest.mark.parametrize("soort", SOORTEN)
def test_each_template_holds_every_documented_column(soort):
    codes = [v.code for v in SOORTEN[soort].velden]
    assert sjabloon_csv(SOORTEN[soort]).splitlines()[0] == "\ufeff" + ";".join(codes)
    from openpyxl import load_workbook

    blad = load_workbook(io.BytesIO(sjabloon_xlsx(SOORTEN[soort])), read_only=True).worksheets[0]
    assert list(next(blad.iter_rows(values_only=True))) == codes
    # A template read back maps itself completely.
    assert koppeling_raden(SOORTEN[soort], codes) == {c: i for i, c in enumerate(codes)}
