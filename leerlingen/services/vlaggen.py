"""Behaviour flags (leergericht gedrag): logging an incident with one or more
students of a class, in one of four colours.

One incident, one row (`Vlag`), however many students it names; each student
gets a timeline entry that tells the incident from their own side and never
names the others. A red flag reaches the school's care coordinators at once;
yellow and orange flags that pile up for one student raise a pattern signal.

A broken rule raises a `ValidationError` keyed by form field (or `__all__`),
in Dutch, and writes nothing."""

import datetime
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zorg.accounts.models import Rol
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import indiening_bewaren
from zorg.meldingen.models import Melding

from ..models import (
    Inschrijving,
    Klas,
    Leerling,
    Signaal,
    TijdlijnItem,
    Vak,
    Vlag,
    VlagBetrokkene,
    VlagKleur,
    Zichtbaarheid,
)
from ..policies import zorgcoordinatoren
from .meldingen import melding_over_leerlingen

# The flag form's name for its keys (zorg.eenmalig).
VLAG_FORMULIER = "leerlingen.vlag"
TEKST_MAX = Vlag._meta.get_field("omschrijving").max_length
# A tablet's clock may run a little ahead of the server's.
KLOKSPELING = datetime.timedelta(minutes=5)
# Orange and red need words: what happened is what the care team acts on.
OMSCHRIJVING_VERPLICHT = frozenset({VlagKleur.ORANJE, VlagKleur.ROOD})


def vlag_url(vlag: Vlag) -> str:
    return reverse("leerlingen:vlag_detail", args=[vlag.pk])


def vlag_titel(kleur: str) -> str:
    """ "Oranje vlag", with the adjective inflected as Dutch wants it."""
    return {
        VlagKleur.GROEN: _("Groene vlag"),
        VlagKleur.GEEL: _("Gele vlag"),
        VlagKleur.ORANJE: _("Oranje vlag"),
        VlagKleur.ROOD: _("Rode vlag"),
    }[kleur]


def zorgteam_verwittigd(vlag: Vlag) -> bool:
    """Whether a care coordinator holds the red flag's notification. Not so
    in a school without one, nor when none may read these students: then
    the teacher must hear that nobody was told."""
    return Melding.objects.filter(
        link=vlag_url(vlag),
        ontvanger__in=get_user_model().objects.met_rol(vlag.school_id, Rol.ZORGCOORDINATOR),
    ).exists()


# --- the rules ------------------------------------------------------------------


def _tekst(waarde: str, veld: str, fout) -> str:
    waarde = (waarde or "").strip()
    if len(waarde) > TEKST_MAX:
        fout(
            veld,
            _("De tekst is te lang: maximaal %(max)d tekens, nu %(aantal)d.")
            % {"max": TEKST_MAX, "aantal": len(waarde)},
        )
    elif "\x00" in waarde:
        fout(veld, _("De tekst bevat een ongeldig teken."))
    return waarde


def _controleren(
    *,
    klas: Klas,
    kleur: str,
    moment: datetime.datetime | None,
    leerlingen_met_rol: Sequence[tuple[Leerling, str]],
    vak: Vak | None,
    omschrijving: str,
    reeds_gedaan: str,
) -> dict:
    """The cleaned values, or a ValidationError listing every broken rule."""
    fouten: dict[str, list[str]] = {}

    def fout(veld, bericht):
        fouten.setdefault(veld, []).append(bericht)

    # One row per student; a student named twice keeps the first role.
    per_leerling: dict[int, tuple[Leerling, str]] = {}
    for leerling, rol in leerlingen_met_rol:
        per_leerling.setdefault(leerling.pk, (leerling, rol))
    klasfout = _("Kies enkel leerlingen uit klas %(klas)s.") % {"klas": klas.naam}
    if not per_leerling:
        fout("leerlingen", _("Kies minstens één leerling."))
    elif any(rol not in VlagBetrokkene.Rol.values for _l, rol in per_leerling.values()):
        fout("leerlingen", _("Kies voor elke leerling een geldige rol."))
    else:
        ingeschreven = set(
            Inschrijving.objects.actief()
            .filter(klas=klas, leerling_id__in=per_leerling)
            .values_list("leerling_id", flat=True)
        )
        if ingeschreven != set(per_leerling):
            fout("leerlingen", klasfout)
    if kleur not in VlagKleur.values:
        fout("kleur", _("Kies een kleur: groen, geel, oranje of rood."))
    if moment is None:
        fout("moment", _("Geef het moment van het voorval."))
    elif timezone.is_naive(moment):
        fout("moment", _("Geef een geldig moment."))
    elif moment > timezone.now() + KLOKSPELING:
        fout("moment", _("Het moment ligt in de toekomst: registreer wat al gebeurde."))
    omschrijving = _tekst(omschrijving, "omschrijving", fout)
    reeds_gedaan = _tekst(reeds_gedaan, "reeds_gedaan", fout)
    if kleur in OMSCHRIJVING_VERPLICHT and not omschrijving and "omschrijving" not in fouten:
        fout(
            "omschrijving",
            _("Beschrijf kort wat er gebeurde: dat is verplicht bij een oranje of rode vlag."),
        )
    if vak is not None and vak.school_id != klas.schooljaar.school_id:
        fout("vak", _("Kies een vak van deze school."))
    if fouten:
        raise ValidationError(fouten)
    return {
        "leerlingen": list(per_leerling.values()),
        "omschrijving": omschrijving,
        "reeds_gedaan": reeds_gedaan,
    }


# --- logging ----------------------------------------------------------------------


def _tijdlijn_tekst(vlag: Vlag, andere: int) -> str:
    delen = []
    if vlag.omschrijving:
        delen.append(vlag.omschrijving)
    if vlag.reeds_gedaan:
        delen.append(_("Wat de leerkracht al deed: %(tekst)s") % {"tekst": vlag.reeds_gedaan})
    if andere:
        # The others stay nameless: a teacher of this student need not
        # teach them.
        delen.append(
            ngettext(
                "Samen met %(aantal)d andere leerling.",
                "Samen met %(aantal)d andere leerlingen.",
                andere,
            )
            % {"aantal": andere}
        )
    return "\n\n".join(delen)


def tijdlijn_items_voor_vlag(
    vlag: Vlag, betrokkenen: list[tuple[int, str]], auteur: str
) -> list[TijdlijnItem]:
    """The unsaved timeline entries of an incident, one per student
    (leerling_id, rol), each from that student's side. Shared by the service
    and the demo's bulk load, so both write the same entries."""
    url = vlag_url(vlag)
    datum = timezone.localtime(vlag.moment).date()
    # The record is kept in the school's language, whatever the writer's UI.
    with translation.override(settings.LANGUAGE_CODE):
        tekst = _tijdlijn_tekst(vlag, len(betrokkenen) - 1)
        return [
            TijdlijnItem(
                leerling_id=leerling_id,
                soort=TijdlijnItem.Soort.VLAG,
                datum=datum,
                tijdstip=vlag.moment,
                titel=f"{vlag_titel(vlag.kleur)} ({VlagBetrokkene.Rol(rol).label})",
                zichtbaarheid=Zichtbaarheid.KLASTEAM,
                tekst=tekst,
                is_sterkte=vlag.kleur == VlagKleur.GROEN,
                auteur=auteur[:200],
                url=url,
                bron_type=Vlag._meta.label_lower,
                bron_id=vlag.pk,
            )
            for leerling_id, rol in betrokkenen
        ]


def _tijdlijn_schrijven(vlag: Vlag, leerlingen: list[tuple[Leerling, str]], door) -> None:
    # One INSERT for every student of the incident.
    TijdlijnItem.objects.bulk_create(
        tijdlijn_items_voor_vlag(vlag, [(ll.pk, rol) for ll, rol in leerlingen], str(door))
    )


def _rood_melden(vlag: Vlag, klas: Klas, coordinatoren: list, leerlingen: list) -> None:
    """In the app now, by e-mail once committed (the e-mail says only that
    there is a notification). No student names in the title."""
    if not coordinatoren:
        return
    with translation.override(settings.LANGUAGE_CODE):
        titel = _("Rode vlag in %(klas)s") % {"klas": klas.naam}
        tekst = _(
            "Er werd een rode vlag geregistreerd. Het zorgteam komt altijd tussen: "
            "bevestig dat je ze gezien hebt."
        )
    melding_over_leerlingen(
        leerlingen=leerlingen,
        ontvangers=coordinatoren,
        titel=titel,
        tekst=tekst,
        link=vlag_url(vlag),
        school=vlag.school,
        email=True,
        soort="rode_vlag",
    )


def patroon_begin(nu: datetime.datetime, dagen: int | None = None) -> datetime.datetime:
    """Where the pattern window starts: "N flags in the last D days" counts
    whole days on the Brussels clock, today and the D - 1 days before, from
    midnight. A care coordinator reads the signal's dates, not hours: with 14
    days, on Friday 18 December that is from Saturday 5 December, whether the
    flag came at 08:00 or at 16:00 and whatever DST did in between (a window
    of 14 x 24 hours in UTC starts an hour off the local day after a change)."""
    dagen = settings.ZORG_PATROON_DAGEN if dagen is None else dagen
    eerste_dag = timezone.localdate(nu) - datetime.timedelta(days=dagen - 1)
    return timezone.make_aware(datetime.datetime.combine(eerste_dag, datetime.time.min))


def _patronen_nagaan(vlag: Vlag, klas: Klas, leerlingen: list[Leerling]) -> None:
    """A pattern signal for each student of this flag who now has enough
    yellow and orange flags in the window and no open pattern signal yet.
    A fixed number of queries, whatever the number of flags."""
    nu = timezone.now()
    school = vlag.school
    drempel = school.patroon_aantal
    tellingen = (
        VlagBetrokkene.objects.filter(
            leerling_id__in=[leerling.pk for leerling in leerlingen],
            vlag__kleur__in=school.patroon_kleuren,
            vlag__moment__gte=patroon_begin(nu, school.patroon_dagen),
            vlag__moment__lte=nu + KLOKSPELING,
        )
        .values("leerling_id")
        .annotate(aantal=Count("vlag_id", distinct=True), van=Min("vlag__moment"))
        .annotate(tot=Max("vlag__moment"))
        .filter(aantal__gte=drempel)
    )
    kandidaten = {rij["leerling_id"]: rij for rij in tellingen}
    if not kandidaten:
        return
    al_open = set(
        Signaal.objects.filter(
            leerling_id__in=kandidaten,
            soort=Signaal.Soort.PATROON,
            afgehandeld_op__isnull=True,
        ).values_list("leerling_id", flat=True)
    )
    nieuw: list[tuple[Leerling, int]] = []
    for leerling in leerlingen:
        rij = kandidaten.get(leerling.pk)
        if rij is None or leerling.pk in al_open:
            continue
        try:
            # A concurrent flag may have raised the same signal: the
            # constraint keeps one open signal per student.
            with transaction.atomic():
                Signaal.objects.create(
                    leerling=leerling,
                    soort=Signaal.Soort.PATROON,
                    van=timezone.localtime(rij["van"]).date(),
                    tot=timezone.localtime(rij["tot"]).date(),
                    aantal=rij["aantal"],
                )
        except IntegrityError:
            continue
        nieuw.append((leerling, rij["aantal"]))
    if not nieuw:
        return
    ontvangers = [
        *klas.klastitularissen.filter(is_active=True),
        *zorgcoordinatoren(vlag.school_id),
    ]
    if not ontvangers:
        return
    with translation.override(settings.LANGUAGE_CODE):
        for leerling, aantal in nieuw:
            # The class teachers of the flag's class need not teach every
            # student involved: each hears only of the students they teach.
            melding_over_leerlingen(
                leerlingen=[leerling],
                ontvangers=ontvangers,
                titel=_("Patroon: %(aantal)d gele of oranje vlaggen voor %(naam)s")
                % {"aantal": aantal, "naam": leerling.volledige_naam},
                tekst=_(
                    "%(aantal)d gele of oranje vlaggen in de laatste %(dagen)d dagen. "
                    "Bespreek dit op de volgende klassenraad."
                )
                % {"aantal": aantal, "dagen": school.patroon_dagen},
                link=reverse("leerlingen:leerling_vlaggen", args=[leerling.pk]),
                school=vlag.school,
                email=False,
            )


@transaction.atomic
def vlag_registreren(
    *,
    klas: Klas,
    door,
    kleur: str,
    moment: datetime.datetime,
    leerlingen_met_rol: Sequence[tuple[Leerling, str]],
    vak: Vak | None = None,
    omschrijving: str = "",
    reeds_gedaan: str = "",
    sleutel: uuid.UUID,
) -> tuple[Vlag, bool]:
    """Log an incident in `klas` with its students (each with a role), a
    timeline entry per student, an audit event, the red-flag alert and any
    pattern signal. Returns the flag and whether it was created now: the
    same `sleutel` a second time (a double tap) returns the first incident
    and writes nothing (zorg.eenmalig); someone else's key is refused."""
    waarden = _controleren(
        klas=klas,
        kleur=kleur,
        moment=moment,
        leerlingen_met_rol=leerlingen_met_rol,
        vak=vak,
        omschrijving=omschrijving,
        reeds_gedaan=reeds_gedaan,
    )
    return indiening_bewaren(
        sleutel=sleutel,
        door=door,
        formulier=VLAG_FORMULIER,
        maken=lambda: _vlag_maken(
            klas=klas,
            door=door,
            kleur=kleur,
            moment=moment,
            vak=vak,
            waarden=waarden,
            sleutel=sleutel,
        ),
    )


def _vlag_maken(*, klas, door, kleur, moment, vak, waarden, sleutel) -> Vlag:
    school = klas.schooljaar.school
    vlag = Vlag.objects.create(
        school=school,
        klas=klas,
        kleur=kleur,
        moment=moment,
        vak=vak,
        omschrijving=waarden["omschrijving"],
        reeds_gedaan=waarden["reeds_gedaan"],
        gemeld_door=door,
        sleutel=sleutel,
    )
    leerlingen_rol = waarden["leerlingen"]
    leerlingen = [leerling for leerling, _rol in leerlingen_rol]
    VlagBetrokkene.objects.bulk_create(
        VlagBetrokkene(vlag=vlag, leerling=leerling, rol=rol) for leerling, rol in leerlingen_rol
    )
    _tijdlijn_schrijven(vlag, leerlingen_rol, door)
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="vlag",
        leerlingen=leerlingen,
        object_id=vlag.pk,
        # The class, not the colour: the trail is read by the functional
        # administrator, who may not read care content.
        omschrijving=klas.naam,
    )
    if kleur == VlagKleur.ROOD:
        _rood_melden(vlag, klas, zorgcoordinatoren(school.pk), leerlingen)
    if kleur in school.patroon_kleuren:
        _patronen_nagaan(vlag, klas, leerlingen)
    return vlag
