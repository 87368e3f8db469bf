"""Role-matrix rows for vlagtrends."""

from tests.matrix import Rij, codes, zichtbaar_voor  # noqa: F401

RIJEN: dict[str, Rij] = {}
