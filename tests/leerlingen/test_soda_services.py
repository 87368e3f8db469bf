"""SODA services: the scale, the periods and the scores, with their timeline
entry and audit."""

import datetime
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from leerlingen.models import SodaPeriode, SodaScore, SodaWaarde, TijdlijnItem, Zichtbaarheid
from leerlingen.services.soda import (
    Schaalwaarde,
    soda_periode_toevoegen,
    soda_periode_wijzigen,
    soda_schaal_wijzigen,
    soda_score_bewaren,
    soda_scores_bewaren,
    soda_standaard_instellen,
)
from leerlingen.soda import laag_in_periode, samenvattingen, schaalwaarden
from tests import factories as f
from tests.leerlingen.factories_soda import in_het_voorjaar, in_jaar, perioden_maken, score, waarden
from zorg.audit.models import AuditEvent
from zorg.versies import VerouderdeVersie

__all__ = ["in_het_voorjaar"]


def _lesopdracht(wereld):
    return wereld.users["leerkracht"].lesopdrachten.select_related("klas", "vak").get()


# --- the scale ---------------------------------------------------------------------


def test_the_default_scale_is_one_to_four_with_the_two_lowest_low(wereld):
    schaal = soda_standaard_instellen(school=wereld.school)
    rijen = list(schaal.waarden.order_by("volgorde").values_list("code", "is_laag"))
    assert rijen == [("1", True), ("2", True), ("3", False), ("4", False)]
    assert schaal.waarden.get(code="1").omschrijving


def test_setting_up_the_default_twice_keeps_one_scale(wereld):
    eerste = soda_standaard_instellen(school=wereld.school)
    assert soda_standaard_instellen(school=wereld.school) == eerste
    assert SodaWaarde.objects.filter(schaal=eerste).count() == 4


def _abcd(laag=("D",)):
    return [
        Schaalwaarde(code=c, label=f"waarde {c}", is_laag=c in laag) for c in ("D", "C", "B", "A")
    ]


def test_a_school_sets_up_its_own_scale_and_it_is_audited(wereld):
    schaal = soda_schaal_wijzigen(
        school=wereld.school, waarden=_abcd(), versie=None, door=wereld.zorgcoordinator
    )
    assert list(schaal.waarden.values_list("code", flat=True)) == ["D", "C", "B", "A"]
    event = AuditEvent.objects.get(onderwerp="soda-schaal")
    assert (event.actie, event.school_id) == ("aanmaken", wereld.school.pk)


def test_low_values_must_be_the_lowest_of_the_scale(wereld):
    with pytest.raises(ValidationError, match="onderaan"):
        soda_schaal_wijzigen(
            school=wereld.school, waarden=_abcd(laag=("C",)), versie=None, door=wereld.directie
        )


def test_a_value_already_given_cannot_be_removed(wereld):
    w = waarden(wereld.school)
    periode = perioden_maken(wereld.schooljaar)[0]
    score(wereld.leerling_a, periode, _lesopdracht(wereld), w["1"])
    schaal = w["1"].schaal
    zonder_1 = [Schaalwaarde(code=c, label=c) for c in ("2", "3", "4")]
    with pytest.raises(ValidationError, match="al gegeven"):
        soda_schaal_wijzigen(
            school=wereld.school, waarden=zonder_1, versie=schaal.versie, door=wereld.directie
        )


def test_an_edit_of_the_scale_from_an_old_version_is_refused(wereld):
    schaal = soda_standaard_instellen(school=wereld.school)
    nieuw = [Schaalwaarde(code=c, label=c, is_laag=c == "1") for c in ("1", "2", "3", "4")]
    soda_schaal_wijzigen(school=wereld.school, waarden=nieuw, versie=1, door=wereld.directie)
    schaal.refresh_from_db()
    assert schaal.versie == 2
    with pytest.raises(VerouderdeVersie, match="intussen"):
        soda_schaal_wijzigen(school=wereld.school, waarden=nieuw, versie=1, door=wereld.directie)


def test_renaming_and_reordering_keeps_the_rows_of_the_given_values(wereld):
    w = waarden(wereld.school)
    periode = perioden_maken(wereld.schooljaar)[0]
    gegeven = score(wereld.leerling_a, periode, _lesopdracht(wereld), w["3"])
    nieuw = [
        Schaalwaarde(code="1", label="slecht", is_laag=True),
        Schaalwaarde(code="2", label="matig"),
        Schaalwaarde(code="3", label="prima"),
        Schaalwaarde(code="4", label="top"),
        Schaalwaarde(code="5", label="uitmuntend"),
    ]
    soda_schaal_wijzigen(school=wereld.school, waarden=nieuw, versie=1, door=wereld.directie)
    gegeven.refresh_from_db()
    assert gegeven.stiptheid.label == "prima"
    assert SodaWaarde.objects.get(pk=w["2"].pk).is_laag is False


# --- the periods -------------------------------------------------------------------


def test_periods_are_ordered_by_their_dates_whatever_order_they_are_added_in(wereld):
    jaar = wereld.schooljaar
    soda_periode_toevoegen(
        schooljaar=jaar,
        naam="Paasrapport",
        begin=in_jaar(jaar, 1, 5),
        einde=in_jaar(jaar, 3, 31),
        door=wereld.zorgcoordinator,
    )
    soda_periode_toevoegen(
        schooljaar=jaar,
        naam="Kerstrapport",
        begin=in_jaar(jaar, 9, 1),
        einde=in_jaar(jaar, 12, 22),
        door=wereld.zorgcoordinator,
    )
    assert list(
        SodaPeriode.objects.filter(schooljaar=jaar).order_by("volgorde").values_list("naam")
    ) == [("Kerstrapport",), ("Paasrapport",)]
    assert AuditEvent.objects.filter(onderwerp="soda-periode", actie="aanmaken").count() == 2


@pytest.mark.parametrize(
    ("begin", "einde", "bericht"),
    [
        ((12, 1), (1, 15), "overlapt met Kerstrapport"),
        ((3, 1), (2, 1), "voor het begin"),
        ((7, 1), (9, 15), "binnen het schooljaar"),
    ],
)
def test_a_period_that_overlaps_or_runs_backwards_or_leaves_the_year_is_refused(
    wereld, begin, einde, bericht
):
    jaar = wereld.schooljaar
    perioden_maken(jaar)
    eind_jaar = jaar.begin.year + 1 if einde[0] < 9 else jaar.begin.year
    begin_datum = in_jaar(jaar, *begin)
    einde_datum = datetime.date(eind_jaar + (1 if begin == (7, 1) else 0), *einde)
    with pytest.raises(ValidationError, match=bericht):
        soda_periode_toevoegen(
            schooljaar=jaar, naam="Extra", begin=begin_datum, einde=einde_datum, door=None
        )


def test_a_period_with_a_name_the_year_has_is_refused(wereld):
    jaar = wereld.schooljaar
    perioden_maken(jaar)
    with pytest.raises(ValidationError, match="al een periode met die naam"):
        soda_periode_toevoegen(
            schooljaar=jaar,
            naam="kerstrapport",
            begin=in_jaar(jaar, 7, 1),
            einde=in_jaar(jaar, 7, 2),
            door=None,
        )


def test_renaming_a_period_renames_its_timeline_entries(wereld, in_het_voorjaar):
    w = waarden(wereld.school)
    kerst = perioden_maken(wereld.schooljaar)[0]
    soda_score_bewaren(
        leerling=wereld.leerling_a,
        periode=kerst,
        lesopdracht=_lesopdracht(wereld),
        waarden={"orde": w["3"]},
        door=wereld.leerkracht,
    )
    soda_periode_wijzigen(
        periode=kerst,
        versie=kerst.versie,
        naam="Rapport 1",
        begin=kerst.begin,
        einde=kerst.einde,
        door=wereld.zorgcoordinator,
    )
    assert TijdlijnItem.objects.get(soort="soda").titel.startswith("SODA Rapport 1:")


def test_an_edit_of_a_period_from_an_old_version_is_refused(wereld):
    kerst = perioden_maken(wereld.schooljaar)[0]
    soda_periode_wijzigen(
        periode=kerst, versie=1, naam="Rapport 1", begin=kerst.begin, einde=kerst.einde, door=None
    )
    with pytest.raises(VerouderdeVersie):
        soda_periode_wijzigen(
            periode=kerst, versie=1, naam="Rapport A", begin=kerst.begin, einde=kerst.einde,
            door=None,
        )  # fmt: skip


# --- the scores --------------------------------------------------------------------


def test_the_first_score_of_a_period_writes_one_timeline_entry_that_later_scores_update(
    wereld, in_het_voorjaar
):
    w = waarden(wereld.school)
    kerst = perioden_maken(wereld.schooljaar)[0]
    lesopdracht = _lesopdracht(wereld)
    for criterium, code in (("stiptheid", "3"), ("orde", "2"), ("discipline", "3")):
        soda_score_bewaren(
            leerling=wereld.leerling_a,
            periode=kerst,
            lesopdracht=lesopdracht,
            waarden={criterium: w[code]},
            door=wereld.leerkracht,
        )
    tweede = f.LesopdrachtFactory(
        klas=wereld.klas_a, vak=f.VakFactory(school=wereld.school, naam="Frans")
    )
    soda_score_bewaren(
        leerling=wereld.leerling_a,
        periode=kerst,
        lesopdracht=tweede,
        waarden={"orde": w["1"]},
        door=tweede.leerkracht,
    )
    item = TijdlijnItem.objects.get(leerling=wereld.leerling_a, soort=TijdlijnItem.Soort.SODA)
    assert item.zichtbaarheid == Zichtbaarheid.KLASTEAM
    # Orde: 1 (Frans) and 2 (Wiskunde): the lower median is 1, and low.
    assert item.titel == "SODA Kerstrapport: S 3 · O 1 · D 3 · A –"
    assert "Laag in orde" in item.tekst
    assert item.datum == kerst.einde


def test_each_saved_cell_is_audited_with_the_columns_it_changed(wereld, in_het_voorjaar):
    w = waarden(wereld.school)
    kerst = perioden_maken(wereld.schooljaar)[0]
    soda_score_bewaren(
        leerling=wereld.leerling_a,
        periode=kerst,
        lesopdracht=_lesopdracht(wereld),
        waarden={"attitude": w["4"]},
        door=wereld.leerkracht,
    )
    event = AuditEvent.objects.get(onderwerp="soda")
    assert (event.leerling_id, event.actie, event.velden) == (
        wereld.leerling_a.pk,
        "aanmaken",
        ["attitude"],
    )
    assert "4" not in event.omschrijving


def test_saving_the_same_value_again_writes_nothing(wereld, in_het_voorjaar):
    w = waarden(wereld.school)
    kerst = perioden_maken(wereld.schooljaar)[0]
    kwargs = {
        "leerling": wereld.leerling_a,
        "periode": kerst,
        "lesopdracht": _lesopdracht(wereld),
        "waarden": {"orde": w["3"]},
        "door": wereld.leerkracht,
    }
    assert soda_score_bewaren(**kwargs) is not None
    assert soda_score_bewaren(**kwargs) is None
    assert AuditEvent.objects.filter(onderwerp="soda").count() == 1


def test_a_value_of_another_schools_scale_is_refused(wereld, in_het_voorjaar):
    ander = waarden(wereld.school2)
    kerst = perioden_maken(wereld.schooljaar)[0]
    with pytest.raises(ValidationError, match="schaal van de school"):
        soda_score_bewaren(
            leerling=wereld.leerling_a,
            periode=kerst,
            lesopdracht=_lesopdracht(wereld),
            waarden={"orde": ander["3"]},
            door=wereld.leerkracht,
        )
    assert not SodaScore.objects.exists()


def test_a_student_of_another_class_cannot_be_scored_through_this_assignment(
    wereld, in_het_voorjaar
):
    w = waarden(wereld.school)
    kerst = perioden_maken(wereld.schooljaar)[0]
    with pytest.raises(ValidationError, match="zit niet"):
        soda_score_bewaren(
            leerling=wereld.leerling_b,
            periode=kerst,
            lesopdracht=_lesopdracht(wereld),
            waarden={"orde": w["3"]},
            door=wereld.leerkracht,
        )


def test_a_period_that_has_not_begun_cannot_be_scored(wereld, in_het_voorjaar):
    w = waarden(wereld.school)
    eind = perioden_maken(wereld.schooljaar)[2]
    with pytest.raises(ValidationError, match="begint pas op"):
        soda_score_bewaren(
            leerling=wereld.leerling_a,
            periode=eind,
            lesopdracht=_lesopdracht(wereld),
            waarden={"orde": w["3"]},
            door=wereld.leerkracht,
        )


def test_the_whole_grid_saves_every_changed_student_at_once(wereld, in_het_voorjaar):
    w = waarden(wereld.school)
    kerst = perioden_maken(wereld.schooljaar)[0]
    tweede = f.leerling_in(wereld.klas_a, voornaam="Jonas", achternaam="Maes")
    aantal = soda_scores_bewaren(
        periode=kerst,
        lesopdracht=_lesopdracht(wereld),
        wijzigingen={
            wereld.leerling_a: {"orde": w["3"]},
            tweede: {"orde": w["2"], "attitude": w["4"]},
        },
        door=wereld.leerkracht,
    )
    assert aantal == 2
    assert TijdlijnItem.objects.filter(soort="soda").count() == 2


# --- the summary -------------------------------------------------------------------


def test_half_or_more_low_scores_in_a_criterion_makes_the_period_low(wereld):
    w = waarden(wereld.school)
    kerst = perioden_maken(wereld.schooljaar)[0]
    opdrachten = [
        f.LesopdrachtFactory(klas=wereld.klas_a, vak=f.VakFactory(school=wereld.school, naam=vak))
        for vak in ("Frans", "Engels", "Geschiedenis", "Biologie")
    ]
    # Orde: 2, 2, 3, 4 (half low: the lower median 2 is low); the rest good.
    for opdracht, orde in zip(opdrachten, "2234", strict=True):
        score(wereld.leerling_a, kerst, opdracht, w["3"], orde=w[orde])
    # Leerling b (3B): attitude 1, 3, 4 (a third low): not low.
    opdrachten_b = [
        f.LesopdrachtFactory(klas=wereld.klas_b, vak=f.VakFactory(school=wereld.school, naam=vak))
        for vak in ("Frans", "Engels", "Geschiedenis")
    ]
    for opdracht, attitude in zip(opdrachten_b, "134", strict=True):
        score(wereld.leerling_b, kerst, opdracht, w["3"], attitude=w[attitude])
    laag = {(r["leerling_id"], r["periode_id"]) for r in laag_in_periode(SodaScore.objects.all())}
    assert laag == {(wereld.leerling_a.pk, kerst.pk)}
    overzicht = samenvattingen(SodaScore.objects.all(), [kerst], schaalwaarden([wereld.school.pk]))
    a = overzicht[(wereld.leerling_a.pk, kerst.pk)]
    assert (a.kolommen["orde"].mediaan.code, a.laag, a.lage_criteria) == ("2", True, ["orde"])
    b = overzicht[(wereld.leerling_b.pk, kerst.pk)]
    assert (b.kolommen["attitude"].mediaan.code, b.laag) == ("3", False)


# --- two saves of the same cell ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_cell_at_once_make_one_row_one_entry_and_the_last_wins(
    wereld, in_het_voorjaar
):
    w = waarden(wereld.school)
    kerst = perioden_maken(wereld.schooljaar)[0]
    lesopdracht = _lesopdracht(wereld)
    start = threading.Barrier(2)
    fouten = []

    def bewaren(code):
        try:
            start.wait()
            soda_score_bewaren(
                leerling=wereld.leerling_a,
                periode=kerst,
                lesopdracht=lesopdracht,
                waarden={"orde": w[code]},
                door=wereld.leerkracht,
            )
        except Exception as exc:
            fouten.append(exc)
        finally:
            connection.close()

    draden = [threading.Thread(target=bewaren, args=(code,)) for code in ("2", "3")]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join()
    assert not fouten
    rij = SodaScore.objects.get()
    assert rij.orde.code in {"2", "3"}
    assert TijdlijnItem.objects.filter(soort="soda").count() == 1
    # The entry shows the value saved last, whichever that was.
    assert f"O {rij.orde.code}" in TijdlijnItem.objects.get(soort="soda").titel


# The day a period begins is the school's (Brussels) day: an hour past
# midnight there is still the day before in UTC, in winter and on leap day.
@pytest.mark.parametrize(
    ("jaar", "begin", "net_ervoor", "net_erna"),
    [
        (2026, datetime.date(2027, 1, 1), (2026, 12, 31, 22, 30), (2026, 12, 31, 23, 30)),
        (2027, datetime.date(2028, 2, 29), (2028, 2, 28, 22, 30), (2028, 2, 28, 23, 30)),
    ],
    ids=["new-year", "leap-day"],
)
def test_a_period_can_be_scored_from_its_first_day_in_brussels(
    db, jaar, begin, net_ervoor, net_erna
):
    with time_machine.travel(datetime.datetime(*net_ervoor, tzinfo=datetime.UTC)):
        schooljaar = f.SchooljaarFactory(begin=datetime.date(jaar, 9, 1))
        periode = SodaPeriode.objects.create(
            schooljaar=schooljaar, naam="Winter", begin=begin, einde=begin, volgorde=1
        )
        klas = f.KlasFactory(schooljaar=schooljaar)
        leerling = f.leerling_in(klas)
        opdracht = f.LesopdrachtFactory(klas=klas)
        w = waarden(schooljaar.school)
        kwargs = {
            "leerling": leerling,
            "periode": periode,
            "lesopdracht": opdracht,
            "door": opdracht.leerkracht,
        }
        # 23:30 in Brussels: the day before, the period has not begun.
        with pytest.raises(ValidationError, match=f"begint pas op {begin:%d/%m/%Y}"):
            soda_score_bewaren(waarden={"orde": w["4"]}, **kwargs)
    with time_machine.travel(datetime.datetime(*net_erna, tzinfo=datetime.UTC)):
        # 00:30 in Brussels: its first day.
        assert soda_score_bewaren(waarden={"orde": w["3"]}, **kwargs) is not None
