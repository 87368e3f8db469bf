from celery import shared_task

from . import services


@shared_task
def pdf_maken(opdracht_id: str) -> str:
    """Make one requested PDF (see services.pdf_maken)."""
    return services.pdf_maken(opdracht_id)


@shared_task
def pdf_opruimen() -> tuple[int, int]:
    """Beat, every few minutes: PDFs older than a day are deleted, jobs whose
    task was lost are queued again."""
    return services.pdf_opruimen()
