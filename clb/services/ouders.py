"""What the CLB shares with the parents: the CLB's choice per shared note
("delen met de ouders"), and the student's own decision from 12 on whether
the parents see it (`Ouderinzage`). The source `ouderinformatie_clb` brings
both to `leerlingen.ouderinformatie` (registered in clb/apps.py).

Nothing of the CLB-only layer is ever told: a note must be shared with the
school before it can be shared with the parents (a database constraint
too), and making it CLB-only again withdraws it from the parents.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leerlingen.models import Leerling
from leerlingen.ouderinformatie import OuderCLB, beslist_zelf
from zorg.accounts.policies import toegang
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import VerouderdeVersie, vergrendelen, versie_controleren

from ..models import Laag, Ouderinzage, Trajectnotitie
from .trajecten import _traject_vergrendeld

ONDERWERP_INZAGE = "clb_ouderinzage"


@transaction.atomic
def notitie_ouders_delen(*, notitie: Trajectnotitie, delen: bool, door) -> Trajectnotitie:
    """Tell this note to the parents, or stop telling it. Only a note shared
    with the school; also once the trajectory is closed (taking back must
    always be possible)."""
    huidig = vergrendelen(Trajectnotitie, pk=notitie.pk)
    traject = _traject_vergrendeld(huidig.traject, door, lopend=False)
    if delen and huidig.laag != Laag.GEDEELD:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "Enkel wat met de school gedeeld is, kan met de ouders gedeeld "
                        "worden. Deel het eerst met de school."
                    )
                ]
            }
        )
    if huidig.delen_met_ouders != delen:
        Trajectnotitie.objects.filter(pk=huidig.pk).update(delen_met_ouders=delen)
        huidig.delen_met_ouders = delen
        audit_vastleggen(
            gebruiker=door,
            actie=Actie.WIJZIGEN,
            onderwerp="hgd_notitie",
            leerlingen=[traject.leerling],
            object_id=huidig.pk,
            omschrijving="trajectnotitie: delen met ouders",
            velden=["delen_met_ouders"],
        )
    notitie.delen_met_ouders = huidig.delen_met_ouders
    return huidig


def _bericht_verouderd(_huidig) -> str:
    return _(
        "Iemand anders legde intussen een beslissing van de leerling vast. "
        "Bekijk ze en bewaar opnieuw als ze niet klopt."
    )


@transaction.atomic
def ouderinzage_vastleggen(
    *,
    leerling: Leerling,
    ouders_mogen_clb_zien: bool,
    beslist_op: datetime.date | None,
    versie: int | None,
    door,
) -> Ouderinzage:
    """Record what the student (12 or older on `beslist_op`) decided: may the
    parents see what the CLB shares with them? `versie`: the version the
    form started from (None for the first record)."""
    if leerling.school_id not in toegang(door).clb_school_ids:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Enkel het CLB van de school legt deze beslissing vast.")]}
        )
    fouten: dict[str, list[str]] = {}
    if beslist_op is None:
        fouten["beslist_op"] = [_("Vul de datum van de beslissing in.")]
    elif beslist_op > timezone.localdate():
        fouten["beslist_op"] = [_("De datum ligt in de toekomst.")]
    elif not beslist_zelf(leerling, beslist_op):
        fouten["beslist_op"] = [
            _(
                "Op die dag was de leerling nog geen 12 jaar: dan beslissen de ouders niet "
                "mee, ze zien wat het CLB met hen deelt."
            )
        ]
    if fouten:
        raise ValidationError(fouten)
    try:
        huidig = vergrendelen(Ouderinzage, leerling=leerling)
    except Ouderinzage.DoesNotExist:
        if versie is not None:
            raise VerouderdeVersie(None, _bericht_verouderd(None)) from None
        try:
            with transaction.atomic():
                huidig = Ouderinzage.objects.create(
                    leerling=leerling,
                    ouders_mogen_clb_zien=ouders_mogen_clb_zien,
                    beslist_op=beslist_op,
                    vastgelegd_door=door,
                )
        except IntegrityError:
            # A colleague recorded one at the same moment: theirs stands.
            huidig = Ouderinzage.objects.get(leerling=leerling)
            raise VerouderdeVersie(huidig, _bericht_verouderd(huidig)) from None
        actie = Actie.AANMAKEN
    else:
        versie_controleren(huidig, versie if versie is not None else 0, _bericht_verouderd)
        huidig.ouders_mogen_clb_zien = ouders_mogen_clb_zien
        huidig.beslist_op = beslist_op
        huidig.vastgelegd_door = door
        huidig.versie += 1
        huidig.save()
        actie = Actie.WIJZIGEN
    audit_vastleggen(
        gebruiker=door,
        actie=actie,
        onderwerp=ONDERWERP_INZAGE,
        leerlingen=[leerling],
        object_id=huidig.pk,
        velden=["ouders_mogen_clb_zien", "beslist_op"],
    )
    return huidig


def ouders_mogen_clb_zien(leerling: Leerling, op: datetime.date, inzage: Ouderinzage | None):
    """Under 12 the parents see it (by law); from 12 unless the student
    refused."""
    if not beslist_zelf(leerling, op) or inzage is None:
        return True
    return inzage.ouders_mogen_clb_zien


def ouderinformatie_clb(leerling: Leerling, *, voor: str, op: datetime.date) -> list[OuderCLB]:
    """The source for `leerlingen.ouderinformatie`: the notes the CLB shares
    with the parents, in two queries. For the parents only when the
    student (12 or older) did not refuse; the student always sees them."""
    if voor == "ouder":
        inzage = Ouderinzage.objects.filter(leerling=leerling).first()
        if not ouders_mogen_clb_zien(leerling, op, inzage):
            return []
    notities = (
        Trajectnotitie.objects.filter(
            traject__leerling=leerling,
            laag=Laag.GEDEELD,
            delen_met_ouders=True,
            datum__lte=op,
        )
        .only("soort", "tekst", "datum")
        .order_by("datum", "pk")
    )
    return [
        OuderCLB(titel=str(n.get_soort_display()), tekst=n.tekst, datum=n.datum) for n in notities
    ]
