from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Uitnodiging
from .personeel import uitnodiging_link


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def uitnodiging_mailen(self, uitnodiging_id: int) -> bool:
    """Send a school's invitation to Zorg: a link to set a password (made
    now, so it is valid from the moment it leaves), or for someone who
    already signs in, word that the school added them. It names the school
    and the person, no student and no care content. Run twice, it mails
    twice: harmless, the older link stays valid until the password is set."""
    uitnodiging = (
        Uitnodiging.objects.select_related("user", "school")
        .filter(pk=uitnodiging_id, user__is_active=True)
        .first()
    )
    if uitnodiging is None:
        return False
    persoon = uitnodiging.user
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "persoon": persoon,
            "school": uitnodiging.school,
            "link": uitnodiging_link(persoon),
            "aanmelden": f"{settings.ZORG_BASE_URL}{reverse('account_login')}",
            "dagen": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        onderwerp = render_to_string("beheer/personeel/uitnodiging_onderwerp.txt", context)
        tekst = render_to_string("beheer/personeel/uitnodiging.txt", context)
    try:
        send_mail(onderwerp.strip(), tekst, None, [persoon.email])
    except OSError as exc:  # smtplib's errors and socket timeouts
        raise self.retry(exc=exc) from exc
    return True
