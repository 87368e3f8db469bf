from celery import shared_task

from . import services


@shared_task
def bewaring_uitvoeren() -> dict:
    """Beat, at night: destroy what has expired, pseudonymise the audit trail
    past its term (see services.bewaring_uitvoeren). Safe to run twice."""
    resultaat = services.bewaring_uitvoeren()
    return {str(school): dict(tellingen) for school, tellingen in resultaat.items()}
