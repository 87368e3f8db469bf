import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from . import soorten
from .models import Melding, Voorkeur
from .soorten import Modus, Soort

log = logging.getLogger(__name__)


def kanalen(soort: Soort | None, user_ids: Iterable[int]) -> dict[int, Modus]:
    """How each of these people hears of a notification of `soort`: their
    preference, else the kind's default; always the default for a fixed
    kind. One query, whatever the number of people."""
    user_ids = list(user_ids)
    if soort is None:
        return dict.fromkeys(user_ids, Modus.DIRECT)
    gekozen = {}
    if not soort.vast:
        gekozen = dict(
            Voorkeur.objects.filter(user_id__in=user_ids, soort=soort.code).values_list(
                "user_id", "modus"
            )
        )
    return {pk: Modus(gekozen.get(pk, soort.standaard)) for pk in user_ids}


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
    soort_ = soorten.soort(soort) if soort else None
    if soort and soort_ is None:
        raise ValueError(f"unknown notification kind {soort!r}")
    kanaal = kanalen(soort_, unieke) if email else dict.fromkeys(unieke, Modus.IN_APP)
    meldingen = Melding.objects.bulk_create(
        Melding(
            ontvanger=user,
            school=school,
            titel=titel[:200],
            tekst=tekst,
            link=link,
            soort=soort,
            email_gevraagd=kanaal[user.pk] == Modus.DIRECT,
            voor_samenvatting=kanaal[user.pk] == Modus.SAMENVATTING,
        )
        for user in unieke.values()
    )
    mailen_na_commit([m.pk for m in meldingen if m.email_gevraagd])
    return meldingen


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
