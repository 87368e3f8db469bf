"""The transfer's steps (overdracht.services): concept → parents informed →
objection / no objection → released, or withdrawn; every refusal in Dutch,
every step audited, the objection term under a frozen clock."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from leerlingen.models import TijdlijnItem, Zichtbaarheid
from overdracht import services
from overdracht.models import Overdracht
from tests.datums import lokaal
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.overdracht.hulp import geinformeerd, voorbereid, vrijgegeven, zonder_bezwaar
from zorg.audit.models import AuditEvent
from zorg.versies import VerouderdeVersie

pytestmark = pytest.mark.django_db


def _bericht(fout: ValidationError) -> str:
    return " ".join(m for lijst in fout.message_dict.values() for m in lijst)


def _vrijgeven(w, o):
    return services.overdracht_vrijgeven(overdracht=o, versie=o.versie, door=w.zorgcoordinator)


def _bezwaar(w, o, op=None, opmerking="Wij willen de afspraken eerst zelf bespreken."):
    return services.overdracht_reactie_vastleggen(
        overdracht=o,
        versie=o.versie,
        bezwaar=True,
        op=op or timezone.localdate(),
        opmerking=opmerking,
        door=w.zorgcoordinator,
    )


def test_informing_the_parents_freezes_the_summary_they_were_told(wereld):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a, titel="Extra tijd bij toetsen")
    o = geinformeerd(wereld, voorbereid(wereld))

    maatregel.titel = "Later gewijzigd"
    maatregel.save()
    o.refresh_from_db()

    assert o.status == Overdracht.Status.GEINFORMEERD
    assert [m["titel"] for m in o.inhoud["maatregelen"]] == ["Extra tijd bij toetsen"]


def test_an_item_the_coordinator_left_out_is_not_in_the_frozen_summary(wereld):
    MaatregelFactory(leerling=wereld.leerling_a, titel="Blijft erin")
    weg = MaatregelFactory(leerling=wereld.leerling_a, titel="Mag niet mee")
    o = voorbereid(wereld)
    o = services.overdracht_inhoud_kiezen(
        overdracht=o,
        versie=o.versie,
        weggelaten=[f"maatregel-{weg.pk}"],
        door=wereld.zorgcoordinator,
    )

    o = geinformeerd(wereld, o)

    assert [m["titel"] for m in o.inhoud["maatregelen"]] == ["Blijft erin"]


def test_a_second_open_transfer_of_the_same_student_is_refused(wereld):
    voorbereid(wereld)

    with pytest.raises(ValidationError) as fout:
        voorbereid(wereld, school_naam="Een andere school")

    assert "loopt al een overdracht" in _bericht(fout.value)
    assert Overdracht.objects.count() == 1


def test_a_transfer_without_the_next_schools_name_is_refused(wereld):
    with pytest.raises(ValidationError) as fout:
        voorbereid(wereld, school_naam="  ")

    assert "naam van de nieuwe school" in _bericht(fout.value)


def test_release_before_the_parents_were_informed_is_refused(wereld):
    o = voorbereid(wereld)

    with pytest.raises(ValidationError) as fout:
        _vrijgeven(wereld, o)

    assert "Informeer eerst de ouders" in _bericht(fout.value)
    assert Overdracht.objects.get().status == Overdracht.Status.CONCEPT


def test_release_waits_for_the_objection_term_across_new_year(wereld_in_2026_2027, wereld):
    with time_machine.travel(lokaal(2026, 12, 20), tick=False):
        o = geinformeerd(wereld, voorbereid(wereld))
    # Fourteen days: they may object up to and including 2 January.
    with time_machine.travel(lokaal(2027, 1, 2, 23, 59), tick=False):
        with pytest.raises(ValidationError) as fout:
            _vrijgeven(wereld, o)
        assert "tot en met 02/01/2027" in _bericht(fout.value)
        assert "vanaf 03/01/2027" in _bericht(fout.value)
    with time_machine.travel(lokaal(2027, 1, 3, 0, 1), tick=False):
        o = _vrijgeven(wereld, o)

    assert o.status == Overdracht.Status.VRIJGEGEVEN
    assert o.vrijgegeven_op == datetime.date(2027, 1, 3)


def test_the_objection_term_ends_on_leap_day(wereld_in_2026_2027, wereld):
    with time_machine.travel(lokaal(2028, 2, 15), tick=False):
        o = geinformeerd(wereld, voorbereid(wereld))
    with (
        time_machine.travel(lokaal(2028, 2, 28, 18), tick=False),
        pytest.raises(ValidationError),
    ):
        _vrijgeven(wereld, o)
    with time_machine.travel(lokaal(2028, 2, 29, 8), tick=False):
        assert _vrijgeven(wereld, o).vrijgegeven_op == datetime.date(2028, 2, 29)


def test_the_parents_no_objection_allows_release_at_once(wereld):
    o = zonder_bezwaar(wereld, geinformeerd(wereld, voorbereid(wereld)))

    o = _vrijgeven(wereld, o)

    assert o.status == Overdracht.Status.VRIJGEGEVEN
    assert o.vrijgegeven_door == wereld.zorgcoordinator
    assert o.vingerafdruk.count(" ") == 15  # 64 hex digits in groups of four


def test_an_objection_blocks_release_until_the_summary_changed_and_the_parents_were_told_again(
    wereld,
):
    m = MaatregelFactory(leerling=wereld.leerling_a, titel="Aparte toetsruimte")
    o = _bezwaar(wereld, geinformeerd(wereld, voorbereid(wereld)))
    assert o.status == Overdracht.Status.BEZWAAR

    with pytest.raises(ValidationError) as fout:
        _vrijgeven(wereld, o)
    assert "De ouders maakten bezwaar" in _bericht(fout.value)

    with pytest.raises(ValidationError) as fout:
        geinformeerd(wereld, o)
    assert "dezelfde als die waartegen de ouders bezwaar maakten" in _bericht(fout.value)

    o = services.overdracht_inhoud_kiezen(
        overdracht=o, versie=o.versie, weggelaten=[f"maatregel-{m.pk}"], door=wereld.zorgcoordinator
    )
    o = geinformeerd(wereld, o)
    assert o.status == Overdracht.Status.GEINFORMEERD
    assert o.inhoud["maatregelen"] == []
    # The objection stays on record.
    assert o.bezwaar_opmerking == "Wij willen de afspraken eerst zelf bespreken."

    assert _vrijgeven(wereld, zonder_bezwaar(wereld, o)).status == Overdracht.Status.VRIJGEGEVEN


def test_an_objection_without_the_parents_remark_is_refused(wereld):
    o = geinformeerd(wereld, voorbereid(wereld))

    with pytest.raises(ValidationError) as fout:
        _bezwaar(wereld, o, opmerking=" ")

    assert "Noteer wat de ouders bezwaren" in _bericht(fout.value)


def test_an_answer_before_the_parents_were_informed_or_in_the_future_is_refused(wereld):
    o = geinformeerd(wereld, voorbereid(wereld))
    vandaag = timezone.localdate()

    with pytest.raises(ValidationError) as fout:
        _bezwaar(wereld, o, op=vandaag - datetime.timedelta(days=1))
    assert "niet vóór ze geïnformeerd werden" in _bericht(fout.value)
    with pytest.raises(ValidationError) as fout:
        _bezwaar(wereld, o, op=vandaag + datetime.timedelta(days=1))
    assert "in de toekomst" in _bericht(fout.value)


def test_informing_the_parents_in_the_future_is_refused(wereld):
    o = voorbereid(wereld)

    with pytest.raises(ValidationError) as fout:
        geinformeerd(wereld, o, op=timezone.localdate() + datetime.timedelta(days=1))

    assert "in de toekomst" in _bericht(fout.value)


def test_a_step_from_an_outdated_version_is_refused(wereld):
    o = voorbereid(wereld)
    oud = o.versie
    geinformeerd(wereld, o)

    with pytest.raises(VerouderdeVersie):
        services.overdracht_intrekken(overdracht=o, versie=oud, door=wereld.zorgcoordinator)

    assert Overdracht.objects.get().status == Overdracht.Status.GEINFORMEERD


def test_a_withdrawn_transfer_cannot_be_released_and_a_released_one_not_withdrawn(wereld):
    o = geinformeerd(wereld, voorbereid(wereld))
    o = services.overdracht_intrekken(overdracht=o, versie=o.versie, door=wereld.zorgcoordinator)
    with pytest.raises(ValidationError) as fout:
        _vrijgeven(wereld, o)
    assert "ingetrokken" in _bericht(fout.value)

    vrij = vrijgegeven(wereld)
    with pytest.raises(ValidationError) as fout:
        services.overdracht_intrekken(
            overdracht=vrij, versie=vrij.versie, door=wereld.zorgcoordinator
        )
    assert "kan niet meer ingetrokken" in _bericht(fout.value)


def test_release_without_a_signing_key_is_refused(wereld, settings):
    o = zonder_bezwaar(wereld, geinformeerd(wereld, voorbereid(wereld)))
    settings.ZORG_OVERDRACHT_SLEUTEL = ""

    with pytest.raises(ValidationError) as fout:
        _vrijgeven(wereld, o)

    assert "ZORG_OVERDRACHT_SLEUTEL" in _bericht(fout.value)
    assert Overdracht.objects.get().status == Overdracht.Status.GEEN_BEZWAAR


def test_release_puts_an_entry_for_the_care_team_on_the_timeline(wereld):
    o = vrijgegeven(wereld)

    item = TijdlijnItem.objects.get(soort=TijdlijnItem.Soort.OVERDRACHT)
    assert item.leerling == wereld.leerling_a
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    assert o.school_naam in item.tekst


def test_every_step_is_audited_without_the_summary(wereld):
    MaatregelFactory(leerling=wereld.leerling_a, titel="Extra tijd bij toetsen")
    vrijgegeven(wereld)

    events = AuditEvent.objects.filter(onderwerp="overdracht").order_by("pk")
    assert [e.omschrijving for e in events] == [
        "concept",
        "ouders geinformeerd",
        "geen bezwaar",
        "vrijgegeven",
    ]
    assert all(e.leerling_id == wereld.leerling_a.pk for e in events)
    assert not any("Extra tijd" in e.omschrijving for e in events)
