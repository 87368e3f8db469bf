"""Role-matrix rows for the documenten part of the student record."""

from tests.matrix import Rij, codes, zichtbaar_voor  # noqa: F401

RIJEN: dict[str, Rij] = {}
