"""The documented column layout of each kind of import, the template
files made from it, and the guess of which column of a school's own file
holds which field (the headers of Smartschool, Wisa or Informat exports
are not the template's)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .lezen import kop_normaal
from .models import Soort


@dataclass(frozen=True)
class Veld:
    code: str
    label: str | Promise
    verplicht: bool = False
    uitleg: str | Promise = ""
    voorbeeld: str = ""
    # Other headers that mean this field (compared with lezen.kop_normaal).
    aliassen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Importsoort:
    code: str
    label: str | Promise
    velden: tuple[Veld, ...]
    uitleg: str | Promise = ""
    voorbeelden: tuple[tuple[str, ...], ...] = field(default=())

    def veld(self, code: str) -> Veld:
        return next(v for v in self.velden if v.code == code)


RELATIE_UITLEG = _("moeder, vader, ouder, pleegouder, voogd of andere")


def _ouder(n: int) -> tuple[Veld, ...]:
    extra = ("",) if n == 1 else ("2", "tweede")
    return (
        Veld(
            f"ouder{n}_naam",
            format_lazy(_("ouder {n}: naam"), n=n),
            voorbeeld="Sofie Peeters" if n == 1 else "",
            aliassen=(
                f"ouder{n}",
                f"naamouder{n}",
                f"ouder{n}naam",
                f"naamcontactpersoon{n}",
                *((f"naam{extra[1]}ouder",) if n == 2 else ("naamouder", "naammoeder")),
            ),
        ),
        Veld(
            f"ouder{n}_relatie",
            format_lazy(_("ouder {n}: relatie"), n=n),
            uitleg=RELATIE_UITLEG,
            voorbeeld="moeder" if n == 1 else "",
            aliassen=(f"relatieouder{n}", f"relatie{n}", f"ouder{n}relatie", f"hoedanigheid{n}"),
        ),
        Veld(
            f"ouder{n}_telefoon",
            format_lazy(_("ouder {n}: telefoon"), n=n),
            voorbeeld="0470 12 34 56" if n == 1 else "",
            aliassen=(f"telefoonouder{n}", f"gsmouder{n}", f"ouder{n}gsm", f"ouder{n}telefoon"),
        ),
        Veld(
            f"ouder{n}_email",
            format_lazy(_("ouder {n}: e-mail"), n=n),
            voorbeeld="sofie.peeters@example.org" if n == 1 else "",
            aliassen=(f"emailouder{n}", f"ouder{n}email", f"e-mailouder{n}", f"mailouder{n}"),
        ),
        Veld(
            f"ouder{n}_adres",
            format_lazy(_("ouder {n}: adres"), n=n),
            voorbeeld="Kerkstraat 1, 9000 Gent" if n == 1 else "",
            aliassen=(f"adresouder{n}", f"ouder{n}adres"),
        ),
        Veld(
            f"ouder{n}_contactpersoon",
            format_lazy(_("ouder {n}: eerste contactpersoon"), n=n),
            uitleg=_("ja of nee"),
            voorbeeld="ja" if n == 1 else "",
            aliassen=(f"contactpersoon{n}", f"ouder{n}contact"),
        ),
    )


LEERLINGEN = Importsoort(
    Soort.LEERLINGEN,
    Soort.LEERLINGEN.label,
    (
        Veld(
            "leerlingnummer",
            _("leerlingnummer"),
            verplicht=True,
            uitleg=_(
                "het nummer van de leerling in jullie administratie; "
                "Zorg herkent er de leerling aan"
            ),
            voorbeeld="20230117",
            aliassen=(
                "stamnummer",
                "stamboeknummer",
                "stamnr",
                "leerlingnr",
                "llnnr",
                "lln",
                "nummer",
                "internnummer",
                "leerlingid",
                "studentnummer",
            ),
        ),
        Veld("voornaam", _("voornaam"), verplicht=True, voorbeeld="Lotte", aliassen=("roepnaam",)),
        Veld(
            "achternaam",
            _("achternaam"),
            verplicht=True,
            voorbeeld="Peeters",
            aliassen=("naam", "familienaam", "familiename", "naamleerling"),
        ),
        Veld(
            "geboortedatum",
            _("geboortedatum"),
            verplicht=True,
            uitleg=_("dd/mm/jjjj, dd-mm-jjjj of jjjj-mm-dd; een datumcel in Excel mag ook"),
            voorbeeld="14/03/2012",
            aliassen=("geboren", "gebdatum", "datumgeboorte", "geboortedag"),
        ),
        Veld(
            "klas",
            _("klas"),
            verplicht=True,
            uitleg=_("de naam van een klas van het huidige schooljaar"),
            voorbeeld="3A",
            aliassen=("klasgroep", "klascode", "klasnaam", "administratievegroep", "groep"),
        ),
        Veld(
            "inschrijvingsdatum",
            _("inschrijvingsdatum"),
            uitleg=_("leeg: vandaag, of de eerste dag van het schooljaar"),
            aliassen=("datuminschrijving", "ingeschrevenop", "begindatum", "instapdatum"),
        ),
        *_ouder(1),
        *_ouder(2),
    ),
    uitleg=_(
        "Eén rij per leerling, met één of twee ouders of voogden. Een leerling die al in Zorg "
        "staat, wordt bijgewerkt (Zorg herkent hem aan het leerlingnummer); een andere klas "
        "beëindigt de oude inschrijving en begint een nieuwe."
    ),
)

KLASSEN = Importsoort(
    Soort.KLASSEN,
    Soort.KLASSEN.label,
    (
        Veld(
            "naam",
            _("naam"),
            verplicht=True,
            voorbeeld="3A",
            aliassen=("klas", "klasnaam", "klascode"),
        ),
        Veld(
            "leerjaar",
            _("leerjaar"),
            verplicht=True,
            uitleg=_("1 tot 7"),
            voorbeeld="3",
            aliassen=("jaar", "graadjaar"),
        ),
        Veld(
            "campus",
            _("campus"),
            uitleg=_("de naam van een campus van de school; leeg mag"),
            aliassen=("vestiging", "vestigingsplaats"),
        ),
        Veld(
            "titularis",
            _("klastitularis (e-mail)"),
            uitleg=_("het e-mailadres van een personeelslid van de school"),
            voorbeeld="titularis@school.example",
            aliassen=(
                "titulariseemail",
                "klastitularis",
                "titularisemail",
                "klasleraar",
                "klassenleraar",
            ),
        ),
    ),
    uitleg=_("Eén rij per klas van het huidige schooljaar. Zorg herkent een klas aan haar naam."),
)

PERSONEEL = Importsoort(
    Soort.PERSONEEL,
    Soort.PERSONEEL.label,
    (
        Veld(
            "email",
            _("e-mail"),
            verplicht=True,
            voorbeeld="leerkracht@school.example",
            aliassen=("emailadres", "mail"),
        ),
        Veld("voornaam", _("voornaam"), verplicht=True, voorbeeld="Jan"),
        Veld(
            "achternaam",
            _("achternaam"),
            verplicht=True,
            voorbeeld="Janssens",
            aliassen=("naam", "familienaam"),
        ),
        Veld(
            "rol",
            _("rol"),
            verplicht=True,
            uitleg=_("leerkracht, zorgcoördinator, directie, secretariaat of beheerder"),
            voorbeeld="leerkracht",
            aliassen=("functie", "ambt"),
        ),
    ),
    uitleg=_(
        "Eén rij per rol van een personeelslid (wie twee rollen heeft, staat er twee keer in). "
        "Zorg herkent een personeelslid aan het e-mailadres. Een nieuw personeelslid krijgt een "
        "account zonder wachtwoord: nodig het daarna uit op de personeelspagina."
    ),
)

LESOPDRACHTEN = Importsoort(
    Soort.LESOPDRACHTEN,
    Soort.LESOPDRACHTEN.label,
    (
        Veld(
            "leerkracht",
            _("leerkracht (e-mail)"),
            verplicht=True,
            voorbeeld="leerkracht@school.example",
            aliassen=("email", "leerkrachtemail", "leraar", "emailleerkracht"),
        ),
        Veld("klas", _("klas"), verplicht=True, voorbeeld="3A", aliassen=("klasgroep", "klascode")),
        Veld(
            "vak",
            _("vak"),
            verplicht=True,
            uitleg=_("een vak dat nog niet bestaat, wordt aangemaakt"),
            voorbeeld="Wiskunde",
            aliassen=("vaknaam", "vakcode", "cursus"),
        ),
    ),
    uitleg=_("Eén rij per leerkracht, klas en vak van het huidige schooljaar."),
)

AFWEZIGHEDEN = Importsoort(
    Soort.AFWEZIGHEDEN,
    Soort.AFWEZIGHEDEN.label,
    (
        Veld(
            "leerlingnummer",
            _("leerlingnummer"),
            verplicht=True,
            uitleg=_("het nummer van de leerling in jullie administratie"),
            voorbeeld="20230117",
            aliassen=("stamnummer", "stamboeknummer", "leerlingnr", "llnnr", "nummer"),
        ),
        Veld(
            "datum",
            _("datum"),
            verplicht=True,
            uitleg=_(
                "dd/mm/jjjj of jjjj-mm-dd: een schooldag van het schooljaar, niet in de toekomst"
            ),
            voorbeeld="03/12/2026",
            aliassen=("dag", "datumafwezigheid", "afwezigop"),
        ),
        Veld(
            "dagdeel",
            _("dagdeel"),
            verplicht=True,
            uitleg=_("vm (voormiddag) of nm (namiddag)"),
            voorbeeld="vm",
            aliassen=("halvedag", "moment", "lesdeel"),
        ),
        Veld(
            "code",
            _("code"),
            verplicht=True,
            uitleg=_("attest, ouders, ongewettigd of problematisch"),
            voorbeeld="attest",
            aliassen=("reden", "afwezigheidscode", "codeafwezigheid"),
        ),
    ),
    uitleg=_(
        "Eén rij per leerling, dag en halve dag. Een halve dag die al in Zorg staat, krijgt de "
        "code uit het bestand. Wie daarmee de drempel van problematische afwezigheden bereikt, "
        "wordt gemeld aan de zorgcoördinator en het CLB."
    ),
)

SOORTEN: dict[str, Importsoort] = {
    s.code: s for s in (LEERLINGEN, KLASSEN, PERSONEEL, LESOPDRACHTEN, AFWEZIGHEDEN)
}


def koppeling_raden(soort: Importsoort, kolommen: list[str]) -> dict[str, int]:
    """Which column (by position) holds which field: the field's own code
    or label first, then its aliases. A column serves one field."""
    genormaliseerd = [kop_normaal(k) for k in kolommen]
    koppeling: dict[str, int] = {}
    gebruikt: set[int] = set()
    for ronde in ("eigen", "alias"):
        for veld in soort.velden:
            if veld.code in koppeling:
                continue
            if ronde == "eigen":
                namen = {kop_normaal(veld.code), kop_normaal(str(veld.label))}
            else:
                namen = {kop_normaal(a) for a in veld.aliassen}
            for i, kop in enumerate(genormaliseerd):
                if i not in gebruikt and kop in namen:
                    koppeling[veld.code] = i
                    gebruikt.add(i)
                    break
    return koppeling


def sjabloon_csv(soort: Importsoort) -> str:
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";")
    schrijver.writerow([v.code for v in soort.velden])
    schrijver.writerow([v.voorbeeld for v in soort.velden])
    return "\ufeff" + uit.getvalue()


def sjabloon_xlsx(soort: Importsoort) -> bytes:
    from openpyxl import Workbook

    werkmap = Workbook(write_only=True)
    blad = werkmap.create_sheet(str(soort.label)[:31])
    blad.append([v.code for v in soort.velden])
    blad.append([v.voorbeeld for v in soort.velden])
    uit = io.BytesIO()
    werkmap.save(uit)
    return uit.getvalue()
