"""Remediation and differentiation: the service's rules, its timeline entries
and audit, optimistic locking, and who sees what."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from leerlingen import policies
from leerlingen.models import Remediering, TijdlijnItem
from leerlingen.services.remediering import (
    RemedieringGegevens,
    remediering_afsluiten,
    remediering_maken,
    remediering_wijzigen,
)
from tests import factories as f
from tests.datums import lokaal
from tests.leerlingen.factories_remediering import RemedieringFactory
from zorg.audit.models import AuditEvent
from zorg.versies import VerouderdeVersie

pytestmark = pytest.mark.django_db

VANDAAG = datetime.date.today()
Niveau = Remediering.Niveau


def _gegevens(wereld, **anders) -> RemedieringGegevens:
    velden = {
        "vak": f.VakFactory(school=wereld.school, naam="Wiskunde"),
        "niveau": Niveau.KLAS,
        "titel": "Breuken herhalen",
        "nood": "Zwakke resultaten op de toets breuken.",
        "aanpak": Remediering.Aanpak.REMEDIERING,
        "begin": VANDAAG,
        "aantal_weken": 4,
        "moment": "di 8e lesuur",
    }
    velden.update(anders)
    return RemedieringGegevens(**velden)


def _items(r):
    return TijdlijnItem.objects.filter(bron_type="leerlingen.remediering", bron_id=r.pk)


def test_a_whole_class_remediation_writes_no_timeline_entry_per_student(wereld):
    r = remediering_maken(klas=wereld.klas_a, gegevens=_gegevens(wereld), door=wereld.leerkracht)
    assert r.school == wereld.school
    assert r.status == Remediering.Status.GEPLAND
    assert not _items(r).exists()
    event = AuditEvent.objects.get(onderwerp="remediering", object_id=str(r.pk))
    assert event.leerling_id is None and event.school_id == wereld.school.pk


def test_a_student_level_remediation_writes_one_timeline_entry_for_that_student(wereld):
    r = remediering_maken(
        klas=wereld.klas_a,
        gegevens=_gegevens(wereld, niveau=Niveau.LEERLING, leerling=wereld.leerling_a),
        door=wereld.leerkracht,
    )
    item = _items(r).get()
    assert item.leerling == wereld.leerling_a
    assert item.soort == TijdlijnItem.Soort.REMEDIERING
    assert "Breuken herhalen" in item.titel
    assert AuditEvent.objects.filter(
        onderwerp="remediering", leerling=wereld.leerling_a, actie="aanmaken"
    ).exists()


def test_a_group_remediation_writes_an_entry_for_each_student_of_the_group_only(wereld):
    tweede = f.leerling_in(wereld.klas_a, voornaam="Jonas", achternaam="Maes")
    f.leerling_in(wereld.klas_a, voornaam="Emma", achternaam="Claes")
    r = remediering_maken(
        klas=wereld.klas_a,
        gegevens=_gegevens(wereld, niveau=Niveau.GROEP, groep=(wereld.leerling_a, tweede)),
        door=wereld.leerkracht,
    )
    assert set(_items(r).values_list("leerling_id", flat=True)) == {
        wereld.leerling_a.pk,
        tweede.pk,
    }


@pytest.mark.parametrize(
    ("anders", "veld"),
    [
        ({"niveau": Niveau.LEERLING}, "leerling"),
        ({"niveau": Niveau.GROEP}, "groep"),
        ({"aantal_weken": None}, "einde"),
        ({"einde": VANDAAG - datetime.timedelta(days=1)}, "einde"),
        ({"titel": "  "}, "titel"),
        ({"nood": ""}, "nood"),
        ({"aanpak": "toveren"}, "aanpak"),
    ],
)
def test_a_broken_rule_is_refused_beside_its_field(wereld, anders, veld):
    with pytest.raises(ValidationError) as fout:
        remediering_maken(
            klas=wereld.klas_a, gegevens=_gegevens(wereld, **anders), door=wereld.leerkracht
        )
    assert veld in fout.value.error_dict
    assert not Remediering.objects.exists()


def test_a_student_of_another_class_cannot_be_chosen(wereld):
    with pytest.raises(ValidationError) as fout:
        remediering_maken(
            klas=wereld.klas_a,
            gegevens=_gegevens(wereld, niveau=Niveau.LEERLING, leerling=wereld.leerling_b),
            door=wereld.leerkracht,
        )
    assert "leerling" in fout.value.error_dict


def test_a_subject_of_another_school_cannot_be_chosen(wereld):
    vak = f.VakFactory(school=wereld.school2, naam="Frans")
    with pytest.raises(ValidationError) as fout:
        remediering_maken(
            klas=wereld.klas_a, gegevens=_gegevens(wereld, vak=vak), door=wereld.leerkracht
        )
    assert "vak" in fout.value.error_dict


def test_the_database_refuses_a_student_on_a_class_level_row(wereld):
    with pytest.raises(IntegrityError), transaction.atomic():
        RemedieringFactory(klas=wereld.klas_a, niveau=Niveau.KLAS, leerling=wereld.leerling_a)


def test_the_database_refuses_a_row_without_a_duration(wereld):
    with pytest.raises(IntegrityError), transaction.atomic():
        RemedieringFactory(klas=wereld.klas_a, aantal_weken=None)


def test_the_database_refuses_a_closed_row_without_a_result(wereld):
    with pytest.raises(IntegrityError), transaction.atomic():
        RemedieringFactory(klas=wereld.klas_a, status=Remediering.Status.AFGEROND)


def test_an_edit_from_an_old_version_is_refused_and_changes_nothing(wereld):
    r = remediering_maken(klas=wereld.klas_a, gegevens=_gegevens(wereld), door=wereld.leerkracht)
    remediering_wijzigen(
        remediering=r, versie=1, gegevens=_gegevens(wereld, titel="Eerst"), door=wereld.titularis
    )
    with pytest.raises(VerouderdeVersie):
        remediering_wijzigen(
            remediering=r,
            versie=1,
            gegevens=_gegevens(wereld, titel="Later"),
            door=wereld.leerkracht,
        )
    r.refresh_from_db()
    assert (r.titel, r.versie) == ("Eerst", 2)


def test_moving_from_class_to_one_student_adds_that_students_timeline_entry(wereld):
    r = remediering_maken(klas=wereld.klas_a, gegevens=_gegevens(wereld), door=wereld.leerkracht)
    remediering_wijzigen(
        remediering=r,
        versie=r.versie,
        gegevens=_gegevens(wereld, niveau=Niveau.LEERLING, leerling=wereld.leerling_a),
        door=wereld.leerkracht,
    )
    assert list(_items(r).values_list("leerling_id", flat=True)) == [wereld.leerling_a.pk]
    event = AuditEvent.objects.filter(onderwerp="remediering", actie="wijzigen").get()
    assert "niveau" in event.velden and "leerling" in event.velden


def test_recording_the_result_closes_it_and_updates_the_students_entry(wereld):
    r = remediering_maken(
        klas=wereld.klas_a,
        gegevens=_gegevens(
            wereld,
            niveau=Niveau.LEERLING,
            leerling=wereld.leerling_a,
            begin=VANDAAG - datetime.timedelta(days=30),
        ),
        door=wereld.leerkracht,
    )
    remediering_afsluiten(
        remediering=r,
        versie=r.versie,
        resultaat=Remediering.Resultaat.BEREIKT,
        datum=VANDAAG,
        notitie="Haalt nu 7/10.",
        door=wereld.leerkracht,
    )
    r.refresh_from_db()
    assert r.status == Remediering.Status.AFGEROND
    item = _items(r).get()
    assert "doel bereikt" in item.tekst
    with pytest.raises(ValidationError):
        remediering_wijzigen(
            remediering=r, versie=r.versie, gegevens=_gegevens(wereld), door=wereld.leerkracht
        )


def test_a_result_in_the_future_is_refused(wereld):
    r = RemedieringFactory(klas=wereld.klas_a, door=wereld.leerkracht)
    with pytest.raises(ValidationError) as fout:
        remediering_afsluiten(
            remediering=r,
            versie=r.versie,
            resultaat=Remediering.Resultaat.DEELS,
            datum=VANDAAG + datetime.timedelta(days=1),
            door=wereld.leerkracht,
        )
    assert "datum" in fout.value.error_dict


def test_the_class_team_and_care_team_see_the_class_remediation_and_nobody_else(wereld):
    r = RemedieringFactory(klas=wereld.klas_a, door=wereld.leerkracht)
    for rol in ("leerkracht", "titularis", "zorgcoordinator", "directie"):
        assert policies.remedieringen_visible_to(wereld.users[rol]).filter(pk=r.pk).exists(), rol
    for rol in ("leerkracht_b", "secretariaat", "beheerder", "clb", "buitenstaander"):
        assert not policies.remedieringen_visible_to(wereld.users[rol]).filter(pk=r.pk).exists(), (
            rol
        )


def test_a_subject_teacher_records_only_in_their_own_subjects(wereld):
    f.LesopdrachtFactory(klas=wereld.klas_a, vak=f.VakFactory(school=wereld.school, naam="Frans"))
    eigen = {vak.naam for vak in policies.remediering_vakken(wereld.leerkracht, wereld.klas_a)}
    alle = {vak.naam for vak in policies.remediering_vakken(wereld.titularis, wereld.klas_a)}
    assert "Frans" not in eigen and eigen
    assert "Frans" in alle and eigen <= alle
    assert policies.remediering_vakken(wereld.secretariaat, wereld.klas_a) == []


def test_the_students_list_has_their_own_their_groups_and_their_class_remediation(wereld):
    eigen = RemedieringFactory(
        klas=wereld.klas_a, niveau=Niveau.LEERLING, leerling=wereld.leerling_a
    )
    klas = RemedieringFactory(klas=wereld.klas_a)
    groep = RemedieringFactory(klas=wereld.klas_a, niveau=Niveau.GROEP, groep=[wereld.leerling_a])
    ander = f.leerling_in(wereld.klas_a, voornaam="Noor", achternaam="Aerts")
    niet = RemedieringFactory(klas=wereld.klas_a, niveau=Niveau.GROEP, groep=[ander])
    RemedieringFactory(klas=wereld.klas_b)
    ids = set(
        policies.leerling_remedieringen_visible_to(
            wereld.zorgcoordinator, wereld.leerling_a
        ).values_list("pk", flat=True)
    )
    assert ids == {eigen.pk, klas.pk, groep.pk}
    assert niet.pk not in ids


@pytest.mark.parametrize(
    ("moment", "dag"),
    [
        # Half past midnight in Brussels is still the old year in UTC.
        (lokaal(2027, 1, 1, 0, 30), datetime.date(2027, 1, 1)),
        # The night the clocks go back: 02:30 twice.
        (lokaal(2026, 10, 25, 2, 30, fold=1), datetime.date(2026, 10, 25)),
    ],
    ids=["new-year", "dst"],
)
def test_a_result_of_today_is_today_in_brussels(wereld_in_2026_2027, wereld, moment, dag):
    r = RemedieringFactory(klas=wereld.klas_a, begin=datetime.date(2026, 10, 1))
    with time_machine.travel(moment, tick=False):
        remediering_afsluiten(
            remediering=r,
            versie=r.versie,
            resultaat=Remediering.Resultaat.BEREIKT,
            datum=dag,
            door=wereld.leerkracht,
        )
        with pytest.raises(ValidationError):
            remediering_afsluiten(
                remediering=RemedieringFactory(
                    klas=wereld.klas_a, begin=datetime.date(2026, 10, 1)
                ),
                versie=1,
                resultaat=Remediering.Resultaat.BEREIKT,
                datum=dag + datetime.timedelta(days=1),
                door=wereld.leerkracht,
            )
    r.refresh_from_db()
    assert r.resultaat_datum == dag
