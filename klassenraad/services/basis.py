"""What the meeting services share: the version check of optimistic
locking."""

from django.db.models import F
from django.utils.translation import gettext as _


class VerouderdeVersie(Exception):
    """Someone else saved this after the edit began. Carries the saved
    object, so the view can show it beside what the user typed."""

    def __init__(self, huidig, bericht: str | None = None):
        super().__init__(bericht or _("Iemand anders wijzigde dit intussen."))
        self.huidig = huidig
        self.bericht = str(self)


def versie_ophogen(model, pk: int, versie: int, **velden) -> bool:
    """One conditional UPDATE: save `velden` and raise the version only when
    the saved version is still `versie`. False when someone else was first."""
    return bool(model.objects.filter(pk=pk, versie=versie).update(versie=F("versie") + 1, **velden))
