"""The CLB's side of an HGD trajectory: accepting a referral, the
trajectory's frame (stage, question for help, perspective), its entries
(goals, needs, notes, participants), the layer of each entry, and closing.

The rules live here, not in the forms, so every way in (a form, the demo, a
later import) meets them. A broken rule raises a `ValidationError` whose
keys are the form's field names, having written nothing. Edits of the frame
and of a goal are version-checked: `VerouderdeVersie` carries the saved row.

What the school may read of this (the timeline, notifications, the audit
trail's descriptions) never holds CLB-only content: the audit names the kind
of entry and its id, never its text; shared goals, needs and notes reach the
timeline only through `clb.services.tijdlijn.gedeeld_op_tijdlijn`, which
looks at the entry's current layer.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from leerlingen.models import Aanmelding, Leerling, TijdlijnItem, Zichtbaarheid
from leerlingen.policies import zorg_lezers, zorgcoordinatoren
from leerlingen.services.meldingen import melding_over_leerlingen
from leerlingen.services.tijdlijn import tijdlijn_registreren
from zorg.accounts.models import CLB, CLBMedewerker
from zorg.accounts.policies import toegang
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import VerouderdeVersie, vergrendelen, versie_ophogen

from ..models import (
    GEDEELD_STANDAARD,
    Behoefte,
    Betrokkene,
    Doel,
    Doeltermijn,
    HGDTraject,
    Laag,
    Trajectnotitie,
    Trajectstap,
    Uitkomst,
)

__all__ = [
    "aanmelding_aanvaarden",
    "aanmelding_melden",
    "behoefte_toevoegen",
    "betrokkene_toevoegen",
    "clb_voor_school",
    "doel_toevoegen",
    "doel_wijzigen",
    "laag_wijzigen",
    "notitie_toevoegen",
    "standaard_laag",
    "traject_afsluiten",
    "traject_wijzigen",
]

# The longest texts, as the models allow.
HULPVRAAG_MAX = HGDTraject._meta.get_field("hulpvraag").max_length
PERSPECTIEF_MAX = HGDTraject._meta.get_field("perspectief").max_length
DOEL_MAX = Doel._meta.get_field("omschrijving").max_length
BEHOEFTE_MAX = Behoefte._meta.get_field("omschrijving").max_length
NOTITIE_MAX = Trajectnotitie._meta.get_field("tekst").max_length
DEELNEMERS_MAX = Trajectnotitie._meta.get_field("deelnemers").max_length
NAAM_MAX = Betrokkene._meta.get_field("naam").max_length
ROL_MAX = Betrokkene._meta.get_field("rol").max_length

# Audit subjects, one per kind of entry. Descriptions name kinds, never text.
ONDERWERP_TRAJECT = "hgd_traject"
ONDERWERP = {
    Doel: "hgd_doel",
    Behoefte: "hgd_behoefte",
    Trajectnotitie: "hgd_notitie",
    Betrokkene: "hgd_betrokkene",
}


# --- messages --------------------------------------------------------------------


def afgesloten_bericht() -> str:
    return _("Dit traject is afgesloten: je kunt het niet meer wijzigen.")


def laag_bericht() -> str:
    return _("Kies wie dit mag lezen: gedeeld met de school of enkel het CLB.")


def _te_lang(maximum: int) -> str:
    return _("Deze tekst is te lang: hoogstens %(max)d tekens.") % {"max": maximum}


def _verouderd_bericht() -> str:
    return _(
        "Iemand anders wijzigde dit intussen. Je wijzigingen zijn nog niet bewaard: "
        "hieronder staat wat nu opgeslagen is. Je invoer staat nog in het formulier; "
        "bewaar opnieuw om ze toe te passen."
    )


# --- helpers ---------------------------------------------------------------------


def _naam(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def standaard_laag(soort: str) -> str:
    """The layer a note gets unless the CLB chooses: advice and agreements
    are shared, everything else stays with the CLB."""
    return Laag.GEDEELD if soort in GEDEELD_STANDAARD else Laag.CLB


def clb_voor_school(user, school_id: int) -> CLB | None:
    """The user's CLB that serves the school (the first by name when
    several do)."""
    ids = toegang(user).clb_ids
    if not ids:
        return None
    return CLB.objects.filter(pk__in=ids, scholen=school_id).order_by("naam", "pk").first()


def _weiger(fouten: dict) -> None:
    if fouten:
        raise ValidationError(fouten)


def _traject_vergrendeld(traject: HGDTraject, door, *, lopend: bool = True) -> HGDTraject:
    """The saved trajectory, locked for this transaction; refused when `door`
    is not CLB staff of its CLB, or (with `lopend`) when it is closed."""
    huidig = vergrendelen(HGDTraject.objects.select_related("leerling__school"), pk=traject.pk)
    if huidig.clb_id not in toegang(door).clb_ids:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Enkel medewerkers van het CLB van dit traject werken erin.")]}
        )
    if lopend and huidig.status != HGDTraject.Status.LOPEND:
        raise ValidationError({NON_FIELD_ERRORS: [afgesloten_bericht()]})
    return huidig


def _tekst(waarde: str | None) -> str:
    return (waarde or "").strip()


def _audit(door, actie, onderwerp, traject: HGDTraject, object_id, omschrijving, velden=()):
    audit_vastleggen(
        gebruiker=door,
        actie=actie,
        onderwerp=onderwerp,
        leerlingen=[traject.leerling],
        object_id=object_id,
        omschrijving=omschrijving,
        velden=velden,
    )


def _melden(leerling: Leerling, titel_functie, door) -> None:
    """A content-free notification to the school's care coordinators: no
    name, no text; the link leads to what they may read."""
    ontvangers = [u for u in zorgcoordinatoren(leerling.school_id) if u.pk != door.pk]
    if not ontvangers:
        return
    with translation.override(settings.LANGUAGE_CODE):
        titel = titel_functie()
    melding_over_leerlingen(
        leerlingen=[leerling],
        ontvangers=ontvangers,
        titel=titel,
        link=reverse("leerlingen:leerling_detail", args=[leerling.pk]) + "#clb",
        school=leerling.school,
        email=True,
    )


def _traject_op_tijdlijn(traject: HGDTraject, *, titel: str, tekst: str = "", door) -> None:
    """A shared entry about the trajectory's frame (accepted, stage, closed)
    on the school's timeline, for the care team."""
    from .tijdlijn import traject_school_url

    tijdlijn_registreren(
        leerling=traject.leerling,
        soort=TijdlijnItem.Soort.CLB,
        datum=timezone.localdate(),
        titel=titel,
        tekst=tekst,
        bron=traject,
        zichtbaarheid=Zichtbaarheid.ZORGTEAM,
        auteur=_naam(door),
        url=traject_school_url(traject.leerling_id),
    )


def _op_tijdlijn(item) -> None:
    """Bring the school's timeline in line with the entry's current layer."""
    from .tijdlijn import gedeeld_op_tijdlijn

    with translation.override(settings.LANGUAGE_CODE):
        gedeeld_op_tijdlijn(item)


def _laag_fout(laag, fouten: dict) -> None:
    if laag not in Laag.values:
        fouten["laag"] = [laag_bericht()]


# --- the referral ----------------------------------------------------------------


def clb_medewerkers_van_school(school_id: int):
    """The active staff of every CLB serving the school: who a new referral
    of its students waits on."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            clb_lidmaatschappen__actief=True,
            clb_lidmaatschappen__clb__scholen=school_id,
        )
        .distinct()
        .order_by("pk")
    )


def aanmelding_melden(aanmelding: Aanmelding, door) -> None:
    """Tell the staff of the CLB(s) serving the school that a referral
    waits for them, in the app (and by the e-mail that only says there is
    something to read). The open referral itself brings the student in
    their reach, so `melding_over_leerlingen` lets them through; no name
    and no question for help in the notification: the referral's page
    shows them, to whom may read them, for as long as they may."""
    leerling = aanmelding.leerling
    ontvangers = [u for u in clb_medewerkers_van_school(leerling.school_id) if u.pk != door.pk]
    if not ontvangers:
        return
    with translation.override(settings.LANGUAGE_CODE):
        titel = _("Nieuwe aanmelding bij het CLB uit %(school)s") % {"school": leerling.school.naam}
        tekst = _("Een leerling werd aangemeld bij het CLB. Bekijk de hulpvraag en aanvaard ze.")
    melding_over_leerlingen(
        leerlingen=[leerling],
        ontvangers=ontvangers,
        titel=titel,
        tekst=tekst,
        link=reverse("clb:aanmelding_aanvaarden", args=[aanmelding.pk]),
        school=leerling.school,
        email=True,
    )


@transaction.atomic
def aanmelding_aanvaarden(*, aanmelding: Aanmelding, begeleider, door) -> HGDTraject:
    """Accept a waiting referral for `door`'s CLB that serves the student's
    school and open the HGD trajectory, led by `begeleider` (active staff of
    that CLB). The school's care team sees it on the timeline; its care
    coordinators are notified."""
    huidig = (
        Aanmelding.objects.select_for_update(of=("self",))
        .select_related("leerling__school")
        .get(pk=aanmelding.pk)
    )
    leerling = huidig.leerling
    clb = clb_voor_school(door, leerling.school_id)
    if clb is None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "Deze aanmelding komt van een school die jouw CLB niet bedient: "
                        "je kunt ze niet aanvaarden."
                    )
                ]
            }
        )
    if (
        huidig.status != Aanmelding.Status.OPEN
        or HGDTraject.objects.filter(aanmelding_id=huidig.pk).exists()
    ):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "Deze aanmelding wacht niet meer op het CLB: ze is al aanvaard of "
                        "afgesloten."
                    )
                ]
            }
        )
    geldig = (
        begeleider is not None
        and getattr(begeleider, "is_active", False)
        and CLBMedewerker.objects.filter(user_id=begeleider.pk, clb=clb, actief=True).exists()
        # The lead reads the student's record: the policy's word, not ours.
        and zorg_lezers(leerling).filter(pk=begeleider.pk).exists()
    )
    if not geldig:
        raise ValidationError(
            {
                "begeleider": [
                    _("Kies als trajectbegeleider een actieve medewerker van %(clb)s.")
                    % {"clb": clb.naam}
                ]
            }
        )
    traject = HGDTraject.objects.create(
        aanmelding=huidig,
        leerling=leerling,
        clb=clb,
        begeleider=begeleider,
        stap=Trajectstap.INTAKE,
        hulpvraag=huidig.hulpvraag,
        geopend_op=timezone.localdate(),
    )
    Aanmelding.objects.filter(pk=huidig.pk).update(status=Aanmelding.Status.AANVAARD)
    aanmelding.status = huidig.status = Aanmelding.Status.AANVAARD
    _audit(door, Actie.AANMAKEN, ONDERWERP_TRAJECT, traject, traject.pk, "aanmelding aanvaard")
    with translation.override(settings.LANGUAGE_CODE):
        _traject_op_tijdlijn(
            traject,
            titel=_("Aanmelding aanvaard door het CLB; trajectbegeleider: %(naam)s")
            % {"naam": _naam(begeleider)},
            door=door,
        )
    _melden(leerling, lambda: _("Het CLB aanvaardde een aanmelding"), door)
    return traject


# --- the trajectory's frame ------------------------------------------------------


@transaction.atomic
def traject_wijzigen(
    *, traject: HGDTraject, versie: int, stap: str, hulpvraag: str, perspectief: str, door
) -> HGDTraject:
    """Save the stage, question for help and perspective, begun at `versie`.
    Stages move forward or back (the investigation is optional); a change of
    stage is recorded on the school's timeline."""
    huidig = _traject_vergrendeld(traject, door)
    hulpvraag, perspectief = _tekst(hulpvraag), _tekst(perspectief)
    fouten: dict[str, list[str]] = {}
    if stap not in Trajectstap.values:
        fouten["stap"] = [_("Kies een stap van het traject.")]
    if not hulpvraag:
        fouten["hulpvraag"] = [_("Formuleer de hulpvraag.")]
    elif len(hulpvraag) > HULPVRAAG_MAX:
        fouten["hulpvraag"] = [_te_lang(HULPVRAAG_MAX)]
    if len(perspectief) > PERSPECTIEF_MAX:
        fouten["perspectief"] = [_te_lang(PERSPECTIEF_MAX)]
    _weiger(fouten)
    if huidig.versie != versie or not versie_ophogen(
        HGDTraject,
        huidig.pk,
        versie,
        stap=stap,
        hulpvraag=hulpvraag,
        perspectief=perspectief,
        gewijzigd=timezone.now(),
    ):
        raise VerouderdeVersie(huidig, _verouderd_bericht())
    vorige = {"stap": huidig.stap, "hulpvraag": huidig.hulpvraag, "perspectief": huidig.perspectief}
    huidig.refresh_from_db()
    velden = [veld for veld, oud in vorige.items() if getattr(huidig, veld) != oud]
    omschrijving = f"versie {huidig.versie}"
    if "stap" in velden:
        with translation.override(settings.LANGUAGE_CODE):
            _traject_op_tijdlijn(
                huidig,
                titel=_("HGD-traject: stap %(stap)s") % {"stap": huidig.get_stap_display()},
                door=door,
            )
    _audit(door, Actie.WIJZIGEN, ONDERWERP_TRAJECT, huidig, huidig.pk, omschrijving, velden)
    return huidig


# --- goals -----------------------------------------------------------------------


def _evaluatiedatum_fout(evaluatiedatum, fouten: dict, *, nieuw: bool = True) -> None:
    if evaluatiedatum is None:
        fouten["evaluatiedatum"] = [_("Geef elk doel een evaluatiedatum.")]
    elif not isinstance(evaluatiedatum, datetime.date):
        fouten["evaluatiedatum"] = [_("Vul een geldige datum in.")]
    elif nieuw and evaluatiedatum < timezone.localdate():
        fouten["evaluatiedatum"] = [
            _("De evaluatiedatum ligt in het verleden: kies vandaag of later.")
        ]


def _omschrijving_fout(omschrijving: str, maximum: int, leeg: str, fouten: dict) -> None:
    if not omschrijving:
        fouten["omschrijving"] = [leeg]
    elif len(omschrijving) > maximum:
        fouten["omschrijving"] = [_te_lang(maximum)]


@transaction.atomic
def doel_toevoegen(
    *,
    traject: HGDTraject,
    termijn: str,
    omschrijving: str,
    evaluatiedatum: datetime.date | None,
    laag: str,
    door,
) -> Doel:
    """A medium- or short-term goal with its review date (required, not in
    the past). Shared goals reach the school's timeline."""
    huidig = _traject_vergrendeld(traject, door)
    omschrijving = _tekst(omschrijving)
    fouten: dict[str, list[str]] = {}
    if termijn not in Doeltermijn.values:
        fouten["termijn"] = [_("Kies de termijn van het doel.")]
    _omschrijving_fout(omschrijving, DOEL_MAX, _("Omschrijf het doel."), fouten)
    _evaluatiedatum_fout(evaluatiedatum, fouten)
    _laag_fout(laag, fouten)
    _weiger(fouten)
    doel = Doel.objects.create(
        traject=huidig,
        termijn=termijn,
        omschrijving=omschrijving,
        evaluatiedatum=evaluatiedatum,
        laag=laag,
        door=door,
    )
    _op_tijdlijn(doel)
    _audit(door, Actie.AANMAKEN, ONDERWERP[Doel], huidig, doel.pk, "doel")
    return doel


DOEL_VELDEN = ("status", "evaluatiedatum", "omschrijving", "laag")


@transaction.atomic
def doel_wijzigen(
    *,
    doel: Doel,
    versie: int,
    status: str,
    evaluatiedatum: datetime.date | None,
    omschrijving: str,
    laag: str,
    door,
) -> Doel:
    """Save a goal's status, review date, text and layer, begun at `versie`.
    A new review date may not lie in the past; a kept one may (the goal was
    due and is now evaluated)."""
    huidig_doel = vergrendelen(Doel, pk=doel.pk)
    traject = _traject_vergrendeld(huidig_doel.traject, door)
    omschrijving = _tekst(omschrijving)
    fouten: dict[str, list[str]] = {}
    if status not in Doel.Status.values:
        fouten["status"] = [_("Kies de status van het doel.")]
    _omschrijving_fout(omschrijving, DOEL_MAX, _("Omschrijf het doel."), fouten)
    _evaluatiedatum_fout(evaluatiedatum, fouten, nieuw=evaluatiedatum != huidig_doel.evaluatiedatum)
    _laag_fout(laag, fouten)
    _weiger(fouten)
    nieuw = {
        "status": status,
        "evaluatiedatum": evaluatiedatum,
        "omschrijving": omschrijving,
        "laag": laag,
    }
    if huidig_doel.versie != versie or not versie_ophogen(Doel, huidig_doel.pk, versie, **nieuw):
        huidig_doel.traject = traject
        raise VerouderdeVersie(huidig_doel, _verouderd_bericht())
    velden = [veld for veld in DOEL_VELDEN if getattr(huidig_doel, veld) != nieuw[veld]]
    huidig_doel.refresh_from_db()
    huidig_doel.traject = traject
    _op_tijdlijn(huidig_doel)
    _audit(
        door,
        Actie.WIJZIGEN,
        ONDERWERP[Doel],
        traject,
        huidig_doel.pk,
        f"doel, versie {huidig_doel.versie}",
        velden,
    )
    return huidig_doel


# --- needs, notes, participants ----------------------------------------------------


@transaction.atomic
def behoefte_toevoegen(
    *, traject: HGDTraject, soort: str, van: str, omschrijving: str, laag: str, door
) -> Behoefte:
    """An educational, upbringing or support need, of the student or of the
    context. Shared by default."""
    huidig = _traject_vergrendeld(traject, door)
    omschrijving = _tekst(omschrijving)
    fouten: dict[str, list[str]] = {}
    if soort not in Behoefte.Soort.values:
        fouten["soort"] = [_("Kies het soort behoefte.")]
    if van not in Behoefte.Van.values:
        fouten["van"] = [_("Kies van wie de behoefte is: de leerling of de context.")]
    _omschrijving_fout(omschrijving, BEHOEFTE_MAX, _("Omschrijf de behoefte."), fouten)
    _laag_fout(laag, fouten)
    _weiger(fouten)
    behoefte = Behoefte.objects.create(
        traject=huidig, soort=soort, van=van, omschrijving=omschrijving, laag=laag, door=door
    )
    _op_tijdlijn(behoefte)
    _audit(door, Actie.AANMAKEN, ONDERWERP[Behoefte], huidig, behoefte.pk, "behoefte")
    return behoefte


@transaction.atomic
def notitie_toevoegen(
    *,
    traject: HGDTraject,
    soort: str,
    datum: datetime.date | None,
    tekst: str,
    deelnemers: str = "",
    laag: str | None = None,
    door,
) -> Trajectnotitie:
    """A dated entry: advice, agreement, consultation held, note,
    investigation, third-party information. Without a layer it takes the
    default of its kind (advice and agreements shared, the rest CLB-only)."""
    huidig = _traject_vergrendeld(traject, door)
    tekst, deelnemers = _tekst(tekst), _tekst(deelnemers)
    fouten: dict[str, list[str]] = {}
    if soort not in Trajectnotitie.Soort.values:
        fouten["soort"] = [_("Kies het soort notitie.")]
    elif laag in (None, ""):
        laag = standaard_laag(soort)
    if datum is None:
        fouten["datum"] = [_("Vul de datum in.")]
    elif datum > timezone.localdate():
        fouten["datum"] = [_("De datum ligt in de toekomst.")]
    if not tekst:
        fouten["tekst"] = [_("Schrijf de tekst van de notitie.")]
    elif len(tekst) > NOTITIE_MAX:
        fouten["tekst"] = [_te_lang(NOTITIE_MAX)]
    if len(deelnemers) > DEELNEMERS_MAX:
        fouten["deelnemers"] = [_te_lang(DEELNEMERS_MAX)]
    if "soort" not in fouten:
        _laag_fout(laag, fouten)
    _weiger(fouten)
    notitie = Trajectnotitie.objects.create(
        traject=huidig,
        soort=soort,
        datum=datum,
        tekst=tekst,
        deelnemers=deelnemers,
        laag=laag,
        door=door,
    )
    _op_tijdlijn(notitie)
    _audit(door, Actie.AANMAKEN, ONDERWERP[Trajectnotitie], huidig, notitie.pk, "notitie")
    return notitie


@transaction.atomic
def betrokkene_toevoegen(
    *, traject: HGDTraject, soort: str, naam: str, rol: str = "", door
) -> Betrokkene:
    """Who takes part: the student, parents, school, external partners."""
    huidig = _traject_vergrendeld(traject, door)
    naam, rol = _tekst(naam), _tekst(rol)
    fouten: dict[str, list[str]] = {}
    if soort not in Betrokkene.Soort.values:
        fouten["soort"] = [_("Kies wie deelneemt: leerling, ouders, school of een partner.")]
    if not naam:
        fouten["naam"] = [_("Vul de naam in.")]
    elif len(naam) > NAAM_MAX:
        fouten["naam"] = [_te_lang(NAAM_MAX)]
    if len(rol) > ROL_MAX:
        fouten["rol"] = [_te_lang(ROL_MAX)]
    _weiger(fouten)
    betrokkene = Betrokkene.objects.create(traject=huidig, soort=soort, naam=naam, rol=rol)
    _audit(door, Actie.AANMAKEN, ONDERWERP[Betrokkene], huidig, betrokkene.pk, "betrokkene")
    return betrokkene


# --- the layer of an entry -------------------------------------------------------------


@transaction.atomic
def laag_wijzigen(*, item: Doel | Behoefte | Trajectnotitie, laag: str, door):
    """Share an entry with the school or make it the CLB's only. The CLB
    decides per entry, also once the trajectory is closed (a shared entry
    can always be taken back). The timeline follows at once."""
    model = type(item)
    if model not in (Doel, Behoefte, Trajectnotitie):
        raise TypeError(f"no layer on {model.__name__}")
    fouten: dict[str, list[str]] = {}
    _laag_fout(laag, fouten)
    _weiger(fouten)
    huidig = vergrendelen(model, pk=item.pk)
    traject = _traject_vergrendeld(huidig.traject, door, lopend=False)
    huidig.traject = traject
    if huidig.laag != laag:
        bijwerken = {"laag": laag}
        if model is Trajectnotitie and laag == Laag.CLB:
            # The CLB's own layer never reaches the parents either.
            bijwerken["delen_met_ouders"] = False
        if model is Doel:
            bijwerken["versie"] = huidig.versie + 1
        model.objects.filter(pk=huidig.pk).update(**bijwerken)
        for veld, waarde in bijwerken.items():
            setattr(huidig, veld, waarde)
        _audit(
            door,
            Actie.WIJZIGEN,
            ONDERWERP[model],
            traject,
            huidig.pk,
            f"{model._meta.model_name}: laag",
            ["laag"],
        )
    _op_tijdlijn(huidig)
    item.laag = huidig.laag
    return huidig


# --- closing ---------------------------------------------------------------------------


@transaction.atomic
def traject_afsluiten(
    *, traject: HGDTraject, versie: int, uitkomst: str, toelichting: str, door
) -> HGDTraject:
    """Close the trajectory with its outcome. The referral closes with it,
    so the CLB's reach on the student's school record ends unless something
    else keeps it."""
    huidig = _traject_vergrendeld(traject, door)
    toelichting = _tekst(toelichting)
    fouten: dict[str, list[str]] = {}
    if not uitkomst:
        fouten["uitkomst"] = [_("Kies de uitkomst van het traject.")]
    elif uitkomst not in Uitkomst.values:
        fouten["uitkomst"] = [_("Kies een van de uitkomsten in de lijst.")]
    if len(toelichting) > PERSPECTIEF_MAX:
        fouten["toelichting"] = [_te_lang(PERSPECTIEF_MAX)]
    _weiger(fouten)
    vandaag = timezone.localdate()
    if huidig.versie != versie or not versie_ophogen(
        HGDTraject,
        huidig.pk,
        versie,
        status=HGDTraject.Status.AFGESLOTEN,
        uitkomst=uitkomst,
        uitkomst_toelichting=toelichting,
        afgesloten_op=vandaag,
        gewijzigd=timezone.now(),
    ):
        raise VerouderdeVersie(huidig, _verouderd_bericht())
    huidig.refresh_from_db()
    Aanmelding.objects.filter(pk=huidig.aanmelding_id).update(status=Aanmelding.Status.AFGESLOTEN)
    _audit(
        door,
        Actie.WIJZIGEN,
        ONDERWERP_TRAJECT,
        huidig,
        huidig.pk,
        "afgesloten",
        ["status", "uitkomst", "uitkomst_toelichting", "afgesloten_op"],
    )
    with translation.override(settings.LANGUAGE_CODE):
        _traject_op_tijdlijn(
            huidig,
            titel=_("HGD-traject afgesloten: %(uitkomst)s")
            % {"uitkomst": huidig.get_uitkomst_display()},
            tekst=toelichting,
            door=door,
        )
    _melden(huidig.leerling, lambda: _("Het CLB sloot een HGD-traject af"), door)
    return huidig
