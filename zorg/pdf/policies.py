"""A PDF job is its requester's only: anyone else, and the requester once
it expired, gets the 404 of a job that does not exist. Whether the reader
may see what the document shows is the document kind's own policy
(`Documentsoort.opzoeken`), asked at the request, in the worker and at
every download."""

from django.utils import timezone

from zorg.accounts.policies import get_or_404

from .models import PdfOpdracht
from .services import BEWAARTIJD


def pdf_opdrachten_visible_to(user):
    if not user.is_authenticated or not user.is_active:
        return PdfOpdracht.objects.none()
    return PdfOpdracht.objects.filter(
        aangevraagd_door=user, aangemaakt__gte=timezone.now() - BEWAARTIJD
    )


def get_pdf_opdracht_for_user(user, pk) -> PdfOpdracht:
    return get_or_404(pdf_opdrachten_visible_to(user), pk=pk)
