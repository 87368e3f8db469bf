"""How each person hears of a notification: at once, in the daily summary,
or in Zorg only; the summary itself (once a day, counts and a link, never a
name); and the preferences page."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tests import factories as f
from tests.datums import lokaal
from zorg.meldingen import soorten
from zorg.meldingen.models import Melding, Samenvatting, Voorkeur
from zorg.meldingen.policies import soorten_voor
from zorg.meldingen.services import Bericht, melding_versturen, meldingen_aanmaken
from zorg.meldingen.soorten import Modus, Soort
from zorg.meldingen.tasks import samenvattingen_mailen, samenvattingen_opmaken

HERINNERING = Soort("test_herinnering", "Testherinnering", standaard=Modus.SAMENVATTING)
ALARM = Soort("test_alarm", "Testalarm", standaard=Modus.DIRECT, vast=True)


@pytest.fixture(autouse=True)
def testsoorten(monkeypatch):
    monkeypatch.setitem(soorten._SOORTEN, HERINNERING.code, HERINNERING)
    monkeypatch.setitem(soorten._SOORTEN, ALARM.code, ALARM)


def _kanaal(melding):
    if melding.email_gevraagd:
        return Modus.DIRECT
    return Modus.SAMENVATTING if melding.voor_samenvatting else Modus.IN_APP


def test_each_person_hears_as_they_chose_else_as_the_kind_says(db):
    gewoon, kiest_direct, kiest_niets = f.UserFactory.create_batch(3)
    Voorkeur.objects.create(user=kiest_direct, soort=HERINNERING.code, modus=Modus.DIRECT)
    Voorkeur.objects.create(user=kiest_niets, soort=HERINNERING.code, modus=Modus.IN_APP)
    Voorkeur.objects.create(user=kiest_niets, soort=ALARM.code, modus=Modus.IN_APP)
    ontvangers = [gewoon, kiest_direct, kiest_niets]
    meldingen = melding_versturen(ontvangers=ontvangers, titel="h", soort=HERINNERING.code)
    assert {m.ontvanger_id: _kanaal(m) for m in meldingen} == {
        gewoon.pk: Modus.SAMENVATTING,
        kiest_direct.pk: Modus.DIRECT,
        kiest_niets.pk: Modus.IN_APP,
    }
    # A red flag cannot be turned off, whatever was stored.
    meldingen = melding_versturen(ontvangers=ontvangers, titel="a", soort=ALARM.code)
    assert {_kanaal(m) for m in meldingen} == {Modus.DIRECT}


def test_many_notifications_of_several_kinds_take_a_fixed_number_of_queries(
    db, django_assert_num_queries
):
    users = f.UserFactory.create_batch(10)
    for user in users[:5]:
        Voorkeur.objects.create(user=user, soort=HERINNERING.code, modus=Modus.DIRECT)
    berichten = [
        Bericht(ontvanger_id=user.pk, titel="t", soort=code)
        for user in users
        for code in (HERINNERING.code, ALARM.code, "")
    ]
    with django_assert_num_queries(2):  # the preferences, the INSERT
        meldingen = meldingen_aanmaken(berichten)
    assert sum(m.email_gevraagd for m in meldingen) == 5 + 10 + 10


def test_the_channel_decides_what_waits_for_mail(db, django_capture_on_commit_callbacks):
    gewoon, kiest_direct = f.UserFactory.create_batch(2)
    Voorkeur.objects.create(user=kiest_direct, soort=HERINNERING.code, modus=Modus.DIRECT)
    with django_capture_on_commit_callbacks(execute=True):
        melding_versturen(ontvangers=[gewoon, kiest_direct], titel="Iets", soort=HERINNERING.code)
    assert [m.to for m in mail.outbox] == [[kiest_direct.email]]
    wacht = Melding.objects.get(ontvanger=gewoon)
    assert wacht.voor_samenvatting and not wacht.email_gevraagd
    # Without e-mail (a caller's choice), in Zorg only, whatever the preference.
    melding_versturen(ontvangers=[kiest_direct], titel="Stil", soort=HERINNERING.code, email=False)
    stil = Melding.objects.get(titel="Stil")
    assert not stil.email_gevraagd and not stil.voor_samenvatting


def test_an_unknown_kind_is_a_programming_error(db):
    with pytest.raises(ValueError, match="unknown notification kind"):
        melding_versturen(ontvangers=[f.UserFactory()], titel="x", soort="bestaat_niet")


def _wachtend(user, school=None, titel="Anas Bouzid: evaluatie van de maatregel", soort=None):
    return Melding.objects.create(
        ontvanger=user,
        school=school,
        titel=titel,
        tekst="Zorgdetail",
        soort=soort or HERINNERING.code,
        email_gevraagd=False,
        voor_samenvatting=True,
    )


def test_the_summary_comes_once_a_day_at_the_schools_hour_with_counts_and_no_names(db):
    school = f.SchoolFactory(digest_uur=datetime.time(7, 30))
    user = f.UserFactory()
    for _ in range(3):
        _wachtend(user, school)
    _wachtend(user, school, soort=ALARM.code)
    with time_machine.travel(lokaal(2026, 12, 7, 7, 15), tick=False):
        assert samenvattingen_opmaken() == []
    with time_machine.travel(lokaal(2026, 12, 7, 7, 31), tick=False):
        ids = samenvattingen_opmaken()
        assert len(ids) == 1
        assert samenvattingen_mailen.apply(args=[ids]).get() == 1
        # A second run, and a notification that comes after the summary: it
        # waits for tomorrow's.
        _wachtend(user, school)
        assert samenvattingen_opmaken() == []
        assert samenvattingen_mailen.apply(args=[ids]).get() == 0
    (bericht,) = mail.outbox
    assert bericht.to == [user.email]
    assert "4 meldingen" in bericht.subject
    assert "Testherinnering: 3" in bericht.body
    assert "Testalarm: 1" in bericht.body
    assert "Anas" not in bericht.body + bericht.subject
    assert "Zorgdetail" not in bericht.body
    assert reverse("meldingen:melding_lijst") in bericht.body
    with time_machine.travel(lokaal(2026, 12, 8, 7, 45), tick=False):
        ids = samenvattingen_opmaken()
        samenvattingen_mailen.apply(args=[ids]).get()
    assert len(mail.outbox) == 2
    assert "1 melding" in mail.outbox[1].subject
    assert Samenvatting.objects.filter(ontvanger=user).count() == 2


def test_the_earliest_hour_of_the_persons_schools_counts_and_inactive_people_get_none(db):
    vroeg = f.SchoolFactory(digest_uur=datetime.time(6, 0))
    laat = f.SchoolFactory(digest_uur=datetime.time(9, 0))
    user, weg = f.UserFactory(), f.UserFactory(is_active=False)
    _wachtend(user, laat)
    _wachtend(user, vroeg)
    _wachtend(weg, vroeg)
    with time_machine.travel(lokaal(2026, 12, 7, 6, 5), tick=False):
        ids = samenvattingen_opmaken()
    assert Samenvatting.objects.get(pk__in=ids).ontvanger == user
    assert Melding.objects.filter(ontvanger=user, samenvatting__isnull=True).count() == 0


def test_the_summary_job_takes_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    school = f.SchoolFactory()
    for user in f.UserFactory.create_batch(20):
        _wachtend(user, school)
        _wachtend(user, school)
    with (
        time_machine.travel(lokaal(2026, 12, 7, 8, 0), tick=False),
        django_assert_max_num_queries(6),
    ):
        assert len(samenvattingen_opmaken()) == 20


def test_the_preferences_page_saves_choices_and_never_turns_off_a_red_flag(db, client):
    user = f.UserFactory()
    client.force_login(user)
    url = reverse("meldingen:voorkeuren")
    pagina = client.get(url).content.decode()
    assert "Testherinnering" in pagina
    assert re.search(r'name="test_alarm"[^>]*disabled|disabled[^>]*name="test_alarm"', pagina)
    # What the browser sends: every kind's checked choice.
    alle = {soort.code: soort.standaard for soort in soorten_voor(user) if not soort.vast}
    antwoord = client.post(
        url, {**alle, HERINNERING.code: "in_app", ALARM.code: "in_app"}, follow=True
    )
    assert "Je voorkeuren zijn bewaard." in antwoord.content.decode()
    bewaard = dict(Voorkeur.objects.filter(user=user).values_list("soort", "modus"))
    assert bewaard[HERINNERING.code] == "in_app"
    assert ALARM.code not in bewaard
    # Saving again (a double click) changes nothing.
    client.post(url, {**alle, HERINNERING.code: "in_app"})
    assert Voorkeur.objects.filter(user=user).count() == len(alle)
    antwoord = client.post(url, {**alle, HERINNERING.code: "altijd"})
    assert "altijd is geen beschikbare keuze" in antwoord.content.decode()


@pytest.mark.parametrize(
    "wie, geboden, niet",
    [
        (
            "leerkracht",
            {"actiepunt_morgen", "maatregel_evaluatie"},
            {"zorgcel_voorbereiden", "actiepunt_escalatie", "doel_evaluatie", "rode_vlag"},
        ),
        (
            "zorgcoordinator",
            {"zorgcel_voorbereiden", "actiepunt_escalatie", "doel_evaluatie", "rode_vlag"},
            {"rode_vlag_escalatie"},
        ),
        ("directie", {"rode_vlag_escalatie", "maatregel_evaluatie"}, {"zorgcel_voorbereiden"}),
        ("clb", {"doel_evaluatie", "actiepunt_morgen"}, {"maatregel_evaluatie", "rode_vlag"}),
        # The secretariat can own an action of the care-policy reflection (it
        # names no student), nothing of a student's care.
        (
            "secretariaat",
            {"beleidsactie_morgen", "beleidsactie_achterstallig"},
            {"actiepunt_morgen", "maatregel_evaluatie", "rode_vlag", "beleidsactie_escalatie"},
        ),
        ("beheerder", set(), {"actiepunt_morgen", "zorgcel_voorbereiden", "beleidsactie_morgen"}),
    ],
)
def test_the_preferences_page_offers_the_kinds_a_person_can_get(
    wereld, client, monkeypatch, wie, geboden, niet
):
    """A teacher is not asked about the care cell, the secretariat about no
    reminder of a student's care, the administrator about none at all; what
    is not offered is not saved either."""
    # Only the kinds the apps register.
    monkeypatch.delitem(soorten._SOORTEN, HERINNERING.code)
    monkeypatch.delitem(soorten._SOORTEN, ALARM.code)
    user = wereld.users[wie]
    client.force_login(user)
    url = reverse("meldingen:voorkeuren")
    pagina = client.get(url).content.decode()
    velden = set(re.findall(r'name="([a-z_]+)" value="(?:direct|samenvatting|in_app)"', pagina))
    assert geboden <= velden
    assert not niet & velden
    client.post(url, dict.fromkeys(niet | geboden, "in_app"))
    bewaard = set(Voorkeur.objects.filter(user=user).values_list("soort", flat=True))
    assert not niet & bewaard
    if not geboden:
        assert "geen herinneringen of meldingen waarvoor je iets kan kiezen" in pagina
