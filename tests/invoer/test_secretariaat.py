"""The secretariat imports absences (issue 17) and nothing else: it is
offered the absence import alone, imports an absence file through the
pages (dry run, confirm, the threshold checked as for the administrator),
sees only absence imports in the history and learns nothing of care
through them. The world lives on Friday 4 December 2026."""

import pytest
from django.urls import reverse

from leerlingen.models import Afwezigheid, AfwezigheidCode, Afwezigheidsdrempel, Dagdeel
from tests import factories as f
from zorg.invoer.models import Importopdracht
from zorg.meldingen.models import Melding

from .conftest import csv_bestand
from .test_views import _sleutel, _uploaden

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")
Status = Importopdracht.Status
KOP = "leerlingnummer;datum;dagdeel;code"
ONGELDIGE_SOORT = "Dit soort gegevens mag je hier niet invoeren."


@pytest.fixture
def secretariaat(wereld, client_voor):
    return client_voor(wereld.users["secretariaat"])


def _importopdracht(wereld, soort, naam, status=Status.KLAAR):
    return Importopdracht.objects.create(
        school=wereld.school,
        door=wereld.users["beheerder"],
        soort=soort,
        bestandsnaam=naam,
        formaat="csv",
        status=status,
        totalen={"nieuw": 1, "gewijzigd": 0, "ongewijzigd": 0, "fout": 0},
    )


def _soorten_in_form(html: str) -> list[str]:
    import re

    keuzelijst = re.search(r'<select name="soort".*?</select>', html, re.S)[0]
    return re.findall(r'<option value="([a-z]+)"', keuzelijst)


def test_the_secretariat_imports_absences_and_the_threshold_is_checked(
    wereld, secretariaat, django_capture_on_commit_callbacks
):
    w = wereld
    w.school.afwezigheid_drempel = 2
    w.school.save()
    nummer = w.leerling_a.leerlingnummer
    regels = [KOP, f"{nummer};02/12/2026;vm;ongewettigd", f"{nummer};03/12/2026;nm;problematisch"]
    antwoord = _uploaden(
        secretariaat, w, csv_bestand(regels, naam="afwezig.csv"), soort="afwezigheden"
    )
    opdracht = Importopdracht.objects.get()
    assert antwoord["Location"] == reverse("invoer:koppelen", args=[opdracht.pk])
    assert secretariaat.get(antwoord["Location"]).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        antwoord = secretariaat.post(antwoord["Location"], opdracht.koppeling)
    assert antwoord["Location"] == reverse("invoer:opdracht", args=[opdracht.pk])
    proef = secretariaat.get(antwoord["Location"]).content.decode()
    assert 'data-status="gecontroleerd"' in proef
    assert 'data-testid="totaal-nieuw">2<' in proef and "Lotte Peeters" in proef
    assert f"{nummer} · 02/12/2026 · vm" in proef
    assert not Afwezigheid.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        antwoord = secretariaat.post(reverse("invoer:bevestigen", args=[opdracht.pk]))
    uitkomst = secretariaat.get(antwoord["Location"]).content.decode()
    assert 'data-status="klaar"' in uitkomst
    assert set(
        Afwezigheid.objects.values_list("leerling", "dagdeel", "code", "geregistreerd_door")
    ) == {
        (w.leerling_a.pk, Dagdeel.VOORMIDDAG, AfwezigheidCode.ONGEWETTIGD, w.secretariaat.pk),
        (w.leerling_a.pk, Dagdeel.NAMIDDAG, AfwezigheidCode.PROBLEMATISCH, w.secretariaat.pk),
    }
    # The threshold, as after the administrator's import: the care
    # coordinator hears of it; the secretariat neither hears nor reads it
    # (care content) on the import's pages.
    drempel = Afwezigheidsdrempel.objects.get()
    assert (drempel.leerling, drempel.aantal) == (w.leerling_a, 2)
    assert Melding.objects.filter(ontvanger=w.zorgcoordinator).count() == 1
    assert not Melding.objects.filter(ontvanger=w.secretariaat).exists()
    for pagina in (proef, uitkomst):
        assert "drempel" not in pagina.lower()
        assert "zorgco" not in pagina.lower()


def test_the_import_pages_show_no_note_of_an_absence(
    wereld, secretariaat, django_capture_on_commit_callbacks
):
    # The note is the secretariat's administrative data (which attest, who
    # called: leerlingen.models.Afwezigheid.notitie), kept on the student's
    # absence list. The import's layout has no note: a changed code leaves
    # the note as it was, and a note column in the file is not read.
    w = wereld
    nummer = w.leerling_a.leerlingnummer
    bestaand = Afwezigheid.objects.create(
        leerling=w.leerling_a,
        datum="2026-12-01",
        dagdeel=Dagdeel.VOORMIDDAG,
        code=AfwezigheidCode.OUDERS,
        notitie="Moeder belde om 8u.",
        geregistreerd_door=w.secretariaat,
    )
    regels = [
        f"{KOP};notitie",
        f"{nummer};01/12/2026;vm;attest;Attest huisarts",
        f"{nummer};02/12/2026;nm;attest;Attest tandarts",
    ]
    _uploaden(secretariaat, w, csv_bestand(regels, naam="afw.csv"), soort="afwezigheden")
    opdracht = Importopdracht.objects.get()
    assert "notitie" not in opdracht.koppeling
    with django_capture_on_commit_callbacks(execute=True):
        secretariaat.post(reverse("invoer:koppelen", args=[opdracht.pk]), opdracht.koppeling)
    url = reverse("invoer:opdracht", args=[opdracht.pk])
    proef = secretariaat.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        secretariaat.post(reverse("invoer:bevestigen", args=[opdracht.pk]))
    uitkomst = secretariaat.get(url).content.decode()
    for pagina in (proef, uitkomst):
        assert "Attest huisarts" not in pagina and "Moeder belde" not in pagina
    bestaand.refresh_from_db()
    assert (bestaand.code, bestaand.notitie) == (AfwezigheidCode.ATTEST, "Moeder belde om 8u.")
    assert Afwezigheid.objects.get(datum="2026-12-02").notitie == ""


def test_the_secretariat_is_offered_the_absence_import_alone(wereld, secretariaat, client_voor):
    url = reverse("invoer:school", args=[wereld.school.pk])
    html = secretariaat.get(url).content.decode()
    assert _soorten_in_form(html) == ["afwezigheden"]
    # The full students' list is not theirs to import: no such choice.
    assert 'name="volledig"' not in html
    assert 'data-testid="sjabloon-afwezigheden-csv"' in html
    assert 'data-testid="sjabloon-leerlingen-csv"' not in html
    assert (
        secretariaat.get(reverse("invoer:sjabloon", args=["afwezigheden", "csv"])).status_code
        == 200
    )
    assert (
        secretariaat.get(reverse("invoer:sjabloon", args=["leerlingen", "csv"])).status_code == 404
    )
    # The administrator's form is unchanged: every kind, the full list too.
    html = client_voor(wereld.users["beheerder"]).get(url).content.decode()
    assert _soorten_in_form(html) == [
        "leerlingen",
        "klassen",
        "personeel",
        "lesopdrachten",
        "afwezigheden",
    ]
    assert 'name="volledig"' in html


@pytest.mark.parametrize("soort", ["leerlingen", "klassen", "personeel", "geheim"])
def test_a_posted_other_kind_is_refused_with_a_dutch_message(wereld, secretariaat, soort):
    regels = ["leerlingnummer;voornaam;achternaam;geboortedatum;klas", "9001;Emma;Claes;;3A"]
    antwoord = _uploaden(secretariaat, wereld, csv_bestand(regels), soort=soort)
    assert antwoord.status_code == 200
    assert ONGELDIGE_SOORT in antwoord.content.decode()
    assert not Importopdracht.objects.exists()


def test_the_secretariat_cannot_map_confirm_or_read_a_students_import(wereld, secretariaat):
    leerlingen = _importopdracht(wereld, "leerlingen", "lijst.csv", Status.GECONTROLEERD)
    leerlingen.bestand = "x.csv"
    leerlingen.save()
    assert secretariaat.get(reverse("invoer:opdracht", args=[leerlingen.pk])).status_code == 404
    for naam in ("invoer:koppelen", "invoer:bevestigen"):
        assert secretariaat.post(reverse(naam, args=[leerlingen.pk])).status_code == 404
    assert secretariaat.get(reverse("invoer:koppelen", args=[leerlingen.pk])).status_code == 404
    leerlingen.refresh_from_db()
    assert leerlingen.status == Status.GECONTROLEERD and leerlingen.bevestigd_op is None


def test_the_secretariat_sees_only_absence_imports_in_the_history(
    wereld, secretariaat, client_voor
):
    afwezig = _importopdracht(wereld, "afwezigheden", "afwezig-december.csv")
    _importopdracht(wereld, "leerlingen", "leerlingen-lijst.csv")
    _importopdracht(wereld, "personeel", "personeel-lijst.csv")
    url = reverse("invoer:school", args=[wereld.school.pk])
    html = secretariaat.get(url).content.decode()
    assert "afwezig-december.csv" in html
    assert "leerlingen-lijst.csv" not in html and "personeel-lijst.csv" not in html
    assert secretariaat.get(reverse("invoer:opdracht", args=[afwezig.pk])).status_code == 200
    # The director reads every kind, as before.
    html = client_voor(wereld.users["directie"]).get(url).content.decode()
    assert all(n in html for n in ("afwezig-december", "leerlingen-lijst", "personeel-lijst"))


@pytest.mark.parametrize("aantal", [5, 30])
def test_the_secretariats_history_runs_a_fixed_number_of_queries(
    wereld, secretariaat, django_assert_max_num_queries, aantal
):
    # Guards the N+1 of each import's uploader (select_related("door")) in
    # the history filtered per kind, whatever the number of imports.
    for i in range(aantal):
        Importopdracht.objects.create(
            school=wereld.school,
            door=f.UserFactory(),
            soort="afwezigheden" if i % 2 else "leerlingen",
            bestandsnaam=f"bestand-{i}.csv",
            formaat="csv",
            status=Status.KLAAR,
        )
    url = reverse("invoer:school", args=[wereld.school.pk])
    secretariaat.get(url)
    with django_assert_max_num_queries(12):
        antwoord = secretariaat.get(url)
    assert antwoord.content.decode().count("bestand-") == aantal // 2


def test_the_menu_offers_the_import_to_the_secretariat_and_not_to_a_teacher(
    wereld, secretariaat, client_voor
):
    start = reverse("invoer:start")
    html = secretariaat.get(reverse("meldingen:melding_lijst")).content.decode()
    assert f'href="{start}"' in html
    assert secretariaat.get(start)["Location"] == reverse("invoer:school", args=[wereld.school.pk])
    leerkracht = client_voor(wereld.users["leerkracht"])
    assert (
        f'href="{start}"' not in leerkracht.get(reverse("meldingen:melding_lijst")).content.decode()
    )
    assert leerkracht.get(start).status_code == 404


def test_the_class_day_page_links_to_the_absence_import_when_the_policy_allows(
    wereld, secretariaat, monkeypatch
):
    from zorg.accounts.models import Rol
    from zorg.invoer import policies
    from zorg.invoer.models import Soort

    dag = reverse("leerlingen:afwezigheden_dag")
    link = f'href="{reverse("invoer:start")}" data-testid="afwezigheden-importeren"'
    assert link in secretariaat.get(dag).content.decode()
    # Were the absence import the administrator's alone, the secretariat's
    # page would show no link it cannot follow.
    monkeypatch.setitem(
        policies.RECHTEN,
        Soort.AFWEZIGHEDEN,
        policies.Rechten(
            invoerders=frozenset({Rol.BEHEERDER}),
            lezers=frozenset({Rol.BEHEERDER, Rol.DIRECTIE}),
        ),
    )
    html = secretariaat.get(dag).content.decode()
    assert 'data-testid="klasdag"' not in html and "Afwezigheden registreren" in html
    assert "afwezigheden-importeren" not in html


def test_a_posted_upload_is_not_saved_twice_for_the_secretariat(wereld, secretariaat):
    url = reverse("invoer:school", args=[wereld.school.pk])
    sleutel = _sleutel(secretariaat.get(url).content.decode())
    regels = [KOP, f"{wereld.leerling_a.leerlingnummer};03/12/2026;vm;attest"]
    for _ in range(2):
        antwoord = _uploaden(
            secretariaat,
            wereld,
            csv_bestand(regels, naam="afw.csv"),
            soort="afwezigheden",
            sleutel=sleutel,
        )
        assert antwoord.status_code == 302
    assert Importopdracht.objects.count() == 1
