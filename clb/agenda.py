"""The CLB's reason on the care cell's proposed agenda: goals of a running
HGD trajectory due for review by the day of the cell. Only shared goals: the
agenda is the school's (registered with klassenraad.agenda from the app's
ready())."""

from django.utils.translation import gettext as _

from klassenraad.agenda import dag_op_agenda
from klassenraad.models import Agendareden

from .models import Doel, HGDTraject, Laag


def doelen_te_evalueren(overleg, datum_cel):
    """(leerling_id, reason, text, review date) for each shared, running goal of a
    running trajectory of a student of the meeting's school, with its review
    date on or before the cell. One query."""
    rijen = (
        Doel.objects.filter(
            laag=Laag.GEDEELD,
            status=Doel.Status.LOPEND,
            evaluatiedatum__lte=datum_cel,
            traject__status=HGDTraject.Status.LOPEND,
            traject__leerling__school_id=overleg.school_id,
        )
        .order_by("evaluatiedatum", "pk")
        .values_list("traject__leerling_id", "evaluatiedatum", "omschrijving")
    )
    bericht = _("Doel van het HGD-traject te evalueren op %(dag)s: %(doel)s")
    return [
        (
            leerling_id,
            Agendareden.DOEL,
            bericht % {"dag": dag_op_agenda(evaluatiedatum, datum_cel), "doel": omschrijving},
            evaluatiedatum,
        )
        for leerling_id, evaluatiedatum, omschrijving in rijen
    ]
