from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import Melding


def melding_versturen(
    *,
    ontvangers: Iterable,
    titel: str,
    tekst: str = "",
    link: str = "",
    school=None,
    email: bool = True,
) -> list[Melding]:
    """Notify each recipient in the app (one INSERT for all of them) and,
    after the transaction commits, by e-mail through the task queue."""
    unieke = {user.pk: user for user in ontvangers}
    meldingen = Melding.objects.bulk_create(
        Melding(
            ontvanger=user,
            school=school,
            titel=titel[:200],
            tekst=tekst,
            link=link,
            email_gevraagd=email,
        )
        for user in unieke.values()
    )
    if email and meldingen:
        from .tasks import meldingen_mailen

        ids = [m.pk for m in meldingen]
        transaction.on_commit(lambda: meldingen_mailen.delay(ids))
    return meldingen


def melding_lezen(*, melding: Melding) -> None:
    if melding.gelezen_op is None:
        Melding.objects.filter(pk=melding.pk, gelezen_op__isnull=True).update(
            gelezen_op=timezone.now()
        )


def alle_meldingen_lezen(*, user) -> int:
    return Melding.objects.voor(user).ongelezen().update(gelezen_op=timezone.now())
