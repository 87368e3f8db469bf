"""The care continuum per school type, with its Dutch names: the phases
Zorg starts with. Kept here so the migration that seeds them and the tests
(whose transactional runs flush the tables) share one definition.

A phase's `soort` carries its meaning, so the rules (a move to extended care
refers to the CLB; an IAC needs consultation first) do not depend on phase
numbers: in DKO the IAC is phase 2.

The names are the Dutch msgids of their translations: a phase whose name is
still the standard one is shown in the user's language
(`Zorgfase.weergavenaam`), one the school renamed as written."""

from django.utils.translation import gettext_noop

BASISZORG = "basiszorg"
VERHOOGD = "verhoogd"
UITBREIDING = "uitbreiding"
IAC = "iac"

_VOLLEDIG = [
    (0, gettext_noop("Brede basiszorg"), BASISZORG),
    (1, gettext_noop("Verhoogde zorg"), VERHOOGD),
    (2, gettext_noop("Uitbreiding van zorg"), UITBREIDING),
    (3, gettext_noop("Individueel aangepast curriculum (IAC)"), IAC),
]

FASEN = {
    "basis": _VOLLEDIG,
    "secundair": _VOLLEDIG,
    # Part-time arts education has a shorter continuum.
    "dko": [
        (0, gettext_noop("Brede basiszorg"), BASISZORG),
        (1, gettext_noop("Verhoogde zorg"), VERHOOGD),
        (2, gettext_noop("Individueel aangepast curriculum (IAC)"), IAC),
    ],
}

STANDAARDNAMEN = {
    (schooltype, nummer): naam for schooltype, fasen in FASEN.items() for nummer, naam, _ in fasen
}


def zorgfasen_aanmaken(Zorgfase) -> None:
    """Create or update the standard phases (idempotent). Takes the model
    class, so a migration can pass its historical model."""
    for schooltype, fasen in FASEN.items():
        for nummer, naam, soort in fasen:
            Zorgfase.objects.update_or_create(
                schooltype=schooltype, nummer=nummer, defaults={"naam": naam, "soort": soort}
            )
