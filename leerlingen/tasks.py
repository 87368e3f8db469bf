"""Background work of the student record. Tasks are thin: they take ids (or
nothing), call a service, and are safe to run twice."""

from celery import shared_task

from .services import vlagalarm


@shared_task
def rode_vlaggen_escaleren() -> int:
    """Every few minutes (CELERY_BEAT_SCHEDULE): red flags nobody acknowledged
    in time go to the director."""
    return vlagalarm.rode_vlaggen_escaleren()
