"""The released transfer as a PDF, for a next school without Zorg: the
summary as the parents were told it (the same template as the page)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zorg.pdf.soorten import Documentsoort, Opmaak

from . import inhoud, policies


def _overdracht(user, overdracht, opties) -> Opmaak:
    leerling = overdracht.leerling
    return Opmaak(
        template="overdracht/pdf.html",
        context={
            "overdracht": overdracht,
            "leerling": leerling,
            "samenvatting": inhoud.voor_weergave(overdracht.inhoud),
        },
        titel=_("Overdracht van %(naam)s") % {"naam": leerling.volledige_naam},
        school=leerling.school,
        leerlingen=[leerling],
    )


OVERDRACHT = Documentsoort(
    code="overdracht",
    label=gettext_lazy("Overdracht naar de volgende school"),
    opzoeken=policies.get_vrijgegeven_overdracht_for_user,
    opmaken=_overdracht,
    school_id=lambda overdracht: overdracht.leerling.school_id,
)

DOCUMENTEN = [OVERDRACHT]
