from .models import Melding


def meldingen(request):
    """The bell's unread count: one COUNT per page, run before the template
    renders so templates themselves never query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"ongelezen_meldingen": Melding.objects.voor(user).ongelezen().count()}
