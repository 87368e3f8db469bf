"""Writes about a meeting's agenda and about requests to discuss a student.

Each service checks its rules, writes, and records one audit event, in one
transaction. A rule that refuses raises ValidationError with a Dutch
message; nothing is saved then.

A meeting's agenda changes under a lock on the meeting row: two people
taking proposals onto the same agenda wait for each other instead of
colliding on the one-student-once constraint or on the order.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from leerlingen.models import Inschrijving, Leerling
from leerlingen.policies import zorgcoordinatoren
from leerlingen.services.meldingen import melding_over_leerlingen
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import vergrendelen

from .. import agenda as generator
from ..models import Agendapunt, Agendareden, Beslissing, Bespreekvraag, Overleg, OverlegSoort

REDEN_MAX = 500
VRAAG_REDEN_MAX = Bespreekvraag._meta.get_field("reden").max_length


def bespreekvraag_waar(overleg: Overleg) -> str | None:
    """Which requests a meeting of this kind takes onto its agenda."""
    if overleg.soort == OverlegSoort.CEL:
        return Bespreekvraag.Waar.CEL
    if overleg.soort == OverlegSoort.BEGELEIDEND:
        return Bespreekvraag.Waar.KLASSENRAAD
    return None


def _vergrendeld(overleg: Overleg) -> Overleg:
    """The meeting row as saved now, locked (alone: no join in the FOR
    UPDATE)."""
    return vergrendelen(Overleg, pk=overleg.pk)


def _niet_afgesloten(overleg: Overleg) -> None:
    if overleg.is_afgesloten:
        raise ValidationError(
            _("Dit overleg is afgesloten: de agenda verandert niet meer."), code="afgesloten"
        )


def _volgende_volgorde(overleg: Overleg) -> int:
    hoogste = Agendapunt.objects.filter(overleg_id=overleg.pk).aggregate(m=Max("volgorde"))["m"]
    return 1 if hoogste is None else hoogste + 1


def _vragen_inplannen(overleg: Overleg, leerling_ids: list[int]) -> int:
    """The open requests of these students for this kind of meeting are
    answered by its agenda (one UPDATE)."""
    waar = bespreekvraag_waar(overleg)
    if waar is None or not leerling_ids:
        return 0
    return Bespreekvraag.objects.filter(
        status=Bespreekvraag.Status.OPEN,
        waar=waar,
        leerling_id__in=leerling_ids,
        leerling__school_id=overleg.school_id,
    ).update(
        status=Bespreekvraag.Status.INGEPLAND,
        agendapunt_id=Subquery(
            Agendapunt.objects.filter(
                overleg_id=overleg.pk, leerling_id=OuterRef("leerling_id")
            ).values("pk")[:1]
        ),
    )


def _ids(waarden) -> list[int]:
    try:
        ids = [int(waarde) for waarde in waarden]
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Kies de leerlingen uit de lijst met voorstellen.")) from exc
    return list(dict.fromkeys(ids))


# --- the agenda ---------------------------------------------------------------------


@transaction.atomic
def agenda_aanvaarden(*, overleg: Overleg, leerling_ids, door) -> list[Agendapunt]:
    """Take the chosen proposals onto the agenda, with the reasons Zorg
    computes now (never reasons sent by the browser). Students already on the
    agenda are skipped. Returns the new agenda items."""
    overleg = _vergrendeld(overleg)
    _niet_afgesloten(overleg)
    gekozen = _ids(leerling_ids)
    if not gekozen:
        raise ValidationError(_("Kies minstens één leerling om op de agenda te zetten."))
    with translation.override(settings.LANGUAGE_CODE):
        voorstellen = {v.leerling.pk: v for v in generator.voorstellen(overleg)}
    if any(pk not in voorstellen for pk in gekozen):
        raise ValidationError(
            _(
                "Een of meer gekozen leerlingen staan niet (meer) tussen de voorstellen voor "
                "dit overleg. Bekijk de voorstellen opnieuw en kies dan."
            ),
            code="niet_voorgesteld",
        )
    al_op_agenda = set(
        Agendapunt.objects.filter(overleg_id=overleg.pk).values_list("leerling_id", flat=True)
    )
    volgorde = _volgende_volgorde(overleg)
    nieuw = []
    # In the order of the proposals: red flags first.
    for voorstel in voorstellen.values():
        if voorstel.leerling.pk not in gekozen or voorstel.leerling.pk in al_op_agenda:
            continue
        nieuw.append(
            Agendapunt(
                overleg=overleg,
                leerling=voorstel.leerling,
                volgorde=volgorde,
                redenen=voorstel.redenen_json(),
                toegevoegd_door=door,
            )
        )
        volgorde += 1
    if not nieuw:
        return []
    try:
        with transaction.atomic():
            punten = Agendapunt.objects.bulk_create(nieuw)
    except IntegrityError as exc:  # an agenda written without the meeting's lock
        raise ValidationError(
            _("Iemand anders wijzigde de agenda intussen. Bekijk ze opnieuw.")
        ) from exc
    leerlingen = [punt.leerling for punt in punten]
    _vragen_inplannen(overleg, [leerling.pk for leerling in leerlingen])
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="agendapunt",
        leerlingen=leerlingen,
        object_id=overleg.pk,
        omschrijving=f"{len(punten)} voorstel(len) op de agenda",
    )
    return punten


@transaction.atomic
def leerling_toevoegen(*, overleg: Overleg, leerling: Leerling, reden: str, door) -> Agendapunt:
    """Put a student on the agenda by hand, with why."""
    overleg = _vergrendeld(overleg)
    _niet_afgesloten(overleg)
    reden = (reden or "").strip()
    if not reden:
        raise ValidationError({"reden": _("Noteer kort waarom je deze leerling wil bespreken.")})
    if len(reden) > REDEN_MAX:
        raise ValidationError(
            {
                "reden": _("De reden is te lang: maximaal %(max)d tekens, nu %(aantal)d.")
                % {"max": REDEN_MAX, "aantal": len(reden)}
            }
        )
    if leerling.school_id != overleg.school_id:
        raise ValidationError(
            {"leerling": _("Deze leerling zit niet op de school van dit overleg.")}
        )
    if overleg.is_klassenraad and not (
        Inschrijving.objects.actief().filter(leerling=leerling, klas_id=overleg.klas_id).exists()
    ):
        raise ValidationError(
            {
                "leerling": _("%(naam)s zit nu niet in klas %(klas)s.")
                % {"naam": leerling.volledige_naam, "klas": overleg.klas.naam}
            }
        )
    if Agendapunt.objects.filter(overleg_id=overleg.pk, leerling=leerling).exists():
        raise ValidationError(
            {"leerling": _("%(naam)s staat al op de agenda.") % {"naam": leerling.volledige_naam}}
        )
    punt = Agendapunt.objects.create(
        overleg=overleg,
        leerling=leerling,
        volgorde=_volgende_volgorde(overleg),
        redenen=[{"soort": Agendareden.TOEGEVOEGD.value, "tekst": reden}],
        toegevoegd_door=door,
    )
    _vragen_inplannen(overleg, [leerling.pk])
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="agendapunt",
        leerlingen=[leerling],
        object_id=punt.pk,
        omschrijving="met de hand toegevoegd",
    )
    return punt


@transaction.atomic
def agendapunt_verwijderen(*, agendapunt: Agendapunt, door) -> None:
    """Take a student off the agenda while nothing is recorded about them
    yet; their requests are open again for a next meeting."""
    overleg = _vergrendeld(agendapunt.overleg)
    _niet_afgesloten(overleg)
    # The item row alone, locked: a note or a decision being written now
    # waits, and then finds the item gone.
    punt = Agendapunt.objects.select_for_update().filter(pk=agendapunt.pk).first()
    if punt is None:
        raise ValidationError(_("Deze leerling staat niet meer op de agenda."))
    if Beslissing.objects.filter(agendapunt_id=punt.pk).exists():
        raise ValidationError(
            _("Voor deze leerling is al een beslissing genoteerd: het agendapunt blijft staan."),
            code="beslissing",
        )
    if punt.notities.strip():
        raise ValidationError(
            _(
                "Bij deze leerling staan al notities: het agendapunt blijft staan. Maak de "
                "notities eerst leeg als de leerling toch niet besproken wordt."
            ),
            code="notities",
        )
    Bespreekvraag.objects.filter(agendapunt_id=punt.pk).update(
        status=Bespreekvraag.Status.OPEN, agendapunt=None
    )
    leerling = agendapunt.leerling
    punt.delete()
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.VERWIJDEREN,
        onderwerp="agendapunt",
        leerlingen=[leerling],
        object_id=agendapunt.pk,
        omschrijving=f"van de agenda van overleg {overleg.pk}",
    )


# --- requests to discuss a student ------------------------------------------------------


@transaction.atomic
def bespreekvraag_maken(*, leerling: Leerling, waar: str, reden: str, door) -> Bespreekvraag:
    """A request to discuss `leerling` at the care cell or at the guiding
    class council of their class. The same person asking again for the same
    meeting while their request is open is refused."""
    reden = (reden or "").strip()
    fouten: dict[str, str] = {}
    if waar not in Bespreekvraag.Waar.values:
        fouten["waar"] = _("Kies waar de leerling besproken moet worden.")
    if not reden:
        fouten["reden"] = _("Schrijf waarom je deze leerling wil laten bespreken.")
    elif len(reden) > VRAAG_REDEN_MAX:
        fouten["reden"] = _("De reden is te lang: maximaal %(max)d tekens, nu %(aantal)d.") % {
            "max": VRAAG_REDEN_MAX,
            "aantal": len(reden),
        }
    if fouten:
        raise ValidationError(fouten)
    # Two clicks on "send" must not make two requests: the student row,
    # locked without blocking the rows that point at it, serializes them.
    list(Leerling.objects.select_for_update(no_key=True).filter(pk=leerling.pk).values("pk"))
    if (
        waar == Bespreekvraag.Waar.KLASSENRAAD
        and not Inschrijving.objects.actief().filter(leerling=leerling).exists()
    ):
        raise ValidationError(
            {
                "waar": _(
                    "Deze leerling zit nu in geen klas: er is geen klassenraad om de leerling "
                    "op te bespreken. Vraag een bespreking op de cel."
                )
            }
        )
    if Bespreekvraag.objects.filter(
        leerling=leerling, waar=waar, gevraagd_door=door, status=Bespreekvraag.Status.OPEN
    ).exists():
        raise ValidationError(
            {
                "waar": _(
                    "Je vroeg al om deze leerling te bespreken op de %(waar)s; die vraag staat "
                    "nog open. Trek ze in als je de reden wil aanpassen."
                )
                % {"waar": Bespreekvraag.Waar(waar).label}
            },
            code="dubbel",
        )
    vraag = Bespreekvraag.objects.create(
        leerling=leerling, waar=waar, reden=reden, gevraagd_door=door
    )
    if waar == Bespreekvraag.Waar.CEL:
        ontvangers = [u for u in zorgcoordinatoren(leerling.school_id) if u.pk != door.pk]
        if ontvangers:
            with translation.override(settings.LANGUAGE_CODE):
                # No name and no reason in the notification: the student page
                # shows them to whom may read them.
                titel = _("Nieuwe vraag om een leerling te bespreken op de cel")
            melding_over_leerlingen(
                leerlingen=[leerling],
                ontvangers=ontvangers,
                titel=titel,
                link=reverse("leerlingen:leerling_detail", args=[leerling.pk]),
                school=leerling.school,
                email=False,
            )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="bespreekvraag",
        leerlingen=[leerling],
        object_id=vraag.pk,
        velden=["waar", "reden"],
    )
    return vraag


@transaction.atomic
def bespreekvraag_intrekken(*, vraag: Bespreekvraag, door) -> Bespreekvraag:
    vergrendeld = Bespreekvraag.objects.select_for_update().get(pk=vraag.pk)
    if vergrendeld.status != Bespreekvraag.Status.OPEN:
        raise ValidationError(
            _("Deze vraag staat al op een agenda of werd al ingetrokken."), code="niet_open"
        )
    vergrendeld.status = Bespreekvraag.Status.INGETROKKEN
    vergrendeld.save(update_fields=["status"])
    vraag.status = vergrendeld.status
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="bespreekvraag",
        leerlingen=[vraag.leerling],
        object_id=vraag.pk,
        omschrijving="ingetrokken",
        velden=["status"],
    )
    return vraag
