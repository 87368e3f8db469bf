from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from .models import User


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def aanmeldwaarschuwing_mailen(
    self, user_id: int, aantal: int, *, tweede_stap: bool = False
) -> bool:
    """Tell the owner of an account by e-mail that someone failed to sign in on
    it several times (with `tweede_stap`: gave the right password, then a wrong
    code). It names no student and no care content, only the account, so the
    whole message travels. Sent at most once an hour per account and kind
    (aanmelden.mislukte_aanmelding_melden decides)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    context = {
        "user": user,
        "aantal": aantal,
        "basis_url": settings.ZORG_BASE_URL,
        "tweede_stap": tweede_stap,
    }
    onderwerp = render_to_string("accounts/aanmelden_mislukt_onderwerp.txt", context).strip()
    tekst = render_to_string("accounts/aanmelden_mislukt.txt", context)
    try:
        send_mail(onderwerp, tekst, None, [user.email])
    except OSError as exc:  # smtplib's errors and socket timeouts
        raise self.retry(exc=exc) from exc
    return True
