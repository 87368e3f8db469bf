"""Role-matrix rows of the meetings app, one module per part."""

from .actiepunten import RIJEN as ACTIEPUNTEN
from .agenda import RIJEN as AGENDA
from .beslissingen import RIJEN as BESLISSINGEN
from .bespreekvragen import RIJEN as BESPREEKVRAGEN
from .overleggen import RIJEN as OVERLEGGEN

__all__ = ["ACTIEPUNTEN", "AGENDA", "BESLISSINGEN", "BESPREEKVRAGEN", "OVERLEGGEN"]
