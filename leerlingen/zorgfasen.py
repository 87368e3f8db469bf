"""The care continuum per school type, with its Dutch names: the phases
Zorg starts with. Kept here so the migration that seeds them and the tests
(whose transactional runs flush the tables) share one definition."""

FASEN = {
    "basis": [
        (0, "Brede basiszorg"),
        (1, "Verhoogde zorg"),
        (2, "Uitbreiding van zorg"),
        (3, "Individueel aangepast curriculum (IAC)"),
    ],
    "secundair": [
        (0, "Brede basiszorg"),
        (1, "Verhoogde zorg"),
        (2, "Uitbreiding van zorg"),
        (3, "Individueel aangepast curriculum (IAC)"),
    ],
    # Part-time arts education has a shorter continuum.
    "dko": [
        (0, "Brede basiszorg"),
        (1, "Verhoogde zorg"),
        (2, "Individueel aangepast curriculum (IAC)"),
    ],
}


def zorgfasen_aanmaken(Zorgfase) -> None:
    """Create or rename the standard phases (idempotent). Takes the model
    class, so a migration can pass its historical model."""
    for schooltype, fasen in FASEN.items():
        for nummer, naam in fasen:
            Zorgfase.objects.update_or_create(
                schooltype=schooltype, nummer=nummer, defaults={"naam": naam}
            )
