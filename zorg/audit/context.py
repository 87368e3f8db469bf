"""Where the current request came from, for the audit trail, without passing
the request down into every service."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Herkomst:
    ip: str | None
    methode: str
    pad: str


huidige_herkomst: ContextVar[Herkomst | None] = ContextVar("huidige_herkomst", default=None)
