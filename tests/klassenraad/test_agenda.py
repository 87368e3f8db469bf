"""The generated agenda: the proposals and their reasons (care cell, guiding
and portrait class council), the services that write the agenda, and the
agenda pages (access, the flow, read-only when closed, audit, query count)."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klassenraad.agenda import agendavoorstel, voorstellen
from klassenraad.models import (
    Actiepunt,
    Agendapunt,
    Agendareden,
    Beslissing,
    BeslissingSoort,
    Bespreekvraag,
    Overleg,
    OverlegSoort,
)
from klassenraad.services.agenda import (
    agenda_aanvaarden,
    agendapunt_verwijderen,
    leerling_toevoegen,
)
from leerlingen.models import (
    Aanmelding,
    Inschrijving,
    Leerling,
    Signaal,
    VlagBetrokkene,
    VlagKleur,
)
from tests import factories as f
from tests.klassenraad import factories as k
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.leerlingen.factories_vlaggen import vlag_met
from zorg.accounts.models import School
from zorg.audit.models import Actie, AuditEvent

# The agenda counts what happened since the last cell, in this school year:
# these tests write days of history, so the school year must be under way.
pytestmark = pytest.mark.usefixtures("schooljaar_onderweg")

CEL = OverlegSoort.CEL
R = Agendareden


def _nu():
    return timezone.now()


def _dag(waarde) -> str:
    if isinstance(waarde, datetime.datetime):
        waarde = timezone.localtime(waarde)
    return waarde.strftime("%d/%m")


def _per_leerling(lijst) -> dict:
    return {v.leerling.pk: v for v in lijst}


def _soorten(voorstel) -> list[str]:
    return [soort for soort, _tekst in voorstel.redenen]


def _rode_vlag(leerling, klas, dagen_geleden: float, **kwargs):
    return vlag_met(
        leerling,
        klas=klas,
        kleur=VlagKleur.ROOD,
        moment=_nu() - datetime.timedelta(days=dagen_geleden),
        omschrijving="Slaat een medeleerling.",
        **kwargs,
    )


def _signaal(leerling, *, dagen_geleden: float, open_: bool = True, aantal=3):
    aangemaakt = _nu() - datetime.timedelta(days=dagen_geleden)
    return Signaal.objects.create(
        leerling=leerling,
        soort=Signaal.Soort.PATROON,
        van=(aangemaakt - datetime.timedelta(days=10)).date(),
        tot=aangemaakt.date(),
        aantal=aantal,
        aangemaakt=aangemaakt,
        afgehandeld_op=None if open_ else aangemaakt + datetime.timedelta(hours=1),
    )


def _aanmelding(leerling, door, *, status=Aanmelding.Status.OPEN, dagen_geleden=3):
    return Aanmelding.objects.create(
        leerling=leerling,
        datum=timezone.localdate() - datetime.timedelta(days=dagen_geleden),
        hulpvraag="Onderzoek naar leerproblemen.",
        bron=Aanmelding.Bron.RECHTSTREEKS,
        status=status,
        aangemaakt_door=door,
    )


def _vertrokken(klas):
    leerling = f.leerling_in(klas)
    Inschrijving.objects.filter(leerling=leerling).update(
        einde=timezone.localdate() - datetime.timedelta(days=1), reden_einde="verhuisd"
    )
    return leerling


# --- the care cell: every kind of reason ------------------------------------------


def test_each_reason_of_the_care_cell_appears_with_its_explanation(wereld):
    w = wereld
    vorige = k.overleg(w, CEL, dagen=-7)
    cel = k.overleg(w, CEL, dagen=2)
    datum_cel = timezone.localtime(cel.moment).date()

    rood = w.leerling_a
    vlag = _rode_vlag(rood, w.klas_a, dagen_geleden=1)
    patroon = f.leerling_in(w.klas_a, voornaam="Pieter", achternaam="Patroon")
    signaal = _signaal(patroon, dagen_geleden=2)
    gevraagd = f.leerling_in(w.klas_b, voornaam="Greet", achternaam="Gevraagd")
    k.bespreekvraag(gevraagd, w.leerkracht_b, reden="Huilt vaak na de speeltijd.")
    evaluatie = f.leerling_in(w.klas_a, voornaam="Eva", achternaam="Evaluatie")
    maatregel = MaatregelFactory(
        leerling=evaluatie,
        titel="Extra tijd",
        evaluatiedatum=datum_cel,
        beslist_door=w.zorgcoordinator,
    )
    actie = f.leerling_in(w.klas_a, voornaam="Arne", achternaam="Actie")
    punt = k.actiepunt(vorige, actie, w.titularis, dagen=-1, omschrijving="Ouders bellen.")
    clb = f.leerling_in(w.klas_b, voornaam="Chloé", achternaam="Clb")
    aanmelding = _aanmelding(clb, w.zorgcoordinator)
    opgevolgd = f.leerling_in(w.klas_b, voornaam="Olaf", achternaam="Opvolging")
    k.agendapunt(vorige, opgevolgd)
    k.actiepunt(vorige, opgevolgd, w.zorgcoordinator, dagen=30, omschrijving="Test afnemen.")

    lijst = _per_leerling(voorstellen(cel))

    assert lijst[rood.pk].redenen == [(R.RODE_VLAG, f"Rode vlag op {_dag(vlag.moment)} (3A)")]
    assert lijst[rood.pk].klas_naam == "3A"
    assert lijst[patroon.pk].redenen == [
        (
            R.SIGNAAL,
            f"3 gele/oranje vlaggen tussen {_dag(signaal.van)} en {_dag(signaal.tot)}",
        )
    ]
    naam_b = str(w.leerkracht_b)
    assert lijst[gevraagd.pk].redenen == [
        (R.BESPREEKVRAAG, f"Gevraagd door {naam_b}: Huilt vaak na de speeltijd.")
    ]
    assert lijst[evaluatie.pk].redenen == [
        (R.EVALUATIE, f"Evaluatie van ‘Extra tijd’ gepland op {_dag(maatregel.evaluatiedatum)}")
    ]
    assert lijst[actie.pk].redenen == [
        (
            R.ACTIEPUNT,
            f"Actiepunt van {w.titularis} verliep op {_dag(punt.vervaldatum)}: Ouders bellen.",
        )
    ]
    assert lijst[clb.pk].redenen == [
        (R.AANMELDING, f"Aanmelding bij het CLB wacht sinds {_dag(aanmelding.datum)}")
    ]
    # Due in 30 days (after the cell): follow-up of the last cell only.
    assert lijst[opgevolgd.pk].redenen == [
        (R.OPVOLGING, f"Opvolging van de cel van {_dag(vorige.moment)}")
    ]
    assert set(lijst) == {
        rood.pk,
        patroon.pk,
        gevraagd.pk,
        evaluatie.pk,
        actie.pk,
        clb.pk,
        opgevolgd.pk,
    }
    assert not any(v.al_op_agenda for v in lijst.values())


def test_an_action_item_due_before_the_cell_says_it_will_expire(wereld):
    w = wereld
    vorige = k.overleg(w, CEL, dagen=-7)
    cel = k.overleg(w, CEL, dagen=5)
    punt = k.actiepunt(vorige, w.leerling_b, w.titularis, dagen=2, omschrijving="Mail sturen.")

    (voorstel,) = voorstellen(cel)

    assert voorstel.leerling == w.leerling_b
    assert (
        R.ACTIEPUNT,
        f"Actiepunt van {w.titularis} verloopt op {_dag(punt.vervaldatum)}: Mail sturen.",
    ) in voorstel.redenen


def test_a_red_flag_names_the_role_of_a_student_who_was_not_the_actor(wereld):
    w = wereld
    cel = k.overleg(w, CEL, dagen=1)
    vlag = _rode_vlag(w.leerling_a, w.klas_a, dagen_geleden=1)
    VlagBetrokkene.objects.create(
        vlag=vlag, leerling=w.leerling_b, rol=VlagBetrokkene.Rol.GETROFFEN
    )

    lijst = _per_leerling(voorstellen(cel))

    assert lijst[w.leerling_b.pk].redenen == [
        (R.RODE_VLAG, f"Rode vlag op {_dag(vlag.moment)} (3A), als getroffen")
    ]


def test_what_came_before_the_last_cell_does_not_count(wereld):
    w = wereld
    k.overleg(w, CEL, dagen=-5, status=Overleg.Status.AFGESLOTEN, afgesloten_op=_nu())
    cel = k.overleg(w, CEL, dagen=2)
    oud_rood = f.leerling_in(w.klas_a)
    _rode_vlag(oud_rood, w.klas_a, dagen_geleden=6)
    oud_signaal = f.leerling_in(w.klas_a)
    _signaal(oud_signaal, dagen_geleden=6, open_=False)
    nog_open = f.leerling_in(w.klas_a)
    _signaal(nog_open, dagen_geleden=20, open_=True)
    nieuw_afgehandeld = f.leerling_in(w.klas_a)
    _signaal(nieuw_afgehandeld, dagen_geleden=2, open_=False)

    lijst = _per_leerling(voorstellen(cel))

    assert oud_rood.pk not in lijst
    assert oud_signaal.pk not in lijst
    # Still open: proposed however old; new since the last cell: proposed
    # even though someone already handled it.
    assert _soorten(lijst[nog_open.pk]) == [R.SIGNAAL]
    assert _soorten(lijst[nieuw_afgehandeld.pk]) == [R.SIGNAAL]


def test_without_an_earlier_cell_the_last_fourteen_days_count(wereld):
    w = wereld
    cel = k.overleg(w, CEL, dagen=0)
    recent = f.leerling_in(w.klas_a)
    _rode_vlag(recent, w.klas_a, dagen_geleden=13)
    te_oud = f.leerling_in(w.klas_a)
    _rode_vlag(te_oud, w.klas_a, dagen_geleden=15)
    # A cell of the other school does not count as "the last cell".
    k.overleg(w, CEL, dagen=-3, school=w.school2)

    voorstel = agendavoorstel(cel)

    assert [v.leerling for v in voorstel.voorstellen] == [recent]
    assert voorstel.vorige is None
    assert voorstel.sinds == cel.moment - datetime.timedelta(days=14)


def test_a_later_cell_is_not_the_last_cell(wereld):
    w = wereld
    eerste = k.overleg(w, CEL, dagen=3)
    k.overleg(w, CEL, dagen=10)
    _rode_vlag(w.leerling_a, w.klas_a, dagen_geleden=1)

    voorstel = agendavoorstel(eerste)

    assert voorstel.vorige is None
    assert [v.leerling for v in voorstel.voorstellen] == [w.leerling_a]


def test_what_does_not_qualify_is_not_proposed(wereld):
    w = wereld
    vorige = k.overleg(w, CEL, dagen=-7)
    cel = k.overleg(w, CEL, dagen=2)
    datum_cel = timezone.localtime(cel.moment).date()
    leerlingen = [f.leerling_in(w.klas_a) for _ in range(8)]
    # An orange flag is no red flag.
    vlag_met(leerlingen[0], klas=w.klas_a, kleur=VlagKleur.ORANJE, moment=_nu())
    # A request for the class council, one withdrawn, one already planned.
    k.bespreekvraag(leerlingen[1], w.leerkracht, waar=Bespreekvraag.Waar.KLASSENRAAD)
    k.bespreekvraag(leerlingen[1], w.leerkracht, status=Bespreekvraag.Status.INGETROKKEN)
    k.bespreekvraag(leerlingen[1], w.titularis, status=Bespreekvraag.Status.INGEPLAND)
    # An evaluation after the cell; one of a stopped measure.
    MaatregelFactory(
        leerling=leerlingen[2],
        evaluatiedatum=datum_cel + datetime.timedelta(days=1),
        beslist_door=w.zorgcoordinator,
    )
    MaatregelFactory(
        leerling=leerlingen[2],
        evaluatiedatum=datum_cel - datetime.timedelta(days=3),
        status="gestopt",
        einde=datum_cel - datetime.timedelta(days=3),
        beslist_door=w.zorgcoordinator,
    )
    # An action item due after the cell (student not on the last agenda),
    # one done.
    k.actiepunt(vorige, leerlingen[3], w.titularis, dagen=30)
    k.actiepunt(
        vorige,
        leerlingen[3],
        w.titularis,
        dagen=-2,
        status=Actiepunt.Status.AFGEROND,
        afgehandeld_op=_nu(),
    )
    # A referral the CLB already took on.
    _aanmelding(leerlingen[4], w.zorgcoordinator, status=Aanmelding.Status.AANVAARD)
    # On the last agenda with all its action items done.
    k.agendapunt(vorige, leerlingen[5])
    k.actiepunt(
        vorige,
        leerlingen[5],
        w.titularis,
        dagen=20,
        status=Actiepunt.Status.GEANNULEERD,
        afgehandeld_op=_nu(),
    )

    assert voorstellen(cel) == []


def test_another_schools_data_is_never_proposed(wereld):
    w = wereld
    vorige = k.overleg(w, CEL, dagen=-7)
    cel = k.overleg(w, CEL, dagen=2)
    x = w.leerling_x
    _rode_vlag(x, w.klas_x, dagen_geleden=1)
    _signaal(x, dagen_geleden=1)
    k.bespreekvraag(x, w.buitenstaander)
    MaatregelFactory(leerling=x, evaluatiedatum=timezone.localdate(), beslist_door=w.buitenstaander)
    ander = k.overleg(w, CEL, dagen=-7, school=w.school2, voorzitter=w.buitenstaander)
    k.actiepunt(ander, x, w.buitenstaander, dagen=-1)
    _aanmelding(x, w.buitenstaander)
    # Even on school 1's last agenda by mistake: still another school's student.
    k.agendapunt(vorige, x)
    k.actiepunt(vorige, x, w.zorgcoordinator, dagen=3)

    assert voorstellen(cel) == []
    # ... and school 2's own cell does see them.
    cel2 = k.overleg(w, CEL, dagen=2, school=w.school2, voorzitter=w.buitenstaander)
    assert [v.leerling for v in voorstellen(cel2)] == [x]


def test_a_student_with_several_reasons_appears_once_with_all_of_them(wereld):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    a = w.leerling_a
    _rode_vlag(a, w.klas_a, dagen_geleden=1)
    _rode_vlag(a, w.klas_a, dagen_geleden=2)
    _signaal(a, dagen_geleden=1)
    k.bespreekvraag(a, w.leerkracht)
    k.bespreekvraag(a, w.titularis)
    _aanmelding(a, w.zorgcoordinator)

    (voorstel,) = voorstellen(cel)

    assert voorstel.leerling == a
    assert _soorten(voorstel) == [
        R.RODE_VLAG,
        R.RODE_VLAG,
        R.SIGNAAL,
        R.BESPREEKVRAAG,
        R.BESPREEKVRAAG,
        R.AANMELDING,
    ]


def test_red_flags_first_then_the_number_of_reasons_then_the_name(wereld):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    aerts = f.leerling_in(w.klas_a, voornaam="An", achternaam="Aerts")
    bosmans = f.leerling_in(w.klas_a, voornaam="Bo", achternaam="Bosmans")
    claes = f.leerling_in(w.klas_a, voornaam="Cas", achternaam="Claes")
    dewit = f.leerling_in(w.klas_a, voornaam="Dirk", achternaam="De Wit")
    # One reason each for Aerts and Bosmans; two for Claes; Dewit a red flag.
    k.bespreekvraag(aerts, w.leerkracht)
    k.bespreekvraag(bosmans, w.leerkracht)
    k.bespreekvraag(claes, w.leerkracht)
    _aanmelding(claes, w.zorgcoordinator)
    _rode_vlag(dewit, w.klas_a, dagen_geleden=1)

    assert [v.leerling for v in voorstellen(cel)] == [dewit, claes, aerts, bosmans]


def test_proposals_are_ranked_by_the_points_of_their_reasons_then_the_oldest_date(wereld):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    # Action items belong to a meeting; an MDO adds no follow-up reason.
    mdo = k.overleg(w, OverlegSoort.MDO, dagen=-20)
    vandaag = timezone.localdate()

    def leerling(naam):
        return f.leerling_in(w.klas_a, voornaam="Kim", achternaam=naam)

    # Names in reverse alphabetical order of the expected rank, so the name
    # cannot be what orders them.
    rood = leerling("Zeeman")  # red flag: 100
    _rode_vlag(rood, w.klas_a, dagen_geleden=1)
    laat = leerling("Yildiz")  # action item past its date: 30
    k.actiepunt(mdo, laat, w.titularis, dagen=-3)
    evaluatie = leerling("Willems")  # measure to evaluate: 20
    MaatregelFactory(leerling=evaluatie, evaluatiedatum=vandaag, beslist_door=w.titularis)
    samen = leerling("Vermeulen")  # a request (10) and a referral (8) add up: 18
    k.bespreekvraag(samen, w.leerkracht)
    _aanmelding(samen, w.zorgcoordinator)
    patroon = leerling("Tahiri")  # pattern of flags: 15
    _signaal(patroon, dagen_geleden=1)
    # Two requests (10 each): the one that waits longest first.
    nieuw_gevraagd = leerling("Simons")
    oud_gevraagd = leerling("Smets")
    oude_vraag = k.bespreekvraag(oud_gevraagd, w.leerkracht)
    k.bespreekvraag(nieuw_gevraagd, w.leerkracht)
    Bespreekvraag.objects.filter(pk=oude_vraag.pk).update(
        aangemaakt=timezone.now() - datetime.timedelta(days=9)
    )
    aangemeld = leerling("Maes")  # referral waiting: 8
    _aanmelding(aangemeld, w.zorgcoordinator)

    lijst = voorstellen(cel)

    assert [v.leerling for v in lijst] == [
        rood,
        laat,
        evaluatie,
        samen,
        patroon,
        oud_gevraagd,
        nieuw_gevraagd,
        aangemeld,
    ]
    assert [v.gewicht for v in lijst] == [100, 30, 20, 18, 15, 10, 10, 8]


def test_an_action_item_not_yet_past_its_date_weighs_less_than_an_overdue_one(wereld):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    mdo = k.overleg(w, OverlegSoort.MDO, dagen=-20)
    binnenkort = f.leerling_in(w.klas_a, voornaam="An", achternaam="Aerts")
    verlopen = f.leerling_in(w.klas_a, voornaam="Bo", achternaam="Bosmans")
    k.actiepunt(mdo, binnenkort, w.titularis, dagen=1)
    k.actiepunt(mdo, verlopen, w.titularis, dagen=-1)

    lijst = voorstellen(cel)

    assert [(v.leerling, v.gewicht) for v in lijst] == [(verlopen, 30), (binnenkort, 15)]


def test_the_ranking_is_the_same_every_time(wereld):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    for _ in range(6):
        k.bespreekvraag(f.leerling_in(w.klas_a, voornaam="Anas", achternaam="Bouzid"), w.leerkracht)
    Bespreekvraag.objects.update(aangemaakt=timezone.now() - datetime.timedelta(days=1))

    eerste = [v.leerling.pk for v in voorstellen(cel)]

    assert eerste == [v.leerling.pk for v in voorstellen(cel)]
    # Same points, same day, same name: the student's id decides.
    assert eerste == sorted(eerste)


def test_students_who_left_are_not_proposed(wereld):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    weg = _vertrokken(w.klas_a)
    k.bespreekvraag(weg, w.leerkracht)
    _rode_vlag(weg, w.klas_a, dagen_geleden=1)

    assert voorstellen(cel) == []


def test_a_student_already_on_the_agenda_is_marked(wereld):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    k.bespreekvraag(w.leerling_a, w.leerkracht)
    k.bespreekvraag(w.leerling_b, w.leerkracht_b)
    k.agendapunt(cel, w.leerling_a)

    lijst = _per_leerling(voorstellen(cel))

    assert lijst[w.leerling_a.pk].al_op_agenda is True
    assert lijst[w.leerling_b.pk].al_op_agenda is False


# --- class councils ---------------------------------------------------------------


def test_the_guiding_class_council_proposes_students_of_its_class(wereld):
    w = wereld
    raad = k.overleg(w, OverlegSoort.BEGELEIDEND, dagen=3)
    cel = k.overleg(w, CEL, dagen=-10)
    gevraagd = f.leerling_in(w.klas_a, voornaam="Kim", achternaam="Klassenraad")
    k.bespreekvraag(gevraagd, w.titularis, waar=Bespreekvraag.Waar.KLASSENRAAD, reden="Moe.")
    voor_cel = f.leerling_in(w.klas_a, voornaam="Cis", achternaam="Cel")
    k.bespreekvraag(voor_cel, w.leerkracht, reden="Stil.")
    signaal = f.leerling_in(w.klas_a, voornaam="Sam", achternaam="Signaal")
    _signaal(signaal, dagen_geleden=60)
    rood = f.leerling_in(w.klas_a, voornaam="Rik", achternaam="Rood")
    _rode_vlag(rood, w.klas_a, dagen_geleden=35)
    actie = f.leerling_in(w.klas_a, voornaam="Ada", achternaam="Actiepunt")
    # Open, due long after the council: still proposed.
    k.actiepunt(cel, actie, w.titularis, dagen=60)
    # Not proposed: a handled signal, a red flag older than 6 weeks, another
    # class's request, a student who left the class.
    oud = f.leerling_in(w.klas_a)
    _signaal(oud, dagen_geleden=5, open_=False)
    _rode_vlag(oud, w.klas_a, dagen_geleden=45)
    k.bespreekvraag(w.leerling_b, w.leerkracht_b, waar=Bespreekvraag.Waar.KLASSENRAAD)
    weg = _vertrokken(w.klas_a)
    k.bespreekvraag(weg, w.titularis, waar=Bespreekvraag.Waar.KLASSENRAAD)

    lijst = _per_leerling(voorstellen(raad))

    assert set(lijst) == {gevraagd.pk, voor_cel.pk, signaal.pk, rood.pk, actie.pk}
    assert lijst[gevraagd.pk].redenen == [(R.BESPREEKVRAAG, f"Gevraagd door {w.titularis}: Moe.")]
    assert lijst[voor_cel.pk].redenen == [
        (R.BESPREEKVRAAG, f"Gevraagd door {w.leerkracht}: Stil. (voor de cel)")
    ]
    assert _soorten(lijst[signaal.pk]) == [R.SIGNAAL]
    assert _soorten(lijst[rood.pk]) == [R.RODE_VLAG]
    assert _soorten(lijst[actie.pk]) == [R.ACTIEPUNT]
    assert all(v.klas_naam == "3A" for v in lijst.values())


def test_the_guiding_council_counts_red_flags_since_its_previous_meeting(wereld):
    w = wereld
    k.overleg(w, OverlegSoort.BEGELEIDEND, dagen=-20)
    # Another class's council and a portrait council do not count.
    k.overleg(w, OverlegSoort.BEGELEIDEND, klas=w.klas_b, dagen=-2)
    k.overleg(w, OverlegSoort.PORTRET, dagen=-2)
    raad = k.overleg(w, OverlegSoort.BEGELEIDEND, dagen=1)
    voor = f.leerling_in(w.klas_a)
    _rode_vlag(voor, w.klas_a, dagen_geleden=21)
    na = f.leerling_in(w.klas_a)
    _rode_vlag(na, w.klas_a, dagen_geleden=19)

    assert [v.leerling for v in voorstellen(raad)] == [na]


def test_the_portrait_council_proposes_every_student_of_the_class(wereld):
    w = wereld
    raad = k.overleg(w, OverlegSoort.PORTRET, dagen=3)
    tweede = f.leerling_in(w.klas_a)
    _vertrokken(w.klas_a)

    lijst = voorstellen(raad)

    assert {v.leerling.pk for v in lijst} == {w.leerling_a.pk, tweede.pk}
    assert all(v.redenen == [(R.KLAS, "Leerling van de klas 3A")] for v in lijst)


def test_other_meetings_get_no_proposals(wereld):
    w = wereld
    k.bespreekvraag(w.leerling_a, w.leerkracht)
    assert voorstellen(k.overleg(w, OverlegSoort.MDO, dagen=1)) == []


# --- a fixed number of queries ------------------------------------------------------


def _vul_school(w, aantal: int, vorige) -> None:
    """`aantal` students of 3A with one of every kind of reason each."""
    vandaag = timezone.localdate()
    for i in range(aantal):
        leerling = f.leerling_in(w.klas_a)
        if i % 2:
            _rode_vlag(leerling, w.klas_a, dagen_geleden=1)
        _signaal(leerling, dagen_geleden=1)
        k.bespreekvraag(leerling, w.leerkracht)
        MaatregelFactory(leerling=leerling, evaluatiedatum=vandaag, beslist_door=w.titularis)
        k.actiepunt(vorige, leerling, w.titularis, dagen=-1)
        _aanmelding(leerling, w.zorgcoordinator)
        k.agendapunt(vorige, leerling)


def _tel(functie) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        resultaat = functie()
    return len(ctx.captured_queries), resultaat


@pytest.mark.parametrize("soort", [OverlegSoort.CEL, OverlegSoort.BEGELEIDEND])
def test_the_generator_costs_a_fixed_number_of_queries(wereld, soort):
    w = wereld
    vorige = k.overleg(w, soort, dagen=-7)
    overleg = k.overleg(w, soort, dagen=2)
    _vul_school(w, 3, vorige)
    weinig, lijst = _tel(lambda: voorstellen(overleg))
    assert len(lijst) == 3

    _vul_school(w, 40, vorige)
    veel, lijst = _tel(lambda: voorstellen(overleg))
    assert len(lijst) == 43

    assert veel == weinig, f"{weinig} queries for 3 students, {veel} for 43"
    # One per kind of reason (issue 17 added two for the care cell: low SODA
    # reports and problematic absences).
    assert veel <= 12


# --- the services -------------------------------------------------------------------


def _cel_met_voorstellen(w):
    cel = k.overleg(w, CEL, dagen=2)
    vraag = k.bespreekvraag(w.leerling_a, w.leerkracht, reden="Slaapt in de les.")
    klassenraad_vraag = k.bespreekvraag(
        w.leerling_a, w.titularis, waar=Bespreekvraag.Waar.KLASSENRAAD
    )
    vlag = _rode_vlag(w.leerling_b, w.klas_b, dagen_geleden=1)
    return cel, vraag, klassenraad_vraag, vlag


def test_accepting_proposals_puts_them_on_the_agenda_with_the_computed_reasons(wereld):
    w = wereld
    cel, vraag, klassenraad_vraag, vlag = _cel_met_voorstellen(w)
    bestaand = k.agendapunt(cel, f.leerling_in(w.klas_a), volgorde=4)

    punten = agenda_aanvaarden(
        overleg=cel, leerling_ids=[str(w.leerling_a.pk), w.leerling_b.pk], door=w.directie
    )

    # Red flag first; after the items already there.
    assert [(p.leerling, p.volgorde) for p in punten] == [(w.leerling_b, 5), (w.leerling_a, 6)]
    punt_b = Agendapunt.objects.get(overleg=cel, leerling=w.leerling_b)
    assert punt_b.redenen == [
        {"soort": "rode_vlag", "tekst": f"Rode vlag op {_dag(vlag.moment)} (3B)"}
    ]
    assert punt_b.toegevoegd_door == w.directie
    punt_a = Agendapunt.objects.get(overleg=cel, leerling=w.leerling_a)
    assert punt_a.redenen == [
        {"soort": "bespreekvraag", "tekst": f"Gevraagd door {w.leerkracht}: Slaapt in de les."}
    ]
    vraag.refresh_from_db()
    assert (vraag.status, vraag.agendapunt) == (Bespreekvraag.Status.INGEPLAND, punt_a)
    # The request for the class council waits for the class council.
    klassenraad_vraag.refresh_from_db()
    assert (klassenraad_vraag.status, klassenraad_vraag.agendapunt) == ("open", None)
    assert Agendapunt.objects.filter(overleg=cel).count() == 3
    assert bestaand.pk in Agendapunt.objects.values_list("pk", flat=True)
    events = AuditEvent.objects.filter(onderwerp="agendapunt", actie=Actie.AANMAKEN)
    assert {e.leerling_id for e in events} == {w.leerling_a.pk, w.leerling_b.pk}
    assert {e.gebruiker for e in events} == {w.directie}


def test_a_guiding_council_takes_the_class_council_requests_and_leaves_the_cells(wereld):
    w = wereld
    raad = k.overleg(w, OverlegSoort.BEGELEIDEND, dagen=2)
    voor_raad = k.bespreekvraag(w.leerling_a, w.titularis, waar=Bespreekvraag.Waar.KLASSENRAAD)
    voor_cel = k.bespreekvraag(w.leerling_a, w.leerkracht, waar=Bespreekvraag.Waar.CEL)

    (punt,) = agenda_aanvaarden(
        overleg=raad, leerling_ids=[w.leerling_a.pk], door=w.zorgcoordinator
    )

    assert [r["soort"] for r in punt.redenen] == ["bespreekvraag", "bespreekvraag"]
    voor_raad.refresh_from_db()
    voor_cel.refresh_from_db()
    assert (voor_raad.status, voor_raad.agendapunt) == ("ingepland", punt)
    assert (voor_cel.status, voor_cel.agendapunt) == ("open", None)


def test_accepting_skips_students_already_on_the_agenda(wereld):
    w = wereld
    cel, *_ = _cel_met_voorstellen(w)
    bestaand = k.agendapunt(cel, w.leerling_a, redenen=[{"soort": "toegevoegd", "tekst": "x"}])

    punten = agenda_aanvaarden(
        overleg=cel, leerling_ids=[w.leerling_a.pk, w.leerling_b.pk], door=w.zorgcoordinator
    )

    assert [p.leerling for p in punten] == [w.leerling_b]
    bestaand.refresh_from_db()
    assert bestaand.redenen == [{"soort": "toegevoegd", "tekst": "x"}]
    assert (
        agenda_aanvaarden(overleg=cel, leerling_ids=[w.leerling_b.pk], door=w.zorgcoordinator) == []
    )


@pytest.mark.parametrize(
    ("ids", "bericht"),
    [
        ("ander", "staan niet (meer) tussen de voorstellen"),
        ("niet_voorgesteld", "staan niet (meer) tussen de voorstellen"),
        ("leeg", "Kies minstens één leerling"),
        ("onzin", "Kies de leerlingen uit de lijst"),
    ],
)
def test_accepting_refuses_what_was_not_proposed(wereld, ids, bericht):
    w = wereld
    cel, *_ = _cel_met_voorstellen(w)
    stil = f.leerling_in(w.klas_a)
    gekozen = {
        "ander": [w.leerling_a.pk, w.leerling_x.pk],
        "niet_voorgesteld": [w.leerling_b.pk, stil.pk],
        "leeg": [],
        "onzin": ["abc"],
    }[ids]

    with pytest.raises(ValidationError) as fout:
        agenda_aanvaarden(overleg=cel, leerling_ids=gekozen, door=w.zorgcoordinator)

    assert bericht in " ".join(fout.value.messages)
    assert not Agendapunt.objects.exists()
    assert Bespreekvraag.objects.filter(status="ingepland").count() == 0
    assert not AuditEvent.objects.filter(onderwerp="agendapunt").exists()


def test_accepting_is_refused_once_the_meeting_is_closed(wereld):
    w = wereld
    cel, *_ = _cel_met_voorstellen(w)
    Overleg.objects.filter(pk=cel.pk).update(status="afgesloten", afgesloten_op=_nu())

    # The object in hand still says "planned": the service reads the saved row.
    with pytest.raises(ValidationError, match="afgesloten"):
        agenda_aanvaarden(overleg=cel, leerling_ids=[w.leerling_a.pk], door=w.zorgcoordinator)
    assert not Agendapunt.objects.exists()


def test_adding_a_student_by_hand(wereld):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    k.agendapunt(cel, w.leerling_b, volgorde=3)
    vraag = k.bespreekvraag(w.leerling_a, w.leerkracht)

    punt = leerling_toevoegen(
        overleg=cel, leerling=w.leerling_a, reden="  Mama belde ongerust.  ", door=w.zorgcoordinator
    )

    assert punt.redenen == [{"soort": "toegevoegd", "tekst": "Mama belde ongerust."}]
    assert (punt.volgorde, punt.toegevoegd_door) == (4, w.zorgcoordinator)
    vraag.refresh_from_db()
    assert (vraag.status, vraag.agendapunt_id) == ("ingepland", punt.pk)
    assert AuditEvent.objects.filter(
        onderwerp="agendapunt", leerling_id=w.leerling_a.pk, actie=Actie.AANMAKEN
    ).exists()


@pytest.mark.parametrize(
    ("geval", "bericht"),
    [
        ("andere_school", "zit niet op de school van dit overleg"),
        ("andere_klas", "Noah Janssens zit nu niet in klas 3A"),
        ("al_op_agenda", "Lotte Peeters staat al op de agenda"),
        ("geen_reden", "Noteer kort waarom"),
        ("te_lang", "De reden is te lang"),
        ("afgesloten", "Dit overleg is afgesloten"),
    ],
)
def test_adding_by_hand_refusals(wereld, geval, bericht):
    w = wereld
    soort = OverlegSoort.BEGELEIDEND if geval == "andere_klas" else CEL
    overleg = k.overleg(w, soort, dagen=2)
    bestaand = k.agendapunt(overleg, w.leerling_a) if geval == "al_op_agenda" else None
    if geval == "afgesloten":
        Overleg.objects.filter(pk=overleg.pk).update(status="afgesloten", afgesloten_op=_nu())
    leerling = {
        "andere_school": w.leerling_x,
        "andere_klas": w.leerling_b,
    }.get(geval, w.leerling_a)
    reden = {"geen_reden": "   ", "te_lang": "x" * 501}.get(geval, "Zorgen thuis.")

    with pytest.raises(ValidationError) as fout:
        leerling_toevoegen(overleg=overleg, leerling=leerling, reden=reden, door=w.zorgcoordinator)

    assert bericht in " ".join(fout.value.messages)
    assert list(Agendapunt.objects.all()) == ([bestaand] if bestaand else [])


def test_taking_a_student_off_the_agenda_reopens_their_requests(wereld):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    k.bespreekvraag(w.leerling_a, w.leerkracht)
    (punt,) = agenda_aanvaarden(overleg=cel, leerling_ids=[w.leerling_a.pk], door=w.zorgcoordinator)
    assert Bespreekvraag.objects.get().status == "ingepland"

    agendapunt_verwijderen(agendapunt=punt, door=w.zorgcoordinator)

    assert not Agendapunt.objects.exists()
    vraag = Bespreekvraag.objects.get()
    assert (vraag.status, vraag.agendapunt) == ("open", None)
    assert AuditEvent.objects.filter(
        onderwerp="agendapunt", actie=Actie.VERWIJDEREN, leerling_id=w.leerling_a.pk
    ).exists()
    # ... and the student is proposed again.
    assert [v.leerling for v in voorstellen(cel)] == [w.leerling_a]


@pytest.mark.parametrize(
    ("geval", "bericht"),
    [
        ("beslissing", "al een beslissing genoteerd"),
        ("notities", "staan al notities"),
        ("afgesloten", "Dit overleg is afgesloten"),
    ],
)
def test_an_item_with_something_recorded_stays(wereld, geval, bericht):
    w = wereld
    cel = k.overleg(w, CEL, dagen=0)
    punt = k.agendapunt(
        cel, w.leerling_a, notities="Mama komt langs." if geval == "notities" else ""
    )
    if geval == "beslissing":
        Beslissing.objects.create(
            agendapunt=punt, soort=BeslissingSoort.AFSPRAAK, tekst="Opvolgen.", door=w.directie
        )
    if geval == "afgesloten":
        Overleg.objects.filter(pk=cel.pk).update(status="afgesloten", afgesloten_op=_nu())

    with pytest.raises(ValidationError) as fout:
        agendapunt_verwijderen(agendapunt=punt, door=w.zorgcoordinator)

    assert bericht in " ".join(fout.value.messages)
    assert Agendapunt.objects.filter(pk=punt.pk).exists()
    assert not AuditEvent.objects.filter(actie=Actie.VERWIJDEREN).exists()


# --- the pages ----------------------------------------------------------------------


def _url(naam, overleg, *args):
    return reverse(f"klassenraad:{naam}", args=[overleg.pk, *args])


@pytest.mark.parametrize(
    "rol",
    ["leerkracht", "titularis", "secretariaat", "beheerder", "clb", "buitenstaander", "clb_ander"],
)
def test_only_the_care_team_reaches_the_agenda_pages(wereld, client_voor, rol):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    raad = k.overleg(w, OverlegSoort.BEGELEIDEND, dagen=2)
    k.bespreekvraag(w.leerling_a, w.leerkracht)
    client = client_voor(w.users[rol])
    for overleg in (cel, raad):
        if rol == "clb":
            overleg.deelnemers.add(w.users["clb"])  # takes part, sets no agenda
        punt = k.agendapunt(overleg, w.leerling_a)
        assert client.get(_url("agenda_voorstel", overleg)).status_code == 404
        antwoord = client.post(_url("agenda_voorstel", overleg), {"leerling": [w.leerling_a.pk]})
        assert antwoord.status_code == 404
        assert client.get(_url("agenda_toevoegen", overleg), {"q": "Peeters"}).status_code == 404
        antwoord = client.post(
            _url("agenda_toevoegen", overleg), {"leerling": w.leerling_b.pk, "reden": "x"}
        )
        assert antwoord.status_code == 404
        assert client.post(_url("agendapunt_verwijderen", overleg, punt.pk)).status_code == 404
    assert Agendapunt.objects.count() == 2


def test_the_care_coordinator_sees_the_proposals_with_their_reasons(
    wereld, client_voor, template_queries
):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    vlag = _rode_vlag(w.leerling_b, w.klas_b, dagen_geleden=1)
    k.bespreekvraag(w.leerling_a, w.leerkracht, reden="Slaapt in de les.")
    k.agendapunt(cel, w.leerling_a, redenen=[{"soort": "toegevoegd", "tekst": "Mama belde."}])

    antwoord = client_voor(w.zorgcoordinator).get(_url("agenda_voorstel", cel))

    assert antwoord.status_code == 200
    assert template_queries == []
    html = antwoord.content.decode()
    assert f"Rode vlag op {_dag(vlag.moment)} (3B)" in html
    assert "Slaapt in de les." in html
    assert "Mama belde." in html
    assert "Op de agenda zetten" in html
    # Not yet on the agenda: ticked; already there: no box.
    assert f'value="{w.leerling_b.pk}" id="voorstel-{w.leerling_b.pk}" checked' in html
    assert f'id="voorstel-{w.leerling_a.pk}"' not in html
    assert reverse("klassenraad:agenda_toevoegen", args=[cel.pk]) in html
    rijen = antwoord.context["rijen"]
    assert [r["leerling"] for r in rijen] == [w.leerling_b, w.leerling_a]
    # One audit call for all the students the page shows.
    events = AuditEvent.objects.filter(onderwerp="agendavoorstel", actie=Actie.LEZEN)
    assert {e.leerling_id for e in events} == {w.leerling_a.pk, w.leerling_b.pk}
    assert {e.object_id for e in events} == {str(cel.pk)}


def _gevraagd(w, aantal: int, klas=None, **kwargs) -> list:
    """`aantal` students with a request each, the first asked longest ago
    (so ranked first)."""
    leerlingen = []
    for i in range(aantal):
        leerling = f.leerling_in(klas or w.klas_a, **kwargs)
        vraag = k.bespreekvraag(leerling, w.leerkracht)
        Bespreekvraag.objects.filter(pk=vraag.pk).update(
            aangemaakt=timezone.now() - datetime.timedelta(days=aantal - i)
        )
        leerlingen.append(leerling)
    return leerlingen


def test_only_the_schools_number_of_top_proposals_is_ticked(wereld, client_voor):
    w = wereld
    assert School._meta.get_field("agenda_voorselectie").default == 15
    w.school.agenda_voorselectie = 3
    w.school.save(update_fields=["agenda_voorselectie"])
    cel = k.overleg(w, CEL, dagen=2)
    eerst, tweede, derde, vierde, vijfde = _gevraagd(w, 5)

    antwoord = client_voor(w.zorgcoordinator).get(_url("agenda_voorstel", cel))

    bovenaan = antwoord.context["rijen"]
    onder = antwoord.context["ook_voorgesteld"]
    assert [(r["leerling"], r["aangevinkt"]) for r in bovenaan] == [
        (eerst, True),
        (tweede, True),
        (derde, True),
    ]
    assert [(r["leerling"], r["aangevinkt"]) for r in onder] == [(vierde, False), (vijfde, False)]
    html = antwoord.content.decode()
    assert "Ook voorgesteld" in html
    assert f'id="voorstel-{vierde.pk}">' in html  # unticked, still a box to tick
    lager = html[html.index('data-testid="ook-voorgesteld"') :]
    assert f'data-leerling="{vijfde.pk}"' in lager
    # One line each: the kind of each reason as a badge, not its full text.
    assert "Vraag om bespreking" in lager
    assert "Gevraagd door" not in lager


def test_students_on_the_agenda_already_take_up_the_pre_selection(wereld, client_voor):
    w = wereld
    w.school.agenda_voorselectie = 3
    w.school.save(update_fields=["agenda_voorselectie"])
    cel = k.overleg(w, CEL, dagen=2)
    eerst, tweede, *_rest = _gevraagd(w, 4)
    k.agendapunt(cel, eerst)
    k.agendapunt(cel, f.leerling_in(w.klas_b))  # added by hand

    antwoord = client_voor(w.zorgcoordinator).get(_url("agenda_voorstel", cel))

    aangevinkt = [
        r["leerling"]
        for r in antwoord.context["rijen"] + antwoord.context["ook_voorgesteld"]
        if r["aangevinkt"]
    ]
    assert aangevinkt == [tweede]


def test_students_with_the_same_name_are_told_apart(wereld, client_voor):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    anas_1, anas_2 = _gevraagd(w, 2, voornaam="Anas", achternaam="Bouzid")
    Leerling.objects.filter(pk=anas_1.pk).update(leerlingnummer="A-1001")
    Leerling.objects.filter(pk=anas_2.pk).update(
        leerlingnummer="", geboortedatum=datetime.date(2011, 2, 28)
    )
    (ander,) = _gevraagd(w, 1, voornaam="Noor", achternaam="Claes")
    derde = f.leerling_in(w.klas_a, voornaam="Anas", achternaam="Bouzid", leerlingnummer="A-1003")
    k.agendapunt(cel, derde)
    client = client_voor(w.zorgcoordinator)

    antwoord = client.get(_url("agenda_voorstel", cel))

    per_leerling = {r["leerling"]: r["onderscheid"] for r in antwoord.context["rijen"]}
    assert per_leerling == {anas_1: "nr. A-1001", anas_2: "°28/02/2011", ander: ""}
    (op_agenda,) = antwoord.context["agenda"]
    assert op_agenda["onderscheid"] == "nr. A-1003"
    html = antwoord.content.decode()
    assert "(nr. A-1001)" in html
    assert "(nr. A-1003)" in html
    assert "(°28/02/2011)" in html
    # The search for a student to add tells them apart too: by the number,
    # or without one by the birth date.
    zoeken = client.get(_url("agenda_toevoegen", cel), {"q": "Bouzid"}).content.decode()
    assert "A-1001" in zoeken
    assert "28/02/2011" in zoeken


def test_accepting_through_the_page(wereld, client_voor):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    _rode_vlag(w.leerling_b, w.klas_b, dagen_geleden=1)
    k.bespreekvraag(w.leerling_a, w.leerkracht)
    client = client_voor(w.directie)

    antwoord = client.post(
        _url("agenda_voorstel", cel),
        # Reasons sent along are ignored: the service computes its own.
        {"leerling": [w.leerling_b.pk], "redenen": "Verzonnen"},
        follow=True,
    )

    assert antwoord.redirect_chain == [(_url("agenda_voorstel", cel), 302)]
    assert "1 leerling staat nu op de agenda." in antwoord.content.decode()
    (punt,) = Agendapunt.objects.filter(overleg=cel)
    assert punt.leerling == w.leerling_b
    assert [r["soort"] for r in punt.redenen] == ["rode_vlag"]


def test_a_forged_choice_is_refused_with_a_message(wereld, client_voor):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    k.bespreekvraag(w.leerling_a, w.leerkracht)
    client = client_voor(w.zorgcoordinator)

    for gekozen in ([w.leerling_x.pk], ["abc"], [], [w.leerling_a.pk, 999_999_999]):
        antwoord = client.post(_url("agenda_voorstel", cel), {"leerling": gekozen})
        assert antwoord.status_code == 200
        html = antwoord.content.decode()
        assert "tussen de voorstellen" in html or "Kies minstens één leerling" in html
    assert not Agendapunt.objects.exists()


def test_a_closed_meeting_shows_its_agenda_read_only(wereld, client_voor):
    w = wereld
    cel = k.overleg(w, CEL, dagen=-1, status="afgesloten", afgesloten_op=_nu())
    k.agendapunt(cel, w.leerling_a, redenen=[{"soort": "toegevoegd", "tekst": "Mama belde."}])
    k.bespreekvraag(w.leerling_b, w.leerkracht_b)
    client = client_voor(w.zorgcoordinator)

    antwoord = client.get(_url("agenda_voorstel", cel))

    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert "Dit overleg is afgesloten" in html
    assert "Mama belde." in html
    assert "Op de agenda zetten" not in html
    assert "Van de agenda halen" not in html
    antwoord = client.post(
        _url("agenda_voorstel", cel), {"leerling": [w.leerling_b.pk]}, follow=True
    )
    assert "Dit overleg is afgesloten" in antwoord.content.decode()
    antwoord = client.get(_url("agenda_toevoegen", cel), follow=True)
    assert antwoord.redirect_chain == [(_url("agenda_voorstel", cel), 302)]
    assert list(Agendapunt.objects.values_list("leerling_id", flat=True)) == [w.leerling_a.pk]


def test_searching_and_adding_a_student_by_hand(wereld, client_voor, template_queries):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    for i in range(25):
        f.leerling_in(w.klas_b, voornaam=f"Zoë{i}", achternaam="Zoekmans")
    client = client_voor(w.zorgcoordinator)

    antwoord = client.get(_url("agenda_toevoegen", cel), {"q": "Peeters"})
    assert antwoord.status_code == 200
    assert template_queries == []
    # Lotte Peeters of school 1, not Mila Peeters of school 2.
    assert [ll.pk for ll in antwoord.context["resultaten"]] == [w.leerling_a.pk]
    veel = client.get(_url("agenda_toevoegen", cel), {"q": "zoekmans"})
    assert len(veel.context["resultaten"]) == 20
    assert veel.context["meer"] is True

    antwoord = client.post(
        _url("agenda_toevoegen", cel),
        {
            "leerling": w.leerling_a.pk,
            "reden": "Mama belde.",
            "q": "Peeters",
            "sleutel": str(uuid.uuid4()),
        },
        follow=True,
    )
    assert antwoord.redirect_chain == [(_url("agenda_voorstel", cel), 302)]
    assert "Lotte Peeters staat nu op de agenda." in antwoord.content.decode()
    punt = Agendapunt.objects.get(overleg=cel)
    assert punt.redenen == [{"soort": "toegevoegd", "tekst": "Mama belde."}]


@pytest.mark.parametrize("leerling", ["abc", "", "-3", "999999999", "x", "andere_school"])
def test_adding_a_bad_student_gives_a_message_never_an_error(wereld, client_voor, leerling):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    if leerling == "andere_school":
        leerling = str(w.leerling_x.pk)

    antwoord = client_voor(w.zorgcoordinator).post(
        _url("agenda_toevoegen", cel),
        {
            "leerling": leerling,
            "reden": "Waarom niet.",
            "sleutel": str(uuid.uuid4()),
        },
    )

    assert antwoord.status_code == 200
    assert "Kies een leerling uit de zoekresultaten." in antwoord.content.decode()
    assert not Agendapunt.objects.exists()


def test_a_class_council_adds_only_students_of_its_class(wereld, client_voor):
    w = wereld
    raad = k.overleg(w, OverlegSoort.BEGELEIDEND, dagen=2)
    client = client_voor(w.zorgcoordinator)

    antwoord = client.get(_url("agenda_toevoegen", raad), {"q": "e"})
    assert {ll.pk for ll in antwoord.context["resultaten"]} == {w.leerling_a.pk}

    antwoord = client.post(
        _url("agenda_toevoegen", raad),
        {
            "leerling": w.leerling_b.pk,
            "reden": "Stil.",
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert antwoord.status_code == 200
    assert "Kies een leerling uit de zoekresultaten." in antwoord.content.decode()
    assert not Agendapunt.objects.exists()


def test_adding_twice_says_so(wereld, client_voor):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    k.agendapunt(cel, w.leerling_a)

    antwoord = client_voor(w.zorgcoordinator).post(
        _url("agenda_toevoegen", cel),
        {
            "leerling": w.leerling_a.pk,
            "reden": "Nog eens.",
            "sleutel": str(uuid.uuid4()),
        },
    )

    assert antwoord.status_code == 200
    assert "Lotte Peeters staat al op de agenda." in antwoord.content.decode()
    assert Agendapunt.objects.count() == 1


def test_removing_through_the_page(wereld, client_voor):
    w = wereld
    cel = k.overleg(w, CEL, dagen=2)
    weg = k.agendapunt(cel, w.leerling_a)
    blijft = k.agendapunt(cel, w.leerling_b)
    Beslissing.objects.create(
        agendapunt=blijft, soort=BeslissingSoort.AFSPRAAK, tekst="Opvolgen.", door=w.directie
    )
    client = client_voor(w.zorgcoordinator)

    pagina = client.get(_url("agenda_voorstel", cel)).content.decode()
    assert _url("agendapunt_verwijderen", cel, weg.pk) in pagina
    assert _url("agendapunt_verwijderen", cel, blijft.pk) not in pagina

    antwoord = client.post(_url("agendapunt_verwijderen", cel, weg.pk), follow=True)
    assert "Lotte Peeters staat niet meer op de agenda." in antwoord.content.decode()
    antwoord = client.post(_url("agendapunt_verwijderen", cel, blijft.pk), follow=True)
    assert "al een beslissing genoteerd" in antwoord.content.decode()
    assert list(Agendapunt.objects.all()) == [blijft]
    # An item of another meeting is not found through this one.
    ander = k.overleg(w, CEL, dagen=9)
    assert client.post(_url("agendapunt_verwijderen", ander, blijft.pk)).status_code == 404


def _alle_rijen(antwoord) -> int:
    return len(antwoord.context["rijen"]) + len(antwoord.context["ook_voorgesteld"])


def _vul_voor_pagina(w, aantal: int, vorige) -> None:
    _vul_school(w, aantal, vorige)


# The page as served, 5 vs 200 proposals (and 1 vs 21 on the agenda). The N+1
# it guards against: a query per proposal or per agenda item (the student's
# class, "already on the agenda", the reasons' users), and since issue 19 a
# parameter per proposal too: the 200 students are read with one array
# parameter, not an IN list of 200 ids (8-12 ms a call at 10,000 students).
PAGINA_QUERIES = 19


def test_the_proposal_page_costs_a_fixed_number_of_queries(
    wereld, client_voor, template_queries, django_assert_max_num_queries
):
    w = wereld
    vorige = k.overleg(w, CEL, dagen=-7)
    cel = k.overleg(w, CEL, dagen=2)
    client = client_voor(w.zorgcoordinator)
    url = _url("agenda_voorstel", cel)

    def meet():
        client.get(url)
        parameters = []

        def tel(execute, sql, params, many, context):
            parameters.append(len(params or ()))
            return execute(sql, params, many, context)

        with django_assert_max_num_queries(PAGINA_QUERIES) as ctx, connection.execute_wrapper(tel):
            antwoord = client.get(url)
        assert antwoord.status_code == 200
        return len(ctx.captured_queries), max(parameters), antwoord

    _vul_voor_pagina(w, 5, vorige)
    k.agendapunt(cel, f.leerling_in(w.klas_a))
    weinig, weinig_parameters, antwoord = meet()
    assert _alle_rijen(antwoord) == 5

    _vul_voor_pagina(w, 195, vorige)
    for _ in range(20):
        k.agendapunt(cel, f.leerling_in(w.klas_b))
    veel, veel_parameters, antwoord = meet()
    assert _alle_rijen(antwoord) == 200
    # 21 on the agenda already: no room left, nothing ticked beforehand.
    assert not any(rij["aangevinkt"] for rij in antwoord.context["ook_voorgesteld"])

    assert veel == weinig, f"{weinig} queries at 5 students, {veel} at 200"
    assert veel_parameters == weinig_parameters, (
        f"a statement with {weinig_parameters} parameters at 5 students, {veel_parameters} at 200"
    )
    assert template_queries == []
