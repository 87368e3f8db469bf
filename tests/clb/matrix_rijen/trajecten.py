"""Role-matrix rows (being built)."""

from tests.matrix import Rij

RIJEN: dict[str, Rij] = {}
