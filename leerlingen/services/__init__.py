"""Writes about students, one module per part of the record. Each service
records an audit event (and, for care data, a timeline entry) in the same
transaction as the change it describes."""

from .basis import klas_wijzigen, leerling_inschrijven, startfase

__all__ = ["klas_wijzigen", "leerling_inschrijven", "startfase"]
