"""The parent letter: informing the parents (a frozen copy of what they were
told, on the timeline, audited) and recording their response. When the
parents agree, the measures the letter asked agreement for get it, in the
same transaction.

The timeline entry is the care team's (ZORGTEAM): it names the parents'
response, and a "niet akkoord" or their remarks are for the care team to
follow up. The class teacher reads the letters themselves on the student
page (policies.can_view_ouderbrieven); subject teachers see the outcome
where it matters to them, on the measure ("akkoord ouders").
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zorg.accounts.models import Schooljaar
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import VerouderdeVersie, versie_ophogen

from ..models import Leerling, Maatregel, Ouderbrief, TijdlijnItem, Zichtbaarheid
from ..ouderinformatie import ouderinformatie
from .tijdlijn import tijdlijn_bijwerken, tijdlijn_registreren

ONDERWERP = "ouderbrief"
OPMERKING_MAX = Ouderbrief._meta.get_field("opmerking").max_length


def _schooljaar(leerling: Leerling, op: datetime.date) -> Schooljaar:
    jaren = Schooljaar.objects.filter(school_id=leerling.school_id)
    jaar = (
        jaren.filter(begin__lte=op, einde__gte=op).first() or jaren.filter(is_huidig=True).first()
    )
    if jaar is None:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("De school heeft geen schooljaar voor deze datum.")]}
        )
    return jaar


def _url(brief: Ouderbrief) -> str:
    return reverse("leerlingen:ouderbrief_detail", args=[brief.leerling_id, brief.pk])


def _tijdlijntekst(brief: Ouderbrief) -> str:
    aantal = len(brief.inhoud.get("maatregelen", []))
    tekst = _("Brief over %(aantal)d lopende maatregel(en). Reactie: %(reactie)s.") % {
        "aantal": aantal,
        "reactie": brief.get_reactie_display(),
    }
    if brief.reactie_op:
        tekst += " " + _("Ontvangen op %(datum)s.") % {
            "datum": brief.reactie_op.strftime("%d/%m/%Y")
        }
    return tekst


def _naam(user) -> str:
    return user.get_full_name() or user.email


@transaction.atomic
def ouderbrief_maken(*, leerling: Leerling, geinformeerd_op: datetime.date, door) -> Ouderbrief:
    """Record that the parents were informed on `geinformeerd_op` with what
    `ouderinformatie` tells them that day, frozen in the letter."""
    vandaag = timezone.localdate()
    if geinformeerd_op is None:
        raise ValidationError({"geinformeerd_op": [_("Vul de datum in.")]})
    if geinformeerd_op > vandaag:
        raise ValidationError(
            {"geinformeerd_op": [_("De ouders kunnen niet in de toekomst geïnformeerd zijn.")]}
        )
    brief = Ouderbrief.objects.create(
        leerling=leerling,
        schooljaar=_schooljaar(leerling, geinformeerd_op),
        aangemaakt_door=door,
        geinformeerd_op=geinformeerd_op,
        inhoud=ouderinformatie(leerling, voor="ouder", op=geinformeerd_op).als_json(),
    )
    with translation.override(settings.LANGUAGE_CODE):
        tijdlijn_registreren(
            leerling=leerling,
            soort=TijdlijnItem.Soort.OUDERBRIEF,
            datum=geinformeerd_op,
            titel=_("Ouders geïnformeerd"),
            bron=brief,
            zichtbaarheid=Zichtbaarheid.ZORGTEAM,
            tekst=_tijdlijntekst(brief),
            auteur=_naam(door),
            url=_url(brief),
        )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp=ONDERWERP,
        leerlingen=[leerling],
        object_id=brief.pk,
    )
    return brief


def _reactie_fouten(brief, reactie, opmerking, reactie_op) -> dict:
    fouten: dict[str, list[str]] = {}
    if reactie not in Ouderbrief.Reactie.values:
        fouten["reactie"] = [_("Kies de reactie van de ouders.")]
        return fouten
    if reactie == Ouderbrief.Reactie.GEEN:
        return fouten
    if reactie_op is None:
        fouten["reactie_op"] = [_("Vul de datum van de reactie in.")]
    elif reactie_op > timezone.localdate():
        fouten["reactie_op"] = [_("De datum van de reactie ligt in de toekomst.")]
    elif reactie_op < brief.geinformeerd_op:
        fouten["reactie_op"] = [_("De ouders reageerden niet vóór ze de brief kregen.")]
    if reactie == Ouderbrief.Reactie.AKKOORD_OPMERKINGEN and not opmerking:
        fouten["opmerking"] = [_("Noteer de opmerkingen van de ouders.")]
    if len(opmerking) > OPMERKING_MAX:
        fouten["opmerking"] = [
            _("Deze tekst is te lang: hoogstens %(max)d tekens.") % {"max": OPMERKING_MAX}
        ]
    return fouten


def _akkoord_geven(brief: Ouderbrief, op: datetime.date, door) -> list[int]:
    """The measures of the letter that needed agreement and lacked it now
    have it (a raised version, so an edit begun before is refused rather
    than undoing it). Returns their ids."""
    ids = [
        m["maatregel_id"]
        for m in brief.inhoud.get("maatregelen", [])
        if m.get("akkoord_nodig") and not m.get("akkoord")
    ]
    maatregelen = list(
        Maatregel.objects.select_for_update()
        .filter(pk__in=ids, leerling=brief.leerling, akkoord_nodig=True, ouders_akkoord=False)
        .values_list("pk", flat=True)
    )
    if maatregelen:
        Maatregel.objects.filter(pk__in=maatregelen).update(
            ouders_akkoord=True,
            ouders_akkoord_op=op,
            versie=F("versie") + 1,
            gewijzigd=timezone.now(),
        )
        for pk in maatregelen:
            audit_vastleggen(
                gebruiker=door,
                actie=Actie.WIJZIGEN,
                onderwerp="maatregel",
                leerlingen=[brief.leerling],
                object_id=pk,
                omschrijving=f"akkoord via ouderbrief {brief.pk}",
                velden=["ouders_akkoord", "ouders_akkoord_op"],
            )
    return maatregelen


@transaction.atomic
def ouderbrief_reactie_vastleggen(
    *,
    brief: Ouderbrief,
    versie: int,
    reactie: str,
    opmerking: str = "",
    reactie_op: datetime.date | None = None,
    door,
) -> Ouderbrief:
    """Record the parents' response to a letter, from the form's `versie`.
    Agreement gives the measures it asked about their agreement."""
    opmerking = (opmerking or "").strip()
    fouten = _reactie_fouten(brief, reactie, opmerking, reactie_op)
    if fouten:
        raise ValidationError(fouten)
    if reactie == Ouderbrief.Reactie.GEEN:
        reactie_op, opmerking = None, ""
    bijgewerkt = versie_ophogen(
        Ouderbrief,
        brief.pk,
        versie,
        reactie=reactie,
        opmerking=opmerking,
        reactie_op=reactie_op,
        reactie_door=door,
    )
    if not bijgewerkt:
        raise VerouderdeVersie(
            Ouderbrief.objects.get(pk=brief.pk),
            _(
                "Iemand anders legde intussen een reactie vast. Je invoer is nog niet "
                "bewaard: hieronder staat wat nu opgeslagen is."
            ),
        )
    brief = Ouderbrief.objects.select_related("leerling").get(pk=brief.pk)
    if brief.is_akkoord:
        _akkoord_geven(brief, reactie_op, door)
    with translation.override(settings.LANGUAGE_CODE):
        tijdlijn_bijwerken(bron=brief, tekst=_tijdlijntekst(brief))
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp=ONDERWERP,
        leerlingen=[brief.leerling],
        object_id=brief.pk,
        omschrijving=f"versie {brief.versie}",
        velden=["reactie", "opmerking", "reactie_op"],
    )
    return brief


__all__ = ["ouderbrief_maken", "ouderbrief_reactie_vastleggen"]
