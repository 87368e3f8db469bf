import datetime

from celery import shared_task

from . import services


@shared_task
def bewaring_uitvoeren(op: str | None = None) -> dict:
    """Beat, at night: destroy what has expired, pseudonymise the audit trail
    past its term (see services.bewaring_uitvoeren). Safe to run twice.
    `op` (an ISO date) runs it as of another day than today, e.g. to catch
    up on a night the workers were down; beat passes nothing."""
    dag = datetime.date.fromisoformat(op) if op else None
    resultaat = services.bewaring_uitvoeren(op=dag)
    return {str(school): dict(tellingen) for school, tellingen in resultaat.items()}
