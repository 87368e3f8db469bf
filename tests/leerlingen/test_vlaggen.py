"""Behaviour flags: the logging service and its rules, the double tap, the
red-flag alert, pattern signals, the class page's form, the flag's page, a
student's flags and their section, access per role and query counts."""

import datetime
import re
import threading
import uuid

import pytest
from django.core import mail
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerlingen.models import (
    Signaal,
    TijdlijnItem,
    Vlag,
    VlagBetrokkene,
    VlagKleur,
    Zichtbaarheid,
)
from leerlingen.services import vlaggen as vlagdiensten
from leerlingen.services.vlaggen import vlag_registreren, vlag_url
from leerlingen.vlagtellingen import vlaggen_bulk_aanmaken
from tests import factories as f
from tests.clb.factories import aanmelding
from tests.dossier import dossier_vullen
from tests.leerlingen.factories_vlaggen import VlagOpvolgingFactory, vlag_met
from zorg.audit.models import Actie, AuditEvent
from zorg.meldingen.models import Melding

OMSCHRIJVING = "Gooide een boek naar een medeleerling tijdens de uitleg."


def _registreer(w, **kwargs):
    waarden = {
        "klas": w.klas_a,
        "door": w.leerkracht,
        "kleur": VlagKleur.GEEL,
        "moment": timezone.now() - datetime.timedelta(minutes=10),
        "leerlingen_met_rol": [(w.leerling_a, VlagBetrokkene.Rol.BETROKKEN)],
        "omschrijving": OMSCHRIJVING,
        "sleutel": uuid.uuid4(),
    }
    waarden.update(kwargs)
    return vlag_registreren(**waarden)


def _fouten(exc: pytest.ExceptionInfo) -> dict[str, str]:
    return {veld: " ".join(berichten) for veld, berichten in exc.value.message_dict.items()}


def _niets_bewaard():
    return (
        Vlag.objects.count() == 0
        and VlagBetrokkene.objects.count() == 0
        and not TijdlijnItem.objects.filter(soort=TijdlijnItem.Soort.VLAG).exists()
        and not AuditEvent.objects.filter(onderwerp="vlag").exists()
    )


@pytest.fixture
def klasgenoot(wereld):
    """A second student of 3A."""
    return f.leerling_in(wereld.klas_a, voornaam="Yasmine", achternaam="Claes")


# --- the service: what logging writes -----------------------------------------------


def test_logging_writes_one_incident_with_each_student_and_their_role(wereld, klasgenoot):
    vlag, nieuw = _registreer(
        wereld,
        kleur=VlagKleur.ORANJE,
        leerlingen_met_rol=[
            (wereld.leerling_a, VlagBetrokkene.Rol.BETROKKEN),
            (klasgenoot, VlagBetrokkene.Rol.GETROFFEN),
        ],
        reeds_gedaan="Apart gezet en kort gesproken.",
    )

    assert nieuw is True
    assert Vlag.objects.get() == vlag
    assert vlag.school == wereld.school and vlag.klas == wereld.klas_a
    assert vlag.gemeld_door == wereld.leerkracht and vlag.status == Vlag.Status.OPEN
    assert dict(VlagBetrokkene.objects.values_list("leerling_id", "rol")) == {
        wereld.leerling_a.pk: "betrokken",
        klasgenoot.pk: "getroffen",
    }


def test_each_student_s_timeline_shows_the_incident_from_their_side(wereld, klasgenoot):
    vlag, _ = _registreer(
        wereld,
        kleur=VlagKleur.ORANJE,
        leerlingen_met_rol=[
            (wereld.leerling_a, VlagBetrokkene.Rol.BETROKKEN),
            (klasgenoot, VlagBetrokkene.Rol.GETROFFEN),
        ],
        reeds_gedaan="Apart gezet.",
    )

    items = {i.leerling_id: i for i in TijdlijnItem.objects.filter(soort="vlag")}
    assert items[wereld.leerling_a.pk].titel == "Oranje vlag (betrokken)"
    assert items[klasgenoot.pk].titel == "Oranje vlag (getroffen)"
    for item in items.values():
        assert item.zichtbaarheid == Zichtbaarheid.KLASTEAM
        assert item.url == vlag_url(vlag)
        assert OMSCHRIJVING in item.tekst and "Apart gezet." in item.tekst
        assert "Samen met 1 andere leerling." in item.tekst
        assert not item.is_sterkte
    # Never the other student's name.
    assert "Yasmine" not in items[wereld.leerling_a.pk].tekst
    assert "Claes" not in items[wereld.leerling_a.pk].titel
    assert "Lotte" not in items[klasgenoot.pk].tekst
    assert "Peeters" not in items[klasgenoot.pk].titel


def test_a_flag_for_one_student_mentions_no_others(wereld):
    _registreer(wereld)
    assert "andere leerling" not in TijdlijnItem.objects.get(soort="vlag").tekst


def test_a_green_flag_is_a_strength_on_the_timeline(wereld):
    _registreer(wereld, kleur=VlagKleur.GROEN, omschrijving="")
    item = TijdlijnItem.objects.get(soort="vlag")
    assert item.is_sterkte and item.titel == "Groene vlag (betrokken)"


def test_logging_records_one_audit_call_naming_every_student(wereld, klasgenoot):
    with CaptureQueriesContext(connection) as ctx:
        vlag, _ = _registreer(
            wereld,
            leerlingen_met_rol=[(wereld.leerling_a, "betrokken"), (klasgenoot, "getuige")],
        )
    events = AuditEvent.objects.filter(onderwerp="vlag", actie=Actie.AANMAKEN)
    assert {e.leerling_id for e in events} == {wereld.leerling_a.pk, klasgenoot.pk}
    assert {e.object_id for e in events} == {str(vlag.pk)}
    tabel = f'INSERT INTO "{AuditEvent._meta.db_table}"'
    inserts = [q for q in ctx.captured_queries if q["sql"].startswith(tabel)]
    assert len(inserts) == 1


# --- the service: bad input ----------------------------------------------------


def test_no_student_is_refused(wereld):
    with pytest.raises(ValidationError) as exc:
        _registreer(wereld, leerlingen_met_rol=[])
    assert "Kies minstens één leerling." in _fouten(exc)["leerlingen"]
    assert _niets_bewaard()


@pytest.mark.parametrize("wie", ["leerling_b", "leerling_x"])
def test_a_student_of_another_class_or_school_is_refused_and_nothing_saved(wereld, wie):
    with pytest.raises(ValidationError) as exc:
        _registreer(
            wereld,
            leerlingen_met_rol=[
                (wereld.leerling_a, "betrokken"),
                (getattr(wereld, wie), "getuige"),
            ],
        )
    assert "Kies enkel leerlingen uit klas 3A." in _fouten(exc)["leerlingen"]
    assert _niets_bewaard()


@pytest.mark.usefixtures("schooljaar_onderweg")
def test_a_student_who_left_the_class_is_refused(wereld):
    inschrijving = wereld.leerling_a.inschrijvingen.get()
    inschrijving.einde = timezone.localdate() - datetime.timedelta(days=1)
    inschrijving.save()
    with pytest.raises(ValidationError) as exc:
        _registreer(wereld)
    assert "leerlingen" in _fouten(exc)
    assert _niets_bewaard()


def test_an_unknown_role_is_refused(wereld):
    with pytest.raises(ValidationError) as exc:
        _registreer(wereld, leerlingen_met_rol=[(wereld.leerling_a, "dader")])
    assert "geldige rol" in _fouten(exc)["leerlingen"]
    assert _niets_bewaard()


def test_a_moment_in_the_future_is_refused(wereld):
    with pytest.raises(ValidationError) as exc:
        _registreer(wereld, moment=timezone.now() + datetime.timedelta(hours=1))
    assert "in de toekomst" in _fouten(exc)["moment"]
    assert _niets_bewaard()


def test_a_tablet_clock_a_few_minutes_ahead_is_allowed(wereld):
    _vlag, nieuw = _registreer(wereld, moment=timezone.now() + datetime.timedelta(minutes=3))
    assert nieuw


@pytest.mark.parametrize("kleur", [VlagKleur.ORANJE, VlagKleur.ROOD])
def test_orange_and_red_need_a_description(wereld, kleur):
    with pytest.raises(ValidationError) as exc:
        _registreer(wereld, kleur=kleur, omschrijving="   ")
    assert "verplicht bij een oranje of rode vlag" in _fouten(exc)["omschrijving"]
    assert _niets_bewaard()


@pytest.mark.parametrize("kleur", [VlagKleur.GROEN, VlagKleur.GEEL])
def test_green_and_yellow_may_go_without_description(wereld, kleur):
    vlag, nieuw = _registreer(wereld, kleur=kleur, omschrijving="")
    assert nieuw and vlag.omschrijving == ""


def test_a_subject_of_another_school_is_refused(wereld):
    vak_elders = f.VakFactory(school=wereld.school2, naam="Frans")
    with pytest.raises(ValidationError) as exc:
        _registreer(wereld, vak=vak_elders)
    assert "Kies een vak van deze school." in _fouten(exc)["vak"]
    assert _niets_bewaard()


def test_an_unknown_colour_is_refused(wereld):
    with pytest.raises(ValidationError) as exc:
        _registreer(wereld, kleur="paars")
    assert "kleur" in _fouten(exc)
    assert _niets_bewaard()


# --- the double tap -----------------------------------------------------------------


def test_the_same_key_twice_returns_the_first_incident_and_writes_nothing(wereld):
    sleutel = uuid.uuid4()
    eerste, nieuw = _registreer(wereld, sleutel=sleutel)
    tellingen = (TijdlijnItem.objects.count(), AuditEvent.objects.count())

    tweede, opnieuw = _registreer(wereld, sleutel=sleutel)

    assert nieuw and not opnieuw
    assert tweede.pk == eerste.pk
    assert Vlag.objects.count() == 1
    assert (TijdlijnItem.objects.count(), AuditEvent.objects.count()) == tellingen


def test_someone_else_s_key_is_refused(wereld):
    sleutel = uuid.uuid4()
    _registreer(wereld, sleutel=sleutel)
    with pytest.raises(ValidationError) as exc:
        _registreer(wereld, sleutel=sleutel, door=wereld.titularis)
    assert "al gebruikt" in _fouten(exc)[NON_FIELD_ERRORS]
    assert Vlag.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_of_one_form_create_one_incident(wereld, monkeypatch):
    # A real race: both requests pass the "already saved?" check before
    # either inserts; the unique key lets one through and the other returns
    # that one's incident.
    samen = threading.Barrier(2, timeout=10)
    controleren = vlagdiensten._controleren

    def na_de_check(**kwargs):
        samen.wait()
        return controleren(**kwargs)

    monkeypatch.setattr(vlagdiensten, "_controleren", na_de_check)
    sleutel = uuid.uuid4()
    uitkomsten, fouten = [], []

    def tik():
        try:
            uitkomsten.append(_registreer(wereld, sleutel=sleutel))
        except Exception as exc:  # pragma: no cover - surfaced below
            fouten.append(exc)
        finally:
            connection.close()

    draden = [threading.Thread(target=tik) for _ in range(2)]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join(20)

    assert not fouten
    assert sorted(nieuw for _vlag, nieuw in uitkomsten) == [False, True]
    assert len({vlag.pk for vlag, _nieuw in uitkomsten}) == 1
    assert Vlag.objects.count() == 1
    assert VlagBetrokkene.objects.count() == 1
    assert TijdlijnItem.objects.filter(soort="vlag").count() == 1


# --- red flags ------------------------------------------------------------------------


def test_a_red_flag_notifies_the_care_coordinators_in_the_app_at_once(wereld):
    vlag, _ = _registreer(wereld, kleur=VlagKleur.ROOD)

    melding = Melding.objects.get()
    assert melding.ontvanger == wereld.zorgcoordinator
    assert melding.titel == "Rode vlag in 3A"
    assert melding.link == vlag_url(vlag)
    assert melding.school == wereld.school and melding.email_gevraagd
    assert "Lotte" not in melding.titel + melding.tekst


def test_the_red_flag_e_mail_leaves_only_after_commit_and_names_no_student(
    wereld, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _registreer(wereld, kleur=VlagKleur.ROOD)
    assert mail.outbox == []
    assert callbacks

    for callback in callbacks:
        callback()

    assert [bericht.to for bericht in mail.outbox] == [["zorg@test.example"]]
    bericht = mail.outbox[0]
    assert "Lotte" not in bericht.subject + bericht.body
    assert OMSCHRIJVING not in bericht.body


def test_a_refused_red_flag_notifies_nobody(wereld, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        _registreer(wereld, kleur=VlagKleur.ROOD, omschrijving="")
    assert not Melding.objects.exists() and mail.outbox == []


@pytest.mark.parametrize("kleur", [VlagKleur.GROEN, VlagKleur.GEEL, VlagKleur.ORANJE])
def test_other_colours_notify_nobody(wereld, kleur):
    _registreer(wereld, kleur=kleur)
    assert not Melding.objects.exists()


# --- patterns --------------------------------------------------------------------------


def _eerdere(wereld, *, aantal=2, kleur=VlagKleur.GEEL, dagen_geleden=3, leerling=None):
    for i in range(aantal):
        vlag_met(
            leerling or wereld.leerling_a,
            klas=wereld.klas_a,
            kleur=kleur,
            gemeld_door=wereld.leerkracht,
            moment=timezone.now() - datetime.timedelta(days=dagen_geleden, hours=i),
        )


@pytest.mark.parametrize("kleur", [VlagKleur.GEEL, VlagKleur.ORANJE])
def test_the_third_yellow_or_orange_flag_in_two_weeks_raises_a_signal(wereld, kleur):
    _eerdere(wereld, aantal=1, kleur=VlagKleur.GEEL)
    _eerdere(wereld, aantal=1, kleur=VlagKleur.ORANJE)

    _registreer(wereld, kleur=kleur)

    signaal = Signaal.objects.get()
    assert signaal.leerling == wereld.leerling_a
    assert signaal.soort == Signaal.Soort.PATROON and signaal.afgehandeld_op is None
    assert signaal.aantal == 3
    assert signaal.van == timezone.localdate() - datetime.timedelta(days=3)
    assert signaal.tot == timezone.localdate()


def test_the_signal_notifies_the_class_teacher_and_care_coordinators_in_the_app(wereld):
    _eerdere(wereld)
    _registreer(wereld)

    meldingen = Melding.objects.all()
    assert {m.ontvanger for m in meldingen} == {wereld.titularis, wereld.zorgcoordinator}
    for melding in meldingen:
        assert not melding.email_gevraagd
        assert "Lotte Peeters" in melding.titel
        assert melding.link == reverse("leerlingen:leerling_vlaggen", args=[wereld.leerling_a.pk])


def test_two_flags_are_not_yet_a_pattern(wereld):
    _eerdere(wereld, aantal=1)
    _registreer(wereld)
    assert not Signaal.objects.exists()


@pytest.mark.parametrize("kleur", [VlagKleur.GROEN, VlagKleur.ROOD])
def test_green_and_red_flags_raise_no_pattern_signal(wereld, kleur):
    _eerdere(wereld)
    _registreer(wereld, kleur=kleur)
    assert not Signaal.objects.exists()


def test_green_and_red_flags_do_not_count_towards_a_pattern(wereld):
    _eerdere(wereld, aantal=1, kleur=VlagKleur.GROEN)
    _eerdere(wereld, aantal=1, kleur=VlagKleur.ROOD)
    _eerdere(wereld, aantal=1, kleur=VlagKleur.GEEL)
    _registreer(wereld)
    assert not Signaal.objects.exists()


def test_flags_older_than_the_window_do_not_count(wereld):
    _eerdere(wereld, dagen_geleden=15)
    _registreer(wereld)
    assert not Signaal.objects.exists()


def test_a_student_gets_one_open_pattern_signal_not_a_second(wereld):
    _eerdere(wereld)
    _registreer(wereld)
    _registreer(wereld)
    assert Signaal.objects.count() == 1
    # The fourth flag notified nobody anew.
    assert Melding.objects.count() == 2


def test_after_a_signal_is_handled_a_new_pattern_raises_a_new_one(wereld):
    _eerdere(wereld)
    _registreer(wereld)
    Signaal.objects.update(afgehandeld_op=timezone.now(), afgehandeld_door=wereld.zorgcoordinator)
    _registreer(wereld)
    assert Signaal.objects.filter(afgehandeld_op__isnull=True).count() == 1


def test_the_pattern_counts_only_this_student_s_flags(wereld, klasgenoot):
    _eerdere(wereld, leerling=klasgenoot)
    _registreer(wereld)
    assert not Signaal.objects.exists()


def test_the_threshold_and_window_come_from_the_schools_settings(wereld):
    wereld.school.patroon_aantal = 2
    wereld.school.patroon_dagen = 30
    wereld.school.save()
    _eerdere(wereld, aantal=1, dagen_geleden=20)
    _registreer(wereld)
    assert Signaal.objects.get().aantal == 2


def test_the_school_chooses_which_colours_make_a_pattern(wereld):
    wereld.school.patroon_kleuren = ["oranje"]
    wereld.school.save()
    _eerdere(wereld, aantal=3)
    _registreer(wereld)
    assert not Signaal.objects.exists()


# --- query count of logging -------------------------------------------------------------


def _vul_vlaggen(wereld, klasgenoot, aantal):
    """`aantal` flags: half of leerling_a long ago, half of a classmate now."""
    nu = timezone.now()
    vlaggen = vlaggen_bulk_aanmaken(
        Vlag(
            school=wereld.school,
            klas=wereld.klas_a,
            kleur=[VlagKleur.GEEL, VlagKleur.ORANJE, VlagKleur.GROEN][i % 3],
            moment=nu - datetime.timedelta(days=60 if i % 2 else 1, minutes=i),
            omschrijving="x",
            gemeld_door=wereld.leerkracht,
            sleutel=uuid.uuid4(),
        )
        for i in range(aantal)
    )
    VlagBetrokkene.objects.bulk_create(
        VlagBetrokkene(vlag=vlag, leerling=wereld.leerling_a if i % 2 else klasgenoot)
        for i, vlag in enumerate(vlaggen)
    )


@pytest.mark.parametrize("kleur", [VlagKleur.GEEL, VlagKleur.ROOD])
def test_logging_costs_the_same_queries_with_5_or_500_flags(wereld, klasgenoot, kleur):
    # Guards against reading existing flags (for the pattern) row by row.
    def meet():
        with CaptureQueriesContext(connection) as ctx:
            _registreer(wereld, kleur=kleur)
        return len(ctx.captured_queries)

    _vul_vlaggen(wereld, klasgenoot, 5)
    weinig = meet()
    _vul_vlaggen(wereld, klasgenoot, 495)
    veel = meet()
    assert weinig == veel, f"{weinig} queries with 5 flags, {veel} with 500"


# --- the class page's form --------------------------------------------------------------


def _url(klas):
    return reverse("leerlingen:vlag_nieuw", args=[klas.pk])


def _sleutel(response) -> str:
    return re.search(r'name="sleutel" value="([0-9a-f-]{36})"', response.content.decode())[1]


def _gegevens(wereld, **kwargs):
    gegevens = {
        "leerlingen": [wereld.leerling_a.pk],
        f"rol_{wereld.leerling_a.pk}": "betrokken",
        "kleur": "geel",
        "moment": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "omschrijving": OMSCHRIJVING,
        "reeds_gedaan": "",
        "vak": "",
        "sleutel": str(uuid.uuid4()),
    }
    gegevens.update(kwargs)
    return gegevens


def test_the_form_lists_the_class_s_students_and_four_colours_with_words(wereld, client_voor):
    response = client_voor(wereld.leerkracht).get(_url(wereld.klas_a))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Peeters, Lotte" in html and "Janssens" not in html
    for woord in ("Groen", "Geel", "Oranje", "Rood"):
        assert f">{woord}</span>" in html
    assert f'name="rol_{wereld.leerling_a.pk}"' in html
    assert 'type="datetime-local"' in html


def test_each_rendered_form_has_a_fresh_key(wereld, client_voor):
    client = client_voor(wereld.leerkracht)
    assert _sleutel(client.get(_url(wereld.klas_a))) != _sleutel(client.get(_url(wereld.klas_a)))


def test_the_subject_defaults_to_the_teacher_s_own_in_that_class(wereld, client_voor):
    vak = wereld.leerkracht.lesopdrachten.get().vak
    html = client_voor(wereld.leerkracht).get(_url(wereld.klas_a)).content.decode()
    assert f'<option value="{vak.pk}" selected>' in html


def test_a_care_coordinator_gets_no_default_subject(wereld, client_voor):
    vak = wereld.leerkracht.lesopdrachten.get().vak
    html = client_voor(wereld.zorgcoordinator).get(_url(wereld.klas_a)).content.decode()
    assert f'<option value="{vak.pk}">' in html
    assert f'<option value="{vak.pk}" selected>' not in html


def test_a_teacher_logs_a_flag_without_javascript_and_lands_on_it(wereld, client_voor):
    client = client_voor(wereld.leerkracht)
    vak = wereld.leerkracht.lesopdrachten.get().vak
    response = client.post(_url(wereld.klas_a), _gegevens(wereld, vak=vak.pk, kleur="oranje"))

    vlag = Vlag.objects.get()
    assert response.status_code == 302 and response["Location"] == vlag_url(vlag)
    assert vlag.kleur == "oranje" and vlag.vak == vak and vlag.gemeld_door == wereld.leerkracht
    pagina = client.get(response["Location"]).content.decode()
    assert "Vlag geregistreerd voor Lotte Peeters." in pagina


def test_with_htmx_a_success_panel_links_to_the_flag_and_offers_another(wereld, client_voor):
    response = client_voor(wereld.leerkracht).post(
        _url(wereld.klas_a), _gegevens(wereld), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    vlag = Vlag.objects.get()
    assert response.status_code == 200
    assert "Vlag geregistreerd" in html and f'href="{vlag_url(vlag)}"' in html
    assert "Nog een vlag registreren" in html
    assert "<html" not in html


def _bericht_na_bewaren(client, klas, gegevens, htmx: bool) -> str:
    """What the teacher reads after saving: the htmx panel's status line, or
    without JavaScript the message on the page the redirect leads to."""
    if htmx:
        response = client.post(_url(klas), gegevens, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        return re.search(r'<p role="status">(.*?)</p>', response.content.decode(), re.S)[1]
    response = client.post(_url(klas), gegevens, follow=True)
    assert response.redirect_chain[0][1] == 302
    return " ".join(str(bericht) for bericht in response.context["messages"])


@pytest.mark.parametrize("htmx", [False, True], ids=["zonder-javascript", "htmx"])
def test_a_red_flag_s_message_names_its_students_and_says_the_care_team_was_alerted(
    wereld, client_voor, klasgenoot, htmx
):
    f.leerling_in(wereld.klas_a, voornaam="Jules", achternaam="Maes")  # not chosen
    gegevens = _gegevens(wereld, kleur="rood", leerlingen=[wereld.leerling_a.pk, klasgenoot.pk])

    bericht = _bericht_na_bewaren(client_voor(wereld.leerkracht), wereld.klas_a, gegevens, htmx)

    assert bericht == (
        "Vlag geregistreerd voor Yasmine Claes en Lotte Peeters. Het zorgteam werd verwittigd."
    )
    # The sentence is true: the care coordinator has the notification.
    assert Melding.objects.filter(ontvanger=wereld.zorgcoordinator).count() == 1


@pytest.mark.parametrize("htmx", [False, True], ids=["zonder-javascript", "htmx"])
def test_a_red_flag_in_a_school_without_care_coordinator_says_nobody_was_alerted(
    wereld, client_voor, htmx
):
    wereld.zorgcoordinator.lidmaatschappen.all().delete()
    gegevens = _gegevens(wereld, kleur="rood")

    bericht = _bericht_na_bewaren(client_voor(wereld.leerkracht), wereld.klas_a, gegevens, htmx)

    assert bericht == (
        "Vlag geregistreerd voor Lotte Peeters. Niemand van het zorgteam kon verwittigd "
        "worden: verwittig zelf de zorgcoördinator of de directie."
    )
    assert not Melding.objects.exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["zonder-javascript", "htmx"])
@pytest.mark.parametrize("kleur", ["groen", "geel", "oranje"])
def test_other_colours_name_the_students_and_do_not_mention_the_care_team(
    wereld, client_voor, klasgenoot, htmx, kleur
):
    gegevens = _gegevens(wereld, kleur=kleur, leerlingen=[klasgenoot.pk])

    bericht = _bericht_na_bewaren(client_voor(wereld.leerkracht), wereld.klas_a, gegevens, htmx)

    assert bericht == "Vlag geregistreerd voor Yasmine Claes."
    assert "Lotte" not in bericht


def test_three_or_more_students_are_listed_with_commas_and_a_final_en(
    wereld, client_voor, klasgenoot
):
    derde = f.leerling_in(wereld.klas_a, voornaam="Jules", achternaam="Maes")
    gegevens = _gegevens(
        wereld, leerlingen=[derde.pk, wereld.leerling_a.pk, klasgenoot.pk], kleur="geel"
    )

    bericht = _bericht_na_bewaren(client_voor(wereld.leerkracht), wereld.klas_a, gegevens, True)

    assert bericht == "Vlag geregistreerd voor Yasmine Claes, Jules Maes en Lotte Peeters."


def test_a_double_submitted_red_flag_still_says_the_care_team_knows(wereld, client_voor):
    client = client_voor(wereld.leerkracht)
    gegevens = _gegevens(wereld, kleur="rood")
    _bericht_na_bewaren(client, wereld.klas_a, gegevens, True)

    bericht = _bericht_na_bewaren(client, wereld.klas_a, gegevens, True)

    assert bericht == (
        "Deze vlag was al geregistreerd: er werd niets dubbel bewaard. "
        "Het zorgteam werd verwittigd."
    )
    assert Melding.objects.count() == 1


def test_roles_chosen_in_the_form_are_kept(wereld, client_voor, klasgenoot):
    gegevens = _gegevens(
        wereld,
        leerlingen=[wereld.leerling_a.pk, klasgenoot.pk],
        **{f"rol_{klasgenoot.pk}": "getroffen"},
    )
    client_voor(wereld.titularis).post(_url(wereld.klas_a), gegevens)
    assert dict(VlagBetrokkene.objects.values_list("leerling_id", "rol")) == {
        wereld.leerling_a.pk: "betrokken",
        klasgenoot.pk: "getroffen",
    }


@pytest.mark.parametrize("htmx", [False, True])
def test_a_double_submit_through_the_view_makes_one_incident(wereld, client_voor, htmx):
    client = client_voor(wereld.leerkracht)
    gegevens = _gegevens(wereld)
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    eerste = client.post(_url(wereld.klas_a), gegevens, **extra)
    tweede = client.post(_url(wereld.klas_a), gegevens, **extra)

    vlag = Vlag.objects.get()
    if htmx:
        assert f'href="{vlag_url(vlag)}"' in eerste.content.decode()
        assert f'href="{vlag_url(vlag)}"' in tweede.content.decode()
        assert "al geregistreerd" in tweede.content.decode()
    else:
        assert eerste["Location"] == tweede["Location"] == vlag_url(vlag)
    assert TijdlijnItem.objects.filter(soort="vlag").count() == 1


def _tweede_school_vak(wereld):
    return f.VakFactory(school=wereld.school2, naam="Frans").pk


ONGELDIG = [
    # (what is wrong, changes to the form data, the message shown)
    ("no student", lambda w: {"leerlingen": []}, "Kies minstens één leerling."),
    (
        "student of another class",
        lambda w: {"leerlingen": [w.leerling_a.pk, w.leerling_b.pk]},
        "Kies enkel leerlingen uit klas 3A.",
    ),
    (
        "student of another school",
        lambda w: {"leerlingen": [w.leerling_x.pk]},
        "Kies enkel leerlingen uit klas 3A.",
    ),
    ("non-numeric id", lambda w: {"leerlingen": ["abc"]}, "Kies enkel leerlingen uit klas 3A."),
    (
        "unknown role",
        lambda w: {f"rol_{w.leerling_a.pk}": "dader"},
        "Kies voor elke leerling een geldige rol.",
    ),
    ("no colour", lambda w: {"kleur": ""}, "Kies een kleur"),
    ("unknown colour", lambda w: {"kleur": "paars"}, "Kies een kleur"),
    (
        "future moment",
        lambda w: {
            "moment": (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        },
        "Het moment ligt in de toekomst",
    ),
    ("garbled moment", lambda w: {"moment": "gisteren"}, "Geef een geldig moment"),
    ("no moment", lambda w: {"moment": ""}, "Geef het moment van het voorval."),
    (
        "orange without description",
        lambda w: {"kleur": "oranje", "omschrijving": ""},
        "verplicht bij een oranje of rode vlag",
    ),
    (
        "red without description",
        lambda w: {"kleur": "rood", "omschrijving": " "},
        "verplicht bij een oranje of rode vlag",
    ),
    ("subject of another school", lambda w: {"vak": _tweede_school_vak(w)}, "Kies een vak"),
    ("missing key", lambda w: {"sleutel": ""}, "Laad de pagina opnieuw."),
    ("garbled key", lambda w: {"sleutel": "abc"}, "Laad de pagina opnieuw."),
    (
        "over-long description",
        lambda w: {"omschrijving": "x" * 2001},
        "De tekst is te lang",
    ),
]


@pytest.mark.parametrize(
    ("wat", "wijziging", "bericht"), ONGELDIG, ids=[geval[0] for geval in ONGELDIG]
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_input_shows_a_message_and_saves_nothing(
    wereld, client_voor, wat, wijziging, bericht, htmx
):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client_voor(wereld.leerkracht).post(
        _url(wereld.klas_a), _gegevens(wereld, **wijziging(wereld)), **extra
    )
    assert response.status_code == 200
    assert bericht in response.content.decode()
    assert _niets_bewaard()


def test_green_and_yellow_without_description_are_fine_through_the_form(wereld, client_voor):
    client = client_voor(wereld.leerkracht)
    for kleur in ("groen", "geel"):
        client.post(_url(wereld.klas_a), _gegevens(wereld, kleur=kleur, omschrijving=""))
    assert Vlag.objects.count() == 2


def test_a_form_with_errors_keeps_the_choices_made(wereld, client_voor, klasgenoot):
    gegevens = _gegevens(
        wereld,
        leerlingen=[klasgenoot.pk],
        kleur="oranje",
        omschrijving="",
        **{f"rol_{klasgenoot.pk}": "getuige"},
    )
    html = client_voor(wereld.leerkracht).post(_url(wereld.klas_a), gegevens).content.decode()
    assert f'value="{klasgenoot.pk}" id="vlag-leerling-{klasgenoot.pk}" checked' in html
    assert 'value="getuige" selected' in html
    assert 'value="oranje" id="vlag-kleur-oranje" autocomplete="off" checked' in html
    assert gegevens["sleutel"] in html


@pytest.mark.parametrize(
    "rol", ["leerkracht_b", "secretariaat", "beheerder", "clb", "buitenstaander"]
)
def test_who_may_not_log_in_this_class_gets_404_and_saves_nothing(wereld, client_voor, rol):
    if rol == "clb":
        # Reaching a student of the class (a referral) opens no class to the CLB.
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    client = client_voor(wereld.users[rol])
    assert client.get(_url(wereld.klas_a)).status_code == 404
    assert client.post(_url(wereld.klas_a), _gegevens(wereld)).status_code == 404
    assert _niets_bewaard()


@pytest.mark.parametrize("rol", ["leerkracht", "titularis", "zorgcoordinator", "directie"])
def test_the_class_team_and_the_care_team_log_flags(wereld, client_voor, rol):
    response = client_voor(wereld.users[rol]).post(_url(wereld.klas_a), _gegevens(wereld))
    assert response.status_code == 302
    assert Vlag.objects.get().gemeld_door == wereld.users[rol]


def test_the_class_page_links_to_logging_for_who_may_log(wereld, client_voor):
    html = client_voor(wereld.leerkracht).get(
        reverse("leerlingen:klas_detail", args=[wereld.klas_a.pk])
    )
    assert _url(wereld.klas_a) in html.content.decode()
    # The CLB, which could not log, has no class page at all (not even with a
    # referral of one of its students).
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    klas = client_voor(wereld.users["clb"]).get(
        reverse("leerlingen:klas_detail", args=[wereld.klas_a.pk])
    )
    assert klas.status_code == 404


# --- the flag's page ---------------------------------------------------------------------


def _gemengde_vlag(wereld):
    """A flag with leerling_a (3A) and leerling_b (3B), e.g. on the
    playground, logged by the care coordinator."""
    return vlag_met(
        wereld.leerling_a,
        wereld.leerling_b,
        klas=wereld.klas_a,
        kleur=VlagKleur.ORANJE,
        gemeld_door=wereld.zorgcoordinator,
    )


def test_a_teacher_of_a_sees_the_incident_with_a_but_not_b_s_name(wereld, client_voor):
    vlag = _gemengde_vlag(wereld)
    html = client_voor(wereld.leerkracht).get(vlag_url(vlag)).content.decode()
    assert "Lotte Peeters" in html
    assert "Noah Janssens" not in html and "Janssens, Noah" not in html
    assert "en 1 andere leerling" in html


def test_the_teacher_of_b_sees_b_but_not_a(wereld, client_voor):
    vlag = _gemengde_vlag(wereld)
    html = client_voor(wereld.leerkracht_b).get(vlag_url(vlag)).content.decode()
    assert "Noah Janssens" in html and "Lotte Peeters" not in html and "Peeters, Lotte" not in html


def test_the_care_coordinator_sees_every_student_of_the_incident(wereld, client_voor):
    vlag = _gemengde_vlag(wereld)
    html = client_voor(wereld.zorgcoordinator).get(vlag_url(vlag)).content.decode()
    assert "Lotte Peeters" in html and "Noah Janssens" in html
    assert "andere leerling" not in html


@pytest.mark.parametrize(
    "rol", ["secretariaat", "beheerder", "clb", "clb_ander", "buitenstaander", "platform"]
)
def test_who_may_not_see_the_flag_gets_404(wereld, client_voor, rol):
    # The CLB without a referral of a student of the incident: no flag.
    vlag = _gemengde_vlag(wereld)
    assert client_voor(wereld.users[rol]).get(vlag_url(vlag)).status_code == 404


def test_the_clb_with_a_referral_sees_the_flag_naming_only_its_student(wereld, client_voor):
    vlag = _gemengde_vlag(wereld)
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    response = client_voor(wereld.users["clb"]).get(vlag_url(vlag))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lotte Peeters" in html
    assert "Noah Janssens" not in html and "Janssens, Noah" not in html
    assert "en 1 andere leerling" in html
    # Another CLB, even with the same referral, sees nothing.
    assert client_voor(wereld.users["clb_ander"]).get(vlag_url(vlag)).status_code == 404


def test_the_flag_page_shows_the_details_and_follow_ups(wereld, client_voor):
    vlag, _ = _registreer(
        wereld,
        kleur=VlagKleur.ORANJE,
        reeds_gedaan="Apart gezet.",
        vak=wereld.leerkracht.lesopdrachten.get().vak,
    )
    VlagOpvolgingFactory(vlag=vlag, door=wereld.zorgcoordinator, notities="Ouders gebeld.")
    html = client_voor(wereld.leerkracht).get(vlag_url(vlag)).content.decode()
    for tekst in (
        OMSCHRIJVING,
        "Apart gezet.",
        "3A",
        "Wiskunde",
        "Herstelgesprek",
        "Ouders gebeld.",
    ):
        assert tekst in html
    assert "Oranje" in html and "open" in html


def test_reading_a_flag_is_audited(wereld, client_voor):
    vlag = _gemengde_vlag(wereld)
    client_voor(wereld.leerkracht).get(vlag_url(vlag))
    event = AuditEvent.objects.get(actie=Actie.LEZEN, onderwerp="vlag")
    assert event.leerling_id == wereld.leerling_a.pk and event.object_id == str(vlag.pk)


def test_an_unknown_flag_is_404(wereld, client_voor):
    url = reverse("leerlingen:vlag_detail", args=[999_999_999])
    assert client_voor(wereld.zorgcoordinator).get(url).status_code == 404


# --- a student's flags and the section -----------------------------------------------------


def _lijst(leerling):
    return reverse("leerlingen:leerling_vlaggen", args=[leerling.pk])


def test_the_student_list_shows_their_flags_with_their_role(wereld, client_voor, klasgenoot):
    _registreer(
        wereld,
        kleur=VlagKleur.ORANJE,
        leerlingen_met_rol=[(wereld.leerling_a, "getroffen"), (klasgenoot, "betrokken")],
    )
    _registreer(wereld, kleur=VlagKleur.GROEN, leerlingen_met_rol=[(klasgenoot, "betrokken")])
    html = client_voor(wereld.titularis).get(_lijst(wereld.leerling_a)).content.decode()
    assert html.count('class="list-group-item vlag-item"') == 1
    assert "(getroffen)" in html and "samen met 1 andere leerling" in html
    assert "Yasmine" not in html


def test_the_student_list_filters_by_colour(wereld, client_voor):
    _registreer(wereld, kleur=VlagKleur.GROEN, omschrijving="Hielp een klasgenoot.")
    _registreer(wereld, kleur=VlagKleur.GEEL, omschrijving="Vergat zijn materiaal.")
    client = client_voor(wereld.leerkracht)
    html = client.get(_lijst(wereld.leerling_a), {"kleur": "groen"}).content.decode()
    assert "Hielp een klasgenoot." in html and "Vergat zijn materiaal." not in html
    # An unknown colour shows everything rather than failing.
    alles = client.get(_lijst(wereld.leerling_a), {"kleur": "paars"})
    assert alles.status_code == 200 and "Vergat zijn materiaal." in alles.content.decode()


def test_the_student_list_is_for_the_care_team_and_the_student_s_teachers(wereld, client_voor):
    # A referral lets the CLB read the student's flags one by one (their
    # pages, from the timeline), but the list stays the school's.
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    for rol, code in [
        ("leerkracht", 200),
        ("zorgcoordinator", 200),
        ("clb", 404),
        ("secretariaat", 404),
        ("leerkracht_b", 404),
    ]:
        assert client_voor(wereld.users[rol]).get(_lijst(wereld.leerling_a)).status_code == code


def _leerlingpagina(client, leerling):
    return client.get(reverse("leerlingen:leerling_detail", args=[leerling.pk])).content.decode()


def test_the_student_page_counts_flags_per_colour_this_school_year(wereld, client_voor):
    _registreer(wereld, kleur=VlagKleur.GROEN)
    _registreer(wereld, kleur=VlagKleur.GROEN)
    _registreer(wereld, kleur=VlagKleur.ROOD)
    # Last school year's flag is not counted, but listed.
    vlag_met(
        wereld.leerling_a,
        klas=wereld.klas_a,
        kleur=VlagKleur.ORANJE,
        gemeld_door=wereld.leerkracht,
        moment=timezone.make_aware(
            datetime.datetime(wereld.vorig_schooljaar.begin.year + 1, 3, 2, 10)
        ),
    )
    html = _leerlingpagina(client_voor(wereld.zorgcoordinator), wereld.leerling_a)
    tellingen = html.split('data-testid="vlag-tellingen"')[1].split("</p>")[0]
    getallen = re.findall(r"</span>\s*(\d+)", tellingen)
    assert getallen == ["2", "0", "0", "1"]
    assert _lijst(wereld.leerling_a) in html


def test_the_section_shows_the_five_latest_flags(wereld, client_voor):
    for uur in range(7):
        vlag_met(
            wereld.leerling_a,
            klas=wereld.klas_a,
            gemeld_door=wereld.leerkracht,
            omschrijving=f"Voorval om {uur} uur.",
            moment=timezone.now() - datetime.timedelta(hours=uur + 1),
        )
    html = _leerlingpagina(client_voor(wereld.leerkracht), wereld.leerling_a)
    assert html.count('class="list-group-item vlag-item"') == 5
    assert "Voorval om 0 uur." in html and "Voorval om 6 uur." not in html


@pytest.mark.parametrize(("rol", "ziet"), [("titularis", True), ("clb", False)])
def test_the_section_is_the_school_s_not_the_clb_s(wereld, client_voor, rol, ziet):
    _registreer(wereld)
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)  # the CLB reaches her page
    response = client_voor(wereld.users[rol]).get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert ('id="vlaggen-kop"' in html) is ziet


# --- queries -------------------------------------------------------------------------------


def _meet(client, url, params=None):
    client.get(url, params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _flags_voor_a(wereld, aantal, klasgenoot):
    nu = timezone.now()
    vlaggen = vlaggen_bulk_aanmaken(
        Vlag(
            school=wereld.school,
            klas=wereld.klas_a,
            kleur=VlagKleur.values[i % 4],
            moment=nu - datetime.timedelta(hours=i + 1),
            omschrijving=f"Voorval {i}",
            gemeld_door=[wereld.leerkracht, wereld.titularis][i % 2],
            vak=wereld.leerkracht.lesopdrachten.get().vak,
            sleutel=uuid.uuid4(),
        )
        for i in range(aantal)
    )
    VlagBetrokkene.objects.bulk_create(
        [VlagBetrokkene(vlag=v, leerling=wereld.leerling_a) for v in vlaggen]
        + [VlagBetrokkene(vlag=v, leerling=klasgenoot, rol="getuige") for v in vlaggen[::2]]
    )


@pytest.mark.parametrize(
    ("rol", "url"),
    [
        # A student's list: the class, subject, reporter, role and the
        # number of students per flag (joined and annotated, not per row).
        ("leerkracht", lambda w: _lijst(w.leerling_a)),
        ("zorgcoordinator", lambda w: _lijst(w.leerling_a)),
        # The student page's section: counts aggregated, the latest five
        # with their details joined.
        ("titularis", lambda w: reverse("leerlingen:leerling_detail", args=[w.leerling_a.pk])),
    ],
)
def test_flag_lists_cost_the_same_queries_with_5_or_200_flags(
    wereld, client_voor, klasgenoot, rol, url
):
    client = client_voor(wereld.users[rol])
    _flags_voor_a(wereld, 5, klasgenoot)
    weinig = _meet(client, url(wereld))
    _flags_voor_a(wereld, 195, klasgenoot)
    veel = _meet(client, url(wereld))
    assert weinig == veel, f"{weinig} queries at 5 flags, {veel} at 200"


def test_the_flag_page_costs_the_same_queries_with_2_or_30_students(wereld, client_voor):
    # The students of an incident and their visibility: two queries, not
    # one per student.
    client = client_voor(wereld.zorgcoordinator)
    weinig_vlag = vlag_met(wereld.leerling_a, wereld.leerling_b, klas=wereld.klas_a)
    leerlingen = [f.leerling_in(wereld.klas_a) for _ in range(30)]
    veel_vlag = vlag_met(*leerlingen, klas=wereld.klas_a)
    VlagOpvolgingFactory(vlag=weinig_vlag)
    for _ in range(5):
        VlagOpvolgingFactory(vlag=veel_vlag)
    assert _meet(client, vlag_url(weinig_vlag)) == _meet(client, vlag_url(veel_vlag))


@pytest.mark.parametrize(
    ("rol", "url"),
    [
        ("leerkracht", lambda w, v: _url(w.klas_a)),
        ("leerkracht", lambda w, v: vlag_url(v)),
        ("zorgcoordinator", lambda w, v: vlag_url(v)),
        ("leerkracht", lambda w, v: _lijst(w.leerling_a)),
        ("titularis", lambda w, v: reverse("leerlingen:leerling_detail", args=[w.leerling_a.pk])),
    ],
)
def test_flag_templates_run_no_queries(wereld, client_voor, template_queries, rol, url):
    vlag, _ = _registreer(
        wereld, kleur=VlagKleur.ROOD, vak=wereld.leerkracht.lesopdrachten.get().vak
    )
    Vlag.objects.filter(pk=vlag.pk).update(
        erkend_op=timezone.now(),
        erkend_door=wereld.zorgcoordinator,
        opgenomen_door=wereld.zorgcoordinator,
    )
    VlagOpvolgingFactory(vlag=vlag, door=wereld.zorgcoordinator)
    response = client_voor(wereld.users[rol]).get(url(wereld, vlag))
    assert response.status_code == 200
    assert template_queries == []


def test_a_failed_htmx_post_runs_no_template_queries(wereld, client_voor, template_queries):
    response = client_voor(wereld.leerkracht).post(
        _url(wereld.klas_a), _gegevens(wereld, leerlingen=[]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert template_queries == []


def test_a_clb_worker_reads_a_flag_of_a_student_in_reach_without_a_link_to_the_class(
    wereld, client_voor
):
    d = dossier_vullen(wereld)  # refers leerling_a to the CLB
    klas_url = reverse("leerlingen:klas_detail", args=[wereld.klas_a.pk])
    clb = client_voor(wereld.users["clb"])
    response = clb.get(vlag_url(d.vlag))
    assert response.status_code == 200
    assert klas_url not in response.content.decode()
    assert "3A" in response.content.decode()  # the class is named, not linked
    assert clb.get(klas_url).status_code == 404
    teacher = client_voor(wereld.leerkracht)
    assert klas_url in teacher.get(vlag_url(d.vlag)).content.decode()


def test_reading_a_students_flags_filtered_on_a_colour_keeps_the_colour_out_of_the_trail(
    wereld, client_voor
):
    url = reverse("leerlingen:leerling_vlaggen", args=[wereld.leerling_a.pk])
    client_voor(wereld.zorgcoordinator).get(url, {"kleur": VlagKleur.ROOD})
    event = AuditEvent.objects.get(onderwerp="vlaggen", leerling_id=wereld.leerling_a.pk)
    assert event.omschrijving == "pagina 1, kleurfilter"


def test_the_message_naming_students_stays_on_the_server_not_in_a_cookie(wereld, client_voor):
    """A message that names students lives in the session (server side): a
    signed cookie is readable by anyone holding the browser."""
    client = client_voor(wereld.leerkracht)
    response = client.post(_url(wereld.klas_a), _gegevens(wereld, kleur="rood"))

    assert response.status_code == 302
    assert "messages" not in response.cookies
    volgende = client.get(response.url)
    assert "Lotte Peeters" in " ".join(str(b) for b in volgende.context["messages"])
