"""The student record's cards on the start page (zorg.startpagina): the
open red flags and pattern signals, which share their querysets with their
whole lists (views.werklijsten), one's classes and the administration."""

from django.db.models import Count, Q
from django.utils import timezone

from zorg.accounts.policies import is_administratie
from zorg.startpagina import GETOOND, NAKIJKEN, OP_START, Kaart

from . import policies
from .models import SodaPeriode
from .policies import lesklassen
from .views import werklijsten
from .views.basis import mijn_klassen


def rode_vlaggen(request) -> dict:
    """Open red flags of the schools where this user is in the care team:
    the unacknowledged first, the longest waiting on top; then those
    acknowledged but still open; for the director also the escalated ones.
    A fixed number of queries whatever the number of flags."""
    user = request.user
    rood = werklijsten.open_rode_vlaggen(user)
    aantallen = rood.aggregate(
        onerkend=Count("pk", filter=Q(erkend_op__isnull=True)),
        erkend=Count("pk", filter=Q(erkend_op__isnull=False)),
        geescaleerd=Count("pk", filter=werklijsten.geescaleerd_filter(user)),
    )
    lijsten = {}
    for status in werklijsten.RODE_LIJSTEN:
        lijsten[status] = []
        if aantallen[status]:
            lijsten[status] = list(werklijsten.rode_vlaggen_lijst(user, status)[:OP_START])
    return {
        "is_directie": policies.can_view_geescaleerde_vlaggen(user),
        "rode_onerkend": lijsten[werklijsten.ONERKEND],
        "rode_onerkend_aantal": aantallen[werklijsten.ONERKEND],
        "rode_erkend": lijsten[werklijsten.ERKEND],
        "rode_erkend_aantal": aantallen[werklijsten.ERKEND],
        "rode_geescaleerd": lijsten[werklijsten.GEESCALEERD],
        "rode_geescaleerd_aantal": aantallen[werklijsten.GEESCALEERD],
        GETOOND: [
            b.leerling for lijst in lijsten.values() for v in lijst for b in v.betrokkenen.all()
        ],
    }


def signalen(request) -> dict:
    """Open pattern signals: of every student of the school for the care
    team, of the students of their own class for a class teacher."""
    open_ = werklijsten.open_signalen(request.user)
    lijst = list(open_[:OP_START])
    return {
        "signalen": lijst,
        "signalen_aantal": open_.count() if lijst else 0,
        GETOOND: [signaal.leerling for signaal in lijst],
    }


def klassen(request) -> dict | None:
    """The classes a teacher teaches or leads, and the schools whose
    measures of all one's classes they may ask as a PDF (every school of
    such a class: `get_mijn_klassen_school_for_user`)."""
    lijst = mijn_klassen(request.user)
    if not lijst:
        return None
    # The PDF of all of one's classes is per school (each has its own
    # school year): one button per school one has classes in.
    scholen = {klas.schooljaar.school_id: klas.schooljaar.school for klas in lijst}
    eigen = lesklassen(request.user)
    # SODA: a subject teacher fills in the grid once a period of the class's
    # school year has begun (one query for all classes); the class teacher
    # reads the class's overview.
    met_periode = set(
        SodaPeriode.objects.filter(
            schooljaar_id__in={klas.schooljaar_id for klas in lijst},
            begin__lte=timezone.localdate(),
        ).values_list("schooljaar_id", flat=True)
    )
    return {
        "mijn_klassen": lijst,
        "titularis_ids": eigen.titularis_ids,
        "soda_invul_ids": {
            klas.pk
            for klas in lijst
            if klas.pk in eigen.les_ids and klas.schooljaar_id in met_periode
        },
        "pdf_scholen": sorted(scholen.values(), key=lambda school: school.naam),
    }


KAARTEN = [
    Kaart(
        naam="rode_vlaggen",
        volgorde=10,
        template="leerlingen/_rode_vlaggen_start.html",
        context=rode_vlaggen,
        voor=policies.can_view_rode_vlaggen,
    ),
    Kaart(
        naam="signalen",
        volgorde=40,
        template="leerlingen/_signalen_start.html",
        context=signalen,
        voor=policies.can_view_signalen,
    ),
    Kaart(
        naam="mijn_klassen",
        volgorde=NAKIJKEN + 10,
        template="leerlingen/_klassen_start.html",
        context=klassen,
    ),
    Kaart(
        naam="administratie",
        volgorde=NAKIJKEN + 20,
        template="leerlingen/_administratie_start.html",
        context=lambda request: {
            "kan_afwezigheden": policies.can_registreren_afwezigheden(request.user)
        },
        voor=is_administratie,
    ),
]
