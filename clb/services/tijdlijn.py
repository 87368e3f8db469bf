"""What the school sees of a trajectory on the student's timeline.

The shared entries the school needs to act (goals, needs, the advice, the
agreements, the consultations held) each have one timeline entry (soort
CLB), written or refreshed whenever the entry is saved or its layer
changes, and removed as soon as the entry is (again) the CLB's only. The
timeline is school-readable: nothing of the CLB-only layer is ever written
there, not a title, not a text, not a count.

Who of the school reads which entry (`ZICHTBAARHEID`), the same levels as
the school's trajectory page (clb.views.school):
- goals and the advice: the class team too, since teachers carry them;
- needs, agreements and consultations held: the care team.
Shared notes, investigations and third-party information are shown to the
care team on the trajectory page but get no timeline entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from leerlingen.models import TijdlijnItem, Zichtbaarheid
from leerlingen.services.tijdlijn import tijdlijn_bijwerken, tijdlijn_registreren

from ..models import Behoefte, Doel, Laag, Trajectnotitie

NOTITIE_ZICHTBAARHEID = {
    Trajectnotitie.Soort.ADVIES: Zichtbaarheid.KLASTEAM,
    Trajectnotitie.Soort.AFSPRAAK: Zichtbaarheid.ZORGTEAM,
    Trajectnotitie.Soort.OVERLEG: Zichtbaarheid.ZORGTEAM,
}
DOEL_ZICHTBAARHEID = Zichtbaarheid.KLASTEAM
BEHOEFTE_ZICHTBAARHEID = Zichtbaarheid.ZORGTEAM
# Shared notes of another kind: on the trajectory page, for the care team.
ANDERE_NOTITIE_ZICHTBAARHEID = Zichtbaarheid.ZORGTEAM
# A written consultation in phase 1: advice for the class, so the class team
# reads it too.
CONSULTATIE_ZICHTBAARHEID = Zichtbaarheid.KLASTEAM


def zichtbaarheid(item) -> str | None:
    """Who of the school reads this entry on the timeline; None when the
    kind never goes there. Says nothing of the layer: see `op_tijdlijn`."""
    if isinstance(item, Doel):
        return DOEL_ZICHTBAARHEID
    if isinstance(item, Behoefte):
        return BEHOEFTE_ZICHTBAARHEID
    if isinstance(item, Trajectnotitie):
        return NOTITIE_ZICHTBAARHEID.get(item.soort)
    return None


def op_tijdlijn(item) -> bool:
    """A shared entry of a kind the school must see."""
    return item.laag == Laag.GEDEELD and zichtbaarheid(item) is not None


def traject_school_url(leerling_id: int, anker: str = "") -> str:
    url = reverse("clb:traject_school", args=[leerling_id])
    return f"{url}#{anker}" if anker else url


def _naam(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def _datum(item):
    if isinstance(item, Trajectnotitie):
        return item.datum
    return timezone.localdate(item.aangemaakt)


def _titel_en_tekst(item) -> tuple[str, str]:
    if isinstance(item, Doel):
        titel = _("Doel (HGD-traject): %(doel)s") % {"doel": item.omschrijving}
        tekst = _("%(termijn)s · te evalueren op %(datum)s · %(status)s") % {
            "termijn": item.get_termijn_display(),
            "datum": date_format(item.evaluatiedatum, "d/m/Y"),
            "status": item.get_status_display(),
        }
        return titel, tekst[:1].upper() + tekst[1:]
    if isinstance(item, Behoefte):
        titel = _("%(soort)s %(van)s (HGD-traject)") % {
            "soort": item.get_soort_display(),
            "van": item.get_van_display(),
        }
        return titel[:1].upper() + titel[1:], item.omschrijving
    titels = {
        Trajectnotitie.Soort.ADVIES: _("CLB-advies"),
        Trajectnotitie.Soort.AFSPRAAK: _("Afspraak (HGD-traject)"),
        Trajectnotitie.Soort.OVERLEG: _("Overleg (HGD-traject)"),
    }
    tekst = item.tekst
    if item.deelnemers:
        tekst += "\n" + _("Deelnemers: %(deelnemers)s") % {"deelnemers": item.deelnemers}
    return titels[item.soort], tekst


def _anker(item) -> str:
    return f"{item._meta.model_name}-{item.pk}"


def gedeeld_op_tijdlijn(item) -> TijdlijnItem | None:
    """Bring the timeline in line with a goal, need or trajectory note that
    was just saved (or whose layer changed): one entry, written or
    refreshed, when it is shared and of a kind the school must see; no
    entry at all otherwise. Call it in the transaction that saved `item`.
    Returns the entry, or None when there is none (any more)."""
    if not op_tijdlijn(item):
        van_tijdlijn_halen(item)
        return None
    leerling_id = item.traject.leerling_id
    # Stored, so in the site's language, not the request's.
    with translation.override(settings.LANGUAGE_CODE):
        titel, tekst = _titel_en_tekst(item)
    velden = {
        "datum": _datum(item),
        "titel": titel,
        "tekst": tekst,
        "zichtbaarheid": zichtbaarheid(item),
        "auteur": _naam(item.door)[:200],
        "url": traject_school_url(leerling_id, _anker(item)),
    }
    if tijdlijn_bijwerken(bron=item, **velden):
        return TijdlijnItem.objects.filter(
            bron_type=item._meta.label_lower, bron_id=item.pk
        ).first()
    return tijdlijn_registreren(
        leerling=item.traject.leerling, soort=TijdlijnItem.Soort.CLB, bron=item, **velden
    )


def van_tijdlijn_halen(item: models.Model) -> int:
    """Remove the timeline entry of `item` (now CLB-only, or deleted).
    Returns how many entries went."""
    aantal, _per_model = TijdlijnItem.objects.filter(
        bron_type=item._meta.label_lower, bron_id=item.pk
    ).delete()
    return aantal
