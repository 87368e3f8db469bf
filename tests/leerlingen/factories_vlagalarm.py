"""Flags, follow-ups and signals for the acknowledgement-loop tests, made
directly (not through the logging service, which another part owns)."""

import datetime

from django.utils import timezone

from leerlingen.models import Signaal, Vlag, VlagBetrokkene, VlagKleur, VlagOpvolging


def vlag(*leerlingen, klas, gemeld_door, kleur=VlagKleur.ROOD, geleden=None, **velden) -> Vlag:
    """A flag of `klas` about `leerlingen`; `geleden` (a timedelta) puts its
    logging in the past."""
    nu = timezone.now()
    aangemaakt = nu - geleden if geleden else nu
    v = Vlag.objects.create(
        school_id=klas.schooljaar.school_id,
        klas=klas,
        kleur=kleur,
        moment=aangemaakt,
        omschrijving="Gooide een stoel om tijdens de les.",
        gemeld_door=gemeld_door,
        aangemaakt=aangemaakt,
        **velden,
    )
    VlagBetrokkene.objects.bulk_create(VlagBetrokkene(vlag=v, leerling=ll) for ll in leerlingen)
    return v


def opvolging(v: Vlag, door, soort=VlagOpvolging.Soort.HERSTELGESPREK) -> VlagOpvolging:
    return VlagOpvolging.objects.create(
        vlag=v, door=door, soort=soort, datum=timezone.localdate(), notities="Gesprek gevoerd."
    )


def signaal(leerling, *, aantal=3, **velden) -> Signaal:
    tot = timezone.localdate()
    return Signaal.objects.create(
        leerling=leerling,
        soort=Signaal.Soort.PATROON,
        van=tot - datetime.timedelta(days=14),
        tot=tot,
        aantal=aantal,
        **velden,
    )
