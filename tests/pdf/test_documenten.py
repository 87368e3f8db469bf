"""The documents of issue 13 beyond the first: the measures of all of a
teacher's classes, the minutes of a meeting and the CLB's trajectory
report. Each PDF's text is read back: what the reader may see is in it,
what they may not see is not (another class's students, another reader's
agenda items, the CLB's own layer), and every page has its footer. Every
registered kind answers 404 to whoever may not see its object."""

import datetime
import html
import re

import pytest
from django.urls import resolve, reverse

from clb.models import Trajectnotitie
from klassenraad.models import Beslissing, BeslissingSoort, OverlegSoort
from klassenraad.services import overleggen as overleg_services
from leerlingen.services.ouderbrieven import ouderbrief_maken
from tests import factories as f
from tests.clb import factories as c
from tests.clb.lagen import GEHEIM, SCHOOLROLLEN, clb_dossier
from tests.klassenraad.factories import actiepunt, agendapunt, overleg
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.overdracht.hulp import vrijgegeven
from tests.pdf.conftest import downloaden, pdf_tekst
from zorg.pdf.models import PdfOpdracht
from zorg.pdf.soorten import documentsoorten

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _na_commit(django_capture_on_commit_callbacks):
    """What runs after a commit (the queued task, in-process here) runs."""
    global _vastleggen
    _vastleggen = django_capture_on_commit_callbacks


def _aanvragen(client, soort, object_id):
    """Ask for a PDF; the job is made at once, as the embedded mode does."""
    with _vastleggen(execute=True):
        return client.post(reverse("pdf:aanvragen", args=[soort, object_id]))


def _paginas(client, soort, object_id) -> list[str]:
    """The text of each page of the PDF `client`'s user asks for, with the
    spaces of the PDF's line breaks made plain."""
    antwoord = _aanvragen(client, soort, object_id)
    assert antwoord.status_code == 302, antwoord.status_code
    opdracht = PdfOpdracht.objects.get(pk=resolve(antwoord.url).kwargs["pk"])
    assert opdracht.status == PdfOpdracht.Status.KLAAR, opdracht.reden
    return [" ".join(pagina.split()) for pagina in pdf_tekst(downloaden(client, opdracht))]


def _met_voet(paginas: list[str]) -> None:
    for nummer, pagina in enumerate(paginas, 1):
        assert f"pagina {nummer} van {len(paginas)}" in pagina, nummer
        assert "VERTROUWELIJK" in pagina.upper(), nummer


def _pagina_met(paginas: list[str], tekst: str) -> int:
    (nummer,) = [n for n, pagina in enumerate(paginas) if tekst in pagina]
    return nummer


def _tekst(response) -> str:
    """A page's visible text, its markup and spaces as the PDF has them."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# --- the measures of all of a teacher's classes ------------------------------------------


@pytest.fixture
def maatregelen(wereld):
    w = wereld
    MaatregelFactory(leerling=w.leerling_a, titel="Extra tijd bij toetsen")
    MaatregelFactory(leerling=w.leerling_b, titel="Voorleessoftware")
    klas_c = f.KlasFactory(schooljaar=w.schooljaar, naam="4C", leerjaar=4)
    leerling_c = f.leerling_in(klas_c, voornaam="Emma", achternaam="Bosmans")
    MaatregelFactory(leerling=leerling_c, titel="Rekenmachine toegestaan")
    MaatregelFactory(leerling=w.leerling_x, titel="Koptelefoon in de klas")
    return w


def test_a_teacher_of_two_classes_gets_both_each_from_a_new_page(maatregelen, client):
    w = maatregelen
    f.LesopdrachtFactory(leerkracht=w.leerkracht, klas=w.klas_b)
    client.force_login(w.leerkracht)
    paginas = _paginas(client, "mijn-klassen-maatregelen", w.school.pk)
    tekst = "\n".join(paginas)
    assert "Maatregelen in mijn klassen" in tekst
    assert "Peeters, Lotte" in tekst and "Extra tijd bij toetsen" in tekst
    assert "Janssens, Noah" in tekst and "Voorleessoftware" in tekst
    # 3B starts a page of its own.
    assert _pagina_met(paginas, "Janssens, Noah") > _pagina_met(paginas, "Peeters, Lotte")
    # Not a class they do not teach, nor another school's.
    for ander in ("Bosmans", "Rekenmachine", "4C", "Koptelefoon", "Mila"):
        assert ander not in tekst, ander
    _met_voet(paginas)


def test_a_teacher_of_one_class_does_not_see_the_other_classes(maatregelen, client):
    w = maatregelen
    for wie in ("leerkracht", "titularis"):
        client.force_login(w.users[wie])
        tekst = "\n".join(_paginas(client, "mijn-klassen-maatregelen", w.school.pk))
        assert "Peeters, Lotte" in tekst and "Extra tijd bij toetsen" in tekst, wie
        for ander in ("Janssens", "Voorleessoftware", "Bosmans", "Rekenmachine", "Mila"):
            assert ander not in tekst, (wie, ander)


@pytest.mark.parametrize(
    "wie",
    ["zorgcoordinator", "directie", "secretariaat", "beheerder", "clb", "buitenstaander"],
)
def test_who_teaches_no_class_in_the_school_gets_404(maatregelen, client, wie):
    client.force_login(maatregelen.users[wie])
    assert _aanvragen(client, "mijn-klassen-maatregelen", maatregelen.school.pk).status_code == 404
    assert not PdfOpdracht.objects.exists()


def test_a_teacher_gets_404_for_another_school_and_for_last_years_classes(maatregelen, client):
    w = maatregelen
    client.force_login(w.leerkracht)
    assert _aanvragen(client, "mijn-klassen-maatregelen", w.school2.pk).status_code == 404
    vorig = f.KlasFactory(schooljaar=w.vorig_schooljaar, naam="2A")
    f.LesopdrachtFactory(leerkracht=w.leerkracht_b, klas=vorig)
    w.leerkracht_b.lesopdrachten.exclude(klas=vorig).delete()
    client.force_login(w.leerkracht_b)
    assert _aanvragen(client, "mijn-klassen-maatregelen", w.school.pk).status_code == 404


def test_the_start_page_offers_the_pdf_to_teachers_only(maatregelen, client):
    w = maatregelen
    knop = 'data-testid="pdf-mijn-klassen-maatregelen"'
    url = reverse("pdf:aanvragen", args=["mijn-klassen-maatregelen", w.school.pk])
    for wie in ("leerkracht", "titularis", "leerkracht_b"):
        client.force_login(w.users[wie])
        pagina = client.get(reverse("start")).content.decode()
        assert knop in pagina and url in pagina, wie
    for wie in ("zorgcoordinator", "secretariaat", "clb", "buitenstaander"):
        client.force_login(w.users[wie])
        assert knop not in client.get(reverse("start")).content.decode(), wie


# --- the minutes -------------------------------------------------------------------------


@pytest.fixture
def raad(wereld):
    """A guiding class council of 3A, closed, that also discussed Noah (3B):
    his item is not for 3A's teachers."""
    w = wereld
    o = overleg(w, OverlegSoort.BEGELEIDEND, klas=w.klas_a, notulen="Klas draait goed.")
    o.deelnemers.add(w.leerkracht, w.zorgcoordinator)
    agendapunt(o, w.leerling_a, notities="Lotte: meer uitdaging geven")
    punt_b = agendapunt(o, w.leerling_b, notities="Noah: thuissituatie moeilijk")
    Beslissing.objects.create(
        agendapunt=punt_b, soort=BeslissingSoort.AFSPRAAK, tekst="Noah naar de cel", door=w.directie
    )
    actiepunt(o, w.leerling_a, w.zorgcoordinator, omschrijving="Lotte: ouders bellen", dagen=7)
    actiepunt(o, w.leerling_b, w.leerkracht, omschrijving="Noah opvolgen")
    o.refresh_from_db()
    o = overleg_services.overleg_afsluiten(overleg=o, versie=o.versie, door=w.zorgcoordinator)
    overleg_services.aanvulling_toevoegen(
        overleg=o, tekst="Noah: correctie", agendapunt=punt_b, door=w.zorgcoordinator
    )
    overleg_services.aanvulling_toevoegen(
        overleg=o, tekst="Volgende keer vroeger", door=w.zorgcoordinator
    )
    return o


MERKERS = [
    "Klas draait goed.",
    "Lotte Peeters",
    "Lotte: meer uitdaging geven",
    "Lotte: ouders bellen",
    "Volgende keer vroeger",
    "Noah Janssens",
    "Noah: thuissituatie moeilijk",
    "Noah naar de cel",
    "Noah opvolgen",
    "Noah: correctie",
]


def test_each_readers_minutes_pdf_shows_what_their_printable_page_shows(wereld, raad, client):
    w = wereld
    gezien = {}
    for wie in ("leerkracht", "titularis", "zorgcoordinator", "directie"):
        client.force_login(w.users[wie])
        pagina = _tekst(client.get(reverse("klassenraad:overleg_verslag", args=[raad.pk])))
        paginas = _paginas(client, "notulen", raad.pk)
        _met_voet(paginas)
        tekst = "\n".join(paginas)
        gezien[wie] = {m for m in MERKERS if m in tekst}
        assert gezien[wie] == {m for m in MERKERS if m in pagina}, wie
        if wie == "zorgcoordinator":
            # The action item with its owner and due date (d/m/Y).
            item = raad.actiepunten.get(leerling=w.leerling_a)
            assert f"Wie: {item.eigenaar} · Tegen: {item.vervaldatum:%d/%m/%Y}" in tekst
    # Different rights, different PDFs: the teachers do not read Noah's item.
    assert not any(m.startswith("Noah") for m in gezien["leerkracht"] | gezien["titularis"])
    assert gezien["zorgcoordinator"] == gezien["directie"] == set(MERKERS)


def test_who_may_not_see_the_meeting_gets_404_for_its_minutes(wereld, raad, client):
    w = wereld
    cel = overleg(w, OverlegSoort.CEL, notulen="Enkel voor het zorgteam")
    for wie in ("leerkracht_b", "secretariaat", "beheerder", "clb", "clb_ander", "buitenstaander"):
        client.force_login(w.users[wie])
        assert _aanvragen(client, "notulen", raad.pk).status_code == 404, wie
    for wie in ("leerkracht", "titularis", "secretariaat"):
        client.force_login(w.users[wie])
        assert _aanvragen(client, "notulen", cel.pk).status_code == 404, wie
    assert not PdfOpdracht.objects.exists()


def test_the_meeting_page_offers_the_minutes_pdf_beside_the_printable_minutes(wereld, raad, client):
    client.force_login(wereld.leerkracht)
    pagina = client.get(reverse("klassenraad:overleg_detail", args=[raad.pk])).content.decode()
    assert 'data-testid="pdf-notulen"' in pagina
    assert reverse("pdf:aanvragen", args=["notulen", raad.pk]) in pagina


# --- the CLB's trajectory report ---------------------------------------------------------


@pytest.fixture
def dossier(wereld):
    return clb_dossier(wereld)


def _beide_lagen():
    soorten = ["doel", "behoefte", "opvoedingsbehoefte", *Trajectnotitie.Soort.values]
    return [f"{laag}-{soort}" for laag in ("GEDEELD", GEHEIM) for soort in soorten]


def test_clb_staff_get_both_layers_marked_confidential_on_every_page(wereld, dossier, client):
    client.force_login(wereld.users["clb"])
    paginas = _paginas(client, "hgd-traject", dossier["traject"].pk)
    tekst = "\n".join(paginas)
    for stuk in [*_beide_lagen(), "GEDEELD-hulpvraag", "GEDEELD-perspectief"]:
        assert stuk in tekst, stuk
    assert f"{GEHEIM}-deelnemers-overleg" in tekst
    assert "HGD-traject van Lotte Peeters" in tekst
    _met_voet(paginas)
    for pagina in paginas:
        assert "Vertrouwelijk – CLB" in pagina


def test_a_long_report_says_confidential_clb_on_each_of_its_pages(wereld, dossier, client):
    clb = wereld.users["clb"]
    for n in range(40):
        c.notitie(dossier["traject"], clb, tekst=f"Notitie {n}: " + "lang verhaal " * 40)
    client.force_login(clb)
    paginas = _paginas(client, "hgd-traject", dossier["traject"].pk)
    assert len(paginas) >= 3
    _met_voet(paginas)
    for nummer, pagina in enumerate(paginas, 1):
        assert "Vertrouwelijk – CLB" in pagina, nummer


@pytest.mark.parametrize("wie", [*SCHOOLROLLEN, "clb_ander", "buitenstaander"])
def test_nobody_but_the_trajectorys_clb_gets_the_report(wereld, dossier, client, wie):
    client.force_login(wereld.users[wie])
    assert _aanvragen(client, "hgd-traject", dossier["traject"].pk).status_code == 404
    assert not PdfOpdracht.objects.exists()


def test_a_school_user_cannot_reach_the_clbs_report_by_its_job_id(wereld, dossier, client):
    client.force_login(wereld.users["clb"])
    _paginas(client, "hgd-traject", dossier["traject"].pk)
    opdracht = PdfOpdracht.objects.get()
    for wie in SCHOOLROLLEN:
        client.force_login(wereld.users[wie])
        assert client.get(reverse("pdf:opdracht", args=[opdracht.pk])).status_code == 404
        assert client.get(reverse("pdf:downloaden", args=[opdracht.pk])).status_code == 404


def test_the_trajectory_page_offers_the_report(wereld, dossier, client):
    client.force_login(wereld.users["clb"])
    pagina = client.get(reverse("clb:traject_detail", args=[dossier["traject"].pk]))
    assert 'data-testid="pdf-hgd-traject"' in pagina.content.decode()


# --- every kind: no CLB-only text for the school, a 404 for who may not see ------------


def _raad_a(w) -> int:
    return overleg(w, OverlegSoort.BEGELEIDEND, klas=w.klas_a).pk


def _traject(w) -> int:
    return c.traject(w, begeleider=w.users["clb"]).pk


def _overdracht(w) -> int:
    """A released transfer of leerling_a (issue 18)."""
    return vrijgegeven(w).pk


def _ouderbrief(w) -> int:
    return ouderbrief_maken(
        leerling=w.leerling_a, geinformeerd_op=datetime.date.today(), door=w.zorgcoordinator
    ).pk


def _inzage(w) -> int:
    from tests.inzage.hulp import verzoek

    return verzoek(w).pk


# Per registered kind: its object (a pk, built in the test world), one who
# may see it, and everyone who may not. A new kind adds its row here.
TOEGANG = {
    "zorgbeleid": (
        lambda w: w.schooljaar.pk,
        "directie",
        [
            "leerkracht",
            "titularis",
            "secretariaat",
            "beheerder",
            "clb",
            "clb_ander",
            "buitenstaander",
        ],
    ),
    "zorgbeleid-groep": (
        lambda w: w.school.scholengemeenschap_id,
        "groepsdirectie",
        [
            "zorgcoordinator",
            "directie",
            "leerkracht",
            "secretariaat",
            "beheerder",
            "clb",
            "clb_ander",
            "buitenstaander",
        ],
    ),
    "klas-maatregelen": (
        lambda w: w.klas_a.pk,
        "leerkracht",
        ["leerkracht_b", "secretariaat", "beheerder", "clb", "clb_ander", "buitenstaander"],
    ),
    "mijn-klassen-maatregelen": (
        lambda w: w.school.pk,
        "titularis",
        [
            "zorgcoordinator",
            "directie",
            "secretariaat",
            "beheerder",
            "clb",
            "clb_ander",
            "buitenstaander",
        ],
    ),
    "zorgdossier": (
        lambda w: w.leerling_a.pk,
        "leerkracht",
        ["leerkracht_b", "secretariaat", "beheerder", "clb_ander", "buitenstaander"],
    ),
    "notulen": (
        _raad_a,
        "leerkracht",
        ["leerkracht_b", "secretariaat", "beheerder", "clb", "clb_ander", "buitenstaander"],
    ),
    # The care team reads the parent letter; not the class teacher nor a
    # subject teacher (leerlingen.policies.can_view_ouderbrieven).
    "ouderbrief": (
        _ouderbrief,
        "zorgcoordinator",
        [
            "titularis",
            "leerkracht",
            "leerkracht_b",
            "secretariaat",
            "beheerder",
            "clb",
            "clb_ander",
            "buitenstaander",
        ],
    ),
    # Issue 18: the access export is the director's alone (inzage.policies).
    "inzage": (
        _inzage,
        "directie",
        [
            "zorgcoordinator",
            "leerkracht",
            "titularis",
            "secretariaat",
            "beheerder",
            "clb",
            "clb_ander",
            "buitenstaander",
            "groepsdirectie",
        ],
    ),
    # Issue 18: the care coordinator and the director, once released.
    "overdracht": (
        _overdracht,
        "zorgcoordinator",
        [
            "leerkracht",
            "titularis",
            "leerkracht_b",
            "secretariaat",
            "beheerder",
            "clb",
            "clb_ander",
            "buitenstaander",
        ],
    ),
    "hgd-traject": (
        _traject,
        "clb",
        [*SCHOOLROLLEN, "leerkracht_b", "clb_ander", "buitenstaander"],
    ),
}

SOORTEN = sorted(soort.code for soort in documentsoorten())


def test_the_kinds_of_this_issue_are_registered():
    assert set(TOEGANG) <= set(SOORTEN)


@pytest.mark.parametrize("soort", SOORTEN)
def test_who_may_not_see_a_documents_object_gets_404(wereld, client, soort):
    assert soort in TOEGANG, f"PDF kind {soort!r}: add who may and may not see it to TOEGANG"
    maak, lezer, buitenstaanders = TOEGANG[soort]
    object_id = maak(wereld)
    for wie in buitenstaanders:
        client.force_login(wereld.users[wie])
        antwoord = client.post(reverse("pdf:aanvragen", args=[soort, object_id]))
        assert antwoord.status_code == 404, wie
    assert not PdfOpdracht.objects.exists()
    # And the test can fail: the reader who may see it gets a job.
    client.force_login(wereld.users[lezer])
    assert client.post(reverse("pdf:aanvragen", args=[soort, object_id])).status_code == 302


def _objecten(w, d) -> dict[str, int]:
    """For each kind, the object of the CLB file's world a school role may
    ask for: the student's class, the school, the care cell she is on, her
    trajectory."""
    return {
        "klas-maatregelen": w.klas_a.pk,
        "mijn-klassen-maatregelen": w.school.pk,
        "notulen": d["cel"].pk,
        "zorgdossier": w.leerling_a.pk,
        "hgd-traject": d["traject"].pk,
        "zorgbeleid": w.schooljaar.pk,
        "zorgbeleid-groep": w.school.scholengemeenschap_id,
        "ouderbrief": _ouderbrief(w),
        "inzage": _inzage(w),
        "overdracht": _overdracht(w),
    }


def test_no_pdf_shows_a_school_role_the_clbs_own_layer(wereld, dossier, client):
    w = wereld
    MaatregelFactory(leerling=w.leerling_a, titel="Extra tijd bij toetsen")
    objecten = _objecten(w, dossier)
    assert set(objecten) >= set(SOORTEN), "a new PDF kind: add its object to _objecten"
    gemaakt = 0
    for wie in SCHOOLROLLEN:
        client.force_login(w.users[wie])
        for soort, object_id in objecten.items():
            antwoord = _aanvragen(client, soort, object_id)
            if antwoord.status_code == 404:
                continue
            opdracht = PdfOpdracht.objects.get(pk=resolve(antwoord.url).kwargs["pk"])
            assert opdracht.status == PdfOpdracht.Status.KLAAR, (wie, soort, opdracht.reden)
            tekst = "\n".join(pdf_tekst(downloaden(client, opdracht)))
            assert GEHEIM not in tekst, f"{wie}: PDF {soort} shows CLB-only text"
            gemaakt += 1
    # Not an empty walk: the care team's class overviews and cell minutes,
    # the teachers' class overviews (2 x 2 + 2 x 2).
    assert gemaakt >= 8
    # The CLB worker's own report holds the secret layer: the marker is real.
    client.force_login(w.users["clb"])
    assert GEHEIM in "\n".join(_paginas(client, "hgd-traject", dossier["traject"].pk))
