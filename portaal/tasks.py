from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Portaaltoegang
from .services import GELDIG_DAGEN, uitnodiging_link


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def uitnodiging_mailen(self, toegang_id: int) -> bool:
    """Send a portal invitation: the school's name and a link to choose a
    password (made now). No care content. Run twice, it mails twice:
    harmless, both links lead to the same access."""
    toegang = (
        Portaaltoegang.objects.select_related("user", "leerling__school")
        .filter(pk=toegang_id, ingetrokken_op__isnull=True, user__is_active=True)
        .first()
    )
    if toegang is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "school": toegang.leerling.school,
            "leerling": toegang.leerling,
            "voor_leerling": toegang.soort == Portaaltoegang.Soort.LEERLING,
            "link": uitnodiging_link(toegang),
            "aanmelden": f"{settings.ZORG_BASE_URL}{reverse('account_login')}",
            "dagen": GELDIG_DAGEN,
        }
        onderwerp = render_to_string("portaal/uitnodiging_onderwerp.txt", context)
        tekst = render_to_string("portaal/uitnodiging.txt", context)
    try:
        send_mail(onderwerp.strip(), tekst, None, [toegang.user.email])
    except OSError as exc:  # smtplib's errors and socket timeouts
        raise self.retry(exc=exc) from exc
    return True
