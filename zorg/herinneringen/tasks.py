from celery import shared_task

from .services import herinneringen_alle_scholen


@shared_task
def herinneringen_versturen() -> int:
    """Beat, every few minutes: each school's reminders that are due, one
    school per transaction (`herinneringen_alle_scholen`)."""
    return herinneringen_alle_scholen()
