"""The rows of an import: what each would do (the dry run) and doing it
(the confirmed import). Both run the same code, so the preview is what the
import does.

No query per row: each kind reads what it matches against once, into
dictionaries (the school's students by number, their open enrolments and
guardians, the year's classes, ...), and writes in batches
(bulk_create/bulk_update). The file is streamed; memory grows with the
batch and the dictionaries, not with the file. Everything is scoped to the
import's school: a student number of another school is another student."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from leerlingen.models import (
    Afwezigheid,
    AfwezigheidCode,
    Dagdeel,
    Inschrijving,
    Klas,
    Leerling,
    Lesopdracht,
    Ouder,
    Relatie,
    Vak,
    Zorgfase,
)
from zorg.accounts.models import Campus, Lidmaatschap, Rol, School, Schooljaar, User

from .lezen import OngeldigeWaarde, datum, ja_nee, kop_normaal, tekst

NIEUW = "nieuw"
GEWIJZIGD = "gewijzigd"
ONGEWIJZIGD = "ongewijzigd"
FOUT = "fout"
UITKOMSTEN = (NIEUW, GEWIJZIGD, ONGEWIJZIGD, FOUT)
BATCH = 1_000


@dataclass
class Uitkomst:
    rij: int
    uitkomst: str
    sleutel: str = ""
    naam: str = ""
    velden: list[str] = field(default_factory=list)
    reden: str = ""

    def als_json(self) -> dict:
        return {
            "rij": self.rij,
            "uitkomst": self.uitkomst,
            "sleutel": self.sleutel[:40],
            "naam": self.naam[:120],
            "velden": self.velden,
            "reden": self.reden[:300],
        }


class Rijfout(Exception):
    """A row the import cannot take; the message says why, in Dutch."""


def _fout(rij: int, sleutel: str, naam: str, fouten: list[str]) -> Uitkomst:
    return Uitkomst(rij, FOUT, sleutel, naam, reden=" ".join(fouten))


class Verwerker:
    """One kind of import for one school and its current school year.
    `rij` decides (and, when writing, stages) a row; `afronden` writes what
    is staged; `vertrokken` lists what a full import misses."""

    def __init__(self, *, school: School, jaar: Schooljaar, door, schrijven: bool, koppeling):
        self.school = school
        self.jaar = jaar
        self.door = door
        self.schrijven = schrijven
        self.gekoppeld = set(koppeling)
        self.vandaag = timezone.localdate()

    def rij(self, nummer: int, waarden: dict) -> Uitkomst:  # pragma: no cover - abstract
        raise NotImplementedError

    def afronden(self) -> None:
        pass

    def vertrokken(self) -> list[dict]:
        return []

    def vertrokken_beeindigen(self, vertrokken: list[dict]) -> int:
        return 0


# --- students, guardians and enrolments -------------------------------------------

RELATIES = (
    {kop_normaal(str(label)): code for code, label in Relatie.choices}
    | {code: code for code in Relatie.values}
    | {
        "mama": Relatie.MOEDER,
        "mams": Relatie.MOEDER,
        "papa": Relatie.VADER,
        "plusouder": Relatie.ANDERE,
        "stiefmoeder": Relatie.ANDERE,
        "stiefvader": Relatie.ANDERE,
        "grootouder": Relatie.ANDERE,
        "grootmoeder": Relatie.ANDERE,
        "grootvader": Relatie.ANDERE,
    }
)
OUDERVELDEN = ("telefoon", "email", "adres", "relatie", "contactpersoon")


class LeerlingVerwerker(Verwerker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        school = self.school
        self.bestaand: dict[str, tuple] = {
            nummer: (pk, voornaam, achternaam, geboortedatum)
            for pk, nummer, voornaam, achternaam, geboortedatum in Leerling.objects.filter(
                school=school
            ).values_list("pk", "leerlingnummer", "voornaam", "achternaam", "geboortedatum")
        }
        self.open: dict[int, tuple[int, int, datetime.date]] = {}
        for pk, leerling_id, klas_id, begin in (
            Inschrijving.objects.filter(
                leerling__school=school, klas__schooljaar=self.jaar, einde__isnull=True
            )
            .order_by("begin", "pk")
            .values_list("pk", "leerling_id", "klas_id", "begin")
        ):
            self.open[leerling_id] = (pk, klas_id, begin)
        self.klassen = {
            naam.casefold(): (pk, naam)
            for pk, naam in Klas.objects.filter(schooljaar=self.jaar).values_list("pk", "naam")
        }
        self.ouders: dict[int, dict[str, tuple]] = {}
        for rij in Ouder.objects.filter(leerling__school=school).values_list(
            "pk",
            "leerling_id",
            "naam",
            "relatie",
            "telefoon",
            "email",
            "adres",
            "is_contactpersoon",
        ):
            self.ouders.setdefault(rij[1], {})[rij[2].casefold()] = rij
        self.gezien: dict[str, int] = {}
        self.standaard_begin = min(max(self.jaar.begin, self.vandaag), self.jaar.einde)
        self.fase_id = None
        # What the writing run has staged since the last batch.
        self.nieuw: list[tuple[Leerling, int, datetime.date, list[dict]]] = []
        self.gewijzigd: list[Leerling] = []
        self.inschrijvingen: list[Inschrijving] = []
        self.beeindigd: list[Inschrijving] = []
        self.verplaatst: list[Inschrijving] = []
        self.nieuwe_ouders: list[Ouder] = []
        self.gewijzigde_ouders: list[Ouder] = []

    # reading a row

    def _ouder(self, n: int, waarden: dict, fouten: list[str]) -> dict | None:
        naam = tekst(waarden.get(f"ouder{n}_naam"))
        anders = [tekst(waarden.get(f"ouder{n}_{v}")) for v in OUDERVELDEN]
        if not naam:
            if any(anders):
                fouten.append(_("Ouder %(n)d heeft gegevens maar geen naam.") % {"n": n})
            return None
        ouder = {"naam": naam[:200]}
        relatie = tekst(waarden.get(f"ouder{n}_relatie"))
        if relatie:
            code = RELATIES.get(kop_normaal(relatie))
            if code is None:
                fouten.append(
                    _("Relatie '%(relatie)s' van ouder %(n)d is onbekend (%(keuzes)s).")
                    % {
                        "relatie": relatie[:30],
                        "n": n,
                        "keuzes": ", ".join(str(label) for _c, label in Relatie.choices),
                    }
                )
            else:
                ouder["relatie"] = code
        email = tekst(waarden.get(f"ouder{n}_email"))
        if email:
            try:
                validate_email(email)
            except ValidationError:
                fouten.append(
                    _("'%(email)s' van ouder %(n)d is geen e-mailadres.")
                    % {"email": email[:60], "n": n}
                )
            else:
                ouder["email"] = email.lower()
        for veld, lengte in (("telefoon", 30), ("adres", 300)):
            waarde = tekst(waarden.get(f"ouder{n}_{veld}"))
            if waarde:
                if len(waarde) > lengte:
                    fouten.append(
                        _("Het %(veld)s van ouder %(n)d is langer dan %(lengte)d tekens.")
                        % {"veld": veld, "n": n, "lengte": lengte}
                    )
                ouder[veld] = waarde
        if f"ouder{n}_contactpersoon" in self.gekoppeld:
            try:
                ouder["is_contactpersoon"] = ja_nee(waarden.get(f"ouder{n}_contactpersoon"))
            except OngeldigeWaarde as exc:
                fouten.append(
                    _("Ouder %(n)d, eerste contactpersoon: %(fout)s") % {"n": n, "fout": exc}
                )
        return ouder

    def rij(self, nummer: int, waarden: dict) -> Uitkomst:
        fouten: list[str] = []
        leerlingnummer = tekst(waarden.get("leerlingnummer"))
        voornaam = tekst(waarden.get("voornaam"))
        achternaam = tekst(waarden.get("achternaam"))
        naam = f"{voornaam} {achternaam}".strip()
        if not leerlingnummer:
            fouten.append(_("Het leerlingnummer ontbreekt."))
        elif len(leerlingnummer) > 20:
            fouten.append(_("Het leerlingnummer is langer dan 20 tekens."))
        elif leerlingnummer in self.gezien:
            fouten.append(
                _("Leerlingnummer %(nummer)s staat ook op rij %(rij)d.")
                % {"nummer": leerlingnummer, "rij": self.gezien[leerlingnummer]}
            )
        else:
            self.gezien[leerlingnummer] = nummer
        if not voornaam:
            fouten.append(_("De voornaam ontbreekt."))
        if not achternaam:
            fouten.append(_("De achternaam ontbreekt."))
        if len(voornaam) > 100 or len(achternaam) > 100:
            fouten.append(_("Een naam is langer dan 100 tekens."))
        try:
            geboortedatum = datum(waarden.get("geboortedatum"))
        except OngeldigeWaarde as exc:
            geboortedatum = None
            fouten.append(_("Geboortedatum: %(fout)s") % {"fout": exc})
        else:
            if geboortedatum is None:
                fouten.append(_("De geboortedatum ontbreekt."))
            elif geboortedatum > self.vandaag:
                fouten.append(_("De geboortedatum ligt in de toekomst."))
        klasnaam = tekst(waarden.get("klas"))
        klas = self.klassen.get(klasnaam.casefold())
        if not klasnaam:
            fouten.append(_("De klas ontbreekt."))
        elif klas is None:
            fouten.append(
                _("Klas %(klas)s bestaat niet in schooljaar %(jaar)s.")
                % {"klas": klasnaam[:20], "jaar": self.jaar.naam}
            )
        try:
            begin = datum(waarden.get("inschrijvingsdatum"))
        except OngeldigeWaarde as exc:
            begin = None
            fouten.append(_("Inschrijvingsdatum: %(fout)s") % {"fout": exc})
        else:
            if begin is not None and not self.jaar.begin <= begin <= self.jaar.einde:
                fouten.append(
                    _("De inschrijvingsdatum valt niet in schooljaar %(jaar)s.")
                    % {"jaar": self.jaar.naam}
                )
        ouders = [
            o for o in (self._ouder(1, waarden, fouten), self._ouder(2, waarden, fouten)) if o
        ]
        if fouten:
            return _fout(nummer, leerlingnummer, naam, fouten)
        klas_id, klasnaam = klas
        bestaand = self.bestaand.get(leerlingnummer)
        if bestaand is None:
            return self._nieuw(
                nummer, leerlingnummer, voornaam, achternaam, geboortedatum, klas_id, begin, ouders
            )
        return self._bijwerken(
            nummer,
            bestaand,
            leerlingnummer,
            voornaam,
            achternaam,
            geboortedatum,
            klas_id,
            begin,
            ouders,
        )

    def _nieuw(
        self, nummer, leerlingnummer, voornaam, achternaam, geboortedatum, klas_id, begin, ouders
    ):
        velden = ["ouder 1", "ouder 2"][: len(ouders)]
        if self.schrijven:
            if self.fase_id is None:
                self.fase_id = Zorgfase.objects.get(schooltype=self.school.schooltype, nummer=0).pk
            leerling = Leerling(
                school=self.school,
                leerlingnummer=leerlingnummer,
                voornaam=voornaam,
                achternaam=achternaam,
                geboortedatum=geboortedatum,
                zorgfase_id=self.fase_id,
            )
            self.nieuw.append((leerling, klas_id, begin or self.standaard_begin, ouders))
            self._misschien_schrijven()
        return Uitkomst(nummer, NIEUW, leerlingnummer, f"{voornaam} {achternaam}", velden)

    def _bijwerken(
        self,
        nummer,
        bestaand,
        leerlingnummer,
        voornaam,
        achternaam,
        geboortedatum,
        klas_id,
        begin,
        ouders,
    ):
        pk, oud_voornaam, oud_achternaam, oud_geboortedatum = bestaand
        velden = []
        if voornaam != oud_voornaam:
            velden.append("voornaam")
        if achternaam != oud_achternaam:
            velden.append("achternaam")
        if geboortedatum != oud_geboortedatum:
            velden.append("geboortedatum")
        if velden and self.schrijven:
            self.gewijzigd.append(
                Leerling(
                    pk=pk,
                    voornaam=voornaam,
                    achternaam=achternaam,
                    geboortedatum=geboortedatum,
                    gewijzigd=timezone.now(),
                )
            )
        open_inschrijving = self.open.get(pk)
        if open_inschrijving is None or open_inschrijving[1] != klas_id:
            velden.append("klas" if open_inschrijving else "inschrijving")
            if self.schrijven:
                self._klas_wisselen(pk, open_inschrijving, klas_id, begin or self.standaard_begin)
        bekend = self.ouders.get(pk, {})
        for n, ouder in enumerate(ouders, start=1):
            rij = bekend.get(ouder["naam"].casefold())
            if rij is None:
                velden.append(f"ouder {n}")
                if self.schrijven:
                    self.nieuwe_ouders.append(self._ouder_object(pk, ouder))
                continue
            oud = {
                "relatie": rij[3],
                "telefoon": rij[4],
                "email": rij[5],
                "adres": rij[6],
                "is_contactpersoon": rij[7],
            }
            # A column the file leaves empty (or does not have) keeps what
            # Zorg knows: an import never erases a phone number.
            anders = {k: v for k, v in ouder.items() if k != "naam" and oud[k] != v}
            if anders:
                velden.append(f"ouder {n}")
                if self.schrijven:
                    self.gewijzigde_ouders.append(Ouder(pk=rij[0], **(oud | anders), naam=rij[2]))
        if self.schrijven:
            self._misschien_schrijven()
        naam = f"{voornaam} {achternaam}"
        if velden:
            return Uitkomst(nummer, GEWIJZIGD, leerlingnummer, naam, velden)
        return Uitkomst(nummer, ONGEWIJZIGD, leerlingnummer, naam)

    def _klas_wisselen(self, leerling_id, open_inschrijving, klas_id, begin) -> None:
        """Stage the enrolment in `klas_id` from `begin`: the open one ends the
        day before (its history stays); one that has not begun by then
        (classes prepared in summer) has no history and simply moves."""
        if open_inschrijving is not None:
            oud_pk, _klas, oud_begin = open_inschrijving
            if begin <= oud_begin:
                self.verplaatst.append(Inschrijving(pk=oud_pk, klas_id=klas_id))
                return
            self.beeindigd.append(
                Inschrijving(
                    pk=oud_pk,
                    einde=begin - datetime.timedelta(days=1),
                    reden_einde=_("klaswissel (import)"),
                )
            )
        self.inschrijvingen.append(
            Inschrijving(leerling_id=leerling_id, klas_id=klas_id, begin=begin)
        )

    @staticmethod
    def _ouder_object(leerling_id: int, ouder: dict) -> Ouder:
        return Ouder(
            leerling_id=leerling_id,
            naam=ouder["naam"],
            relatie=ouder.get("relatie", Relatie.OUDER),
            telefoon=ouder.get("telefoon", ""),
            email=ouder.get("email", ""),
            adres=ouder.get("adres", ""),
            is_contactpersoon=ouder.get("is_contactpersoon", False),
        )

    # writing

    def _misschien_schrijven(self) -> None:
        if len(self.nieuw) + len(self.gewijzigd) + len(self.inschrijvingen) >= BATCH:
            self.afronden()

    def afronden(self) -> None:
        if not self.schrijven:
            return
        if self.nieuw:
            leerlingen = Leerling.objects.bulk_create([n[0] for n in self.nieuw], batch_size=BATCH)
            for leerling, (_l, klas_id, begin, ouders) in zip(leerlingen, self.nieuw, strict=True):
                self.inschrijvingen.append(
                    Inschrijving(leerling_id=leerling.pk, klas_id=klas_id, begin=begin)
                )
                self.nieuwe_ouders.extend(self._ouder_object(leerling.pk, o) for o in ouders)
        if self.gewijzigd:
            Leerling.objects.bulk_update(
                self.gewijzigd,
                ["voornaam", "achternaam", "geboortedatum", "gewijzigd"],
                batch_size=BATCH,
            )
        if self.beeindigd:
            Inschrijving.objects.bulk_update(
                self.beeindigd, ["einde", "reden_einde"], batch_size=BATCH
            )
        if self.verplaatst:
            Inschrijving.objects.bulk_update(self.verplaatst, ["klas"], batch_size=BATCH)
        if self.inschrijvingen:
            Inschrijving.objects.bulk_create(self.inschrijvingen, batch_size=BATCH)
        if self.nieuwe_ouders:
            Ouder.objects.bulk_create(self.nieuwe_ouders, batch_size=BATCH)
        if self.gewijzigde_ouders:
            Ouder.objects.bulk_update(
                self.gewijzigde_ouders,
                ["relatie", "telefoon", "email", "adres", "is_contactpersoon"],
                batch_size=BATCH,
            )
        self.nieuw, self.gewijzigd, self.inschrijvingen, self.beeindigd = [], [], [], []
        self.verplaatst = []
        self.nieuwe_ouders, self.gewijzigde_ouders = [], []

    def vertrokken(self) -> list[dict]:
        """The students enrolled in the current school year whom a full
        import does not list: left the school?"""
        klasnamen = dict(self.klassen.values())
        uit = []
        for nummer, (pk, voornaam, achternaam, _geboortedatum) in self.bestaand.items():
            if nummer in self.gezien or pk not in self.open:
                continue
            uit.append(
                {
                    "leerling": pk,
                    "sleutel": nummer,
                    "naam": f"{voornaam} {achternaam}",
                    "klas": klasnamen.get(self.open[pk][1], ""),
                }
            )
        return sorted(uit, key=lambda v: (v["klas"], v["naam"]))

    def vertrokken_beeindigen(self, vertrokken: list[dict]) -> int:
        einde = self.vandaag - datetime.timedelta(days=1)
        te_beeindigen = [
            Inschrijving(
                pk=self.open[v["leerling"]][0],
                einde=max(self.open[v["leerling"]][2], einde),
                reden_einde=_("niet meer in de volledige import"),
            )
            for v in vertrokken
            if v["leerling"] in self.open
        ]
        Inschrijving.objects.bulk_update(te_beeindigen, ["einde", "reden_einde"], batch_size=BATCH)
        return len(te_beeindigen)


# --- classes ------------------------------------------------------------------------


def _leden(school: School) -> dict[str, int]:
    """The school's staff with an active membership, by e-mail address."""
    return dict(
        User.objects.filter(lidmaatschappen__school=school, lidmaatschappen__actief=True)
        .distinct()
        .values_list("email", "pk")
    )


class KlasVerwerker(Verwerker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.klassen: dict[str, list] = {}
        for pk, naam, leerjaar, campus_id in Klas.objects.filter(schooljaar=self.jaar).values_list(
            "pk", "naam", "leerjaar", "campus_id"
        ):
            self.klassen[naam.casefold()] = [pk, naam, leerjaar, campus_id, set()]
        per_pk = {klas[0]: klas for klas in self.klassen.values()}
        for klas_id, user_id in Klas.klastitularissen.through.objects.filter(
            klas__schooljaar=self.jaar
        ).values_list("klas_id", "user_id"):
            per_pk[klas_id][4].add(user_id)
        self.campussen = {
            naam.casefold(): pk
            for pk, naam in Campus.objects.filter(school=self.school).values_list("pk", "naam")
        }
        self.leden = _leden(self.school)
        self.gezien: dict[str, int] = {}
        self.nieuw: list[tuple[Klas, int | None]] = []
        self.gewijzigd: list[Klas] = []
        self.titularissen: list[tuple[int, int]] = []

    def rij(self, nummer: int, waarden: dict) -> Uitkomst:
        fouten = []
        naam = tekst(waarden.get("naam"))
        if not naam:
            fouten.append(_("De naam van de klas ontbreekt."))
        elif len(naam) > 20:
            fouten.append(_("De naam van de klas is langer dan 20 tekens."))
        elif naam.casefold() in self.gezien:
            fouten.append(
                _("Klas %(klas)s staat ook op rij %(rij)d.")
                % {"klas": naam, "rij": self.gezien[naam.casefold()]}
            )
        else:
            self.gezien[naam.casefold()] = nummer
        leerjaar_tekst = tekst(waarden.get("leerjaar"))
        leerjaar = int(leerjaar_tekst) if leerjaar_tekst.isdigit() else None
        if leerjaar is None or not 1 <= leerjaar <= 7:
            fouten.append(_("Het leerjaar moet een getal van 1 tot 7 zijn."))
        campusnaam = tekst(waarden.get("campus"))
        campus_id = self.campussen.get(campusnaam.casefold()) if campusnaam else None
        if campusnaam and campus_id is None:
            fouten.append(_("Campus %(campus)s bestaat niet.") % {"campus": campusnaam[:60]})
        email = tekst(waarden.get("titularis")).lower()
        titularis = self.leden.get(email) if email else None
        if email and titularis is None:
            fouten.append(
                _("%(email)s is geen personeelslid van de school.") % {"email": email[:80]}
            )
        if fouten:
            return _fout(nummer, naam, naam, fouten)
        bestaand = self.klassen.get(naam.casefold())
        if bestaand is None:
            if self.schrijven:
                self.nieuw.append(
                    (
                        Klas(
                            schooljaar=self.jaar, naam=naam, leerjaar=leerjaar, campus_id=campus_id
                        ),
                        titularis,
                    )
                )
            return Uitkomst(nummer, NIEUW, naam, naam)
        pk, _naam, oud_leerjaar, oud_campus, titularissen = bestaand
        velden = []
        if leerjaar != oud_leerjaar:
            velden.append("leerjaar")
        if campus_id is not None and campus_id != oud_campus:
            velden.append("campus")
        if velden and self.schrijven:
            self.gewijzigd.append(
                Klas(pk=pk, leerjaar=leerjaar, campus_id=campus_id if campus_id else oud_campus)
            )
        if titularis is not None and titularis not in titularissen:
            velden.append("titularis")
            if self.schrijven:
                self.titularissen.append((pk, titularis))
        return Uitkomst(nummer, GEWIJZIGD if velden else ONGEWIJZIGD, naam, naam, velden)

    def afronden(self) -> None:
        if not self.schrijven:
            return
        if self.nieuw:
            klassen = Klas.objects.bulk_create([k for k, _t in self.nieuw], batch_size=BATCH)
            self.titularissen.extend(
                (klas.pk, t) for klas, (_k, t) in zip(klassen, self.nieuw, strict=True) if t
            )
        if self.gewijzigd:
            Klas.objects.bulk_update(self.gewijzigd, ["leerjaar", "campus"], batch_size=BATCH)
        if self.titularissen:
            Through = Klas.klastitularissen.through
            Through.objects.bulk_create(
                [Through(klas_id=k, user_id=u) for k, u in self.titularissen],
                batch_size=BATCH,
                ignore_conflicts=True,
            )


# --- staff --------------------------------------------------------------------------

ROLLEN = (
    {kop_normaal(str(label)): code for code, label in Rol.choices}
    | {code: code for code in Rol.values}
    | {
        "leraar": Rol.LEERKRACHT,
        "leerkrachten": Rol.LEERKRACHT,
        "leerlingbegeleider": Rol.ZORGCOORDINATOR,
        "zorgcoordinator": Rol.ZORGCOORDINATOR,
        "directeur": Rol.DIRECTIE,
        "adjunctdirecteur": Rol.DIRECTIE,
        "secretariaat": Rol.SECRETARIAAT,
        "administratie": Rol.SECRETARIAAT,
    }
)


class PersoneelVerwerker(Verwerker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Every account by e-mail: a person new to this school may have one
        # in another. The outcome does not tell (it says "nieuw" either way):
        # an import does not reveal who works elsewhere, nor renames them.
        self.accounts = dict(User.objects.values_list("email", "pk"))
        self.rollen: dict[int, dict[str, bool]] = {}
        for user_id, rol, actief in Lidmaatschap.objects.filter(school=self.school).values_list(
            "user_id", "rol", "actief"
        ):
            self.rollen.setdefault(user_id, {})[rol] = actief
        elders = set(
            Lidmaatschap.objects.filter(user_id__in=self.rollen)
            .exclude(school=self.school)
            .values_list("user_id", flat=True)
        )
        self.namen = {
            pk: (voornaam, achternaam)
            for pk, voornaam, achternaam in User.objects.filter(pk__in=self.rollen)
            .exclude(pk__in=elders)
            .values_list("pk", "first_name", "last_name")
        }
        self.gezien: dict[tuple[str, str], int] = {}
        self.nieuwe_users: dict[str, User] = {}
        self.lidmaatschappen: list[tuple[str, str]] = []
        self.hernoemd: list[User] = []

    def rij(self, nummer: int, waarden: dict) -> Uitkomst:
        fouten = []
        email = tekst(waarden.get("email")).lower()
        voornaam = tekst(waarden.get("voornaam"))
        achternaam = tekst(waarden.get("achternaam"))
        naam = f"{voornaam} {achternaam}".strip()
        try:
            validate_email(email)
        except ValidationError:
            fouten.append(
                _("'%(email)s' is geen e-mailadres.") % {"email": email[:60]}
                if email
                else _("Het e-mailadres ontbreekt.")
            )
        if not voornaam or not achternaam:
            fouten.append(_("De voornaam of de achternaam ontbreekt."))
        if len(voornaam) > 150 or len(achternaam) > 150:
            fouten.append(_("Een naam is langer dan 150 tekens."))
        roltekst = tekst(waarden.get("rol"))
        rol = ROLLEN.get(kop_normaal(roltekst))
        if rol is None:
            fouten.append(
                _("Rol '%(rol)s' is onbekend (%(keuzes)s).")
                % {
                    "rol": roltekst[:30],
                    "keuzes": ", ".join(str(label) for _c, label in Rol.choices),
                }
            )
        elif (email, rol) in self.gezien:
            fouten.append(
                _("%(email)s staat met deze rol ook op rij %(rij)d.")
                % {"email": email, "rij": self.gezien[(email, rol)]}
            )
        else:
            self.gezien[(email, rol)] = nummer
        if fouten:
            return _fout(nummer, email, naam, fouten)
        user_id = self.accounts.get(email)
        rollen = self.rollen.get(user_id, {}) if user_id else {}
        if rol in rollen and not rollen[rol]:
            return _fout(
                nummer,
                email,
                naam,
                [
                    _(
                        "Dit personeelslid is gedeactiveerd; "
                        "activeer het opnieuw op de personeelspagina."
                    )
                ],
            )
        velden = []
        if rol not in rollen:
            velden.append("rol")
            if not rollen:
                velden.append("uitnodigen")
            if self.schrijven:
                if user_id is None and email not in self.nieuwe_users:
                    self.nieuwe_users[email] = User(
                        email=email,
                        first_name=voornaam,
                        last_name=achternaam,
                        password=make_password(None),
                    )
                self.lidmaatschappen.append((email, rol))
            return Uitkomst(nummer, NIEUW, email, naam, velden)
        if user_id in self.namen and self.namen[user_id] != (voornaam, achternaam):
            velden.append("naam")
            self.namen[user_id] = (voornaam, achternaam)
            if self.schrijven:
                self.hernoemd.append(User(pk=user_id, first_name=voornaam, last_name=achternaam))
        return Uitkomst(nummer, GEWIJZIGD if velden else ONGEWIJZIGD, email, naam, velden)

    def afronden(self) -> None:
        if not self.schrijven:
            return
        if self.nieuwe_users:
            for user in User.objects.bulk_create(
                list(self.nieuwe_users.values()), batch_size=BATCH
            ):
                self.accounts[user.email] = user.pk
        if self.lidmaatschappen:
            Lidmaatschap.objects.bulk_create(
                [
                    Lidmaatschap(user_id=self.accounts[email], school=self.school, rol=rol)
                    for email, rol in self.lidmaatschappen
                ],
                batch_size=BATCH,
            )
        if self.hernoemd:
            User.objects.bulk_update(self.hernoemd, ["first_name", "last_name"], batch_size=BATCH)


# --- teaching assignments -----------------------------------------------------------


class LesopdrachtVerwerker(Verwerker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.leden = _leden(self.school)
        self.klassen = {
            naam.casefold(): (pk, naam)
            for pk, naam in Klas.objects.filter(schooljaar=self.jaar).values_list("pk", "naam")
        }
        self.vakken = {
            naam.casefold(): pk
            for pk, naam in Vak.objects.filter(school=self.school).values_list("pk", "naam")
        }
        self.bestaand = set(
            Lesopdracht.objects.filter(klas__schooljaar=self.jaar).values_list(
                "leerkracht_id", "klas_id", "vak_id"
            )
        )
        self.gezien: dict[tuple, int] = {}
        self.nieuwe_vakken: dict[str, str] = {}
        self.nieuw: list[tuple[int, int, str]] = []

    def rij(self, nummer: int, waarden: dict) -> Uitkomst:
        fouten = []
        email = tekst(waarden.get("leerkracht")).lower()
        klasnaam = tekst(waarden.get("klas"))
        vaknaam = tekst(waarden.get("vak"))
        sleutel = f"{email} · {klasnaam} · {vaknaam}"
        user_id = self.leden.get(email)
        if not email:
            fouten.append(_("Het e-mailadres van de leerkracht ontbreekt."))
        elif user_id is None:
            fouten.append(
                _("%(email)s is geen personeelslid van de school.") % {"email": email[:80]}
            )
        klas = self.klassen.get(klasnaam.casefold())
        if not klasnaam:
            fouten.append(_("De klas ontbreekt."))
        elif klas is None:
            fouten.append(
                _("Klas %(klas)s bestaat niet in schooljaar %(jaar)s.")
                % {"klas": klasnaam[:20], "jaar": self.jaar.naam}
            )
        if not vaknaam:
            fouten.append(_("Het vak ontbreekt."))
        elif len(vaknaam) > 100:
            fouten.append(_("De naam van het vak is langer dan 100 tekens."))
        sleuteltuple = (email, klasnaam.casefold(), vaknaam.casefold())
        if not fouten:
            if sleuteltuple in self.gezien:
                fouten.append(
                    _("Deze lesopdracht staat ook op rij %(rij)d.")
                    % {"rij": self.gezien[sleuteltuple]}
                )
            else:
                self.gezien[sleuteltuple] = nummer
        if fouten:
            return _fout(nummer, sleutel, email, fouten)
        vak_id = self.vakken.get(vaknaam.casefold())
        if vak_id is not None and (user_id, klas[0], vak_id) in self.bestaand:
            return Uitkomst(nummer, ONGEWIJZIGD, sleutel, email)
        velden = []
        if vak_id is None:
            velden.append("vak")
            self.nieuwe_vakken.setdefault(vaknaam.casefold(), vaknaam)
        if self.schrijven:
            self.nieuw.append((user_id, klas[0], vaknaam.casefold()))
        return Uitkomst(nummer, NIEUW, sleutel, email, velden)

    def afronden(self) -> None:
        if not self.schrijven:
            return
        if self.nieuwe_vakken:
            for vak in Vak.objects.bulk_create(
                [Vak(school=self.school, naam=naam) for naam in self.nieuwe_vakken.values()]
            ):
                self.vakken[vak.naam.casefold()] = vak.pk
        Lesopdracht.objects.bulk_create(
            [
                Lesopdracht(leerkracht_id=u, klas_id=k, vak_id=self.vakken[v])
                for u, k, v in self.nieuw
            ],
            batch_size=BATCH,
            ignore_conflicts=True,
        )


# --- absences -------------------------------------------------------------------------

DAGDELEN = {
    "vm": Dagdeel.VOORMIDDAG,
    "voormiddag": Dagdeel.VOORMIDDAG,
    "am": Dagdeel.VOORMIDDAG,
    "nm": Dagdeel.NAMIDDAG,
    "namiddag": Dagdeel.NAMIDDAG,
    "pm": Dagdeel.NAMIDDAG,
}
CODES = {
    **{code: code for code in AfwezigheidCode.values},
    "doktersattest": AfwezigheidCode.ATTEST,
    "medischattest": AfwezigheidCode.ATTEST,
    "briefjeouders": AfwezigheidCode.OUDERS,
    "verklaringouders": AfwezigheidCode.OUDERS,
}


class AfwezigheidVerwerker(Verwerker):
    """One row per student, day and half day. A half day already recorded
    gets the file's code (GEWIJZIGD) or stays (ONGEWIJZIGD). The days must be
    school days of the import's school year by the school's calendar, and
    not in the future. After writing, the threshold of problematic half days
    is checked for every student of the file at once."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        from zorg.accounts.kalender import schoolkalender

        self.kalender = schoolkalender(self.school.pk)
        self.leerlingen = {
            nummer: (pk, f"{voornaam} {achternaam}".strip())
            for pk, nummer, voornaam, achternaam in Leerling.objects.filter(
                school=self.school
            ).values_list("pk", "leerlingnummer", "voornaam", "achternaam")
        }
        self.bestaand: dict[tuple, Afwezigheid] = {
            (a.leerling_id, a.datum, a.dagdeel): a
            for a in Afwezigheid.objects.filter(
                leerling__school=self.school,
                datum__gte=self.jaar.begin,
                datum__lte=self.jaar.einde,
            ).only("pk", "leerling_id", "datum", "dagdeel", "code", "versie")
        }
        self.gezien: dict[tuple, int] = {}
        self.nieuw: list[Afwezigheid] = []
        self.gewijzigd: list[Afwezigheid] = []

    def rij(self, nummer: int, waarden: dict) -> Uitkomst:
        from leerlingen.services.afwezigheden import datum_controleren

        fouten = []
        leerlingnummer = tekst(waarden.get("leerlingnummer"))
        leerling = self.leerlingen.get(leerlingnummer)
        naam = leerling[1] if leerling else ""
        if not leerlingnummer:
            fouten.append(_("Het leerlingnummer ontbreekt."))
        elif leerling is None:
            fouten.append(
                _("Leerling %(nummer)s bestaat niet in deze school.")
                % {"nummer": leerlingnummer[:40]}
            )
        try:
            dag = datum(waarden.get("datum"))
        except OngeldigeWaarde as exc:
            dag = None
            fouten.append(str(exc))
        else:
            if dag is None:
                fouten.append(_("De datum ontbreekt."))
            elif not self.jaar.begin <= dag <= self.jaar.einde:
                fouten.append(
                    _("%(dag)s valt niet in schooljaar %(jaar)s.")
                    % {"dag": f"{dag:%d/%m/%Y}", "jaar": self.jaar.naam}
                )
                dag = None
            elif reden := datum_controleren(dag, kalender=self.kalender, vandaag=self.vandaag):
                fouten.append(reden)
                dag = None
        dagdeel = DAGDELEN.get(kop_normaal(tekst(waarden.get("dagdeel"))))
        if dagdeel is None:
            fouten.append(_("Het dagdeel is vm (voormiddag) of nm (namiddag)."))
        code = CODES.get(kop_normaal(tekst(waarden.get("code"))))
        if code is None:
            fouten.append(_("De code is attest, ouders, ongewettigd of problematisch."))
        sleutel = f"{leerlingnummer} · {dag:%d/%m/%Y}" if dag else leerlingnummer
        if dagdeel:
            sleutel += f" · {dagdeel}"
        if not fouten:
            cel = (leerling[0], dag, dagdeel)
            if cel in self.gezien:
                fouten.append(
                    _("Deze halve dag staat ook op rij %(rij)d.") % {"rij": self.gezien[cel]}
                )
            else:
                self.gezien[cel] = nummer
        if fouten:
            return _fout(nummer, sleutel, naam, fouten)
        huidig = self.bestaand.get(cel)
        if huidig is not None and huidig.code == code:
            return Uitkomst(nummer, ONGEWIJZIGD, sleutel, naam)
        if huidig is not None:
            if self.schrijven:
                huidig.code = code
                huidig.versie += 1
                huidig.gewijzigd = timezone.now()
                self.gewijzigd.append(huidig)
            return Uitkomst(nummer, GEWIJZIGD, sleutel, naam, ["code"])
        if self.schrijven:
            self.nieuw.append(
                Afwezigheid(
                    leerling_id=leerling[0],
                    datum=dag,
                    dagdeel=dagdeel,
                    code=code,
                    geregistreerd_door=self.door,
                )
            )
        return Uitkomst(nummer, NIEUW, sleutel, naam)

    def afronden(self) -> None:
        if not self.schrijven:
            return
        from leerlingen.services.afwezigheden import drempels_nagaan
        from zorg.audit.models import Actie
        from zorg.audit.services import audit_vastleggen

        Afwezigheid.objects.bulk_create(self.nieuw, batch_size=BATCH)
        Afwezigheid.objects.bulk_update(
            self.gewijzigd, ["code", "versie", "gewijzigd"], batch_size=BATCH
        )
        betrokken = sorted({a.leerling_id for a in (*self.nieuw, *self.gewijzigd)})
        if not betrokken:
            return
        audit_vastleggen(
            gebruiker=self.door,
            actie=Actie.WIJZIGEN,
            onderwerp="afwezigheden",
            leerlingen=[Leerling(pk=pk, school_id=self.school.pk) for pk in betrokken],
            omschrijving="import",
        )
        # The file's dates lie in the import's school year: a past year's
        # register corrected in September counts there (and silently).
        drempels_nagaan(
            school=self.school,
            leerling_ids=betrokken,
            door=self.door,
            schooljaar=self.jaar.begin,
        )


VERWERKERS: dict[str, type[Verwerker]] = {
    "leerlingen": LeerlingVerwerker,
    "klassen": KlasVerwerker,
    "personeel": PersoneelVerwerker,
    "lesopdrachten": LesopdrachtVerwerker,
    "afwezigheden": AfwezigheidVerwerker,
}


@dataclass
class Resultaat:
    totalen: dict[str, int]
    regels: list[dict]
    vertrokken: list[dict]
    beeindigd: int = 0


# Rows kept for the preview (a file of 20 MB has about this many students);
# the totals count them all.
MAX_REGELS = 25_000


def rijen_verwerken(
    *,
    verwerker: Verwerker,
    rijen,
    koppeling: dict[str, int],
    volledig: bool,
    vertrokken_beeindigen: bool = False,
    voortgang: Callable[[int], None] | None = None,
) -> Resultaat:
    """Run every row through `verwerker`. When it writes, the first row with
    an error stops everything (Rijfout; the caller's transaction undoes
    what was written)."""
    totalen = dict.fromkeys(UITKOMSTEN, 0)
    regels: list[dict] = []
    for teller, (nummer, rij) in enumerate(rijen, start=1):
        waarden = {veld: (rij[i] if i < len(rij) else None) for veld, i in koppeling.items()}
        uitkomst = verwerker.rij(nummer, waarden)
        totalen[uitkomst.uitkomst] += 1
        if uitkomst.uitkomst == FOUT and verwerker.schrijven:
            raise Rijfout(
                _("Rij %(rij)d: %(reden)s Er werd niets ingevoerd.")
                % {"rij": nummer, "reden": uitkomst.reden}
            )
        if len(regels) < MAX_REGELS:
            regels.append(uitkomst.als_json())
        if voortgang and teller % 250 == 0:
            voortgang(teller)
    verwerker.afronden()
    vertrokken = verwerker.vertrokken() if volledig else []
    beeindigd = 0
    if verwerker.schrijven and vertrokken and vertrokken_beeindigen:
        beeindigd = verwerker.vertrokken_beeindigen(vertrokken)
    totalen["vertrokken"] = len(vertrokken)
    return Resultaat(totalen, regels, vertrokken, beeindigd)
