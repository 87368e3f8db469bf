"""The import pages through the client: upload, mapping, preview,
confirm; bad files; double submits; the history's query bound."""

import io
import re

import pytest
from django.urls import reverse

from leerlingen.models import Leerling
from tests import factories as f
from zorg.invoer.models import Importopdracht

from .conftest import KOP, csv_bestand, xlsx_bestand

Status = Importopdracht.Status


def _sleutel(html: str) -> str:
    return re.search(r'name="sleutel" value="([0-9a-f-]{36})"', html)[1]


def _uploaden(client, wereld, bestand, soort="leerlingen", volledig=False, sleutel=None):
    url = reverse("invoer:school", args=[wereld.school.pk])
    sleutel = sleutel or _sleutel(client.get(url).content.decode())
    gegevens = {"soort": soort, "bestand": bestand, "sleutel": sleutel}
    if volledig:
        gegevens["volledig"] = "on"
    return client.post(url, gegevens)


@pytest.fixture
def beheerder(wereld, client_voor):
    return client_voor(wereld.users["beheerder"])


def test_the_administrator_uploads_maps_checks_and_confirms(
    wereld, beheerder, django_capture_on_commit_callbacks
):
    rijen = [
        "Stamnummer;Naam;Voornaam;Geboren op;Klas",
        "9001;Claes;Emma;14/03/2012;3A",
    ]
    antwoord = _uploaden(beheerder, wereld, csv_bestand(rijen, tekenset="cp1252"))
    opdracht = Importopdracht.objects.get()
    assert antwoord.status_code == 302
    assert antwoord["Location"] == reverse("invoer:koppelen", args=[opdracht.pk])
    # "Geboren op" is no known header: the user picks its column.
    pagina = beheerder.get(antwoord["Location"])
    assert pagina.status_code == 200
    assert opdracht.koppeling == {"leerlingnummer": 0, "achternaam": 1, "voornaam": 2, "klas": 4}
    koppeling = {"leerlingnummer": 0, "achternaam": 1, "voornaam": 2, "klas": 4}
    antwoord = beheerder.post(antwoord["Location"], koppeling)
    assert antwoord.status_code == 200
    assert "Kies de kolom met dit gegeven." in antwoord.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        antwoord = beheerder.post(
            reverse("invoer:koppelen", args=[opdracht.pk]), koppeling | {"geboortedatum": 3}
        )
    assert antwoord["Location"] == reverse("invoer:opdracht", args=[opdracht.pk])
    pagina = beheerder.get(antwoord["Location"]).content.decode()
    assert 'data-status="gecontroleerd"' in pagina
    assert 'data-testid="totaal-nieuw">1<' in pagina and "Emma Claes" in pagina
    assert not Leerling.objects.filter(leerlingnummer="9001").exists()
    with django_capture_on_commit_callbacks(execute=True):
        antwoord = beheerder.post(reverse("invoer:bevestigen", args=[opdracht.pk]))
    pagina = beheerder.get(antwoord["Location"]).content.decode()
    assert 'data-status="klaar"' in pagina
    assert Leerling.objects.get(school=wereld.school, leerlingnummer="9001").voornaam == "Emma"
    # A second confirm (another tab, a double click) imports nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        antwoord = beheerder.post(reverse("invoer:bevestigen", args=[opdracht.pk]), follow=True)
    assert "hij loopt maar één keer" in antwoord.content.decode()
    assert Leerling.objects.filter(leerlingnummer="9001").count() == 1


def test_one_column_cannot_serve_two_fields(wereld, beheerder):
    _uploaden(beheerder, wereld, csv_bestand([KOP, "1;Emma;Claes;14/03/2012;3A;;;;"]))
    opdracht = Importopdracht.objects.get()
    antwoord = beheerder.post(
        reverse("invoer:koppelen", args=[opdracht.pk]),
        {"leerlingnummer": 0, "voornaam": 0, "achternaam": 2, "geboortedatum": 3, "klas": 4},
    )
    assert antwoord.status_code == 200
    assert "Deze kolom is al gekozen voor leerlingnummer" in antwoord.content.decode()
    opdracht.refresh_from_db()
    assert opdracht.status == Status.KOPPELEN


def _xlsx_zonder_werkblad_inhoud() -> bytes:
    import zipfile

    uit = io.BytesIO()
    with zipfile.ZipFile(uit, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    return uit.getvalue()


SLECHTE_BESTANDEN = {
    "leeg": (b"", "x.csv", "leeg"),
    "oud-xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "x.xls", "oude formaat"),
    "tekst-als-xlsx": (b"a;b\n1;2\n", "x.xlsx", "geen Excel-werkmap"),
    "zip-zonder-werkblad": (_xlsx_zonder_werkblad_inhoud(), "x.xlsx", "beschadigd"),
    "pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "x.pdf", "alleen CSV"),
    "afbeelding-als-csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.csv", "geen tekstbestand"),
    "onleesbare-tekens": (b"a;b\n1;\x81\x8d\x8f\x90\x9d\n", "x.csv", "niet te lezen"),
    "alleen-lege-regels": (b"\r\n;;;\r\n\r\n", "x.csv", "geen kolomkoppen"),
    "lege-werkmap": (xlsx_bestand([]).read(), "x.xlsx", "geen kolomkoppen"),
    "utf16-zonder-bom": ("a;b\n".encode("utf-16-le"), "x.csv", "geen tekstbestand"),
}


@pytest.mark.parametrize("geval", SLECHTE_BESTANDEN)
def test_a_bad_file_gets_a_clear_message_and_no_500(wereld, beheerder, geval):
    inhoud, naam, bericht = SLECHTE_BESTANDEN[geval]
    from django.core.files.uploadedfile import SimpleUploadedFile

    antwoord = _uploaden(beheerder, wereld, SimpleUploadedFile(naam, inhoud))
    assert antwoord.status_code == 200
    assert bericht in antwoord.content.decode()
    assert not Importopdracht.objects.exists()


def test_bad_rows_show_in_the_preview_and_block_the_confirm(
    wereld, beheerder, django_capture_on_commit_callbacks
):
    rijen = [KOP, "1;Emma;Claes;14/03/2012;3A;;;;", "1;Jonas;Maes;99/99/2012;7Q;;;;", ";;;;;;;;"]
    _uploaden(beheerder, wereld, csv_bestand(rijen, bom=True))
    opdracht = Importopdracht.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        beheerder.post(reverse("invoer:koppelen", args=[opdracht.pk]), opdracht.koppeling)
    pagina = beheerder.get(reverse("invoer:opdracht", args=[opdracht.pk]) + "?toon=fout")
    html = pagina.content.decode()
    assert "Leerlingnummer 1 staat ook op rij 2." in html
    assert "Klas 7Q bestaat niet" in html
    assert "Import bevestigen" not in html
    antwoord = beheerder.post(reverse("invoer:bevestigen", args=[opdracht.pk]), follow=True)
    assert "rijen met fouten" in antwoord.content.decode()
    opdracht.refresh_from_db()
    assert opdracht.status == Status.GECONTROLEERD


def test_a_double_submitted_upload_makes_one_import(wereld, beheerder):
    url = reverse("invoer:school", args=[wereld.school.pk])
    sleutel = _sleutel(beheerder.get(url).content.decode())
    for _ in range(2):
        antwoord = _uploaden(
            beheerder, wereld, xlsx_bestand([["leerlingnummer"], [1]]), sleutel=sleutel
        )
        assert antwoord.status_code == 302
    assert Importopdracht.objects.count() == 1


def test_the_status_part_answers_htmx_alone(wereld, client_voor):
    opdracht = Importopdracht.objects.create(
        school=wereld.school,
        door=wereld.users["beheerder"],
        soort="leerlingen",
        bestandsnaam="x.csv",
        formaat="csv",
        status=Status.CONTROLE,
    )
    client = client_voor(wereld.users["directie"])
    antwoord = client.get(reverse("invoer:opdracht", args=[opdracht.pk]), HTTP_HX_REQUEST="true")
    html = antwoord.content.decode()
    assert html.lstrip().startswith('<div id="import-status"') and "hx-get" in html
    assert "<nav" not in html


def test_the_templates_hold_the_documented_columns(wereld, beheerder):
    antwoord = beheerder.get(reverse("invoer:sjabloon", args=["leerlingen", "csv"]))
    tekst = antwoord.content.decode()
    assert tekst.startswith("\ufeffleerlingnummer;voornaam;achternaam;geboortedatum;klas;")
    assert "ouder2_contactpersoon" in tekst
    from openpyxl import load_workbook

    antwoord = beheerder.get(reverse("invoer:sjabloon", args=["personeel", "xlsx"]))
    blad = load_workbook(io.BytesIO(antwoord.content), read_only=True).worksheets[0]
    assert next(blad.iter_rows(values_only=True)) == ("email", "voornaam", "achternaam", "rol")
    assert beheerder.get(reverse("invoer:sjabloon", args=["geheim", "csv"])).status_code == 404


def _geschiedenis(wereld, aantal):
    for i in range(aantal):
        Importopdracht.objects.create(
            school=wereld.school,
            door=f.UserFactory(),
            soort="leerlingen",
            bestandsnaam=f"lijst-{i}.csv",
            formaat="csv",
            status=Status.KLAAR,
            totalen={"nieuw": i, "gewijzigd": 0, "ongewijzigd": 0, "fout": 0},
            regels=[{"rij": 2, "uitkomst": "nieuw"}] * 50,
        )


@pytest.mark.parametrize("aantal", [2, 20])
def test_the_history_runs_a_fixed_number_of_queries(
    wereld, client_voor, django_assert_max_num_queries, aantal
):
    # Guards the N+1 of each import's uploader (select_related("door")),
    # and keeps each import's dry-run rows out of the list (deferred).
    _geschiedenis(wereld, aantal)
    client = client_voor(wereld.users["directie"])
    url = reverse("invoer:school", args=[wereld.school.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        antwoord = client.get(url)
    assert antwoord.status_code == 200
    assert antwoord.content.decode().count("lijst-") == aantal


def test_the_director_reads_the_history_but_cannot_import(wereld, client_voor):
    _geschiedenis(wereld, 1)
    client = client_voor(wereld.users["directie"])
    html = client.get(reverse("invoer:school", args=[wereld.school.pk])).content.decode()
    assert "lijst-0.csv" in html
    assert 'data-testid="upload"' not in html


def test_an_import_of_another_school_is_a_404(wereld, client_voor):
    opdracht = Importopdracht.objects.create(
        school=wereld.school2,
        door=wereld.users["buitenstaander"],
        soort="leerlingen",
        bestandsnaam="x.csv",
        formaat="csv",
    )
    client = client_voor(wereld.users["beheerder"])
    for naam in ("invoer:opdracht", "invoer:koppelen"):
        assert client.get(reverse(naam, args=[opdracht.pk])).status_code == 404
    assert client.post(reverse("invoer:bevestigen", args=[opdracht.pk])).status_code == 404
    assert client.get(reverse("invoer:school", args=[wereld.school2.pk])).status_code == 404


def test_polling_a_running_import_does_not_read_its_preview_rows(
    wereld, client_voor, django_assert_max_num_queries
):
    opdracht = Importopdracht.objects.create(
        school=wereld.school,
        door=wereld.users["beheerder"],
        soort="leerlingen",
        bestandsnaam="x.csv",
        formaat="csv",
        status=Status.BEZIG,
        totalen={"nieuw": 3, "gewijzigd": 0, "ongewijzigd": 0, "fout": 0},
        regels=[{"rij": 2, "uitkomst": "nieuw", "sleutel": "1", "naam": "Emma Claes"}],
    )
    client = client_voor(wereld.users["beheerder"])
    url = reverse("invoer:opdracht", args=[opdracht.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "0 van 3 rijen verwerkt." in html
    assert not any('"regels"' in q["sql"] for q in queries.captured_queries)


def test_the_import_page_hands_its_template_evaluated_data(wereld, client_voor, template_queries):
    from tests.invoer.matrix_rijen import _opdracht

    opdracht_id = _opdracht(wereld)
    client = client_voor(wereld.users["directie"])
    antwoord = client.get(reverse("invoer:opdracht", kwargs=opdracht_id))
    assert antwoord.status_code == 200 and "Emma Claes" in antwoord.content.decode()
    client.get(reverse("invoer:school", args=[wereld.school.pk]))
    assert template_queries == []


def test_the_upload_offers_the_current_and_a_prepared_year_and_refuses_another(wereld, beheerder):
    import datetime

    from zorg.accounts.models import Schooljaar
    from zorg.invoer.models import Importopdracht

    volgend = Schooljaar.objects.create(
        school=wereld.school,
        naam="2027-2028",
        begin=datetime.date(2027, 9, 1),
        einde=datetime.date(2028, 8, 31),
    )
    url = reverse("invoer:school", args=[wereld.school.pk])
    html = beheerder.get(url).content.decode()
    assert f'<option value="{wereld.schooljaar.pk}" selected>' in html
    assert f'<option value="{volgend.pk}">' in html
    assert f'value="{wereld.vorig_schooljaar.pk}"' not in html
    antwoord = beheerder.post(
        url,
        {
            "soort": "leerlingen",
            "bestand": csv_bestand([KOP, "9001;Emma;Claes;14/03/2012;3A;;;;"]),
            "sleutel": _sleutel(html),
            "schooljaar": wereld.vorig_schooljaar.pk,
        },
    )
    assert antwoord.status_code == 200
    assert "Selecteer een geldige keuze" in antwoord.content.decode()
    assert not Importopdracht.objects.exists()
    antwoord = _uploaden(beheerder, wereld, csv_bestand([KOP]), sleutel=None)
    opdracht = Importopdracht.objects.get()
    # Not chosen: the current year, kept with the import.
    assert antwoord.status_code == 302 and opdracht.schooljaar == wereld.schooljaar
