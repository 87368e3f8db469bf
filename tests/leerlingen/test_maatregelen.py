"""Measures (maatregelen): the services and their rules, the pages, who sees
what, the catalogue, and two people editing one measure."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse

from leerlingen import domeinen
from leerlingen.models import (
    Bereik,
    Maatregel,
    MaatregelCatalogusItem,
    MaatregelEvaluatie,
    MaatregelSoort,
    TijdlijnItem,
    Zichtbaarheid,
)
from leerlingen.services.maatregelen import (
    MaatregelGegevens,
    catalogus_item_maken,
    maatregel_evalueren,
    maatregel_maken,
    maatregel_stoppen,
    maatregel_wijzigen,
)
from tests import factories as f
from tests.clb.factories import aanmelding
from tests.leerlingen.factories_maatregelen import CatalogusItemFactory, MaatregelFactory
from zorg.audit.models import Actie, AuditEvent
from zorg.versies import VerouderdeVersie

VANDAAG = datetime.date.today()
DAG = datetime.timedelta(days=1)


def _gegevens(**kwargs) -> MaatregelGegevens:
    waarden = {
        "soort": MaatregelSoort.COMPENSEREND,
        "titel": "Laptop met voorleessoftware",
        "omschrijving": "Bij lange teksten en toetsen.",
        "domeinen": domeinen.LEREN,
        "bereik": Bereik.ALLE_VAKKEN,
        "begin": VANDAAG - 7 * DAG,
        "evaluatiedatum": VANDAAG + 60 * DAG,
        "beslist_waar": "begeleidende klassenraad",
    }
    waarden.update(kwargs)
    return MaatregelGegevens(**waarden)


def _maak(wereld, **kwargs) -> Maatregel:
    return maatregel_maken(
        leerling=wereld.leerling_a, gegevens=_gegevens(**kwargs), door=wereld.zorgcoordinator
    )


def _post_data(**kwargs) -> dict:
    data = {
        "soort": MaatregelSoort.DISPENSEREND,
        "titel": "Geen quotering voor spelling",
        "omschrijving": "Spelfouten tellen niet mee, behalve bij Nederlands.",
        "domeinen": [str(domeinen.LEREN)],
        "bereik": Bereik.ALLE_VAKKEN,
        "begin": (VANDAAG - 2 * DAG).isoformat(),
        "einde": "",
        "evaluatiedatum": (VANDAAG + 30 * DAG).isoformat(),
        "beslist_waar": "oudergesprek",
        "stem_leerling": "Lotte vindt het een opluchting.",
        "status": Maatregel.Status.ACTIEF,
        "sleutel": str(uuid.uuid4()),
    }
    data.update(kwargs)
    return data


def _fout(exc: ValidationError, veld: str) -> str:
    return " ".join(exc.message_dict[veld])


def _url(naam, maatregel):
    return reverse(f"leerlingen:{naam}", args=[maatregel.leerling_id, maatregel.pk])


# --- services: making ----------------------------------------------------------


def test_an_active_measure_is_recorded_with_a_class_team_timeline_entry_and_an_audit_event(
    wereld,
):
    maatregel = _maak(wereld, status=Maatregel.Status.ACTIEF)

    assert maatregel.beslist_door == wereld.zorgcoordinator
    assert maatregel.versie == 1
    item = TijdlijnItem.objects.get(bron_type="leerlingen.maatregel", bron_id=maatregel.pk)
    assert item.soort == TijdlijnItem.Soort.MAATREGEL
    assert item.zichtbaarheid == Zichtbaarheid.KLASTEAM
    assert item.titel == "Compenserend: Laptop met voorleessoftware"
    assert item.datum == maatregel.begin
    assert item.url == _url("maatregel_detail", maatregel)
    event = AuditEvent.objects.get(onderwerp="maatregel", actie=Actie.AANMAKEN)
    assert event.leerling_id == wereld.leerling_a.pk


def test_a_proposed_measure_reaches_only_the_care_team_on_the_timeline(wereld):
    maatregel = _maak(wereld, status=Maatregel.Status.VOORGESTELD)

    item = TijdlijnItem.objects.get(bron_type="leerlingen.maatregel", bron_id=maatregel.pk)
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM


def test_an_evaluation_date_before_the_start_is_refused_and_nothing_is_saved(wereld):
    with pytest.raises(ValidationError) as exc:
        _maak(wereld, evaluatiedatum=VANDAAG - 8 * DAG)

    assert _fout(exc.value, "evaluatiedatum") == "De evaluatiedatum ligt vóór de startdatum."
    assert not Maatregel.objects.exists()
    assert not TijdlijnItem.objects.exists()
    assert not AuditEvent.objects.filter(onderwerp="maatregel").exists()


def test_an_end_before_the_start_is_refused(wereld):
    with pytest.raises(ValidationError) as exc:
        _maak(wereld, einde=VANDAAG - 8 * DAG)
    assert _fout(exc.value, "einde") == "De einddatum ligt vóór de startdatum."


def test_an_empty_title_is_refused(wereld):
    with pytest.raises(ValidationError) as exc:
        _maak(wereld, titel="   ")
    assert _fout(exc.value, "titel") == "Geef de maatregel een titel."
    assert not Maatregel.objects.exists()


def test_chosen_subjects_need_at_least_one_subject(wereld):
    with pytest.raises(ValidationError) as exc:
        _maak(wereld, bereik=Bereik.GEKOZEN_VAKKEN, vakken=())
    assert "minstens één vak" in _fout(exc.value, "vakken")


def test_a_subject_of_another_school_is_refused(wereld):
    frans_elders = f.VakFactory(school=wereld.school2, naam="Frans")
    with pytest.raises(ValidationError) as exc:
        _maak(wereld, bereik=Bereik.GEKOZEN_VAKKEN, vakken=(frans_elders,))
    assert _fout(exc.value, "vakken") == "Kies enkel vakken van de school van de leerling."
    assert not Maatregel.objects.exists()


def test_chosen_subjects_are_kept_and_dropped_for_another_scope(wereld):
    frans = f.VakFactory(school=wereld.school, naam="Frans")
    gekozen = _maak(wereld, bereik=Bereik.GEKOZEN_VAKKEN, vakken=(frans,))
    alle = _maak(wereld, titel="Rekenkaart gebruiken", vakken=(frans,))

    assert list(gekozen.vakken.all()) == [frans]
    assert list(alle.vakken.all()) == []


def test_parents_agreement_needs_its_date(wereld):
    with pytest.raises(ValidationError) as exc:
        _maak(wereld, ouders_akkoord=True, ouders_akkoord_op=None)
    assert _fout(exc.value, "ouders_akkoord_op") == (
        "Vul de datum in waarop de ouders akkoord gingen."
    )

    zonder = _maak(wereld, ouders_akkoord=False, ouders_akkoord_op=VANDAAG)
    assert zonder.ouders_akkoord_op is None


def test_a_new_measure_cannot_start_ended(wereld):
    with pytest.raises(ValidationError) as exc:
        _maak(wereld, status=Maatregel.Status.GESTOPT, einde=VANDAAG)
    assert "status" in exc.value.message_dict


def test_a_catalogue_item_of_another_school_is_not_recorded(wereld):
    eigen = CatalogusItemFactory(school=wereld.school)
    vreemd = CatalogusItemFactory(school=wereld.school2)

    met_eigen = maatregel_maken(
        leerling=wereld.leerling_a,
        gegevens=_gegevens(),
        catalogus_item=eigen,
        door=wereld.zorgcoordinator,
    )
    met_vreemd = maatregel_maken(
        leerling=wereld.leerling_a,
        gegevens=_gegevens(),
        catalogus_item=vreemd,
        door=wereld.zorgcoordinator,
    )
    assert met_eigen.catalogus_item == eigen
    assert met_vreemd.catalogus_item is None


# --- services: evaluating and stopping -----------------------------------------


def test_continuing_after_an_evaluation_sets_the_next_evaluation_date_and_keeps_it_active(wereld):
    maatregel = _maak(wereld)
    volgende = VANDAAG + 90 * DAG

    evaluatie = maatregel_evalueren(
        maatregel=maatregel,
        datum=VANDAAG,
        effect=MaatregelEvaluatie.Effect.WERKT_DEELS,
        notities="Helpt bij Frans, minder bij wiskunde.",
        beslissing=MaatregelEvaluatie.Beslissing.VERDERZETTEN,
        volgende_evaluatie=volgende,
        door=wereld.zorgcoordinator,
    )

    maatregel.refresh_from_db()
    assert maatregel.status == Maatregel.Status.ACTIEF
    assert maatregel.evaluatiedatum == volgende
    assert maatregel.einde is None
    assert maatregel.versie == 2
    item = TijdlijnItem.objects.get(bron_type="leerlingen.maatregelevaluatie")
    assert item.bron_id == evaluatie.pk
    assert item.soort == TijdlijnItem.Soort.EVALUATIE
    # The notes are the care team's, not the class team's.
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    assert "Helpt bij Frans" in item.tekst
    assert AuditEvent.objects.filter(onderwerp="maatregelevaluatie").count() == 1


@pytest.mark.parametrize("beslissing", ["verderzetten", "aanpassen"])
def test_a_measure_that_goes_on_needs_the_next_evaluation_date(wereld, beslissing):
    maatregel = _maak(wereld)
    with pytest.raises(ValidationError) as exc:
        maatregel_evalueren(
            maatregel=maatregel,
            datum=VANDAAG,
            effect=MaatregelEvaluatie.Effect.WERKT,
            beslissing=beslissing,
            volgende_evaluatie=None,
            door=wereld.zorgcoordinator,
        )
    assert "volgende evaluatie" in _fout(exc.value, "volgende_evaluatie")
    assert not MaatregelEvaluatie.objects.exists()


def test_the_next_evaluation_lies_after_this_one(wereld):
    maatregel = _maak(wereld)
    with pytest.raises(ValidationError) as exc:
        maatregel_evalueren(
            maatregel=maatregel,
            datum=VANDAAG,
            effect=MaatregelEvaluatie.Effect.WERKT,
            beslissing=MaatregelEvaluatie.Beslissing.AANPASSEN,
            volgende_evaluatie=VANDAAG,
            door=wereld.zorgcoordinator,
        )
    assert "volgende_evaluatie" in exc.value.message_dict


def test_an_evaluation_before_the_start_is_refused(wereld):
    maatregel = _maak(wereld)
    with pytest.raises(ValidationError) as exc:
        maatregel_evalueren(
            maatregel=maatregel,
            datum=maatregel.begin - DAG,
            effect=MaatregelEvaluatie.Effect.WERKT,
            beslissing=MaatregelEvaluatie.Beslissing.STOPPEN,
            door=wereld.zorgcoordinator,
        )
    assert "vóór de startdatum" in _fout(exc.value, "datum")


def test_stopping_after_an_evaluation_ends_the_measure_on_the_evaluation_date(wereld):
    maatregel = _maak(wereld)
    datum = VANDAAG - DAG

    maatregel_evalueren(
        maatregel=maatregel,
        datum=datum,
        effect=MaatregelEvaluatie.Effect.WERKT,
        notities="Doel bereikt.",
        beslissing=MaatregelEvaluatie.Beslissing.STOPPEN,
        volgende_evaluatie=VANDAAG + 30 * DAG,
        door=wereld.zorgcoordinator,
    )

    maatregel.refresh_from_db()
    assert maatregel.status == Maatregel.Status.GEEVALUEERD
    assert maatregel.einde == datum
    assert not Maatregel.objects.actief().exists()
    assert MaatregelEvaluatie.objects.get().volgende_evaluatie is None
    # The class team learns it no longer applies; the notes stay the care team's.
    entries = TijdlijnItem.objects.order_by("pk")
    assert [(e.soort, e.zichtbaarheid) for e in entries] == [
        ("maatregel", "klasteam"),
        ("evaluatie", "zorgteam"),
        ("maatregel", "klasteam"),
    ]
    assert "Doel bereikt" not in entries[2].tekst


def test_a_proposed_measure_cannot_be_evaluated(wereld):
    maatregel = _maak(wereld, status=Maatregel.Status.VOORGESTELD)
    with pytest.raises(ValidationError, match="Enkel een actieve maatregel"):
        maatregel_evalueren(
            maatregel=maatregel,
            datum=VANDAAG,
            effect=MaatregelEvaluatie.Effect.WERKT,
            beslissing=MaatregelEvaluatie.Beslissing.STOPPEN,
            door=wereld.zorgcoordinator,
        )


def test_stopping_without_evaluation_needs_a_reason_and_marks_it_stopped(wereld):
    maatregel = _maak(wereld)
    with pytest.raises(ValidationError) as exc:
        maatregel_stoppen(maatregel=maatregel, datum=VANDAAG, reden="  ", door=wereld.directie)
    assert "reden" in exc.value.message_dict

    maatregel_stoppen(
        maatregel=maatregel,
        datum=VANDAAG,
        reden="De leerling verliet de school.",
        door=wereld.directie,
    )
    maatregel.refresh_from_db()
    assert maatregel.status == Maatregel.Status.GESTOPT
    assert maatregel.einde == VANDAAG
    laatste = TijdlijnItem.objects.order_by("-pk").first()
    assert laatste.zichtbaarheid == Zichtbaarheid.KLASTEAM
    assert "verliet de school" in laatste.tekst
    with pytest.raises(ValidationError, match="al afgesloten"):
        maatregel_stoppen(
            maatregel=maatregel, datum=VANDAAG, reden="nog eens", door=wereld.directie
        )


def test_a_proposal_dropped_before_its_start_ends_on_its_planned_start_for_the_care_team_only(
    wereld,
):
    maatregel = _maak(
        wereld,
        status=Maatregel.Status.VOORGESTELD,
        begin=VANDAAG + 10 * DAG,
        evaluatiedatum=VANDAAG + 40 * DAG,
    )
    maatregel_stoppen(
        maatregel=maatregel,
        datum=VANDAAG,
        reden="De ouders gingen niet akkoord.",
        door=wereld.zorgcoordinator,
    )
    maatregel.refresh_from_db()
    assert maatregel.status == Maatregel.Status.GESTOPT
    assert maatregel.einde == maatregel.begin
    assert set(TijdlijnItem.objects.values_list("zichtbaarheid", flat=True)) == {"zorgteam"}


# --- services: the evaluation deadline (termijn) ------------------------------


def test_a_new_measure_keeps_its_evaluation_date_as_deadline(wereld):
    m = _maak(wereld, evaluatiedatum=VANDAAG + 30 * DAG)
    assert m.evaluatietermijn == VANDAAG + 30 * DAG


def test_moving_the_planned_date_of_an_active_measure_leaves_the_deadline(wereld):
    m = _maak(wereld, evaluatiedatum=VANDAAG + 30 * DAG)
    m = maatregel_wijzigen(
        maatregel_id=m.pk,
        versie=m.versie,
        gegevens=_gegevens(evaluatiedatum=VANDAAG + 50 * DAG),
        door=wereld.zorgcoordinator,
    )
    assert (m.evaluatiedatum, m.evaluatietermijn) == (VANDAAG + 50 * DAG, VANDAAG + 30 * DAG)


def test_a_proposal_is_still_being_planned_its_deadline_follows_until_it_starts(wereld):
    m = _maak(wereld, evaluatiedatum=VANDAAG + 30 * DAG, status="voorgesteld")
    m = maatregel_wijzigen(
        maatregel_id=m.pk,
        versie=m.versie,
        gegevens=_gegevens(evaluatiedatum=VANDAAG + 40 * DAG, status="actief"),
        door=wereld.zorgcoordinator,
    )
    assert m.evaluatietermijn == VANDAAG + 40 * DAG
    m = maatregel_wijzigen(
        maatregel_id=m.pk,
        versie=m.versie,
        gegevens=_gegevens(evaluatiedatum=VANDAAG + 60 * DAG, status="actief"),
        door=wereld.zorgcoordinator,
    )
    assert (m.evaluatiedatum, m.evaluatietermijn) == (VANDAAG + 60 * DAG, VANDAAG + 40 * DAG)


def test_an_evaluation_keeps_the_deadline_it_answered_and_sets_the_next(wereld):
    m = _maak(wereld, evaluatiedatum=VANDAAG - DAG)
    m = maatregel_wijzigen(
        maatregel_id=m.pk,
        versie=m.versie,
        gegevens=_gegevens(evaluatiedatum=VANDAAG + 10 * DAG),
        door=wereld.zorgcoordinator,
    )
    e = maatregel_evalueren(
        maatregel=m,
        datum=VANDAAG,
        effect="werkt",
        beslissing="verderzetten",
        volgende_evaluatie=VANDAAG + 30 * DAG,
        door=wereld.zorgcoordinator,
    )
    # Late against its deadline, though before the moved date.
    assert e.termijn == VANDAAG - DAG
    m.refresh_from_db()
    assert (m.evaluatiedatum, m.evaluatietermijn) == (VANDAAG + 30 * DAG, VANDAAG + 30 * DAG)
    e2 = maatregel_evalueren(
        maatregel=m,
        datum=VANDAAG,
        effect="werkt",
        beslissing="stoppen",
        door=wereld.zorgcoordinator,
    )
    assert e2.termijn == VANDAAG + 30 * DAG


# --- services: editing and concurrency ------------------------------------------


def test_two_edits_from_the_same_version_the_second_is_refused_and_the_first_stays(wereld):
    maatregel = _maak(wereld)
    versie = maatregel.versie

    maatregel_wijzigen(
        maatregel_id=maatregel.pk,
        versie=versie,
        gegevens=_gegevens(titel="Extra tijd bij toetsen", status=Maatregel.Status.ACTIEF),
        door=wereld.zorgcoordinator,
    )
    with pytest.raises(VerouderdeVersie) as exc:
        maatregel_wijzigen(
            maatregel_id=maatregel.pk,
            versie=versie,
            gegevens=_gegevens(titel="Vergrote kopieën", status=Maatregel.Status.ACTIEF),
            door=wereld.directie,
        )

    assert exc.value.huidig.titel == "Extra tijd bij toetsen"
    maatregel.refresh_from_db()
    assert maatregel.titel == "Extra tijd bij toetsen"
    assert maatregel.versie == versie + 1
    assert AuditEvent.objects.filter(onderwerp="maatregel", actie=Actie.WIJZIGEN).count() == 1


def test_the_version_guard_is_the_update_itself(wereld, monkeypatch):
    """A save by someone else between reading the measure and writing it is
    caught by the conditional UPDATE, not only by the first check."""
    from leerlingen.services import maatregelen as service

    maatregel = _maak(wereld)
    gelezen = service._huidige_waarden

    def intussen_bewaard(m):
        Maatregel.objects.filter(pk=m.pk).update(versie=F("versie") + 1, titel="Van de directie")
        return gelezen(m)

    monkeypatch.setattr(service, "_huidige_waarden", intussen_bewaard)
    with pytest.raises(VerouderdeVersie) as exc:
        maatregel_wijzigen(
            maatregel_id=maatregel.pk,
            versie=1,
            gegevens=_gegevens(titel="Van de zorgcoördinator"),
            door=wereld.zorgcoordinator,
        )
    # (The other save ran inside this test's transaction, so the refusal
    # rolls it back too; what counts is what the UPDATE found.)
    assert (exc.value.huidig.titel, exc.value.huidig.versie) == ("Van de directie", 2)


def test_an_edit_begun_before_an_evaluation_is_refused(wereld):
    maatregel = _maak(wereld)
    versie = maatregel.versie
    maatregel_evalueren(
        maatregel=maatregel,
        datum=VANDAAG,
        effect=MaatregelEvaluatie.Effect.WERKT_NIET,
        beslissing=MaatregelEvaluatie.Beslissing.STOPPEN,
        door=wereld.zorgcoordinator,
    )
    with pytest.raises(VerouderdeVersie):
        maatregel_wijzigen(
            maatregel_id=maatregel.pk,
            versie=versie,
            gegevens=_gegevens(status=Maatregel.Status.ACTIEF),
            door=wereld.directie,
        )
    maatregel.refresh_from_db()
    assert maatregel.status == Maatregel.Status.GEEVALUEERD


def test_an_edit_updates_the_timeline_title_and_audits_the_changed_fields(wereld):
    maatregel = _maak(wereld)
    maatregel_wijzigen(
        maatregel_id=maatregel.pk,
        versie=maatregel.versie,
        gegevens=_gegevens(
            titel="Voorleessoftware op de laptop",
            domeinen=domeinen.LEREN | domeinen.PSYCHOSOCIAAL,
            status=Maatregel.Status.ACTIEF,
        ),
        door=wereld.zorgcoordinator,
    )
    item = TijdlijnItem.objects.get(bron_type="leerlingen.maatregel")
    assert item.titel == "Compenserend: Voorleessoftware op de laptop"
    assert item.domeinen == domeinen.LEREN | domeinen.PSYCHOSOCIAAL
    event = AuditEvent.objects.get(onderwerp="maatregel", actie=Actie.WIJZIGEN)
    assert set(event.velden) == {"titel", "domeinen"}


def test_starting_a_proposal_by_editing_it_tells_the_class_team(wereld):
    maatregel = _maak(wereld, status=Maatregel.Status.VOORGESTELD)
    maatregel_wijzigen(
        maatregel_id=maatregel.pk,
        versie=maatregel.versie,
        gegevens=_gegevens(status=Maatregel.Status.ACTIEF),
        door=wereld.zorgcoordinator,
    )
    assert list(TijdlijnItem.objects.order_by("pk").values_list("zichtbaarheid", flat=True)) == [
        "zorgteam",
        "klasteam",
    ]
    assert Maatregel.objects.actief().filter(pk=maatregel.pk).exists()


def test_an_active_measure_cannot_go_back_to_proposed(wereld):
    maatregel = _maak(wereld)
    with pytest.raises(ValidationError) as exc:
        maatregel_wijzigen(
            maatregel_id=maatregel.pk,
            versie=maatregel.versie,
            gegevens=_gegevens(status=Maatregel.Status.VOORGESTELD),
            door=wereld.zorgcoordinator,
        )
    assert "status" in exc.value.message_dict
    maatregel.refresh_from_db()
    assert maatregel.status == Maatregel.Status.ACTIEF
    assert maatregel.versie == 1


def test_an_edit_breaking_a_rule_changes_nothing(wereld):
    maatregel = _maak(wereld)
    with pytest.raises(ValidationError):
        maatregel_wijzigen(
            maatregel_id=maatregel.pk,
            versie=maatregel.versie,
            gegevens=_gegevens(titel="Nieuw", evaluatiedatum=VANDAAG - 30 * DAG),
            door=wereld.zorgcoordinator,
        )
    maatregel.refresh_from_db()
    assert (maatregel.titel, maatregel.versie) == ("Laptop met voorleessoftware", 1)


# --- pages: making -------------------------------------------------------------


def test_care_coordinator_records_a_measure_through_the_form(wereld, client_voor):
    item = CatalogusItemFactory(school=wereld.school)
    client = client_voor(wereld.zorgcoordinator)
    response = client.post(
        reverse("leerlingen:maatregel_nieuw", args=[wereld.leerling_a.pk]),
        _post_data(
            catalogus_item=str(item.pk), ouders_akkoord="on", ouders_akkoord_op=VANDAAG.isoformat()
        ),
    )
    maatregel = Maatregel.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("maatregel_detail", maatregel)
    assert maatregel.titel == "Geen quotering voor spelling"
    assert maatregel.catalogus_item == item
    assert maatregel.ouders_akkoord_op == VANDAAG
    assert maatregel.stem_leerling == "Lotte vindt het een opluchting."
    assert maatregel.beslist_door == wereld.zorgcoordinator


def test_an_evaluation_date_before_the_start_shows_a_dutch_message_and_saves_nothing(
    wereld, client_voor
):
    response = client_voor(wereld.zorgcoordinator).post(
        reverse("leerlingen:maatregel_nieuw", args=[wereld.leerling_a.pk]),
        _post_data(evaluatiedatum=(VANDAAG - 10 * DAG).isoformat()),
    )
    assert response.status_code == 200
    assert "De evaluatiedatum ligt vóór de startdatum." in response.content.decode()
    assert response.context["form"].errors["evaluatiedatum"]
    assert not Maatregel.objects.exists()


def test_a_subject_of_another_school_in_the_form_is_a_form_error(wereld, client_voor):
    frans_elders = f.VakFactory(school=wereld.school2, naam="Frans")
    response = client_voor(wereld.zorgcoordinator).post(
        reverse("leerlingen:maatregel_nieuw", args=[wereld.leerling_a.pk]),
        _post_data(bereik=Bereik.GEKOZEN_VAKKEN, vakken=[str(frans_elders.pk)]),
    )
    assert response.status_code == 200
    assert "Kies enkel vakken van de school van de leerling." in response.content.decode()
    assert not Maatregel.objects.exists()


def test_chosen_subjects_without_a_subject_are_refused_in_the_form(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        reverse("leerlingen:maatregel_nieuw", args=[wereld.leerling_a.pk]),
        _post_data(bereik=Bereik.GEKOZEN_VAKKEN),
    )
    assert response.context["form"].errors["vakken"]
    assert not Maatregel.objects.exists()


def test_garbage_input_gives_messages_not_an_error(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        reverse("leerlingen:maatregel_nieuw", args=[wereld.leerling_a.pk]),
        _post_data(
            begin="31-02-2026",
            domeinen=["99"],
            soort="x" * 500,
            catalogus_item="abc",
            titel="\x00",
        ),
    )
    assert response.status_code == 200
    assert not Maatregel.objects.exists()


def test_picking_a_catalogue_item_fills_the_new_measure_form(wereld, client_voor):
    item = CatalogusItemFactory(
        school=wereld.school,
        titel="Extra tijd bij toetsen",
        soort=MaatregelSoort.DISPENSEREND,
        bereik=Bereik.TOETSEN,
        domeinen=domeinen.LEREN | domeinen.GEZONDHEID,
    )
    response = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:maatregel_nieuw", args=[wereld.leerling_a.pk]),
        {"catalogus": item.pk},
    )
    initial = response.context["form"].initial
    assert initial["titel"] == "Extra tijd bij toetsen"
    assert initial["soort"] == MaatregelSoort.DISPENSEREND
    assert initial["bereik"] == Bereik.TOETSEN
    assert initial["domeinen"] == domeinen.LEREN | domeinen.GEZONDHEID
    assert initial["catalogus_item"] == item.pk
    assert 'value="Extra tijd bij toetsen"' in response.content.decode()


def test_with_htmx_picking_a_catalogue_item_returns_only_the_form(wereld, client_voor):
    item = CatalogusItemFactory(school=wereld.school, titel="Rekenkaart gebruiken")
    response = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:maatregel_nieuw", args=[wereld.leerling_a.pk]),
        {"catalogus": item.pk},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="maatregel-formulier">')
    assert 'value="Rekenkaart gebruiken"' in html
    assert "<nav" not in html


@pytest.mark.parametrize("welk", ["andere_school", "niet_meer_aangeboden"])
def test_a_catalogue_item_the_school_does_not_offer_fills_nothing(wereld, client_voor, welk):
    if welk == "andere_school":
        item = CatalogusItemFactory(school=wereld.school2, titel="Van elders")
    else:
        item = CatalogusItemFactory(school=wereld.school, titel="Van vroeger", actief=False)
    response = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:maatregel_nieuw", args=[wereld.leerling_a.pk]),
        {"catalogus": item.pk},
    )
    assert response.status_code == 200
    assert "titel" not in response.context["form"].initial
    assert response.context["keuze"].errors
    assert item.titel not in response.content.decode()


def test_a_posted_catalogue_item_of_another_school_saves_nothing(wereld, client_voor):
    vreemd = CatalogusItemFactory(school=wereld.school2)
    response = client_voor(wereld.zorgcoordinator).post(
        reverse("leerlingen:maatregel_nieuw", args=[wereld.leerling_a.pk]),
        _post_data(catalogus_item=str(vreemd.pk)),
    )
    assert response.status_code == 200
    assert "niet in de catalogus van de school" in response.content.decode()
    assert not Maatregel.objects.exists()


# --- pages: seeing -------------------------------------------------------------


def test_the_page_shows_the_original_deadline_once_the_planned_date_moved(wereld, client_voor):
    m = _maak(wereld, evaluatiedatum=VANDAAG + 30 * DAG)
    client = client_voor(wereld.zorgcoordinator)
    assert 'data-testid="termijn"' not in client.get(_url("maatregel_detail", m)).content.decode()
    m = maatregel_wijzigen(
        maatregel_id=m.pk,
        versie=m.versie,
        gegevens=_gegevens(evaluatiedatum=VANDAAG + 50 * DAG),
        door=wereld.zorgcoordinator,
    )
    html = client.get(_url("maatregel_detail", m)).content.decode()
    termijn = (VANDAAG + 30 * DAG).strftime("%d/%m/%Y")
    assert f"verschoven; oorspronkelijke termijn {termijn}" in html


def test_an_evaluation_after_its_deadline_is_marked_for_the_care_team(wereld, client_voor):
    m = _maak(wereld, evaluatiedatum=VANDAAG - 2 * DAG)
    maatregel_evalueren(
        maatregel=m,
        datum=VANDAAG,
        effect="werkt",
        beslissing="verderzetten",
        volgende_evaluatie=VANDAAG + 30 * DAG,
        door=wereld.zorgcoordinator,
    )
    termijn = (VANDAAG - 2 * DAG).strftime("%d/%m/%Y")
    html = client_voor(wereld.zorgcoordinator).get(_url("maatregel_detail", m)).content.decode()
    assert f"na de termijn van {termijn}" in html


def test_teacher_sees_an_active_measure_but_not_its_evaluations(wereld, client_voor):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a, beslist_door=wereld.zorgcoordinator)
    MaatregelEvaluatie.objects.create(
        maatregel=maatregel,
        datum=VANDAAG,
        effect="werkt_deels",
        notities="Vertrouwelijke notitie van de cel.",
        beslissing="verderzetten",
        volgende_evaluatie=VANDAAG + 30 * DAG,
        door=wereld.zorgcoordinator,
    )
    response = client_voor(wereld.leerkracht).get(_url("maatregel_detail", maatregel))
    html = response.content.decode()
    assert response.status_code == 200
    assert maatregel.titel in html
    assert "Vertrouwelijke notitie" not in html
    assert response.context["evaluaties"] == []
    assert "Bewerken" not in html


@pytest.mark.parametrize(
    ("status", "begin", "einde"),
    [
        ("voorgesteld", -5, None),
        ("gestopt", -30, -1),
        ("geevalueerd", -30, -1),
        ("actief", 5, None),  # not started yet
        ("actief", -30, -1),  # ended
    ],
)
def test_teacher_gets_404_for_a_measure_not_in_force(wereld, client_voor, status, begin, einde):
    maatregel = MaatregelFactory(
        leerling=wereld.leerling_a,
        status=status,
        begin=VANDAAG + begin * DAG,
        einde=VANDAAG + einde * DAG if einde is not None else None,
        evaluatiedatum=VANDAAG + 60 * DAG,
    )
    assert (
        client_voor(wereld.leerkracht).get(_url("maatregel_detail", maatregel)).status_code == 404
    )
    # The care-team level reads it: the CLB only once it reaches the student.
    clb = client_voor(wereld.users["clb"])
    assert clb.get(_url("maatregel_detail", maatregel)).status_code == 404
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    assert clb.get(_url("maatregel_detail", maatregel)).status_code == 200


def test_a_measure_seen_through_another_student_is_a_404(wereld, client_voor):
    maatregel = MaatregelFactory(leerling=wereld.leerling_b)
    url = reverse("leerlingen:maatregel_detail", args=[wereld.leerling_a.pk, maatregel.pk])
    assert client_voor(wereld.zorgcoordinator).get(url).status_code == 404


def test_reading_a_measure_is_audited(wereld, client_voor):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a)
    client_voor(wereld.leerkracht).get(_url("maatregel_detail", maatregel))
    event = AuditEvent.objects.get(onderwerp="maatregel", actie=Actie.LEZEN)
    assert (event.gebruiker, event.leerling_id, event.object_id) == (
        wereld.leerkracht,
        wereld.leerling_a.pk,
        str(maatregel.pk),
    )


def test_evaluations_are_kept_and_shown_in_order(wereld, client_voor):
    maatregel = _maak(wereld, begin=VANDAAG - 100 * DAG)
    for dagen, notitie in ((80, "eerste"), (40, "tweede"), (10, "derde")):
        maatregel = Maatregel.objects.get(pk=maatregel.pk)
        maatregel_evalueren(
            maatregel=maatregel,
            datum=VANDAAG - dagen * DAG,
            effect=MaatregelEvaluatie.Effect.WERKT,
            notities=notitie,
            beslissing=MaatregelEvaluatie.Beslissing.VERDERZETTEN,
            volgende_evaluatie=VANDAAG - (dagen - 20) * DAG,
            door=wereld.zorgcoordinator,
        )
    response = client_voor(wereld.zorgcoordinator).get(_url("maatregel_detail", maatregel))
    assert [e.notities for e in response.context["evaluaties"]] == ["eerste", "tweede", "derde"]
    html = response.content.decode()
    assert html.index("eerste") < html.index("tweede") < html.index("derde")
    maatregel.refresh_from_db()
    assert maatregel.evaluatiedatum == VANDAAG + 10 * DAG


def _sectie(response) -> dict:
    return next((s for s in response.context["secties"] if s["onderdeel"] == "maatregelen"), {})


def test_student_page_shows_teachers_the_measures_in_force_only(wereld, client_voor):
    frans = f.VakFactory(school=wereld.school, naam="Frans")
    MaatregelFactory(
        leerling=wereld.leerling_a,
        titel="Vergrote kopieën",
        bereik=Bereik.GEKOZEN_VAKKEN,
        vakken=[frans],
        ouders_akkoord=True,
        ouders_akkoord_op=VANDAAG,
    )
    MaatregelFactory(
        leerling=wereld.leerling_a, titel="Nog maar een voorstel", status="voorgesteld"
    )
    MaatregelFactory(
        leerling=wereld.leerling_a, titel="Vroeger", status="gestopt", einde=VANDAAG - DAG
    )
    response = client_voor(wereld.leerkracht).get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    )
    sectie = _sectie(response)
    assert [m.titel for m in sectie["actief"]] == ["Vergrote kopieën"]
    assert sectie["voorgesteld"] == sectie["afgesloten"] == []
    html = response.content.decode()
    assert "Vergrote kopieën" in html and "Frans" in html
    assert "Nog maar een voorstel" not in html and "Vroeger" not in html
    assert reverse("leerlingen:maatregel_nieuw", args=[wereld.leerling_a.pk]) not in html


def test_student_page_shows_the_care_team_every_measure_with_links(
    wereld, client_voor, template_queries
):
    actief = MaatregelFactory(leerling=wereld.leerling_a, titel="Rekenkaart gebruiken")
    MaatregelEvaluatie.objects.create(
        maatregel=actief,
        datum=VANDAAG,
        effect="werkt",
        beslissing="verderzetten",
        volgende_evaluatie=VANDAAG + 30 * DAG,
        door=wereld.zorgcoordinator,
    )
    MaatregelFactory(
        leerling=wereld.leerling_a, titel="Nog maar een voorstel", status="voorgesteld"
    )
    MaatregelFactory(
        leerling=wereld.leerling_a, titel="Vroeger", status="geevalueerd", einde=VANDAAG - DAG
    )
    response = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    )
    sectie = _sectie(response)
    assert [m.titel for m in sectie["voorgesteld"]] == ["Nog maar een voorstel"]
    assert [m.titel for m in sectie["afgesloten"]] == ["Vroeger"]
    html = response.content.decode()
    assert _url("maatregel_evalueren", actief) in html
    assert reverse("leerlingen:maatregel_nieuw", args=[wereld.leerling_a.pk]) in html
    assert "laatst: werkt" in html
    assert template_queries == []


@pytest.mark.parametrize("rol", ["secretariaat", "beheerder"])
def test_student_page_has_no_measures_for_the_administration(wereld, client_voor, rol):
    MaatregelFactory(leerling=wereld.leerling_a, titel="Rekenkaart gebruiken")
    response = client_voor(wereld.users[rol]).get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    )
    assert response.status_code == 200
    assert _sectie(response) == {}
    assert "Rekenkaart gebruiken" not in response.content.decode()


# --- pages: editing, evaluating, stopping -------------------------------------


def _bewerk_data(maatregel, **kwargs) -> dict:
    data = _post_data(
        soort=maatregel.soort,
        titel=maatregel.titel,
        bereik=maatregel.bereik,
        begin=maatregel.begin.isoformat(),
        evaluatiedatum=maatregel.evaluatiedatum.isoformat(),
        beslist_waar=maatregel.beslist_waar,
        versie=str(maatregel.versie),
    )
    data.pop("status")
    data.update(kwargs)
    return data


def test_the_edit_form_carries_the_version_it_started_from(wereld, client_voor):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a, versie=7)
    response = client_voor(wereld.zorgcoordinator).get(_url("maatregel_bewerken", maatregel))
    assert 'name="versie" value="7"' in response.content.decode()


def test_second_of_two_simultaneous_edits_sees_the_newer_version_and_keeps_its_input(
    wereld, client_voor
):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a, titel="Extra tijd bij toetsen")
    url = _url("maatregel_bewerken", maatregel)
    # Both open the form on version 1.
    eerste = _bewerk_data(maatregel, titel="Extra tijd bij toetsen (15 minuten)")
    tweede = _bewerk_data(maatregel, titel="Toetsen in aparte ruimte")

    assert client_voor(wereld.zorgcoordinator).post(url, eerste).status_code == 302
    response = client_voor(wereld.directie).post(url, tweede)

    html = response.content.decode()
    assert response.status_code == 409
    assert "Iemand anders wijzigde deze maatregel intussen" in html
    # The newer saved value beside what this user typed.
    rij = next(r for r in response.context["conflict"]["verschillen"] if r["label"] == "Maatregel")
    assert rij == {
        "label": "Maatregel",
        "opgeslagen": "Extra tijd bij toetsen (15 minuten)",
        "ingevuld": "Toetsen in aparte ruimte",
    }
    # Nothing typed is lost: the form holds the input, on the current version.
    assert 'value="Toetsen in aparte ruimte"' in html
    assert 'name="versie" value="2"' in html
    maatregel.refresh_from_db()
    assert (maatregel.titel, maatregel.versie) == ("Extra tijd bij toetsen (15 minuten)", 2)

    # Saving again applies the input over the newer version.
    opnieuw = client_voor(wereld.directie).post(url, {**tweede, "versie": "2"})
    assert opnieuw.status_code == 302
    maatregel.refresh_from_db()
    assert (maatregel.titel, maatregel.versie) == ("Toetsen in aparte ruimte", 3)


@pytest.mark.parametrize("versie", ["", "abc", "0"])
def test_an_edit_without_a_sound_version_gives_a_message_and_saves_nothing(
    wereld, client_voor, versie
):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a, titel="Rekenkaart gebruiken")
    response = client_voor(wereld.zorgcoordinator).post(
        _url("maatregel_bewerken", maatregel),
        _bewerk_data(maatregel, titel="Iets anders", versie=versie),
    )
    assert response.status_code == 200
    assert "Open de maatregel opnieuw om ze te bewerken." in response.content.decode()
    maatregel.refresh_from_db()
    assert (maatregel.titel, maatregel.versie) == ("Rekenkaart gebruiken", 1)


def test_editing_with_a_rule_broken_shows_the_message_beside_the_field(wereld, client_voor):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a)
    response = client_voor(wereld.zorgcoordinator).post(
        _url("maatregel_bewerken", maatregel),
        _bewerk_data(maatregel, einde=(maatregel.begin - DAG).isoformat()),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["einde"] == ["De einddatum ligt vóór de startdatum."]


def test_a_proposal_can_be_started_from_the_edit_form(wereld, client_voor):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a, status="voorgesteld")
    response = client_voor(wereld.zorgcoordinator).post(
        _url("maatregel_bewerken", maatregel), _bewerk_data(maatregel, status="actief")
    )
    assert response.status_code == 302
    maatregel.refresh_from_db()
    assert maatregel.status == Maatregel.Status.ACTIEF


def test_evaluating_through_the_page(wereld, client_voor):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a)
    response = client_voor(wereld.zorgcoordinator).post(
        _url("maatregel_evalueren", maatregel),
        {
            "sleutel": str(uuid.uuid4()),
            "datum": VANDAAG.isoformat(),
            "effect": "werkt_niet",
            "notities": "Geen verschil gemerkt.",
            "beslissing": "stoppen",
        },
    )
    assert response.status_code == 302
    maatregel.refresh_from_db()
    assert maatregel.status == Maatregel.Status.GEEVALUEERD


def test_deciding_to_adjust_leads_to_the_edit_form(wereld, client_voor):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a)
    response = client_voor(wereld.zorgcoordinator).post(
        _url("maatregel_evalueren", maatregel),
        {
            "sleutel": str(uuid.uuid4()),
            "datum": VANDAAG.isoformat(),
            "effect": "werkt_deels",
            "beslissing": "aanpassen",
            "volgende_evaluatie": (VANDAAG + 40 * DAG).isoformat(),
        },
    )
    assert response["Location"] == _url("maatregel_bewerken", maatregel)


def test_continuing_without_a_next_date_shows_a_message_and_saves_nothing(wereld, client_voor):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a)
    response = client_voor(wereld.zorgcoordinator).post(
        _url("maatregel_evalueren", maatregel),
        {
            "datum": VANDAAG.isoformat(),
            "effect": "werkt",
            "beslissing": "verderzetten",
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["volgende_evaluatie"]
    assert not MaatregelEvaluatie.objects.exists()


def test_an_ended_measure_offers_no_evaluation_or_stop_form(wereld, client_voor):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a, status="gestopt", einde=VANDAAG)
    client = client_voor(wereld.zorgcoordinator)
    for naam in ("maatregel_evalueren", "maatregel_stoppen"):
        response = client.get(_url(naam, maatregel))
        assert response.status_code == 200
        assert response.context["kan"] is False
        assert '<form method="post" novalidate>' not in response.content.decode()
    # A POST anyway is refused with a message.
    response = client.post(
        _url("maatregel_stoppen", maatregel), {"datum": VANDAAG.isoformat(), "reden": "x"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Deze maatregel is al afgesloten."]


def test_stopping_through_the_page(wereld, client_voor):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a)
    response = client_voor(wereld.directie).post(
        _url("maatregel_stoppen", maatregel),
        {"datum": VANDAAG.isoformat(), "reden": "De leerling verliet de school."},
    )
    assert response.status_code == 302
    maatregel.refresh_from_db()
    assert maatregel.status == Maatregel.Status.GESTOPT


@pytest.mark.parametrize("naam", ["maatregel_bewerken", "maatregel_evalueren", "maatregel_stoppen"])
@pytest.mark.parametrize("rol", ["leerkracht", "titularis", "clb", "buitenstaander"])
def test_only_the_care_team_changes_a_measure(wereld, client_voor, naam, rol):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a)
    if rol == "clb":
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)  # reaches her, still no
    response = client_voor(wereld.users[rol]).post(
        _url(naam, maatregel),
        {"datum": VANDAAG.isoformat(), "reden": "weg", "effect": "werkt", "beslissing": "stoppen"},
    )
    assert response.status_code == 404
    maatregel.refresh_from_db()
    assert (maatregel.status, maatregel.versie) == (Maatregel.Status.ACTIEF, 1)


def test_teacher_of_another_class_cannot_open_the_measure(wereld, client_voor):
    maatregel = MaatregelFactory(leerling=wereld.leerling_a)
    response = client_voor(wereld.leerkracht_b).get(_url("maatregel_detail", maatregel))
    assert response.status_code == 404


# --- the catalogue -------------------------------------------------------------


def test_the_catalogue_lists_the_items_of_the_users_school_only(wereld, client_voor):
    CatalogusItemFactory(school=wereld.school, titel="Extra tijd bij toetsen")
    CatalogusItemFactory(school=wereld.school2, titel="Van de andere school")
    response = client_voor(wereld.zorgcoordinator).get(reverse("leerlingen:maatregel_catalogus"))
    assert [i.titel for i in response.context["items"]] == ["Extra tijd bij toetsen"]
    assert "Van de andere school" not in response.content.decode()


def test_adding_to_the_catalogue(wereld, client_voor):
    response = client_voor(wereld.directie).post(
        reverse("leerlingen:maatregel_catalogus"),
        {
            "sleutel": str(uuid.uuid4()),
            "soort": MaatregelSoort.COMPENSEREND,
            "titel": "Laptop met voorleessoftware",
            "bereik": Bereik.ALLE_VAKKEN,
            "domeinen": [str(domeinen.LEREN)],
        },
    )
    assert response.status_code == 302
    item = MaatregelCatalogusItem.objects.get()
    assert (item.school, item.titel, item.actief) == (
        wereld.school,
        "Laptop met voorleessoftware",
        True,
    )
    assert AuditEvent.objects.filter(onderwerp="maatregelcatalogus", school=wereld.school).exists()


def test_a_title_already_in_the_catalogue_is_refused(wereld, client_voor):
    CatalogusItemFactory(school=wereld.school, titel="Vergrote kopieën")
    response = client_voor(wereld.zorgcoordinator).post(
        reverse("leerlingen:maatregel_catalogus"),
        {
            "sleutel": str(uuid.uuid4()),
            "soort": MaatregelSoort.COMPENSEREND,
            "titel": "vergrote kopieën",
            "bereik": Bereik.ALLE_VAKKEN,
            "domeinen": [str(domeinen.LEREN)],
        },
    )
    assert response.status_code == 200
    assert "staat al in de catalogus" in response.content.decode()
    assert MaatregelCatalogusItem.objects.count() == 1


def test_a_catalogue_item_without_a_domain_is_refused_for_what_it_is(wereld):
    with pytest.raises(ValidationError) as exc:
        catalogus_item_maken(
            school_id=wereld.school.pk,
            soort=MaatregelSoort.COMPENSEREND,
            titel="Vergrote kopieën",
            bereik=Bereik.ALLE_VAKKEN,
            domeinen=0,
            door=wereld.zorgcoordinator,
        )
    assert set(exc.value.message_dict) == {"domeinen"}
    assert not MaatregelCatalogusItem.objects.exists()


def test_the_same_title_may_be_in_another_schools_catalogue(wereld):
    CatalogusItemFactory(school=wereld.school2, titel="Vergrote kopieën")
    item = catalogus_item_maken(
        school_id=wereld.school.pk,
        soort=MaatregelSoort.COMPENSEREND,
        titel="Vergrote kopieën",
        bereik=Bereik.ALLE_VAKKEN,
        domeinen=domeinen.LEREN,
        door=wereld.zorgcoordinator,
    )
    assert item.school == wereld.school


def test_a_care_coordinator_of_two_schools_picks_the_school_and_only_theirs(wereld, client_voor):
    f.LidmaatschapFactory(user=wereld.zorgcoordinator, school=wereld.school2, rol="zorgcoordinator")
    derde = f.SchoolFactory()
    client = client_voor(wereld.zorgcoordinator)
    data = {
        "soort": MaatregelSoort.STIMULEREND,
        "titel": "Positieve feedback na elke les",
        "bereik": Bereik.ALLE_VAKKEN,
        "domeinen": [str(domeinen.PSYCHOSOCIAAL)],
    }
    geweigerd = client.post(
        reverse("leerlingen:maatregel_catalogus"),
        {
            **data,
            "school": derde.pk,
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert geweigerd.status_code == 200
    assert not MaatregelCatalogusItem.objects.exists()

    client.post(
        reverse("leerlingen:maatregel_catalogus"),
        {
            **data,
            "school": wereld.school2.pk,
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert MaatregelCatalogusItem.objects.get().school == wereld.school2


def test_a_deactivated_item_is_no_longer_offered_for_new_measures(wereld, client_voor):
    item = CatalogusItemFactory(school=wereld.school, titel="Toetsen in aparte ruimte")
    client = client_voor(wereld.zorgcoordinator)
    response = client.post(reverse("leerlingen:catalogus_item_deactiveren", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.actief is False
    nieuw = client.get(reverse("leerlingen:maatregel_nieuw", args=[wereld.leerling_a.pk]))
    assert nieuw.context["catalogus"] == []
    assert "Toetsen in aparte ruimte" not in str(nieuw.context["keuze"]["catalogus"])

    client.post(reverse("leerlingen:catalogus_item_activeren", args=[item.pk]))
    item.refresh_from_db()
    assert item.actief is True


def test_the_care_team_of_another_school_cannot_deactivate_an_item(wereld, client_voor):
    item = CatalogusItemFactory(school=wereld.school)
    response = client_voor(wereld.buitenstaander).post(
        reverse("leerlingen:catalogus_item_deactiveren", args=[item.pk])
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.actief is True
