"""What every page's navigation needs from school administration."""

from zorg.audit.policies import can_view_audittrail
from zorg.invoer.policies import toont_invoer

from . import policies
from .structuur import policies as structuur


def beheer(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "toon_instellingen": policies.toont_instellingen(user),
        "toon_audittrail": can_view_audittrail(user),
        "toon_structuur": structuur.toont_structuur(user),
        "toon_catalogus_beheer": structuur.toont_catalogus(user),
        "toon_personeel": policies.toont_personeel(user),
        "toon_invoer": toont_invoer(user),
    }
