"""The PDF documents of the CLB (zorg.pdf): the HGD trajectory report, for
the staff of the trajectory's CLB only (`policies.get_traject_voor_clb`:
everyone else, school staff included, gets the 404 of a thing that does
not exist). It holds both layers, as the CLB's own page does (the same data,
one function), and says on every page that it is the CLB's confidential
file."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zorg.pdf.soorten import Documentsoort, Opmaak

from . import policies
from .views.trajecten import traject_overzicht


def _trajectverslag(user, traject, opties) -> Opmaak:
    context = traject_overzicht(traject)
    return Opmaak(
        template="clb/pdf/traject.html",
        context=context,
        titel=_("HGD-traject van %(naam)s") % {"naam": traject.leerling.volledige_naam},
        school=traject.leerling.school,
        leerlingen=[traject.leerling],
    )


TRAJECTVERSLAG = Documentsoort(
    code="hgd-traject",
    label=gettext_lazy("Verslag van het HGD-traject"),
    opzoeken=policies.get_traject_voor_clb,
    opmaken=_trajectverslag,
    school_id=lambda traject: traject.leerling.school_id,
)

DOCUMENTEN = [TRAJECTVERSLAG]
