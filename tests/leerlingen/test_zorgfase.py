"""Care phases (zorgcontinuüm) and referrals to the CLB (aanmelding): the
rules of a move, what it writes (history, audit, timeline, referral), who may
change and who may see what, and the cost of the student-page section."""

import datetime
import threading
import time
import uuid

import factory
import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from factory.django import DjangoModelFactory

from leerlingen import domeinen
from leerlingen.models import (
    Aanmelding,
    Gesprek,
    Leerling,
    TijdlijnItem,
    Zichtbaarheid,
    Zorgfase,
    ZorgfaseWijziging,
)
from leerlingen.services import zorgfase as zorgfase_services
from leerlingen.services.zorgfase import (
    IAC_ONTBREKEND_CLB,
    IAC_ONTBREKEND_GROND,
    IAC_ONTBREKEND_OUDERS,
    ZorgfaseRegelFout,
    aanmelding_maken,
    iac_voorwaarden,
    zorgfase_wijzigen,
)
from leerlingen.views import zorgfase as zorgfase_views
from tests import factories as f
from tests.clb.factories import aanmelding
from zorg.accounts.models import Rol, SchoolType
from zorg.audit.models import Actie, AuditEvent

VANDAAG = timezone.localdate
REDEN = "Leest traag en haakt af bij lange teksten; de klassenraad ziet dit in alle vakken."
HULPVRAAG = "Hoe ondersteunen we het begrijpend lezen, en is er meer aan de hand?"


class GesprekFactory(DjangoModelFactory):
    class Meta:
        model = Gesprek

    leerling = factory.SubFactory(f.LeerlingFactory)
    datum = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    soort = Gesprek.Soort.OUDERS
    deelnemers = "moeder, zorgcoördinator"
    samenvatting = "Overleg over de aanpak."
    domeinen = domeinen.LEREN
    zichtbaarheid = Zichtbaarheid.ZORGTEAM
    door = factory.SubFactory(f.UserFactory)


def fase(nummer: int, schooltype: str = SchoolType.SECUNDAIR) -> Zorgfase:
    return Zorgfase.objects.get(schooltype=schooltype, nummer=nummer)


def wijzig(leerling, naar: Zorgfase, door, **kwargs) -> ZorgfaseWijziging:
    """A phase change as the form would send it, starting from the phase the
    student is in now unless `van` says otherwise."""
    leerling.refresh_from_db()
    velden = {
        "datum": VANDAAG(),
        "reden": REDEN,
        "beslist_waar": "begeleidende klassenraad",
        "van": leerling.zorgfase,
    }
    velden.update(kwargs)
    return zorgfase_wijzigen(leerling=leerling, naar=naar, door=door, **velden)


def naar_fase(leerling, nummer: int, door, schooltype=SchoolType.SECUNDAIR):
    """Walk the student up one step at a time (with a question for help on
    the way through extended care) to phase `nummer`."""
    leerling.refresh_from_db()
    for stap in range(leerling.zorgfase.nummer + 1, nummer + 1):
        wijzig(leerling, fase(stap, schooltype), door, hulpvraag=HULPVRAAG)
    leerling.refresh_from_db()


def overleg_voor_iac(leerling, datum=None):
    datum = datum or VANDAAG() - datetime.timedelta(days=20)
    GesprekFactory(leerling=leerling, soort=Gesprek.Soort.OUDERS, datum=datum)
    GesprekFactory(leerling=leerling, soort=Gesprek.Soort.CLB, datum=datum)


def tellingen() -> dict[str, int]:
    return {
        "wijzigingen": ZorgfaseWijziging.objects.count(),
        "aanmeldingen": Aanmelding.objects.count(),
        "tijdlijn": TijdlijnItem.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture
def dko(db):
    """A part-time arts school (DKO), whose continuum is 0, 1, 2 = IAC."""
    school = f.SchoolFactory(naam="Academie De Noten", schooltype=SchoolType.DKO)
    klas = f.KlasFactory(schooljaar=f.SchooljaarFactory(school=school), naam="Muziek 2")
    leerling = f.leerling_in(klas, voornaam="Ilias", achternaam="Maes")
    coordinator = f.UserFactory(email="zorg@academie.example")
    f.LidmaatschapFactory(user=coordinator, school=school, rol=Rol.ZORGCOORDINATOR)
    return leerling, coordinator


# --- the service: moving up and down --------------------------------------------------


def test_moving_up_one_step_records_the_change_and_the_new_phase(wereld):
    leerling = wereld.leerling_a
    wijziging = wijzig(leerling, fase(1), wereld.zorgcoordinator)

    leerling.refresh_from_db()
    assert leerling.zorgfase == fase(1)
    assert (wijziging.van, wijziging.naar) == (fase(0), fase(1))
    assert wijziging.reden == REDEN
    assert wijziging.beslist_waar == "begeleidende klassenraad"
    assert wijziging.beslist_door == wereld.zorgcoordinator
    assert not wijziging.is_afschaling


def test_skipping_a_phase_on_the_way_up_is_refused_and_names_the_next_step(wereld):
    with pytest.raises(ZorgfaseRegelFout) as fout:
        wijzig(wereld.leerling_a, fase(2), wereld.zorgcoordinator, hulpvraag=HULPVRAAG)

    bericht = " ".join(fout.value.message_dict["naar"])
    assert "overslaan kan niet" in bericht
    assert "1. Verhoogde zorg" in bericht
    wereld.leerling_a.refresh_from_db()
    assert wereld.leerling_a.zorgfase == fase(0)


def test_de_escalation_may_skip_phases_and_is_marked_as_such(wereld):
    leerling = wereld.leerling_a
    naar_fase(leerling, 2, wereld.zorgcoordinator)

    wijziging = wijzig(leerling, fase(0), wereld.zorgcoordinator, reden="Gaat veel beter.")

    leerling.refresh_from_db()
    assert leerling.zorgfase == fase(0)
    assert wijziging.is_afschaling
    item = TijdlijnItem.objects.get(bron_type="leerlingen.zorgfasewijziging", bron_id=wijziging.pk)
    assert item.titel == "Afschaling: 2. Uitbreiding van zorg → 0. Brede basiszorg"
    # Coming down into a lower phase refers nobody.
    assert Aanmelding.objects.filter(zorgfase_wijziging=wijziging).count() == 0


def test_a_phase_of_another_school_type_is_refused(wereld):
    with pytest.raises(ZorgfaseRegelFout) as fout:
        wijzig(wereld.leerling_a, fase(1, SchoolType.DKO), wereld.zorgcoordinator)

    assert "ander schooltype" in " ".join(fout.value.message_dict["naar"])
    wereld.leerling_a.refresh_from_db()
    assert wereld.leerling_a.zorgfase == fase(0)


def test_moving_to_the_phase_the_student_is_in_is_refused(wereld):
    with pytest.raises(ZorgfaseRegelFout) as fout:
        wijzig(wereld.leerling_a, fase(0), wereld.zorgcoordinator)

    assert "staat al in fase 0. Brede basiszorg" in " ".join(fout.value.message_dict["naar"])


def test_the_whole_history_is_kept(wereld):
    leerling = wereld.leerling_a
    naar_fase(leerling, 2, wereld.zorgcoordinator)
    wijzig(leerling, fase(1), wereld.zorgcoordinator)

    stappen = [
        (w.van.nummer, w.naar.nummer)
        for w in ZorgfaseWijziging.objects.filter(leerling=leerling).order_by("pk")
    ]
    assert stappen == [(0, 1), (1, 2), (2, 1)]


# --- extended care: the referral to the CLB ---------------------------------------


def test_extended_care_without_a_question_for_help_is_refused(wereld):
    leerling = wereld.leerling_a
    naar_fase(leerling, 1, wereld.zorgcoordinator)
    voor = tellingen()

    with pytest.raises(ZorgfaseRegelFout) as fout:
        wijzig(leerling, fase(2), wereld.zorgcoordinator, hulpvraag="   ")

    assert "hulpvraag" in " ".join(fout.value.message_dict["hulpvraag"])
    assert tellingen() == voor


def test_extended_care_refers_the_student_to_the_clb(wereld):
    leerling = wereld.leerling_a
    naar_fase(leerling, 1, wereld.zorgcoordinator)

    wijziging = wijzig(leerling, fase(2), wereld.zorgcoordinator, hulpvraag=HULPVRAAG)

    aanmelding = Aanmelding.objects.get(leerling=leerling)
    assert aanmelding.zorgfase_wijziging == wijziging
    assert aanmelding.bron == Aanmelding.Bron.ZORGFASE
    assert aanmelding.status == Aanmelding.Status.OPEN
    assert aanmelding.hulpvraag == HULPVRAAG
    assert aanmelding.aangemaakt_door == wereld.zorgcoordinator
    item = TijdlijnItem.objects.get(leerling=leerling, soort=TijdlijnItem.Soort.AANMELDING)
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    assert item.tekst == HULPVRAAG


# --- IAC ------------------------------------------------------------------------------


def test_iac_without_consultation_or_ground_is_refused_listing_exactly_what_is_missing(wereld):
    leerling = wereld.leerling_a
    naar_fase(leerling, 2, wereld.zorgcoordinator)
    voor = tellingen()

    with pytest.raises(ZorgfaseRegelFout) as fout:
        wijzig(leerling, fase(3), wereld.zorgcoordinator)

    assert fout.value.ontbreekt == [
        str(IAC_ONTBREKEND_OUDERS),
        str(IAC_ONTBREKEND_CLB),
        str(IAC_ONTBREKEND_GROND),
    ]
    bericht = " ".join(fout.value.message_dict[NON_FIELD_ERRORS])
    assert "oudergesprek" in bericht and "consult van het CLB" in bericht and "grond" in bericht
    assert tellingen() == voor


def test_iac_with_both_talks_but_no_ground_is_refused_for_the_ground_alone(wereld):
    leerling = wereld.leerling_a
    naar_fase(leerling, 2, wereld.zorgcoordinator)
    overleg_voor_iac(leerling)

    with pytest.raises(ZorgfaseRegelFout) as fout:
        wijzig(leerling, fase(3), wereld.zorgcoordinator)

    assert fout.value.ontbreekt == [str(IAC_ONTBREKEND_GROND)]


def test_iac_with_a_ground_but_only_a_parent_talk_is_refused_for_the_clb_consultation(wereld):
    leerling = wereld.leerling_a
    naar_fase(leerling, 2, wereld.zorgcoordinator)
    GesprekFactory(leerling=leerling, soort=Gesprek.Soort.OUDERS)
    # A talk with the student or an external partner is not the CLB's.
    GesprekFactory(leerling=leerling, soort=Gesprek.Soort.LEERLING)
    GesprekFactory(leerling=leerling, soort=Gesprek.Soort.EXTERN)

    with pytest.raises(ZorgfaseRegelFout) as fout:
        wijzig(leerling, fase(3), wereld.zorgcoordinator, welbevinden_in_gedrang=True)

    assert fout.value.ontbreekt == [str(IAC_ONTBREKEND_CLB)]


def test_iac_counts_only_talks_of_the_last_12_months(wereld):
    leerling = wereld.leerling_a
    naar_fase(leerling, 2, wereld.zorgcoordinator)
    overleg_voor_iac(leerling, datum=VANDAAG() - datetime.timedelta(days=400))

    with pytest.raises(ZorgfaseRegelFout) as fout:
        wijzig(leerling, fase(3), wereld.zorgcoordinator, maatregelen_ontoereikend=True)

    assert fout.value.ontbreekt == [str(IAC_ONTBREKEND_OUDERS), str(IAC_ONTBREKEND_CLB)]


def test_iac_is_allowed_after_talks_with_parents_and_clb_and_a_ground(wereld):
    leerling = wereld.leerling_a
    naar_fase(leerling, 2, wereld.zorgcoordinator)
    overleg_voor_iac(leerling)

    wijziging = wijzig(leerling, fase(3), wereld.zorgcoordinator, maatregelen_ontoereikend=True)

    leerling.refresh_from_db()
    assert leerling.zorgfase == fase(3)
    assert wijziging.maatregelen_ontoereikend
    assert not wijziging.welbevinden_in_gedrang


def test_iac_voorwaarden_tells_what_the_record_lacks_and_writes_nothing(wereld):
    leerling = wereld.leerling_a
    voor = tellingen()
    assert iac_voorwaarden(leerling) == [str(IAC_ONTBREKEND_OUDERS), str(IAC_ONTBREKEND_CLB)]

    GesprekFactory(leerling=leerling, soort=Gesprek.Soort.CLB)
    assert iac_voorwaarden(leerling) == [str(IAC_ONTBREKEND_OUDERS)]

    GesprekFactory(leerling=leerling, soort=Gesprek.Soort.OUDERS)
    assert iac_voorwaarden(leerling) == []
    # On a date before both talks, they were not there yet.
    assert len(iac_voorwaarden(leerling, op=VANDAAG() - datetime.timedelta(days=60))) == 2
    assert tellingen() == voor


def test_grounds_are_only_stored_for_a_move_to_iac(wereld):
    wijziging = wijzig(
        wereld.leerling_a, fase(1), wereld.zorgcoordinator, maatregelen_ontoereikend=True
    )
    assert not wijziging.maatregelen_ontoereikend


# --- DKO: a shorter continuum ------------------------------------------------------


def test_in_dko_iac_is_phase_two_and_needs_the_same_consultation(dko):
    leerling, coordinator = dko
    naar_fase(leerling, 1, coordinator, SchoolType.DKO)
    assert fase(2, SchoolType.DKO).soort == Zorgfase.Soort.IAC

    with pytest.raises(ZorgfaseRegelFout) as fout:
        wijzig(leerling, fase(2, SchoolType.DKO), coordinator)
    assert fout.value.ontbreekt == [
        str(IAC_ONTBREKEND_OUDERS),
        str(IAC_ONTBREKEND_CLB),
        str(IAC_ONTBREKEND_GROND),
    ]

    overleg_voor_iac(leerling)
    wijzig(leerling, fase(2, SchoolType.DKO), coordinator, welbevinden_in_gedrang=True)
    leerling.refresh_from_db()
    assert leerling.zorgfase == fase(2, SchoolType.DKO)
    # DKO's phase 2 is no extended care: nobody is referred.
    assert not Aanmelding.objects.filter(leerling=leerling).exists()


def test_in_dko_skipping_from_zero_to_iac_is_refused(dko):
    leerling, coordinator = dko
    overleg_voor_iac(leerling)

    with pytest.raises(ZorgfaseRegelFout) as fout:
        wijzig(leerling, fase(2, SchoolType.DKO), coordinator, maatregelen_ontoereikend=True)

    assert "overslaan kan niet" in " ".join(fout.value.message_dict["naar"])


# --- concurrency, bad input and nothing half-saved ---------------------------------


def test_a_second_change_from_the_same_starting_phase_is_refused_and_saves_nothing(wereld):
    leerling = wereld.leerling_a
    # Two care coordinators open the form while the student is in phase 0.
    begonnen_in = fase(0)
    wijzig(leerling, fase(1), wereld.zorgcoordinator, van=begonnen_in)
    voor = tellingen()

    with pytest.raises(ZorgfaseRegelFout) as fout:
        wijzig(leerling, fase(1), wereld.directie, van=begonnen_in, reden="Ook gezien.")

    bericht = " ".join(fout.value.message_dict[NON_FIELD_ERRORS])
    assert "Iemand anders wijzigde intussen de zorgfase" in bericht
    assert "nu in fase 1. Verhoogde zorg" in bericht
    assert tellingen() == voor


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_changes_from_the_same_phase_let_only_one_through(wereld):
    # A real race: another connection holds the student's row mid-change
    # while this one starts from the same phase. Without the row lock this
    # one would read the old phase and write a second move.
    leerling = wereld.leerling_a
    begonnen_in = fase(0)
    vergrendeld, klaar = threading.Event(), threading.Event()
    fouten = []

    def andere_zorgcoordinator():
        try:
            with transaction.atomic():
                Leerling.objects.select_for_update().get(pk=leerling.pk)
                vergrendeld.set()
                time.sleep(0.3)
                wijzig(leerling, fase(1), wereld.directie, van=begonnen_in)
        except Exception as exc:  # pragma: no cover - surfaced below
            fouten.append(exc)
        finally:
            vergrendeld.set()
            connection.close()
            klaar.set()

    draad = threading.Thread(target=andere_zorgcoordinator)
    draad.start()
    assert vergrendeld.wait(5)
    with pytest.raises(ZorgfaseRegelFout) as fout:
        zorgfase_wijzigen(
            leerling=leerling,
            van=begonnen_in,
            naar=fase(1),
            datum=VANDAAG(),
            reden=REDEN,
            beslist_waar="cel leerlingbegeleiding",
            door=wereld.zorgcoordinator,
        )
    draad.join(5)

    assert not fouten
    assert "nu in fase 1. Verhoogde zorg" in " ".join(fout.value.message_dict[NON_FIELD_ERRORS])
    assert list(ZorgfaseWijziging.objects.values_list("beslist_door", flat=True)) == [
        wereld.directie.pk
    ]


def test_the_student_row_is_locked_while_the_phase_changes(wereld):
    # The lock is what makes the check above hold when two saves overlap.
    with CaptureQueriesContext(connection) as ctx:
        wijzig(wereld.leerling_a, fase(1), wereld.zorgcoordinator)
    vergrendeld = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]
    assert vergrendeld and 'FROM "leerlingen_leerling"' in vergrendeld[0]


def test_a_date_in_the_future_is_refused(wereld):
    morgen = VANDAAG() + datetime.timedelta(days=1)
    with pytest.raises(ZorgfaseRegelFout) as fout:
        wijzig(wereld.leerling_a, fase(1), wereld.zorgcoordinator, datum=morgen)

    assert "toekomst" in " ".join(fout.value.message_dict["datum"])


def test_a_date_before_the_previous_change_is_refused(wereld):
    leerling = wereld.leerling_a
    wijzig(leerling, fase(1), wereld.zorgcoordinator)

    with pytest.raises(ZorgfaseRegelFout) as fout:
        wijzig(
            leerling,
            fase(0),
            wereld.zorgcoordinator,
            datum=VANDAAG() - datetime.timedelta(days=10),
        )

    assert "vóór de vorige wijziging" in " ".join(fout.value.message_dict["datum"])


@pytest.mark.parametrize("veld", ["reden", "beslist_waar"])
def test_a_blank_reason_or_place_of_decision_is_refused(wereld, veld):
    with pytest.raises(ZorgfaseRegelFout) as fout:
        wijzig(wereld.leerling_a, fase(1), wereld.zorgcoordinator, **{veld: "  \n "})

    assert list(fout.value.message_dict) == [veld]


WEIGERINGEN = {
    "overslaan": lambda w: wijzig(w.leerling_a, fase(2), w.zorgcoordinator, hulpvraag="x"),
    "toekomst": lambda w: wijzig(
        w.leerling_a, fase(1), w.zorgcoordinator, datum=VANDAAG() + datetime.timedelta(days=3)
    ),
    "lege reden": lambda w: wijzig(w.leerling_a, fase(1), w.zorgcoordinator, reden=""),
    "verouderd": lambda w: wijzig(w.leerling_a, fase(1), w.zorgcoordinator, van=fase(1)),
    "ander schooltype": lambda w: wijzig(
        w.leerling_a, fase(1, SchoolType.BASIS), w.zorgcoordinator
    ),
}


@pytest.mark.parametrize("geval", list(WEIGERINGEN))
def test_a_refused_change_leaves_nothing_behind(wereld, geval):
    voor = tellingen()
    with pytest.raises(ZorgfaseRegelFout):
        WEIGERINGEN[geval](wereld)

    assert tellingen() == voor
    assert Leerling.objects.get(pk=wereld.leerling_a.pk).zorgfase == fase(0)


def test_a_failure_halfway_through_the_writes_rolls_everything_back(wereld, monkeypatch):
    leerling = wereld.leerling_a
    naar_fase(leerling, 1, wereld.zorgcoordinator)
    voor = tellingen()
    echt = zorgfase_services.tijdlijn_registreren

    def faalt_bij_aanmelding(**kwargs):
        if kwargs["soort"] == TijdlijnItem.Soort.AANMELDING:
            raise RuntimeError("schijf vol")
        return echt(**kwargs)

    monkeypatch.setattr(zorgfase_services, "tijdlijn_registreren", faalt_bij_aanmelding)
    with pytest.raises(RuntimeError):
        wijzig(leerling, fase(2), wereld.zorgcoordinator, hulpvraag=HULPVRAAG)

    assert tellingen() == voor
    assert Leerling.objects.get(pk=leerling.pk).zorgfase == fase(1)


# --- what a change writes: audit and timeline --------------------------------------


def test_a_change_is_audited_as_a_change_of_the_phase(wereld):
    wijziging = wijzig(wereld.leerling_a, fase(1), wereld.zorgcoordinator)

    event = AuditEvent.objects.get(onderwerp="zorgfase", actie=Actie.WIJZIGEN)
    assert event.leerling_id == wereld.leerling_a.pk
    assert event.gebruiker == wereld.zorgcoordinator
    assert event.velden == ["zorgfase"]
    assert event.object_id == str(wijziging.pk)


def test_the_class_team_timeline_entry_names_the_move_but_not_the_reason(wereld):
    wijziging = wijzig(wereld.leerling_a, fase(1), wereld.zorgcoordinator)

    item = TijdlijnItem.objects.get(bron_type="leerlingen.zorgfasewijziging", bron_id=wijziging.pk)
    assert item.soort == TijdlijnItem.Soort.ZORGFASE
    assert item.zichtbaarheid == Zichtbaarheid.KLASTEAM
    assert item.titel == "Zorgfase: 0. Brede basiszorg → 1. Verhoogde zorg"
    assert item.datum == wijziging.datum
    assert REDEN not in item.titel and REDEN not in item.tekst
    assert "klassenraad" not in item.tekst


def test_a_referral_writes_its_own_care_team_timeline_entry_and_audit_event(wereld):
    naar_fase(wereld.leerling_a, 2, wereld.zorgcoordinator)

    aanmelding = Aanmelding.objects.get()
    event = AuditEvent.objects.get(onderwerp="aanmelding")
    assert (event.actie, event.object_id) == (Actie.AANMAKEN, str(aanmelding.pk))
    soorten = set(
        TijdlijnItem.objects.filter(leerling=wereld.leerling_a).values_list(
            "soort", "zichtbaarheid"
        )
    )
    assert soorten == {
        (TijdlijnItem.Soort.ZORGFASE, Zichtbaarheid.KLASTEAM),
        (TijdlijnItem.Soort.AANMELDING, Zichtbaarheid.ZORGTEAM),
    }


# --- a direct referral ---------------------------------------------------------------


def test_a_direct_referral_is_recorded_audited_and_on_the_care_team_timeline(wereld):
    aanmelding = aanmelding_maken(
        leerling=wereld.leerling_a,
        hulpvraag=f"  {HULPVRAAG}  ",
        datum=VANDAAG(),
        door=wereld.zorgcoordinator,
    )

    assert aanmelding.bron == Aanmelding.Bron.RECHTSTREEKS
    assert aanmelding.status == Aanmelding.Status.OPEN
    assert aanmelding.hulpvraag == HULPVRAAG
    assert aanmelding.zorgfase_wijziging is None
    assert AuditEvent.objects.filter(
        onderwerp="aanmelding", actie=Actie.AANMAKEN, leerling_id=wereld.leerling_a.pk
    ).exists()
    item = TijdlijnItem.objects.get(soort=TijdlijnItem.Soort.AANMELDING)
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    # A referral on its own does not change the phase.
    assert Leerling.objects.get(pk=wereld.leerling_a.pk).zorgfase == fase(0)


@pytest.mark.parametrize(
    ("hulpvraag", "datum_delta", "veld"),
    [(" ", 0, "hulpvraag"), (HULPVRAAG, 2, "datum")],
)
def test_a_direct_referral_without_question_or_in_the_future_is_refused(
    wereld, hulpvraag, datum_delta, veld
):
    voor = tellingen()
    with pytest.raises(ZorgfaseRegelFout) as fout:
        aanmelding_maken(
            leerling=wereld.leerling_a,
            hulpvraag=hulpvraag,
            datum=VANDAAG() + datetime.timedelta(days=datum_delta),
            door=wereld.zorgcoordinator,
        )
    assert list(fout.value.message_dict) == [veld]
    assert tellingen() == voor


# --- the views: changing the phase -------------------------------------------------


def _url(leerling, naam="leerlingen:zorgfase_wijzigen"):
    return reverse(naam, args=[leerling.pk])


def _post(leerling, naar: Zorgfase, **extra):
    data = {
        "van": leerling.zorgfase_id,
        "naar": naar.pk,
        "datum": VANDAAG().isoformat(),
        "reden": REDEN,
        "beslist_waar": "cel leerlingbegeleiding",
        "sleutel": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def test_the_form_offers_the_next_phase_of_the_school_type_and_remembers_the_start(
    wereld, client_voor
):
    response = client_voor(wereld.zorgcoordinator).get(_url(wereld.leerling_a))

    assert response.status_code == 200
    form = response.context["form"]
    keuzes = [Zorgfase.objects.get(pk=pk) for pk, _ in form.fields["naar"].choices]
    assert [z.nummer for z in keuzes] == [1]
    assert {z.schooltype for z in keuzes} == {SchoolType.SECUNDAIR}
    assert form["van"].value() == fase(0).pk
    assert form["datum"].value() == VANDAAG()
    html = response.content.decode()
    assert 'type="hidden" name="van"' in html
    assert "begeleidende klassenraad" in html  # the example for where it was decided
    assert "Verplicht bij een overgang naar uitbreiding van zorg" in html


def _aangeboden(response) -> list[int]:
    form = response.context["form"]
    return [form.fasen[pk].nummer for pk, _ in form.fields["naar"].choices]


def _niet_aangeboden(response) -> str:
    html = response.content.decode()
    start = html.index('data-testid="niet-aangeboden"')
    return html[start : html.index("</ul>", start)]


def test_the_form_offers_only_allowed_moves_and_says_why_the_others_are_not_offered(
    wereld, client_voor
):
    naar_fase(wereld.leerling_a, 1, wereld.zorgcoordinator)
    response = client_voor(wereld.zorgcoordinator).get(_url(wereld.leerling_a))

    assert _aangeboden(response) == [0, 2]
    lijst = _niet_aangeboden(response)
    assert (
        "3. Individueel aangepast curriculum (IAC) — eerst fase 2. Uitbreiding van zorg: "
        "een fase overslaan kan niet"
    ) in lijst
    assert "<li>2. " not in lijst


def test_iac_is_not_offered_until_the_record_holds_the_consultation_and_the_form_says_what_lacks(
    wereld, client_voor
):
    naar_fase(wereld.leerling_a, 2, wereld.zorgcoordinator)
    GesprekFactory(leerling=wereld.leerling_a, soort=Gesprek.Soort.OUDERS)
    client = client_voor(wereld.zorgcoordinator)

    response = client.get(_url(wereld.leerling_a))
    assert _aangeboden(response) == [0, 1]
    lijst = _niet_aangeboden(response)
    assert "3. Individueel aangepast curriculum (IAC) — eerst overleg met alle partijen" in lijst
    assert str(IAC_ONTBREKEND_CLB) in lijst
    assert str(IAC_ONTBREKEND_OUDERS) not in lijst

    GesprekFactory(leerling=wereld.leerling_a, soort=Gesprek.Soort.CLB)
    response = client.get(_url(wereld.leerling_a))
    assert _aangeboden(response) == [0, 1, 3]
    assert 'data-testid="niet-aangeboden"' not in response.content.decode()


def test_a_tampered_post_for_a_phase_not_offered_is_refused_by_the_rules_with_their_reason(
    wereld, client_voor
):
    naar_fase(wereld.leerling_a, 1, wereld.zorgcoordinator)
    client = client_voor(wereld.zorgcoordinator)  # logging in is audited too
    voor = tellingen()
    response = client.post(
        _url(wereld.leerling_a), _post(wereld.leerling_a, fase(3), welbevinden_in_gedrang="on")
    )

    assert response.status_code == 200
    fouten = " ".join(response.context["form"].errors["naar"])
    assert "Een fase overslaan kan niet" in fouten
    assert "Selecteer een geldige keuze" not in fouten
    assert tellingen() == voor


@pytest.mark.parametrize("met_overleg", [False, True])
@pytest.mark.parametrize("schooltype", [SchoolType.SECUNDAIR, SchoolType.DKO])
def test_what_the_form_offers_is_exactly_what_the_rules_accept(schooltype, met_overleg, db):
    """From every phase, try every other phase with everything a decision
    brings along filled in: the rules accept a move if and only if the
    form offered it."""
    school = f.SchoolFactory(schooltype=schooltype)
    klas = f.KlasFactory(schooljaar=f.SchooljaarFactory(school=school))
    leerling = f.leerling_in(klas)
    coordinator = f.UserFactory()
    f.LidmaatschapFactory(user=coordinator, school=school, rol=Rol.ZORGCOORDINATOR)
    if met_overleg:
        overleg_voor_iac(leerling)
    fasen = list(Zorgfase.objects.filter(schooltype=schooltype).order_by("nummer"))
    for huidig in fasen:
        Leerling.objects.filter(pk=leerling.pk).update(zorgfase=huidig)
        leerling.refresh_from_db()
        form = zorgfase_views.NieuweZorgfaseWijzigingForm(
            leerling=leerling,
            fasen=fasen,
            keuzes=zorgfase_services.fase_keuzes(leerling=leerling, fasen=fasen),
        )
        aangeboden = {pk for pk, _ in form.fields["naar"].choices}
        for naar in fasen:
            try:
                with transaction.atomic():
                    wijzig(
                        leerling,
                        naar,
                        coordinator,
                        hulpvraag=HULPVRAAG,
                        welbevinden_in_gedrang=True,
                    )
                    transaction.set_rollback(True)
                aanvaard = True
            except ZorgfaseRegelFout:
                aanvaard = False
            assert aanvaard == (naar.pk in aangeboden), (huidig, naar)


def test_opening_the_form_is_a_logged_read(wereld, client_voor):
    client_voor(wereld.zorgcoordinator).get(_url(wereld.leerling_a))
    assert AuditEvent.objects.filter(
        onderwerp="zorgfase", actie=Actie.LEZEN, leerling_id=wereld.leerling_a.pk
    ).exists()


def test_a_dko_form_has_no_question_for_help_but_has_the_iac_grounds(dko, client_voor):
    leerling, coordinator = dko
    response = client_voor(coordinator).get(_url(leerling))

    velden = response.context["form"].fields
    assert "hulpvraag" not in velden
    assert {"maatregelen_ontoereikend", "welbevinden_in_gedrang"} <= set(velden)
    assert [label for _, label in velden["naar"].choices] == ["1. Verhoogde zorg"]
    naar_fase(leerling, 1, coordinator, schooltype=SchoolType.DKO)
    overleg_voor_iac(leerling)
    velden = client_voor(coordinator).get(_url(leerling)).context["form"].fields
    assert [label for _, label in velden["naar"].choices] == [
        "0. Brede basiszorg (afschaling)",
        "2. Individueel aangepast curriculum (IAC)",
    ]


def test_a_care_coordinator_changes_the_phase_and_returns_to_the_student(wereld, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    response = client.post(_url(wereld.leerling_a), _post(wereld.leerling_a, fase(1)))

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]) + "#zorgfase"
    )
    assert Leerling.objects.get(pk=wereld.leerling_a.pk).zorgfase == fase(1)
    pagina = client.get(response["Location"]).content.decode()
    assert "Zorgfase gewijzigd naar fase 1. Verhoogde zorg." in pagina


def test_the_director_may_change_the_phase_too(wereld, client_voor):
    response = client_voor(wereld.directie).post(
        _url(wereld.leerling_a), _post(wereld.leerling_a, fase(1))
    )
    assert response.status_code == 302


def test_moving_to_extended_care_through_the_form_refers_to_the_clb(wereld, client_voor):
    naar_fase(wereld.leerling_a, 1, wereld.zorgcoordinator)
    client = client_voor(wereld.zorgcoordinator)

    response = client.post(
        _url(wereld.leerling_a), _post(wereld.leerling_a, fase(2), hulpvraag=HULPVRAAG), follow=True
    )

    assert "De leerling is aangemeld bij het CLB." in response.content.decode()
    assert Aanmelding.objects.get().hulpvraag == HULPVRAAG


def test_a_refused_skip_is_shown_beside_the_choice_and_nothing_is_saved(wereld, client_voor):
    client = client_voor(wereld.zorgcoordinator)  # logging in is audited too
    voor = tellingen()
    response = client.post(
        _url(wereld.leerling_a), _post(wereld.leerling_a, fase(2), hulpvraag=HULPVRAAG)
    )

    assert response.status_code == 200
    assert "overslaan kan niet" in " ".join(response.context["form"].errors["naar"])
    assert tellingen() == voor


def test_a_refused_iac_lists_what_is_missing_on_the_form(wereld, client_voor):
    naar_fase(wereld.leerling_a, 2, wereld.zorgcoordinator)
    GesprekFactory(leerling=wereld.leerling_a, soort=Gesprek.Soort.OUDERS)

    response = client_voor(wereld.zorgcoordinator).post(
        _url(wereld.leerling_a), _post(wereld.leerling_a, fase(3), welbevinden_in_gedrang="on")
    )

    fouten = " ".join(response.context["form"].non_field_errors())
    assert str(IAC_ONTBREKEND_CLB) in fouten
    assert str(IAC_ONTBREKEND_OUDERS) not in fouten
    assert str(IAC_ONTBREKEND_GROND) not in fouten
    assert Leerling.objects.get(pk=wereld.leerling_a.pk).zorgfase == fase(2)


def test_the_form_tells_in_advance_what_iac_still_needs(wereld, client_voor):
    GesprekFactory(leerling=wereld.leerling_a, soort=Gesprek.Soort.OUDERS)
    response = client_voor(wereld.zorgcoordinator).get(_url(wereld.leerling_a))
    assert response.context["iac_ontbreekt"] == [str(IAC_ONTBREKEND_CLB)]


@pytest.mark.parametrize(
    ("veld", "waarde"), [("reden", "   "), ("beslist_waar", ""), ("datum", "31/02/2026")]
)
def test_bad_input_gives_a_message_and_saves_nothing(wereld, client_voor, veld, waarde):
    client = client_voor(wereld.zorgcoordinator)
    voor = tellingen()
    response = client.post(
        _url(wereld.leerling_a), _post(wereld.leerling_a, fase(1), **{veld: waarde})
    )
    assert response.status_code == 200
    assert veld in response.context["form"].errors
    assert tellingen() == voor


def test_a_future_date_on_the_form_is_refused(wereld, client_voor):
    morgen = (VANDAAG() + datetime.timedelta(days=1)).isoformat()
    response = client_voor(wereld.zorgcoordinator).post(
        _url(wereld.leerling_a), _post(wereld.leerling_a, fase(1), datum=morgen)
    )
    assert "toekomst" in " ".join(response.context["form"].errors["datum"])


def test_a_form_opened_before_someone_else_changed_the_phase_is_refused(wereld, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    verouderd = _post(wereld.leerling_a, fase(1))  # opened while in phase 0
    assert client.post(_url(wereld.leerling_a), verouderd).status_code == 302
    voor = tellingen()

    # The same start, in a second form (another tab): a key of its own.
    response = client.post(
        _url(wereld.leerling_a),
        {
            **verouderd,
            "sleutel": str(uuid.uuid4()),
        },
    )

    assert response.status_code == 200
    fouten = " ".join(response.context["form"].non_field_errors())
    assert "nu in fase 1. Verhoogde zorg" in fouten
    assert tellingen() == voor


def test_a_tampered_starting_phase_of_another_school_type_is_refused(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        _url(wereld.leerling_a),
        _post(wereld.leerling_a, fase(1), van=fase(0, SchoolType.DKO).pk),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert ZorgfaseWijziging.objects.count() == 0


def test_an_htmx_post_with_errors_returns_only_the_form(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        _url(wereld.leerling_a),
        _post(wereld.leerling_a, fase(1), reden=""),
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form method="post"')
    assert "<nav" not in html


def test_an_htmx_post_that_succeeds_sends_the_browser_to_the_student(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        _url(wereld.leerling_a), _post(wereld.leerling_a, fase(1)), headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"].endswith(f"/leerlingen/{wereld.leerling_a.pk}/#zorgfase")


@pytest.mark.parametrize("rol", ["leerkracht", "titularis", "clb", "secretariaat"])
def test_others_who_see_the_student_get_404_when_changing_the_phase(wereld, client_voor, rol):
    if rol == "clb":
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)  # so the CLB sees her
    client = client_voor(wereld.users[rol])
    assert client.get(_url(wereld.leerling_a)).status_code == 404
    response = client.post(_url(wereld.leerling_a), _post(wereld.leerling_a, fase(1)))
    assert response.status_code == 404
    assert ZorgfaseWijziging.objects.count() == 0


def test_a_care_coordinator_of_another_school_gets_404(wereld, client_voor):
    client = client_voor(wereld.buitenstaander)
    for naam in ("leerlingen:zorgfase_wijzigen", "leerlingen:aanmelding_nieuw"):
        assert client.get(_url(wereld.leerling_a, naam)).status_code == 404
    response = client.post(_url(wereld.leerling_a), _post(wereld.leerling_a, fase(1)))
    assert response.status_code == 404
    assert ZorgfaseWijziging.objects.count() == 0


# --- the views: a direct referral --------------------------------------------------


def test_a_care_coordinator_refers_a_student_directly(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        _url(wereld.leerling_a, "leerlingen:aanmelding_nieuw"),
        {
            "hulpvraag": HULPVRAAG,
            "datum": VANDAAG().isoformat(),
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    aanmelding = Aanmelding.objects.get()
    assert (aanmelding.bron, aanmelding.hulpvraag) == (Aanmelding.Bron.RECHTSTREEKS, HULPVRAAG)


def test_a_referral_without_a_question_shows_the_form_again(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        _url(wereld.leerling_a, "leerlingen:aanmelding_nieuw"),
        {"hulpvraag": " ", "datum": VANDAAG().isoformat()},
    )
    assert response.status_code == 200
    assert "hulpvraag" in response.context["form"].errors
    assert not Aanmelding.objects.exists()


def test_a_teacher_cannot_refer_a_student(wereld, client_voor):
    response = client_voor(wereld.titularis).post(
        _url(wereld.leerling_a, "leerlingen:aanmelding_nieuw"),
        {
            "hulpvraag": HULPVRAAG,
            "datum": VANDAAG().isoformat(),
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 404
    assert not Aanmelding.objects.exists()


# --- the student-page section --------------------------------------------------------


GEHEIME_REDEN = "Thuissituatie moeilijk sinds de scheiding (vertrouwelijk)."


@pytest.fixture
def met_geschiedenis(wereld):
    """leerling_a went 0 → 1 → 2 (referred) and back to 0."""
    leerling = wereld.leerling_a
    wijzig(leerling, fase(1), wereld.zorgcoordinator, reden=GEHEIME_REDEN)
    wijzig(leerling, fase(2), wereld.zorgcoordinator, hulpvraag=HULPVRAAG)
    wijzig(leerling, fase(0), wereld.directie, reden="Alles loopt weer vlot.")
    return leerling


def _pagina(client, leerling) -> str:
    response = client.get(reverse("leerlingen:leerling_detail", args=[leerling.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_care_team_sees_history_reasons_de_escalation_and_open_referrals(
    wereld, client_voor, met_geschiedenis
):
    html = _pagina(client_voor(wereld.zorgcoordinator), met_geschiedenis)

    assert 'data-testid="zorgfase-geschiedenis"' in html
    assert GEHEIME_REDEN in html
    assert "cel leerlingbegeleiding" in html or "begeleidende klassenraad" in html
    assert 'class="afschaling"' in html
    assert ">afschaling<" in html
    assert 'data-testid="open-aanmeldingen"' in html and HULPVRAAG in html
    assert reverse("leerlingen:zorgfase_wijzigen", args=[met_geschiedenis.pk]) in html
    assert reverse("leerlingen:aanmelding_nieuw", args=[met_geschiedenis.pk]) in html


def test_the_clb_sees_the_history_but_gets_no_button_to_change(
    wereld, client_voor, met_geschiedenis
):
    # wereld.clb is the CLB itself; its staff member is a user. The phase
    # change to 2 left an open referral: the CLB reaches her.
    assert Aanmelding.objects.filter(leerling=met_geschiedenis, status="open").exists()
    html = _pagina(client_voor(wereld.users["clb"]), met_geschiedenis)

    assert GEHEIME_REDEN in html
    assert reverse("leerlingen:zorgfase_wijzigen", args=[met_geschiedenis.pk]) not in html


@pytest.mark.parametrize("rol", ["leerkracht", "titularis"])
def test_a_teacher_sees_the_current_phase_but_not_the_history_or_reasons(
    wereld, client_voor, met_geschiedenis, rol
):
    html = _pagina(client_voor(wereld.users[rol]), met_geschiedenis)

    assert 'data-testid="sectie-huidige-fase">0. Brede basiszorg<' in html
    assert 'data-testid="zorgfase-geschiedenis"' not in html
    assert GEHEIME_REDEN not in html
    assert "Alles loopt weer vlot." not in html
    assert HULPVRAAG not in html
    assert reverse("leerlingen:zorgfase_wijzigen", args=[met_geschiedenis.pk]) not in html


def test_a_teacher_sees_phase_moves_on_the_timeline_but_not_the_referral(
    wereld, client_voor, met_geschiedenis
):
    response = client_voor(wereld.leerkracht).get(
        reverse("leerlingen:tijdlijn", args=[met_geschiedenis.pk])
    )
    html = response.content.decode()
    assert "Zorgfase: 1. Verhoogde zorg → 2. Uitbreiding van zorg" in html
    assert "Afschaling: 2. Uitbreiding van zorg → 0. Brede basiszorg" in html
    assert HULPVRAAG not in html and GEHEIME_REDEN not in html


def test_the_secretariat_sees_no_phase_at_all(wereld, client_voor, met_geschiedenis):
    html = _pagina(client_voor(wereld.secretariaat), met_geschiedenis)

    assert 'data-testid="sectie-zorgfase"' not in html
    assert "Brede basiszorg" not in html
    assert GEHEIME_REDEN not in html


def test_the_section_is_empty_for_who_may_not_see_care(wereld, met_geschiedenis):
    request = RequestFactory().get("/")
    request.user = wereld.secretariaat
    assert zorgfase_views.sectie(request, met_geschiedenis) == {}


def _vul_geschiedenis(leerling, aantal: int, users) -> None:
    """`aantal` moves back and forth between phase 0 and 1, by several
    people, plus as many referrals: one open (a student has at most one),
    the others closed."""
    nul, een = fase(0), fase(1)
    open_ = Aanmelding.objects.filter(leerling=leerling, status=Aanmelding.Status.OPEN).exists()
    ZorgfaseWijziging.objects.bulk_create(
        ZorgfaseWijziging(
            leerling=leerling,
            van=nul if i % 2 == 0 else een,
            naar=een if i % 2 == 0 else nul,
            datum=VANDAAG() - datetime.timedelta(days=aantal - i),
            reden=f"reden {i}",
            beslist_waar="begeleidende klassenraad",
            beslist_door=users[i % len(users)],
        )
        for i in range(aantal)
    )
    Aanmelding.objects.bulk_create(
        Aanmelding(
            leerling=leerling,
            datum=VANDAAG(),
            hulpvraag=f"vraag {i}",
            bron=Aanmelding.Bron.RECHTSTREEKS,
            aangemaakt_door=users[i % len(users)],
            status=Aanmelding.Status.OPEN if i == 0 and not open_ else Aanmelding.Status.AFGESLOTEN,
        )
        for i in range(aantal)
    )


def _sectie_queries(user, pk) -> tuple[int, dict]:
    from leerlingen import policies

    request = RequestFactory().get("/")
    request.user = user
    leerling = policies.get_leerling_for_user(user, pk)
    with CaptureQueriesContext(connection) as ctx:
        context = zorgfase_views.sectie(request, leerling)
    return len(ctx.captured_queries), context


def test_the_section_costs_the_same_queries_for_5_or_50_history_rows(wereld, client_voor):
    # Guards the N+1 on each move's phases and decider, and each referral's
    # author (joined, not fetched per row).
    users = [wereld.zorgcoordinator, wereld.directie, f.UserFactory()]
    leerling = wereld.leerling_a
    _vul_geschiedenis(leerling, 5, users)
    weinig, context = _sectie_queries(wereld.zorgcoordinator, leerling.pk)
    assert len(context["wijzigingen"]) == 5

    _vul_geschiedenis(leerling, 45, users)
    veel, context = _sectie_queries(wereld.zorgcoordinator, leerling.pk)
    assert len(context["wijzigingen"]) == 50 and len(context["aanmeldingen"]) == 1
    assert veel == weinig
    assert veel <= 4

    # The whole student page likewise.
    client = client_voor(wereld.zorgcoordinator)
    url = reverse("leerlingen:leerling_detail", args=[leerling.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as bij_50:
        client.get(url)
    ZorgfaseWijziging.objects.filter(leerling=leerling).exclude(
        pk__in=ZorgfaseWijziging.objects.filter(leerling=leerling).order_by("pk")[:5]
    ).delete()
    with CaptureQueriesContext(connection) as bij_5:
        client.get(url)
    assert len(bij_50.captured_queries) == len(bij_5.captured_queries)


def test_the_section_and_the_forms_run_no_queries_in_templates(
    wereld, client_voor, template_queries, met_geschiedenis
):
    client = client_voor(wereld.zorgcoordinator)
    html = _pagina(client, met_geschiedenis)
    assert 'data-testid="zorgfase-geschiedenis"' in html
    assert client.get(_url(met_geschiedenis)).status_code == 200
    assert client.get(_url(met_geschiedenis, "leerlingen:aanmelding_nieuw")).status_code == 200
    assert template_queries == []


# --- one open referral per student ---------------------------------------------------


def test_a_second_referral_while_one_waits_for_the_clb_is_refused_with_a_message(wereld):
    eerste = aanmelding_maken(
        leerling=wereld.leerling_a, hulpvraag=HULPVRAAG, datum=VANDAAG(), door=wereld.directie
    )
    voor = tellingen()

    with pytest.raises(ZorgfaseRegelFout) as exc:
        aanmelding_maken(
            leerling=wereld.leerling_a,
            hulpvraag="Nog eens",
            datum=VANDAAG(),
            door=wereld.zorgcoordinator,
        )

    bericht = " ".join(exc.value.message_dict[NON_FIELD_ERRORS])
    assert "Lotte Peeters is al aangemeld bij het CLB" in bericht
    assert eerste.datum.strftime("%d/%m/%Y") in bericht
    assert tellingen() == voor


def test_a_new_referral_is_possible_once_the_clb_accepted_the_open_one(wereld):
    eerste = aanmelding_maken(
        leerling=wereld.leerling_a, hulpvraag=HULPVRAAG, datum=VANDAAG(), door=wereld.directie
    )
    Aanmelding.objects.filter(pk=eerste.pk).update(status=Aanmelding.Status.AANVAARD)
    aanmelding_maken(
        leerling=wereld.leerling_a, hulpvraag="Nieuw", datum=VANDAAG(), door=wereld.directie
    )
    assert Aanmelding.objects.filter(status=Aanmelding.Status.OPEN).count() == 1


def test_the_database_refuses_a_second_open_referral(wereld):
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        aanmelding(wereld.leerling_a, wereld.directie)
    aanmelding(wereld.leerling_a, wereld.directie, status=Aanmelding.Status.AFGESLOTEN)
    assert Aanmelding.objects.count() == 2


def test_the_referral_page_shows_the_open_referral_instead_of_a_second_one(wereld, client_voor):
    aanmelding(wereld.leerling_a, wereld.directie)
    response = client_voor(wereld.zorgcoordinator).post(
        _url(wereld.leerling_a, "leerlingen:aanmelding_nieuw"),
        {"hulpvraag": HULPVRAAG, "datum": VANDAAG().isoformat(), "sleutel": str(uuid.uuid4())},
    )
    assert response.status_code == 200
    assert "is al aangemeld bij het CLB" in response.content.decode()
    assert Aanmelding.objects.count() == 1


def test_moving_up_to_extended_care_with_a_referral_waiting_uses_that_referral(wereld):
    naar_fase(wereld.leerling_a, 1, wereld.zorgcoordinator)
    wachtend = aanmelding(wereld.leerling_a, wereld.directie)

    wijziging = wijzig(wereld.leerling_a, fase(2), wereld.zorgcoordinator, hulpvraag=HULPVRAAG)

    assert Aanmelding.objects.get() == wachtend
    wachtend.refresh_from_db()
    assert wachtend.zorgfase_wijziging == wijziging
