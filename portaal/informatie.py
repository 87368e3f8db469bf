"""What the portal shows: leerlingen.ouderinformatie decides it."""

try:
    from leerlingen.ouderinformatie import ouderinformatie
except ImportError:  # pragma: no cover - until branch ouderbrief is merged
    from .voorlopig import ouderinformatie

__all__ = ["ouderinformatie"]
