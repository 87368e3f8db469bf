from django.conf import settings


def sessie(request):
    """What the page's warning needs (static/js/sessie.js)."""
    stand = getattr(request, "zorg_sessie", None)
    if stand is None:
        return {}
    return {
        "zorg_sessie": stand,
        "zorg_sessie_waarschuwing": settings.ZORG_SESSIE_WAARSCHUWING_SECONDEN,
    }
