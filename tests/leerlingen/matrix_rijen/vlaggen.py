"""Role-matrix rows for vlaggen."""

from tests.matrix import Rij, codes, zichtbaar_voor  # noqa: F401

RIJEN: dict[str, Rij] = {}
