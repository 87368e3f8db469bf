from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Indiening(models.Model):
    """One submitted create form: its key, whose form it was, and what it
    created. The primary key is the lock: a second submit of the same form
    waits on it until the first commits, then finds what the first made.

    Old rows only serve resubmits of old pages; they can be cleaned up by a
    periodic job (`aangemaakt` is indexed for that)."""

    sleutel = models.UUIDField(primary_key=True)
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Which form the key belongs to: a key posted to another form is refused.
    formulier = models.CharField(max_length=100)
    inhoud_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    inhoud_id = models.CharField(max_length=64, blank=True)
    inhoud = GenericForeignKey("inhoud_type", "inhoud_id")
    aangemaakt = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("indiening")
        verbose_name_plural = _("indieningen")

    def __str__(self):
        return f"{self.formulier} {self.sleutel}"
