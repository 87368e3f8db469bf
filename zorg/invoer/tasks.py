from celery import shared_task

from . import services


@shared_task
def invoer_controleren(opdracht_id: str) -> str:
    """The dry run of an import (see services.invoer_controleren)."""
    return services.invoer_controleren(opdracht_id)


@shared_task
def invoer_uitvoeren(opdracht_id: str) -> str:
    """The confirmed import, in one transaction (see services.invoer_uitvoeren)."""
    return services.invoer_uitvoeren(opdracht_id)


@shared_task
def invoer_opruimen() -> tuple[int, int]:
    """Beat: old import files are deleted, lost tasks queued again."""
    return services.invoer_opruimen()
