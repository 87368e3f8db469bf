"""Talks with the student, the parents, the CLB or external partners, and
what was agreed. A talk note is never edited afterwards: what was written
stays as written, and a correction or a follow-up is a new talk note. A
broken rule raises a `ValidationError` keyed by form field, in Dutch, and
writes nothing."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen

from .. import domeinen as domeinen_mod
from ..models import Gesprek, Leerling, TijdlijnItem, Zichtbaarheid
from .tijdlijn import tijdlijn_registreren

_MAX = {
    naam: Gesprek._meta.get_field(naam).max_length
    for naam in ("deelnemers", "samenvatting", "afspraken")
}


def _controleren(
    *,
    datum: datetime.date,
    soort: str,
    deelnemers: str,
    samenvatting: str,
    afspraken: str,
    domeinen: int,
    zichtbaarheid: str,
) -> dict:
    fouten: dict[str, list[str]] = {}

    def fout(veld, bericht):
        fouten.setdefault(veld, []).append(bericht)

    teksten = {
        "deelnemers": (deelnemers or "").strip(),
        "samenvatting": (samenvatting or "").strip(),
        "afspraken": (afspraken or "").strip(),
    }
    if not teksten["deelnemers"]:
        fout("deelnemers", _("Noteer wie aan het gesprek deelnam."))
    if not teksten["samenvatting"]:
        fout("samenvatting", _("Vat het gesprek kort samen."))
    for veld, waarde in teksten.items():
        if len(waarde) > _MAX[veld]:
            fout(
                veld,
                _("Deze tekst is te lang: maximaal %(max)d tekens, nu %(aantal)d.")
                % {"max": _MAX[veld], "aantal": len(waarde)},
            )
        elif "\x00" in waarde:
            fout(veld, _("De tekst bevat een ongeldig teken."))
    if datum is None:
        fout("datum", _("Geef de datum van het gesprek."))
    elif datum > timezone.localdate():
        fout("datum", _("De datum ligt in de toekomst: noteer een gesprek nadat het plaatsvond."))
    if soort not in Gesprek.Soort.values:
        fout("soort", _("Kies met wie het gesprek was."))
    if not domeinen or domeinen & ~domeinen_mod.ALLE:
        fout("domeinen", _("Kies minstens één begeleidingsdomein."))
    if zichtbaarheid not in Zichtbaarheid.values:
        fout("zichtbaarheid", _("Kies wie dit gesprek mag lezen."))
    if fouten:
        raise ValidationError(fouten)
    return {
        "datum": datum,
        "soort": soort,
        "domeinen": domeinen,
        "zichtbaarheid": zichtbaarheid,
        **teksten,
    }


def _tijdlijn_tekst(gesprek: Gesprek) -> str:
    regels = [_("Met: %(deelnemers)s") % {"deelnemers": gesprek.deelnemers}]
    if gesprek.afspraken:
        regels.append(_("Afspraken: %(afspraken)s") % {"afspraken": gesprek.afspraken})
    else:
        regels.append(_("Geen afspraken genoteerd."))
    return "\n".join(regels)


@transaction.atomic
def gesprek_maken(
    *,
    leerling: Leerling,
    door,
    datum: datetime.date,
    soort: str,
    deelnemers: str,
    samenvatting: str,
    afspraken: str = "",
    domeinen: int,
    zichtbaarheid: str = Zichtbaarheid.ZORGTEAM,
) -> Gesprek:
    """Record a talk, its timeline entry (titled by the kind of talk, with
    the agreements as its text) and an audit event."""
    waarden = _controleren(
        datum=datum,
        soort=soort,
        deelnemers=deelnemers,
        samenvatting=samenvatting,
        afspraken=afspraken,
        domeinen=domeinen,
        zichtbaarheid=zichtbaarheid,
    )
    gesprek = Gesprek.objects.create(leerling=leerling, door=door, **waarden)
    # The record is kept in the school's language, whatever the writer's UI.
    with translation.override(settings.LANGUAGE_CODE):
        titel = capfirst(gesprek.get_soort_display())
        tekst = _tijdlijn_tekst(gesprek)
    tijdlijn_registreren(
        leerling=leerling,
        soort=TijdlijnItem.Soort.GESPREK,
        datum=gesprek.datum,
        titel=titel,
        tekst=tekst,
        domeinen=gesprek.domeinen,
        zichtbaarheid=gesprek.zichtbaarheid,
        auteur=door,
        url=reverse("leerlingen:gesprek_detail", args=[leerling.pk, gesprek.pk]),
        bron=gesprek,
    )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="gesprek",
        leerlingen=[leerling],
        object_id=gesprek.pk,
        # Neither kind nor participants: the trail is read by the functional
        # administrator, who may not read care content.
        velden=["soort", "deelnemers", "samenvatting", "afspraken", "zichtbaarheid"],
    )
    return gesprek
