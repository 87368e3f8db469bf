"""The care file (zorgdossier) as a PDF: what its reader sees on the student
page, in full for the period, and nothing more. The tests read back the
text of each PDF and look for the distinctive texts the record was written
with (tests.dossier.INHOUD), and for the CLB's own layer ("GEHEIM") in the
world of tests/clb/test_geen_lek.py."""

import datetime
import html

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerlingen import domeinen
from leerlingen.models import (
    Gesprek,
    MaatregelEvaluatie,
    ObservatieSoort,
    VlagBetrokkene,
    VlagKleur,
    VlagOpvolging,
    Zichtbaarheid,
)
from leerlingen.pdf import ZORGDOSSIER
from leerlingen.policies import get_zorgdossier_leerling_for_user
from tests.clb.test_geen_lek import GEHEIM
from tests.clb.test_geen_lek import dossier as clb_dossier  # noqa: F401 (the fixture)
from tests.dossier import INHOUD, dossier_vullen
from tests.leerlingen.factories_gesprekken import GesprekFactory
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.leerlingen.factories_observaties import ObservatieFactory
from tests.leerlingen.factories_remediering import RemedieringFactory
from tests.leerlingen.factories_vlaggen import VlagBetrokkeneFactory, VlagFactory
from tests.pdf.conftest import downloaden, pdf_tekst
from zorg.audit.models import Actie, AuditEvent
from zorg.pdf.models import PdfOpdracht

pytestmark = pytest.mark.django_db

DAG = datetime.timedelta(days=1)
ZORGTEAM = ("zorgcoordinator", "directie")
KLASTEAM = ("leerkracht", "titularis")
# Who may not have leerling_a's care file: no care content (secretariat,
# functional administrator), another class's teacher, another school, a CLB
# that does not serve her.
GEEN_ZORGDOSSIER = ("secretariaat", "beheerder", "leerkracht_b", "buitenstaander", "clb_ander")


@pytest.fixture(autouse=True)
def _na_commit(django_capture_on_commit_callbacks):
    """What runs after a commit (the queued task, in-process here) runs."""
    global _vastleggen
    _vastleggen = django_capture_on_commit_callbacks


def _aanvragen(client, leerling, headers=None, **data):
    with _vastleggen(execute=True):
        return client.post(
            reverse("pdf:aanvragen", args=["zorgdossier", leerling.pk]), data, headers=headers
        )


def _compact(tekst: str) -> str:
    """Without whitespace: a PDF breaks lines where the text had spaces, and
    after a hyphen where it had none."""
    return "".join(tekst.split())


def _bevat(tekst: str, gezocht: str) -> bool:
    return _compact(gezocht) in _compact(tekst)


def _zorgdossier(client, leerling, periode="alles") -> tuple[list[str], PdfOpdracht]:
    """The pages' text of `leerling`'s care file for the logged-in user."""
    antwoord = _aanvragen(client, leerling, periode=periode)
    assert antwoord.status_code == 302, antwoord.status_code
    opdracht = PdfOpdracht.objects.filter(soort="zorgdossier").latest("aangemaakt")
    assert opdracht.status == PdfOpdracht.Status.KLAAR, opdracht.reden
    assert opdracht.opties == {"periode": periode}
    return pdf_tekst(downloaden(client, opdracht)), opdracht


def _pagina(client, leerling) -> str:
    antwoord = client.get(reverse("leerlingen:leerling_detail", args=[leerling.pk]))
    assert antwoord.status_code == 200
    return html.unescape(antwoord.content.decode())


def _scherm(client, w, dossier) -> str:
    """What the reader sees on screen of the record: the student page and
    the pages it leads to (the flag's, the intake, the timeline)."""
    teksten = [_pagina(client, w.leerling_a)]
    for url in (
        reverse("leerlingen:vlag_detail", args=[dossier.vlag.pk]),
        reverse("leerlingen:intake", args=[w.leerling_a.pk]),
        reverse("leerlingen:tijdlijn", args=[w.leerling_a.pk]),
    ):
        antwoord = client.get(url)
        assert antwoord.status_code == 200, url
        teksten.append(html.unescape(antwoord.content.decode()))
    return "\n".join(teksten)


@pytest.fixture
def volledig(schooljaar_onderweg, wereld):
    """leerling_a with a full record (tests/dossier.py)."""
    return dossier_vullen(wereld)


def test_the_care_coordinator_s_file_holds_every_part_of_the_record(volledig, wereld, client_voor):
    w = wereld
    paginas, opdracht = _zorgdossier(client_voor(w.zorgcoordinator), w.leerling_a)
    tekst = "\n".join(paginas)
    for titel in (
        "Zorgdossier van Lotte Peeters",
        "Leerling",
        "Zorgcontinuüm",
        "Maatregelen",
        "Observaties",
        "Gesprekken",
        "Afspraken met ouders",
        "Intake",
        "Vlaggen",
        "Rode vlaggen",
        "Overleg en beslissingen",
        "Wat het CLB deelt",
    ):
        assert _bevat(tekst, titel), titel
    assert _bevat(tekst, "3A") and _bevat(tekst, w.leerling_a.leerlingnummer)
    # Everything written, but the catalogue item (not the student's), the
    # stop reason (on the timeline only) and the referral's question (the
    # referral was accepted: the trajectory's question stands in the CLB
    # part).
    niet_in_het_dossier = {"catalogus", "stopreden", "hulpvraag"}
    for sleutel, inhoud in INHOUD.items():
        if sleutel not in niet_in_het_dossier:
            assert _bevat(tekst, inhoud), sleutel
    assert not _bevat(tekst, INHOUD["catalogus"])
    # Phase history with its reason, evaluations with their notes.
    assert _bevat(tekst, "cel leerlingbegeleiding")
    assert _bevat(tekst, "werkt gedeeltelijk")
    # Made and downloaded: both in her audit trail.
    acties = set(
        AuditEvent.objects.filter(leerling=w.leerling_a, onderwerp="pdf_zorgdossier").values_list(
            "actie", flat=True
        )
    )
    assert acties == {Actie.EXPORTEREN, Actie.DOWNLOADEN}
    assert opdracht.leerling_ids == [w.leerling_a.pk]


def test_a_teacher_s_file_lacks_what_the_teacher_does_not_see_on_the_page(
    volledig, wereld, client_voor
):
    w = wereld
    zorg_pagina = _scherm(client_voor(w.zorgcoordinator), w, volledig)
    zorg_pdf = "\n".join(_zorgdossier(client_voor(w.zorgcoordinator), w.leerling_a)[0])
    for rol in KLASTEAM:
        client = client_voor(w.users[rol])
        pagina = _scherm(client, w, volledig)
        pdf = "\n".join(_zorgdossier(client, w.leerling_a)[0])
        verborgen = [
            sleutel
            for sleutel, inhoud in INHOUD.items()
            if _bevat(zorg_pagina, inhoud) and not _bevat(pagina, inhoud)
        ]
        # The care team's talk, the phase's reasons, the measures no longer
        # in force: the screen keeps them from the class team ...
        assert {"gesprek", "afspraken", "fasereden", "maatregel_voorstel"} <= set(verborgen)
        # ... and so does the file, though the coordinator's has them.
        for sleutel in verborgen:
            assert _bevat(zorg_pdf, INHOUD[sleutel]), sleutel
            assert not _bevat(pdf, INHOUD[sleutel]), (rol, sleutel)
        for sleutel in ("evaluatie", "maatregel_gestopt", "deelnemers"):
            assert not _bevat(pdf, INHOUD[sleutel]), (rol, sleutel)
        # What the class team does read is there.
        for sleutel in ("observatie", "intake"):
            assert _bevat(pdf, INHOUD[sleutel]), (rol, sleutel)
        assert not _bevat(pdf, "Geschiedenis")


@pytest.mark.usefixtures("clb_dossier")
@pytest.mark.parametrize("rol", [*ZORGTEAM, *KLASTEAM])
def test_no_school_role_s_file_holds_the_clbs_own_layer(wereld, client_voor, rol):
    w = wereld
    paginas, _opdracht = _zorgdossier(client_voor(w.users[rol]), w.leerling_a)
    tekst = "\n".join(paginas)
    assert GEHEIM not in _compact(tekst).upper()
    # The shared layer is there, at the reader's level.
    gedeeld = ["GEDEELD-doel", "GEDEELD-advies", "GEDEELD-perspectief", "GEDEELD-consultatie"]
    zorgteam = ["GEDEELD-hulpvraag", "GEDEELD-behoefte", "GEDEELD-afspraak", "GEDEELD-overleg"]
    for woord in gedeeld:
        assert _bevat(tekst, woord), (rol, woord)
    for woord in zorgteam:
        assert _bevat(tekst, woord) == (rol in ZORGTEAM), (rol, woord)


@pytest.mark.usefixtures("clb_dossier")
def test_the_clb_worker_who_serves_her_gets_the_shared_layer_not_the_own_one(wereld, client_voor):
    tekst = "\n".join(_zorgdossier(client_voor(wereld.users["clb"]), wereld.leerling_a)[0])
    assert _bevat(tekst, "GEDEELD-doel")
    assert GEHEIM not in _compact(tekst).upper()


def test_who_may_not_read_her_care_gets_a_404_and_no_job(volledig, wereld, client_voor):
    w = wereld
    for rol in GEEN_ZORGDOSSIER:
        client = client_voor(w.users[rol])
        assert _aanvragen(client, w.leerling_a).status_code == 404, rol
    assert not PdfOpdracht.objects.exists()
    # Nor a button on the page of those who open it.
    for rol in ("secretariaat", "beheerder"):
        pagina = _pagina(client_voor(w.users[rol]), w.leerling_a)
        assert 'data-testid="zorgdossier-pdf"' not in pagina
    assert 'data-testid="zorgdossier-pdf"' in _pagina(client_voor(w.leerkracht), w.leerling_a)


def test_the_job_and_file_are_the_requester_s_only_and_only_while_they_may_read(
    volledig, wereld, client_voor
):
    w = wereld
    _paginas, opdracht = _zorgdossier(client_voor(w.leerkracht), w.leerling_a)
    job = reverse("pdf:opdracht", args=[opdracht.pk])
    bestand = reverse("pdf:downloaden", args=[opdracht.pk])
    for rol in ("titularis", "zorgcoordinator", *GEEN_ZORGDOSSIER):
        client = client_voor(w.users[rol])
        assert client.get(job).status_code == 404, rol
        assert client.get(bestand).status_code == 404, rol
    # The teacher no longer teaches her: the file is a 404 too.
    w.leerkracht.lesopdrachten.all().delete()
    assert client_voor(w.leerkracht).get(bestand).status_code == 404


def test_an_unknown_period_is_refused_with_a_message(wereld, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    detail = reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    antwoord = _aanvragen(
        client, wereld.leerling_a, periode="gisteren", headers={"referer": detail}
    )
    assert antwoord.status_code == 302 and antwoord.url == detail
    assert not PdfOpdracht.objects.exists()
    assert "Kies als periode dit schooljaar of alles." in client.get(detail).content.decode()


def test_the_period_this_school_year_leaves_out_what_came_before(
    schooljaar_onderweg, wereld, client_voor
):
    w = wereld
    vorig_jaar = w.vorig_schooljaar.begin + 30 * DAG
    ObservatieFactory(
        leerling=w.leerling_a, auteur=w.leerkracht, datum=vorig_jaar, tekst="OUD-observatie"
    )
    ObservatieFactory(leerling=w.leerling_a, auteur=w.leerkracht, tekst="NIEUW-observatie")
    GesprekFactory(
        leerling=w.leerling_a, door=w.zorgcoordinator, datum=vorig_jaar, samenvatting="OUD-gesprek"
    )
    MaatregelFactory(
        leerling=w.leerling_a,
        titel="OUD-maatregel",
        begin=vorig_jaar,
        einde=vorig_jaar + 30 * DAG,
        status="gestopt",
    )
    MaatregelFactory(leerling=w.leerling_a, titel="LOPEND-maatregel", begin=vorig_jaar)
    client = client_voor(w.zorgcoordinator)

    alles = "\n".join(_zorgdossier(client, w.leerling_a, "alles")[0])
    for tekst in ("OUD-observatie", "NIEUW-observatie", "OUD-gesprek", "OUD-maatregel"):
        assert _bevat(alles, tekst), tekst
    dit_jaar = "\n".join(_zorgdossier(client, w.leerling_a, "schooljaar")[0])
    assert _bevat(dit_jaar, "NIEUW-observatie")
    # A measure begun last year and still in force is part of this year.
    assert _bevat(dit_jaar, "LOPEND-maatregel")
    for tekst in ("OUD-observatie", "OUD-gesprek", "OUD-maatregel"):
        assert not _bevat(dit_jaar, tekst), tekst
    begin = w.schooljaar.begin.strftime("%d/%m/%Y")
    assert _bevat(dit_jaar, f"Dit schooljaar: vanaf {begin}")
    # The default is this school year.
    _aanvragen(client, w.leerling_a)
    assert PdfOpdracht.objects.latest("aangemaakt").opties == {"periode": "schooljaar"}


def _veel(w, aantal: int) -> None:
    """`aantal` more of every kind of entry in leerling_a's record."""
    for n in range(aantal):
        ObservatieFactory(
            leerling=w.leerling_a,
            auteur=w.leerkracht,
            soort=ObservatieSoort.STERKTE if n % 2 else ObservatieSoort.ZORG,
            domeinen=domeinen.LEREN | domeinen.PSYCHOSOCIAAL,
            tekst=f"Observatie {n}: " + "werkt geconcentreerd aan de opdracht. " * 8,
        )
        GesprekFactory(
            leerling=w.leerling_a,
            door=w.zorgcoordinator,
            afspraken=f"Afspraak {n}",
            soort=Gesprek.Soort.OUDERS,
            zichtbaarheid=Zichtbaarheid.KLASTEAM,
        )
        m = MaatregelFactory(leerling=w.leerling_a, beslist_door=w.zorgcoordinator)
        MaatregelEvaluatie.objects.create(
            maatregel=m,
            datum=timezone.localdate(),
            effect=MaatregelEvaluatie.Effect.WERKT,
            beslissing=MaatregelEvaluatie.Beslissing.VERDERZETTEN,
            door=w.zorgcoordinator,
            notities=f"Evaluatie {n}",
        )
        vlag = VlagFactory(
            klas=w.klas_a, gemeld_door=w.leerkracht, kleur=VlagKleur.ROOD if n % 2 else "geel"
        )
        VlagBetrokkeneFactory(vlag=vlag, leerling=w.leerling_a, rol=VlagBetrokkene.Rol.BETROKKEN)
        VlagOpvolging.objects.create(
            vlag=vlag,
            soort=VlagOpvolging.Soort.HERSTELGESPREK,
            datum=timezone.localdate(),
            door=w.zorgcoordinator,
            notities=f"Opvolging {n}",
        )
        # Remediation: a group's members and a subject per row.
        RemedieringFactory(klas=w.klas_a, niveau="groep", groep=[w.leerling_a])
        RemedieringFactory(klas=w.klas_a)


def _maken(user, leerling) -> None:
    """Gather and lay out the care file's HTML as the worker does (the
    policy's look-up first)."""
    ding = get_zorgdossier_leerling_for_user(user, leerling.pk)
    opmaak = ZORGDOSSIER.opmaken(user, ding, {"periode": "alles"})
    document = {"titel": opmaak.titel, "school": opmaak.school, "door": user}
    render_to_string(opmaak.template, {**opmaak.context, "document": document})


def _queries(user, leerling) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        _maken(user, leerling)
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("rol", ["zorgcoordinator", "leerkracht"])
def test_the_care_file_takes_as_many_queries_for_a_long_record_as_for_a_short_one(
    volledig, wereld, rol, django_assert_max_num_queries
):
    w = wereld

    # Fresh from the database each time, as the worker's user is.
    def user():
        return type(w.users[rol]).objects.get(pk=w.users[rol].pk)

    # One of each kind first: an empty list skips its prefetch.
    _veel(w, 1)
    kort = _queries(user(), w.leerling_a)
    _veel(w, 15)
    # Guards the N+1s of every part: a measure's subjects and evaluations, an
    # observation's author and corrections, a talk's author, a red flag's
    # follow-ups, a meeting's decisions, a trajectory's shared entries, a
    # remediation's subject and group.
    lezer = user()
    with django_assert_max_num_queries(len(kort)):
        _maken(lezer, w.leerling_a)
    lang = _queries(user(), w.leerling_a)
    assert len(lang) == len(kort), "\n".join(q for q in lang if q not in kort)


def test_every_page_of_a_long_file_is_numbered(volledig, wereld, client_voor):
    w = wereld
    _veel(w, 25)
    paginas, opdracht = _zorgdossier(client_voor(w.zorgcoordinator), w.leerling_a)
    assert len(paginas) > 3
    assert opdracht.paginas == len(paginas)
    for nummer, inhoud in enumerate(paginas, 1):
        assert f"pagina {nummer} van {len(paginas)}" in inhoud
        assert "VERTROUWELIJK" in inhoud.upper()
        assert "Zorgdossier van Lotte Peeters" in " ".join(inhoud.split())


def test_free_text_reaches_the_file_as_text(schooljaar_onderweg, wereld, client_voor):
    w = wereld
    ObservatieFactory(
        leerling=w.leerling_a,
        auteur=w.leerkracht,
        tekst='<img src="https://voorbeeld.invalid/x.png"><b>vet</b> & "aanhalingstekens"',
    )
    tekst = "\n".join(_zorgdossier(client_voor(w.leerkracht), w.leerling_a)[0])
    assert _bevat(tekst, '<b>vet</b> & "aanhalingstekens"')
