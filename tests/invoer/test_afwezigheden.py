"""The import of absences, through the services and through the pages:
the dry run's outcome per row (unknown student, a day without school, a
bad half day or code, a half day twice), an existing half day updated, and
the threshold checked after the import. The world lives on Friday
4 December 2026."""

import pytest
import time_machine
from django.urls import reverse

from leerlingen.models import Afwezigheid, AfwezigheidCode, Afwezigheidsdrempel, Dagdeel
from tests.datums import lokaal
from zorg.audit.models import AuditEvent
from zorg.invoer.models import Importopdracht
from zorg.invoer.services import import_bevestigen, importopdracht_aanmaken, koppeling_bewaren
from zorg.meldingen.models import Melding

from .conftest import csv_bestand
from .test_views import _uploaden

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")
Status = Importopdracht.Status
KOP = "leerlingnummer;datum;dagdeel;code"


def _opdracht(w, regels):
    return importopdracht_aanmaken(
        school=w.school,
        door=w.users["beheerder"],
        soort="afwezigheden",
        volledig=False,
        bestand=csv_bestand([KOP, *regels], naam="afwezigheden.csv"),
    )


def _controleren(opdracht, capture):
    with capture(execute=True):
        koppeling_bewaren(opdracht=opdracht, koppeling=opdracht.koppeling)
    opdracht.refresh_from_db()
    return opdracht


def _invoeren(opdracht, capture):
    with capture(execute=True):
        assert import_bevestigen(opdracht=opdracht, vertrokken_beeindigen=False)
    opdracht.refresh_from_db()
    return opdracht


def test_the_dry_run_reports_each_row_and_writes_nothing(
    wereld, django_capture_on_commit_callbacks
):
    w = wereld
    nummer = w.leerling_a.leerlingnummer
    Afwezigheid.objects.create(
        leerling=w.leerling_a,
        datum="2026-12-01",
        dagdeel=Dagdeel.VOORMIDDAG,
        code=AfwezigheidCode.OUDERS,
        geregistreerd_door=w.secretariaat,
    )
    opdracht = _opdracht(
        w,
        [
            f"{nummer};03/12/2026;vm;attest",
            f"{nummer};2026-12-01;voormiddag;ongewettigd",  # existing: new code
            f"{nummer};02/12/2026;nm;Problematisch",
            "ONBEKEND;02/12/2026;nm;attest",
            f"{nummer};28/11/2026;vm;attest",  # a Saturday
            f"{nummer};07/12/2026;vm;attest",  # next Monday
            f"{nummer};31/02/2026;vm;attest",
            f"{nummer};02/12/2026;avond;spijbelen",
            f"{nummer};03/12/2026;VM;ouders",  # the first row's half day again
            f"{w.leerling_x.leerlingnummer};03/12/2026;vm;attest",  # another school's
        ],
    )
    assert opdracht.koppeling == {"leerlingnummer": 0, "datum": 1, "dagdeel": 2, "code": 3}
    opdracht = _controleren(opdracht, django_capture_on_commit_callbacks)
    assert opdracht.status == Status.GECONTROLEERD
    uitkomsten = [(r["rij"], r["uitkomst"], r["reden"]) for r in opdracht.regels]
    assert [u[1] for u in uitkomsten] == [
        "nieuw",
        "gewijzigd",
        "nieuw",
        "fout",
        "fout",
        "fout",
        "fout",
        "fout",
        "fout",
        "fout",
    ]
    redenen = {rij: reden for rij, _uitkomst, reden in uitkomsten}
    assert "bestaat niet in deze school" in redenen[5]
    assert "weekend" in redenen[6]
    assert "toekomst" in redenen[7]
    assert "geen" in redenen[8] and "datum" in redenen[8]
    assert "vm (voormiddag) of nm" in redenen[9] and "ongewettigd of problematisch" in redenen[9]
    assert "staat ook op rij 2" in redenen[10]
    assert "bestaat niet in deze school" in redenen[11]
    assert Afwezigheid.objects.count() == 1


def test_the_confirmed_import_writes_updates_and_checks_the_threshold(
    wereld, django_capture_on_commit_callbacks
):
    w = wereld
    w.school.afwezigheid_drempel = 3
    w.school.save()
    nummer = w.leerling_a.leerlingnummer
    bestaand = Afwezigheid.objects.create(
        leerling=w.leerling_a,
        datum="2026-12-01",
        dagdeel=Dagdeel.VOORMIDDAG,
        code=AfwezigheidCode.OUDERS,
        geregistreerd_door=w.secretariaat,
    )
    opdracht = _opdracht(
        w,
        [
            f"{nummer};01/12/2026;vm;ongewettigd",
            f"{nummer};02/12/2026;vm;ongewettigd",
            f"{nummer};02/12/2026;nm;problematisch",
            f"{w.leerling_b.leerlingnummer};02/12/2026;nm;attest",
        ],
    )
    opdracht = _controleren(opdracht, django_capture_on_commit_callbacks)
    opdracht = _invoeren(opdracht, django_capture_on_commit_callbacks)
    assert opdracht.status == Status.KLAAR, opdracht.reden
    assert opdracht.totalen["nieuw"] == 3 and opdracht.totalen["gewijzigd"] == 1
    bestaand.refresh_from_db()
    assert (bestaand.code, bestaand.versie) == (AfwezigheidCode.ONGEWETTIGD, 2)
    assert Afwezigheid.objects.count() == 4
    drempel = Afwezigheidsdrempel.objects.get()
    assert (drempel.leerling, drempel.aantal) == (w.leerling_a, 3)
    assert Melding.objects.filter(ontvanger=w.zorgcoordinator).count() == 1
    assert AuditEvent.objects.filter(onderwerp="afwezigheden", leerling=w.leerling_b).exists()
    # The same file again changes nothing and tells nobody again.
    opnieuw = _opdracht(
        w,
        [
            f"{nummer};01/12/2026;vm;ongewettigd",
            f"{nummer};02/12/2026;vm;ongewettigd",
        ],
    )
    opnieuw = _invoeren(
        _controleren(opnieuw, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    assert opnieuw.totalen["ongewijzigd"] == 2
    assert Melding.objects.filter(ontvanger=w.zorgcoordinator).count() == 1


def test_the_administrator_imports_absences_through_the_pages(
    wereld, client_voor, django_capture_on_commit_callbacks
):
    w = wereld
    beheerder = client_voor(w.users["beheerder"])
    regels = [KOP, f"{w.leerling_a.leerlingnummer};03/12/2026;nm;attest"]
    antwoord = _uploaden(beheerder, w, csv_bestand(regels, naam="afw.csv"), soort="afwezigheden")
    opdracht = Importopdracht.objects.get()
    assert antwoord["Location"] == reverse("invoer:koppelen", args=[opdracht.pk])
    # The template's headers are recognised: the mapping is confirmed as is.
    with django_capture_on_commit_callbacks(execute=True):
        beheerder.post(antwoord["Location"], opdracht.koppeling)
    pagina = beheerder.get(reverse("invoer:opdracht", args=[opdracht.pk])).content.decode()
    assert 'data-status="gecontroleerd"' in pagina
    assert 'data-testid="totaal-nieuw">1<' in pagina
    with django_capture_on_commit_callbacks(execute=True):
        beheerder.post(reverse("invoer:bevestigen", args=[opdracht.pk]))
    a = Afwezigheid.objects.get()
    assert (a.leerling, a.dagdeel, a.code) == (w.leerling_a, "nm", AfwezigheidCode.ATTEST)


def test_in_september_an_import_completing_june_counts_for_last_year_and_tells_nobody(
    wereld, django_capture_on_commit_callbacks
):
    w = wereld
    w.school.afwezigheid_drempel = 3
    w.school.save()
    nummer = w.leerling_a.leerlingnummer
    # 1 September 2027: the administrator has not made 2027-2028 current
    # yet, so the import's school year is the one that ended yesterday.
    with time_machine.travel(lokaal(2027, 9, 1, 9), tick=False):
        opdracht = _opdracht(
            w,
            [
                f"{nummer};28/06/2027;vm;ongewettigd",
                f"{nummer};28/06/2027;nm;ongewettigd",
                f"{nummer};29/06/2027;vm;problematisch",
            ],
        )
        opdracht = _invoeren(
            _controleren(opdracht, django_capture_on_commit_callbacks),
            django_capture_on_commit_callbacks,
        )
        assert opdracht.status == Status.KLAAR, opdracht.reden
        drempel = Afwezigheidsdrempel.objects.get()
        assert (str(drempel.schooljaar), drempel.aantal, drempel.achteraf) == (
            "2026-09-01",
            3,
            True,
        )
        assert not Melding.objects.exists()
        # A second file puts an attest on one of them: last year's record is withdrawn.
        correctie = _opdracht(w, [f"{nummer};28/06/2027;nm;attest"])
        _invoeren(
            _controleren(correctie, django_capture_on_commit_callbacks),
            django_capture_on_commit_callbacks,
        )
        drempel.refresh_from_db()
        assert drempel.ingetrokken_op is not None
        assert not Melding.objects.exists()
