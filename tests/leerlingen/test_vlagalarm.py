"""The red-flag acknowledgement loop (acknowledge, take up, escalate to the
director), the follow-up and closing of every flag, pattern signals, and the
start page that brings them to the care team and the class teacher."""

import datetime
import threading
import time

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerlingen import policies
from leerlingen.models import Signaal, TijdlijnItem, Vlag, VlagOpvolging, Zichtbaarheid
from leerlingen.services.vlagalarm import (
    opvolging_toevoegen,
    rode_vlaggen_escaleren,
    signaal_afhandelen,
    vlag_afsluiten,
    vlag_erkennen,
    vlag_opnemen,
)
from tests import factories as f
from tests.clb.factories import aanmelding
from tests.conftest import wacht_tot
from tests.leerlingen.factories_vlagalarm import opvolging, signaal, vlag
from zorg.accounts.models import Rol
from zorg.audit.models import Actie, AuditEvent
from zorg.meldingen.models import Melding

HTMX = {"HX-Request": "true"}
TERMIJN = settings.ZORG_RODE_VLAG_ESCALATIE
GISTEREN = timezone.localdate() - datetime.timedelta(days=1)


def rood(w, *leerlingen, **kwargs) -> Vlag:
    return vlag(*(leerlingen or [w.leerling_a]), klas=w.klas_a, gemeld_door=w.leerkracht, **kwargs)


def geel(w, **kwargs) -> Vlag:
    return vlag(w.leerling_a, klas=w.klas_a, gemeld_door=w.leerkracht, kleur="geel", **kwargs)


def vers(v: Vlag) -> Vlag:
    return Vlag.objects.get(pk=v.pk)


def url(naam, v) -> str:
    return reverse(f"leerlingen:{naam}", args=[v.pk])


def berichten(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def audit(onderwerp, actie=Actie.WIJZIGEN):
    return AuditEvent.objects.filter(onderwerp=onderwerp, actie=actie)


# --- acknowledging ---------------------------------------------------------------


def test_acknowledging_a_red_flag_records_who_and_when_and_puts_it_in_follow_up(wereld):
    v = rood(wereld)

    assert vlag_erkennen(vlag=v, door=wereld.zorgcoordinator) is True

    v = vers(v)
    assert v.erkend_door == wereld.zorgcoordinator
    assert v.erkend_op is not None
    assert v.status == Vlag.Status.IN_OPVOLGING
    assert v.versie == 2
    (event,) = audit("vlag")
    assert event.gebruiker == wereld.zorgcoordinator
    assert event.leerling_id == wereld.leerling_a.pk
    assert event.omschrijving == "erkend"


def test_acknowledging_twice_keeps_the_first_acknowledgement_and_says_so(wereld):
    v = rood(wereld)
    vlag_erkennen(vlag=v, door=wereld.zorgcoordinator)
    eerste = vers(v)

    tweede = Vlag.objects.get(pk=v.pk)
    assert vlag_erkennen(vlag=tweede, door=wereld.directie) is False

    assert tweede.erkend_door_id == wereld.zorgcoordinator.pk
    na = vers(v)
    assert (na.erkend_door_id, na.erkend_op, na.versie) == (
        wereld.zorgcoordinator.pk,
        eerste.erkend_op,
        eerste.versie,
    )
    assert audit("vlag").count() == 1


def test_only_a_red_flag_is_acknowledged(wereld):
    v = geel(wereld)
    with pytest.raises(ValidationError, match="Enkel een rode vlag"):
        vlag_erkennen(vlag=v, door=wereld.zorgcoordinator)
    assert vers(v).erkend_op is None


@pytest.mark.parametrize("rol", ["leerkracht", "titularis", "secretariaat", "buitenstaander"])
def test_outside_the_care_team_the_service_refuses_to_acknowledge(wereld, rol):
    v = rood(wereld)
    with pytest.raises(ValidationError, match="Enkel het zorgteam"):
        vlag_erkennen(vlag=v, door=wereld.users[rol])
    assert vers(v).erkend_op is None


def test_the_flag_row_alone_is_locked_while_acknowledging(wereld):
    v = rood(wereld)
    with CaptureQueriesContext(connection) as ctx:
        vlag_erkennen(vlag=v, door=wereld.zorgcoordinator)
    vergrendeld = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(vergrendeld) == 1
    assert 'FROM "leerlingen_vlag"' in vergrendeld[0]
    assert "JOIN" not in vergrendeld[0]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_acknowledgements_let_one_win_and_tell_the_other(wereld):
    # A real race: the director's acknowledgement holds the flag row until
    # its commit while the care coordinator, who loaded the flag before,
    # acknowledges too. Without the lock the second would overwrite the first.
    v = rood(wereld)
    gezien_door_zorgcoordinator = Vlag.objects.get(pk=v.pk)
    vergrendeld = threading.Event()
    fouten = []

    def directie():
        try:
            with transaction.atomic():
                vlag_erkennen(vlag=Vlag.objects.get(pk=v.pk), door=wereld.directie)
                vergrendeld.set()
                time.sleep(0.3)
        except Exception as exc:  # pragma: no cover - surfaced below
            fouten.append(exc)
        finally:
            vergrendeld.set()
            connection.close()

    draad = threading.Thread(target=directie)
    draad.start()
    assert vergrendeld.wait(5)
    nieuw = vlag_erkennen(vlag=gezien_door_zorgcoordinator, door=wereld.zorgcoordinator)
    draad.join(5)

    assert not fouten
    assert nieuw is False
    assert gezien_door_zorgcoordinator.erkend_door_id == wereld.directie.pk
    assert vers(v).erkend_door_id == wereld.directie.pk
    assert audit("vlag").count() == 1


# --- taking up -------------------------------------------------------------------


def test_taking_up_records_the_care_team_member_and_acknowledges_an_unacknowledged_flag(wereld):
    v = rood(wereld)

    vlag_opnemen(vlag=v, door=wereld.directie, opnemer=wereld.zorgcoordinator)

    v = vers(v)
    assert v.opgenomen_door == wereld.zorgcoordinator
    # Whoever assigns it saw the alert: the director is not called for it.
    assert v.erkend_door == wereld.directie
    assert v.status == Vlag.Status.IN_OPVOLGING
    assert audit("vlag").count() == 1


@pytest.mark.parametrize("rol", ["leerkracht", "secretariaat", "buitenstaander"])
def test_taking_up_refuses_someone_outside_the_schools_care_team(wereld, rol):
    v = rood(wereld)
    with pytest.raises(ValidationError) as fout:
        vlag_opnemen(vlag=v, door=wereld.zorgcoordinator, opnemer=wereld.users[rol])
    assert "Kies iemand van het zorgteam" in fout.value.message_dict["opnemer"][0]
    assert vers(v).opgenomen_door_id is None
    assert vers(v).erkend_op is None


def test_an_inactive_membership_does_not_count_as_care_team(wereld):
    oud = f.UserFactory()
    f.LidmaatschapFactory(user=oud, school=wereld.school, rol=Rol.ZORGCOORDINATOR, actief=False)
    with pytest.raises(ValidationError):
        vlag_opnemen(vlag=rood(wereld), door=wereld.zorgcoordinator, opnemer=oud)


def test_taking_up_a_flag_someone_changed_meanwhile_is_refused(wereld):
    v = rood(wereld)
    gezien = v.versie
    vlag_erkennen(vlag=Vlag.objects.get(pk=v.pk), door=wereld.directie)
    with pytest.raises(ValidationError, match="Iemand anders wijzigde deze vlag"):
        vlag_opnemen(
            vlag=v, door=wereld.zorgcoordinator, opnemer=wereld.zorgcoordinator, versie=gezien
        )
    assert vers(v).opgenomen_door_id is None


# --- follow-up -------------------------------------------------------------------


def test_a_follow_up_puts_the_flag_in_follow_up_with_a_care_team_entry_per_student(wereld):
    tweede = f.leerling_in(wereld.klas_a, voornaam="Ilias", achternaam="Maes")
    v = rood(wereld, wereld.leerling_a, tweede)

    o = opvolging_toevoegen(
        vlag=v,
        door=wereld.zorgcoordinator,
        soort=VlagOpvolging.Soort.HERSTELGESPREK,
        datum=GISTEREN,
        notities="  Herstelgesprek met beide leerlingen en de leerkracht.  ",
    )

    assert o.notities == "Herstelgesprek met beide leerlingen en de leerkracht."
    assert vers(v).status == Vlag.Status.IN_OPVOLGING
    items = TijdlijnItem.objects.filter(bron_type="leerlingen.vlagopvolging", bron_id=o.pk)
    assert {i.leerling_id for i in items} == {wereld.leerling_a.pk, tweede.pk}
    for item in items:
        assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
        assert item.titel == "Opvolging rode vlag: herstelgesprek"
        assert item.datum == GISTEREN
        assert item.url == url("vlag_detail", v)
    assert audit("vlagopvolging", Actie.AANMAKEN).count() == 2


def test_a_follow_up_of_a_yellow_flag_is_titled_by_its_colour(wereld):
    o = opvolging_toevoegen(
        vlag=geel(wereld),
        door=wereld.leerkracht,
        soort=VlagOpvolging.Soort.AFSPRAAK_LEERLING,
        datum=GISTEREN,
        notities="",
    )
    item = TijdlijnItem.objects.get(bron_id=o.pk, bron_type="leerlingen.vlagopvolging")
    assert item.titel == "Opvolging gele vlag: afspraak met de leerling"


def test_a_follow_up_of_an_unacknowledged_red_flag_acknowledges_it(wereld):
    v = rood(wereld)
    opvolging_toevoegen(
        vlag=v, door=wereld.zorgcoordinator, soort="contact_ouders", datum=GISTEREN, notities=""
    )
    assert vers(v).erkend_door == wereld.zorgcoordinator


@pytest.mark.parametrize(
    ("velden", "veld", "bericht"),
    [
        (
            {"datum": timezone.localdate() + datetime.timedelta(days=1)},
            "datum",
            "De datum ligt in de toekomst",
        ),
        ({"datum": None}, "datum", "Geef de datum"),
        ({"soort": "schorsing"}, "soort", "Kies wat er als opvolging gebeurde"),
        ({"notities": "x" * 4001}, "notities", "te lang"),
        ({"notities": "a\x00b"}, "notities", "ongeldig teken"),
    ],
)
def test_bad_follow_up_input_is_refused_and_nothing_is_saved(wereld, velden, veld, bericht):
    v = geel(wereld)
    waarden = {"soort": "herstelgesprek", "datum": GISTEREN, "notities": ""} | velden
    with pytest.raises(ValidationError) as fout:
        opvolging_toevoegen(vlag=v, door=wereld.leerkracht, **waarden)
    assert bericht in " ".join(fout.value.message_dict[veld])
    assert not VlagOpvolging.objects.exists()
    assert vers(v).status == Vlag.Status.OPEN
    assert not TijdlijnItem.objects.filter(bron_type="leerlingen.vlagopvolging").exists()


def test_a_teacher_cannot_record_a_disciplinary_track(wereld):
    v = geel(wereld)
    with pytest.raises(ValidationError) as fout:
        opvolging_toevoegen(
            vlag=v, door=wereld.leerkracht, soort="tucht", datum=GISTEREN, notities=""
        )
    assert "tuchtprocedure" in fout.value.message_dict["soort"][0]
    assert not VlagOpvolging.objects.exists()


def test_the_care_team_records_a_disciplinary_track(wereld):
    o = opvolging_toevoegen(
        vlag=rood(wereld), door=wereld.directie, soort="tucht", datum=GISTEREN, notities=""
    )
    assert o.soort == VlagOpvolging.Soort.TUCHT


# --- closing ---------------------------------------------------------------------


def test_closing_a_red_flag_without_follow_up_is_refused_and_changes_nothing(wereld):
    v = rood(wereld)
    vlag_erkennen(vlag=v, door=wereld.zorgcoordinator)
    voor = vers(v)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError, match="Een rode vlag sluit je pas af"):
        vlag_afsluiten(vlag=v, door=wereld.zorgcoordinator)

    na = vers(v)
    assert (na.status, na.versie) == (voor.status, voor.versie) == (Vlag.Status.IN_OPVOLGING, 2)
    assert AuditEvent.objects.count() == events


def test_a_red_flag_with_a_follow_up_closes(wereld):
    v = rood(wereld)
    opvolging(v, wereld.zorgcoordinator)
    vlag_afsluiten(vlag=v, door=wereld.zorgcoordinator)
    assert vers(v).status == Vlag.Status.AFGESLOTEN
    assert audit("vlag").filter(omschrijving="vlag afgesloten").count() == 1


@pytest.mark.parametrize("kleur", ["groen", "geel", "oranje"])
def test_other_colours_close_without_follow_up(wereld, kleur):
    v = vlag(wereld.leerling_a, klas=wereld.klas_a, gemeld_door=wereld.leerkracht, kleur=kleur)
    vlag_afsluiten(vlag=v, door=wereld.leerkracht)
    assert vers(v).status == Vlag.Status.AFGESLOTEN


def test_a_closed_flag_takes_no_follow_up_and_is_not_closed_twice(wereld):
    v = geel(wereld)
    vlag_afsluiten(vlag=v, door=wereld.leerkracht)
    with pytest.raises(ValidationError, match="al afgesloten"):
        vlag_afsluiten(vlag=v, door=wereld.leerkracht)
    with pytest.raises(ValidationError, match="al afgesloten"):
        opvolging_toevoegen(
            vlag=v, door=wereld.leerkracht, soort="herstelgesprek", datum=GISTEREN, notities=""
        )
    assert not VlagOpvolging.objects.exists()


def test_closing_from_an_outdated_page_is_refused(wereld):
    v = geel(wereld)
    gezien = v.versie
    opvolging_toevoegen(
        vlag=Vlag.objects.get(pk=v.pk),
        door=wereld.zorgcoordinator,
        soort="herstelgesprek",
        datum=GISTEREN,
        notities="",
    )
    with pytest.raises(ValidationError, match="Iemand anders wijzigde"):
        vlag_afsluiten(vlag=v, door=wereld.leerkracht, versie=gezien)
    assert vers(v).status == Vlag.Status.IN_OPVOLGING


# --- escalation ------------------------------------------------------------------


def _escalatiemeldingen():
    return Melding.objects.filter(titel__startswith="Rode vlag niet erkend")


def test_an_unacknowledged_red_flag_is_not_escalated_before_the_set_time(wereld):
    v = rood(wereld, geleden=TERMIJN - datetime.timedelta(minutes=1))
    assert rode_vlaggen_escaleren() == 0
    assert vers(v).geescaleerd_op is None
    assert not _escalatiemeldingen().exists()


def test_an_unacknowledged_red_flag_goes_to_the_director_after_the_set_time(wereld):
    v = rood(wereld, geleden=TERMIJN + datetime.timedelta(minutes=1))

    assert rode_vlaggen_escaleren() == 1

    assert vers(v).geescaleerd_op is not None
    (melding,) = _escalatiemeldingen()
    assert melding.ontvanger == wereld.directie
    assert melding.titel == "Rode vlag niet erkend na 2 uur"
    assert melding.link == url("vlag_detail", v)
    assert melding.school == wereld.school
    # The in-app text names the class, never the students: the e-mail twin
    # must not carry care details and the title travels in it.
    assert "3A" in melding.tekst and "Lotte" not in melding.tekst + melding.titel
    assert audit("vlag").filter(omschrijving__contains="geëscaleerd").count() == 1


def test_the_schools_own_escalation_time_counts_and_names_the_title(wereld):
    wereld.school.escalatie_minuten = 30
    wereld.school.save()
    rood(wereld, geleden=datetime.timedelta(minutes=29))
    assert rode_vlaggen_escaleren() == 0
    rood(wereld, geleden=datetime.timedelta(minutes=31))
    assert rode_vlaggen_escaleren() == 1
    assert _escalatiemeldingen().get().titel == "Rode vlag niet erkend na 30 minuten"


def test_an_acknowledged_red_flag_never_escalates(wereld):
    v = rood(wereld, geleden=TERMIJN * 5)
    vlag_erkennen(vlag=v, door=wereld.zorgcoordinator)
    assert rode_vlaggen_escaleren() == 0
    assert vers(v).geescaleerd_op is None
    assert not _escalatiemeldingen().exists()


def test_closed_and_other_colour_flags_never_escalate(wereld):
    geel(wereld, geleden=TERMIJN * 2)
    rood(wereld, geleden=TERMIJN * 2, status=Vlag.Status.AFGESLOTEN)
    assert rode_vlaggen_escaleren() == 0


def test_a_second_run_escalates_nothing(wereld):
    v = rood(wereld, geleden=TERMIJN * 2)
    assert rode_vlaggen_escaleren() == 1
    eerste = vers(v).geescaleerd_op

    assert rode_vlaggen_escaleren(nu=timezone.now() + TERMIJN) == 0

    assert vers(v).geescaleerd_op == eerste
    assert _escalatiemeldingen().count() == 1


def test_only_the_directors_of_the_flags_school_are_called(wereld):
    f.LidmaatschapFactory(user=f.UserFactory(), school=wereld.school2, rol=Rol.DIRECTIE)
    oud = f.UserFactory()
    f.LidmaatschapFactory(user=oud, school=wereld.school, rol=Rol.DIRECTIE, actief=False)
    rood(wereld, geleden=TERMIJN * 2)
    rode_vlaggen_escaleren()
    assert list(_escalatiemeldingen().values_list("ontvanger", flat=True)) == [wereld.directie.pk]


def test_a_school_without_a_director_calls_its_care_coordinators_again(wereld):
    wereld.directie.lidmaatschappen.update(actief=False)
    rood(wereld, geleden=TERMIJN * 2)
    assert rode_vlaggen_escaleren() == 1
    assert list(_escalatiemeldingen().values_list("ontvanger", flat=True)) == [
        wereld.zorgcoordinator.pk
    ]


def test_the_beat_schedule_names_the_escalation_task():
    from leerlingen import tasks

    (regel,) = [
        r
        for r in settings.CELERY_BEAT_SCHEDULE.values()
        if r["task"].endswith("rode_vlaggen_escaleren")
    ]
    assert regel["task"] == tasks.rode_vlaggen_escaleren.name
    assert regel["schedule"] <= TERMIJN.total_seconds()


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_escalates_a_red_flag_to_the_director(wereld, echte_worker):
    from leerlingen.tasks import rode_vlaggen_escaleren as taak

    v = rood(wereld, geleden=TERMIJN * 2)

    taak.delay()

    assert wacht_tot(lambda: vers(v).geescaleerd_op is not None), "the worker did not escalate"
    assert wacht_tot(lambda: _escalatiemeldingen().filter(ontvanger=wereld.directie).exists()), (
        "the director got no notification"
    )


def test_the_task_escalates_through_the_service(wereld):
    from leerlingen.tasks import rode_vlaggen_escaleren as taak

    rood(wereld, geleden=TERMIJN * 2)
    assert taak.delay().get() == 1
    assert taak.delay().get() == 0


# --- pages: acknowledge ----------------------------------------------------------


def test_the_care_coordinator_acknowledges_and_returns_to_the_flag_page(wereld, client_voor):
    v = rood(wereld)
    response = client_voor(wereld.zorgcoordinator).post(url("vlag_erkennen", v))
    assert response.status_code == 302
    assert response["Location"] == url("vlag_detail", v)
    assert "Je erkende de rode vlag" in berichten(response)
    assert vers(v).erkend_door == wereld.zorgcoordinator


def test_with_htmx_acknowledging_returns_the_updated_alert_without_template_queries(
    wereld, client_voor, template_queries
):
    v = rood(wereld)
    response = client_voor(wereld.zorgcoordinator).post(url("vlag_erkennen", v), headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="vlag-alarm-{v.pk}"' in html
    assert f"Erkend door {wereld.zorgcoordinator}" in html
    assert "Nog niemand van het zorgteam nam deze vlag op." in html
    assert url("vlag_opnemen", v) in html
    assert 'data-testid="rode-vlag-onerkend"' not in html
    assert template_queries == []


def test_a_second_acknowledgement_through_the_page_names_who_was_first(wereld, client_voor):
    v = rood(wereld)
    vlag_erkennen(vlag=v, door=wereld.directie)
    response = client_voor(wereld.zorgcoordinator).post(url("vlag_erkennen", v), headers=HTMX)
    assert f"al erkend door {wereld.directie} op" in response.content.decode()
    assert vers(v).erkend_door == wereld.directie


@pytest.mark.parametrize(
    "rol", ["leerkracht", "titularis", "secretariaat", "beheerder", "clb", "buitenstaander"]
)
def test_outside_the_care_team_acknowledging_is_a_404_and_changes_nothing(wereld, client_voor, rol):
    if rol == "clb":
        # A CLB worker who reaches the student (a referral) sees the flag's
        # page, but the alert stays the school's care team's.
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    v = rood(wereld)
    client = client_voor(wereld.users[rol])
    if rol == "clb":
        pagina = client.get(url("vlag_detail", v))
        assert pagina.status_code == 200
        assert url("vlag_erkennen", v) not in pagina.content.decode()
    assert client.post(url("vlag_erkennen", v)).status_code == 404
    assert vers(v).erkend_op is None


def test_acknowledging_a_yellow_flag_is_a_404(wereld, client_voor):
    v = geel(wereld)
    assert client_voor(wereld.zorgcoordinator).post(url("vlag_erkennen", v)).status_code == 404


# --- pages: take up --------------------------------------------------------------


def test_the_take_up_page_offers_the_schools_care_team_only(wereld, client_voor):
    v = rood(wereld)
    response = client_voor(wereld.directie).get(url("vlag_opnemen", v))
    keuzes = {u.pk for u in response.context["form"].fields["opnemer"].queryset}
    assert keuzes == {wereld.zorgcoordinator.pk, wereld.directie.pk}
    assert response.context["form"].initial["opnemer"] == wereld.directie.pk


def test_picking_who_takes_a_red_flag_up(wereld, client_voor):
    v = rood(wereld)
    response = client_voor(wereld.directie).post(
        url("vlag_opnemen", v), {"opnemer": wereld.zorgcoordinator.pk, "versie": v.versie}
    )
    assert response.status_code == 302
    assert vers(v).opgenomen_door == wereld.zorgcoordinator


def test_picking_a_teacher_to_take_it_up_shows_a_message_and_saves_nothing(wereld, client_voor):
    v = rood(wereld)
    response = client_voor(wereld.directie).post(
        url("vlag_opnemen", v), {"opnemer": wereld.leerkracht.pk}
    )
    assert response.status_code == 200
    assert "Kies iemand van het zorgteam van deze school." in response.content.decode()
    assert vers(v).opgenomen_door_id is None


@pytest.mark.parametrize("rol", ["leerkracht", "titularis", "secretariaat", "buitenstaander"])
def test_outside_the_care_team_the_take_up_page_is_a_404(wereld, client_voor, rol):
    v = rood(wereld)
    client = client_voor(wereld.users[rol])
    assert client.get(url("vlag_opnemen", v)).status_code == 404
    assert client.post(url("vlag_opnemen", v), {"opnemer": wereld.users[rol].pk}).status_code == 404
    assert vers(v).opgenomen_door_id is None


# --- pages: follow-up ------------------------------------------------------------


def test_the_teacher_who_logged_a_yellow_flag_records_its_follow_up(wereld, client_voor):
    v = geel(wereld)
    client = client_voor(wereld.leerkracht)
    form = client.get(url("vlag_opvolging", v)).context["form"]
    assert "tucht" not in dict(form.fields["soort"].choices)
    assert "zeldzamer spoor" in str(form.fields["soort"].help_text)

    response = client.post(
        url("vlag_opvolging", v),
        {
            "soort": "herstelgesprek",
            "datum": GISTEREN.isoformat(),
            "notities": "Goed gesprek.",
            "sleutel": form["sleutel"].value(),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url("vlag_detail", v)
    assert VlagOpvolging.objects.get().door == wereld.leerkracht


def test_the_care_team_is_offered_the_disciplinary_track_with_a_warning(wereld, client_voor):
    form = client_voor(wereld.zorgcoordinator).get(url("vlag_opvolging", rood(wereld)))
    velden = form.context["form"].fields
    assert "tucht" in dict(velden["soort"].choices)
    assert "Herstel gaat voor" in str(velden["soort"].help_text)


@pytest.mark.parametrize(
    ("data", "bericht"),
    [
        (
            {"soort": "herstelgesprek", "datum": "2999-01-01"},
            "De datum ligt in de toekomst",
        ),
        ({"soort": "schorsing", "datum": GISTEREN.isoformat()}, "Kies wat er als opvolging"),
        ({"soort": "tucht", "datum": GISTEREN.isoformat()}, "Een tuchtprocedure is een apart"),
        ({"soort": "herstelgesprek", "datum": "gisteren"}, "Vul een geldige datum in."),
    ],
)
def test_bad_follow_up_input_on_the_page_shows_a_message_and_saves_nothing(
    wereld, client_voor, data, bericht
):
    v = geel(wereld)
    response = client_voor(wereld.leerkracht).post(url("vlag_opvolging", v), data)
    assert response.status_code == 200
    assert bericht in response.content.decode()
    assert not VlagOpvolging.objects.exists()
    assert vers(v).status == Vlag.Status.OPEN


@pytest.mark.parametrize("rol", ["leerkracht", "titularis", "secretariaat", "clb"])
def test_only_the_care_team_follows_up_a_red_flag(wereld, client_voor, rol):
    if rol == "clb":
        # A CLB worker who reaches the student (a referral) sees the flag's
        # page, but the alert stays the school's care team's.
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    v = rood(wereld)
    client = client_voor(wereld.users[rol])
    assert client.get(url("vlag_opvolging", v)).status_code == 404
    data = {"soort": "herstelgesprek", "datum": GISTEREN.isoformat()}
    assert client.post(url("vlag_opvolging", v), data).status_code == 404
    assert not VlagOpvolging.objects.exists()


# --- pages: close ----------------------------------------------------------------


def test_closing_a_red_flag_without_follow_up_on_the_page_says_why(wereld, client_voor):
    v = rood(wereld)
    response = client_voor(wereld.zorgcoordinator).post(url("vlag_afsluiten", v))
    assert response.status_code == 302
    assert "Een rode vlag sluit je pas af" in berichten(response)
    assert vers(v).status == Vlag.Status.OPEN


def test_with_htmx_closing_returns_the_alert_with_the_outcome(
    wereld, client_voor, template_queries
):
    v = rood(wereld)
    client = client_voor(wereld.zorgcoordinator)
    geweigerd = client.post(url("vlag_afsluiten", v), headers=HTMX).content.decode()
    assert "Een rode vlag sluit je pas af" in geweigerd
    assert 'data-testid="afsluiten-na-opvolging"' in geweigerd

    opvolging(v, wereld.zorgcoordinator)
    gesloten = client.post(
        url("vlag_afsluiten", v), {"versie": vers(v).versie}, headers=HTMX
    ).content.decode()
    assert "De vlag is afgesloten." in gesloten
    assert url("vlag_afsluiten", v) not in gesloten
    assert url("vlag_opvolging", v) not in gesloten
    assert vers(v).status == Vlag.Status.AFGESLOTEN
    assert template_queries == []


def test_the_teacher_who_logged_it_closes_a_yellow_flag_the_class_teacher_does_not(
    wereld, client_voor
):
    v = geel(wereld)
    assert client_voor(wereld.titularis).post(url("vlag_afsluiten", v)).status_code == 404
    assert vers(v).status == Vlag.Status.OPEN
    assert client_voor(wereld.leerkracht).post(url("vlag_afsluiten", v)).status_code == 302
    assert vers(v).status == Vlag.Status.AFGESLOTEN


# --- the alert partial -----------------------------------------------------------


def _partial(rf, user, v, opvolgingen=()):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = user
    # As on the flag page: the policy loads the user's scope before rendering.
    policies.get_vlag_for_user(user, v.pk)
    v = Vlag.objects.select_related("klas", "erkend_door", "opgenomen_door").filter(pk=v.pk).get()
    return render_to_string(
        "leerlingen/vlaggen/_alarm_plek.html",
        {"vlag": v, "opvolgingen": list(opvolgingen), "user": user},
        request=request,
    )


def test_the_alert_of_an_unacknowledged_red_flag_shows_its_age_and_the_button_to_the_care_team(
    wereld, rf, template_queries
):
    v = rood(wereld, geleden=datetime.timedelta(minutes=40))
    html = _partial(rf, wereld.zorgcoordinator, v)
    assert 'data-testid="rode-vlag-onerkend"' in html
    assert "Gemeld 40\xa0minuten geleden." in html
    assert url("vlag_erkennen", v) in html
    assert template_queries == []


def test_a_teacher_sees_the_alert_but_no_acknowledge_or_close_button(wereld, rf):
    v = rood(wereld)
    html = _partial(rf, wereld.leerkracht, v)
    assert 'data-testid="rode-vlag-onerkend"' in html
    assert url("vlag_erkennen", v) not in html
    assert url("vlag_afsluiten", v) not in html
    assert url("vlag_opvolging", v) not in html


def test_the_alert_of_an_escalated_then_acknowledged_flag_says_both(wereld, rf):
    v = rood(wereld, geleden=TERMIJN * 2)
    rode_vlaggen_escaleren()
    vlag_opnemen(vlag=v, door=wereld.directie, opnemer=wereld.zorgcoordinator)
    html = _partial(rf, wereld.directie, v)
    assert f"Erkend door {wereld.directie} op" in html
    assert f"Opgenomen door {wereld.zorgcoordinator}." in html
    assert "doorgestuurd naar de directie" in html


def test_a_red_flag_with_a_follow_up_shows_the_close_button(wereld, rf):
    v = rood(wereld)
    o = opvolging(v, wereld.zorgcoordinator)
    html = _partial(rf, wereld.zorgcoordinator, v, [o])
    assert url("vlag_afsluiten", v) in html
    assert 'data-testid="afsluiten-na-opvolging"' not in html


def test_the_flag_page_shows_the_alert_loop_without_template_queries(
    wereld, client_voor, template_queries
):
    v = rood(wereld)
    vlag_opnemen(vlag=v, door=wereld.directie, opnemer=wereld.zorgcoordinator)
    opvolging(v, wereld.zorgcoordinator)
    html = client_voor(wereld.zorgcoordinator).get(url("vlag_detail", v)).content.decode()
    assert f'id="vlag-alarm-{v.pk}"' in html
    assert f"Opgenomen door {wereld.zorgcoordinator}." in html
    assert url("vlag_afsluiten", v) in html
    assert template_queries == []


# --- signals ---------------------------------------------------------------------


def test_handling_a_signal_records_who_and_when_once(wereld):
    s = signaal(wereld.leerling_a)
    assert signaal_afhandelen(signaal=s, door=wereld.titularis) is True
    assert signaal_afhandelen(signaal=Signaal.objects.get(pk=s.pk), door=wereld.directie) is False
    s.refresh_from_db()
    assert s.afgehandeld_door == wereld.titularis and s.afgehandeld_op is not None
    assert audit("signaal").count() == 1


@pytest.mark.parametrize("rol", ["zorgcoordinator", "directie", "titularis"])
def test_the_care_team_and_the_class_teacher_handle_a_signal(wereld, client_voor, rol):
    s = signaal(wereld.leerling_a)
    response = client_voor(wereld.users[rol]).post(
        reverse("leerlingen:signaal_afhandelen", args=[s.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("start")
    s.refresh_from_db()
    assert s.afgehandeld_door == wereld.users[rol]


@pytest.mark.parametrize(
    "rol", ["leerkracht", "leerkracht_b", "secretariaat", "clb", "buitenstaander"]
)
def test_others_cannot_handle_a_signal(wereld, client_voor, rol):
    if rol == "clb":
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)  # reaches her, still no
    s = signaal(wereld.leerling_a)
    response = client_voor(wereld.users[rol]).post(
        reverse("leerlingen:signaal_afhandelen", args=[s.pk])
    )
    assert response.status_code == 404
    s.refresh_from_db()
    assert s.afgehandeld_op is None


def test_with_htmx_handling_a_signal_replaces_its_line(wereld, client_voor):
    s = signaal(wereld.leerling_a)
    response = client_voor(wereld.zorgcoordinator).post(
        reverse("leerlingen:signaal_afhandelen", args=[s.pk]), headers=HTMX
    )
    assert response.content.decode().strip().startswith("<li")
    assert "Het signaal over Lotte Peeters is afgehandeld." in response.content.decode()


# --- the start page --------------------------------------------------------------


def _start(client_voor, user):
    return client_voor(user).get(reverse("start"))


def test_the_care_coordinator_sees_unacknowledged_red_flags_first_oldest_on_top(
    wereld, client_voor
):
    jong = rood(wereld, geleden=datetime.timedelta(minutes=5))
    oud = rood(wereld, wereld.leerling_b, geleden=datetime.timedelta(hours=1))
    erkend = rood(wereld, geleden=datetime.timedelta(hours=3))
    vlag_erkennen(vlag=erkend, door=wereld.directie)
    rood(wereld, status=Vlag.Status.AFGESLOTEN)
    vlag(wereld.leerling_x, klas=wereld.klas_x, gemeld_door=wereld.buitenstaander)

    response = _start(client_voor, wereld.zorgcoordinator)

    assert [v.pk for v in response.context["rode_onerkend"]] == [oud.pk, jong.pk]
    assert [v.pk for v in response.context["rode_erkend"]] == [erkend.pk]
    html = response.content.decode()
    onerkend = html[html.index('data-testid="rode-vlaggen-onerkend"') :]
    assert onerkend.index("Noah Janssens") < onerkend.index("Lotte Peeters")
    assert "3A · 1\xa0uur geleden" in onerkend
    assert "nog door niemand opgenomen" in html
    assert "Mila Peeters" not in html
    assert 'data-testid="rode-vlaggen-geescaleerd"' not in html


def test_the_director_also_sees_the_escalated_red_flags(wereld, client_voor):
    v = rood(wereld, geleden=TERMIJN * 2)
    rode_vlaggen_escaleren()
    html = _start(client_voor, wereld.directie).content.decode()
    assert 'data-testid="rode-vlaggen-geescaleerd"' in html
    assert url("vlag_detail", v) in html
    assert "nog niet erkend" in html


@pytest.mark.parametrize(
    "rol", ["leerkracht", "titularis", "secretariaat", "clb", "buitenstaander"]
)
def test_outside_the_schools_care_team_the_start_page_shows_no_red_flags(wereld, client_voor, rol):
    if rol == "clb":
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)  # reaches her, still no
    v = rood(wereld)
    response = _start(client_voor, wereld.users[rol])
    assert not response.context.get("rode_onerkend")
    assert url("vlag_detail", v) not in response.content.decode()


def test_the_start_page_shows_open_signals_to_the_care_team_and_the_class_teacher(
    wereld, client_voor
):
    signaal(wereld.leerling_a, afgehandeld_op=timezone.now(), afgehandeld_door=wereld.directie)
    van_a = signaal(wereld.leerling_a)
    van_b = signaal(wereld.leerling_b)
    signaal(wereld.leerling_x)

    zorg = _start(client_voor, wereld.zorgcoordinator).context["signalen"]
    titularis = _start(client_voor, wereld.titularis).context["signalen"]
    leerkracht = _start(client_voor, wereld.leerkracht).context.get("signalen")

    assert {s.pk for s in zorg} == {van_a.pk, van_b.pk}
    assert [s.pk for s in titularis] == [van_a.pk]
    assert titularis[0].klas_naam == "3A"
    assert not leerkracht


def test_each_start_page_list_is_bounded_and_counts_the_rest(wereld, client_voor):
    for _ in range(12):
        rood(wereld)
    response = _start(client_voor, wereld.zorgcoordinator)
    assert len(response.context["rode_onerkend"]) == 10
    assert response.context["rode_onerkend_aantal"] == 12
    assert "De oudste 10 van 12: alle rode vlaggen die nog niet erkend zijn" in (
        response.content.decode()
    )


def _vul(wereld, aantal):
    for i in range(aantal):
        leerling = f.leerling_in(wereld.klas_a)
        v = rood(wereld, leerling, geleden=datetime.timedelta(minutes=i))
        if i % 2:
            vlag_erkennen(vlag=v, door=wereld.zorgcoordinator)
        if i % 3 == 0:
            Vlag.objects.filter(pk=v.pk).update(geescaleerd_op=timezone.now())
        signaal(leerling)


def _tel(client):
    client.get(reverse("start"))  # session, scope and caches warm
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("start")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("rol", ["zorgcoordinator", "directie", "titularis"])
def test_the_start_page_costs_the_same_queries_for_5_or_100_flags_and_signals(
    wereld, client_voor, template_queries, rol
):
    # Guards against a query per flag (its class, its students, who
    # acknowledged it) and per signal (the student, the class).
    client = client_voor(wereld.users[rol])
    _vul(wereld, 5)
    weinig = _tel(client)
    _vul(wereld, 95)
    veel = _tel(client)
    assert weinig == veel <= 25
    assert template_queries == []
