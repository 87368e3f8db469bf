"""Test settings: production settings plus what a test run needs. Tests run
on PostgreSQL (DATABASE_URL), as production does; `make test` starts a
private server."""

import os

from django.core.exceptions import ImproperlyConfigured

if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured(
        "Tests run on PostgreSQL: use `make test`, or set DATABASE_URL (and REDIS_URL)."
    )
os.environ.setdefault("ZORG_SECRET_KEY", "tests-only-" + "k" * 60)
os.environ.setdefault("ZORG_HTTPS", "0")
os.environ.setdefault("ZORG_BASE_URL", "http://testserver")
# A fixed signing key for transfer files (tests only; overdracht/ondertekening.py).
os.environ.setdefault("ZORG_OVERDRACHT_SLEUTEL", "dGVzdHMtb25seS1vdmVyZHJhY2h0LXNsZXV0ZWwtMzI=")

from zorg.settings import *  # noqa: F403

# Production leaves the demo out; its commands have tests of their own.
if "zorg.demo" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "zorg.demo"]  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = BASE_DIR / "static"  # noqa: F405  (no collectstatic in tests)
# Tasks run in-process unless a test starts a real worker (tests/test_celery.py).
CELERY_TASK_ALWAYS_EAGER = True
# Rate limits and caches must not leak from one test into the next.
# Room enough that no test's flood of addresses culls the sign-in throttle's
# windows (production keeps them in Redis, which does not evict).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Close connections after each request and task, so the worker thread of the
# Celery test leaves nothing open when the test database is dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Tests sign in with a password or force_login; the MFA tests turn it on
# (tests/zorg/test_tweestaps.py), as production has it.
ZORG_MFA_VERPLICHT = False
