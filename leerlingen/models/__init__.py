from .zorg import *  # noqa: F403
from .zorg import _document_pad, inschrijving_actief_q  # noqa: F401
