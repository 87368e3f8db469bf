"""The CLB's consultative role in phase 1: a written consultation on a
student without a trajectory. It is shared with the school by nature: it
goes on the timeline as a CLB consultation (for the class team too: the
advice is for the class), the care coordinators are notified, and it counts
as the consultation with the CLB an IAC decision needs.

Also here: when the CLB's part of an IAC decision is met (registered with
leerlingen.services.zorgfase from the app's ready()).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from leerlingen.models import Leerling, TijdlijnItem, Zorgfase
from leerlingen.policies import zorgcoordinatoren
from leerlingen.services.meldingen import melding_over_leerlingen
from leerlingen.services.tijdlijn import tijdlijn_registreren
from zorg.accounts.models import CLB
from zorg.accounts.policies import toegang
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen

from ..models import Consultatie, HGDTraject, Uitkomst
from .tijdlijn import CONSULTATIE_ZICHTBAARHEID

VRAAG_MAX = 2000
ADVIES_MAX = 8000


def fase_bericht() -> str:
    return _(
        "Een schriftelijke consultatie is er voor een leerling in verhoogde zorg (fase 1). "
        "Vanaf uitbreiding van zorg (fase 2) werkt het CLB via het HGD-traject."
    )


def consultatie_mogelijk(leerling: Leerling) -> bool:
    """Phase 1 (verhoogde zorg) of the student's continuum."""
    return leerling.zorgfase.soort == Zorgfase.Soort.VERHOOGD


@transaction.atomic
def consultatie_geven(
    *, leerling: Leerling, clb: CLB, vraag: str, advies: str, door
) -> Consultatie:
    """Record the CLB's written consultation on `leerling`, today. Raises a
    ValidationError (keys: the form's fields), having written nothing, when
    the student is not in phase 1, the advice is empty or too long, or the
    CLB does not serve the student's school."""
    vraag, advies = vraag.strip(), advies.strip()
    # The phase as saved now, not as the page showed it.
    huidig = Leerling.objects.select_related("zorgfase", "school").get(pk=leerling.pk)
    fouten: dict[str, list[str]] = {}
    if not consultatie_mogelijk(huidig):
        fouten[NON_FIELD_ERRORS] = [fase_bericht()]
    if not clb.scholen.filter(pk=huidig.school_id).exists() or clb.pk not in toegang(door).clb_ids:
        fouten.setdefault(NON_FIELD_ERRORS, []).append(
            _("Een consultatie geeft het CLB dat de school van de leerling bedient.")
        )
    if not advies:
        fouten["advies"] = [_("Schrijf het advies: wat raadt het CLB de school aan?")]
    elif len(advies) > ADVIES_MAX:
        fouten["advies"] = [
            _("Hou het advies korter: hoogstens %(max)d tekens.") % {"max": ADVIES_MAX}
        ]
    if len(vraag) > VRAAG_MAX:
        fouten["vraag"] = [_("Hou de vraag korter: hoogstens %(max)d tekens.") % {"max": VRAAG_MAX}]
    if fouten:
        raise ValidationError(fouten)

    vandaag = timezone.localdate()
    consultatie = Consultatie.objects.create(
        leerling=huidig, clb=clb, datum=vandaag, vraag=vraag, advies=advies, door=door
    )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="clb_consultatie",
        leerlingen=[huidig],
        object_id=consultatie.pk,
        omschrijving="schriftelijke consultatie",
    )
    url = reverse("leerlingen:leerling_detail", args=[huidig.pk]) + "#clb"
    with translation.override(settings.LANGUAGE_CODE):
        titel = _("CLB-consultatie")
    tijdlijn_registreren(
        leerling=huidig,
        soort=TijdlijnItem.Soort.CLB,
        datum=vandaag,
        titel=titel,
        tekst=advies,
        bron=consultatie,
        zichtbaarheid=CONSULTATIE_ZICHTBAARHEID,
        auteur=(door.get_full_name() or door.email),
        url=url,
    )
    ontvangers = [u for u in zorgcoordinatoren(huidig.school_id) if u.pk != door.pk]
    if ontvangers:
        with translation.override(settings.LANGUAGE_CODE):
            # No name and no advice in the notification: the student page
            # shows them to whom may read them.
            titel = _("Nieuwe schriftelijke consultatie van het CLB")
        melding_over_leerlingen(
            leerlingen=[huidig],
            ontvangers=ontvangers,
            titel=titel,
            link=url,
            school=huidig.school,
            email=True,
        )
    return consultatie


# --- the CLB's part of an IAC decision -------------------------------------------------


def _jaar_terug(datum: datetime.date) -> datetime.date:
    """As iac_voorwaarden counts the last 12 months."""
    try:
        return datum.replace(year=datum.year - 1)
    except ValueError:  # 29 February
        return datum.replace(year=datum.year - 1, day=28)


def iac_clb_voldaan(leerling: Leerling, op: datetime.date) -> bool:
    """Besides a talk with the CLB (leerlingen' own rule), the CLB's part of
    an IAC decision on `op` is met by a trajectory of the student closed by
    then with a report for an IAC, or a written consultation in the 12
    months before. One query."""
    rapport = HGDTraject.objects.filter(
        leerling=OuterRef("pk"),
        status=HGDTraject.Status.AFGESLOTEN,
        uitkomst=Uitkomst.VERSLAG_IAC,
        afgesloten_op__lte=op,
    )
    consultatie = Consultatie.objects.filter(
        leerling=OuterRef("pk"), datum__gte=_jaar_terug(op), datum__lte=op
    )
    return (
        Leerling.objects.filter(pk=leerling.pk)
        .filter(Exists(rapport) | Exists(consultatie))
        .exists()
    )
