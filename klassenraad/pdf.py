"""The PDF documents of the meetings (zorg.pdf): the minutes, as the
printable page shows them to the reader (the same data, one function), so
a teacher's PDF names only the students they teach now and holds the
general minutes only where the reader may read them."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zorg.pdf.soorten import Documentsoort, Opmaak

from . import policies
from .views.overleggen import afdrukbaar_verslag


def _notulen(user, overleg, opties) -> Opmaak:
    context = afdrukbaar_verslag(user, overleg)
    return Opmaak(
        template="klassenraad/pdf/verslag.html",
        context=context,
        titel=_("Verslag: %(overleg)s") % {"overleg": overleg},
        school=overleg.school,
        leerlingen=[punt.leerling for punt in context["punten"]],
    )


VERSLAG = Documentsoort(
    code="notulen",
    label=gettext_lazy("Verslag van het overleg"),
    opzoeken=policies.get_overleg_for_user,
    opmaken=_notulen,
)

DOCUMENTEN = [VERSLAG]
