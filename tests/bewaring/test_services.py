"""Retention under a frozen clock: a student who left in June 2026 is kept
through the school year 2026-27 and destroyed on 1 September 2027 (the
default of one school year); re-enrolment, holds, the CLB's file, the
summary in the trail, the files in storage, the audit term."""

import datetime
import os

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import ProgrammingError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from bewaring import regels
from bewaring.models import Opschorting
from bewaring.services import (
    audit_pseudonimiseren,
    bewaring_uitvoeren,
    opschorting_beeindigen,
    opschorting_toevoegen,
)
from clb.models import HGDTraject
from klassenraad.models import Actiepunt, Taak
from leerlingen import policies as leerling_policies
from leerlingen.models import (
    Document,
    Inschrijving,
    Leerling,
    Observatie,
    TijdlijnItem,
    Vlag,
    VlagtellingSchool,
)
from tests import factories as f
from tests.datums import lokaal
from tests.dossier import dossier_vullen
from tests.klassenraad import factories as k
from tests.leerlingen.factories_observaties import ObservatieFactory
from tests.leerlingen.factories_vlaggen import vlag_met
from tests.portaal.factories import ouder_met_toegang
from zorg.accounts.models import Schooljaar
from zorg.audit.models import Actie, AuditEvent
from zorg.audit.services import audit_vastleggen
from zorg.meldingen.models import Melding
from zorg.pdf.models import PdfOpdracht
from zorg.pdf.opslag import opslag

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")

JUNI_2026 = datetime.date(2026, 6, 30)


def vertrokken(w, einde=JUNI_2026, **naam):
    """A student of school 1 whose last enrolment (2025-26) ended on `einde`."""
    klas = f.KlasFactory(schooljaar=w.vorig_schooljaar, naam=f"5{einde:%m%d}")
    leerling = f.leerling_in(klas, **naam)
    Inschrijving.objects.filter(leerling=leerling).update(einde=einde, reden_einde="vertrokken")
    return leerling


def uitvoeren(dag: datetime.date, **kwargs):
    with time_machine.travel(lokaal(dag.year, dag.month, dag.day, 2, 30), tick=False):
        return bewaring_uitvoeren(**kwargs)


def bestaat(leerling) -> bool:
    return Leerling.objects.filter(pk=leerling.pk).exists()


# --- the rules themselves --------------------------------------------------------


@pytest.mark.parametrize(
    ("vertrek", "jaren", "op"),
    [
        (JUNI_2026, 1, datetime.date(2027, 9, 1)),
        (datetime.date(2026, 8, 31), 1, datetime.date(2027, 9, 1)),
        (datetime.date(2026, 9, 1), 1, datetime.date(2028, 9, 1)),
        (datetime.date(2027, 1, 1), 1, datetime.date(2028, 9, 1)),  # New Year
        (datetime.date(2026, 12, 31), 1, datetime.date(2028, 9, 1)),
        (datetime.date(2028, 2, 29), 1, datetime.date(2029, 9, 1)),  # leap day
        (JUNI_2026, 2, datetime.date(2028, 9, 1)),
        (JUNI_2026, 5, datetime.date(2031, 9, 1)),
    ],
)
def test_a_care_record_is_destroyed_on_1_september_after_the_years_of_grace(vertrek, jaren, op):
    assert regels.dossier_vernietigen_op(vertrek, jaren) == op


def test_the_database_bound_is_exactly_the_inverse_of_the_day_of_destruction():
    """Every leaving day of two years against every run day around two
    1 Septembers, for every term the school may set."""
    start = datetime.date(2025, 8, 1)
    vertrekdagen = [start + datetime.timedelta(days=i) for i in range(0, 760, 3)]
    rundagen = [datetime.date(2027, 8, 25) + datetime.timedelta(days=i) for i in range(14)] + [
        datetime.date(2028, 8, 28) + datetime.timedelta(days=i) for i in range(10)
    ]
    for jaren in range(1, 6):
        for op in rundagen:
            grens = regels.vertrokken_voor(op, jaren)
            for vertrek in vertrekdagen:
                assert (regels.dossier_vernietigen_op(vertrek, jaren) <= op) == (vertrek < grens)


def test_the_clb_term_is_ten_years_after_guidance_and_at_least_age_25():
    laatste = datetime.date(2027, 6, 1)
    assert regels.clb_termijn_einde(
        laatste_begeleiding=laatste, geboortedatum=datetime.date(2012, 5, 17)
    ) == datetime.date(2037, 6, 1)
    assert regels.clb_termijn_einde(
        laatste_begeleiding=laatste, geboortedatum=datetime.date(2016, 2, 29)
    ) == datetime.date(2041, 3, 1)


# --- the nightly destruction -------------------------------------------------------


def test_a_student_who_left_in_june_2026_is_kept_through_2026_27_and_destroyed_on_1_september_2027(
    wereld,
):
    weg = vertrokken(wereld, voornaam="Bram", achternaam="Weg")
    f.OuderFactory(leerling=weg, naam="Greet Weg", relatie="moeder")
    eerste = ObservatieFactory(leerling=weg)
    ObservatieFactory(leerling=weg, corrigeert=eerste)

    uitvoeren(datetime.date(2027, 8, 31))
    assert bestaat(weg)

    uitvoeren(datetime.date(2027, 9, 1))
    assert not bestaat(weg)
    assert not Inschrijving.objects.filter(leerling_id=weg.pk).exists()
    assert not Observatie.objects.filter(leerling_id=weg.pk).exists()
    # The students who did not leave are untouched.
    assert bestaat(wereld.leerling_a) and bestaat(wereld.leerling_b) and bestaat(wereld.leerling_x)


def test_the_school_setting_gives_more_years(wereld):
    weg = vertrokken(wereld)
    wereld.school.bewaring_schooljaren = 2
    wereld.school.save(update_fields=["bewaring_schooljaren"])

    uitvoeren(datetime.date(2028, 8, 31))
    assert bestaat(weg)
    uitvoeren(datetime.date(2028, 9, 1))
    assert not bestaat(weg)


def test_a_student_who_leaves_and_re_enrols_is_measured_from_the_last_enrolment(wereld):
    terug = vertrokken(wereld, voornaam="Cas", achternaam="Binnen")
    f.InschrijvingFactory(leerling=terug, klas=wereld.klas_b, begin=datetime.date(2026, 11, 2))

    uitvoeren(datetime.date(2027, 9, 1))
    assert bestaat(terug)
    # Still enrolled now (an open enrolment ends with its school year, 2026-27).
    uitvoeren(datetime.date(2028, 8, 31))
    assert bestaat(terug)
    uitvoeren(datetime.date(2028, 9, 1))
    assert not bestaat(terug)


def test_an_enrolment_prepared_for_next_school_year_keeps_the_record(wereld):
    terug = vertrokken(wereld)
    volgend = Schooljaar.objects.create(
        school=wereld.school,
        naam="2027-2028",
        begin=datetime.date(2027, 9, 1),
        einde=datetime.date(2028, 8, 31),
    )
    f.InschrijvingFactory(leerling=terug, klas=f.KlasFactory(schooljaar=volgend))

    uitvoeren(datetime.date(2027, 9, 1))
    assert bestaat(terug)


def test_a_hold_keeps_the_record_until_its_end_date(wereld):
    betwist = vertrokken(wereld)
    with time_machine.travel(lokaal(2027, 6, 1), tick=False):
        opschorting_toevoegen(
            leerling=betwist,
            reden="Beroep tegen de beslissing van de klassenraad",
            tot=datetime.date(2027, 10, 15),
            door=wereld.directie,
        )

    uitvoeren(datetime.date(2027, 9, 1))
    uitvoeren(datetime.date(2027, 10, 15))
    assert bestaat(betwist)
    uitvoeren(datetime.date(2027, 10, 16))
    assert not bestaat(betwist)
    # The hold went with the record; the trail keeps that it was put.
    assert not Opschorting.objects.exists()
    assert AuditEvent.objects.filter(onderwerp="opschorting", leerling_id=betwist.pk).exists()


def test_an_ended_hold_no_longer_keeps_the_record(wereld):
    betwist = vertrokken(wereld)
    opschorting = opschorting_toevoegen(
        leerling=betwist, reden="Klacht", tot=datetime.date(2028, 6, 30), door=wereld.directie
    )
    uitvoeren(datetime.date(2027, 9, 1))
    assert bestaat(betwist)

    opschorting_beeindigen(opschorting=opschorting, door=wereld.directie, versie=1)
    uitvoeren(datetime.date(2027, 9, 2))
    assert not bestaat(betwist)


def test_the_whole_record_goes_but_the_clb_file_and_a_minimal_row_stay(wereld):
    dossier = dossier_vullen(wereld)
    lotte = wereld.leerling_a
    Inschrijving.objects.filter(leerling=lotte).update(einde=datetime.date(2026, 12, 18))
    traject_ids = list(HGDTraject.objects.filter(leerling=lotte).values_list("pk", flat=True))
    assert traject_ids and dossier.traject.pk in traject_ids
    assert Observatie.objects.filter(leerling=lotte).exists()

    uitvoeren(datetime.date(2028, 8, 31))
    assert Observatie.objects.filter(leerling=lotte).exists()
    uitvoeren(datetime.date(2028, 9, 1))

    lotte.refresh_from_db()
    assert lotte.dossier_vernietigd_op == datetime.date(2028, 9, 1)
    assert lotte.email == ""
    assert lotte.leerlingnummer == f"vernietigd-{lotte.pk}"
    for model in (Observatie, TijdlijnItem, Inschrijving, Actiepunt):
        assert not model.objects.filter(leerling=lotte).exists(), model
    assert not lotte.ouders.exists() and not lotte.maatregelen.exists()
    assert set(HGDTraject.objects.filter(leerling=lotte).values_list("pk", flat=True)) == set(
        traject_ids
    )
    # The school no longer sees her; the CLB still does.
    assert not leerling_policies.leerlingen_visible_to(wereld.zorgcoordinator).filter(pk=lotte.pk)
    assert not leerling_policies.leerlingen_visible_to(wereld.secretariaat).filter(pk=lotte.pk)
    assert leerling_policies.leerlingen_visible_to(wereld.users["clb"]).filter(pk=lotte.pk)

    # An open trajectory is guidance going on: the CLB's term has not begun.
    uitvoeren(datetime.date(2045, 9, 1))
    assert bestaat(lotte)

    HGDTraject.objects.filter(leerling=lotte).update(afgesloten_op=datetime.date(2029, 3, 1))
    # Born 17 May 2012: 25 on 17 May 2037; ten years after the guidance: 1 March 2039.
    uitvoeren(datetime.date(2039, 2, 28))
    assert bestaat(lotte)
    uitvoeren(datetime.date(2039, 3, 1))
    assert not bestaat(lotte)
    assert not HGDTraject.objects.filter(pk__in=traject_ids).exists()


def test_a_flag_goes_with_its_last_student_and_stays_for_the_others(wereld):
    alleen = vertrokken(wereld)
    klasgenoot = wereld.leerling_a  # still at school
    eigen = vlag_met(alleen, klas=alleen.inschrijvingen.get().klas, moment=lokaal(2026, 3, 2, 10))
    gedeeld = vlag_met(
        alleen, klasgenoot, klas=alleen.inschrijvingen.get().klas, moment=lokaal(2026, 3, 3, 10)
    )
    dag = datetime.date(2026, 3, 2)
    assert VlagtellingSchool.objects.get(school=wereld.school, dag=dag).aantal == 1

    uitvoeren(datetime.date(2027, 9, 1))

    assert not bestaat(alleen)
    assert not Vlag.objects.filter(pk=eigen.pk).exists()
    assert Vlag.objects.filter(pk=gedeeld.pk).exists()
    assert list(gedeeld.betrokkenen.values_list("leerling_id", flat=True)) == [klasgenoot.pk]
    # The trends no longer count the destroyed incident.
    assert VlagtellingSchool.objects.get(school=wereld.school, dag=dag).aantal == 0


def test_a_guardian_whose_only_child_was_destroyed_loses_the_portal_account(wereld, client):
    wereld.school.portaal_aan = True
    wereld.school.save(update_fields=["portaal_aan"])
    weg = vertrokken(wereld)
    enkel = ouder_met_toegang(weg)
    # A second guardian with a child still at school keeps the account.
    ook = ouder_met_toegang(weg)
    ouder_met_toegang(wereld.leerling_a, user=ook.user)
    client.force_login(enkel.user)
    assert client.get(reverse("portaal:start")).status_code == 200

    uitvoeren(datetime.date(2027, 9, 1))

    enkel.user.refresh_from_db()
    ook.user.refresh_from_db()
    assert not enkel.user.is_active and not enkel.user.has_usable_password()
    assert ook.user.is_active
    # The session it had is anonymous now: the portal sends it to the login.
    assert client.get(reverse("portaal:start")).status_code == 302
    samenvatting = AuditEvent.objects.get(onderwerp="bewaring", school_id=wereld.school.pk)
    assert "portaalaccounts gesloten: 1" in samenvatting.omschrijving


def test_the_audit_rows_of_a_destroyed_student_remain(wereld):
    weg = vertrokken(wereld)
    audit_vastleggen(
        gebruiker=wereld.directie, actie=Actie.LEZEN, onderwerp="leerling", leerlingen=[weg]
    )
    uitvoeren(datetime.date(2027, 9, 1))
    assert not bestaat(weg)
    assert AuditEvent.objects.filter(leerling_id=weg.pk, onderwerp="leerling").count() == 1


def test_each_run_leaves_one_summary_per_school_with_counts_and_no_names(wereld):
    weg = vertrokken(wereld, voornaam="Zenobia", achternaam="Xylofoon")
    f.OuderFactory(leerling=weg, naam="Sofie Xylofoon", relatie="moeder")
    uitvoeren(datetime.date(2027, 9, 1))

    samenvattingen = AuditEvent.objects.filter(onderwerp="bewaring", actie=Actie.VERWIJDEREN)
    assert sorted(samenvattingen.values_list("school_id", flat=True)) == sorted(
        [wereld.school.pk, wereld.school2.pk]
    )
    eigen = samenvattingen.get(school_id=wereld.school.pk)
    assert eigen.leerling_id is None and eigen.gebruiker_id is None
    assert "zorgdossiers: 1" in eigen.omschrijving
    assert "ouders en voogden: 1" in eigen.omschrijving
    for naam in ("Zenobia", "Xylofoon", "Sofie"):
        assert naam not in eigen.omschrijving
        assert naam not in " ".join(eigen.velden)


def test_a_second_run_finds_nothing_left(wereld):
    vertrokken(wereld)
    eerste = uitvoeren(datetime.date(2027, 9, 1))
    tweede = uitvoeren(datetime.date(2027, 9, 1))
    assert eerste[wereld.school.pk]["zorgdossiers"] == 1
    assert tweede[wereld.school.pk]["zorgdossiers"] == 0


def test_many_students_are_destroyed_in_batches(wereld):
    weg = [vertrokken(wereld, einde=JUNI_2026 - datetime.timedelta(days=i)) for i in range(5)]
    resultaat = uitvoeren(datetime.date(2027, 9, 1), batch=2)
    assert resultaat[wereld.school.pk]["zorgdossiers"] == 5
    assert not Leerling.objects.filter(pk__in=[leerling.pk for leerling in weg]).exists()


def test_the_files_of_documents_and_pdfs_leave_storage(
    wereld, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    weg = vertrokken(wereld)
    document = Document(
        leerling=weg,
        titel="Verslag",
        soort=Document.Soort.VERSLAG,
        bestandsnaam="verslag.pdf",
        inhoudstype="application/pdf",
        grootte=4,
        geupload_door=wereld.zorgcoordinator,
    )
    document.bestand.save("upload", ContentFile(b"%PDF"), save=True)
    pdf_naam = opslag().save("dossier.pdf", ContentFile(b"%PDF"))
    PdfOpdracht.objects.create(
        soort="dossier",
        object_id=weg.pk,
        aangevraagd_door=wereld.zorgcoordinator,
        taal="nl",
        status=PdfOpdracht.Status.KLAAR,
        leerling_ids=[weg.pk],
        bestand=pdf_naam,
    )
    documentpad = document.bestand.path
    with django_capture_on_commit_callbacks(execute=True):
        uitvoeren(datetime.date(2027, 9, 1))

    assert not Document.objects.filter(pk=document.pk).exists()
    assert not PdfOpdracht.objects.exists()
    assert not opslag().exists(pdf_naam)
    assert not os.path.exists(documentpad)


def test_closed_action_items_and_old_notifications_have_shorter_terms(wereld):
    overleg = k.overleg(wereld)
    open_item = k.actiepunt(overleg, wereld.leerling_a, wereld.zorgcoordinator)
    klaar = k.actiepunt(overleg, wereld.leerling_a, wereld.zorgcoordinator)
    Actiepunt.objects.filter(pk=klaar.pk).update(
        status=Taak.Status.AFGEROND, afgehandeld_op=lokaal(2026, 12, 1)
    )
    oud = f.MeldingFactory(ontvanger=wereld.directie, school=wereld.school)
    Melding.objects.filter(pk=oud.pk).update(aangemaakt=lokaal(2026, 12, 1))
    nieuw = f.MeldingFactory(ontvanger=wereld.directie, school=wereld.school)
    Melding.objects.filter(pk=nieuw.pk).update(aangemaakt=lokaal(2027, 11, 1))

    uitvoeren(datetime.date(2027, 11, 30))
    assert Actiepunt.objects.filter(pk=klaar.pk).exists()
    assert not Melding.objects.filter(pk=oud.pk).exists()

    uitvoeren(datetime.date(2027, 12, 2))
    assert not Actiepunt.objects.filter(pk=klaar.pk).exists()
    assert Actiepunt.objects.filter(pk=open_item.pk).exists()
    assert Melding.objects.filter(pk=nieuw.pk).exists()


# --- the audit term ------------------------------------------------------------------


def _oud_event(wereld, tijdstip):
    return AuditEvent.objects.create(
        tijdstip=tijdstip,
        gebruiker=wereld.directie,
        actie=Actie.LEZEN,
        onderwerp="leerling",
        omschrijving="gelezen",
        school_id=wereld.school.pk,
        leerling_id=wereld.leerling_a.pk,
        ip="192.0.2.7",
        methode="GET",
        pad=f"/leerlingen/{wereld.leerling_a.pk}/",
    )


def test_audit_events_past_five_years_are_pseudonymised_and_the_rest_stays(wereld):
    oud = _oud_event(wereld, lokaal(2021, 12, 3))
    grens = _oud_event(wereld, lokaal(2021, 12, 5))

    per_school = audit_pseudonimiseren(nu=lokaal(2026, 12, 4))

    assert per_school == {wereld.school.pk: 1}
    oud = AuditEvent.objects.get(pk=oud.pk)
    assert (oud.leerling_id, oud.gebruiker_id, oud.ip, oud.pad) == (None, None, None, "")
    assert (oud.actie, oud.onderwerp, oud.omschrijving, oud.methode, oud.school_id) == (
        Actie.LEZEN,
        "leerling",
        "gelezen",
        "GET",
        wereld.school.pk,
    )
    assert oud.tijdstip == lokaal(2021, 12, 3)
    assert AuditEvent.objects.get(pk=grens.pk).leerling_id == wereld.leerling_a.pk


def test_the_nightly_run_reports_the_pseudonymised_events_in_its_summary(wereld):
    _oud_event(wereld, lokaal(2021, 1, 1))
    uitvoeren(datetime.date(2026, 12, 5))
    eigen = AuditEvent.objects.get(onderwerp="bewaring", school_id=wereld.school.pk)
    assert "auditgebeurtenissen gepseudonimiseerd: 1" in eigen.omschrijving


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET omschrijving = 'herschreven'",
        "UPDATE audit_auditevent SET leerling_id = NULL, gebruiker_id = NULL, ip = NULL,"
        " pad = '', omschrijving = 'herschreven'",
        "UPDATE audit_auditevent SET leerling_id = 1",
        "DELETE FROM audit_auditevent",
    ],
)
@pytest.mark.parametrize("vlag", [False, True])
def test_only_the_sanctioned_pseudonymisation_changes_the_trail(wereld, sql, vlag):
    _oud_event(wereld, lokaal(2021, 1, 1))
    with (
        pytest.raises(ProgrammingError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        if vlag:
            cursor.execute("SET LOCAL zorg.audit_pseudonimiseren = 'aan'")
        cursor.execute(sql)
    assert AuditEvent.objects.filter(omschrijving="gelezen", leerling_id__isnull=False).exists()


def test_the_flag_does_not_outlive_its_transaction(wereld):
    _oud_event(wereld, lokaal(2021, 1, 1))
    audit_pseudonimiseren(nu=timezone.now())
    with (
        pytest.raises(ProgrammingError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET leerling_id = NULL, gebruiker_id = NULL")


def test_the_audit_page_names_a_destroyed_student_by_id(wereld, client_voor):
    weg = vertrokken(wereld)
    audit_vastleggen(
        gebruiker=wereld.directie, actie=Actie.LEZEN, onderwerp="leerling", leerlingen=[weg]
    )
    audit_vastleggen(
        gebruiker=wereld.directie,
        actie=Actie.LEZEN,
        onderwerp="leerling",
        leerlingen=[wereld.leerling_a],
    )
    uitvoeren(datetime.date(2027, 9, 1))

    html = client_voor(wereld.directie).get(reverse("audit:trail")).content.decode()
    assert f"verwijderde leerling #{weg.pk}" in html
    assert f"verwijderde leerling #{wereld.leerling_a.pk}" not in html
    assert f"#{wereld.leerling_a.pk}" in html
