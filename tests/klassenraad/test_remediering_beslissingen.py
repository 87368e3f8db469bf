"""The guiding class council's remediation selection is the council's
decision: one per student concerned and one for the whole class, once
however often sent or selected again, rewritten when the approach changes,
gone when deselected; shown in the meeting's decision list and its minutes
(the class level first), and to nobody who does not see the meeting."""

import datetime
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klassenraad.models import Agendapunt, Beslissing, BeslissingSoort, OverlegSoort
from klassenraad.services.beslissingen import beslissing_registreren
from klassenraad.services.remediering import Keuze, remedieringen_selecteren
from leerlingen.models import Remediering, TijdlijnItem
from tests import factories as f
from tests.klassenraad.factories import agendapunt, overleg
from zorg.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SLEUTELS = [
    "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b21",
    "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b22",
    "6f1c2a3b-0d4e-4f5a-8b6c-7d8e9f0a1b23",
]


def _url(o):
    return reverse("klassenraad:remediering_selecteren", args=[o.pk])


def _vak(w):
    return w.leerkracht.lesopdrachten.get(klas=w.klas_a).vak


def _data(w, sleutel, *, klas="differentiatie", lotte="remediering", **extra):
    vak = _vak(w)
    return {
        "sleutel": sleutel,
        "begin": datetime.date.today().isoformat(),
        "aantal_weken": "6",
        f"klas_{vak.pk}": klas,
        f"l_{w.leerling_a.pk}_{vak.pk}": lotte,
        **extra,
    }


def _beslissingen(o):
    return Beslissing.objects.filter(overleg=o, soort=BeslissingSoort.REMEDIERING)


def _tekst(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def raad(wereld):
    return overleg(wereld, OverlegSoort.BEGELEIDEND, dagen=-1)


def test_the_selection_is_one_decision_per_student_and_one_for_the_class_once(
    wereld, raad, client_voor
):
    client = client_voor(wereld.zorgcoordinator)
    assert client.post(_url(raad), _data(wereld, SLEUTELS[0])).status_code == 302
    assert client.post(_url(raad), _data(wereld, SLEUTELS[0])).status_code == 302  # double
    assert client.post(_url(raad), _data(wereld, SLEUTELS[1])).status_code == 302  # again
    beslissingen = list(_beslissingen(raad).select_related("agendapunt"))
    assert sorted((b.agendapunt_id is not None, b.tekst) for b in beslissingen) == [
        (False, "Differentiatie Wiskunde"),
        (True, "Remediëring Wiskunde"),
    ]
    (over_lotte,) = [b for b in beslissingen if b.agendapunt_id]
    assert over_lotte.agendapunt.leerling_id == wereld.leerling_a.pk
    assert over_lotte.agendapunt.besproken
    # Selecting the same again made no second remediation either.
    assert Remediering.objects.filter(overleg=raad).count() == 2
    assert AuditEvent.objects.filter(
        onderwerp="beslissing", actie="aanmaken", object_id=str(over_lotte.pk)
    ).exists()


def test_a_student_not_on_the_agenda_is_put_on_it_once(wereld, raad, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    client.post(_url(raad), _data(wereld, SLEUTELS[0]))
    client.post(_url(raad), _data(wereld, SLEUTELS[1]))
    assert Agendapunt.objects.filter(overleg=raad, leerling=wereld.leerling_a).count() == 1


def test_a_student_already_on_the_agenda_keeps_their_item(wereld, raad, client_voor):
    punt = agendapunt(raad, wereld.leerling_a, notities="Lotte: meer uitdaging geven")
    client_voor(wereld.zorgcoordinator).post(_url(raad), _data(wereld, SLEUTELS[0]))
    assert _beslissingen(raad).get(agendapunt__isnull=False).agendapunt_id == punt.pk


def test_another_approach_rewrites_the_same_decision_and_remediation(wereld, raad, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    client.post(_url(raad), _data(wereld, SLEUTELS[0]))
    voor = _beslissingen(raad).get(agendapunt__isnull=False)
    client.post(_url(raad), _data(wereld, SLEUTELS[1], lotte="differentiatie"))
    na = _beslissingen(raad).get(agendapunt__isnull=False)
    assert (na.pk, na.tekst) == (voor.pk, "Differentiatie Wiskunde")
    r = Remediering.objects.get(overleg=raad, leerling=wereld.leerling_a)
    assert (r.aanpak, r.titel, r.versie) == ("differentiatie", "Differentiatie Wiskunde", 2)
    assert _beslissingen(raad).count() == 2


def test_deselecting_withdraws_the_decision_and_the_planned_remediation(wereld, raad, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    client.post(_url(raad), _data(wereld, SLEUTELS[0]))
    over_lotte = _beslissingen(raad).get(agendapunt__isnull=False)
    assert TijdlijnItem.objects.filter(leerling=wereld.leerling_a, soort="remediering").exists()
    assert client.post(_url(raad), _data(wereld, SLEUTELS[1], lotte="")).status_code == 302
    assert list(_beslissingen(raad).values_list("tekst", flat=True)) == ["Differentiatie Wiskunde"]
    assert not Remediering.objects.filter(overleg=raad, leerling=wereld.leerling_a).exists()
    assert not TijdlijnItem.objects.filter(leerling=wereld.leerling_a, soort="remediering").exists()
    assert AuditEvent.objects.filter(
        onderwerp="beslissing", actie="verwijderen", object_id=str(over_lotte.pk)
    ).exists()
    # Deselecting everything withdraws the class's decision too.
    client.post(_url(raad), _data(wereld, SLEUTELS[2], klas="", lotte=""))
    assert not _beslissingen(raad).exists()
    assert not Remediering.objects.filter(overleg=raad).exists()


def test_a_started_remediation_is_not_withdrawn_and_says_so_in_dutch(wereld, raad, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    client.post(_url(raad), _data(wereld, SLEUTELS[0]))
    Remediering.objects.filter(leerling=wereld.leerling_a).update(status="lopend")
    response = client.post(_url(raad), _data(wereld, SLEUTELS[1], lotte=""))
    assert response.status_code == 200
    assert "is al gestart en blijft gekozen" in response.content.decode()
    assert _beslissingen(raad).count() == 2
    assert Remediering.objects.filter(overleg=raad).count() == 2


def test_the_page_shows_what_the_council_chose_before(wereld, raad, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    client.post(_url(raad), _data(wereld, SLEUTELS[0]))
    pagina = client.get(_url(raad)).content.decode()
    veld = f'name="l_{wereld.leerling_a.pk}_{_vak(wereld).pk}"'
    select = pagina.split(veld, 1)[1].split("</select>", 1)[0]
    assert re.search(r'value="remediering"\s+selected', select)
    assert not re.search(r'value="differentiatie"\s+selected', select)


def test_the_decision_form_cannot_record_a_remediation_decision(wereld, raad):
    punt = agendapunt(raad, wereld.leerling_a)
    with pytest.raises(ValidationError):
        beslissing_registreren(
            overleg=raad,
            leerling=wereld.leerling_a,
            soort=BeslissingSoort.REMEDIERING,
            tekst="Remediëring Wiskunde",
            door=wereld.zorgcoordinator,
        )
    assert not Beslissing.objects.filter(agendapunt=punt).exists()


# --- the decision list and the minutes ---------------------------------------------------


def test_the_meeting_page_lists_the_class_decision_before_the_students(wereld, raad, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    client.post(_url(raad), _data(wereld, SLEUTELS[0]))
    for pagina in ("klassenraad:overleg_detail", "klassenraad:overleg_verslag"):
        tekst = _tekst(client.get(reverse(pagina, args=[raad.pk])))
        klas = tekst.index("Beslissingen voor de hele klas")
        assert "Differentiatie Wiskunde" in tekst[klas:], pagina
        assert klas < tekst.index("Lotte Peeters") < tekst.index("Remediëring Wiskunde"), pagina


def test_the_class_teacher_sees_the_decisions_of_their_class(wereld, raad, client_voor):
    client_voor(wereld.zorgcoordinator).post(_url(raad), _data(wereld, SLEUTELS[0]))
    tekst = _tekst(
        client_voor(wereld.titularis).get(reverse("klassenraad:overleg_detail", args=[raad.pk]))
    )
    assert "Differentiatie Wiskunde" in tekst
    assert "Remediëring Wiskunde" in tekst


@pytest.mark.parametrize("rol", ["leerkracht_b", "secretariaat", "beheerder", "clb_ander"])
def test_who_is_not_of_the_class_sees_nothing_of_the_decisions(wereld, raad, client_voor, rol):
    client_voor(wereld.zorgcoordinator).post(_url(raad), _data(wereld, SLEUTELS[0]))
    response = client_voor(wereld.users[rol]).get(
        reverse("klassenraad:overleg_detail", args=[raad.pk])
    )
    assert response.status_code == 404
    assert "Wiskunde" not in response.content.decode()


def test_the_minutes_pdf_names_the_councils_remediation_class_level_first(
    wereld, raad, client, django_capture_on_commit_callbacks, settings, tmp_path
):
    from django.urls import resolve

    from tests.pdf.conftest import downloaden, pdf_tekst
    from zorg.pdf.models import PdfOpdracht

    settings.MEDIA_ROOT = tmp_path
    client.force_login(wereld.zorgcoordinator)
    client.post(_url(raad), _data(wereld, SLEUTELS[0]))
    with django_capture_on_commit_callbacks(execute=True):
        antwoord = client.post(reverse("pdf:aanvragen", args=["notulen", raad.pk]))
    opdracht = PdfOpdracht.objects.get(pk=resolve(antwoord.url).kwargs["pk"])
    assert opdracht.status == PdfOpdracht.Status.KLAAR, opdracht.reden
    tekst = " ".join(" ".join(pdf_tekst(downloaden(client, opdracht))).split())
    klas = tekst.index("De hele klas: Differentiatie Wiskunde")
    assert tekst.index("Beslissingen voor de hele klas") < klas
    assert klas < tekst.index("Lotte Peeters") < tekst.index("Remediëring Wiskunde")
    assert "remediëring en differentiatie" in tekst


# --- query count --------------------------------------------------------------------------

PLAFOND = 18
# A student's decision in the decision list (the page also shows each
# student's profile, which names their remediation again).
BESLISSING = 'text-bg-primary">remediëring en differentiatie</span> Remediëring Wiskunde'


def _selecteren(w, o, leerlingen):
    vak = _vak(w)
    remedieringen_selecteren(
        overleg=o,
        keuzes=[Keuze(vak=vak, aanpak="differentiatie")]
        + [Keuze(vak=vak, aanpak="remediering", leerling=ll) for ll in leerlingen],
        begin=datetime.date.today(),
        aantal_weken=6,
        door=w.zorgcoordinator,
    )


def _meet(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        antwoord = client.get(url)
    assert antwoord.status_code == 200
    return len(ctx.captured_queries), antwoord.content.decode()


@pytest.mark.parametrize("pagina", ["klassenraad:overleg_detail", "klassenraad:overleg_verslag"])
def test_the_decision_list_costs_the_same_queries_for_5_or_30_students(
    wereld, raad, client_voor, template_queries, pagina
):
    # Guards against a query per decision (its author, its agenda item) and
    # per class-level decision in the decision list and the minutes.
    client = client_voor(wereld.zorgcoordinator)
    url = reverse(pagina, args=[raad.pk])
    leerlingen = [wereld.leerling_a] + [f.leerling_in(wereld.klas_a) for _ in range(29)]
    _selecteren(wereld, raad, leerlingen[:5])
    weinig, inhoud = _meet(client, url)
    assert inhoud.count(BESLISSING) == 5
    _selecteren(wereld, raad, leerlingen)
    veel, inhoud = _meet(client, url)
    assert inhoud.count(BESLISSING) == 30
    assert weinig == veel <= PLAFOND
    assert template_queries == []
