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


def _mijn_klassen_maatregelen(user, school, opties) -> Opmaak:
    """Every class `user` teaches or leads in the school's current school
    year, each as its own overview (the same data as the class's page),
    each on a new page."""
    klassen = [
        klas_maatregelen_overzicht(user, klas)
        for klas in policies.lesklassen_in_school(user, school.pk)
    ]
    return Opmaak(
        template="leerlingen/pdf/mijn_klassen_maatregelen.html",
        context={"klassen": klassen},
        titel=_("Maatregelen in mijn klassen"),
        school=school,
        leerlingen=list(
            {
                blok["leerling"].pk: blok["leerling"]
                for overzicht in klassen
                for blok in overzicht["blokken"]
            }.values()
        ),
    )


MIJN_KLASSEN_MAATREGELEN = Documentsoort(
    code="mijn-klassen-maatregelen",
    label=gettext_lazy("Maatregelen in al mijn klassen"),
    opzoeken=policies.get_mijn_klassen_school_for_user,
    opmaken=_mijn_klassen_maatregelen,
    school_id=lambda school: school.pk,
)

DOCUMENTEN.append(MIJN_KLASSEN_MAATREGELEN)
