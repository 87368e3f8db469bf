"""Recording an access request, marking the export ready and handed over,
and writing the JSON export. Each step is audited; the export's content
comes from inzage.inhoud, the one module the JSON and the PDF share."""

from __future__ import annotations

import datetime
import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import nieuwe_versie_bewaren, vergrendelen

from .inhoud import inzage_inhoud
from .models import Inzageverzoek, wettelijke_termijn

ONDERWERP = "inzageverzoek"


def _niet_in_de_toekomst(veld: str, datum: datetime.date, bericht: str) -> None:
    if datum > timezone.localdate():
        raise ValidationError({veld: bericht})


@transaction.atomic
def inzageverzoek_registreren(
    *,
    leerling,
    aanvrager: str,
    aanvrager_naam: str,
    ontvangen_op: datetime.date,
    door,
) -> Inzageverzoek:
    """A new request for `leerling`'s record, with its legal deadline."""
    _niet_in_de_toekomst(
        "ontvangen_op",
        ontvangen_op,
        _("Een verzoek kan niet in de toekomst ontvangen zijn."),
    )
    if aanvrager not in Inzageverzoek.Aanvrager.values:
        raise ValidationError({"aanvrager": _("Kies wie het verzoek deed.")})
    naam = aanvrager_naam.strip()
    if not naam:
        raise ValidationError({"aanvrager_naam": _("Vul de naam van de aanvrager in.")})
    verzoek = Inzageverzoek.objects.create(
        school_id=leerling.school_id,
        leerling=leerling,
        aanvrager=aanvrager,
        aanvrager_naam=naam,
        ontvangen_op=ontvangen_op,
        termijn=wettelijke_termijn(ontvangen_op),
        aangemaakt_door=door,
    )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp=ONDERWERP,
        leerlingen=[leerling],
        object_id=verzoek.pk,
        velden=["aanvrager", "aanvrager_naam", "ontvangen_op"],
    )
    return verzoek


def inzage_klaarzetten(*, verzoek: Inzageverzoek) -> None:
    """The export was made for the first time: an open request becomes
    ready (one conditional UPDATE, so running twice is harmless)."""
    Inzageverzoek.objects.filter(pk=verzoek.pk, status=Inzageverzoek.Status.OPEN).update(
        status=Inzageverzoek.Status.KLAAR, klaar_op=timezone.localdate()
    )


@transaction.atomic
def inzageverzoek_overhandigen(
    *, verzoek: Inzageverzoek, versie: int | None, overhandigd_op: datetime.date, door
) -> Inzageverzoek:
    """Record the day the export was handed to the requester."""
    huidig = vergrendelen(
        Inzageverzoek,
        versie=versie,
        bericht=_("Iemand anders wijzigde dit verzoek intussen. Bekijk het en bewaar opnieuw."),
        pk=verzoek.pk,
    )
    if huidig.is_overhandigd:
        raise ValidationError(_("Dit verzoek werd al als overhandigd gemarkeerd."))
    if overhandigd_op < huidig.ontvangen_op:
        raise ValidationError(
            {
                "overhandigd_op": _(
                    "De export kan niet overhandigd zijn vóór het verzoek (ontvangen op %(datum)s)."
                )
                % {"datum": huidig.ontvangen_op.strftime("%d/%m/%Y")}
            }
        )
    _niet_in_de_toekomst(
        "overhandigd_op",
        overhandigd_op,
        _("Een overhandiging kan niet in de toekomst liggen."),
    )
    huidig.status = Inzageverzoek.Status.OVERHANDIGD
    huidig.overhandigd_op = overhandigd_op
    huidig.overhandigd_door = door
    huidig.klaar_op = huidig.klaar_op or overhandigd_op
    nieuwe_versie_bewaren(huidig, ["status", "overhandigd_op", "overhandigd_door", "klaar_op"])
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp=ONDERWERP,
        leerlingen=[huidig.leerling],
        object_id=huidig.pk,
        velden=["status", "overhandigd_op"],
    )
    return huidig


def inzage_json(*, verzoek: Inzageverzoek, door) -> bytes:
    """The machine-readable export (UTF-8 JSON), audited as an export."""
    inhoud = inzage_inhoud(verzoek)
    data = json.dumps(inhoud, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    with transaction.atomic():
        inzage_klaarzetten(verzoek=verzoek)
        audit_vastleggen(
            gebruiker=door,
            actie=Actie.EXPORTEREN,
            onderwerp="inzage_json",
            leerlingen=[verzoek.leerling],
            object_id=verzoek.pk,
            omschrijving=f"JSON ({len(data)} tekens)",
        )
    return data.encode("utf-8")
