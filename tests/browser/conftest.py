"""Playwright drives Debian's Chromium (no browser download here)."""

import shutil

import pytest

from tests.browser.hulp import inloggen_op

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def aanmelden(page, live_server):
    """Log in through the real login page, as a person would."""

    def aanmelden(user):
        return inloggen_op(page, live_server, user)

    return aanmelden
