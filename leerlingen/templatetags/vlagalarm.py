"""What the current user may do with a flag, for the alert partial. Rests on
the policy predicates, which read the user's scope cached for the request, so
the tag never queries once the view asked the policy for the flag."""

from django import template

from .. import policies
from ..models import Vlag, VlagKleur

register = template.Library()


@register.simple_tag
def vlag_rechten(user, vlag: Vlag) -> dict:
    open_ = vlag.status != Vlag.Status.AFGESLOTEN
    erkennen = policies.can_erkennen_vlag(user, vlag)
    opvolgen = policies.can_opvolgen_vlag(user, vlag)
    return {
        "erkennen": erkennen and open_ and vlag.erkend_op is None,
        "opnemen": erkennen and open_,
        "opvolgen": opvolgen and open_,
        "afsluiten": opvolgen and open_,
        "is_rood": vlag.kleur == VlagKleur.ROOD,
    }
