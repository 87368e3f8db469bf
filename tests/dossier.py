"""A full care record of the matrix world's leerling_a, written through the
services as the pages write it: phase changes up to extended care (which
refers her to the CLB, so the CLB worker reaches her), a trajectory with a
goal, measures in force, evaluated and stopped, a proposal, an observation,
a parent talk, a red flag with its follow-up, an intake, a care-cell
decision and a request to discuss her. Every free text is distinctive, so a
test can look for it where it must not be (INHOUD)."""

import datetime
import uuid
from dataclasses import dataclass, field

from django.utils import timezone

from clb.services import trajecten as clb_services
from klassenraad.models import BeslissingSoort, Bespreekvraag
from klassenraad.services.agenda import bespreekvraag_maken
from klassenraad.services.beslissingen import beslissing_registreren
from leerlingen import domeinen
from leerlingen.models import (
    Aanmelding,
    Bereik,
    Gesprek,
    Maatregel,
    MaatregelEvaluatie,
    MaatregelSoort,
    ObservatieSoort,
    VlagBetrokkene,
    VlagKleur,
    VlagOpvolging,
    Zichtbaarheid,
    Zorgfase,
)
from leerlingen.services.gesprekken import gesprek_maken
from leerlingen.services.intake import intake_opslaan
from leerlingen.services.maatregelen import (
    MaatregelGegevens,
    catalogus_item_maken,
    maatregel_evalueren,
    maatregel_maken,
    maatregel_stoppen,
)
from leerlingen.services.observaties import observatie_maken
from leerlingen.services.vlagalarm import opvolging_toevoegen, vlag_erkennen
from leerlingen.services.vlaggen import vlag_registreren
from leerlingen.services.zorgfase import zorgfase_wijzigen
from tests.klassenraad import factories as kf

DAG = datetime.timedelta(days=1)

# Free texts and titles typed into the record: none may reach the audit trail.
INHOUD = {
    "maatregel": "Vergrote kopieën op A3-formaat",
    "maatregel_gestopt": "Rekenmachine bij hoofdrekenen",
    "maatregel_voorstel": "Koptelefoon bij zelfstandig werk",
    "stopreden": "Lotte wil de rekenmachine niet meer gebruiken.",
    "evaluatie": "Helpt bij lezen, niet bij schema's.",
    "catalogus": "Extra pauze tijdens lange toetsen",
    "fasereden": "Lotte haakt af bij lange instructies.",
    "hulpvraag": "Hoe krijgen we Lotte terug aan het werk in de klas?",
    "observatie": "Lotte huilde na de toets wiskunde.",
    "gesprek": "Mama vertelt over de scheiding thuis.",
    "afspraken": "Mama belt de zorgcoördinator elke vrijdag.",
    "deelnemers": "mama, stiefvader, zorgcoördinator",
    "vlag": "Gooide een stoel door de klas.",
    "opvolging": "Herstelgesprek met de klasgenoten gehouden.",
    "intake": "Dyscalculie vastgesteld in het vijfde leerjaar.",
    "beslissing": "Lotte mag de toetsen in een apart lokaal maken.",
    "bespreekvraag": "Lotte eet niet meer tijdens de middag.",
    "doel": "Lotte vraagt zelf om hulp wanneer ze vastloopt.",
}


@dataclass
class Dossier:
    """What was written, for the tests that look it up."""

    maatregel: Maatregel
    maatregel_gestopt: Maatregel
    maatregel_voorstel: Maatregel
    traject: object
    vlag: object
    objecten: dict = field(default_factory=dict)


def _gegevens(titel: str, **velden) -> MaatregelGegevens:
    waarden = {
        "soort": MaatregelSoort.COMPENSEREND,
        "titel": titel,
        "domeinen": domeinen.LEREN,
        "bereik": Bereik.ALLE_VAKKEN,
        "begin": timezone.localdate() - 14 * DAG,
        "evaluatiedatum": timezone.localdate() + 60 * DAG,
        "beslist_waar": "begeleidende klassenraad",
    }
    waarden.update(velden)
    return MaatregelGegevens(**waarden)


def _fase(leerling, nummer: int) -> Zorgfase:
    return Zorgfase.objects.get(schooltype=leerling.school.schooltype, nummer=nummer)


def dossier_vullen(w) -> Dossier:
    leerling, zorg = w.leerling_a, w.zorgcoordinator
    vandaag = timezone.localdate()

    for nummer in (1, 2):
        leerling.refresh_from_db()
        zorgfase_wijzigen(
            leerling=leerling,
            van=leerling.zorgfase,
            naar=_fase(leerling, nummer),
            datum=vandaag,
            reden=INHOUD["fasereden"],
            beslist_waar="cel leerlingbegeleiding",
            door=zorg,
            hulpvraag=INHOUD["hulpvraag"],
        )
    leerling.refresh_from_db()
    aanmelding = Aanmelding.objects.get(leerling=leerling, status=Aanmelding.Status.OPEN)
    traject = clb_services.aanmelding_aanvaarden(
        aanmelding=aanmelding, begeleider=w.users["clb"], door=w.users["clb"]
    )
    clb_services.doel_toevoegen(
        traject=traject,
        termijn="kort",
        omschrijving=INHOUD["doel"],
        evaluatiedatum=vandaag + 30 * DAG,
        laag="gedeeld",
        door=w.users["clb"],
    )

    maatregel = maatregel_maken(
        leerling=leerling, gegevens=_gegevens(INHOUD["maatregel"]), door=zorg
    )
    maatregel_evalueren(
        maatregel=maatregel,
        datum=vandaag,
        effect=MaatregelEvaluatie.Effect.WERKT_DEELS,
        beslissing=MaatregelEvaluatie.Beslissing.STOPPEN,
        notities=INHOUD["evaluatie"],
        door=zorg,
    )
    gestopt = maatregel_maken(
        leerling=leerling, gegevens=_gegevens(INHOUD["maatregel_gestopt"]), door=zorg
    )
    maatregel_stoppen(maatregel=gestopt, datum=vandaag, reden=INHOUD["stopreden"], door=zorg)
    voorstel = maatregel_maken(
        leerling=leerling,
        gegevens=_gegevens(
            INHOUD["maatregel_voorstel"],
            begin=vandaag + 7 * DAG,
            status=Maatregel.Status.VOORGESTELD,
        ),
        door=zorg,
    )
    catalogus_item_maken(
        school_id=w.school.pk,
        soort=MaatregelSoort.DISPENSEREND,
        titel=INHOUD["catalogus"],
        bereik=Bereik.ALLE_VAKKEN,
        domeinen=domeinen.LEREN,
        door=zorg,
    )

    observatie_maken(
        leerling=leerling,
        auteur=w.leerkracht,
        datum=vandaag - DAG,
        domeinen=domeinen.PSYCHOSOCIAAL,
        soort=ObservatieSoort.ZORG,
        tekst=INHOUD["observatie"],
        zichtbaarheid=Zichtbaarheid.KLASTEAM,
    )
    gesprek_maken(
        leerling=leerling,
        door=zorg,
        datum=vandaag - DAG,
        soort=Gesprek.Soort.OUDERS,
        deelnemers=INHOUD["deelnemers"],
        samenvatting=INHOUD["gesprek"],
        afspraken=INHOUD["afspraken"],
        domeinen=domeinen.PSYCHOSOCIAAL,
        zichtbaarheid=Zichtbaarheid.ZORGTEAM,
    )

    vlag, _nieuw = vlag_registreren(
        klas=w.klas_a,
        door=w.leerkracht,
        kleur=VlagKleur.ROOD,
        moment=timezone.now() - datetime.timedelta(minutes=30),
        leerlingen_met_rol=[(leerling, VlagBetrokkene.Rol.BETROKKEN)],
        omschrijving=INHOUD["vlag"],
        sleutel=uuid.uuid4(),
    )
    vlag_erkennen(vlag=vlag, door=zorg)
    opvolging_toevoegen(
        vlag=vlag,
        door=zorg,
        soort=VlagOpvolging.Soort.HERSTELGESPREK,
        datum=vandaag,
        notities=INHOUD["opvolging"],
    )

    intake_opslaan(
        leerling=leerling,
        door=zorg,
        versie=0,
        datum=vandaag - 90 * DAG,
        vorige_school="Basisschool De Regenboog",
        onderwijsbehoeften=INHOUD["intake"],
        attesten="",
        opmerkingen="",
    )

    cel = kf.overleg(w, moment=timezone.now())
    kf.agendapunt(cel, leerling)
    beslissing_registreren(
        overleg=cel,
        leerling=leerling,
        soort=BeslissingSoort.AFSPRAAK,
        tekst=INHOUD["beslissing"],
        door=zorg,
    )
    bespreekvraag_maken(
        leerling=leerling,
        waar=Bespreekvraag.Waar.KLASSENRAAD,
        reden=INHOUD["bespreekvraag"],
        door=w.titularis,
    )
    return Dossier(
        maatregel=maatregel,
        maatregel_gestopt=gestopt,
        maatregel_voorstel=voorstel,
        traject=traject,
        vlag=vlag,
    )
