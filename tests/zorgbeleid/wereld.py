"""A hand-built school year 2026-2027 (and a bit of 2025-2026) whose every
figure of the care-policy report is known: tests/zorgbeleid/test_cijfers.py
states them. Built on the conftest world (school, 3A, 3B, leerling_a,
leerling_b, the CLB) on a day of 2026-2027, with rows made directly.

Classes: 1A (grade 1, campus Noord), 2A (grade 2, Zuid); 3A gets Noord, 3B
Zuid. Students besides leerling_a (3A) and leerling_b (3B), all phase 0
unless said:
- gewoon[0..9]: 1A.
- wisselaar: 1A, moves to 2A on 2027-01-15 (1A ends 2027-01-14).
- stijger: 2A; 0->1 on 2026-11-10, 1->2 on 2027-03-10 (120 days in 1);
  referred 2027-03-10, trajectory opened 2027-03-20 (stage strategie).
- dalers[0..5]: 2A; 0->1 on 2026-09-15, 1->0 on 2027-01-20 (127 days).
  dalers[0]'s referral of 2026-10-01 opened a trajectory on 2026-10-31,
  closed 2027-02-15 (advies_op_school).
- zomer: 1A; 0->1 on 2026-05-05 (last year), 1->2 on 2027-07-10 (this year,
  after 30 June: 431 days in 1).
- zomer2: 1A; 0->1 on 2026-08-20 (last year, in the summer).
- vertrokken: 1A, left on 2027-01-10.
- laatkomer: 2A from 2027-03-01.
"""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from clb.models import Doel, Doeltermijn, HGDTraject, Laag, Trajectstap, Uitkomst
from klassenraad.models import Actiepunt, Agendapunt, Beslissing, Overleg, OverlegSoort
from leerlingen import domeinen
from leerlingen.models import (
    Aanmelding,
    Bereik,
    Inschrijving,
    Maatregel,
    MaatregelEvaluatie,
    MaatregelSoort,
    Observatie,
    ObservatieSoort,
    Signaal,
    VlagKleur,
    VlagOpvolging,
    Zorgfase,
    ZorgfaseWijziging,
)
from tests import factories as f
from tests.clb.factories import consultatie
from tests.datums import lokaal
from tests.leerlingen.factories_vlaggen import VlagFactory, vlag_met
from zorg.accounts.models import Campus

D = datetime.date


@dataclasses.dataclass
class Cijferwereld:
    w: object
    school: object
    jaar: object
    vorig: object
    klas_1a: object
    klas_2a: object
    gewoon: list
    dalers: list
    wisselaar: object
    stijger: object
    zomer: object
    zomer2: object
    vertrokken: object
    laatkomer: object


def fase(nummer: int) -> Zorgfase:
    return Zorgfase.objects.get(schooltype="secundair", nummer=nummer)


def wijziging(w, leerling, van: int, naar: int, datum: D):
    z = ZorgfaseWijziging.objects.create(
        leerling=leerling,
        van=fase(van),
        naar=fase(naar),
        datum=datum,
        reden="reden",
        beslist_waar="cel",
        beslist_door=w.zorgcoordinator,
    )
    leerling.zorgfase = z.naar
    leerling.save(update_fields=["zorgfase"])
    return z


def maatregel(w, leerling, soort, bereik, *, begin, evaluatiedatum, **velden) -> Maatregel:
    velden.setdefault("status", Maatregel.Status.ACTIEF)
    # Not moved, unless the caller says so.
    velden.setdefault("evaluatietermijn", evaluatiedatum)
    return Maatregel.objects.create(
        leerling=leerling,
        soort=soort,
        bereik=bereik,
        titel="Maatregel",
        domeinen=domeinen.LEREN,
        begin=begin,
        evaluatiedatum=evaluatiedatum,
        beslist_waar="cel",
        beslist_door=w.zorgcoordinator,
        **velden,
    )


def evaluatie(w, m, datum, effect, beslissing, volgende=None, *, termijn=None):
    return MaatregelEvaluatie.objects.create(
        maatregel=m,
        datum=datum,
        termijn=termijn,
        effect=effect,
        beslissing=beslissing,
        volgende_evaluatie=volgende,
        door=w.zorgcoordinator,
    )


def observatie(w, leerling, soort, domein, datum, **velden):
    return Observatie.objects.create(
        leerling=leerling,
        auteur=w.leerkracht,
        datum=datum,
        domeinen=domein,
        soort=soort,
        tekst="tekst",
        **velden,
    )


def overleg(w, soort, moment, status, klas=None):
    return Overleg.objects.create(
        school=w.school,
        soort=soort,
        klas=klas,
        moment=moment,
        status=status,
        voorzitter=w.zorgcoordinator,
        aangemaakt_door=w.zorgcoordinator,
        afgesloten_op=moment if status == Overleg.Status.AFGESLOTEN else None,
    )


def agendapunt(w, o, leerling, besproken=True):
    return Agendapunt.objects.create(
        overleg=o, leerling=leerling, besproken=besproken, toegevoegd_door=w.zorgcoordinator
    )


def actiepunt(w, o, leerling, vervaldatum, status=Actiepunt.Status.OPEN, klaar=None):
    return Actiepunt.objects.create(
        overleg=o,
        leerling=leerling,
        eigenaar=w.zorgcoordinator,
        omschrijving="doen",
        vervaldatum=vervaldatum,
        status=status,
        afgehandeld_op=klaar,
    )


def traject(w, leerling, *, gemeld, geopend, bron, **velden):
    a = Aanmelding.objects.create(
        leerling=leerling,
        datum=gemeld,
        hulpvraag="vraag",
        bron=bron,
        status=Aanmelding.Status.AANVAARD,
        aangemaakt_door=w.zorgcoordinator,
    )
    return HGDTraject.objects.create(
        aanmelding=a,
        leerling=leerling,
        clb=w.clb,
        begeleider=w.users["clb"],
        hulpvraag="vraag",
        geopend_op=geopend,
        **velden,
    )


def doel(w, t, laag, status):
    return Doel.objects.create(
        traject=t,
        termijn=Doeltermijn.KORT,
        omschrijving="doel",
        evaluatiedatum=D(2027, 5, 1),
        status=status,
        laag=laag,
        door=w.users["clb"],
    )


def bouw(w) -> Cijferwereld:
    jaar, vorig = w.schooljaar, w.vorig_schooljaar
    assert jaar.naam == "2026-2027", "build on a day of 2026-2027 (wereld_in_2026_2027)"
    noord = Campus.objects.create(school=w.school, naam="Noord")
    zuid = Campus.objects.create(school=w.school, naam="Zuid")
    w.klas_a.campus, w.klas_b.campus = noord, zuid
    w.klas_a.save()
    w.klas_b.save()
    klas_1a = f.KlasFactory(schooljaar=jaar, naam="1A", leerjaar=1, campus=noord)
    klas_2a = f.KlasFactory(schooljaar=jaar, naam="2A", leerjaar=2, campus=zuid)

    gewoon = [f.leerling_in(klas_1a) for _ in range(10)]
    wisselaar = f.leerling_in(klas_1a)
    Inschrijving.objects.filter(leerling=wisselaar).update(einde=D(2027, 1, 14))
    f.InschrijvingFactory(leerling=wisselaar, klas=klas_2a, begin=D(2027, 1, 15))

    stijger = f.leerling_in(klas_2a)
    wijziging(w, stijger, 0, 1, D(2026, 11, 10))
    wijziging(w, stijger, 1, 2, D(2027, 3, 10))
    dalers = [f.leerling_in(klas_2a) for _ in range(6)]
    for daler in dalers:
        wijziging(w, daler, 0, 1, D(2026, 9, 15))
        wijziging(w, daler, 1, 0, D(2027, 1, 20))
    zomer = f.leerling_in(klas_1a)
    wijziging(w, zomer, 0, 1, D(2026, 5, 5))
    wijziging(w, zomer, 1, 2, D(2027, 7, 10))
    zomer2 = f.leerling_in(klas_1a)
    wijziging(w, zomer2, 0, 1, D(2026, 8, 20))
    vertrokken = f.leerling_in(klas_1a)
    Inschrijving.objects.filter(leerling=vertrokken).update(einde=D(2027, 1, 10))
    laatkomer = f.LeerlingFactory(school=w.school)
    f.InschrijvingFactory(leerling=laatkomer, klas=klas_2a, begin=D(2027, 3, 1))

    # Measures.
    S, B = MaatregelSoort, Bereik
    E, BS = MaatregelEvaluatie.Effect, MaatregelEvaluatie.Beslissing
    for leerling in gewoon[:6]:
        maatregel(
            w, leerling, S.COMPENSEREND, B.ALLE_VAKKEN,
            begin=D(2026, 9, 20), evaluatiedatum=D(2027, 9, 30),
        )  # fmt: skip
    maatregel(
        w, stijger, S.REMEDIEREND, B.GEKOZEN_VAKKEN,
        begin=D(2026, 10, 1), evaluatiedatum=D(2026, 11, 1),
    )  # fmt: skip
    m8 = maatregel(
        w, zomer, S.DISPENSEREND, B.TOETSEN, begin=D(2026, 10, 1),
        evaluatiedatum=D(2027, 3, 15), status=Maatregel.Status.GEEVALUEERD, einde=D(2027, 3, 20),
    )  # fmt: skip
    # Each evaluation answers the deadline (termijn) the one before it set.
    evaluatie(
        w, m8, D(2026, 11, 20), E.WERKT_DEELS, BS.VERDERZETTEN, D(2027, 1, 15),
        termijn=D(2026, 12, 1),
    )  # fmt: skip
    evaluatie(
        w, m8, D(2027, 1, 10), E.WERKT, BS.VERDERZETTEN, D(2027, 3, 15), termijn=D(2027, 1, 15)
    )
    evaluatie(w, m8, D(2027, 3, 20), E.WERKT, BS.STOPPEN, termijn=D(2027, 3, 15))
    maatregel(
        w, dalers[0], S.STIMULEREND, B.ALLE_VAKKEN, begin=D(2026, 10, 1),
        evaluatiedatum=D(2026, 12, 1), status=Maatregel.Status.VOORGESTELD,
    )  # fmt: skip
    maatregel(
        w, vertrokken, S.DIFFERENTIEREND, B.ALLE_VAKKEN, begin=D(2026, 9, 10),
        evaluatiedatum=D(2027, 2, 1), status=Maatregel.Status.GESTOPT, einde=D(2027, 1, 10),
    )  # fmt: skip
    maatregel(
        w, zomer2, S.COMPENSEREND, B.ALLE_VAKKEN, begin=D(2025, 9, 10),
        evaluatiedatum=D(2026, 1, 15), status=Maatregel.Status.GESTOPT, einde=D(2026, 6, 30),
    )  # fmt: skip
    m12 = maatregel(
        w, laatkomer, S.COMPENSEREND, B.TOETSEN, begin=D(2027, 3, 5),
        evaluatiedatum=D(2027, 5, 1), status=Maatregel.Status.GEEVALUEERD, einde=D(2027, 4, 28),
    )  # fmt: skip
    evaluatie(w, m12, D(2027, 4, 28), E.WERKT_NIET, BS.STOPPEN, termijn=D(2027, 5, 1))

    # Observations.
    ST, ZO = ObservatieSoort.STERKTE, ObservatieSoort.ZORG
    observatie(w, w.leerling_a, ST, domeinen.LEREN | domeinen.PSYCHOSOCIAAL, D(2026, 10, 5))
    observatie(w, w.leerling_b, ZO, domeinen.LEREN, D(2026, 11, 5))
    fout = observatie(w, w.leerling_b, ZO, domeinen.LOOPBAAN, D(2026, 11, 6))
    observatie(
        w, w.leerling_b, ZO, domeinen.LOOPBAAN | domeinen.GEZONDHEID, D(2026, 11, 7),
        corrigeert=fout,
    )  # fmt: skip
    observatie(w, stijger, ST, domeinen.GEZONDHEID, D(2025, 12, 1))

    # Flags: 4 yellow (one at 00:30 on 1 September, Brussels time), 1
    # orange, 2 red this year; 1 green on 31 August at 23:30 (last year).
    for dag in (5, 6, 7):
        vlag_met(w.leerling_a, klas=w.klas_a, moment=lokaal(2026, 10, dag))
    vlag_met(w.leerling_a, klas=w.klas_a, moment=lokaal(2026, 9, 1, 0, 30))
    VlagFactory(klas=w.klas_a, kleur=VlagKleur.GROEN, moment=lokaal(2026, 8, 31, 23, 30))
    VlagFactory(klas=w.klas_b, kleur=VlagKleur.ORANJE, moment=lokaal(2026, 11, 3))
    r1 = vlag_met(
        w.leerling_b, klas=w.klas_b, kleur=VlagKleur.ROOD, moment=lokaal(2027, 1, 12),
        erkend_op=lokaal(2027, 1, 12, 10, 30),
    )  # fmt: skip
    VlagOpvolging.objects.create(
        vlag=r1, soort="herstelgesprek", datum=D(2027, 1, 13), door=w.zorgcoordinator
    )
    vlag_met(
        w.leerling_b, klas=w.klas_b, kleur=VlagKleur.ROOD, moment=lokaal(2027, 2, 3),
        erkend_op=lokaal(2027, 2, 3, 11, 30),
    )  # fmt: skip
    Signaal.objects.create(
        leerling=w.leerling_a, soort="patroon", van=D(2026, 10, 5), tot=D(2026, 10, 7),
        aantal=3, aangemaakt=lokaal(2026, 10, 20),
    )  # fmt: skip
    Signaal.objects.create(
        leerling=w.leerling_b, soort="patroon", van=D(2025, 10, 5), tot=D(2025, 10, 7),
        aantal=3, aangemaakt=lokaal(2025, 11, 1), afgehandeld_op=lokaal(2025, 11, 2),
    )  # fmt: skip

    # Meetings.
    AF = Overleg.Status.AFGESLOTEN
    cel1 = overleg(w, OverlegSoort.CEL, lokaal(2026, 10, 8), AF)
    cel2 = overleg(w, OverlegSoort.CEL, lokaal(2026, 11, 12), AF)
    overleg(w, OverlegSoort.CEL, lokaal(2027, 6, 1), Overleg.Status.GEPLAND)
    kr = overleg(w, OverlegSoort.BEGELEIDEND, lokaal(2026, 12, 1), Overleg.Status.BEZIG, w.klas_a)
    punt_a = agendapunt(w, cel1, w.leerling_a)
    agendapunt(w, cel1, w.leerling_b)
    agendapunt(w, cel1, stijger, besproken=False)
    punt_a2 = agendapunt(w, cel2, w.leerling_a)
    agendapunt(w, kr, w.leerling_a)
    for soort, punt in (
        ("afspraak", punt_a),
        ("afspraak", punt_a),
        ("actiepunt", punt_a),
        ("maatregel_starten", punt_a2),
    ):
        Beslissing.objects.create(agendapunt=punt, soort=soort, tekst="t", door=w.zorgcoordinator)
    A = Actiepunt.Status
    actiepunt(w, cel1, w.leerling_a, D(2026, 10, 20), A.AFGEROND, lokaal(2026, 10, 19))
    actiepunt(w, cel1, w.leerling_a, D(2026, 11, 1), A.AFGEROND, lokaal(2026, 11, 5))
    actiepunt(w, cel2, w.leerling_a, D(2026, 12, 1))
    actiepunt(w, cel2, w.leerling_a, D(2026, 12, 10), A.GEANNULEERD, lokaal(2026, 12, 2))
    actiepunt(w, cel2, w.leerling_a, D(2027, 8, 20))

    # The CLB.
    t = traject(
        w, stijger, gemeld=D(2027, 3, 10), geopend=D(2027, 3, 20),
        bron=Aanmelding.Bron.ZORGFASE, stap=Trajectstap.STRATEGIE,
    )  # fmt: skip
    doel(w, t, Laag.GEDEELD, Doel.Status.BEREIKT)
    doel(w, t, Laag.CLB, Doel.Status.LOPEND)
    doel(w, t, Laag.CLB, Doel.Status.LOPEND)
    traject(
        w, dalers[0], gemeld=D(2026, 10, 1), geopend=D(2026, 10, 31), bron=Aanmelding.Bron.CEL,
        stap=Trajectstap.ADVIES, status=HGDTraject.Status.AFGESLOTEN,
        afgesloten_op=D(2027, 2, 15), uitkomst=Uitkomst.ADVIES_OP_SCHOOL,
    )  # fmt: skip
    Aanmelding.objects.create(
        leerling=w.leerling_b, datum=D(2027, 5, 1), hulpvraag="vraag",
        bron=Aanmelding.Bron.RECHTSTREEKS, aangemaakt_door=w.zorgcoordinator,
    )  # fmt: skip
    traject(
        w, zomer2, gemeld=D(2025, 10, 1), geopend=D(2025, 10, 5), bron=Aanmelding.Bron.CEL,
        status=HGDTraject.Status.AFGESLOTEN, afgesloten_op=D(2026, 6, 1),
        uitkomst=Uitkomst.EXTERNE_HULP,
    )  # fmt: skip
    consultatie(w.leerling_a, w.clb, w.users["clb"], datum=D(2026, 11, 15))

    # The other school: none of this counts.
    wijziging(w, w.leerling_x, 0, 1, D(2026, 10, 1))
    maatregel(
        w, w.leerling_x, S.COMPENSEREND, B.ALLE_VAKKEN,
        begin=D(2026, 9, 20), evaluatiedatum=D(2026, 10, 1),
    )  # fmt: skip
    vlag_met(w.leerling_x, klas=w.klas_x, kleur=VlagKleur.ROOD, moment=lokaal(2026, 10, 5))

    assert timezone.localdate().year == 2026
    return Cijferwereld(
        w=w, school=w.school, jaar=jaar, vorig=vorig, klas_1a=klas_1a, klas_2a=klas_2a,
        gewoon=gewoon, dalers=dalers, wisselaar=wisselaar, stijger=stijger, zomer=zomer,
        zomer2=zomer2, vertrokken=vertrokken, laatkomer=laatkomer,
    )  # fmt: skip


@pytest.fixture
def cijferwereld(wereld_in_2026_2027, wereld) -> Cijferwereld:
    return bouw(wereld)
