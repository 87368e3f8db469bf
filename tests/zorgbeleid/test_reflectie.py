"""The team's reflection on its care policy (issue 14): per quality
expectation a choice, its reasoning and actions, draft then final; last
year's choices with what became of their actions."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from zorg.accounts.models import Lidmaatschap, Rol, Schooljaar
from zorg.audit.models import Actie, AuditEvent
from zorg.meldingen.models import Melding
from zorg.versies import VerouderdeVersie
from zorgbeleid import services
from zorgbeleid.models import Keuze, Reflectie, Reflectieactie, Verwachting

MORGEN = timezone.localdate() + datetime.timedelta(days=1)


def _bewaren(w, door=None, versie=None, verwachting=Verwachting.VISIE, keuze=Keuze.VERSTERKEN):
    return services.reflectie_bewaren(
        schooljaar=w.schooljaar,
        verwachting=verwachting,
        keuze=keuze,
        redenering="De effecten volgen we nog te weinig op.",
        versie=versie,
        door=door or w.zorgcoordinator,
    )


def _url(w, naam="reflectie_overzicht", verwachting=None, jaar=None):
    kwargs = {"pk": w.school.pk, "jaar_pk": (jaar or w.schooljaar).pk}
    if verwachting:
        kwargs["verwachting"] = verwachting
    return reverse(f"zorgbeleid:{naam}", kwargs=kwargs)


# --- services ------------------------------------------------------------------------


def test_saving_creates_then_edits_with_a_version_check(wereld):
    w = wereld
    reflectie = _bewaren(w)
    assert reflectie.status == Reflectie.Status.ONTWERP and reflectie.versie == 1
    bijgewerkt = _bewaren(w, versie=1, keuze=Keuze.OPSTARTEN)
    assert bijgewerkt.versie == 2 and bijgewerkt.keuze == Keuze.OPSTARTEN
    with pytest.raises(VerouderdeVersie) as exc:
        _bewaren(w, door=w.directie, versie=1, keuze=Keuze.AFBOUWEN)
    assert exc.value.huidig.keuze == Keuze.OPSTARTEN
    assert Reflectie.objects.get().keuze == Keuze.OPSTARTEN


def test_a_second_create_of_the_same_expectation_is_a_conflict(wereld):
    _bewaren(wereld)
    with pytest.raises(VerouderdeVersie):
        _bewaren(wereld, door=wereld.directie)
    assert Reflectie.objects.count() == 1


def test_making_final_records_who_and_when_and_freezes_it(wereld):
    w = wereld
    reflectie = _bewaren(w)
    definitief = services.reflectie_definitief_maken(
        reflectie=reflectie, versie=reflectie.versie, door=w.directie
    )
    assert definitief.is_definitief
    assert definitief.beslist_door == w.directie
    assert abs(definitief.beslist_op - timezone.now()) < datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError):
        _bewaren(w, versie=definitief.versie)
    with pytest.raises(ValidationError):
        services.reflectieactie_toevoegen(
            reflectie=definitief,
            omschrijving="x",
            eigenaar=w.leerkracht,
            vervaldatum=MORGEN,
            door=w.directie,
        )
    heropend = services.reflectie_heropenen(
        reflectie=definitief, versie=definitief.versie, door=w.directie
    )
    assert not heropend.is_definitief and heropend.beslist_door is None


def test_an_action_needs_a_staff_member_of_the_school_and_a_date_ahead(wereld):
    w = wereld
    reflectie = _bewaren(w)
    for eigenaar in (w.clb, w.buitenstaander, w.beheerder):
        with pytest.raises(ValidationError) as exc:
            services.reflectieactie_toevoegen(
                reflectie=reflectie,
                omschrijving="Visie bespreken",
                eigenaar=eigenaar,
                vervaldatum=MORGEN,
                door=w.directie,
            )
        assert "eigenaar" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.reflectieactie_toevoegen(
            reflectie=reflectie,
            omschrijving="Visie bespreken",
            eigenaar=w.leerkracht,
            vervaldatum=timezone.localdate() - datetime.timedelta(days=1),
            door=w.directie,
        )
    assert "vervaldatum" in exc.value.error_dict
    assert not Reflectieactie.objects.exists()


def test_an_action_is_an_action_item_its_owner_hears_of_and_sees(wereld, client_voor):
    w = wereld
    reflectie = _bewaren(w)
    actie = services.reflectieactie_toevoegen(
        reflectie=reflectie,
        omschrijving="Visietekst bespreken op de personeelsvergadering",
        eigenaar=w.leerkracht,
        vervaldatum=MORGEN,
        door=w.zorgcoordinator,
    )
    melding = Melding.objects.get(ontvanger=w.leerkracht)
    assert melding.link == reverse("zorgbeleid:actie_detail", args=[actie.pk])
    start = client_voor(w.leerkracht).get(reverse("start"))
    assert "Visietekst bespreken op de personeelsvergadering" in start.content.decode()
    # Not on someone else's start page.
    assert (
        "Visietekst bespreken"
        not in client_voor(w.titularis).get(reverse("start")).content.decode()
    )
    # The owner completes it on its page.
    client = client_voor(w.leerkracht)
    antwoord = client.post(
        reverse("zorgbeleid:actie_detail", args=[actie.pk]),
        {"status": "afgerond", "resultaat": "Besproken", "versie": actie.versie},
    )
    assert antwoord.status_code == 302
    actie.refresh_from_db()
    assert actie.status == Reflectieactie.Status.AFGEROND and actie.afgehandeld_door == w.leerkracht
    # A second, stale completion is a conflict, not an overwrite.
    antwoord = client.post(
        reverse("zorgbeleid:actie_detail", args=[actie.pk]),
        {"status": "geannuleerd", "resultaat": "Toch niet", "versie": 1},
    )
    assert antwoord.status_code == 409
    actie.refresh_from_db()
    assert actie.status == Reflectieactie.Status.AFGEROND


def test_writes_are_audited_without_their_text(wereld):
    w = wereld
    reflectie = _bewaren(w)
    _bewaren(w, versie=reflectie.versie, keuze=Keuze.BEHOUDEN)
    services.reflectieactie_toevoegen(
        reflectie=reflectie,
        omschrijving="Visie bespreken",
        eigenaar=w.leerkracht,
        vervaldatum=MORGEN,
        door=w.zorgcoordinator,
    )
    events = AuditEvent.objects.filter(onderwerp__in=["reflectie", "reflectieactie"])
    assert [(e.onderwerp, e.actie) for e in events.order_by("pk")] == [
        ("reflectie", Actie.AANMAKEN),
        ("reflectie", Actie.WIJZIGEN),
        ("reflectieactie", Actie.AANMAKEN),
    ]
    for event in events:
        assert event.school_id == w.school.pk and event.leerling_id is None
        assert "opvolgen" not in event.omschrijving and "Visie" not in event.omschrijving


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("rol", ["leerkracht", "titularis", "secretariaat", "beheerder", "clb"])
def test_others_of_the_school_get_404(wereld, client_voor, rol):
    _bewaren(wereld)
    client = client_voor(wereld.users[rol])
    assert client.get(_url(wereld)).status_code == 404
    assert client.get(_url(wereld, "reflectie_bewerken", "visie")).status_code == 404


def test_another_schools_director_gets_404_as_for_a_missing_school(wereld, client_voor):
    w = wereld
    ander = f.UserFactory(email="directie@andere.example")
    Lidmaatschap.objects.create(user=ander, school=w.school2, rol=Rol.DIRECTIE)
    client = client_voor(ander)
    assert client.get(_url(w)).status_code == 404
    onbestaand = reverse("zorgbeleid:reflectie_overzicht", kwargs={"pk": 999999, "jaar_pk": 1})
    assert client.get(onbestaand).status_code == 404
    # Nor another school's year under one's own school.
    eigen = Schooljaar.objects.get(school=w.school2)
    url = reverse(
        "zorgbeleid:reflectie_overzicht", kwargs={"pk": w.school2.pk, "jaar_pk": w.schooljaar.pk}
    )
    assert client.get(url).status_code == 404
    assert (
        client.get(
            reverse(
                "zorgbeleid:reflectie_overzicht", kwargs={"pk": w.school2.pk, "jaar_pk": eigen.pk}
            )
        ).status_code
        == 200
    )


def test_the_care_coordinator_records_a_choice_and_the_director_makes_it_final(wereld, client_voor):
    w = wereld
    client = client_voor(w.zorgcoordinator)
    url = _url(w, "reflectie_bewerken", "passend")
    pagina = client.get(url)
    assert pagina.status_code == 200
    sleutel = pagina.context["form"].initial["sleutel"]
    gegevens = {
        "keuze": "opstarten",
        "redenering": "Meer differentiatie in de klas.",
        "sleutel": sleutel,
        "versie": "",
    }
    assert client.post(url, gegevens).status_code == 302
    # The same form sent twice: saved once.
    assert client.post(url, gegevens).status_code == 302
    assert Reflectie.objects.count() == 1
    reflectie = Reflectie.objects.get()
    assert (
        reflectie.verwachting == Verwachting.PASSEND
        and reflectie.aangemaakt_door == w.zorgcoordinator
    )

    directie = client_voor(w.directie)
    antwoord = directie.post(
        _url(w, "reflectie_definitief", "passend"), {"versie": reflectie.versie}
    )
    assert antwoord.status_code == 302
    reflectie.refresh_from_db()
    assert reflectie.is_definitief and reflectie.beslist_door == w.directie
    pagina = directie.get(url).content.decode()
    assert "Beslist door" in pagina and str(w.directie) in pagina
    # The care coordinator cannot reopen it; the director can.
    client = client_voor(w.zorgcoordinator)  # one test client: log in again
    assert (
        client.post(
            _url(w, "reflectie_heropenen", "passend"), {"versie": reflectie.versie}
        ).status_code
        == 404
    )
    directie = client_voor(w.directie)
    assert (
        directie.post(
            _url(w, "reflectie_heropenen", "passend"), {"versie": reflectie.versie}
        ).status_code
        == 302
    )
    reflectie.refresh_from_db()
    assert not reflectie.is_definitief


def test_a_stale_edit_shows_the_saved_version(wereld, client_voor):
    w = wereld
    reflectie = _bewaren(w)
    _bewaren(w, door=w.directie, versie=reflectie.versie, keuze=Keuze.AFBOUWEN)
    antwoord = client_voor(w.zorgcoordinator).post(
        _url(w, "reflectie_bewerken", "visie"),
        {
            "keuze": "behouden",
            "redenering": "Zo laten.",
            "versie": reflectie.versie,
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert antwoord.status_code == 409
    assert antwoord.context["conflict"]["huidig"].keuze == Keuze.AFBOUWEN
    assert Reflectie.objects.get().keuze == Keuze.AFBOUWEN


def test_adding_an_action_twice_by_double_submit_saves_it_once(wereld, client_voor):
    w = wereld
    _bewaren(w)
    client = client_voor(w.directie)
    gegevens = {
        "omschrijving": "Ouderavond over zorg",
        "eigenaar": w.leerkracht.pk,
        "vervaldatum": MORGEN.isoformat(),
        "sleutel": str(uuid.uuid4()),
    }
    url = _url(w, "actie_toevoegen", "visie")
    assert client.post(url, gegevens).status_code == 302
    assert client.post(url, gegevens).status_code == 302
    assert Reflectieactie.objects.count() == 1


def test_last_years_choices_come_back_with_what_became_of_their_actions(wereld, client_voor):
    w = wereld
    vorige = Reflectie.objects.create(
        school=w.school,
        schooljaar=w.vorig_schooljaar,
        verwachting=Verwachting.SAMEN,
        keuze=Keuze.OPSTARTEN,
        redenering="Ouders meer betrekken.",
        aangemaakt_door=w.directie,
        gewijzigd_door=w.directie,
    )
    vroeger = timezone.localdate() - datetime.timedelta(days=100)
    maak = lambda tekst, **kw: Reflectieactie.objects.create(  # noqa: E731
        reflectie=vorige,
        omschrijving=tekst,
        eigenaar=w.zorgcoordinator,
        vervaldatum=kw.pop("vervaldatum", vroeger),
        aangemaakt_door=w.directie,
        **kw,
    )
    maak(
        "Oudercafé opstarten",
        status="afgerond",
        afgehandeld_op=timezone.now(),
        afgehandeld_door=w.zorgcoordinator,
        resultaat="Drie keer gehouden",
    )
    maak("Nieuwsbrief over begeleiding")
    maak("Enquête bij ouders", vervaldatum=timezone.localdate() + datetime.timedelta(days=10))
    pagina = client_voor(w.directie).get(_url(w))
    assert pagina.status_code == 200
    html = pagina.content.decode()
    vorig_deel = html[html.index('data-testid="verwachting-samen"') :]
    vorig_deel = vorig_deel[vorig_deel.index('data-testid="vorig-jaar"') :]
    assert "als nieuw initiatief opstarten" in vorig_deel.lower()
    for tekst, uitkomst in (
        ("Oudercafé opstarten", "afgerond"),
        ("Nieuwsbrief over begeleiding", "te laat"),
        ("Enquête bij ouders", "open"),
    ):
        regel = next(r for r in vorig_deel.split("<li") if tekst in r)
        assert uitkomst in regel
    assert "Drie keer gehouden" in vorig_deel


def test_the_overview_is_audited_and_names_no_student(
    wereld, client_voor, django_assert_max_num_queries
):
    w = wereld
    reflectie = _bewaren(w)
    for i in range(5):
        services.reflectieactie_toevoegen(
            reflectie=reflectie,
            omschrijving=f"Actie {i}",
            eigenaar=w.leerkracht,
            vervaldatum=MORGEN,
            door=w.directie,
        )
    client = client_voor(w.directie)
    client.get(_url(w))  # warm the session
    # Reflections and their actions are prefetched: the count does not grow
    # with the number of actions (the N+1 of actie.eigenaar).
    with django_assert_max_num_queries(16):
        pagina = client.get(_url(w))
    html = pagina.content.decode()
    for leerling in (w.leerling_a, w.leerling_b, w.leerling_x):
        assert leerling.achternaam not in html and leerling.voornaam not in html
    assert AuditEvent.objects.filter(
        gebruiker=w.directie, actie=Actie.LEZEN, onderwerp="reflectie", school_id=w.school.pk
    ).exists()


def test_the_start_page_links_the_report_only_for_the_care_team(wereld, client_voor):
    w = wereld
    url = _url(w)
    assert url in client_voor(w.directie).get(reverse("start")).content.decode()
    assert url in client_voor(w.zorgcoordinator).get(reverse("start")).content.decode()
    for rol in ("leerkracht", "secretariaat", "clb", "buitenstaander"):
        assert url not in client_voor(w.users[rol]).get(reverse("start")).content.decode()
