from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class TaalMiddleware:
    """Dutch unless the user chose otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a
    teacher whose tablet is set to English would land in an English Zorg
    without asking for it. Here only the switch's cookie counts."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.talen = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        gekozen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        taal = gekozen if gekozen in self.talen else settings.LANGUAGE_CODE
        translation.activate(taal)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", taal)
        return response
