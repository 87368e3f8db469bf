"""The demo school group as plain data: its fixed names (schools, logins, the
published password), the names and places its people are drawn from, and
`maak_plan()`, a pure function that builds the whole group from a seed, a
student count and the start year of the school year (schools, staff,
classes, teaching assignments, students, enrolments, guardians). Same
arguments, same plan: the tests rely on it. `zorg.demo.laden` writes a plan
to the database.
"""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from zorg.accounts.models import Rol, SchoolType
from zorg.demo.kalender import startjaar

DEMO_WACHTWOORD = "zorgdemo"  # published: the password of every demo login
DEMO_INSTELLINGSNUMMER = "123456"
STANDAARD_SEED = 2026
STANDAARD_AANTAL = 400
KLASGROOTTE = 24

SCHOLENGEMEENSCHAP = "Scholengemeenschap Leiedal"
GROEP_DOMEIN = "sg-leiedal.example"
CLB_NAAM = "CLB Leiedal"
CLB_DOMEIN = "clb-leiedal.example"
PLATFORM_EMAIL = "platform@zorg.example"
# A guardian with portal access (issue 17); guardians' addresses are @ouders.example.
PORTAAL_EMAIL = "ouder@ouders.example"

SEC, BAS, DKO = "secundair", "basis", "dko"
HUIDIG, VORIG = "huidig", "vorig"


@dataclass(frozen=True)
class SchoolSpec:
    sleutel: str
    naam: str
    instellingsnummer: str
    schooltype: str
    domein: str
    campussen: tuple[str, ...]
    vakken: tuple[str, ...]
    nummer_start: int  # first leerlingnummer


SCHOLEN = {
    SEC: SchoolSpec(
        SEC,
        "Sint-Jozefscollege",
        DEMO_INSTELLINGSNUMMER,
        SchoolType.SECUNDAIR,
        "sint-jozef.example",
        ("Campus Centrum", "Campus Molenstraat"),
        (
            "Nederlands",
            "Frans",
            "Engels",
            "Duits",
            "Wiskunde",
            "Geschiedenis",
            "Aardrijkskunde",
            "Natuurwetenschappen",
            "Biologie",
            "Chemie",
            "Fysica",
            "Economie",
            "Latijn",
            "Gedragswetenschappen",
            "Filosofie",
            "Techniek",
            "Informatica",
            "LO",
        ),
        10001,
    ),
    BAS: SchoolSpec(
        BAS,
        "Basisschool De Regenboog",
        "654321",
        SchoolType.BASIS,
        "regenboog.example",
        (),
        (
            "Nederlands",
            "Wiskunde",
            "Wereldoriëntatie",
            "Muzische vorming",
            "Levensbeschouwing",
            "Frans",
            "Bewegingsopvoeding",
        ),
        1001,
    ),
    DKO: SchoolSpec(
        DKO,
        "Academie De Kunstbrug",
        "246810",
        SchoolType.DKO,
        "kunstbrug.example",
        (),
        (
            "Beeldatelier",
            "Kunstbeschouwing",
            "Muziekcultuur",
            "Instrument",
            "Samenspel",
            "Woordatelier",
            "Toneel",
            "Dansatelier",
        ),
        501,
    ),
}

# The named logins the README and the tests rely on: (label, school, e-mail).
SEC_DOMEIN = SCHOLEN[SEC].domein
BAS_DOMEIN = SCHOLEN[BAS].domein
LOGINS = [
    ("Directie – Sint-Jozefscollege", f"directie@{SEC_DOMEIN}"),
    ("Zorgcoördinator – Sint-Jozefscollege", f"zorg@{SEC_DOMEIN}"),
    ("Leerkracht (geen klastitularis) – Sint-Jozefscollege", f"leerkracht@{SEC_DOMEIN}"),
    ("Klastitularis – Sint-Jozefscollege", f"titularis@{SEC_DOMEIN}"),
    ("Leerlingensecretariaat – Sint-Jozefscollege", f"secretariaat@{SEC_DOMEIN}"),
    ("Beheerder – Sint-Jozefscollege", f"beheerder@{SEC_DOMEIN}"),
    ("CLB-medewerker – CLB Leiedal", f"clb@{CLB_DOMEIN}"),
    ("Directie – Basisschool De Regenboog", f"directie@{BAS_DOMEIN}"),
    ("Zorgcoördinator – Basisschool De Regenboog", f"zorg@{BAS_DOMEIN}"),
    ("Leerkracht (geen klastitularis) – Basisschool De Regenboog", f"leerkracht@{BAS_DOMEIN}"),
    ("Groepsdirectie – Scholengemeenschap Leiedal", f"groepsdirectie@{GROEP_DOMEIN}"),
    ("Platformbeheer (Django-admin)", PLATFORM_EMAIL),
    ("Ouder (ouderportaal) – Sint-Jozefscollege", PORTAAL_EMAIL),
]

# --- names ---------------------------------------------------------------
# Groups of first names that go with the surnames, so a family reads as one.
# (girls, boys, women, men, surnames); weights roughly as in a Kortrijk school.
_ALGEMEEN_M = ["Lina", "Sara", "Emma", "Nora", "Ines", "Sofia", "Lea", "Maya"]
_ALGEMEEN_J = ["Adam", "Noah", "Liam", "Nathan", "Elias", "Lucas", "Sami", "Milan"]
NAAMGROEPEN = [
    (
        76,
        [
            "Lotte", "Mila", "Fien", "Nore", "Emma", "Olivia", "Louise", "Marie", "Julie",
            "Noor", "Ella", "Hanne", "Lore", "Amber", "Febe", "Jana", "Lena", "Liv", "Roos",
            "Axelle", "Chloé", "Manon", "Elise", "Anouk", "Margot", "Zoë", "Lisa", "Fleur",
            "Nina", "Paulien", "Jolien", "Ella-Rose", "Kato", "Lien", "Tess", "Hélène",
        ],
        [
            "Noah", "Arthur", "Jules", "Lucas", "Louis", "Liam", "Victor", "Finn", "Mathis",
            "Lars", "Seppe", "Wout", "Kobe", "Senne", "Milan", "Vince", "Oscar", "Warre",
            "Stan", "Lowie", "Jasper", "Ferre", "Cas", "Mats", "Tuur", "Rune", "Elias",
            "Nathan", "Robbe", "Thibo", "Jef", "Siebe", "Bent", "Xander", "Ruben", "Maxime",
        ],
        [
            "Katrien", "Sofie", "Sarah", "Ellen", "Nathalie", "Veerle", "An", "Els", "Tine",
            "Inge", "Evelien", "Leen", "Kathleen", "Griet", "Eva", "Joke", "Annelies",
            "Lieselot", "Delphine", "Stefanie", "Karen", "Liesbeth", "Charlotte", "Isabelle",
        ],
        [
            "Bart", "Tom", "Pieter", "Kristof", "Wim", "Stijn", "Koen", "Dries", "Jeroen",
            "Steven", "Frederik", "Jan", "Nico", "Davy", "Sven", "Thomas", "Bert", "Filip",
            "Geert", "Joris", "Wouter", "Brecht", "Lieven", "Dieter",
        ],
        [
            ("Peeters", 5), ("Janssens", 5), ("Maes", 5), ("Jacobs", 4), ("Mertens", 4),
            ("Willems", 4), ("Claes", 4), ("Goossens", 4), ("Wouters", 4), ("De Smet", 4),
            ("Vermeulen", 4), ("Desmet", 3), ("Vandenberghe", 4), ("Declercq", 4),
            ("Verhaeghe", 3), ("Vanhoutte", 3), ("Debruyne", 3), ("Deconinck", 3),
            ("Vercruysse", 3), ("Devos", 3), ("Vandamme", 3), ("Coppens", 2),
            ("Hendrickx", 2), ("Van den Broeck", 2), ("De Clercq", 2), ("Bogaert", 2),
            ("Martens", 2), ("Dewitte", 2), ("Vanneste", 2), ("Verstraete", 2),
            ("Callewaert", 2), ("Lammens", 2), ("Vandewalle", 2), ("Pattyn", 2),
            ("Demeyere", 2), ("Degryse", 2), ("Vanackere", 2), ("Deprez", 2),
            ("Ghekiere", 1), ("Soenens", 1), ("Vervaeke", 2), ("Lefebvre", 2), ("Dumont", 1),
            ("Dubois", 2), ("Lambert", 1), ("Vandeputte", 2), ("Vanhee", 1), ("Decock", 2),
            ("Defauw", 1), ("Verschuere", 1), ("Tanghe", 1), ("Vantomme", 1),
        ],
    ),
    (
        9,
        ["Yasmine", "Amira", "Aya", "Hiba", "Salma", "Imane", "Nour", "Malak", "Rania"],
        ["Amir", "Ilias", "Rayan", "Youssef", "Mohamed", "Bilal", "Zakaria", "Ayoub", "Anas"],
        ["Fatima", "Khadija", "Naima", "Samira", "Latifa", "Nadia", "Malika"],
        ["Mohamed", "Ahmed", "Rachid", "Karim", "Mustafa", "Said", "Hassan"],
        [
            ("El Amrani", 3), ("El Idrissi", 2), ("Benali", 2), ("Bouzid", 2),
            ("El Khattabi", 1), ("Azzouzi", 1), ("Amrani", 1), ("Bennani", 1),
        ],
    ),
    (
        6,
        ["Elif", "Zeynep", "Defne", "Azra", "Ecrin", "Eylül", "Melek"],
        ["Emir", "Yusuf", "Mert", "Kerem", "Efe", "Burak", "Arda"],
        ["Ayşe", "Fatma", "Emine", "Hatice", "Derya", "Esra"],
        ["Mehmet", "Ahmet", "Hasan", "Murat", "Ali", "Kemal"],
        [("Yilmaz", 3), ("Kaya", 2), ("Demir", 2), ("Çelik", 1), ("Öztürk", 1), ("Aydin", 1)],
    ),
    (
        5,
        ["Maja", "Zuzanna", "Julia", "Alicja", "Ioana", "Maria", "Hanna"],
        ["Kacper", "Jakub", "Filip", "Szymon", "Andrei", "Mihai", "Antoni"],
        ["Anna", "Katarzyna", "Agnieszka", "Monika", "Elena", "Ana"],
        ["Piotr", "Tomasz", "Marcin", "Krzysztof", "Ion", "Florin"],
        [
            ("Nowak", 3), ("Kowalski", 2), ("Wiśniewski", 1), ("Lewandowski", 1),
            ("Popescu", 1), ("Ionescu", 1),
        ],
    ),
    (
        2,
        ["Grace", "Merveille", "Divine", "Gloria", "Exaucée"],
        ["Jonathan", "Christ", "Samuel", "Exaucé", "Daniel"],
        ["Chantal", "Esther", "Nadine", "Solange", "Grace"],
        ["Jean-Paul", "Patrick", "Emmanuel", "Serge", "Didier"],
        [("Kabongo", 1), ("Mbuyi", 1), ("Tshibangu", 1), ("Mukendi", 1), ("Lukusa", 1)],
    ),
    (
        2,
        ["Mariam", "Zahra", "Sana", "Marwa", "Mahsa"],
        ["Omid", "Reza", "Mustafa", "Ahmad", "Arian"],
        ["Fatemeh", "Zainab", "Maryam", "Shirin"],
        ["Mohammad", "Reza", "Hamid", "Jawad"],
        [("Rahimi", 1), ("Ahmadi", 1), ("Hosseini", 1), ("Sultani", 1)],
    ),
]  # fmt: skip


@dataclass(frozen=True)
class NaamGroep:
    gewicht: int
    meisjes: list[str]
    jongens: list[str]
    vrouwen: list[str]
    mannen: list[str]
    achternamen: list[tuple[str, int]]


GROEPEN = [NaamGroep(*groep) for groep in NAAMGROEPEN]

GEMEENTEN = [
    ("8500", "Kortrijk", 6),
    ("8501", "Heule", 2),
    ("8510", "Marke", 1),
    ("8511", "Aalbeke", 1),
    ("8520", "Kuurne", 2),
    ("8530", "Harelbeke", 3),
    ("8540", "Deerlijk", 1),
    ("8550", "Zwevegem", 2),
    ("8560", "Wevelgem", 2),
    ("8570", "Anzegem", 1),
    ("8790", "Waregem", 2),
    ("8860", "Lendelede", 1),
]
STRATEN = [
    "Kerkstraat", "Stationsstraat", "Molenstraat", "Leiestraat", "Doorniksesteenweg",
    "Kortrijksestraat", "Beekstraat", "Zandstraat", "Nieuwstraat", "Groeningestraat",
    "Lindenlaan", "Populierenlaan", "Bosstraat", "Dorpsplein", "Heirweg", "Meensesteenweg",
    "Gentsesteenweg", "Vlasstraat", "Hoogstraat", "Veldstraat", "Rijselsestraat",
    "Sint-Amandsplein", "Overleiestraat", "Vlaswaagplein", "Brugsesteenweg", "Vaartstraat",
]  # fmt: skip

# --- secondary: tracks (richtingen) per grade and their subjects ------------
_KERN = ("Nederlands", "Frans", "Engels", "Wiskunde")
RICHTINGEN = {
    # grade: [(code, weight, subjects beside the core and LO)]
    1: [("", 1, ("Natuurwetenschappen", "Geschiedenis", "Aardrijkskunde"))],
    2: [("", 1, ("Natuurwetenschappen", "Geschiedenis", "Techniek"))],
    3: [
        ("ECO", 3, ("Economie", "Geschiedenis", "Aardrijkskunde")),
        ("LAT", 2, ("Latijn", "Geschiedenis", "Natuurwetenschappen")),
        ("HUW", 2, ("Gedragswetenschappen", "Geschiedenis", "Aardrijkskunde")),
        ("STEM", 3, ("Natuurwetenschappen", "Techniek", "Informatica")),
    ],
    5: [
        ("EMT", 3, ("Economie", "Duits", "Geschiedenis")),
        ("EWI", 2, ("Economie", "Aardrijkskunde", "Geschiedenis")),
        ("LMT", 1, ("Latijn", "Duits", "Geschiedenis")),
        ("LWI", 1, ("Latijn", "Fysica", "Geschiedenis")),
        ("WEWI", 3, ("Biologie", "Chemie", "Fysica")),
        ("HUW", 2, ("Gedragswetenschappen", "Filosofie", "Geschiedenis")),
    ],
}
RICHTINGEN[4] = RICHTINGEN[3]
RICHTINGEN[6] = RICHTINGEN[5]

BAS_KLASVAKKEN = ("Nederlands", "Wiskunde", "Wereldoriëntatie", "Muzische vorming")
BAS_DUOVAKKEN = ("Levensbeschouwing",)
DKO_DOMEINEN = [
    ("Beeld", ("Beeldatelier", "Kunstbeschouwing")),
    ("Muziek", ("Muziekcultuur", "Instrument", "Samenspel")),
    ("Woord", ("Woordatelier", "Toneel")),
    ("Dans", ("Dansatelier",)),
]


# --- the plan ------------------------------------------------------------
@dataclass(slots=True)
class Persoon:
    email: str
    voornaam: str
    achternaam: str
    rollen: list[tuple[str, str]] = field(default_factory=list)  # (school, rol)
    clb: bool = False
    superuser: bool = False
    # Directs the school group (zorg.accounts.Groepsdirectie): no school role.
    groepsdirectie: bool = False


@dataclass(slots=True)
class PlanKlas:
    school: str
    jaar: str  # HUIDIG or VORIG
    naam: str
    leerjaar: int
    campus: str | None
    vakken: tuple[str, ...] = ()
    titularissen: list[int] = field(default_factory=list)  # indexes into Plan.personen
    lesopdrachten: list[tuple[int, str]] = field(default_factory=list)  # (persoon, vak)


@dataclass(slots=True)
class PlanOuder:
    naam: str
    relatie: str
    telefoon: str
    email: str
    adres: str
    is_contactpersoon: bool


@dataclass(slots=True)
class PlanLeerling:
    school: str
    leerlingnummer: str
    voornaam: str
    achternaam: str
    geboortedatum: date
    # (class index into Plan.klassen, begin, einde, reden einde)
    inschrijvingen: list[tuple[int, date, date | None, str]]
    ouders: list[PlanOuder]


@dataclass
class Plan:
    seed: int
    jaar: int  # the current school year starts on 1 September of this year
    scholen: list[str]
    personen: list[Persoon] = field(default_factory=list)
    klassen: list[PlanKlas] = field(default_factory=list)
    leerlingen: list[PlanLeerling] = field(default_factory=list)


def huidig_startjaar(vandaag: date | None = None) -> int:
    """The year in which the current school year began (see kalender.startjaar)."""
    return startjaar(vandaag)


def ascii_deel(tekst: str) -> str:
    """'Van den Broeck' -> 'vandenbroeck', 'Zoë' -> 'zoe', for e-mail addresses."""
    tekst = unicodedata.normalize("NFKD", tekst).encode("ascii", "ignore").decode()
    return "".join(c for c in tekst.lower() if c.isalnum())


def _verdeel(aantal: int, delen: int) -> list[int]:
    basis, rest = divmod(aantal, delen)
    return [basis + (1 if i < rest else 0) for i in range(delen)]


def _over_richtingen(klassen: int, gewichten: list[int]) -> list[int]:
    """Classes per track: with fewer classes than tracks only the largest
    tracks get one; otherwise every track one and the rest by weight."""
    volgorde = sorted(range(len(gewichten)), key=lambda i: (-gewichten[i], i))
    if klassen <= len(gewichten):
        return [1 if i in volgorde[:klassen] else 0 for i in range(len(gewichten))]
    rest = klassen - len(gewichten)
    totaal = sum(gewichten)
    quota = [rest * w / totaal for w in gewichten]
    per = [1 + math.floor(q) for q in quota]
    over = klassen - sum(per)
    for i in sorted(volgorde, key=lambda i: -(quota[i] - math.floor(quota[i])))[:over]:
        per[i] += 1
    return per


def _letters(i: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, like spreadsheet columns."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


class _Bouwer:
    """Builds a Plan. Every random choice goes through self.rng, in a fixed
    order, so a seed fully determines the plan."""

    def __init__(self, seed: int, studenten: int, dko: bool, jaar: int):
        self.rng = random.Random(seed)
        self.jaar = jaar
        self.aantallen = {SEC: studenten, BAS: min(200, studenten)}
        if dko:
            self.aantallen[DKO] = 60
        self.plan = Plan(seed=seed, jaar=jaar, scholen=list(self.aantallen))
        self.emails: set[str] = set()
        self.groepen = range(len(GROEPEN))
        self.groepgewichten = list(accumulate(g.gewicht for g in GROEPEN))
        self.achternamen = [[naam for naam, _ in g.achternamen] for g in GROEPEN]
        self.achternaamgewichten = [list(accumulate(w for _, w in g.achternamen)) for g in GROEPEN]
        self.gemeentegewichten = list(accumulate(g[2] for g in GEMEENTEN))
        self.begin = date(jaar, 9, 1)
        self.vorig_begin = date(jaar - 1, 9, 1)
        self.vorig_einde = date(jaar, 6, 30)
        self.vorige: dict[tuple[str, str], int] = {}
        self.frans_secundair: int | None = None

    # -- people -----------------------------------------------------------
    def _groep(self) -> int:
        return self.rng.choices(self.groepen, cum_weights=self.groepgewichten)[0]

    def _achternaam(self, groep: int) -> str:
        return self.rng.choices(
            self.achternamen[groep], cum_weights=self.achternaamgewichten[groep]
        )[0]

    def _volwassene(self) -> tuple[str, str]:
        groep = 0 if self.rng.random() < 0.85 else self._groep()
        vrouw = self.rng.random() < 0.6
        voornaam = self.rng.choice(GROEPEN[groep].vrouwen if vrouw else GROEPEN[groep].mannen)
        return voornaam, self._achternaam(groep)

    def _email(self, voornaam: str, achternaam: str, domein: str) -> str:
        stam = f"{ascii_deel(voornaam)}.{ascii_deel(achternaam)}"
        email, n = f"{stam}@{domein}", 1
        while email in self.emails:
            n += 1
            email = f"{stam}{n}@{domein}"
        self.emails.add(email)
        return email

    def persoon(self, domein: str, email: str | None = None, **kwargs) -> int:
        voornaam, achternaam = self._volwassene()
        if email is None:
            email = self._email(voornaam, achternaam, domein)
        else:
            self.emails.add(email)
        self.plan.personen.append(Persoon(email, voornaam, achternaam, **kwargs))
        return len(self.plan.personen) - 1

    def hernoem(self, index: int, email: str) -> None:
        persoon = self.plan.personen[index]
        self.emails.discard(persoon.email)
        self.emails.add(email)
        persoon.email = email

    # -- the whole plan ---------------------------------------------------
    def bouw(self) -> Plan:
        self.persoon("zorg.example", PLATFORM_EMAIL, superuser=True)
        self.plan.personen[0].voornaam, self.plan.personen[0].achternaam = "Platform", "Beheer"
        for sleutel in self.plan.scholen:
            self.staf(sleutel)
        self.persoon(CLB_DOMEIN, f"clb@{CLB_DOMEIN}", clb=True)
        for _ in range(2):
            self.persoon(CLB_DOMEIN, clb=True)

        self.klassen_secundair()
        self.klassen_basis()
        if DKO in self.aantallen:
            self.klassen_dko()
        # Last year's classes mirror this year's (same names and grades), without
        # staff: they only carry the enrolment history.
        vorige = {}
        for klas in list(self.plan.klassen):
            vorige[(klas.school, klas.naam)] = len(self.plan.klassen)
            self.plan.klassen.append(
                PlanKlas(klas.school, VORIG, klas.naam, klas.leerjaar, klas.campus)
            )
        self.vorige = vorige

        self.leerkrachten_secundair()
        self.leerkrachten_basis()
        if DKO in self.aantallen:
            self.leerkrachten_dko()
        for sleutel in self.plan.scholen:
            self.leerlingen(sleutel)
        # Last, so the names drawn before stay those of earlier plans.
        self.persoon(GROEP_DOMEIN, f"groepsdirectie@{GROEP_DOMEIN}", groepsdirectie=True)
        return self.plan

    def staf(self, sleutel: str) -> None:
        spec = SCHOLEN[sleutel]
        benoemd = sleutel in (SEC, BAS)

        def rol(r, lokaal=None):
            email = f"{lokaal}@{spec.domein}" if benoemd and lokaal else None
            self.persoon(spec.domein, email, rollen=[(sleutel, r)])

        rol(Rol.DIRECTIE, "directie")
        rol(Rol.ZORGCOORDINATOR, "zorg")
        rol(Rol.ZORGCOORDINATOR)
        rol(Rol.SECRETARIAAT, "secretariaat" if sleutel == SEC else None)
        rol(Rol.BEHEERDER, "beheerder" if sleutel == SEC else None)

    # -- classes ----------------------------------------------------------
    def _klas(self, sleutel, naam, leerjaar, campus, vakken) -> None:
        self.plan.klassen.append(PlanKlas(sleutel, HUIDIG, naam, leerjaar, campus, vakken))

    def klassen_secundair(self) -> None:
        for leerjaar, aantal in enumerate(_verdeel(self.aantallen[SEC], 6), start=1):
            if not aantal:
                continue
            # The first grade (1st and 2nd year) is on its own campus.
            campus = SCHOLEN[SEC].campussen[0 if leerjaar <= 2 else 1]
            klassen = math.ceil(aantal / KLASGROOTTE)
            richtingen = RICHTINGEN[leerjaar]
            if len(richtingen) == 1:
                extra = richtingen[0][2]
                vakken = (*_KERN, *extra, "LO")
                for i in range(klassen):
                    self._klas(SEC, f"{leerjaar}{_letters(i)}", leerjaar, campus, vakken)
                continue
            per = _over_richtingen(klassen, [w for _, w, _ in richtingen])
            for (code, _, extra), n in zip(richtingen, per, strict=True):
                vakken = (*_KERN, *extra, "LO")
                for i in range(n):
                    naam = f"{leerjaar}{code}" if n == 1 else f"{leerjaar}{code}{i + 1}"
                    self._klas(SEC, naam, leerjaar, campus, vakken)

    def klassen_basis(self) -> None:
        for leerjaar, aantal in enumerate(_verdeel(self.aantallen[BAS], 6), start=1):
            for i in range(math.ceil(aantal / KLASGROOTTE)):
                vakken = (*BAS_KLASVAKKEN, *BAS_DUOVAKKEN, "Bewegingsopvoeding")
                if leerjaar >= 3:
                    vakken = (*vakken, "Frans")
                self._klas(BAS, f"L{leerjaar}{_letters(i)}", leerjaar, None, vakken)

    def klassen_dko(self) -> None:
        klassen = math.ceil(self.aantallen[DKO] / KLASGROOTTE)
        for i in range(klassen):
            domein, vakken = DKO_DOMEINEN[i % len(DKO_DOMEINEN)]
            graad = i // len(DKO_DOMEINEN) + 1
            self._klas(DKO, f"{domein} {graad}", graad, None, vakken)

    def _huidige_klassen(self, sleutel: str) -> list[int]:
        return [
            i for i, k in enumerate(self.plan.klassen) if k.school == sleutel and k.jaar == HUIDIG
        ]

    def _vakgroepen(self, sleutel: str, klas_ids: list[int], vakken) -> dict[str, list[int]]:
        """Per subject, the teachers that teach it, each with 3-6 classes."""
        domein = SCHOLEN[sleutel].domein
        leraren: dict[str, list[int]] = {}
        for vak in vakken:
            klassen = [k for k in klas_ids if vak in self.plan.klassen[k].vakken]
            stukken: list[list[int]] = []
            i = 0
            while i < len(klassen):
                n = self.rng.randint(3, 6)
                stukken.append(klassen[i : i + n])
                i += n
            if len(stukken) > 1 and len(stukken[-1]) < 3:
                rest = stukken.pop()
                for j, k in enumerate(rest):  # spread the rest over the last teachers
                    stukken[-1 - j % len(stukken)].append(k)
            leraren[vak] = []
            for stuk in stukken:
                p = self.persoon(domein, rollen=[(sleutel, Rol.LEERKRACHT)])
                leraren[vak].append(p)
                for k in stuk:
                    self.plan.klassen[k].lesopdrachten.append((p, vak))
        return leraren

    def leerkrachten_secundair(self) -> None:
        klas_ids = self._huidige_klassen(SEC)
        if not klas_ids:
            return
        leraren = self._vakgroepen(SEC, klas_ids, SCHOLEN[SEC].vakken)
        # Also teaches in the primary school (see leerkrachten_basis).
        self.frans_secundair = leraren["Frans"][0] if leraren["Frans"] else None
        # The named subject teacher: the mathematics teacher with most classes.
        wiskunde = leraren["Wiskunde"]
        les = dict.fromkeys(wiskunde, 0)
        for k in klas_ids:
            for p, _ in self.plan.klassen[k].lesopdrachten:
                if p in les:
                    les[p] += 1
        leerkracht = max(wiskunde, key=lambda p: (les[p], -p))
        self.hernoem(leerkracht, f"leerkracht@{SEC_DOMEIN}")
        # Class teachers: one of the class's own teachers, preferably one who
        # leads no other class; one class in five has a pair.
        gekozen: dict[int, int] = {}
        for k in klas_ids:
            klas = self.plan.klassen[k]
            kandidaten = sorted({p for p, _ in klas.lesopdrachten} - {leerkracht})
            vrij = [p for p in kandidaten if p not in gekozen] or kandidaten
            aantal = 2 if self.rng.random() < 0.2 and len(vrij) > 1 else 1
            for p in self.rng.sample(vrij, aantal):
                klas.titularissen.append(p)
                gekozen[p] = gekozen.get(p, 0) + 1
        # The named class teacher: the first who leads exactly one class (and
        # teaches in this school only).
        for k in klas_ids:
            enig = [
                p
                for p in self.plan.klassen[k].titularissen
                if gekozen[p] == 1 and p != self.frans_secundair
            ]
            if enig:
                self.hernoem(enig[0], f"titularis@{SEC_DOMEIN}")
                break

    def leerkrachten_basis(self) -> None:
        klas_ids = self._huidige_klassen(BAS)
        if not klas_ids:
            return
        domein = SCHOLEN[BAS].domein
        for k in klas_ids:
            klas = self.plan.klassen[k]
            p = self.persoon(domein, rollen=[(BAS, Rol.LEERKRACHT)])
            klas.titularissen.append(p)
            klas.lesopdrachten.extend((p, vak) for vak in BAS_KLASVAKKEN)
            duo = self.rng.random() < 0.2
            if duo:  # a job share: the second class teacher takes some subjects
                q = self.persoon(domein, rollen=[(BAS, Rol.LEERKRACHT)])
                klas.titularissen.append(q)
                klas.lesopdrachten.extend((q, vak) for vak in BAS_DUOVAKKEN)
            else:
                klas.lesopdrachten.extend((p, vak) for vak in BAS_DUOVAKKEN)
        leraren = self._vakgroepen(BAS, klas_ids, ("Bewegingsopvoeding", "Frans"))
        self.hernoem(leraren["Bewegingsopvoeding"][0], f"leerkracht@{BAS_DOMEIN}")
        # A person with roles in two schools: the secondary school's French
        # teacher also teaches French in the primary school's first group.
        frans = self.frans_secundair
        if frans is not None and leraren["Frans"]:
            vervangen = leraren["Frans"][0]
            for k in klas_ids:
                klas = self.plan.klassen[k]
                klas.lesopdrachten = [
                    (frans if p == vervangen else p, vak) for p, vak in klas.lesopdrachten
                ]
            self.plan.personen[frans].rollen.append((BAS, Rol.LEERKRACHT))
            self.plan.personen[vervangen].rollen = []  # not used: skipped when loading

    def leerkrachten_dko(self) -> None:
        klas_ids = self._huidige_klassen(DKO)
        self._vakgroepen(DKO, klas_ids, SCHOLEN[DKO].vakken)
        for k in klas_ids:
            klas = self.plan.klassen[k]
            klas.titularissen.append(klas.lesopdrachten[0][0])

    # -- students -----------------------------------------------------------
    def _datum(self, begin: date, einde: date) -> date:
        return begin + timedelta(days=self.rng.randint(0, (einde - begin).days))

    def _telefoon(self) -> str:
        r = self.rng
        return f"04{r.randint(70, 99)} {r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)}"

    def _adres(self) -> str:
        postcode, gemeente, _ = self.rng.choices(GEMEENTEN, cum_weights=self.gemeentegewichten)[0]
        straat = self.rng.choice(STRATEN)
        return f"{straat} {self.rng.randint(1, 180)}, {postcode} {gemeente}"

    def _ouder(self, voornaam, achternaam, relatie, adres, eerste) -> PlanOuder:
        email = ""
        if self.rng.random() < 0.95:
            nr = str(self.rng.randint(1, 99)) if self.rng.random() < 0.3 else ""
            email = f"{ascii_deel(voornaam)}.{ascii_deel(achternaam)}{nr}@ouders.example"
        telefoon = self._telefoon() if self.rng.random() < 0.97 else ""
        return PlanOuder(f"{voornaam} {achternaam}", relatie, telefoon, email, adres, eerste)

    def _gezin(self, groep: int, achternaam: str) -> list[PlanOuder]:
        r = self.rng
        vrouwen, mannen = GROEPEN[groep].vrouwen, GROEPEN[groep].mannen
        adres = self._adres()
        kans = r.random()
        if kans < 0.72:  # mother and father
            moeder_naam = achternaam if r.random() < 0.35 else self._achternaam(groep)
            moeder_adres = adres if r.random() < 0.85 else self._adres()
            ouders = [
                ("moeder", r.choice(vrouwen), moeder_naam, moeder_adres),
                ("vader", r.choice(mannen), achternaam, adres),
            ]
            if r.random() < 0.4:
                ouders.reverse()
        elif kans < 0.75:  # two parents, e.g. two mothers
            ouders = [
                ("ouder", r.choice(vrouwen), achternaam, adres),
                ("ouder", r.choice(vrouwen), self._achternaam(groep), adres),
            ]
        elif kans < 0.92:
            ouders = [("moeder", r.choice(vrouwen), self._achternaam(groep), adres)]
        elif kans < 0.97:
            ouders = [("vader", r.choice(mannen), achternaam, adres)]
        elif kans < 0.99:
            ouders = [("ouder", r.choice(vrouwen + mannen), achternaam, adres)]
        else:
            voornaam, naam = self._volwassene()
            relatie = "voogd" if r.random() < 0.5 else "pleegouder"
            ouders = [(relatie, voornaam, naam, self._adres())]
        return [
            self._ouder(voornaam, naam, relatie, adres, i == 0)
            for i, (relatie, voornaam, naam, adres) in enumerate(ouders)
        ]

    def _geboortejaar(self, sleutel: str, leerjaar: int) -> int:
        if sleutel == SEC:
            return self.jaar - 11 - leerjaar  # 1st year: turns 12 in September's year
        if sleutel == BAS:
            return self.jaar - 5 - leerjaar  # 1st year: turns 6
        return self.jaar - self.rng.randint(8, 17)

    def leerlingen(self, sleutel: str) -> None:
        r = self.rng
        nummer = SCHOLEN[sleutel].nummer_start
        klassen = self._huidige_klassen(sleutel)
        per_leerjaar: dict[int, list[int]] = {}
        for k in klassen:
            per_leerjaar.setdefault(self.plan.klassen[k].leerjaar, []).append(k)
        vorige_per_leerjaar = {
            lj: [self.vorige[(sleutel, self.plan.klassen[k].naam)] for k in ks]
            for lj, ks in per_leerjaar.items()
        }
        aantallen = (
            _verdeel(self.aantallen[sleutel], 6) if sleutel != DKO else [self.aantallen[DKO]]
        )
        for positie, aantal in enumerate(aantallen):
            eigen = klassen if sleutel == DKO else per_leerjaar.get(positie + 1, [])
            for i in range(aantal):
                k = eigen[i % len(eigen)]
                klas = self.plan.klassen[k]
                groep = self._groep()
                meisje = r.random() < 0.5
                namen = GROEPEN[groep].meisjes if meisje else GROEPEN[groep].jongens
                if groep and r.random() < 0.15:
                    namen = _ALGEMEEN_M if meisje else _ALGEMEEN_J
                voornaam = r.choice(namen)
                achternaam = self._achternaam(groep)
                geboortejaar = self._geboortejaar(sleutel, klas.leerjaar)
                inschrijvingen = []
                vorige = self._vorige_klas(sleutel, klas, vorige_per_leerjaar)
                if vorige is not None:
                    vorige_klas, zittenblijver = vorige
                    if zittenblijver:
                        geboortejaar -= 1
                    inschrijvingen.extend(self._vorig_jaar(vorige_klas, vorige_per_leerjaar))
                inschrijvingen.append((k, self.begin, None, ""))
                geboortedatum = self._datum(date(geboortejaar, 1, 1), date(geboortejaar, 12, 31))
                self.plan.leerlingen.append(
                    PlanLeerling(
                        sleutel,
                        str(nummer),
                        voornaam,
                        achternaam,
                        geboortedatum,
                        inschrijvingen,
                        self._gezin(groep, achternaam),
                    )
                )
                nummer += 1

    def _vorige_klas(self, sleutel, klas, vorige_per_leerjaar) -> tuple[int, bool] | None:
        """Last year's class, and whether the student repeated the year; None for
        a newcomer."""
        r = self.rng
        if sleutel == DKO:
            if r.random() < 0.65:
                return self.vorige[(DKO, klas.naam)], False
            return None
        kans = r.random()
        if klas.leerjaar == 1:
            # First years come from kindergarten or from primary school
            # elsewhere; a few repeat the first year.
            if kans < 0.03:
                return r.choice(vorige_per_leerjaar[1]), True
            return None
        if kans < 0.04:
            return r.choice(vorige_per_leerjaar[klas.leerjaar]), True
        if kans < 0.96 and klas.leerjaar - 1 in vorige_per_leerjaar:
            return r.choice(vorige_per_leerjaar[klas.leerjaar - 1]), False
        return None  # new in this school

    def _vorig_jaar(self, vorige_klas: int, vorige_per_leerjaar):
        """Last year's enrolments: usually one; for a few, a change of class."""
        if self.rng.random() < 0.015:
            wissel = self._datum(date(self.jaar - 1, 11, 1), date(self.jaar, 2, 28))
            lj = self.plan.klassen[vorige_klas].leerjaar
            andere = [k for k in vorige_per_leerjaar.get(lj, []) if k != vorige_klas]
            if andere:
                tweede = self.rng.choice(andere)
                return [
                    (vorige_klas, self.vorig_begin, wissel, "klaswissel"),
                    (tweede, wissel + timedelta(days=1), self.vorig_einde, "einde schooljaar"),
                ]
        return [(vorige_klas, self.vorig_begin, self.vorig_einde, "einde schooljaar")]


def maak_plan(
    seed: int = STANDAARD_SEED,
    studenten: int = STANDAARD_AANTAL,
    dko: bool = False,
    jaar: int | None = None,
) -> Plan:
    """The whole demo school group as plain data. Pure: no database, and the
    same arguments always give the same plan."""
    if studenten < 1:
        raise ValueError("the demo needs at least one student")
    return _Bouwer(seed, studenten, dko, jaar if jaar is not None else huidig_startjaar()).bouw()
