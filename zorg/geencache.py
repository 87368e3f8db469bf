"""No page of Zorg stays behind in a browser's or a proxy's cache.

On a shared school PC the next person must not find a student's page, the
timeline or a CSV export in the browser's cache (or its back button) after
the previous one signed out. Every response Django produces is marked
`no-store, private`; the static files are served by WhiteNoise before this
middleware is reached and keep their long cache lifetimes.

Not only signed-in responses: the login page and the password-reset pages
carry a CSRF token or a one-time key, and an error page may echo a path.
`patch_cache_control` merges, so a stricter header a view already set
(`never_cache`'s `no-cache, must-revalidate, max-age=0`) is kept; a `public`
that a view might set is replaced by `private`."""

from django.utils.cache import patch_cache_control


class GeenCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response
