"""The access export as a PDF (zorg.pdf): the same content as the JSON
(inzage.inhoud), laid out for reading. Only the director who may see the
request gets it: the kind's lookup is the request's policy."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zorg.pdf.soorten import Documentsoort, Opmaak

from . import policies
from .inhoud import inzage_inhoud
from .services import inzage_klaarzetten


def _inzage(user, verzoek, opties) -> Opmaak:
    inhoud = inzage_inhoud(verzoek)
    # Made by the worker once per job; marking ready is a conditional
    # UPDATE, harmless when it runs again.
    inzage_klaarzetten(verzoek=verzoek)
    return Opmaak(
        template="inzage/pdf/inzage.html",
        context={"inhoud": inhoud, "verzoek": verzoek},
        titel=_("Inzage in het zorgdossier van %(naam)s")
        % {"naam": verzoek.leerling.volledige_naam},
        school=verzoek.school,
        leerlingen=[verzoek.leerling],
    )


INZAGE = Documentsoort(
    code="inzage",
    label=gettext_lazy("Inzage in het zorgdossier"),
    opzoeken=policies.get_inzageverzoek_for_user,
    opmaken=_inzage,
)

DOCUMENTEN = [INZAGE]
