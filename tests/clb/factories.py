"""Referrals, trajectories and their entries for the CLB tests, made directly
(not through the services, which the tests exercise)."""

import datetime

from django.utils import timezone

from clb.models import Behoefte, Consultatie, Doel, Doeltermijn, HGDTraject, Laag, Trajectnotitie
from leerlingen.models import Aanmelding


def aanmelding(leerling, door, *, status=Aanmelding.Status.OPEN, **velden) -> Aanmelding:
    velden.setdefault("hulpvraag", "Hoe helpen we Lotte om zich beter te concentreren?")
    velden.setdefault("bron", Aanmelding.Bron.RECHTSTREEKS)
    velden.setdefault("datum", timezone.localdate())
    return Aanmelding.objects.create(
        leerling=leerling, aangemaakt_door=door, status=status, **velden
    )


def traject(w, leerling=None, *, begeleider=None, **velden) -> HGDTraject:
    """A running trajectory of the world's CLB for `leerling` (leerling_a),
    on an accepted referral."""
    leerling = leerling or w.leerling_a
    a = aanmelding(leerling, w.zorgcoordinator, status=Aanmelding.Status.AANVAARD)
    velden.setdefault("hulpvraag", a.hulpvraag)
    velden.setdefault("geopend_op", timezone.localdate())
    return HGDTraject.objects.create(
        aanmelding=a,
        leerling=leerling,
        clb=w.clb,
        begeleider=begeleider or w.users["clb"],
        **velden,
    )


def doel(t: HGDTraject, door, *, laag=Laag.GEDEELD, dagen=14, **velden) -> Doel:
    velden.setdefault("omschrijving", "Lotte plant haar huiswerk zelf in een agenda.")
    velden.setdefault("termijn", Doeltermijn.KORT)
    return Doel.objects.create(
        traject=t,
        door=door,
        laag=laag,
        evaluatiedatum=timezone.localdate() + datetime.timedelta(days=dagen),
        **velden,
    )


def behoefte(t: HGDTraject, door, *, laag=Laag.GEDEELD, **velden) -> Behoefte:
    velden.setdefault("soort", Behoefte.Soort.ONDERWIJS)
    velden.setdefault("van", Behoefte.Van.LEERLING)
    velden.setdefault("omschrijving", "Lotte heeft nood aan korte, duidelijke opdrachten.")
    return Behoefte.objects.create(traject=t, door=door, laag=laag, **velden)


def notitie(t: HGDTraject, door, *, laag=Laag.CLB, soort=Trajectnotitie.Soort.NOTITIE, **velden):
    velden.setdefault("tekst", "Vertrouwelijk: gesprek met de huisarts over de slaap.")
    velden.setdefault("datum", timezone.localdate())
    return Trajectnotitie.objects.create(traject=t, door=door, laag=laag, soort=soort, **velden)


def consultatie(leerling, clb, door, **velden) -> Consultatie:
    velden.setdefault("advies", "Geef Lotte een vaste plaats vooraan en korte instructies.")
    velden.setdefault("datum", timezone.localdate())
    return Consultatie.objects.create(leerling=leerling, clb=clb, door=door, **velden)
