import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from . import soorten
from .models import Melding, Voorkeur
from .soorten import Modus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Bericht:
    """One notification to one person, for `meldingen_aanmaken`."""

    ontvanger_id: int
    titel: str
    tekst: str = ""
    link: str = ""
    soort: str = ""
    school_id: int | None = None
    # The student the title names, if any (see Melding.leerling).
    leerling_id: int | None = None


def meldingen_aanmaken(berichten: list[Bericht], *, email: bool = True) -> list[Melding]:
    """Create these notifications in one INSERT, each with the e-mail its
    recipient chose for its kind (one query for every preference), and queue
    the immediate e-mails after the transaction commits."""
    for code in {b.soort for b in berichten if b.soort}:
        if soorten.soort(code) is None:
            raise ValueError(f"unknown notification kind {code!r}")
    gekozen: dict[tuple[int, str], str] = {}
    if email and berichten:
        gekozen = {
            (user_id, code): modus
            for user_id, code, modus in Voorkeur.objects.filter(
                user_id__in={b.ontvanger_id for b in berichten},
                soort__in={b.soort for b in berichten},
            ).values_list("user_id", "soort", "modus")
        }

    def kanaal(bericht: Bericht) -> Modus:
        if not email:
            return Modus.IN_APP
        soort = soorten.soort(bericht.soort) if bericht.soort else None
        if soort is None:
            return Modus.DIRECT
        if soort.vast:
            return soort.standaard
        return Modus(gekozen.get((bericht.ontvanger_id, soort.code), soort.standaard))

    meldingen = []
    for bericht in berichten:
        modus = kanaal(bericht)
        meldingen.append(
            Melding(
                ontvanger_id=bericht.ontvanger_id,
                school_id=bericht.school_id,
                titel=bericht.titel[:200],
                tekst=bericht.tekst,
                link=bericht.link,
                soort=bericht.soort,
                leerling_id=bericht.leerling_id,
                email_gevraagd=modus == Modus.DIRECT,
                voor_samenvatting=modus == Modus.SAMENVATTING,
            )
        )
    meldingen = Melding.objects.bulk_create(meldingen)
    mailen_na_commit([m.pk for m in meldingen if m.email_gevraagd])
    return meldingen


def melding_versturen(
    *,
    ontvangers: Iterable,
    titel: str,
    tekst: str = "",
    link: str = "",
    school=None,
    email: bool = True,
    soort: str = "",
) -> list[Melding]:
    """Notify each recipient in the app (one INSERT for all of them). With
    `email`, each also hears of it by e-mail as they chose for this `soort`
    (a registered kind): at once (queued after the transaction commits), in
    their daily summary, or not. Without `email`, in the app only."""
    unieke = {user.pk: user for user in ontvangers}
    return meldingen_aanmaken(
        [
            Bericht(
                ontvanger_id=pk,
                titel=titel,
                tekst=tekst,
                link=link,
                soort=soort,
                school_id=getattr(school, "pk", school),
            )
            for pk in unieke
        ],
        email=email,
    )


def mailen_na_commit(melding_ids: list[int]) -> None:
    """Queue the e-mails of these notifications once the transaction commits.
    When the queue cannot be reached (Redis down), the notifications are
    saved all the same and the request does not fail: the rows are the
    outbox, and `meldingen_nasturen` queues what is still unsent."""
    if not melding_ids:
        return

    def versturen():
        from .tasks import meldingen_mailen

        try:
            meldingen_mailen.delay(melding_ids)
        except Exception:  # kombu's OperationalError and friends: any broker failure
            log.warning("E-mail of notifications %s not queued: the sweep will", melding_ids)

    transaction.on_commit(versturen)


def genoemde_leerlingen(meldingen) -> list:
    """The students these notifications name in their title, once each, for
    the audit trail of the page that shows them (`leerling` loaded with
    select_related: no query here)."""
    return list({m.leerling_id: m.leerling for m in meldingen if m.leerling_id}.values())


def melding_lezen(*, melding: Melding) -> None:
    if melding.gelezen_op is None:
        Melding.objects.filter(pk=melding.pk, gelezen_op__isnull=True).update(
            gelezen_op=timezone.now()
        )


def alle_meldingen_lezen(*, user) -> int:
    return Melding.objects.voor(user).ongelezen().update(gelezen_op=timezone.now())


def voorkeuren_bewaren(*, user, keuzes: dict[str, str]) -> None:
    """Save how `user` wants to hear of each kind in `keuzes` (one
    statement; saving the same choices twice changes nothing)."""
    Voorkeur.objects.bulk_create(
        [Voorkeur(user=user, soort=code, modus=modus) for code, modus in keuzes.items()],
        update_conflicts=True,
        unique_fields=["user", "soort"],
        update_fields=["modus"],
    )
