"""Settings fail loudly on malformed values instead of guessing."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASIS = {
    "PATH": os.environ.get("PATH", ""),
    "DJANGO_SETTINGS_MODULE": "zorg.settings",
    "DATABASE_URL": "postgres://x:y@127.0.0.1:5/z",
    "ZORG_SECRET_KEY": "s" * 60,
    "ZORG_BASE_URL": "https://zorg.example.org",
}
# The embedded mode of `make run`: no environment at all.
EMBEDDED = {"PATH": BASIS["PATH"], "DJANGO_SETTINGS_MODULE": "zorg.settings"}


def _laad(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**BASIS, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_values_load():
    assert _laad().returncode == 0


@pytest.mark.parametrize(
    ("env", "melding"),
    [
        ({"ZORG_DEBUG": "misschien"}, "ZORG_DEBUG must be one of"),
        ({"EMAIL_PORT": "vijf"}, "EMAIL_PORT must be a whole number"),
        ({"ZORG_SECRET_KEY": "kort"}, "at least 50 characters"),
        ({"ZORG_SECRET_KEY": ""}, "ZORG_SECRET_KEY is required"),
        ({"ZORG_BASE_URL": ""}, "ZORG_BASE_URL is required"),
        ({"ZORG_BASE_URL": "zorg.school.be"}, "ZORG_BASE_URL must be an http:// or https://"),
        ({"ZORG_DEMO": "misschien"}, "ZORG_DEMO must be one of"),
        ({"EMAIL_TIMEOUT": "0"}, "Need 0 < EMAIL_TIMEOUT < ZORG_TASK_SOFT_TIME_LIMIT"),
        ({"EMAIL_TIMEOUT": "150"}, "Need 0 < EMAIL_TIMEOUT < ZORG_TASK_SOFT_TIME_LIMIT"),
        ({"ZORG_TASK_SOFT_TIME_LIMIT": "600"}, "< ZORG_TASK_TIME_LIMIT <"),
        ({"ZORG_TASK_TIME_LIMIT": "7200"}, "< ZORG_CELERY_VISIBILITY_TIMEOUT"),
        ({"ZORG_TRUSTED_PROXIES": "een"}, "ZORG_TRUSTED_PROXIES must be a whole number"),
        ({"ZORG_TRUSTED_PROXIES": "-1"}, "ZORG_TRUSTED_PROXIES must be 0 to 5"),
    ],
)
def test_malformed_values_stop_the_start(env, melding):
    resultaat = _laad(**env)
    assert resultaat.returncode != 0
    assert melding in resultaat.stderr


def test_production_without_a_base_url_does_not_start():
    """Not silently 127.0.0.1: every link in every e-mail would point there."""
    env = {k: v for k, v in BASIS.items() if k != "ZORG_BASE_URL"}
    resultaat = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert resultaat.returncode != 0
    assert "ZORG_BASE_URL is required when DATABASE_URL is set" in resultaat.stderr


def _waarde(env: dict, uitdrukking: str) -> str:
    code = (
        "import django; django.setup()\n"
        f"from django.conf import settings as s; print({uitdrukking})"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_base_url_comes_from_the_environment_and_embedded_mode_links_to_make_run():
    assert _waarde({**BASIS, "ZORG_BASE_URL": "https://zorg.school.be/"}, "s.ZORG_BASE_URL") == (
        "https://zorg.school.be"
    )
    assert _waarde(EMBEDDED, "s.ZORG_BASE_URL") == "http://127.0.0.1:8000"


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _commands(env: dict) -> set[str]:
    resultaat = _manage(env, "help", "--commands")
    assert resultaat.returncode == 0, resultaat.stderr
    return set(resultaat.stdout.split())


def test_production_has_no_demo_commands():
    """The demo creates a superuser whose password is published in the README."""
    assert not {"demo", "bench"} & _commands(BASIS)
    resultaat = _manage(BASIS, "demo")
    assert resultaat.returncode != 0
    assert "Unknown command: 'demo'" in resultaat.stderr
    assert _waarde(BASIS, "'zorg.demo' in s.INSTALLED_APPS") == "False"


@pytest.mark.parametrize(
    "env",
    [EMBEDDED, {**BASIS, "ZORG_DEMO": "1"}],
    ids=["embedded mode", "ZORG_DEMO=1 with DATABASE_URL"],
)
def test_the_demo_commands_exist_in_embedded_mode_or_when_asked_for(env):
    assert {"demo", "bench"} <= _commands(env)


def test_embedded_mode_can_leave_the_demo_out():
    assert "demo" not in _commands({**EMBEDDED, "ZORG_DEMO": "0"})


def test_the_test_settings_install_the_demo_its_tests_need():
    from django.conf import settings

    assert "zorg.demo" in settings.INSTALLED_APPS


def test_no_code_outside_the_demo_creates_a_superuser_or_knows_its_password():
    """The published demo password, or a superuser made in code, would be a
    known login on a production server; only `createsuperuser` (which asks)
    may make one there."""
    from zorg.demo.plan import DEMO_WACHTWOORD

    bronnen = [
        pad
        for map_ in ("zorg", "leerlingen", "klassenraad", "clb")
        for pad in (ROOT / map_).rglob("*.py")
        if "demo" not in pad.relative_to(ROOT).parts
    ]
    assert len(bronnen) > 50
    gevonden = []
    for pad in bronnen:
        tekst = pad.read_text()
        if DEMO_WACHTWOORD in tekst or ".create_superuser(" in tekst:
            gevonden.append(str(pad.relative_to(ROOT)))
    assert gevonden == [], gevonden


def test_celery_limits_nest_from_the_smtp_timeout_to_the_broker_visibility_timeout():
    """A stalled SMTP send ends (EMAIL_TIMEOUT) before the task's soft limit,
    the soft limit before the hard one, and Redis does not hand a running
    task, or a retry waiting for its countdown, to a second worker."""
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "from zorg.celery import app\n"
        "c = app.conf\n"
        "print(s.EMAIL_TIMEOUT, c.task_soft_time_limit, c.task_time_limit,"
        " c.broker_transport_options['visibility_timeout'], s.ZORG_MAIL_RETRY_MAX)\n"
    )
    uit = subprocess.run(
        [sys.executable, "-c", code], env=BASIS, capture_output=True, text=True, check=True
    )
    email, zacht, hard, zichtbaarheid, herkansing = map(int, uit.stdout.split())
    assert 0 < email < zacht < hard < zichtbaarheid
    assert herkansing < zichtbaarheid
    assert (email, zacht, hard, zichtbaarheid) == (20, 120, 180, 3600)


def test_embedded_mode_serves_static_files_without_a_missing_directory_warning():
    """`make run` has no collectstatic step: WhiteNoise serves from the
    finders and is not pointed at a STATIC_ROOT that does not exist."""
    code = (
        "import json, warnings, django\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "with warnings.catch_warnings(record=True) as gezien:\n"
        "    warnings.simplefilter('always')\n"
        "    antwoord = Client().get('/static/css/zorg.css', HTTP_HOST='127.0.0.1')\n"
        "print(json.dumps([antwoord.status_code, [str(w.message) for w in gezien]]))\n"
    )
    uit = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=EMBEDDED, capture_output=True, text=True
    )
    assert uit.returncode == 0, uit.stderr
    status, waarschuwingen = json.loads(uit.stdout.strip().splitlines()[-1])
    assert status == 200
    assert not [w for w in waarschuwingen if "No directory" in w], waarschuwingen
    assert _waarde(BASIS, "s.STATIC_ROOT") == str(ROOT / "staticfiles")


def test_production_turns_https_on_and_embedded_mode_off(tmp_path):
    code = "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.EMBEDDED)"
    prod = subprocess.run(
        [sys.executable, "-c", code], env=BASIS, capture_output=True, text=True, check=True
    )
    assert prod.stdout.split() == ["True", "False"]


def test_embedded_mode_does_not_log_a_line_per_in_process_task():
    """`make run` runs tasks in-process: the console keeps the demo logins and
    the request log, not a "Task ... succeeded" line per notification; a
    warning of Zorg's own still shows."""
    code = (
        "import django, logging; django.setup()\n"
        "from zorg.celery import app\n"
        "@app.task(name='zorg.tests.taak')\n"
        "def taak():\n"
        "    return 1\n"
        "assert taak.delay().get() == 1\n"
        "logging.getLogger('zorg').warning('waarschuwing blijft')\n"
    )
    resultaat = subprocess.run(
        [sys.executable, "-c", code], env=EMBEDDED, capture_output=True, text=True, check=False
    )
    assert resultaat.returncode == 0, resultaat.stderr
    assert "waarschuwing blijft" in resultaat.stderr
    assert "succeeded" not in resultaat.stderr
    assert "No hostname" not in resultaat.stderr


def test_one_setting_tells_allauth_and_the_audit_trail_how_many_proxies_to_trust():
    uitdrukking = "s.ZORG_TRUSTED_PROXIES, s.ALLAUTH_TRUSTED_PROXY_COUNT"
    assert _waarde(BASIS, uitdrukking) == "0 0"
    assert _waarde({**BASIS, "ZORG_TRUSTED_PROXIES": "2"}, uitdrukking) == "2 2"
    # The README's older ZORG_BEHIND_PROXY=1 means the one nginx in front.
    assert _waarde({**BASIS, "ZORG_BEHIND_PROXY": "1"}, uitdrukking) == "1 1"
