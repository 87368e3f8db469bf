"""The models of leerlingen, one module per part: the school structure
(school.py), the care record (zorg.py), behaviour flags (vlaggen.py) and SODA
reports (soda.py).

Everything is re-exported here, so `from leerlingen.models import X` stays
the one way to import a model. The modules are imported in this order so the
models register in the order they always had (content types, dumpdata).
"""

from .school import (
    Inschrijving,
    InschrijvingQuerySet,
    Klas,
    Leerling,
    LeerlingQuerySet,
    Lesopdracht,
    Ouder,
    Relatie,
    Vak,
    Zorgfase,
    inschrijving_actief_q,
)
from .zorg import (
    Aanmelding,
    Bereik,
    Document,
    Gesprek,
    Intake,
    Maatregel,
    MaatregelCatalogusItem,
    MaatregelEvaluatie,
    MaatregelQuerySet,
    MaatregelSoort,
    Observatie,
    ObservatieSoort,
    TijdlijnItem,
    Zichtbaarheid,
    ZorgfaseWijziging,
    _document_pad,  # noqa: F401 (migration 0003 names leerlingen.models._document_pad)
)

# isort: split
from .vlaggen import Signaal, Vlag, VlagBetrokkene, VlagKleur, VlagOpvolging
from .vlagtellingen import VlagtellingKlas, VlagtellingSchool

# isort: split
from .afwezigheden import (
    PROBLEMATISCHE_CODES,
    Afwezigheid,
    AfwezigheidCode,
    AfwezigheidQuerySet,
    Afwezigheidsdrempel,
    Dagdeel,
)
from .ouderbrief import Ouderbrief
from .remediering import Remediering
from .soda import SodaCriterium, SodaPeriode, SodaSchaal, SodaScore, SodaWaarde

__all__ = [
    "PROBLEMATISCHE_CODES",
    "Aanmelding",
    "Afwezigheid",
    "AfwezigheidCode",
    "AfwezigheidQuerySet",
    "Afwezigheidsdrempel",
    "Bereik",
    "Dagdeel",
    "Document",
    "Gesprek",
    "Inschrijving",
    "InschrijvingQuerySet",
    "Intake",
    "Klas",
    "Leerling",
    "LeerlingQuerySet",
    "Lesopdracht",
    "Maatregel",
    "MaatregelCatalogusItem",
    "MaatregelEvaluatie",
    "MaatregelQuerySet",
    "MaatregelSoort",
    "Observatie",
    "ObservatieSoort",
    "Ouder",
    "Ouderbrief",
    "Relatie",
    "Remediering",
    "Signaal",
    "SodaCriterium",
    "SodaPeriode",
    "SodaSchaal",
    "SodaScore",
    "SodaWaarde",
    "TijdlijnItem",
    "Vak",
    "Vlag",
    "VlagBetrokkene",
    "VlagKleur",
    "VlagOpvolging",
    "VlagtellingKlas",
    "VlagtellingSchool",
    "Zichtbaarheid",
    "Zorgfase",
    "ZorgfaseWijziging",
    "inschrijving_actief_q",
]
