"""Settings fail loudly on malformed values instead of guessing."""

import os
import subprocess
import sys

import pytest

BASIS = {
    "PATH": os.environ.get("PATH", ""),
    "DJANGO_SETTINGS_MODULE": "zorg.settings",
    "DATABASE_URL": "postgres://x:y@127.0.0.1:5/z",
    "ZORG_SECRET_KEY": "s" * 60,
}


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
    ],
)
def test_malformed_values_stop_the_start(env, melding):
    resultaat = _laad(**env)
    assert resultaat.returncode != 0
    assert melding in resultaat.stderr


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
    env = {"PATH": BASIS["PATH"], "DJANGO_SETTINGS_MODULE": "zorg.settings"}
    resultaat = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert resultaat.returncode == 0, resultaat.stderr
    assert "waarschuwing blijft" in resultaat.stderr
    assert "succeeded" not in resultaat.stderr
    assert "No hostname" not in resultaat.stderr
