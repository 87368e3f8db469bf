"""Meetings (part C): planning rules and refusals, the portrait council's
agenda, two people editing the same minutes or notes, closed minutes and
amendments, who sees which meeting and which items, the printable minutes,
and the query counts of the list, the meeting page and the minutes."""

import datetime
import html
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klassenraad.context_processors import overleg as overleg_context
from klassenraad.models import (
    Aanvulling,
    Agendapunt,
    Agendareden,
    Beslissing,
    BeslissingSoort,
    Overleg,
    OverlegSoort,
)
from klassenraad.services import overleggen as services
from leerlingen.models import Inschrijving
from tests import factories as f
from tests.clb.factories import aanmelding
from tests.klassenraad.factories import actiepunt, agendapunt, overleg
from zorg.accounts.models import Rol
from zorg.audit.models import Actie, AuditEvent
from zorg.versies import VerouderdeVersie

AFGESLOTEN = "Dit verslag is afgesloten. Voeg een aanvulling toe om iets te corrigeren."
MORGEN = timezone.now() + datetime.timedelta(days=1)


def _plan(w, **kwargs):
    waarden = {
        "school": w.school,
        "soort": OverlegSoort.CEL,
        "moment": MORGEN,
        "voorzitter": w.zorgcoordinator,
        "deelnemers": [],
        "externen": "",
        "door": w.zorgcoordinator,
    }
    waarden.update(kwargs)
    return services.overleg_plannen(**waarden)


def _fout(exc_info, veld=None) -> str:
    exc = exc_info.value
    if veld is None:
        return " ".join(exc.messages)
    return " ".join(exc.message_dict[veld])


def _afsluiten(o: Overleg, w) -> Overleg:
    o.refresh_from_db()
    return services.overleg_afsluiten(overleg=o, versie=o.versie, door=w.zorgcoordinator)


def _html(response) -> str:
    # Unescaped: generated names such as "D'hondt" come out as D&#x27;hondt.
    return html.unescape(response.content.decode())


# --- planning ---------------------------------------------------------------------------


def test_a_care_cell_is_planned_with_the_chair_among_the_participants(wereld):
    o = _plan(
        wereld,
        deelnemers=[wereld.users["clb"], wereld.directie],
        externen="  mama van Lotte  ",
        klas=wereld.klas_a,  # a cell takes no class: ignored
    )
    assert o.klas_id is None
    assert o.status == Overleg.Status.GEPLAND
    assert o.externen == "mama van Lotte"
    assert set(o.deelnemers.all()) == {wereld.users["clb"], wereld.directie, wereld.zorgcoordinator}
    assert not o.agendapunten.exists()
    event = AuditEvent.objects.get(onderwerp="overleg", actie=Actie.AANMAKEN)
    assert event.school_id == wereld.school.pk and event.object_id == str(o.pk)


def test_a_class_council_needs_a_class(wereld):
    with pytest.raises(ValidationError) as exc:
        _plan(wereld, soort=OverlegSoort.BEGELEIDEND)
    assert "kies de klas" in _fout(exc, "klas")
    assert not Overleg.objects.exists()


def test_a_class_council_refuses_a_class_of_another_school_or_year(wereld):
    vorig = f.KlasFactory(schooljaar=wereld.vorig_schooljaar, naam="2A")
    for klas in (wereld.klas_x, vorig):
        with pytest.raises(ValidationError) as exc:
            _plan(wereld, soort=OverlegSoort.PORTRET, klas=klas)
        assert "huidige schooljaar" in _fout(exc, "klas")
    assert not Overleg.objects.exists()
    assert not Agendapunt.objects.exists()


def test_a_meeting_needs_a_moment(wereld):
    with pytest.raises(ValidationError) as exc:
        _plan(wereld, moment=None)
    assert "datum en het uur" in _fout(exc, "moment")
    assert not Overleg.objects.exists()


def test_the_chair_must_be_staff_of_the_school(wereld):
    with pytest.raises(ValidationError) as exc:
        _plan(wereld, voorzitter=wereld.buitenstaander)
    assert "Sint-Testcollege" in _fout(exc, "voorzitter")
    assert not Overleg.objects.exists()


def test_participants_must_be_staff_of_the_school_or_its_clb(wereld):
    # The CLB of another school, and a CLB worker of our CLB no longer active.
    oud = f.CLBMedewerkerFactory(clb=wereld.clb, actief=False).user
    with pytest.raises(ValidationError) as exc:
        _plan(wereld, deelnemers=[wereld.users["clb_ander"], oud, wereld.leerkracht])
    bericht = _fout(exc, "deelnemers")
    assert str(wereld.users["clb_ander"]) in bericht and str(oud) in bericht
    assert str(wereld.leerkracht) not in bericht
    assert not Overleg.objects.exists()


def test_a_clb_whose_clb_stopped_serving_the_school_cannot_chair(wereld):
    wereld.clb.scholen.remove(wereld.school)
    with pytest.raises(ValidationError) as exc:
        _plan(wereld, voorzitter=wereld.users["clb"])
    assert "CLB" in _fout(exc, "voorzitter")


def test_an_inactive_membership_does_not_count(wereld):
    lid = wereld.leerkracht.lidmaatschappen.get()
    lid.actief = False
    lid.save()
    with pytest.raises(ValidationError):
        _plan(wereld, deelnemers=[wereld.leerkracht])


@pytest.mark.usefixtures("schooljaar_onderweg")
def test_a_portrait_council_puts_every_student_of_the_class_on_the_agenda(wereld):
    zeger = f.leerling_in(wereld.klas_a, voornaam="Zeger", achternaam="Aerts")
    vertrokken = f.leerling_in(wereld.klas_a, achternaam="Weg")
    Inschrijving.objects.filter(leerling=vertrokken).update(
        einde=timezone.localdate() - datetime.timedelta(days=3)
    )
    o = _plan(wereld, soort=OverlegSoort.PORTRET, klas=wereld.klas_a)
    punten = list(o.agendapunten.order_by("volgorde"))
    assert [p.leerling for p in punten] == [zeger, wereld.leerling_a]
    assert [p.volgorde for p in punten] == [1, 2]
    assert punten[0].redenen == [{"soort": Agendareden.KLAS, "tekst": "Leerling van 3A"}]
    assert all(p.toegevoegd_door == wereld.zorgcoordinator for p in punten)


def test_editing_the_planning_is_version_checked(wereld):
    o = _plan(wereld)
    services.overleg_wijzigen(
        overleg=o,
        versie=1,
        soort=OverlegSoort.CEL,
        moment=MORGEN,
        voorzitter=wereld.directie,
        deelnemers=[wereld.users["clb"]],
        externen="",
        door=wereld.directie,
    )
    with pytest.raises(VerouderdeVersie) as exc:
        services.overleg_wijzigen(
            overleg=o,
            versie=1,
            soort=OverlegSoort.CEL,
            moment=MORGEN,
            voorzitter=wereld.zorgcoordinator,
            deelnemers=[],
            externen="ouders",
            door=wereld.zorgcoordinator,
        )
    assert exc.value.huidig.voorzitter_id == wereld.directie.pk
    o.refresh_from_db()
    assert o.voorzitter == wereld.directie and o.externen == "" and o.versie == 2
    assert set(o.deelnemers.all()) == {wereld.directie, wereld.users["clb"]}


def test_the_kind_and_class_stay_once_students_are_on_the_agenda(wereld):
    o = _plan(wereld, soort=OverlegSoort.PORTRET, klas=wereld.klas_a)
    with pytest.raises(ValidationError) as exc:
        services.overleg_wijzigen(
            overleg=o,
            versie=o.versie,
            soort=OverlegSoort.PORTRET,
            klas=wereld.klas_b,
            moment=MORGEN,
            voorzitter=wereld.zorgcoordinator,
            deelnemers=[],
            door=wereld.zorgcoordinator,
        )
    assert "liggen vast" in _fout(exc, "klas")
    o.refresh_from_db()
    assert o.klas == wereld.klas_a and o.versie == 1


def test_starting_a_meeting(wereld):
    o = _plan(wereld)
    services.overleg_starten(overleg=o, door=wereld.zorgcoordinator)
    o.refresh_from_db()
    assert o.status == Overleg.Status.BEZIG
    assert o.versie == 1  # starting does not void an open edit of the minutes
    with pytest.raises(ValidationError) as exc:
        services.overleg_starten(overleg=o, door=wereld.zorgcoordinator)
    assert "al gestart" in _fout(exc)


# --- minutes, notes, version conflicts ------------------------------------------------------


def test_two_saves_of_the_minutes_from_the_same_version(wereld):
    o = _plan(wereld)
    services.notulen_opslaan(overleg=o, notulen="Eerste tekst", versie=1, door=wereld.directie)
    with pytest.raises(VerouderdeVersie) as exc:
        services.notulen_opslaan(
            overleg=o, notulen="Tweede tekst", versie=1, door=wereld.zorgcoordinator
        )
    assert exc.value.huidig.notulen == "Eerste tekst"
    assert "Iemand anders bewaarde de notulen" in exc.value.bericht
    o.refresh_from_db()
    assert o.notulen == "Eerste tekst" and o.versie == 2


def test_two_saves_of_a_students_notes_from_the_same_version(wereld):
    o = overleg(wereld, OverlegSoort.BEGELEIDEND)
    punt = agendapunt(o, wereld.leerling_a)
    services.notities_opslaan(
        agendapunt=punt,
        notities="Van de leerkracht",
        besproken=True,
        versie=1,
        door=wereld.leerkracht,
    )
    with pytest.raises(VerouderdeVersie) as exc:
        services.notities_opslaan(
            agendapunt=punt,
            notities="Van de zorg",
            besproken=False,
            versie=1,
            door=wereld.zorgcoordinator,
        )
    assert exc.value.huidig.notities == "Van de leerkracht"
    punt.refresh_from_db()
    assert (punt.notities, punt.besproken, punt.versie) == ("Van de leerkracht", True, 2)
    assert (
        AuditEvent.objects.filter(onderwerp="agendapunt", leerling=wereld.leerling_a).count() == 1
    )


def test_the_minutes_conflict_in_the_browser_keeps_both_texts(wereld, client):
    o = overleg(wereld, OverlegSoort.CEL)
    url = reverse("klassenraad:overleg_notulen", args=[o.pk])
    eerste, tweede = client, Client()
    eerste.force_login(wereld.zorgcoordinator)
    tweede.force_login(wereld.directie)
    assert 'name="versie" value="1"' in _html(eerste.get(url))
    assert 'name="versie" value="1"' in _html(tweede.get(url))

    antwoord = eerste.post(url, {"notulen": "Tekst van de coördinator", "versie": 1})
    assert antwoord.status_code == 302
    antwoord = tweede.post(url, {"notulen": "Tekst van de directeur", "versie": 1})
    assert antwoord.status_code == 200
    html = _html(antwoord)
    assert 'data-testid="conflict"' in html
    assert "Iemand anders bewaarde de notulen" in html
    assert "Tekst van de coördinator" in html  # what is saved
    assert "Tekst van de directeur" in html  # what they typed, still in the form
    assert 'name="versie" value="2"' in html
    o.refresh_from_db()
    assert o.notulen == "Tekst van de coördinator"

    # Saving again is a choice made with both texts in view.
    antwoord = tweede.post(url, {"notulen": "Samengevoegde tekst", "versie": 2})
    assert antwoord.status_code == 302
    o.refresh_from_db()
    assert o.notulen == "Samengevoegde tekst" and o.versie == 3


def test_the_notes_conflict_in_the_browser_keeps_both_texts(wereld, client):
    o = overleg(wereld, OverlegSoort.BEGELEIDEND)
    punt = agendapunt(o, wereld.leerling_a)
    url = reverse("klassenraad:agendapunt_notities", args=[o.pk, punt.pk])
    leerkracht, zorg = client, Client()
    leerkracht.force_login(wereld.leerkracht)
    zorg.force_login(wereld.zorgcoordinator)
    assert zorg.post(url, {"notities": "Ouders contacteren", "versie": 1}).status_code == 302
    antwoord = leerkracht.post(
        url, {"notities": "Werkt goed mee in wiskunde", "besproken": "on", "versie": 1}
    )
    assert antwoord.status_code == 200
    html = _html(antwoord)
    assert "Ouders contacteren" in html and "Werkt goed mee in wiskunde" in html
    assert "Iemand anders bewaarde de notities" in html
    punt.refresh_from_db()
    assert punt.notities == "Ouders contacteren" and not punt.besproken


def test_notes_by_htmx_answer_a_partial_and_without_js_a_redirect(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.BEGELEIDEND)
    punt = agendapunt(o, wereld.leerling_a)
    url = reverse("klassenraad:agendapunt_notities", args=[o.pk, punt.pk])
    client = client_voor(wereld.titularis)
    formulier = client.get(url, headers={"HX-Request": "true"})
    assert formulier.status_code == 200
    assert "<html" not in _html(formulier) and f'id="notities-{punt.pk}"' in _html(formulier)
    assert AuditEvent.objects.filter(
        onderwerp="agendapunt", actie=Actie.LEZEN, leerling=wereld.leerling_a
    ).exists()
    antwoord = client.post(
        url, {"notities": "Goed gesprek gehad", "versie": 1}, headers={"HX-Request": "true"}
    )
    assert antwoord.status_code == 200
    assert "<html" not in _html(antwoord) and "Goed gesprek gehad" in _html(antwoord)
    antwoord = client.post(url, {"notities": "Zonder JavaScript", "versie": 2})
    assert antwoord.status_code == 302
    assert antwoord["Location"].endswith(f"#punt-{punt.pk}")
    punt.refresh_from_db()
    assert punt.notities == "Zonder JavaScript"


def test_a_teacher_may_not_write_notes_about_a_student_of_another_class(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.BEGELEIDEND)
    punt_b = agendapunt(o, wereld.leerling_b)
    url = reverse("klassenraad:agendapunt_notities", args=[o.pk, punt_b.pk])
    assert (
        client_voor(wereld.leerkracht).post(url, {"notities": "x", "versie": 1}).status_code == 404
    )
    # Nor may the CLB write notes in a care cell, even one it attends (where
    # it reads every item).
    cel = overleg(wereld, OverlegSoort.CEL)
    cel.deelnemers.add(wereld.users["clb"])
    punt = agendapunt(cel, wereld.leerling_a)
    url = reverse("klassenraad:agendapunt_notities", args=[cel.pk, punt.pk])
    assert client_voor(wereld.users["clb"]).get(url).status_code == 404
    punt_b.refresh_from_db()
    assert punt_b.notities == ""


# --- closing and amendments --------------------------------------------------------------


def test_closing_asks_for_confirmation(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.CEL)
    agendapunt(o, wereld.leerling_a)
    client = client_voor(wereld.zorgcoordinator)
    url = reverse("klassenraad:overleg_afsluiten", args=[o.pk])
    assert client.get(url).status_code == 405
    bevestigen = client.post(url)
    assert bevestigen.status_code == 200
    assert "Lotte Peeters" in _html(bevestigen)  # not yet marked as discussed
    o.refresh_from_db()
    assert o.status == Overleg.Status.GEPLAND
    antwoord = client.post(url, {"bevestigd": "1", "versie": o.versie})
    assert antwoord.status_code == 302
    o.refresh_from_db()
    assert o.is_afgesloten and o.afgesloten_door == wereld.zorgcoordinator
    assert o.afgesloten_op is not None


def test_closing_does_not_list_a_student_with_decisions_as_not_discussed(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.CEL)
    besloten = agendapunt(o, wereld.leerling_a)
    agendapunt(o, wereld.leerling_b)
    # Two decisions written as older code left them: the item still says
    # not discussed. The page counts the decisions, whatever the tick says.
    for tekst in ("Laptop", "Oudergesprek"):
        Beslissing.objects.create(
            agendapunt=besloten, soort=BeslissingSoort.AFSPRAAK, tekst=tekst, door=wereld.directie
        )
    assert not Agendapunt.objects.get(pk=besloten.pk).besproken
    url = reverse("klassenraad:overleg_afsluiten", args=[o.pk])

    html = _html(client_voor(wereld.zorgcoordinator).post(url))

    waarschuwing = html[html.index('data-testid="niet-besproken"') :]
    assert "Noah Janssens" in waarschuwing
    assert "Lotte Peeters" not in waarschuwing


def test_closing_minutes_someone_changed_since_is_refused(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.CEL)
    services.notulen_opslaan(overleg=o, notulen="Nieuw", versie=1, door=wereld.directie)
    client = client_voor(wereld.zorgcoordinator)
    url = reverse("klassenraad:overleg_afsluiten", args=[o.pk])
    antwoord = client.post(url, {"bevestigd": "1", "versie": 1}, follow=True)
    assert "Iemand wijzigde het verslag" in _html(antwoord)
    o.refresh_from_db()
    assert o.status == Overleg.Status.GEPLAND


def test_every_service_refuses_closed_minutes(wereld):
    o = overleg(wereld, OverlegSoort.BEGELEIDEND, notulen="Origineel")
    punt = agendapunt(o, wereld.leerling_a, notities="Notitie")
    o = _afsluiten(o, wereld)
    pogingen = [
        lambda: services.notulen_opslaan(
            overleg=o, notulen="Gewijzigd", versie=o.versie, door=wereld.zorgcoordinator
        ),
        lambda: services.notities_opslaan(
            agendapunt=punt,
            notities="Gewijzigd",
            besproken=True,
            versie=1,
            door=wereld.zorgcoordinator,
        ),
        lambda: services.overleg_wijzigen(
            overleg=o,
            versie=o.versie,
            soort=o.soort,
            klas=o.klas,
            moment=MORGEN,
            voorzitter=wereld.directie,
            deelnemers=[],
            door=wereld.zorgcoordinator,
        ),
        lambda: services.overleg_starten(overleg=o, door=wereld.zorgcoordinator),
        lambda: services.overleg_afsluiten(overleg=o, versie=o.versie, door=wereld.directie),
    ]
    for poging in pogingen:
        with pytest.raises(ValidationError) as exc:
            poging()
        assert _fout(exc) == AFGESLOTEN
    o.refresh_from_db()
    punt.refresh_from_db()
    assert o.notulen == "Origineel" and o.voorzitter == wereld.zorgcoordinator
    assert o.afgesloten_door == wereld.zorgcoordinator
    assert punt.notities == "Notitie" and not punt.besproken


def test_every_write_page_refuses_closed_minutes(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.BEGELEIDEND, notulen="Origineel")
    punt = agendapunt(o, wereld.leerling_a)
    o = _afsluiten(o, wereld)
    client = client_voor(wereld.zorgcoordinator)
    # The minutes page says why, and shows what was typed so nothing is lost.
    antwoord = client.post(
        reverse("klassenraad:overleg_notulen", args=[o.pk]),
        {"notulen": "Nog iets vergeten", "versie": o.versie},
    )
    assert antwoord.status_code == 200
    assert AFGESLOTEN in _html(antwoord) and "Nog iets vergeten" in _html(antwoord)
    # Every other write is not on offer any more.
    for naam, args, data in [
        ("klassenraad:agendapunt_notities", [o.pk, punt.pk], {"notities": "x", "versie": 1}),
        ("klassenraad:overleg_bewerken", [o.pk], {}),
        ("klassenraad:overleg_starten", [o.pk], {}),
        ("klassenraad:overleg_afsluiten", [o.pk], {"bevestigd": "1", "versie": o.versie}),
    ]:
        assert client.post(reverse(naam, args=args), data).status_code == 404, naam
    detail = _html(client.get(reverse("klassenraad:overleg_detail", args=[o.pk])))
    assert reverse("klassenraad:overleg_bewerken", args=[o.pk]) not in detail
    assert reverse("klassenraad:agendapunt_notities", args=[o.pk, punt.pk]) not in detail
    o.refresh_from_db()
    punt.refresh_from_db()
    assert o.notulen == "Origineel" and punt.notities == ""


def test_amendments_only_on_closed_minutes(wereld):
    o = overleg(wereld, OverlegSoort.CEL)
    punt = agendapunt(o, wereld.leerling_a)
    with pytest.raises(ValidationError) as exc:
        services.aanvulling_toevoegen(overleg=o, tekst="Correctie", door=wereld.zorgcoordinator)
    assert "afgesloten verslag" in _fout(exc)
    o = _afsluiten(o, wereld)
    with pytest.raises(ValidationError) as exc:
        services.aanvulling_toevoegen(overleg=o, tekst="   ", door=wereld.zorgcoordinator)
    assert "Schrijf de aanvulling" in _fout(exc, "tekst")
    ander = agendapunt(overleg(wereld, OverlegSoort.CEL), wereld.leerling_b)
    with pytest.raises(ValidationError) as exc:
        services.aanvulling_toevoegen(
            overleg=o, tekst="Correctie", agendapunt=ander, door=wereld.zorgcoordinator
        )
    assert "niet op de agenda" in _fout(exc, "agendapunt")
    assert not Aanvulling.objects.exists()
    a = services.aanvulling_toevoegen(
        overleg=o, tekst="Mama belde nog", agendapunt=punt, door=wereld.directie
    )
    assert (a.overleg, a.agendapunt, a.door) == (o, punt, wereld.directie)
    assert AuditEvent.objects.filter(onderwerp="aanvulling", leerling=wereld.leerling_a).exists()


def test_amendments_in_the_browser(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.CEL)
    punt = agendapunt(o, wereld.leerling_a)
    client = client_voor(wereld.zorgcoordinator)
    url = reverse("klassenraad:overleg_aanvulling", args=[o.pk])
    assert client.post(url, {"tekst": "Te vroeg"}).status_code == 404  # still open
    _afsluiten(o, wereld)
    leeg = client.post(
        url,
        {
            "tekst": "",
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert leeg.status_code == 200 and "Schrijf de aanvulling" in _html(leeg)
    antwoord = client.post(
        url,
        {
            "tekst": "Ook de broer bespreken",
            "agendapunt": punt.pk,
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert antwoord.status_code == 302
    detail = _html(client.get(reverse("klassenraad:overleg_detail", args=[o.pk])))
    assert detail.count("Ook de broer bespreken") == 2  # at the end and on the item
    # Other roles do not amend, even a teacher who sees the class council.
    raad = overleg(wereld, OverlegSoort.BEGELEIDEND)
    _afsluiten(raad, wereld)
    url = reverse("klassenraad:overleg_aanvulling", args=[raad.pk])
    assert client_voor(wereld.titularis).post(url, {"tekst": "x"}).status_code == 404
    assert Aanvulling.objects.count() == 1


# --- access ------------------------------------------------------------------------------


@pytest.fixture
def overleggen(wereld):
    return {
        "cel": overleg(wereld, OverlegSoort.CEL),
        "raad_a": overleg(wereld, OverlegSoort.BEGELEIDEND, klas=wereld.klas_a),
        "portret_b": overleg(wereld, OverlegSoort.PORTRET, klas=wereld.klas_b),
        "cel_x": overleg(
            wereld,
            OverlegSoort.CEL,
            school=wereld.school2,
            voorzitter=wereld.buitenstaander,
            aangemaakt_door=wereld.buitenstaander,
        ),
    }


def _zichtbaar(client, overleggen) -> set[str]:
    html = _html(client.get(reverse("klassenraad:overleg_lijst")))
    return {
        naam
        for naam, o in overleggen.items()
        if reverse("klassenraad:overleg_detail", args=[o.pk]) in html
    }


@pytest.mark.parametrize(
    ("rol", "verwacht"),
    [
        ("zorgcoordinator", {"cel", "raad_a", "portret_b"}),
        ("directie", {"cel", "raad_a", "portret_b"}),
        ("leerkracht", {"raad_a"}),
        ("titularis", {"raad_a"}),
        ("leerkracht_b", {"portret_b"}),
        ("clb", {"cel"}),
        # The CLB of school 2 sees school 2's cell, nothing of school 1.
        ("clb_ander", {"cel_x"}),
        ("secretariaat", set()),
        ("beheerder", set()),
        ("buitenstaander", {"cel_x"}),
    ],
)
def test_who_sees_which_meeting(wereld, client_voor, overleggen, rol, verwacht):
    client = client_voor(wereld.users[rol])
    assert _zichtbaar(client, overleggen) == verwacht
    for naam, o in overleggen.items():
        for url_naam in ("klassenraad:overleg_detail", "klassenraad:overleg_verslag"):
            code = client.get(reverse(url_naam, args=[o.pk])).status_code
            assert code == (200 if naam in verwacht else 404), (naam, url_naam)


def test_the_clb_sees_a_class_council_it_takes_part_in(wereld, client_voor, overleggen):
    overleggen["raad_a"].deelnemers.add(wereld.users["clb"])
    assert _zichtbaar(client_voor(wereld.users["clb"]), overleggen) == {"cel", "raad_a"}
    assert _zichtbaar(client_voor(wereld.users["clb_ander"]), overleggen) == {"cel_x"}


def test_a_teacher_sees_only_the_items_of_their_students(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.BEGELEIDEND, klas=wereld.klas_a)
    agendapunt(o, wereld.leerling_a, notities="Lotte volgt goed")
    agendapunt(o, wereld.leerling_b, notities="Geheim over Noah")
    url = reverse("klassenraad:overleg_detail", args=[o.pk])
    leerkracht = _html(client_voor(wereld.leerkracht).get(url))
    assert "Lotte volgt goed" in leerkracht
    assert "Noah Janssens" not in leerkracht and "Geheim over Noah" not in leerkracht
    event = AuditEvent.objects.filter(onderwerp="overleg", actie=Actie.LEZEN).latest("id")
    assert event.leerling_id == wereld.leerling_a.pk
    assert AuditEvent.objects.filter(onderwerp="overleg", actie=Actie.LEZEN).count() == 1
    zorg = _html(client_voor(wereld.zorgcoordinator).get(url))
    assert "Lotte volgt goed" in zorg and "Geheim over Noah" in zorg
    assert set(
        AuditEvent.objects.filter(
            onderwerp="overleg", actie=Actie.LEZEN, gebruiker=wereld.zorgcoordinator
        ).values_list("leerling_id", flat=True)
    ) == {wereld.leerling_a.pk, wereld.leerling_b.pk}


def test_the_meeting_page_shows_decisions_and_action_items(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.CEL)
    punt = agendapunt(o, wereld.leerling_a)
    Beslissing.objects.create(
        agendapunt=punt,
        soort=BeslissingSoort.OUDERGESPREK,
        tekst="Ouders uitnodigen voor een gesprek",
        door=wereld.directie,
    )
    actiepunt(
        o, wereld.leerling_a, wereld.users["clb"], omschrijving="Observatie in de klas", dagen=-2
    )
    actiepunt(o, wereld.leerling_a, wereld.zorgcoordinator, omschrijving="Mama bellen", dagen=5)
    html = _html(
        client_voor(wereld.zorgcoordinator).get(reverse("klassenraad:overleg_detail", args=[o.pk]))
    )
    assert "oudergesprek afspreken" in html and "Ouders uitnodigen voor een gesprek" in html
    assert str(wereld.directie) in html
    assert "Observatie in de klas" in html and "Mama bellen" in html
    # The overdue item is marked in text, not by colour alone.
    assert html.count('class="actiepunt-te-laat"') == 1 and "te laat" in html
    assert (
        f"{reverse('klassenraad:beslissing_nieuw', args=[o.pk])}?leerling={wereld.leerling_a.pk}"
        in html
    )
    # The CLB sees the cell, but a student's item only once it reaches her:
    # not yet here (no referral, not among the participants).
    clb_client = client_voor(wereld.users["clb"])
    clb = _html(clb_client.get(reverse("klassenraad:overleg_detail", args=[o.pk])))
    assert "Ouders uitnodigen voor een gesprek" not in clb
    assert "Lotte Peeters" not in clb
    # Taking part in the cell, it reads every item, but not the buttons of
    # the care team.
    o.deelnemers.add(wereld.users["clb"])
    clb = _html(clb_client.get(reverse("klassenraad:overleg_detail", args=[o.pk])))
    assert "Ouders uitnodigen voor een gesprek" in clb
    assert reverse("klassenraad:beslissing_nieuw", args=[o.pk]) not in clb
    assert reverse("klassenraad:overleg_notulen", args=[o.pk]) not in clb


def test_a_clb_worker_who_does_not_attend_reads_no_general_minutes(wereld, client_voor):
    """General minutes may name any student: a CLB worker who does not take
    part in the cell reads only the items of the students she reaches (here
    Lotte, referred), not the minutes or the general amendments."""
    w = wereld
    o = overleg(w, OverlegSoort.CEL, dagen=-1, notulen="Noah en Mila: zorgen thuis.")
    agendapunt(o, w.leerling_a, notities="Lotte: plannen blijft moeilijk.")
    o = _afsluiten(o, w)
    services.aanvulling_toevoegen(overleg=o, tekst="Ook Noah opvolgen.", door=w.zorgcoordinator)
    aanmelding(w.leerling_a, w.zorgcoordinator)
    clb = client_voor(w.users["clb"])
    for naam in ("klassenraad:overleg_detail", "klassenraad:overleg_verslag"):
        html = _html(clb.get(reverse(naam, args=[o.pk])))
        assert "Lotte: plannen blijft moeilijk." in html
        assert "zorgen thuis" not in html and "Ook Noah opvolgen." not in html
    o.deelnemers.add(w.users["clb"])
    for naam in ("klassenraad:overleg_detail", "klassenraad:overleg_verslag"):
        html = _html(clb.get(reverse(naam, args=[o.pk])))
        assert "zorgen thuis" in html and "Ook Noah opvolgen." in html


# --- the printable minutes -------------------------------------------------------------------


def test_the_minutes_show_a_teacher_only_their_students(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.BEGELEIDEND, klas=wereld.klas_a, notulen="Klas draait goed.")
    punt_a = agendapunt(o, wereld.leerling_a, notities="Lotte: meer uitdaging geven")
    punt_b = agendapunt(o, wereld.leerling_b, notities="Noah: thuissituatie moeilijk")
    Beslissing.objects.create(
        agendapunt=punt_b,
        soort=BeslissingSoort.AFSPRAAK,
        tekst="Noah naar de cel",
        door=wereld.directie,
    )
    actiepunt(o, wereld.leerling_b, wereld.leerkracht, omschrijving="Noah opvolgen")
    o = _afsluiten(o, wereld)
    services.aanvulling_toevoegen(
        overleg=o, tekst="Noah: correctie", agendapunt=punt_b, door=wereld.zorgcoordinator
    )
    services.aanvulling_toevoegen(
        overleg=o, tekst="Volgende keer vroeger", door=wereld.zorgcoordinator
    )
    url = reverse("klassenraad:overleg_verslag", args=[o.pk])
    leerkracht = _html(client_voor(wereld.leerkracht).get(url))
    assert "Klas draait goed." in leerkracht and "Lotte: meer uitdaging geven" in leerkracht
    assert "Volgende keer vroeger" in leerkracht
    for verborgen in (
        "Noah Janssens",
        "Noah opvolgen",
        "thuissituatie",
        "naar de cel",
        "correctie",
    ):
        assert verborgen not in leerkracht, verborgen
    zorg = _html(client_voor(wereld.zorgcoordinator).get(url))
    for zichtbaar in (
        "Noah: thuissituatie moeilijk",
        "Noah naar de cel",
        "Noah opvolgen",
        "Noah: correctie",
    ):
        assert zichtbaar in zorg, zichtbaar
    assert "<nav" not in zorg  # a clean page to print
    assert (
        AuditEvent.objects.filter(
            onderwerp="overleg", actie=Actie.LEZEN, omschrijving="verslag", leerling=punt_a.leerling
        ).count()
        == 2
    )


def test_the_care_cell_minutes_never_reach_a_teacher(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.CEL, notulen="Enkel voor het zorgteam")
    agendapunt(o, wereld.leerling_a, notities="Vertrouwelijk")
    for naam in ("klassenraad:overleg_verslag", "klassenraad:overleg_detail"):
        antwoord = client_voor(wereld.leerkracht).get(reverse(naam, args=[o.pk]))
        assert antwoord.status_code == 404
        assert "Vertrouwelijk" not in _html(antwoord)


# --- planning pages ----------------------------------------------------------------------


def _formdata(w, **kwargs):
    data = {
        "soort": OverlegSoort.CEL,
        "school": w.school.pk,
        "datum": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
        "tijd": "15:30",
        "voorzitter": w.zorgcoordinator.pk,
        "deelnemers": [w.users["clb"].pk],
        "externen": "",
        "sleutel": str(uuid.uuid4()),
    }
    data.update(kwargs)
    return data


def test_planning_a_care_cell_leads_to_its_agenda(wereld, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    formulier = _html(client.get(reverse("klassenraad:overleg_nieuw")))
    assert str(wereld.users["clb"]) in formulier and "CLB Test" in formulier
    assert str(wereld.buitenstaander) not in formulier
    antwoord = client.post(reverse("klassenraad:overleg_nieuw"), _formdata(wereld))
    o = Overleg.objects.get()
    assert antwoord["Location"] == reverse("klassenraad:agenda_voorstel", args=[o.pk])
    moment = timezone.localtime(o.moment)
    assert (moment.hour, moment.minute) == (15, 30)
    assert set(o.deelnemers.all()) == {wereld.users["clb"], wereld.zorgcoordinator}


def test_planning_a_portrait_council_leads_to_the_meeting(wereld, client_voor):
    client = client_voor(wereld.directie)
    antwoord = client.post(
        reverse("klassenraad:overleg_nieuw"),
        _formdata(
            wereld, soort=OverlegSoort.PORTRET, klas=wereld.klas_a.pk, voorzitter=wereld.directie.pk
        ),
    )
    o = Overleg.objects.get()
    assert antwoord["Location"] == reverse("klassenraad:overleg_detail", args=[o.pk])
    assert list(o.agendapunten.values_list("leerling", flat=True)) == [wereld.leerling_a.pk]


def test_planning_errors_show_beside_their_fields(wereld, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    antwoord = client.post(
        reverse("klassenraad:overleg_nieuw"), _formdata(wereld, soort=OverlegSoort.BEGELEIDEND)
    )
    assert antwoord.status_code == 200
    assert "Een klassenraad hoort bij een klas" in _html(antwoord)
    antwoord = client.post(
        reverse("klassenraad:overleg_nieuw"),
        _formdata(wereld, voorzitter=wereld.buitenstaander.pk, klas=wereld.klas_x.pk),
    )
    assert antwoord.status_code == 200  # not a choice on offer
    assert not Overleg.objects.exists()


def test_editing_the_planning_in_the_browser_with_a_conflict(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.CEL)
    client = client_voor(wereld.zorgcoordinator)
    url = reverse("klassenraad:overleg_bewerken", args=[o.pk])
    services.overleg_wijzigen(
        overleg=o,
        versie=1,
        soort=OverlegSoort.CEL,
        moment=o.moment,
        voorzitter=wereld.directie,
        deelnemers=[],
        externen="ouders van Lotte",
        door=wereld.directie,
    )
    antwoord = client.post(url, {**_formdata(wereld, externen="iemand anders"), "versie": 1})
    assert antwoord.status_code == 200
    html = _html(antwoord)
    assert 'data-testid="conflict"' in html and "ouders van Lotte" in html
    assert "iemand anders" in html and 'name="versie" value="2"' in html
    antwoord = client.post(url, {**_formdata(wereld, externen="iemand anders"), "versie": 2})
    assert antwoord.status_code == 302
    o.refresh_from_db()
    assert o.externen == "iemand anders" and o.voorzitter == wereld.zorgcoordinator


def test_starting_in_the_browser(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.CEL)
    client = client_voor(wereld.zorgcoordinator)
    assert client.post(reverse("klassenraad:overleg_starten", args=[o.pk])).status_code == 302
    o.refresh_from_db()
    assert o.status == Overleg.Status.BEZIG


@pytest.mark.parametrize(
    ("rol", "toon"),
    [
        ("zorgcoordinator", True),
        ("leerkracht", True),
        ("clb", True),
        ("secretariaat", False),
        ("beheerder", False),
        ("platform", False),
    ],
)
def test_the_menu_offers_meetings_to_who_may_see_them(wereld, rf, rol, toon):
    request = rf.get("/")
    request.user = wereld.users[rol]
    assert overleg_context(request).get("toon_overleg", False) is toon


# --- query counts --------------------------------------------------------------------------


PLAFOND_LIJST = 12


def _meet(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        antwoord = client.get(url)
    assert antwoord.status_code == 200
    return len(ctx.captured_queries)


def _veel_overleggen(w, aantal, start=0):
    for i in range(start, start + aantal):
        soort = [OverlegSoort.CEL, OverlegSoort.BEGELEIDEND, OverlegSoort.PORTRET][i % 3]
        o = overleg(w, soort, dagen=i % 40 - 20)
        o.deelnemers.add(w.users["clb"])


@pytest.mark.parametrize("rol", ["zorgcoordinator", "leerkracht", "clb"])
def test_the_list_costs_a_fixed_number_of_queries(wereld, client_voor, template_queries, rol):
    client = client_voor(wereld.users[rol])
    url = reverse("klassenraad:overleg_lijst")
    _veel_overleggen(wereld, 5)
    weinig = _meet(client, url)
    _veel_overleggen(wereld, 195, start=5)
    veel = _meet(client, url)
    assert weinig == veel <= PLAFOND_LIJST
    assert template_queries == []


def test_the_list_puts_the_coming_meetings_first(wereld, client_voor):
    verleden = overleg(wereld, OverlegSoort.CEL, dagen=-10)
    gisteren = overleg(wereld, OverlegSoort.CEL, dagen=-1)
    overmorgen = overleg(wereld, OverlegSoort.CEL, dagen=2)
    morgen = overleg(wereld, OverlegSoort.CEL, dagen=1)
    raad = overleg(wereld, OverlegSoort.BEGELEIDEND, dagen=3)
    client = client_voor(wereld.zorgcoordinator)
    html = _html(client.get(reverse("klassenraad:overleg_lijst")))
    posities = [
        html.index(reverse("klassenraad:overleg_detail", args=[o.pk]))
        for o in (morgen, overmorgen, raad, gisteren, verleden)
    ]
    assert posities == sorted(posities)
    html = _html(client.get(reverse("klassenraad:overleg_lijst"), {"soort": "begeleidend"}))
    assert reverse("klassenraad:overleg_detail", args=[raad.pk]) in html
    assert reverse("klassenraad:overleg_detail", args=[morgen.pk]) not in html


def test_the_list_filters_by_school_for_someone_in_two_schools(wereld, client_voor):
    f.LidmaatschapFactory(
        user=wereld.zorgcoordinator, school=wereld.school2, rol=Rol.ZORGCOORDINATOR
    )
    hier = overleg(wereld, OverlegSoort.CEL)
    daar = overleg(
        wereld, OverlegSoort.CEL, school=wereld.school2, voorzitter=wereld.buitenstaander
    )
    client = client_voor(wereld.zorgcoordinator)
    html = _html(client.get(reverse("klassenraad:overleg_lijst"), {"school": wereld.school2.pk}))
    assert reverse("klassenraad:overleg_detail", args=[daar.pk]) in html
    assert reverse("klassenraad:overleg_detail", args=[hier.pk]) not in html
