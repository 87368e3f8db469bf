"""Role-matrix rows of the student record, one module per part, so each part
owns its rows."""

from .afwezigheden import RIJEN as AFWEZIGHEDEN
from .documenten import RIJEN as DOCUMENTEN
from .gesprekken import RIJEN as GESPREKKEN
from .intake import RIJEN as INTAKE
from .maatregelen import RIJEN as MAATREGELEN
from .observaties import RIJEN as OBSERVATIES
from .tijdlijn import RIJEN as TIJDLIJN
from .vlagalarm import RIJEN as VLAGALARM
from .vlaggen import RIJEN as VLAGGEN
from .vlagtrends import RIJEN as VLAGTRENDS
from .werklijsten import RIJEN as WERKLIJSTEN
from .zorgfase import RIJEN as ZORGFASE

__all__ = [
    "AFWEZIGHEDEN",
    "DOCUMENTEN",
    "GESPREKKEN",
    "INTAKE",
    "MAATREGELEN",
    "OBSERVATIES",
    "TIJDLIJN",
    "VLAGALARM",
    "VLAGGEN",
    "VLAGTRENDS",
    "WERKLIJSTEN",
    "ZORGFASE",
]
