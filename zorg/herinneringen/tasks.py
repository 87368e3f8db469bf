from celery import shared_task

from zorg.accounts.models import School

from .services import herinneringen_plannen


@shared_task
def herinneringen_versturen() -> int:
    """Beat, every few minutes: each school's reminders that are due. One
    school per transaction: a school that fails does not hold up the rest,
    and the next run picks up what a killed worker left."""
    aantal = 0
    for school_id in School.objects.order_by("pk").values_list("pk", flat=True):
        aantal += herinneringen_plannen(school_id=school_id)
    return aantal
