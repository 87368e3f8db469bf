"""The care-policy report as tables: one model for every way it leaves the
figures (the page, the PDF, the CSV and the spreadsheet).

`rapport_opbouwen(vergelijking, beschermd=...)` turns this year's and last
year's figures (zorgbeleid.cijfers) into sections of tables with labels in
the reader's language. Each table is a list of rows, each row a label and
its cells; a cell is an int, a float (a share in %, a median), None (no
value: nothing to compute it over, or hidden with a small count) or the
string "< 5" (zorgbeleid.kleine_aantallen).

- `beschermd=True`: the figures as they leave the school (PDF, CSV, XLSX):
  small counts hidden, statistics over them removed.
- `beschermd=False`: the exact figures, for the care team's own screen
  (marked internal there).

Nothing here queries the database except for the names of the school
type's phases; nothing names a student or a staff member.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clb.models import Doel, Trajectstap, Uitkomst
from klassenraad.models import BeslissingSoort, OverlegSoort
from leerlingen.models import (
    Aanmelding,
    Bereik,
    MaatregelEvaluatie,
    MaatregelSoort,
    Remediering,
    VlagKleur,
    Zorgfase,
)

from .cijfers import DOMEINSLEUTELS, ZONDER_CAMPUS, ZONDER_KLAS, Jaarvergelijking
from .kleine_aantallen import beschermen
from .models import Verwachting

Cel = int | float | str | None


@dataclass
class Rij:
    label: str
    cellen: list[Cel]
    # A total or a share: shown in bold, and not charted as a category.
    totaal: bool = False


@dataclass
class Tabel:
    sleutel: str
    titel: str
    kolommen: list[str]
    rijen: list[Rij]
    # What is counted and in which unit (days, minutes, %).
    toelichting: str = ""
    # How the page may chart it: "staaf" (columns side by side: this year
    # beside last year), "gestapeld" (a column per row, stacked), or None
    # (a table of statistics, not charted).
    grafiek: str | None = None

    def waarden(self, kolom: int) -> list[Cel]:
        return [r.cellen[kolom] for r in self.rijen if not r.totaal]


@dataclass
class Sectie:
    sleutel: str
    titel: str
    tabellen: list[Tabel]
    # The quality expectations whose reflection these figures support.
    verwachtingen: list[str] = field(default_factory=list)


@dataclass
class Rapport:
    schooljaar: str
    vorig_schooljaar: str | None
    beschermd: bool
    secties: list[Sectie]

    def sectie(self, sleutel: str) -> Sectie:
        return next(s for s in self.secties if s.sleutel == sleutel)

    def tabellen(self):
        for sectie in self.secties:
            for tabel in sectie.tabellen:
                yield sectie, tabel


# Which figures support the reflection on which quality expectation.
VERWACHTINGEN_PER_SECTIE = {
    "continuum": [Verwachting.VISIE, Verwachting.PASSEND],
    "maatregelen": [Verwachting.PASSEND, Verwachting.VISIE],
    "observaties": [Verwachting.DOMEINEN],
    "vlaggen": [Verwachting.VISIE, Verwachting.DOMEINEN],
    "overleggen": [Verwachting.SAMEN, Verwachting.VISIE],
    "clb": [Verwachting.SAMEN, Verwachting.PASSEND],
    "remediering": [Verwachting.PASSEND, Verwachting.VISIE],
}


def secties_voor_verwachting(rapport: Rapport, verwachting: str) -> list[Sectie]:
    return [s for s in rapport.secties if verwachting in s.verwachtingen]


# --- building blocks --------------------------------------------------------------


def _pad(d: dict | None, *sleutels):
    for sleutel in sleutels:
        if d is None:
            return None
        d = d.get(sleutel) if isinstance(d, dict) else None
    return d


class _Jaren:
    """This year's and last year's figures (dicts), and the columns that
    compare them."""

    def __init__(self, dit: dict, vorig: dict | None):
        self.dit, self.vorig = dit, vorig

    @property
    def kolommen(self) -> list[str]:
        kolommen = [self.dit["schooljaar"]]
        if self.vorig is not None:
            kolommen.append(self.vorig["schooljaar"])
        return kolommen

    def cellen(self, haal: Callable[[dict], Cel]) -> list[Cel]:
        uit = [haal(self.dit)]
        if self.vorig is not None:
            uit.append(haal(self.vorig))
        return uit

    def rij(self, label: str, *pad, totaal: bool = False) -> Rij:
        return Rij(str(label), self.cellen(lambda d: _pad(d, *pad)), totaal=totaal)

    def verdeling(self, eenheid: str, *pad) -> list[Rij]:
        return [
            self.rij(_("aantal"), *pad, "n"),
            self.rij(_("mediaan (%(eenheid)s)") % {"eenheid": eenheid}, *pad, "mediaan"),
            self.rij(_("90ste percentiel (%(eenheid)s)") % {"eenheid": eenheid}, *pad, "p90"),
        ]

    def aandeel(self, teller: str, noemer: str, *pad) -> list[Rij]:
        return [
            self.rij(teller, *pad, "teller"),
            self.rij(noemer, *pad, "noemer"),
            self.rij(_("aandeel (%)"), *pad, "procent", totaal=True),
        ]

    def verdeling_per(self, keuzes, *pad, met_totaal=False) -> list[Rij]:
        """A row per choice of `keuzes` (value, label) of the dict at `pad`;
        missing keys count 0 (the figures leave out empty groups)."""
        rijen = [
            Rij(str(label), self.cellen(lambda d, k=waarde: _pad(d, *pad, k) or 0))
            for waarde, label in keuzes
        ]
        if met_totaal:
            rijen.append(
                Rij(
                    _("totaal"),
                    [_som(r.cellen[i] for r in rijen) for i in range(len(self.kolommen))],
                    totaal=True,
                )
            )
        return rijen


def _uitsplitsingen(per_leerjaar: str, per_campus: str):
    """A section's breakdowns per grade and per campus (its `per_leerjaar`
    and `per_campus`): their key, their table's title and how a group is
    named."""
    return [
        ("per_leerjaar", per_leerjaar, _leerjaarlabel),
        ("per_campus", per_campus, _campuslabel),
    ]


def _uitsplitsingstabellen(
    j: _Jaren,
    pad: tuple,
    titels: tuple[str, str],
    *,
    kolommen: list[str],
    cellen: Callable[[tuple, str], list[Cel]],
    toelichting: str,
    grafiek: str,
) -> list[Tabel]:
    """A section's tables per grade and per campus (those the figures have):
    a row per group, `cellen(pad, groep)` its cells."""
    tabellen = []
    for sleutel, titel, label in _uitsplitsingen(*titels):
        bij = (*pad, sleutel)
        groepen = _groepen(j, *bij)
        if groepen:
            tabellen.append(
                Tabel(
                    sleutel=f"{pad[0]}_{sleutel}",
                    titel=titel,
                    kolommen=kolommen,
                    rijen=[Rij(label(g), cellen(bij, g)) for g in groepen],
                    toelichting=toelichting,
                    grafiek=grafiek,
                )
            )
    return tabellen


def _leerjaarlabel(groep: str) -> str:
    return _("zonder klas") if groep == ZONDER_KLAS else _("leerjaar %(n)s") % {"n": groep}


def _campuslabel(groep: str) -> str:
    # A group's campus key is "<school> / <campus>".
    school, _streep, campus = groep.rpartition(" / ")
    naam = _("zonder campus") if campus == ZONDER_CAMPUS else campus
    return f"{school} / {naam}" if school else naam


def _groepen(j: _Jaren, *pad) -> list[str]:
    """The groups of the breakdown at `pad` in this year's or last year's
    figures, in the figures' order (this year's first)."""
    groepen: list[str] = []
    for d in (j.dit, j.vorig):
        groepen += [g for g in (_pad(d, *pad) or {}) if g not in groepen]
    return groepen


def _in_uitsplitsing(d: dict | None, pad: tuple, groep: str, *cel) -> Cel:
    """A cell of the breakdown at `pad`: 0 for a group the year did not
    have, None when that year has no such breakdown (no campuses then)."""
    uitsplitsing = _pad(d, *pad)
    if not uitsplitsing:
        return None
    waarde = _pad(uitsplitsing, groep, *cel)
    return 0 if waarde is None else waarde


def _som(cellen) -> Cel:
    """The total of a column of cells: None when a cell is hidden (a total
    next to a hidden cell would give it away only with its other cells, but
    a total of hidden cells is itself unknown)."""
    totaal = 0
    for cel in cellen:
        if not isinstance(cel, int):
            return None
        totaal += cel
    return totaal


def fasenamen(schooltype: str) -> dict[str, str]:
    """The phase numbers ("0".."3") of the school type and their names."""
    return {
        str(f.nummer): f"{f.nummer}. {f.weergavenaam}"
        for f in Zorgfase.objects.filter(schooltype=schooltype).order_by("nummer")
    }


def _datum(iso: str) -> str:
    return date_format(datetime.date.fromisoformat(iso), "j F Y")


def _maandlabel(maand: str) -> str:
    jaar, nummer = maand.split("-")
    return date_format(datetime.date(int(jaar), int(nummer), 1), "F")


# --- the sections ---------------------------------------------------------------


def _continuum(j: _Jaren, fasen: dict[str, str]) -> Sectie:
    tabellen = []
    for d in (j.dit, j.vorig):
        if d is None:
            continue
        peildata = d["continuum"]["peildata"]
        rijen = [
            Rij(naam, [p["per_fase"].get(nummer, 0) for p in peildata])
            for nummer, naam in fasen.items()
        ]
        rijen.append(Rij(_("totaal"), [p["totaal"] for p in peildata], totaal=True))
        tabellen.append(
            Tabel(
                sleutel=f"fasen_{d['schooljaar']}",
                titel=_("Leerlingen per zorgfase op de peildata, %(jaar)s")
                % {"jaar": d["schooljaar"]},
                kolommen=[_datum(p["datum"]) for p in peildata],
                rijen=rijen,
                toelichting=_(
                    "Ingeschreven leerlingen op 1 oktober, 1 februari, 30 juni en vandaag "
                    "(of de laatste dag van het schooljaar)."
                ),
                grafiek="gestapeld",
            )
        )
    laatste = (j.dit["continuum"]["peildata"] or [None])[-1]
    if laatste:
        for sleutel, titel, groepen, label in (
            ("per_leerjaar", _("Per leerjaar"), laatste["per_leerjaar"], _("leerjaar %(n)s")),
            ("per_campus", _("Per campus"), laatste["per_campus"], "%(n)s"),
        ):
            if not groepen:
                continue
            rijen = [
                Rij(
                    _("zonder campus") if groep == ZONDER_CAMPUS else label % {"n": groep},
                    [cellen.get(nummer, 0) for nummer in fasen],
                )
                for groep, cellen in groepen.items()
            ]
            tabellen.append(
                Tabel(
                    sleutel=f"fasen_{sleutel}",
                    titel=_("%(titel)s, op %(datum)s")
                    % {"titel": titel, "datum": _datum(laatste["datum"])},
                    kolommen=list(fasen.values()),
                    rijen=rijen,
                    toelichting=_("Volgens de klas waarin de leerling op die datum zat."),
                )
            )
    c = ("continuum",)
    tabellen.append(
        Tabel(
            sleutel="bewegingen",
            titel=_("Bewegingen in het zorgcontinuüm"),
            kolommen=j.kolommen,
            rijen=[
                j.rij(_("overgangen naar een hogere fase"), *c, "wijzigingen_op"),
                j.rij(_("overgangen naar een lagere fase"), *c, "wijzigingen_af"),
                j.rij(_("leerlingen die opschoven naar een hogere fase"), *c, "leerlingen_op"),
                j.rij(_("leerlingen die terugkeerden naar een lagere fase"), *c, "leerlingen_af"),
            ],
            grafiek="staaf",
        )
    )
    verblijf = []
    for fase in ("1", "2"):
        naam = fasen.get(fase, fase)
        for rij in j.verdeling(_("dagen"), *c, "verblijf", fase):
            rij.label = f"{naam}: {rij.label}"
            verblijf.append(rij)
    tabellen.append(
        Tabel(
            sleutel="verblijf",
            titel=_("Tijd in fase 1 en fase 2"),
            kolommen=j.kolommen,
            rijen=verblijf,
            toelichting=_(
                "Verblijven die in het schooljaar eindigden, van de overgang naar de fase tot "
                "de overgang eruit, in dagen."
            ),
        )
    )
    stappen = [
        j.rij(_("leerlingen in uitbreiding van zorg"), *c, "fase2_leerlingen", totaal=True),
        j.rij(_("van wie met een lopend HGD-traject"), *c, "fase2_met_traject"),
    ]
    stappen += [
        Rij(
            _("traject in stap: %(stap)s") % {"stap": label},
            j.cellen(lambda d, s=stap: _pad(d, *c, "fase2_traject_per_stap", s) or 0),
        )
        for stap, label in Trajectstap.choices
    ]
    tabellen.append(
        Tabel(
            sleutel="uitbreiding",
            titel=_("Uitbreiding van zorg en HGD-trajecten"),
            kolommen=j.kolommen,
            rijen=stappen,
            toelichting=_("Op de laatste peildatum."),
        )
    )
    return Sectie("continuum", _("Zorgcontinuüm"), tabellen)


def _maatregelen(j: _Jaren) -> Sectie:
    m = ("maatregelen",)
    per_soort_bereik = Tabel(
        sleutel="maatregelen_per_soort",
        titel=_("Maatregelen per soort (STICORDI) en bereik, %(jaar)s")
        % {"jaar": j.dit["schooljaar"]},
        kolommen=[str(label) for _w, label in Bereik.choices],
        rijen=[
            Rij(
                str(label),
                [_pad(j.dit, *m, "per_soort", soort, bereik) or 0 for bereik in Bereik.values],
            )
            for soort, label in MaatregelSoort.choices
        ],
        toelichting=_(
            "Maatregelen die in het schooljaar liepen. Alle maatregelen in Zorg gelden voor "
            "één leerling (individueel)."
        ),
        grafiek="gestapeld",
    )
    per_soort = Tabel(
        sleutel="maatregelen_soort_vergelijking",
        titel=_("Maatregelen per soort, vergeleken met vorig jaar"),
        kolommen=j.kolommen,
        rijen=[
            Rij(
                str(label),
                j.cellen(lambda d, s=soort: _som((_pad(d, *m, "per_soort", s) or {}).values())),
            )
            for soort, label in MaatregelSoort.choices
        ]
        + [
            j.rij(_("maatregelen in totaal"), *m, "totaal", totaal=True),
            j.rij(_("leerlingen met een maatregel"), *m, "leerlingen", totaal=True),
        ],
        grafiek="staaf",
    )
    tijdig = Tabel(
        sleutel="maatregelen_tijdig",
        titel=_("Tijdig geëvalueerd"),
        kolommen=j.kolommen,
        rijen=j.aandeel(
            _("evaluaties op of vóór hun termijn"),
            _("evaluatietermijnen verstreken in het schooljaar"),
            *m,
            "tijdig_geevalueerd",
        ),
        toelichting=_(
            "De termijn is de evaluatiedatum zoals die vastgelegd werd toen de evaluatie "
            "gepland werd: een latere verschuiving telt niet. Een termijn die verstreek zonder "
            "evaluatie telt als te laat, tenzij de maatregel vóór de termijn stopte. Termijnen "
            "die nog komen, tellen nog niet mee."
        ),
    )
    effect = Tabel(
        sleutel="maatregelen_effect",
        titel=_("Effect bij de laatste evaluatie in het schooljaar"),
        kolommen=j.kolommen,
        rijen=j.verdeling_per(MaatregelEvaluatie.Effect.choices, *m, "effect", met_totaal=True),
        grafiek="staaf",
    )
    redenen = [
        (f"na_evaluatie_{w}", _("gestopt na evaluatie: %(effect)s") % {"effect": label})
        for w, label in MaatregelEvaluatie.Effect.choices
    ] + [("zonder_evaluatie", _("gestopt zonder evaluatie"))]
    gestopt = Tabel(
        sleutel="maatregelen_gestopt",
        titel=_("Gestopte maatregelen en waarom"),
        kolommen=j.kolommen,
        rijen=j.verdeling_per(redenen, *m, "gestopt", met_totaal=True),
        grafiek="staaf",
    )
    uitsplitsingen = _uitsplitsingstabellen(
        j,
        m,
        (_("Maatregelen per leerjaar"), _("Maatregelen per campus")),
        kolommen=j.kolommen,
        cellen=lambda pad, g: j.cellen(lambda d: _in_uitsplitsing(d, pad, g)),
        toelichting=_(
            "Maatregelen die in het schooljaar liepen, volgens de klas van de leerling "
            "op de eerste dag van de maatregel in het schooljaar (de start, of 1 "
            "september voor een maatregel van vroeger). Een maatregel telt één keer, "
            "ook als de leerling later van klas veranderde."
        ),
        grafiek="staaf",
    )
    return Sectie(
        "maatregelen",
        _("Maatregelen"),
        [per_soort_bereik, per_soort, tijdig, effect, gestopt, *uitsplitsingen],
    )


def _fiches_en_bereikt(rij: dict) -> list[Cel]:
    """The forms of a group (unknown when a cell of it is hidden) and those
    that achieved their aim."""
    return [_som([rij.get("bereikt", 0), rij.get("anders", 0)]), rij.get("bereikt", 0)]


def _remediering(j: _Jaren) -> Sectie:
    r = ("remedieringen",)
    kolommen = [_("fiches"), _("doel bereikt")]

    def bereikt_tabel(sleutel: str, titel: str, groepen) -> Tabel:
        return Tabel(
            sleutel=f"remediering_{sleutel}",
            titel=titel % {"jaar": j.dit["schooljaar"]},
            kolommen=kolommen,
            rijen=[
                Rij(str(label), _fiches_en_bereikt(_pad(j.dit, *r, sleutel, g) or {}))
                for g, label in groepen
            ],
            toelichting=_(
                "Remediëring- en differentiatiefiches van de klassen van het schooljaar, "
                "en hoeveel ervan afgerond werden met het doel bereikt."
            ),
            grafiek="staaf",
        )

    leerjaren = [(g, _leerjaarlabel(g)) for g in _groepen(j, *r, "per_leerjaar")]
    return Sectie(
        "remediering",
        _("Remediëring en differentiatie"),
        [
            Tabel(
                sleutel="remediering_vergelijking",
                titel=_("Fiches per aanpak, vergeleken met vorig jaar"),
                kolommen=j.kolommen,
                rijen=[
                    Rij(
                        str(label),
                        j.cellen(
                            lambda d, a=aanpak: _fiches_en_bereikt(
                                _pad(d, *r, "per_aanpak", a) or {}
                            )[0]
                        ),
                    )
                    for aanpak, label in Remediering.Aanpak.choices
                ]
                + [j.rij(_("fiches in totaal"), *r, "totaal", totaal=True)],
                grafiek="staaf",
            ),
            bereikt_tabel(
                "per_aanpak", _("Doel bereikt per aanpak, %(jaar)s"), Remediering.Aanpak.choices
            ),
            *(
                [bereikt_tabel("per_leerjaar", _("Doel bereikt per leerjaar, %(jaar)s"), leerjaren)]
                if leerjaren
                else []
            ),
            Tabel(
                sleutel="remediering_niveau",
                titel=_("Voor wie: de klas, een groep of één leerling"),
                kolommen=j.kolommen,
                rijen=j.verdeling_per(Remediering.Niveau.choices, *r, "per_niveau"),
                toelichting=_("Niet alles vraagt een aanpak per leerling: eerst de klas."),
                grafiek="staaf",
            ),
        ],
    )


def _observaties(j: _Jaren) -> Sectie:
    from leerlingen import domeinen

    labels = dict(domeinen.KEUZES)
    kolommen, rijen = [], []
    for jaar in j.kolommen:
        kolommen += [
            _("sterktes %(jaar)s") % {"jaar": jaar},
            _("zorgen %(jaar)s") % {"jaar": jaar},
        ]
    for bit, sleutel in DOMEINSLEUTELS.items():
        cellen: list[Cel] = []
        for d in (j.dit, j.vorig):
            if d is not None:
                cellen += [
                    _pad(d, "observaties", "per_domein", sleutel, "sterkte"),
                    _pad(d, "observaties", "per_domein", sleutel, "zorg"),
                ]
        rijen.append(Rij(str(labels[bit]), cellen))
    o = ("observaties",)
    uitsplitsingen = _uitsplitsingstabellen(
        j,
        o,
        (
            _("Leerlingen met een sterkte of zorg per leerjaar"),
            _("Leerlingen met een sterkte of zorg per campus"),
        ),
        kolommen=[
            _("leerlingen met een sterkte %(jaar)s") % {"jaar": jaar}
            if soort == "sterkte"
            else _("leerlingen met een zorg %(jaar)s") % {"jaar": jaar}
            for jaar in j.kolommen
            for soort in ("sterkte", "zorg")
        ],
        cellen=lambda pad, g: [
            _in_uitsplitsing(d, pad, g, soort)
            for d in (j.dit, j.vorig)
            if d is not None
            for soort in ("sterkte", "zorg")
        ],
        toelichting=_(
            "Leerlingen met een observatie in het schooljaar, volgens hun klas op de "
            "datum van de observatie. Wie van leerjaar of campus veranderde, telt bij "
            "elk waar iets genoteerd werd."
        ),
        grafiek="staaf",
    )
    return Sectie(
        "observaties",
        _("Observaties per begeleidingsdomein"),
        [
            Tabel(
                sleutel="observaties_per_domein",
                titel=_("Sterktes en zorgen per domein"),
                kolommen=kolommen,
                rijen=rijen,
                toelichting=_(
                    "Observaties in het schooljaar; een observatie over twee domeinen telt in "
                    "beide."
                ),
                grafiek="staaf",
            ),
            Tabel(
                sleutel="observaties_leerlingen",
                titel=_("Leerlingen met een observatie"),
                kolommen=j.kolommen,
                rijen=[
                    j.rij(_("leerlingen met een genoteerde sterkte"), *o, "leerlingen_met_sterkte"),
                    j.rij(_("leerlingen met een genoteerde zorg"), *o, "leerlingen_met_zorg"),
                ],
            ),
            *uitsplitsingen,
        ],
    )


def _vlaggen(j: _Jaren) -> Sectie:
    v = ("vlaggen",)
    maanden_dit = list(j.dit["vlaggen"]["per_kleur_per_maand"][VlagKleur.GROEN])
    maanden_vorig = (
        list(j.vorig["vlaggen"]["per_kleur_per_maand"][VlagKleur.GROEN]) if j.vorig else []
    )
    kolommen = []
    for _k, label in VlagKleur.choices:
        for jaar in j.kolommen:
            kolommen.append(f"{label} {jaar}")
    rijen = []
    for i, maand in enumerate(maanden_dit):
        cellen: list[Cel] = []
        for kleur in VlagKleur.values:
            cellen.append(_pad(j.dit, *v, "per_kleur_per_maand", kleur, maand))
            if j.vorig is not None:
                vorige_maand = maanden_vorig[i] if i < len(maanden_vorig) else None
                cellen.append(
                    _pad(j.vorig, *v, "per_kleur_per_maand", kleur, vorige_maand)
                    if vorige_maand
                    else None
                )
        rijen.append(Rij(_maandlabel(maand), cellen))
    per_maand = Tabel(
        sleutel="vlaggen_per_maand",
        titel=_("Vlaggen per kleur per maand, met vorig jaar"),
        kolommen=kolommen,
        rijen=rijen,
        toelichting=_("Incidenten per maand van het schooljaar (september tot augustus)."),
        grafiek="maanden",
    )
    per_kleur = Tabel(
        sleutel="vlaggen_per_kleur",
        titel=_("Vlaggen per kleur"),
        kolommen=j.kolommen,
        rijen=j.verdeling_per(VlagKleur.choices, *v, "per_kleur", met_totaal=True),
        grafiek="staaf",
    )
    rood = Tabel(
        sleutel="vlaggen_rood",
        titel=_("Rode vlaggen: erkenning en opvolging"),
        kolommen=j.kolommen,
        rijen=[
            *j.verdeling(_("minuten"), *v, "rood_tot_erkenning_minuten"),
            *j.aandeel(
                _("rode vlaggen met opvolging"),
                _("rode vlaggen"),
                *v,
                "rood_met_opvolging",
            ),
        ],
        toelichting=_(
            "Tijd van het incident tot de erkenning door het zorgteam, voor erkende rode vlaggen."
        ),
    )
    signalen = Tabel(
        sleutel="vlaggen_signalen",
        titel=_("Patroonsignalen"),
        kolommen=j.kolommen,
        rijen=[
            j.rij(_("signalen"), *v, "signalen"),
            j.rij(_("leerlingen met een signaal"), *v, "signalen_leerlingen"),
        ],
    )
    uitsplitsingen = _uitsplitsingstabellen(
        j,
        v,
        (_("Vlaggen per kleur per leerjaar"), _("Vlaggen per kleur per campus")),
        # As the months: a column per colour and year.
        kolommen=kolommen,
        cellen=lambda pad, g: [
            _in_uitsplitsing(d, pad, g, kleur)
            for kleur in VlagKleur.values
            for d in (j.dit, j.vorig)
            if d is not None
        ],
        toelichting=_("Vlaggen van het schooljaar volgens de klas waarin het incident gebeurde."),
        # Charted as the months: this year's colours stacked per row.
        grafiek="maanden",
    )
    return Sectie(
        "vlaggen", _("Gedragsvlaggen"), [per_maand, per_kleur, rood, signalen, *uitsplitsingen]
    )


def _overleggen(j: _Jaren) -> Sectie:
    o = ("overleggen",)
    return Sectie(
        "overleggen",
        _("Overleg"),
        [
            Tabel(
                sleutel="overleggen_gehouden",
                titel=_("Gehouden overleggen per soort"),
                kolommen=j.kolommen,
                rijen=j.verdeling_per(OverlegSoort.choices, *o, "gehouden_per_soort"),
                grafiek="staaf",
            ),
            Tabel(
                sleutel="overleggen_besproken",
                titel=_("Besproken leerlingen per soort overleg"),
                kolommen=j.kolommen,
                rijen=j.verdeling_per(OverlegSoort.choices, *o, "leerlingen_besproken_per_soort"),
                toelichting=_("Elke leerling één keer per soort overleg."),
                grafiek="staaf",
            ),
            Tabel(
                sleutel="overleggen_beslissingen",
                titel=_("Beslissingen per soort"),
                kolommen=j.kolommen,
                rijen=j.verdeling_per(
                    BeslissingSoort.choices, *o, "beslissingen_per_soort", met_totaal=True
                ),
                grafiek="staaf",
            ),
            Tabel(
                sleutel="overleggen_actiepunten",
                titel=_("Actiepunten tijdig afgerond"),
                kolommen=j.kolommen,
                rijen=j.aandeel(
                    _("afgerond op of vóór de vervaldatum"),
                    _("actiepunten met een vervaldatum tot de laatste peildatum"),
                    *o,
                    "actiepunten_tijdig",
                ),
            ),
        ],
    )


def _clb(j: _Jaren) -> Sectie:
    c = ("clb",)
    return Sectie(
        "clb",
        _("CLB (gedeelde gegevens)"),
        [
            Tabel(
                sleutel="clb_aanmeldingen",
                titel=_("Aanmeldingen bij het CLB"),
                kolommen=j.kolommen,
                rijen=[
                    *j.verdeling_per(Aanmelding.Bron.choices, *c, "aanmeldingen_per_bron"),
                    j.rij(_("aanmeldingen in totaal"), *c, "aanmeldingen", totaal=True),
                    j.rij(_("schriftelijke consultaties"), *c, "consultaties"),
                ],
                grafiek="staaf",
            ),
            Tabel(
                sleutel="clb_aanvaarding",
                titel=_("Van aanmelding tot aanvaarding"),
                kolommen=j.kolommen,
                rijen=j.verdeling(_("dagen"), *c, "dagen_tot_aanvaarding"),
                toelichting=_("Trajecten die in het schooljaar startten."),
            ),
            Tabel(
                sleutel="clb_trajecten",
                titel=_("HGD-trajecten per stap en uitkomst"),
                kolommen=j.kolommen,
                rijen=[
                    Rij(
                        _("lopend, in stap: %(stap)s") % {"stap": label},
                        j.cellen(lambda d, s=w: _pad(d, *c, "trajecten_per_stap", s) or 0),
                    )
                    for w, label in Trajectstap.choices
                ]
                + [
                    Rij(
                        _("afgesloten: %(uitkomst)s") % {"uitkomst": label},
                        j.cellen(lambda d, u=w: _pad(d, *c, "trajecten_per_uitkomst", u) or 0),
                    )
                    for w, label in Uitkomst.choices
                ],
            ),
            Tabel(
                sleutel="clb_doelen",
                titel=_("Gedeelde doelen per status"),
                kolommen=j.kolommen,
                rijen=j.verdeling_per(Doel.Status.choices, *c, "gedeelde_doelen_per_status"),
                toelichting=_("Enkel doelen die het CLB met de school deelt."),
            ),
        ],
    )


def rapport_opbouwen(
    vergelijking: Jaarvergelijking, *, beschermd: bool, fasen: dict[str, str]
) -> Rapport:
    """The report's sections for `vergelijking`; `fasen` names the phases
    (`fasenamen(school.schooltype)`)."""
    if beschermd:
        dit = beschermen(vergelijking.dit_jaar)
        vorig = beschermen(vergelijking.vorig_jaar)
    else:
        dit = vergelijking.dit_jaar.als_dict()
        vorig = vergelijking.vorig_jaar.als_dict() if vergelijking.vorig_jaar else None
    j = _Jaren(dit, vorig)
    secties = [
        _continuum(j, fasen),
        _maatregelen(j),
        _remediering(j),
        _observaties(j),
        _vlaggen(j),
        _overleggen(j),
        _clb(j),
    ]
    for sectie in secties:
        sectie.verwachtingen = [v.value for v in VERWACHTINGEN_PER_SECTIE[sectie.sleutel]]
    return Rapport(
        schooljaar=dit["schooljaar"],
        vorig_schooljaar=vorig["schooljaar"] if vorig else None,
        beschermd=beschermd,
        secties=secties,
    )


# The report's name as shown (title of the page, the PDF and the files).
def titel() -> str:
    return pgettext("rapport", "Zorgbeleid: cijfers en reflectie")
