"""The PDF documents of the student record (zorg.pdf): the class measures
overview for a substitute teacher's folder."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zorg.pdf.soorten import Documentsoort, Opmaak

from . import policies
from .views.maatregelen import klas_maatregelen_overzicht


def _klas_maatregelen(user, klas, opties) -> Opmaak:
    context = klas_maatregelen_overzicht(user, klas)
    return Opmaak(
        template="leerlingen/pdf/klas_maatregelen.html",
        context=context,
        titel=_("Maatregelen in %(klas)s") % {"klas": klas.naam},
        school=klas.schooljaar.school,
        leerlingen=[blok["leerling"] for blok in context["blokken"]],
    )


KLAS_MAATREGELEN = Documentsoort(
    code="klas-maatregelen",
    label=gettext_lazy("Maatregelen van de klas"),
    opzoeken=policies.get_klas_maatregelen_for_user,
    opmaken=_klas_maatregelen,
    school_id=lambda klas: klas.schooljaar.school_id,
)

DOCUMENTEN = [KLAS_MAATREGELEN]
