"""Helpers the browser journeys share."""

import re

from tests.factories import WACHTWOORD


def veld(page, label: str):
    """A form field by its label, whether or not crispy marks it required
    with an asterisk."""
    return page.locator("main").get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def inloggen(context, live_server, user):
    """A new page in `context` (a browser of its own), logged in."""
    return inloggen_op(context.new_page(), live_server, user)


def inloggen_op(page, live_server, user):
    """Log in on `page` through the real login page, as a person would."""
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", WACHTWOORD)
    page.locator('form[action="/account/login/"] button[type=submit]').click()
    page.wait_for_url(f"{live_server.url}/")
    return page
