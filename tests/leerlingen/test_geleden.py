"""Relative times ("5 minuten geleden") read "zonet" under a minute, on every
page that shows them: the filter itself, the start page, the flag page."""

import datetime

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from leerlingen.templatetags.zorg import geleden
from tests.factories import MeldingFactory
from tests.leerlingen.factories_vlagalarm import vlag

# Today (the test world's school year is the current one), frozen.
NU = timezone.now().replace(microsecond=0)


@pytest.fixture
def bevroren():
    with time_machine.travel(NU, tick=False):
        yield


@pytest.mark.parametrize("seconden", [0, 1, 59, -5])
def test_under_a_minute_reads_zonet(bevroren, seconden):
    with translation.override("nl"):
        assert geleden(NU - datetime.timedelta(seconds=seconden)) == "zonet"


def test_a_minute_and_more_reads_how_long_ago(bevroren):
    with translation.override("nl"):
        assert geleden(NU - datetime.timedelta(seconds=60)) == "1\xa0minuut geleden"
        assert geleden(NU - datetime.timedelta(hours=2, minutes=5)) == (
            "2\xa0uur, 5\xa0minuten geleden"
        )


def test_no_moment_reads_nothing():
    assert geleden(None) == ""


def test_the_filter_is_loaded_under_the_zorg_library(bevroren):
    html = Template("{% load zorg %}{{ m|geleden }}").render(Context({"m": NU}))
    assert html == "zonet"


def test_a_red_flag_logged_seconds_ago_reads_zonet_on_the_start_and_flag_pages(
    wereld, client_voor, bevroren
):
    v = vlag(
        wereld.leerling_a,
        klas=wereld.klas_a,
        gemeld_door=wereld.leerkracht,
        geleden=datetime.timedelta(seconds=20),
    )
    client = client_voor(wereld.zorgcoordinator)
    start = client.get(reverse("start")).content.decode()
    detail = client.get(reverse("leerlingen:vlag_detail", args=[v.pk])).content.decode()
    assert "3A · zonet" in start
    assert "Gemeld zonet." in detail
    for html in (start, detail):
        assert "0\xa0minuten" not in html


def test_a_new_notification_reads_zonet_on_the_start_page(wereld, client_voor, bevroren):
    MeldingFactory(ontvanger=wereld.zorgcoordinator, titel="Nieuwe rode vlag", link="/")
    html = client_voor(wereld.zorgcoordinator).get(reverse("start")).content.decode()
    assert "Nieuwe rode vlag <span" in html
    assert ">zonet</span>" in html
