"""Settings for Zorg, driven by the environment.

Without DATABASE_URL Zorg runs in the embedded mode (`make run`): SQLite next
to the code, Celery tasks in-process, a secret key generated once and kept in
a local file, no HTTPS, the demo installed. Production sets DATABASE_URL,
REDIS_URL, ZORG_SECRET_KEY, ZORG_ALLOWED_HOSTS and ZORG_BASE_URL; every other
value has a safe default. Malformed values stop the start-up instead of being
guessed at.
"""

import base64
import binascii
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false/yes/no/on/off, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


EMBEDDED = "DATABASE_URL" not in os.environ
DEBUG = env_bool("ZORG_DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("ZORG_SECRET_KEY", "")
    if key:
        if len(key) < 50:
            raise ImproperlyConfigured("ZORG_SECRET_KEY must be at least 50 characters long")
        return key
    if not EMBEDDED:
        raise ImproperlyConfigured("ZORG_SECRET_KEY is required when DATABASE_URL is set")
    # Embedded mode: one random key per checkout, so sessions survive restarts
    # and no key is ever shared between installations.
    path = BASE_DIR / ".zorg-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _overdracht_sleutel() -> str:
    """The installation's Ed25519 private key that signs transfer files
    (overdracht/ondertekening.py): 32 random bytes, base64. Generate one with
    `python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())'`.
    Malformed: the start-up stops. Missing in the embedded mode or with
    ZORG_DEBUG: one generated per checkout and kept in a local file. Missing
    in production: empty, and releasing a transfer is refused with a message
    naming this setting (nothing else needs the key)."""
    key = os.environ.get("ZORG_OVERDRACHT_SLEUTEL", "").strip()
    if key:
        try:
            raw = base64.b64decode(key, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured("ZORG_OVERDRACHT_SLEUTEL must be base64") from exc
        if len(raw) != 32:
            raise ImproperlyConfigured(
                "ZORG_OVERDRACHT_SLEUTEL must be 32 random bytes, base64 (44 characters)"
            )
        return key
    if not (EMBEDDED or DEBUG):
        return ""
    path = BASE_DIR / ".zorg-overdracht-sleutel"
    if not path.exists():
        path.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


ZORG_OVERDRACHT_SLEUTEL = _overdracht_sleutel()
ALLOWED_HOSTS = env_list("ZORG_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("ZORG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "django_celery_beat",
    "csp",
    "zorg.accounts",
    "zorg.audit",
    "zorg.meldingen",
    "zorg.eenmalig",
    "zorg.beheer",
    "zorg.invoer",
    "zorg.herinneringen",
    "zorg.pdf",
    "zorg.sessies",
    "leerlingen",
    "klassenraad",
    "clb",
    "zorgbeleid",
    "portaal",
    "inzage",
    "overdracht",
    "bewaring",
]
# The demo (`manage.py demo`, `manage.py bench`) creates logins, a superuser
# among them, with a published password. It exists only in the embedded mode,
# or where it is asked for (the benchmark's private database): in production
# the commands are not there to be run by mistake.
ZORG_DEMO = env_bool("ZORG_DEMO", EMBEDDED)
if ZORG_DEMO:
    INSTALLED_APPS.append("zorg.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Issue 15: every response below WhiteNoise (so not the static files) is
    # no-store, private (zorg/geencache.py).
    "zorg.geencache.GeenCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zorg.taal.TaalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before LoginRequiredMiddleware: a session it ends is anonymous there.
    "zorg.sessies.middleware.SessieMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Issue 15: who must use MFA and has none is sent to enrolment.
    "zorg.accounts.tweestaps.TweestapsMiddleware",
    # Issue 17: guardians and students who sign in stay in the portal.
    "portaal.middleware.PortaalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zorg.audit.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "zorg.urls"
WSGI_APPLICATION = "zorg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "zorg.meldingen.context_processors.meldingen",
                "klassenraad.context_processors.overleg",
                "clb.context_processors.clb",
                "zorgbeleid.context_processors.zorgbeleid",
                "zorg.beheer.context_processors.beheer",
                "zorg.sessies.context_processors.sessie",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'zorg.sqlite3'}"),
        conn_max_age=env_int("ZORG_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )

# Production: the role the web app and the workers connect as, set only for
# `migrate`, which runs as the owner of the tables and then grants this role
# DML but no UPDATE, DELETE or TRUNCATE on the audit trail (zorg/audit/rechten.py).
ZORG_DB_APP_ROLE = os.environ.get("ZORG_DB_APP_ROLE", "")
if ZORG_DB_APP_ROLE and "postgresql" not in DATABASES["default"]["ENGINE"]:
    raise ImproperlyConfigured("ZORG_DB_APP_ROLE needs a PostgreSQL DATABASE_URL")

# Issue 18: the audit trail is kept this many years, then pseudonymised
# (bewaring.regels, the nightly "bewaring-uitvoeren" job).
ZORG_AUDIT_BEWAARJAREN = env_int("ZORG_AUDIT_BEWAARJAREN", 5)
if ZORG_AUDIT_BEWAARJAREN < 1:
    raise ImproperlyConfigured("ZORG_AUDIT_BEWAARJAREN must be at least 1")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: staff accounts are created by the school, never by sign-up.
ACCOUNT_ADAPTER = "zorg.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
# A new password keeps the session it was changed in; every other session of
# the person ends (Django's session hash, and zorg.sessies ends their rows).
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
# No mail to addresses that have no account: nobody can use Zorg to spam.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Zorg] "
# Sign-in throttle (zorg/accounts/aanmelden.py explains it): failed sign-ins
# per client address and, from browsers the account never signed in on, per
# account in windows that grow from a minute to a day; a browser the account
# signed in on before has the account windows to itself. The second step (the
# code or the key after the right password, zorg/accounts/forms.py) counts in
# the same rates under keys of its own: at most 10 answers an hour and 20 a day
# per account, from any number of addresses, where allauth's default (5 in 5
# minutes per account) allows 1,440 a day (ASVS 5.0 6.3.1, 6.6.3).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,100/h/ip,3/m/key,6/15m/key,10/h/key,20/d/key",
}
# A second factor is an authenticator app (TOTP) or a security key / passkey
# (WebAuthn, allauth's), with recovery codes for when it is lost.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Zorg"
# A key is a second factor after the password, never a sign-in of its own:
# allauth's passwordless passkey login would bypass the sign-in throttle's
# device cookie and warnings (zorg.accounts.aanmelden), and on the shared
# classroom PCs a passkey kept in a shared Windows profile is only as strong
# as that profile's PIN. The option to add a key as "passwordless" is off
# with it.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
# WebAuthn needs a secure context: https in production, http://localhost in
# the browser tests (both fine for fido2). Never accept any other origin.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
# The code asked after the password (and the key's answer) is counted per
# account and per device like the password (zorg.accounts.aanmelden).
MFA_FORMS = {
    "authenticate": "zorg.accounts.forms.TweedeStapForm",
    "authenticate_webauthn": "zorg.accounts.forms.TweedeStapSleutelForm",
    "add_webauthn": "zorg.accounts.forms.SleutelToevoegenForm",
    "reauthenticate_webauthn": "zorg.accounts.forms.SleutelHerbevestigenForm",
    "edit_webauthn": "zorg.accounts.forms.SleutelWijzigenForm",
}
# Issue 15: MFA required of every role but the teachers of a school that turns
# it off (zorg/accounts/tweestaps.py). On in production; off in the embedded
# mode, where the demo logins sign in with their published password alone.
ZORG_MFA_VERPLICHT = env_bool("ZORG_MFA_VERPLICHT", not EMBEDDED)
MFA_ADAPTER = "zorg.accounts.tweestaps.MFAAdapter"

# Care data: a session ends with the browser, after a time without activity
# (a school's setting, this is its default), and at the latest this long
# after signing in, however active (zorg.sessies enforces both on the server).
SESSION_COOKIE_AGE = env_int("ZORG_SESSION_SECONDS", 10 * 60 * 60)
ZORG_SESSIE_INACTIEF_MINUTEN = env_int("ZORG_SESSIE_INACTIEF_MINUTEN", 30)
# The page warns this long before the session would end for inactivity.
ZORG_SESSIE_WAARSCHUWING_SECONDEN = env_int("ZORG_SESSIE_WAARSCHUWING_SECONDEN", 180)
if not 15 <= ZORG_SESSIE_INACTIEF_MINUTEN <= 60:
    raise ImproperlyConfigured(
        f"ZORG_SESSIE_INACTIEF_MINUTEN must be 15 to 60, not {ZORG_SESSIE_INACTIEF_MINUTEN}"
    )
if not 0 < ZORG_SESSIE_WAARSCHUWING_SECONDEN < 15 * 60:
    raise ImproperlyConfigured("ZORG_SESSIE_WAARSCHUWING_SECONDEN must be 1 to 899")
if SESSION_COOKIE_AGE < 60 * 60:
    raise ImproperlyConfigured("ZORG_SESSION_SECONDS must be at least 3600 (one hour)")
# Sessions' last activity is kept by zorg.sessies, at most once a minute.
USERSESSIONS_TRACK_ACTIVITY = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Messages name students ("Vlag geregistreerd voor ..."): keep them in the
# session on the server, not in a signed but readable cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "zorg_taal"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The embedded mode serves static files straight from the apps and static/
# (WhiteNoise's finders, below) and has no collectstatic step: no STATIC_ROOT,
# or WhiteNoise would warn at every start that the directory is missing.
_static_root = os.environ.get("ZORG_STATIC_ROOT", "" if EMBEDDED else BASE_DIR / "staticfiles")
STATIC_ROOT = Path(_static_root) if _static_root else None
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents live outside every web-served directory and are only
# handed out through a view that asks the access policy first.
MEDIA_ROOT = Path(os.environ.get("ZORG_MEDIA_ROOT", BASE_DIR / "media"))
# No URL serves MEDIA_ROOT: this prefix exists only because Django needs one.
MEDIA_URL = "/_nooit_publiek/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if EMBEDDED
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# The embedded mode serves static files without a collectstatic step.
WHITENOISE_USE_FINDERS = EMBEDDED
WHITENOISE_AUTOREFRESH = EMBEDDED and DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: without REDIS_URL every task runs in-process, right after commit.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A task that hangs (a stalled SMTP server) is stopped instead of holding a
# worker for ever: at the soft limit it gets an exception it can clean up
# after (and retry), at the hard limit its worker process is killed.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("ZORG_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("ZORG_TASK_TIME_LIMIT", 180)
# With acks_late, Redis hands a task nobody acknowledged to another worker
# after this long, and a retry waiting for its countdown counts too: above the
# hard limit and the longest retry delay, or one task would run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("ZORG_CELERY_VISIBILITY_TIMEOUT", 3600)
}
CELERY_BEAT_SCHEDULE = {
    # Red flags nobody acknowledged in time go to the director.
    "rode-vlaggen-escaleren": {
        "task": "leerlingen.tasks.rode_vlaggen_escaleren",
        "schedule": 300.0,
    },
    # What falls due: measures to evaluate, action items, CLB goals, the
    # care cell to prepare (each school's own days and settings).
    "herinneringen-versturen": {
        "task": "zorg.herinneringen.tasks.herinneringen_versturen",
        "schedule": 600.0,
    },
    # E-mails whose task never reached the queue (Redis was down) or was lost.
    "meldingen-nasturen": {
        "task": "zorg.meldingen.tasks.meldingen_nasturen",
        "schedule": 300.0,
    },
    # PDFs older than a day are deleted; jobs whose task was lost, queued again.
    "pdf-opruimen": {
        "task": "zorg.pdf.tasks.pdf_opruimen",
        "schedule": 300.0,
    },
    # Import files of ended or abandoned imports are deleted; dry runs and
    # imports whose task was lost, queued again.
    "invoer-opruimen": {
        "task": "zorg.invoer.tasks.invoer_opruimen",
        "schedule": 300.0,
    },
    # Each person's daily summary, at the hour their school set.
    "samenvattingen-versturen": {
        "task": "zorg.meldingen.tasks.samenvattingen_versturen",
        "schedule": 900.0,
    },
    # Retention (issue 18): at night, destroy what has expired and
    # pseudonymise the audit trail past its term (bewaring.regels).
    "bewaring-uitvoeren": {
        "task": "bewaring.tasks.bewaring_uitvoeren",
        "schedule": crontab(hour=2, minute=30),
    },
}

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "zorg",
        }
    }
else:
    # The sign-in throttle's windows live in the cache: room enough that a
    # flood of addresses cannot push an account's window out (the default 300
    # entries can; Redis, without an eviction policy, does not).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# The care-policy report page (zorgbeleid:rapport, :groep_rapport) serves a
# school's or group's figures from the cache above, computed at most once per
# this many seconds (and per day); the page says when they were computed. 0
# computes them on every request. The exports always compute them live.
ZORGBELEID_CIJFERS_SECONDEN = env_int("ZORGBELEID_CIJFERS_SECONDEN", 600)

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# Seconds one SMTP socket operation may take: a server that accepts and never
# answers ends the send with a timeout (and the task retries later).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
# After a failed send the e-mail is retried after about 1, 2, 4, 8 and 10 times
# this many seconds (full jitter): by default 1, 2, 4, 8 and 10 minutes.
ZORG_MAIL_RETRY_SECONDS = env_int("ZORG_MAIL_RETRY_SECONDS", 60)
ZORG_MAIL_RETRY_MAX = 10 * ZORG_MAIL_RETRY_SECONDS
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Zorg <zorg@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

if (
    not (
        0
        < EMAIL_TIMEOUT
        < CELERY_TASK_SOFT_TIME_LIMIT
        < CELERY_TASK_TIME_LIMIT
        < CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    )
    or not 0 < ZORG_MAIL_RETRY_MAX < CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
):
    raise ImproperlyConfigured(
        "Need 0 < EMAIL_TIMEOUT < ZORG_TASK_SOFT_TIME_LIMIT < ZORG_TASK_TIME_LIMIT < "
        f"ZORG_CELERY_VISIBILITY_TIMEOUT, not {EMAIL_TIMEOUT} < {CELERY_TASK_SOFT_TIME_LIMIT} "
        f"< {CELERY_TASK_TIME_LIMIT} < {CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout']}, "
        f"and 0 < 10 × ZORG_MAIL_RETRY_SECONDS ({ZORG_MAIL_RETRY_MAX}) < "
        "ZORG_CELERY_VISIBILITY_TIMEOUT"
    )


def _base_url() -> str:
    """Absolute links in e-mails (notifications, password reset). In
    production a guessed value would send every recipient to 127.0.0.1."""
    url = os.environ.get("ZORG_BASE_URL", "").strip().rstrip("/")
    if not url:
        if not EMBEDDED:
            raise ImproperlyConfigured(
                "ZORG_BASE_URL is required when DATABASE_URL is set: the address users "
                "open Zorg on, e.g. https://zorg.school.be (links in e-mails point there)"
            )
        return "http://127.0.0.1:8000"
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"ZORG_BASE_URL must be an http:// or https:// address, not {url!r}"
        )
    return url


ZORG_BASE_URL = _base_url()

# HTTPS: on by default in production, off in the embedded mode on localhost.
ZORG_HTTPS = env_bool("ZORG_HTTPS", not EMBEDDED)
ZORG_BEHIND_PROXY = env_bool("ZORG_BEHIND_PROXY", False)
# The client's address (zorg.clientadres): how many reverse proxies in front of
# Zorg each add one X-Forwarded-For entry (the README's nginx: 1). The sign-in
# throttle, the audit trail and allauth's user sessions all read it there.
ZORG_TRUSTED_PROXIES = env_int("ZORG_TRUSTED_PROXIES", 1 if ZORG_BEHIND_PROXY else 0)
if not 0 <= ZORG_TRUSTED_PROXIES <= 5:
    raise ImproperlyConfigured(
        "ZORG_TRUSTED_PROXIES must be 0 to 5 (the proxies in front of Zorg), "
        f"not {ZORG_TRUSTED_PROXIES}"
    )
ALLAUTH_TRUSTED_PROXY_COUNT = ZORG_TRUSTED_PROXIES
if ZORG_BEHIND_PROXY or ZORG_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = ZORG_HTTPS
SESSION_COOKIE_SECURE = ZORG_HTTPS
CSRF_COOKIE_SECURE = ZORG_HTTPS
LANGUAGE_COOKIE_SECURE = ZORG_HTTPS
SECURE_HSTS_SECONDS = env_int("ZORG_HSTS_SECONDS", 31_536_000 if ZORG_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = ZORG_HTTPS
# Preloading is a one-way decision for the whole domain: the school's to take.
SECURE_HSTS_PRELOAD = env_bool("ZORG_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = ["security.W021"] + (
    [] if ZORG_HTTPS else ["security.W004", "security.W008"]
)

# Content Security Policy: everything comes from Zorg itself, nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# How long the author may still correct an observation in place; after that
# a correction is a new entry.
ZORG_OBSERVATIE_BEWERKTERMIJN = timedelta(
    minutes=env_int("ZORG_OBSERVATIE_BEWERKTERMIJN_MINUTEN", 15)
)

# Uploaded documents: PDF and images only, at most this many bytes.
ZORG_DOCUMENT_MAX_BYTES = env_int("ZORG_DOCUMENT_MAX_MB", 10) * 1024 * 1024

# Behaviour flags: an unacknowledged red flag goes to the director after this
# long; a pattern is this many yellow or orange flags within this many days.
ZORG_RODE_VLAG_ESCALATIE = timedelta(minutes=env_int("ZORG_RODE_VLAG_ESCALATIE_MINUTEN", 120))
ZORG_PATROON_AANTAL = env_int("ZORG_PATROON_AANTAL", 3)
ZORG_PATROON_DAGEN = env_int("ZORG_PATROON_DAGEN", 14)

# Rows per page on every list.
ZORG_PAGINA_GROOTTE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZORG_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # A line per step of every PDF ("Step 2 - Fetching and parsing CSS").
        "weasyprint.progress": {"level": "WARNING"},
    },
}
if CELERY_TASK_ALWAYS_EAGER:
    # Embedded mode: tasks run in-process on the in-memory broker. A line per
    # task ("Task ... succeeded") and kombu's note that memory:// names no
    # host would bury the demo logins and the request log; a worker logs them.
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}
