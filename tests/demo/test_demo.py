"""The demo school group: named logins with the right roles, consistent
enrolments, idempotence, and a plan that a seed fully determines."""

import datetime
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.utils import timezone

from leerlingen.models import Inschrijving, Klas, Leerling, Lesopdracht, Ouder, Vak
from zorg.accounts.models import (
    CLB,
    CLBMedewerker,
    Groepsdirectie,
    Lidmaatschap,
    Rol,
    Scholengemeenschap,
    School,
    Schooljaar,
    SchoolType,
    User,
)
from zorg.audit.models import AuditEvent
from zorg.demo.plan import (
    DEMO_WACHTWOORD,
    KLASGROOTTE,
    LOGINS,
    SCHOLEN,
    huidig_startjaar,
    maak_plan,
)

SEC, BAS, DKO = "123456", "654321", SCHOLEN["dko"].instellingsnummer

ROLLEN = {
    "directie@sint-jozef.example": {(SEC, Rol.DIRECTIE)},
    "zorg@sint-jozef.example": {(SEC, Rol.ZORGCOORDINATOR)},
    "leerkracht@sint-jozef.example": {(SEC, Rol.LEERKRACHT)},
    "titularis@sint-jozef.example": {(SEC, Rol.LEERKRACHT)},
    "secretariaat@sint-jozef.example": {(SEC, Rol.SECRETARIAAT)},
    "beheerder@sint-jozef.example": {(SEC, Rol.BEHEERDER)},
    "clb@clb-leiedal.example": set(),
    "directie@regenboog.example": {(BAS, Rol.DIRECTIE)},
    "zorg@regenboog.example": {(BAS, Rol.ZORGCOORDINATOR)},
    "leerkracht@regenboog.example": {(BAS, Rol.LEERKRACHT)},
    "groepsdirectie@sg-leiedal.example": set(),
    "platform@zorg.example": set(),
    "ouder@ouders.example": set(),
}


def _demo(**opties) -> str:
    uit = io.StringIO()
    call_command("demo", stdout=uit, **{"students": 60, **opties})
    return uit.getvalue()


def _tellingen() -> dict[str, int]:
    modellen = [
        Scholengemeenschap, Groepsdirectie, School, Schooljaar, User, Lidmaatschap, CLB,
        CLBMedewerker, Vak,
        Klas, Klas.klastitularissen.through, Lesopdracht, Leerling, Inschrijving, Ouder,
    ]  # fmt: skip
    return {m.__name__: m.objects.count() for m in modellen}


@pytest.mark.django_db
def test_named_logins_have_their_roles_and_the_shared_password():
    uitvoer = _demo()
    assert set(ROLLEN) == {email for _, email in LOGINS}
    for email, rollen in ROLLEN.items():
        user = User.objects.get(email=email)
        assert user.first_name and user.last_name, email
        assert user.check_password(DEMO_WACHTWOORD), email
        gekregen = set(
            Lidmaatschap.objects.filter(user=user).values_list("school__instellingsnummer", "rol")
        )
        assert gekregen == rollen, email
        assert email in uitvoer
        assert user.is_superuser == user.is_staff == (email == "platform@zorg.example"), email
    assert DEMO_WACHTWOORD in uitvoer
    clb = User.objects.get(email="clb@clb-leiedal.example")
    assert CLBMedewerker.objects.filter(user=clb, clb__naam="CLB Leiedal", actief=True).exists()
    # The group director directs the school group, and nothing else.
    assert set(
        Groepsdirectie.objects.filter(actief=True).values_list(
            "user__email", "scholengemeenschap__naam"
        )
    ) == {("groepsdirectie@sg-leiedal.example", "Scholengemeenschap Leiedal")}
    assert not CLBMedewerker.objects.filter(
        user__email="groepsdirectie@sg-leiedal.example"
    ).exists()


@pytest.mark.django_db
def test_titularis_leads_exactly_one_current_class_and_teaches_in_it():
    _demo()
    titularis = User.objects.get(email="titularis@sint-jozef.example")
    klassen = list(Klas.objects.filter(schooljaar__is_huidig=True, klastitularissen=titularis))
    assert len(klassen) == 1
    assert klassen[0].schooljaar.school.instellingsnummer == SEC
    assert Lesopdracht.objects.filter(leerkracht=titularis, klas=klassen[0]).exists()


@pytest.mark.parametrize("email", ["leerkracht@sint-jozef.example", "leerkracht@regenboog.example"])
@pytest.mark.django_db
def test_leerkracht_teaches_several_classes_and_leads_none(email):
    _demo()
    leerkracht = User.objects.get(email=email)
    lesklassen = set(
        Lesopdracht.objects.filter(
            leerkracht=leerkracht, klas__schooljaar__is_huidig=True
        ).values_list("klas_id", flat=True)
    )
    assert len(lesklassen) >= 2
    assert not leerkracht.titularis_van.exists()


@pytest.mark.django_db
def test_every_student_has_one_open_enrolment_in_a_current_class_of_their_school():
    _demo()
    leerlingen = {ll.pk: ll for ll in Leerling.objects.select_related("school", "zorgfase")}
    per_school = Counter(ll.school.instellingsnummer for ll in leerlingen.values())
    assert per_school == {SEC: 60, BAS: 60}

    vandaag = timezone.localdate()
    open_per_leerling = defaultdict(list)
    gesloten = []
    for i in Inschrijving.objects.select_related("klas__schooljaar"):
        (open_per_leerling[i.leerling_id] if i.einde is None else gesloten).append(i)
    assert set(open_per_leerling) == set(leerlingen)
    for leerling_id, inschrijvingen in open_per_leerling.items():
        assert len(inschrijvingen) == 1
        inschrijving, leerling = inschrijvingen[0], leerlingen[leerling_id]
        assert inschrijving.is_actief(vandaag)
        assert inschrijving.klas.schooljaar.school_id == leerling.school_id
        assert leerling.zorgfase.schooltype == leerling.school.schooltype
    actief = Counter(Inschrijving.objects.actief().values_list("leerling_id", flat=True))
    assert set(actief.values()) == {1}

    # Enrolment history: last year's classes of the student's own school.
    assert len({i.leerling_id for i in gesloten}) > len(leerlingen) // 2
    for i in gesloten:
        assert not i.klas.schooljaar.is_huidig
        assert i.klas.schooljaar.school_id == leerlingen[i.leerling_id].school_id
        assert i.begin <= i.einde

    startjaar = huidig_startjaar()
    huidige_jaren = Schooljaar.objects.filter(is_huidig=True)
    assert {j.naam for j in huidige_jaren} == {f"{startjaar}-{startjaar + 1}"}
    assert huidige_jaren.count() == 2


@pytest.mark.django_db
def test_classes_guardians_and_staff_look_like_a_school():
    _demo()
    groottes = Counter(Inschrijving.objects.actief().values_list("klas_id", flat=True))
    assert max(groottes.values()) <= KLASGROOTTE
    for klas in Klas.objects.filter(schooljaar__is_huidig=True).prefetch_related(
        "klastitularissen", "lesopdrachten"
    ):
        leraren = {lo.leerkracht_id for lo in klas.lesopdrachten.all()}
        titularissen = {u.pk for u in klas.klastitularissen.all()}
        assert 1 <= len(titularissen) <= 2, klas.naam
        assert titularissen <= leraren, klas.naam
    ouders = defaultdict(list)
    for ouder in Ouder.objects.all():
        ouders[ouder.leerling_id].append(ouder)
        assert ouder.email == "" or ouder.email.endswith("@ouders.example")
        assert "example.be" not in ouder.email
    assert len(ouders) == Leerling.objects.count()
    for lijst in ouders.values():
        assert 1 <= len(lijst) <= 2
        assert sum(o.is_contactpersoon for o in lijst) == 1
    for school in School.objects.all():
        rollen = Counter(
            Lidmaatschap.objects.filter(school=school).exclude(rol=Rol.LEERKRACHT)
            .values_list("rol", flat=True)
        )  # fmt: skip
        assert rollen == {
            Rol.DIRECTIE: 1,
            Rol.ZORGCOORDINATOR: 2,
            Rol.SECRETARIAAT: 1,
            Rol.BEHEERDER: 1,
        }, school.naam


@pytest.mark.django_db
def test_the_clb_serves_both_schools():
    _demo()
    clb = CLB.objects.get(naam="CLB Leiedal")
    assert set(clb.scholen.values_list("instellingsnummer", flat=True)) == {SEC, BAS}
    assert clb.medewerkers.count() == 3
    groep = Scholengemeenschap.objects.get(naam="Scholengemeenschap Leiedal")
    assert set(groep.scholen.values_list("instellingsnummer", flat=True)) == {SEC, BAS}


@pytest.mark.django_db
def test_running_it_twice_changes_nothing_and_writes_no_audit_events():
    _demo()
    audit_voor = AuditEvent.objects.count()
    na_eerste = _tellingen()
    assert na_eerste["Leerling"] == 120
    uitvoer = _demo(students=500, dko=True)
    assert "Demo data already loaded" in uitvoer
    assert "leerkracht@sint-jozef.example" in uitvoer
    assert _tellingen() == na_eerste
    assert AuditEvent.objects.count() == audit_voor


@pytest.mark.django_db
def test_it_refuses_to_mix_with_other_data_using_the_demo_names():
    School.objects.create(naam="Een andere school", instellingsnummer=BAS, schooltype="basis")
    with pytest.raises(CommandError, match="654321"):
        _demo()
    assert not School.objects.filter(instellingsnummer=SEC).exists()


@pytest.mark.django_db
def test_dko_academy_has_its_own_shorter_continuum():
    _demo(dko=True)
    academie = School.objects.get(instellingsnummer=DKO)
    assert academie.schooltype == SchoolType.DKO
    leerlingen = Leerling.objects.filter(school=academie).select_related("zorgfase")
    assert leerlingen.count() == 60
    fasen = {(ll.zorgfase.schooltype, ll.zorgfase.nummer) for ll in leerlingen}
    assert {schooltype for schooltype, _ in fasen} == {SchoolType.DKO}
    assert {nummer for _, nummer in fasen} <= {0, 1, 2}
    # Part-time arts education is not served by a CLB.
    assert not academie.clbs.exists()


def _namen(plan):
    return sorted(
        (ll.school, ll.leerlingnummer, ll.voornaam, ll.achternaam) for ll in plan.leerlingen
    )


def test_the_plan_is_a_pure_function_of_its_seed():
    eerste = maak_plan(seed=7, studenten=60, jaar=2026)
    tweede = maak_plan(seed=7, studenten=60, jaar=2026)
    ander = maak_plan(seed=8, studenten=60, jaar=2026)
    assert _namen(eerste) == _namen(tweede)
    assert [p.email for p in eerste.personen] == [p.email for p in tweede.personen]
    assert [ll.ouders for ll in eerste.leerlingen] == [ll.ouders for ll in tweede.leerlingen]
    assert _namen(eerste) != _namen(ander)


@pytest.mark.django_db
def test_the_database_holds_the_plan_of_the_seed():
    _demo(seed=11)
    nummer = {s.sleutel: s.instellingsnummer for s in SCHOLEN.values()}
    verwacht = sorted(
        (nummer[ll.school], ll.leerlingnummer, ll.voornaam, ll.achternaam)
        for ll in maak_plan(seed=11, studenten=60).leerlingen
    )
    gekregen = sorted(
        Leerling.objects.values_list(
            "school__instellingsnummer", "leerlingnummer", "voornaam", "achternaam"
        )
    )
    assert gekregen == verwacht


def test_a_large_plan_keeps_classes_and_teaching_loads_realistic():
    plan = maak_plan(seed=3, studenten=5000, jaar=2026)
    huidig = [k for k in plan.klassen if k.jaar == "huidig"]
    namen = Counter((k.school, k.jaar, k.naam) for k in plan.klassen)
    assert max(namen.values()) == 1
    assert max(len(k.naam) for k in plan.klassen) <= Klas._meta.get_field("naam").max_length
    grootte = Counter(ll.inschrijvingen[-1][0] for ll in plan.leerlingen)
    assert max(grootte.values()) <= KLASGROOTTE
    assert len([k for k in huidig if k.school == "secundair"]) >= 5000 // KLASGROOTTE
    belasting = Counter()
    for k in huidig:
        if k.school == "secundair":
            assert len({vak for _, vak in k.lesopdrachten}) == 8, k.naam
        for p in {p for p, _ in k.lesopdrachten}:
            belasting[(p, k.school)] += 1
    assert max(belasting.values()) <= 8
    titularis = next(i for i, p in enumerate(plan.personen) if p.email.startswith("titularis@"))
    assert sum(titularis in k.titularissen for k in huidig) == 1


@pytest.mark.django_db
def test_the_care_record_has_a_realistic_spread():
    from leerlingen import domeinen
    from leerlingen.models import (
        Gesprek,
        Intake,
        Maatregel,
        MaatregelEvaluatie,
        MaatregelSoort,
        Observatie,
        TijdlijnItem,
        ZorgfaseWijziging,
    )

    _demo(students=400)
    fasen = Counter(Leerling.objects.values_list("zorgfase__nummer", flat=True))
    assert fasen[0] > sum(fasen.values()) * 0.7  # most students in broad basic care
    assert fasen[1] > fasen[2] > 0
    assert fasen[3] > 0
    # The current phase is where the latest change led.
    for leerling in Leerling.objects.filter(zorgfase__nummer__gt=0)[:50]:
        laatste = ZorgfaseWijziging.objects.filter(leerling=leerling).order_by("-datum", "-pk")[0]
        assert laatste.naar_id == leerling.zorgfase_id
    assert ZorgfaseWijziging.objects.filter(naar__nummer__lt=F("van__nummer")).exists()

    observaties = list(Observatie.objects.values_list("domeinen", "soort"))
    for domein, _ in domeinen.KEUZES:
        assert any(mask & domein for mask, _ in observaties), domein
    assert {soort for _, soort in observaties} == {"sterkte", "zorg"}
    assert set(Maatregel.objects.values_list("soort", flat=True)) == set(MaatregelSoort.values)
    assert MaatregelEvaluatie.objects.exists()
    assert Gesprek.objects.filter(soort=Gesprek.Soort.OUDERS).exclude(afspraken="").exists()
    assert Intake.objects.exists()
    assert TijdlijnItem.objects.count() > Observatie.objects.count()


@pytest.mark.django_db
def test_the_demo_has_a_school_year_of_flags_with_patterns_and_a_waiting_red_flag():
    from leerlingen.models import Signaal, TijdlijnItem, Vlag, VlagBetrokkene

    _demo(students=100)
    kleuren = Counter(Vlag.objects.values_list("kleur", flat=True))
    totaal = sum(kleuren.values())
    assert totaal >= 1000
    # Realistic proportions: green and yellow most, red rarest, green not hidden.
    assert kleuren["groen"] > kleuren["oranje"] > kleuren["rood"] > 0
    assert kleuren["geel"] > kleuren["oranje"]
    # Every student of an incident sees it on their timeline.
    assert TijdlijnItem.objects.filter(soort="vlag").count() == VlagBetrokkene.objects.count()
    assert Signaal.objects.filter(afgehandeld_op__isnull=True).exists()
    # This morning's red flags wait for the care coordinator.
    wachtend = Vlag.objects.filter(kleur="rood", erkend_op__isnull=True)
    assert wachtend.count() == 2
    assert all(v.gemeld_door.email == "titularis@sint-jozef.example" for v in wachtend)


@pytest.mark.django_db(transaction=True)
def test_the_demo_sends_no_e_mail_though_its_services_notify_people():
    """The made-up people get their notifications in the app; no e-mail of
    theirs reaches a mail server or buries the logins `make run` prints.
    (Transactional: the mail task runs after each commit, as in `make run`.)"""
    from django.core import mail

    from zorg.meldingen.models import Melding

    _demo()

    assert Melding.objects.filter(email_gevraagd=True).exists()
    assert mail.outbox == []


def test_when_chance_gives_no_pattern_the_demo_completes_one_on_school_days(wereld):
    """One yellow flag is no pattern; the demo adds the missing yellow flags
    for that student, on school days before it, and the signal follows."""
    import datetime

    from django.conf import settings
    from django.utils import timezone

    from leerlingen.models import Signaal, VlagKleur
    from tests.leerlingen.factories_vlaggen import vlag_met
    from zorg.demo import kalender
    from zorg.demo.vlagdemo import _patroon_verzekeren, _signalen_berekenen

    w = wereld
    dag = kalender.vorige_schooldag(timezone.localdate())
    moment = timezone.make_aware(datetime.datetime.combine(dag, datetime.time(11)))
    vlag_met(w.leerling_a, klas=w.klas_a, kleur=VlagKleur.GEEL, moment=moment)

    toegevoegd = _patroon_verzekeren(w.school)
    _signalen_berekenen()

    assert toegevoegd == settings.ZORG_PATROON_AANTAL - 1
    nieuw = w.leerling_a.vlagbetrokkenheden.exclude(vlag__moment=moment)
    assert all(kalender.is_schooldag(timezone.localdate(b.vlag.moment)) for b in nieuw)
    assert Signaal.objects.filter(leerling=w.leerling_a, soort=Signaal.Soort.PATROON).exists()
    assert _patroon_verzekeren(w.school) == 0  # a pattern is there now: nothing added


@pytest.mark.django_db
def test_the_demo_schools_meet_in_their_cell_on_the_day_their_settings_say():
    """The next cell of each demo school falls on its settings' weekday, so
    the reminder to prepare its agenda comes the school day before."""
    import datetime

    from klassenraad.models import Overleg, OverlegSoort
    from zorg.accounts.kalender import schoolkalender
    from zorg.herinneringen.models import Herinnering
    from zorg.herinneringen.services import herinneringen_plannen

    _demo()
    sec = School.objects.get(instellingsnummer=SEC)
    assert sec.zorgcel_weekdag is not None
    assert sec.zorgcel_uur == datetime.time(13, 0)
    volgende = (
        Overleg.objects.filter(school=sec, soort=OverlegSoort.CEL, moment__gte=timezone.now())
        .order_by("moment")
        .first()
    )
    dag = timezone.localtime(volgende.moment).date()
    assert dag.weekday() == sec.zorgcel_weekdag
    dag_ervoor = schoolkalender(sec.pk).schooldagen_eerder(dag, 1)
    moment = timezone.make_aware(datetime.datetime.combine(dag_ervoor, datetime.time(7, 30)))
    herinneringen_plannen(school_id=sec.pk, nu=moment, alleen=["zorgcel_voorbereiden"])
    ontvangers = set(
        Herinnering.objects.filter(soort="zorgcel_voorbereiden").values_list(
            "ontvanger__email", flat=True
        )
    )
    coordinatoren = set(
        Lidmaatschap.objects.filter(school=sec, rol=Rol.ZORGCOORDINATOR).values_list(
            "user__email", flat=True
        )
    )
    assert "zorg@sint-jozef.example" in ontvangers
    assert ontvangers == coordinatoren


@pytest.mark.django_db
def test_the_demo_has_a_student_over_and_one_just_under_the_absence_threshold():
    import datetime

    from leerlingen.models import Afwezigheid, Afwezigheidsdrempel
    from leerlingen.services.afwezigheden import problematische_halve_dagen
    from zorg.accounts.kalender import schoolkalender
    from zorg.accounts.models import schooljaar_begin

    _demo(students=60)
    school = School.objects.get(instellingsnummer=SEC)
    vandaag = timezone.localdate()
    begin = schooljaar_begin(vandaag)
    afwezigheden = Afwezigheid.objects.filter(leerling__school=school)
    kalender = schoolkalender(school.pk)
    # Only school days, before today, in this school year.
    for datum in set(afwezigheden.values_list("datum", flat=True)):
        assert kalender.is_schooldag(datum) and begin <= datum < vandaag
    aantallen = sorted(
        problematische_halve_dagen(
            afwezigheden.values_list("leerling_id", flat=True), begin
        ).values()
    )
    drempel = school.afwezigheid_drempel
    if vandaag - begin < datetime.timedelta(days=7):
        pytest.skip("the first school days of a year hold too few days before today")
    assert aantallen == [drempel - 1, drempel + 1]
    over = Afwezigheidsdrempel.objects.get(leerling__school=school)
    assert over.aantal >= drempel


@pytest.mark.django_db
def test_the_demo_has_a_parent_letter_whose_agreement_reached_its_measure():
    from leerlingen.models import Maatregel, Ouderbrief

    _demo()

    brief = Ouderbrief.objects.get()
    assert brief.reactie == Ouderbrief.Reactie.AKKOORD_OPMERKINGEN
    maatregel = Maatregel.objects.get(leerling=brief.leerling, akkoord_nodig=True)
    assert maatregel.ouders_akkoord and maatregel.ouders_akkoord_op == brief.reactie_op
    assert any(m["akkoord_nodig"] for m in brief.inhoud["maatregelen"])


@pytest.mark.django_db
def test_the_demo_has_an_access_request_near_its_deadline_and_a_transfer_in_preparation(client):
    from django.urls import reverse

    from inzage.models import Inzageverzoek
    from overdracht.models import Overdracht

    _demo()

    verzoek = Inzageverzoek.objects.select_related("leerling").get()
    vandaag = timezone.localdate()
    assert verzoek.status == Inzageverzoek.Status.OPEN
    assert vandaag <= verzoek.termijn <= vandaag + datetime.timedelta(days=7)
    client.force_login(User.objects.get(email="directie@sint-jozef.example"))
    start = client.get(reverse("start")).content.decode()
    assert verzoek.leerling.achternaam in start
    overdracht = Overdracht.objects.get()
    assert overdracht.status == Overdracht.Status.CONCEPT
    assert overdracht.leerling.school_id == verzoek.school_id
