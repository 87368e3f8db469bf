"""What the CLB shares with the parents: its choice per shared note, the
student's own decision from 12, and the source that brings both to
leerlingen.ouderinformatie. The CLB's confidential layer never appears."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from clb.models import Laag, Ouderinzage, Trajectnotitie
from clb.services.ouders import notitie_ouders_delen, ouderinzage_vastleggen
from clb.services.trajecten import laag_wijzigen
from leerlingen.models import Leerling
from leerlingen.ouderinformatie import leeftijd, ouderinformatie
from tests.clb import factories as c
from tests.datums import lokaal
from zorg.audit.models import AuditEvent

ADVIES = Trajectnotitie.Soort.ADVIES


def _geboren(leerling, datum) -> Leerling:
    Leerling.objects.filter(pk=leerling.pk).update(geboortedatum=datum)
    leerling.refresh_from_db()
    return leerling


def _gedeeld_advies(wereld, tekst="Oefen thuis tien minuten per dag lezen.", **velden):
    t = velden.pop("traject", None) or c.traject(wereld)
    velden.setdefault("datum", datetime.date(2026, 10, 1))
    n = c.notitie(t, wereld.users["clb"], laag=Laag.GEDEELD, soort=ADVIES, tekst=tekst, **velden)
    return notitie_ouders_delen(notitie=n, delen=True, door=wereld.users["clb"])


def _teksten(leerling, voor="ouder", op=None):
    return [x.tekst for x in ouderinformatie(leerling, voor=voor, op=op).clb]


@pytest.mark.parametrize(
    ("geboren", "op", "jaren"),
    [
        (datetime.date(2014, 12, 7), datetime.date(2026, 12, 6), 11),
        (datetime.date(2014, 12, 7), datetime.date(2026, 12, 7), 12),
        # Born on a leap day: 12 on the leap day twelve years later ...
        (datetime.date(2016, 2, 29), datetime.date(2028, 2, 28), 11),
        (datetime.date(2016, 2, 29), datetime.date(2028, 2, 29), 12),
        # ... and a year older on 1 March in a common year.
        (datetime.date(2016, 2, 29), datetime.date(2029, 2, 28), 12),
        (datetime.date(2016, 2, 29), datetime.date(2029, 3, 1), 13),
    ],
)
def test_age_counts_whole_years_with_leap_day_birthdays(geboren, op, jaren):
    assert leeftijd(geboren, op) == jaren


def test_only_notes_the_clb_shares_with_the_parents_are_told(wereld):
    t = c.traject(wereld)
    _gedeeld_advies(wereld, "Voor de ouders", traject=t)
    c.notitie(t, wereld.users["clb"], laag=Laag.GEDEELD, soort=ADVIES, tekst="Enkel voor de school")
    c.notitie(t, wereld.users["clb"], laag=Laag.CLB, tekst="GEHEIM vertrouwelijk")

    info = ouderinformatie(wereld.leerling_a, op=datetime.date.today())

    assert [(x.titel, x.tekst) for x in info.clb] == [
        ("handelingsgericht advies", "Voor de ouders")
    ]


def test_a_note_of_the_clb_only_layer_cannot_be_shared_with_the_parents(wereld):
    n = c.notitie(c.traject(wereld), wereld.users["clb"], laag=Laag.CLB, tekst="GEHEIM")

    with pytest.raises(ValidationError):
        notitie_ouders_delen(notitie=n, delen=True, door=wereld.users["clb"])

    n.refresh_from_db()
    assert not n.delen_met_ouders


def test_taking_a_note_back_into_the_clb_layer_withdraws_it_from_the_parents(wereld):
    n = _gedeeld_advies(wereld)

    laag_wijzigen(item=n, laag=Laag.CLB, door=wereld.users["clb"])

    n.refresh_from_db()
    assert not n.delen_met_ouders
    assert _teksten(wereld.leerling_a, op=datetime.date.today()) == []


def test_sharing_with_the_parents_is_audited_without_the_text(wereld):
    n = _gedeeld_advies(wereld, "Tekst die niet in het spoor hoort")

    event = AuditEvent.objects.get(onderwerp="hgd_notitie", object_id=str(n.pk))
    assert event.velden == ["delen_met_ouders"]
    assert "Tekst" not in event.omschrijving


def test_a_school_care_coordinator_cannot_share_a_note_with_the_parents(wereld):
    n = c.notitie(c.traject(wereld), wereld.users["clb"], laag=Laag.GEDEELD, soort=ADVIES)

    with pytest.raises(ValidationError):
        notitie_ouders_delen(notitie=n, delen=True, door=wereld.zorgcoordinator)


@pytest.mark.parametrize(
    ("vandaag", "ouders_zien"),
    [
        # The day before the 12th birthday the parents see it, whatever was recorded ...
        (lokaal(2026, 12, 6), True),
        # ... from the birthday on the student's refusal counts.
        (lokaal(2026, 12, 7), False),
        (lokaal(2027, 1, 1, 0, 5), False),
    ],
)
def test_from_twelve_the_students_refusal_keeps_the_clb_part_from_the_parents(
    wereld, vandaag, ouders_zien
):
    leerling = _geboren(wereld.leerling_a, datetime.date(2014, 12, 7))
    _gedeeld_advies(wereld)
    Ouderinzage.objects.create(
        leerling=leerling,
        ouders_mogen_clb_zien=False,
        beslist_op=datetime.date(2026, 12, 7),
        vastgelegd_door=wereld.users["clb"],
    )

    with time_machine.travel(vandaag, tick=False):
        voor_ouders = _teksten(leerling)
        voor_leerling = _teksten(leerling, voor="leerling")

    assert bool(voor_ouders) is ouders_zien
    assert voor_leerling == ["Oefen thuis tien minuten per dag lezen."]


@pytest.mark.parametrize(
    ("vandaag", "ouders_zien"),
    [(lokaal(2028, 2, 28), True), (lokaal(2028, 2, 29), False)],
)
def test_a_student_born_on_a_leap_day_decides_from_the_leap_day_twelve_years_later(
    wereld, vandaag, ouders_zien
):
    leerling = _geboren(wereld.leerling_a, datetime.date(2016, 2, 29))
    _gedeeld_advies(wereld)
    Ouderinzage.objects.create(
        leerling=leerling,
        ouders_mogen_clb_zien=False,
        beslist_op=datetime.date(2028, 2, 29),
        vastgelegd_door=wereld.users["clb"],
    )

    with time_machine.travel(vandaag, tick=False):
        assert bool(_teksten(leerling)) is ouders_zien


def test_without_a_recorded_decision_the_parents_see_what_the_clb_shares(wereld):
    leerling = _geboren(wereld.leerling_a, datetime.date(2010, 1, 1))
    _gedeeld_advies(wereld)

    assert _teksten(leerling, op=datetime.date.today())


def test_the_clb_records_the_students_decision_with_its_date_versioned_and_audited(wereld):
    leerling = _geboren(wereld.leerling_a, datetime.date(2010, 1, 1))
    dag = datetime.date.today() - datetime.timedelta(days=3)

    inzage = ouderinzage_vastleggen(
        leerling=leerling,
        ouders_mogen_clb_zien=False,
        beslist_op=dag,
        versie=None,
        door=wereld.users["clb"],
    )
    assert (inzage.ouders_mogen_clb_zien, inzage.beslist_op, inzage.versie) == (False, dag, 1)

    inzage = ouderinzage_vastleggen(
        leerling=leerling,
        ouders_mogen_clb_zien=True,
        beslist_op=dag,
        versie=1,
        door=wereld.users["clb"],
    )
    assert inzage.ouders_mogen_clb_zien and inzage.versie == 2
    assert AuditEvent.objects.filter(onderwerp="clb_ouderinzage").count() == 2


def test_a_decision_from_a_stale_form_is_refused_and_the_saved_one_stays(wereld):
    leerling = _geboren(wereld.leerling_a, datetime.date(2010, 1, 1))
    dag = datetime.date.today()
    ouderinzage_vastleggen(
        leerling=leerling,
        ouders_mogen_clb_zien=False,
        beslist_op=dag,
        versie=None,
        door=wereld.users["clb"],
    )

    with pytest.raises(ValidationError):
        ouderinzage_vastleggen(
            leerling=leerling,
            ouders_mogen_clb_zien=True,
            beslist_op=dag,
            versie=None,
            door=wereld.users["clb"],
        )

    assert not Ouderinzage.objects.get(leerling=leerling).ouders_mogen_clb_zien


@pytest.mark.parametrize(
    ("geboren", "toegestaan"),
    [(datetime.date(2014, 12, 8), False), (datetime.date(2014, 12, 7), True)],
)
def test_a_student_decides_only_from_the_twelfth_birthday(wereld, geboren, toegestaan):
    leerling = _geboren(wereld.leerling_a, geboren)
    with time_machine.travel(lokaal(2026, 12, 7), tick=False):
        try:
            ouderinzage_vastleggen(
                leerling=leerling,
                ouders_mogen_clb_zien=False,
                beslist_op=datetime.date(2026, 12, 7),
                versie=None,
                door=wereld.users["clb"],
            )
        except ValidationError as fout:
            assert not toegestaan
            assert "12 jaar" in " ".join(fout.message_dict["beslist_op"])
        else:
            assert toegestaan


def test_school_staff_cannot_record_the_students_decision(wereld):
    leerling = _geboren(wereld.leerling_a, datetime.date(2010, 1, 1))

    with pytest.raises(ValidationError):
        ouderinzage_vastleggen(
            leerling=leerling,
            ouders_mogen_clb_zien=False,
            beslist_op=datetime.date.today(),
            versie=None,
            door=wereld.zorgcoordinator,
        )
    assert not Ouderinzage.objects.exists()
