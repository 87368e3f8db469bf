"""Decisions that write: each kind does what it says through the care
record's services, lands on the timeline with a link to the meeting and the
meeting's visibility, and is saved whole or not at all. Every refusal has a
clear Dutch message; the decision form is the care team's alone."""

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from klassenraad.models import (
    HANDMATIGE_SOORTEN,
    Actiepunt,
    Beslissing,
    BeslissingSoort,
    Overleg,
    OverlegSoort,
)
from klassenraad.services.beslissingen import (
    ActiepuntFout,
    ActiepuntGegevens,
    beslissing_registreren,
)
from klassenraad.services.overleggen import notities_opslaan
from leerlingen import domeinen
from leerlingen.models import (
    Aanmelding,
    Bereik,
    Maatregel,
    MaatregelSoort,
    TijdlijnItem,
    Zichtbaarheid,
    Zorgfase,
    ZorgfaseWijziging,
)
from leerlingen.services.maatregelen import MaatregelGegevens
from leerlingen.services.zorgfase import ZorgfaseRegelFout
from leerlingen.views.tijdlijn import tijdlijn_items
from tests import factories as f
from tests.klassenraad import factories as kf
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from zorg.audit.models import Actie, AuditEvent
from zorg.meldingen.models import Melding
from zorg.versies import VerouderdeVersie

VANDAAG = timezone.localdate
DAG = datetime.timedelta(days=1)
NIET_OP_AGENDA = (
    "Deze leerling staat niet op de agenda van dit overleg. Zet hem eerst op de agenda."
)


# --- helpers ------------------------------------------------------------------------


@pytest.fixture
def cel(wereld):
    """Today's care cell of school 1, planned, with leerling_a on the agenda."""
    o = kf.overleg(wereld, moment=timezone.now())
    punt = kf.agendapunt(o, wereld.leerling_a)
    o.punt = punt
    return o


def _gegevens(**kwargs) -> MaatregelGegevens:
    waarden = {
        "soort": MaatregelSoort.COMPENSEREND,
        "titel": "Laptop met voorleessoftware",
        "domeinen": domeinen.LEREN,
        "bereik": Bereik.ALLE_VAKKEN,
        "begin": VANDAAG(),
        "evaluatiedatum": VANDAAG() + 60 * DAG,
        "beslist_waar": "wordt overschreven",
    }
    waarden.update(kwargs)
    return MaatregelGegevens(**waarden)


def _actiepunt(wereld, **kwargs) -> ActiepuntGegevens:
    waarden = {
        "omschrijving": "Ouders uitnodigen",
        "eigenaar": wereld.titularis,
        "vervaldatum": VANDAAG() + 7 * DAG,
    }
    waarden.update(kwargs)
    return ActiepuntGegevens(**waarden)


def _beslis(wereld, overleg, soort=BeslissingSoort.AFSPRAAK, **kwargs) -> Beslissing:
    kwargs.setdefault("leerling", wereld.leerling_a)
    kwargs.setdefault("tekst", "Zo besloten op de cel.")
    kwargs.setdefault("door", wereld.zorgcoordinator)
    return beslissing_registreren(overleg=overleg, soort=soort, **kwargs)


def _berichten(exc: ValidationError, veld: str) -> str:
    return " ".join(exc.message_dict[veld])


def _niets_bewaard():
    assert not Beslissing.objects.exists()
    assert not Actiepunt.objects.exists()
    assert not Maatregel.objects.exists()
    assert not TijdlijnItem.objects.exists()
    # Logging in is audited; nothing about a student is.
    assert not AuditEvent.objects.exclude(onderwerp="sessie").exists()


def _datum(overleg) -> str:
    return timezone.localtime(overleg.moment).strftime("%d/%m/%Y")


def _fase(wereld, nummer) -> Zorgfase:
    return Zorgfase.objects.get(schooltype=wereld.school.schooltype, nummer=nummer)


# --- each kind does what it says -----------------------------------------------------


def test_starting_a_measure_records_it_active_and_writes_the_decision_on_the_timeline(
    wereld, cel, client_voor
):
    beslissing = _beslis(
        wereld,
        cel,
        BeslissingSoort.MAATREGEL_STARTEN,
        tekst="Lotte krijgt een laptop met voorleessoftware.",
        maatregel_gegevens=_gegevens(),
    )

    maatregel = Maatregel.objects.get()
    assert beslissing.maatregel == maatregel
    assert beslissing.agendapunt == cel.punt
    assert maatregel.status == Maatregel.Status.ACTIEF
    assert maatregel.leerling == wereld.leerling_a
    assert maatregel.beslist_waar == str(cel)
    assert maatregel.beslist_waar.startswith("cel leerlingbegeleiding – ")
    item = TijdlijnItem.objects.get(soort=TijdlijnItem.Soort.BESLISSING)
    assert item.bron_type == "klassenraad.beslissing"
    assert item.bron_id == beslissing.pk
    assert item.titel == (
        f"Beslissing op de cel leerlingbegeleiding van {_datum(cel)}: maatregel starten"
    )
    assert item.tekst == "Lotte krijgt een laptop met voorleessoftware."
    assert item.url == reverse("klassenraad:overleg_detail", args=[cel.pk])
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    event = AuditEvent.objects.get(onderwerp="beslissing")
    assert event.actie == Actie.AANMAKEN
    assert event.leerling_id == wereld.leerling_a.pk
    assert event.object_id == str(beslissing.pk)
    cel.refresh_from_db()
    assert cel.status == Overleg.Status.BEZIG
    # The class team sees it on the class measures overview.
    html = client_voor(wereld.leerkracht).get(
        reverse("leerlingen:klas_maatregelen", args=[wereld.klas_a.pk])
    )
    assert "Laptop met voorleessoftware" in html.content.decode()


def test_a_measure_can_be_started_as_a_proposal(wereld, cel):
    _beslis(
        wereld,
        cel,
        BeslissingSoort.MAATREGEL_STARTEN,
        maatregel_gegevens=_gegevens(status=Maatregel.Status.VOORGESTELD),
    )
    assert Maatregel.objects.get().status == Maatregel.Status.VOORGESTELD


def test_adjusting_a_measure_saves_the_edit_from_the_version_it_started_from(wereld, cel):
    m = MaatregelFactory(leerling=wereld.leerling_a, beslist_door=wereld.zorgcoordinator)
    beslissing = _beslis(
        wereld,
        cel,
        BeslissingSoort.MAATREGEL_AANPASSEN,
        maatregel=m,
        maatregel_versie=1,
        maatregel_gegevens=_gegevens(titel="Extra tijd: een half uur", begin=m.begin),
    )
    m.refresh_from_db()
    assert m.titel == "Extra tijd: een half uur"
    assert m.versie == 2
    assert beslissing.maatregel_id == m.pk


def test_adjusting_a_measure_someone_else_changed_is_refused_and_nothing_is_saved(wereld, cel):
    m = MaatregelFactory(leerling=wereld.leerling_a, beslist_door=wereld.zorgcoordinator)
    Maatregel.objects.filter(pk=m.pk).update(versie=F("versie") + 1, titel="Nieuwer")
    with pytest.raises(VerouderdeVersie) as exc:
        _beslis(
            wereld,
            cel,
            BeslissingSoort.MAATREGEL_AANPASSEN,
            maatregel=m,
            maatregel_versie=1,
            maatregel_gegevens=_gegevens(titel="Oud"),
        )
    assert "Iemand anders wijzigde deze maatregel intussen" in _berichten(
        exc.value, NON_FIELD_ERRORS
    )
    assert exc.value.huidig.titel == "Nieuwer"
    m.refresh_from_db()
    assert m.titel == "Nieuwer"
    assert not Beslissing.objects.exists()


def test_stopping_a_measure_ends_it_with_the_decision_as_reason(wereld, cel):
    m = MaatregelFactory(leerling=wereld.leerling_a, beslist_door=wereld.zorgcoordinator)
    _beslis(
        wereld,
        cel,
        BeslissingSoort.MAATREGEL_STOPPEN,
        tekst="Niet meer nodig: haalt goede punten.",
        maatregel=m,
        maatregel_versie=m.versie,
    )
    m.refresh_from_db()
    assert m.status == Maatregel.Status.GESTOPT
    assert m.einde == VANDAAG()
    stop = TijdlijnItem.objects.get(soort=TijdlijnItem.Soort.MAATREGEL)
    assert "Niet meer nodig: haalt goede punten." in stop.tekst


def test_stopping_a_measure_of_another_student_or_a_stale_version_is_refused(wereld, cel):
    andere = MaatregelFactory(leerling=wereld.leerling_b, beslist_door=wereld.zorgcoordinator)
    with pytest.raises(ValidationError) as exc:
        _beslis(
            wereld, cel, BeslissingSoort.MAATREGEL_STOPPEN, maatregel=andere, maatregel_versie=1
        )
    assert "hoort niet bij deze leerling" in _berichten(exc.value, "maatregel")
    m = MaatregelFactory(leerling=wereld.leerling_a, beslist_door=wereld.zorgcoordinator)
    Maatregel.objects.filter(pk=m.pk).update(versie=5)
    with pytest.raises(VerouderdeVersie):
        _beslis(wereld, cel, BeslissingSoort.MAATREGEL_STOPPEN, maatregel=m, maatregel_versie=1)
    m.refresh_from_db()
    assert m.status == Maatregel.Status.ACTIEF
    assert not Beslissing.objects.exists()


def test_a_phase_change_moves_the_student_through_the_phase_rules(wereld, cel):
    beslissing = _beslis(
        wereld,
        cel,
        BeslissingSoort.ZORGFASE,
        tekst="Verhoogde zorg: leest traag in alle vakken.",
        van=_fase(wereld, 0),
        naar=_fase(wereld, 1),
    )
    wereld.leerling_a.refresh_from_db()
    assert wereld.leerling_a.zorgfase.nummer == 1
    wijziging = ZorgfaseWijziging.objects.get()
    assert beslissing.zorgfase_wijziging == wijziging
    assert wijziging.reden == "Verhoogde zorg: leest traag in alle vakken."
    assert wijziging.beslist_waar == str(cel)
    assert beslissing.aanmelding is None


def test_a_phase_change_the_rules_refuse_saves_nothing(wereld, cel):
    with pytest.raises(ZorgfaseRegelFout) as exc:
        _beslis(wereld, cel, BeslissingSoort.ZORGFASE, van=_fase(wereld, 0), naar=_fase(wereld, 2))
    assert "Een fase overslaan kan niet" in _berichten(exc.value, "naar")
    wereld.leerling_a.refresh_from_db()
    assert wereld.leerling_a.zorgfase.nummer == 0
    assert not Beslissing.objects.exists()
    cel.refresh_from_db()
    assert cel.status == Overleg.Status.GEPLAND


def test_moving_up_to_extended_care_needs_a_question_for_help_and_refers_the_student(wereld, cel):
    wereld.leerling_a.zorgfase = _fase(wereld, 1)
    wereld.leerling_a.save()
    with pytest.raises(ZorgfaseRegelFout) as exc:
        _beslis(wereld, cel, BeslissingSoort.ZORGFASE, van=_fase(wereld, 1), naar=_fase(wereld, 2))
    assert "formuleer de hulpvraag" in _berichten(exc.value, "hulpvraag")

    beslissing = _beslis(
        wereld,
        cel,
        BeslissingSoort.ZORGFASE,
        van=_fase(wereld, 1),
        naar=_fase(wereld, 2),
        hulpvraag="Is er een leerstoornis?",
    )
    assert beslissing.aanmelding.hulpvraag == "Is er een leerstoornis?"
    assert beslissing.aanmelding.zorgfase_wijziging == beslissing.zorgfase_wijziging


def test_a_phase_change_from_a_stale_phase_is_refused(wereld, cel):
    with pytest.raises(ZorgfaseRegelFout) as exc:
        _beslis(wereld, cel, BeslissingSoort.ZORGFASE, van=_fase(wereld, 1), naar=_fase(wereld, 2))
    assert "Iemand anders wijzigde intussen de zorgfase" in _berichten(exc.value, NON_FIELD_ERRORS)


def test_a_referral_to_the_clb_is_recorded_as_a_care_cell_decision(wereld, cel):
    beslissing = _beslis(
        wereld, cel, BeslissingSoort.AANMELDING_CLB, hulpvraag="Hoe ondersteunen we het lezen?"
    )
    aanmelding = Aanmelding.objects.get()
    assert beslissing.aanmelding == aanmelding
    assert aanmelding.bron == Aanmelding.Bron.CEL
    assert aanmelding.hulpvraag == "Hoe ondersteunen we het lezen?"
    with pytest.raises(ZorgfaseRegelFout) as exc:
        _beslis(wereld, cel, BeslissingSoort.AANMELDING_CLB, hulpvraag="  ")
    assert "Formuleer de hulpvraag" in _berichten(exc.value, "hulpvraag")


def test_an_action_item_is_made_for_its_owner_who_is_notified_without_content(wereld, cel):
    beslissing = _beslis(
        wereld,
        cel,
        BeslissingSoort.ACTIEPUNT,
        tekst="Titularis belt.",
        actiepunt=_actiepunt(wereld),
    )
    actiepunt = Actiepunt.objects.get()
    assert actiepunt.beslissing == beslissing
    assert actiepunt.overleg == cel
    assert actiepunt.leerling == wereld.leerling_a
    assert actiepunt.eigenaar == wereld.titularis
    assert actiepunt.status == Actiepunt.Status.OPEN
    melding = Melding.objects.get()
    assert melding.ontvanger == wereld.titularis
    assert melding.titel == "Je kreeg een actiepunt"
    assert melding.link == reverse("klassenraad:actiepunt_detail", args=[actiepunt.pk])
    assert "Lotte" not in melding.titel + melding.tekst
    item = TijdlijnItem.objects.get(soort=TijdlijnItem.Soort.BESLISSING)
    assert "Ouders uitnodigen" in item.tekst


def test_the_owner_recording_their_own_action_item_gets_no_notification(wereld, cel):
    _beslis(
        wereld,
        cel,
        BeslissingSoort.AFSPRAAK,
        actiepunt=_actiepunt(wereld, eigenaar=wereld.zorgcoordinator),
    )
    assert Actiepunt.objects.get().eigenaar == wereld.zorgcoordinator
    assert not Melding.objects.exists()


def test_a_parent_talk_is_an_action_item_with_a_default_description(wereld, cel):
    with pytest.raises(ActiepuntFout) as exc:
        _beslis(wereld, cel, BeslissingSoort.OUDERGESPREK)
    assert "kies wie het opneemt" in _berichten(exc.value, "eigenaar")
    _beslis(
        wereld, cel, BeslissingSoort.OUDERGESPREK, actiepunt=_actiepunt(wereld, omschrijving="")
    )
    assert Actiepunt.objects.get().omschrijving == "Oudergesprek plannen en voeren"


def test_an_agreement_is_text_alone(wereld, cel):
    beslissing = _beslis(wereld, cel, tekst="Lotte mag vooraan zitten.")
    assert beslissing.maatregel is None and beslissing.aanmelding is None
    assert not Actiepunt.objects.exists()
    assert TijdlijnItem.objects.get().tekst == "Lotte mag vooraan zitten."


def test_a_clb_worker_attending_the_cell_may_own_an_action_item(wereld, cel):
    # Attending the cell brings the students on its agenda in the worker's reach.
    cel.deelnemers.add(wereld.users["clb"])
    _beslis(wereld, cel, actiepunt=_actiepunt(wereld, eigenaar=wereld.users["clb"]))
    assert Actiepunt.objects.get().eigenaar == wereld.users["clb"]


def test_a_clb_worker_who_does_not_reach_the_student_may_not_own_an_action_item(wereld, cel):
    with pytest.raises(ActiepuntFout) as exc:
        _beslis(wereld, cel, actiepunt=_actiepunt(wereld, eigenaar=wereld.users["clb"]))
    assert "mag het zorgdossier van Lotte Peeters niet inzien" in _berichten(exc.value, "eigenaar")
    _niets_bewaard()


# --- visibility on the timeline ------------------------------------------------------


def test_a_teacher_sees_a_class_council_decision_but_not_a_care_cell_one(wereld, cel):
    raad = kf.overleg(wereld, OverlegSoort.BEGELEIDEND)
    kf.agendapunt(raad, wereld.leerling_a)
    _beslis(wereld, cel, tekst="Op de cel.")
    _beslis(wereld, raad, tekst="Op de klassenraad.")

    leerkracht = [i.tekst for i in tijdlijn_items(wereld.leerkracht, wereld.leerling_a)]
    zorg = [i.tekst for i in tijdlijn_items(wereld.zorgcoordinator, wereld.leerling_a)]
    assert leerkracht == ["Op de klassenraad."]
    assert sorted(zorg) == ["Op de cel.", "Op de klassenraad."]
    titel = TijdlijnItem.objects.get(tekst="Op de klassenraad.").titel
    assert titel.startswith("Beslissing op de begeleidende klassenraad van ")
    assert TijdlijnItem.objects.get(tekst="Op de klassenraad.").zichtbaarheid == (
        Zichtbaarheid.KLASTEAM
    )


# --- refusals, nothing half-saved ---------------------------------------------------


def test_a_failing_action_item_rolls_back_the_measure_already_made(wereld, cel):
    with pytest.raises(ActiepuntFout) as exc:
        _beslis(
            wereld,
            cel,
            BeslissingSoort.MAATREGEL_STARTEN,
            maatregel_gegevens=_gegevens(),
            actiepunt=_actiepunt(wereld, vervaldatum=VANDAAG() - DAG),
        )
    assert "De vervaldatum ligt in het verleden" in _berichten(exc.value, "vervaldatum")
    _niets_bewaard()
    cel.refresh_from_db()
    assert cel.status == Overleg.Status.GEPLAND


def test_a_decision_marks_the_student_discussed_and_raises_the_items_version(wereld, cel):
    voor = cel.punt.versie
    assert not cel.punt.besproken

    _beslis(wereld, cel)
    _beslis(wereld, cel, tekst="Nog een afspraak.")

    cel.punt.refresh_from_db()
    assert cel.punt.besproken
    # Once: the second decision finds the item discussed already.
    assert cel.punt.versie == voor + 1
    # Notes begun before the decision are not saved over the tick silently.
    with pytest.raises(VerouderdeVersie):
        notities_opslaan(
            agendapunt=cel.punt, notities="Oud", besproken=False, versie=voor, door=wereld.directie
        )


def test_a_student_not_on_the_agenda_is_refused(wereld, cel):
    with pytest.raises(ValidationError) as exc:
        _beslis(wereld, cel, leerling=wereld.leerling_b)
    assert _berichten(exc.value, "leerling") == NIET_OP_AGENDA
    _niets_bewaard()


def test_a_closed_meeting_takes_no_decisions(wereld, cel):
    Overleg.objects.filter(pk=cel.pk).update(
        status=Overleg.Status.AFGESLOTEN, afgesloten_op=timezone.now()
    )
    with pytest.raises(ValidationError) as exc:
        _beslis(wereld, cel)
    assert "Dit overleg is afgesloten" in _berichten(exc.value, NON_FIELD_ERRORS)
    _niets_bewaard()


@pytest.mark.parametrize(
    ("veld", "waarden", "bericht"),
    [
        ("eigenaar", {"eigenaar": None}, "Kies wie het actiepunt opneemt"),
        ("vervaldatum", {"vervaldatum": None}, "Vul in tegen wanneer"),
        ("vervaldatum", {"vervaldatum": datetime.date(2020, 1, 1)}, "ligt in het verleden"),
        ("omschrijving", {"omschrijving": "  "}, "Beschrijf wat er moet gebeuren"),
    ],
)
def test_an_incomplete_action_item_is_refused(wereld, cel, veld, waarden, bericht):
    with pytest.raises(ActiepuntFout) as exc:
        _beslis(wereld, cel, BeslissingSoort.ACTIEPUNT, actiepunt=_actiepunt(wereld, **waarden))
    assert bericht in _berichten(exc.value, veld)
    _niets_bewaard()


@pytest.mark.parametrize("rol", ["buitenstaander", "clb_ander", "platform"])
def test_an_owner_from_outside_the_school_is_refused(wereld, cel, rol):
    with pytest.raises(ActiepuntFout) as exc:
        _beslis(wereld, cel, actiepunt=_actiepunt(wereld, eigenaar=wereld.users[rol]))
    assert "mag het zorgdossier van Lotte Peeters niet inzien" in _berichten(exc.value, "eigenaar")
    _niets_bewaard()


def test_an_inactive_membership_does_not_make_an_owner(wereld, cel):
    wereld.titularis.lidmaatschappen.update(actief=False)
    with pytest.raises(ActiepuntFout):
        _beslis(wereld, cel, actiepunt=_actiepunt(wereld))


def test_a_decision_needs_a_text(wereld, cel):
    with pytest.raises(ValidationError) as exc:
        _beslis(wereld, cel, tekst="   ")
    assert "Beschrijf de beslissing" in _berichten(exc.value, "tekst")


# --- the decision form ----------------------------------------------------------------


def _url(overleg) -> str:
    return reverse("klassenraad:beslissing_nieuw", args=[overleg.pk])


def _maatregel_post(leerling, **kwargs) -> dict:
    data = {
        "leerling": str(leerling.pk),
        "soort": BeslissingSoort.MAATREGEL_STARTEN,
        "tekst": "Extra tijd bij toetsen, te evalueren na de kerstexamens.",
        "maatregel-soort": MaatregelSoort.COMPENSEREND,
        "maatregel-titel": "Extra tijd bij toetsen",
        "maatregel-domeinen": [str(domeinen.LEREN)],
        "maatregel-bereik": Bereik.ALLE_VAKKEN,
        "maatregel-begin": VANDAAG().isoformat(),
        "maatregel-evaluatiedatum": (VANDAAG() + 60 * DAG).isoformat(),
        "maatregel-status": Maatregel.Status.ACTIEF,
        "actiepunt-omschrijving": "",
        "actiepunt-eigenaar": "",
        "actiepunt-vervaldatum": "",
        "sleutel": str(uuid.uuid4()),
    }
    data.update(kwargs)
    return data


@pytest.mark.parametrize(
    "rol", ["leerkracht", "titularis", "clb", "secretariaat", "beheerder", "buitenstaander"]
)
def test_only_the_care_team_opens_the_decision_form(wereld, cel, client_voor, rol):
    if rol == "clb":
        cel.deelnemers.add(wereld.users["clb"])  # takes part, reads all, decides nothing
    client = client_voor(wereld.users[rol])
    assert client.get(_url(cel)).status_code == 404
    assert client.post(_url(cel), _maatregel_post(wereld.leerling_a)).status_code == 404
    assert not Maatregel.objects.exists()


def test_a_closed_meeting_has_no_decision_form(wereld, cel, client_voor):
    Overleg.objects.filter(pk=cel.pk).update(
        status=Overleg.Status.AFGESLOTEN, afgesloten_op=timezone.now()
    )
    assert client_voor(wereld.zorgcoordinator).get(_url(cel)).status_code == 404


# The remediation decisions come from the selection page, not this form.
@pytest.mark.parametrize("soort", [w for w, _label in HANDMATIGE_SOORTEN])
def test_the_form_shows_what_each_kind_needs_without_template_queries(
    wereld, cel, client_voor, template_queries, soort
):
    m = MaatregelFactory(leerling=wereld.leerling_a, beslist_door=wereld.zorgcoordinator)
    f.VakFactory(school=wereld.school, naam="Frans")
    response = client_voor(wereld.zorgcoordinator).get(
        _url(cel), {"leerling": wereld.leerling_a.pk, "soort": soort, "maatregel": m.pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="tekst"' in html
    assert 'name="actiepunt-eigenaar"' in html
    verwacht = {
        "maatregel_starten": 'name="maatregel-titel"',
        "maatregel_aanpassen": 'name="maatregel-versie"',
        "maatregel_stoppen": 'name="maatregel_versie"',
        "zorgfase": 'name="fase-naar"',
        "aanmelding_clb": 'name="aanmelding-hulpvraag"',
    }
    if soort in verwacht:
        assert verwacht[soort] in html
    assert template_queries == []


def test_the_form_offers_only_students_on_the_agenda_and_first_asks_whom_and_what(
    wereld, cel, client_voor
):
    response = client_voor(wereld.zorgcoordinator).get(_url(cel))
    html = response.content.decode()
    assert "Lotte Peeters (3A)" in html
    assert "Noah Janssens" not in html
    assert 'data-testid="kies-eerst"' in html
    assert 'name="tekst"' not in html


def test_a_link_from_the_meeting_preselects_student_and_kind(wereld, cel, client_voor):
    response = client_voor(wereld.zorgcoordinator).get(
        _url(cel), {"leerling": wereld.leerling_a.pk, "soort": "oudergesprek"}
    )
    html = response.content.decode()
    assert "Oudergesprek afspreken voor Lotte Peeters" in html
    assert 'value="Oudergesprek plannen en voeren"' in html
    # Reading the student's care data through the form is audited.
    assert AuditEvent.objects.filter(onderwerp="beslissing", actie=Actie.LEZEN).exists()


def test_recording_a_measure_with_an_action_item_through_the_form(wereld, cel, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    response = client.post(
        _url(cel),
        _maatregel_post(
            wereld.leerling_a,
            **{
                "actiepunt-omschrijving": "Laptop installeren",
                "actiepunt-eigenaar": str(wereld.titularis.pk),
                "actiepunt-vervaldatum": (VANDAAG() + 14 * DAG).isoformat(),
            },
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("klassenraad:overleg_detail", args=[cel.pk]) + f"#punt-{cel.punt.pk}"
    )
    maatregel = Maatregel.objects.get()
    assert maatregel.titel == "Extra tijd bij toetsen"
    assert maatregel.beslist_waar == str(cel)
    actiepunt = Actiepunt.objects.get()
    assert actiepunt.eigenaar == wereld.titularis
    assert actiepunt.beslissing.maatregel == maatregel


def test_a_tampered_student_gets_the_clear_message_and_saves_nothing(wereld, cel, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        _url(cel), _maatregel_post(wereld.leerling_b)
    )
    assert response.status_code == 200
    assert NIET_OP_AGENDA in response.content.decode()
    _niets_bewaard()


def test_a_past_due_date_shows_beside_its_field_and_saves_nothing(wereld, cel, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        _url(cel),
        _maatregel_post(
            wereld.leerling_a,
            **{
                "actiepunt-omschrijving": "Laptop installeren",
                "actiepunt-eigenaar": str(wereld.titularis.pk),
                "actiepunt-vervaldatum": (VANDAAG() - DAG).isoformat(),
            },
        ),
    )
    assert response.status_code == 200
    form = response.context["actiepunt_form"]
    assert "De vervaldatum ligt in het verleden" in " ".join(form.errors["vervaldatum"])
    assert not Maatregel.objects.exists()


def test_an_owner_of_another_school_cannot_be_chosen(wereld, cel, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        _url(cel),
        {
            "sleutel": str(uuid.uuid4()),
            "leerling": wereld.leerling_a.pk,
            "soort": BeslissingSoort.ACTIEPUNT,
            "tekst": "Opvolgen.",
            "actiepunt-omschrijving": "Bellen",
            "actiepunt-eigenaar": str(wereld.buitenstaander.pk),
            "actiepunt-vervaldatum": (VANDAAG() + DAG).isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["actiepunt_form"].errors["eigenaar"]
    assert not Actiepunt.objects.exists()


def test_an_action_item_kind_without_owner_says_so(wereld, cel, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        _url(cel),
        {
            "sleutel": str(uuid.uuid4()),
            "leerling": wereld.leerling_a.pk,
            "soort": BeslissingSoort.ACTIEPUNT,
            "tekst": "Opvolgen.",
        },
    )
    assert response.status_code == 200
    fouten = response.context["actiepunt_form"].errors
    assert "Kies wie het actiepunt opneemt" in " ".join(fouten["eigenaar"])
    assert "Vul in tegen wanneer" in " ".join(fouten["vervaldatum"])
    assert not Beslissing.objects.exists()


def test_a_phase_rule_broken_through_the_form_shows_beside_the_phase(wereld, cel, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        _url(cel),
        {
            "sleutel": str(uuid.uuid4()),
            "leerling": wereld.leerling_a.pk,
            "soort": BeslissingSoort.ZORGFASE,
            "tekst": "Meteen uitbreiding van zorg.",
            "fase-van": _fase(wereld, 0).pk,
            "fase-naar": _fase(wereld, 2).pk,
            "fase-hulpvraag": "Wat is er aan de hand?",
        },
    )
    assert response.status_code == 200
    assert "Een fase overslaan kan niet" in " ".join(response.context["onderdeel"].errors["naar"])
    assert not ZorgfaseWijziging.objects.exists()


@pytest.mark.parametrize(
    ("vandaag", "voorstel"),
    [
        (datetime.date(2026, 12, 4), datetime.date(2027, 1, 29)),
        # 8 weeks after 14 June lies in August: the first school day of September.
        (datetime.date(2027, 6, 14), datetime.date(2027, 9, 1)),
    ],
)
def test_starting_a_measure_at_a_meeting_proposes_the_schools_evaluation_date(
    wereld, client_voor, vandaag, voorstel
):
    moment = datetime.datetime.combine(
        vandaag, datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(moment, tick=False):
        cel = kf.overleg(wereld, moment=moment)
        kf.agendapunt(cel, wereld.leerling_a)
        response = client_voor(wereld.zorgcoordinator).get(
            _url(cel),
            {"leerling": wereld.leerling_a.pk, "soort": BeslissingSoort.MAATREGEL_STARTEN},
        )
    onderdeel = response.context["onderdeel"]
    assert onderdeel["begin"].value() == vandaag
    assert onderdeel["evaluatiedatum"].value() == voorstel


def test_a_phase_decision_offers_only_the_moves_the_rules_allow_and_says_why_not(
    wereld, cel, client_voor
):
    _beslis(
        wereld,
        cel,
        BeslissingSoort.ZORGFASE,
        van=_fase(wereld, 0),
        naar=_fase(wereld, 1),
    )
    response = client_voor(wereld.zorgcoordinator).get(
        _url(cel), {"leerling": wereld.leerling_a.pk, "soort": BeslissingSoort.ZORGFASE}
    )

    onderdeel = response.context["onderdeel"]
    aangeboden = [onderdeel.fasen[pk].nummer for pk, _ in onderdeel.fields["naar"].choices]
    assert aangeboden == [0, 2]
    html = response.content.decode()
    start = html.index('data-testid="niet-aangeboden"')
    lijst = html[start : html.index("</ul>", start)]
    assert "3. Individueel aangepast curriculum (IAC) — eerst fase 2. Uitbreiding van zorg" in lijst


def test_a_tampered_phase_decision_for_a_phase_not_offered_is_refused_with_the_reason(
    wereld, cel, client_voor
):
    _beslis(wereld, cel, BeslissingSoort.ZORGFASE, van=_fase(wereld, 0), naar=_fase(wereld, 1))
    response = client_voor(wereld.zorgcoordinator).post(
        _url(cel),
        {
            "sleutel": str(uuid.uuid4()),
            "leerling": wereld.leerling_a.pk,
            "soort": BeslissingSoort.ZORGFASE,
            "tekst": "Meteen een IAC.",
            "fase-van": _fase(wereld, 1).pk,
            "fase-naar": _fase(wereld, 3).pk,
            "fase-welbevinden_in_gedrang": "on",
        },
    )
    assert response.status_code == 200
    fouten = " ".join(response.context["onderdeel"].errors["naar"])
    assert "Een fase overslaan kan niet" in fouten
    assert ZorgfaseWijziging.objects.count() == 1


def test_a_measure_changed_meanwhile_shows_the_saved_version_and_keeps_the_input(
    wereld, cel, client_voor
):
    m = MaatregelFactory(
        leerling=wereld.leerling_a, beslist_door=wereld.zorgcoordinator, titel="Extra tijd"
    )
    data = {
        "leerling": wereld.leerling_a.pk,
        "soort": BeslissingSoort.MAATREGEL_AANPASSEN,
        "maatregel": m.pk,
        "maatregel_versie": m.versie,
        "tekst": "Een half uur in plaats van een kwartier.",
        "maatregel-versie": m.versie,
        "maatregel-soort": m.soort,
        "maatregel-titel": "Extra tijd: een half uur",
        "maatregel-domeinen": [str(domeinen.LEREN)],
        "maatregel-bereik": Bereik.ALLE_VAKKEN,
        "maatregel-begin": m.begin.isoformat(),
        "maatregel-evaluatiedatum": m.evaluatiedatum.isoformat(),
        "sleutel": str(uuid.uuid4()),
    }
    Maatregel.objects.filter(pk=m.pk).update(versie=F("versie") + 1, titel="Extra tijd (collega)")
    client = client_voor(wereld.zorgcoordinator)

    response = client.post(_url(cel), data)

    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="conflict"' in html
    assert "Extra tijd (collega)" in html
    assert 'value="Extra tijd: een half uur"' in html
    assert not Beslissing.objects.exists()
    # Saving again applies the input over the newer version.
    data.update({"maatregel_versie": 2, "maatregel-versie": 2})
    assert client.post(_url(cel), data).status_code == 302
    m.refresh_from_db()
    assert m.titel == "Extra tijd: een half uur"


def test_switching_the_kind_with_htmx_returns_only_the_forms(wereld, cel, client_voor):
    response = client_voor(wereld.zorgcoordinator).get(
        _url(cel),
        {"leerling": wereld.leerling_a.pk, "soort": BeslissingSoort.AANMELDING_CLB},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="beslissing-inhoud"')
    assert "<html" not in html
    assert 'name="aanmelding-hulpvraag"' in html


def test_stopping_a_measure_through_the_form(wereld, cel, client_voor):
    m = MaatregelFactory(leerling=wereld.leerling_a, beslist_door=wereld.zorgcoordinator)
    response = client_voor(wereld.zorgcoordinator).post(
        _url(cel),
        {
            "sleutel": str(uuid.uuid4()),
            "leerling": wereld.leerling_a.pk,
            "soort": BeslissingSoort.MAATREGEL_STOPPEN,
            "maatregel": m.pk,
            "maatregel_versie": m.versie,
            "tekst": "Niet meer nodig.",
        },
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.status == Maatregel.Status.GESTOPT
    assert Beslissing.objects.get().maatregel == m
