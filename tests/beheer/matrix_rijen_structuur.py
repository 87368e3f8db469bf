"""Role-matrix rows of the school's structure and measure catalogue
(zorg.beheer.structuur).

The administrator of school 1 changes the structure (campuses, school
years, classes, subjects, teaching assignments); the director reads it.
The catalogue is kept by the administrator and the care coordinators, read
by the director. Everyone else, school 2's care coordinator included, gets
404 as for a thing that does not exist. An empty POST to a form re-shows it
with its errors (200); one to a button goes back with a message (302)."""

from leerlingen.models import Bereik, Lesopdracht, MaatregelCatalogusItem, MaatregelSoort
from tests.factories import LesopdrachtFactory, VakFactory
from tests.matrix import Rij, codes, zichtbaar_voor
from zorg.accounts.models import Campus

LEZERS = {"beheerder", "directie"}
BEWERKERS = {"beheerder"}
CATALOGUS_LEZERS = {"beheerder", "zorgcoordinator", "directie"}
CATALOGUS_BEWERKERS = {"beheerder", "zorgcoordinator"}


def _school(w):
    return {"pk": w.school.pk}


def _campus(w):
    # get_or_create: the link walk asks every row for its URL in one world.
    return {"pk": Campus.objects.get_or_create(school=w.school, naam="Campus Noord")[0].pk}


def _vak(w):
    return {"pk": VakFactory(school=w.school, naam="Aardrijkskunde").pk}


def _lesopdracht(w):
    vak = VakFactory(school=w.school, naam="Latijn")
    opdracht = Lesopdracht.objects.filter(klas=w.klas_a, vak=vak).first() or LesopdrachtFactory(
        klas=w.klas_a, leerkracht=w.leerkracht, vak=vak
    )
    return {"pk": w.klas_a.pk, "opdracht": opdracht.pk}


def _catalogus_item(w):
    item, _ = MaatregelCatalogusItem.objects.get_or_create(
        school=w.school,
        titel="Extra tijd bij toetsen",
        defaults={"soort": MaatregelSoort.COMPENSEREND, "bereik": Bereik.TOETSEN, "domeinen": 1},
    )
    return {"pk": item.pk}


def _formulier(rollen, kwargs):
    return Rij(get=zichtbaar_voor(rollen), post=zichtbaar_voor(rollen), kwargs=kwargs)


def _knop(rollen, kwargs):
    return Rij(get=codes(405), post=codes(404, **dict.fromkeys(rollen, 302)), kwargs=kwargs)


RIJEN: dict[str, Rij] = {
    "beheer:structuur_start": Rij(get=codes(404, beheerder=302, directie=302)),
    "beheer:structuur": Rij(get=zichtbaar_voor(LEZERS), kwargs=_school),
    "beheer:campus_toevoegen": _formulier(BEWERKERS, _school),
    "beheer:campus_wijzigen": _formulier(BEWERKERS, _campus),
    "beheer:campus_verwijderen": _knop(BEWERKERS, _campus),
    "beheer:vak_toevoegen": _formulier(BEWERKERS, _school),
    "beheer:vak_wijzigen": _formulier(BEWERKERS, _vak),
    "beheer:vak_verwijderen": _knop(BEWERKERS, _vak),
    "beheer:schooljaar_wijzigen": _formulier(BEWERKERS, lambda w: {"pk": w.schooljaar.pk}),
    "beheer:klassen": Rij(get=zichtbaar_voor(LEZERS), kwargs=lambda w: {"pk": w.schooljaar.pk}),
    "beheer:klas_toevoegen": _formulier(BEWERKERS, lambda w: {"pk": w.schooljaar.pk}),
    "beheer:klas": Rij(get=zichtbaar_voor(LEZERS), kwargs=lambda w: {"pk": w.klas_a.pk}),
    "beheer:klas_wijzigen": _formulier(BEWERKERS, lambda w: {"pk": w.klas_a.pk}),
    # Class 3A has students: the administrator's delete is refused (302 back).
    "beheer:klas_verwijderen": _knop(BEWERKERS, lambda w: {"pk": w.klas_a.pk}),
    "beheer:lesopdracht_toevoegen": _formulier(BEWERKERS, lambda w: {"pk": w.klas_a.pk}),
    "beheer:lesopdracht_verwijderen": _knop(BEWERKERS, _lesopdracht),
    "beheer:catalogus_start": Rij(
        get=codes(404, beheerder=302, zorgcoordinator=302, directie=302, buitenstaander=302)
    ),
    "beheer:catalogus": Rij(get=zichtbaar_voor(CATALOGUS_LEZERS), kwargs=_school),
    "beheer:catalogus_item_toevoegen": _formulier(CATALOGUS_BEWERKERS, _school),
    "beheer:catalogus_item_wijzigen": _formulier(CATALOGUS_BEWERKERS, _catalogus_item),
    "beheer:catalogus_item_actief": _knop(CATALOGUS_BEWERKERS, _catalogus_item),
}
