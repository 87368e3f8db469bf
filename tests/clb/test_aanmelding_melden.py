"""A new referral tells the staff of the CLB serving the school, in the app,
however it was made: a direct referral, a phase change to extended care, a
care cell's decision. Only them, and without the student's name or the
question for help (the referral's page shows those to whom may read them)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clb.services.trajecten import aanmelding_melden
from klassenraad.models import BeslissingSoort
from klassenraad.services.beslissingen import beslissing_registreren
from leerlingen.models import Aanmelding, Zorgfase
from leerlingen.policies import zorg_lezers
from leerlingen.services.zorgfase import (
    _BIJ_AANMELDING,
    ZorgfaseRegelFout,
    aanmelding_maken,
    zorgfase_wijzigen,
)
from tests import factories as f
from tests.klassenraad import factories as kf
from zorg.accounts.models import SchoolType
from zorg.meldingen.models import Melding

HULPVRAAG = "Hoe helpen we haar met de faalangst bij toetsen?"


def _rechtstreeks(w, door=None) -> Aanmelding:
    return aanmelding_maken(
        leerling=w.leerling_a,
        hulpvraag=HULPVRAAG,
        datum=timezone.localdate(),
        door=door or w.zorgcoordinator,
    )


def _clb_meldingen(w):
    return Melding.objects.filter(ontvanger=w.users["clb"])


def test_the_clb_app_hooks_its_notification_into_every_new_referral():
    assert aanmelding_melden in _BIJ_AANMELDING


def test_a_direct_referral_notifies_the_staff_of_the_serving_clb(wereld):
    aanmelding = _rechtstreeks(wereld)
    melding = _clb_meldingen(wereld).get()
    assert melding.link == reverse("clb:aanmelding_aanvaarden", args=[aanmelding.pk])
    assert melding.school == wereld.school
    assert melding.gelezen_op is None
    assert wereld.school.naam in melding.titel


def test_only_the_serving_clbs_active_staff_are_notified(wereld):
    tweede_clb = f.CLBFactory(naam="CLB Tweede")
    tweede_clb.scholen.add(wereld.school)
    collega = f.CLBMedewerkerFactory(clb=wereld.clb).user
    van_tweede = f.CLBMedewerkerFactory(clb=tweede_clb).user
    gestopt = f.CLBMedewerkerFactory(clb=wereld.clb, actief=False).user
    gedeactiveerd = f.CLBMedewerkerFactory(clb=wereld.clb, user=f.UserFactory(is_active=False))

    _rechtstreeks(wereld)

    ontvangers = set(Melding.objects.values_list("ontvanger_id", flat=True))
    assert ontvangers == {wereld.users["clb"].pk, collega.pk, van_tweede.pk}
    assert gestopt.pk not in ontvangers and gedeactiveerd.user_id not in ontvangers
    # Not the other school's CLB, not the school's own staff.
    assert wereld.users["clb_ander"].pk not in ontvangers
    assert wereld.zorgcoordinator.pk not in ontvangers


def test_the_notified_clb_staff_may_read_the_student_and_open_the_link(wereld, client_voor):
    _rechtstreeks(wereld)
    melding = _clb_meldingen(wereld).get()
    assert zorg_lezers(wereld.leerling_a).filter(pk=wereld.users["clb"].pk).exists()
    response = client_voor(wereld.users["clb"]).get(melding.link)
    assert response.status_code == 200
    assert wereld.leerling_a.volledige_naam in response.content.decode()


def test_the_notification_carries_no_name_and_no_question_for_help(
    wereld, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _rechtstreeks(wereld)
    melding = _clb_meldingen(wereld).get()
    for tekst in (melding.titel, melding.tekst):
        assert wereld.leerling_a.voornaam not in tekst
        assert wereld.leerling_a.achternaam not in tekst
        assert "faalangst" not in tekst
    mail = next(m for m in mailoutbox if m.to == [wereld.users["clb"].email])
    assert wereld.leerling_a.achternaam not in mail.subject + mail.body
    assert "faalangst" not in mail.body


def test_a_phase_change_to_extended_care_notifies_the_clb(wereld):
    leerling = wereld.leerling_a
    fase = Zorgfase.objects.get(schooltype=SchoolType.SECUNDAIR, nummer=1)
    zorgfase_wijzigen(
        leerling=leerling,
        naar=fase,
        van=leerling.zorgfase,
        datum=timezone.localdate(),
        reden="Extra ondersteuning nodig.",
        beslist_waar="begeleidende klassenraad",
        door=wereld.zorgcoordinator,
    )
    assert not _clb_meldingen(wereld).exists()  # phase 1 refers nobody
    leerling.refresh_from_db()
    zorgfase_wijzigen(
        leerling=leerling,
        naar=Zorgfase.objects.get(schooltype=SchoolType.SECUNDAIR, nummer=2),
        van=leerling.zorgfase,
        datum=timezone.localdate(),
        reden="Fase 1 volstond niet.",
        beslist_waar="begeleidende klassenraad",
        hulpvraag=HULPVRAAG,
        door=wereld.zorgcoordinator,
    )
    aanmelding = Aanmelding.objects.get()
    melding = _clb_meldingen(wereld).get()
    assert melding.link == reverse("clb:aanmelding_aanvaarden", args=[aanmelding.pk])


def test_a_care_cell_decision_to_refer_notifies_the_clb(wereld):
    cel = kf.overleg(wereld, moment=timezone.now())
    kf.agendapunt(cel, wereld.leerling_a)
    beslissing_registreren(
        overleg=cel,
        soort=BeslissingSoort.AANMELDING_CLB,
        leerling=wereld.leerling_a,
        tekst="Aanmelden bij het CLB.",
        hulpvraag=HULPVRAAG,
        door=wereld.zorgcoordinator,
    )
    assert _clb_meldingen(wereld).get().link == reverse(
        "clb:aanmelding_aanvaarden", args=[Aanmelding.objects.get().pk]
    )


def test_a_refused_referral_notifies_nobody(wereld):
    _rechtstreeks(wereld)
    Melding.objects.all().delete()
    with pytest.raises(ZorgfaseRegelFout):
        _rechtstreeks(wereld)  # one open referral at a time
    with pytest.raises(ZorgfaseRegelFout):
        aanmelding_maken(
            leerling=wereld.leerling_b,
            hulpvraag=HULPVRAAG,
            datum=timezone.localdate() + datetime.timedelta(days=3),
            door=wereld.zorgcoordinator,
        )
    assert not Melding.objects.exists()
