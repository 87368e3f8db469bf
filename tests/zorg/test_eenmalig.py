"""Nothing saved twice (zorg.eenmalig): every form that creates something,
sent twice with the key its page rendered, makes one row. In sequence (a
resubmit: the second answer is the first one's, not an error page) and at
the same moment from two threads with their own database connections (a
double click), where both requests pass the "sent before?" check before
either writes."""

import datetime
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clb.models import Behoefte, Betrokkene, Consultatie, Doel, HGDTraject, Trajectnotitie
from klassenraad.models import (
    Aanvulling,
    Agendapunt,
    Beslissing,
    BeslissingSoort,
    Bespreekvraag,
    Overleg,
    OverlegSoort,
)
from klassenraad.services import overleggen as overlegdiensten
from leerlingen import domeinen
from leerlingen.models import (
    Aanmelding,
    Bereik,
    Document,
    Gesprek,
    Leerling,
    Maatregel,
    MaatregelCatalogusItem,
    MaatregelEvaluatie,
    MaatregelSoort,
    Observatie,
    Vlag,
    VlagOpvolging,
    Zorgfase,
    ZorgfaseWijziging,
)
from tests.clb import factories as clbf
from tests.klassenraad import factories as kf
from tests.leerlingen.factories_documenten import pdf_bytes
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.leerlingen.factories_observaties import ObservatieFactory
from tests.leerlingen.factories_vlagalarm import vlag
from zorg.eenmalig import services as eenmalig
from zorg.eenmalig.models import Indiening

VANDAAG = timezone.localdate
DAG = datetime.timedelta(days=1)
SLEUTEL = re.compile(r'name="sleutel" value="([0-9a-f-]{36})"')


@dataclass
class Geval:
    """One create form: who sends it, where (the page that renders it may
    differ from where it posts), what (a fresh dict each call: an upload is
    read once), and how many rows it made."""

    user: object
    url: str
    data: Callable[[], dict]
    tel: Callable[[], int]
    pagina: str = ""


def _fase(soort) -> Zorgfase:
    return Zorgfase.objects.get(schooltype="secundair", soort=soort)


# --- the cases, one per form ------------------------------------------------------------


def _observatie(w):
    return Geval(
        w.leerkracht,
        reverse("leerlingen:observatie_nieuw", args=[w.leerling_a.pk]),
        lambda: {
            "tekst": "Werkt geconcentreerd tijdens de groepsopdracht.",
            "soort": "sterkte",
            "domeinen": [str(domeinen.LEREN)],
            "datum": VANDAAG().isoformat(),
            "zichtbaarheid": "klasteam",
        },
        Observatie.objects.count,
    )


def _correctie(w):
    origineel = ObservatieFactory(leerling=w.leerling_a, auteur=w.leerkracht)
    return Geval(
        w.zorgcoordinator,
        reverse("leerlingen:observatie_corrigeren", args=[w.leerling_a.pk, origineel.pk]),
        lambda: {
            "tekst": "Bedoeld was: tijdens de les wiskunde.",
            "soort": "zorg",
            "domeinen": [str(domeinen.LEREN)],
            "datum": VANDAAG().isoformat(),
            "zichtbaarheid": "klasteam",
        },
        lambda: Observatie.objects.filter(corrigeert=origineel).count(),
    )


def _klasobservatie(w):
    return Geval(
        w.leerkracht,
        reverse("leerlingen:klas_observatie", args=[w.klas_a.pk]),
        lambda: {
            "leerling": str(w.leerling_a.pk),
            "tekst": "Helpt een klasgenoot spontaan.",
            "soort": "sterkte",
            "domeinen": [str(domeinen.PSYCHOSOCIAAL)],
            "datum": VANDAAG().isoformat(),
            "zichtbaarheid": "klasteam",
        },
        Observatie.objects.count,
    )


def _vlag(w):
    return Geval(
        w.leerkracht,
        reverse("leerlingen:vlag_nieuw", args=[w.klas_a.pk]),
        lambda: {
            "leerlingen": [str(w.leerling_a.pk)],
            "kleur": "geel",
            "moment": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "omschrijving": "Zat op de gsm.",
        },
        Vlag.objects.count,
    )


def _gesprek(w):
    return Geval(
        w.titularis,
        reverse("leerlingen:gesprek_nieuw", args=[w.leerling_a.pk]),
        lambda: {
            "soort": "ouders",
            "datum": (VANDAAG() - DAG).isoformat(),
            "deelnemers": "papa, klastitularis",
            "samenvatting": "Papa vertelt dat de huistaken lang duren.",
            "afspraken": "Papa kijkt de agenda na op maandag.",
            "domeinen": [str(domeinen.LEREN)],
            "zichtbaarheid": "klasteam",
        },
        Gesprek.objects.count,
    )


def _maatregel(w):
    return Geval(
        w.zorgcoordinator,
        reverse("leerlingen:maatregel_nieuw", args=[w.leerling_a.pk]),
        lambda: {
            "soort": MaatregelSoort.DISPENSEREND,
            "titel": "Geen quotering voor spelling",
            "domeinen": [str(domeinen.LEREN)],
            "bereik": Bereik.ALLE_VAKKEN,
            "begin": (VANDAAG() - 2 * DAG).isoformat(),
            "evaluatiedatum": (VANDAAG() + 30 * DAG).isoformat(),
            "beslist_waar": "oudergesprek",
            "status": Maatregel.Status.ACTIEF,
        },
        Maatregel.objects.count,
    )


def _evaluatie(w):
    maatregel = MaatregelFactory(leerling=w.leerling_a)
    return Geval(
        w.zorgcoordinator,
        reverse("leerlingen:maatregel_evalueren", args=[w.leerling_a.pk, maatregel.pk]),
        lambda: {
            "datum": VANDAAG().isoformat(),
            "effect": "werkt",
            "beslissing": "verderzetten",
            "volgende_evaluatie": (VANDAAG() + 40 * DAG).isoformat(),
        },
        MaatregelEvaluatie.objects.count,
    )


def _catalogus(w):
    return Geval(
        w.zorgcoordinator,
        reverse("leerlingen:maatregel_catalogus"),
        lambda: {
            "soort": MaatregelSoort.COMPENSEREND,
            "titel": "Laptop met voorleessoftware",
            "bereik": Bereik.ALLE_VAKKEN,
            "domeinen": [str(domeinen.LEREN)],
        },
        MaatregelCatalogusItem.objects.count,
    )


def _opvolging(w):
    v = vlag(w.leerling_a, klas=w.klas_a, gemeld_door=w.leerkracht, kleur="geel")
    return Geval(
        w.leerkracht,
        reverse("leerlingen:vlag_opvolging", args=[v.pk]),
        lambda: {
            "soort": "herstelgesprek",
            "datum": (VANDAAG() - DAG).isoformat(),
            "notities": "Goed gesprek.",
        },
        VlagOpvolging.objects.count,
    )


def _document(w):
    return Geval(
        w.zorgcoordinator,
        reverse("leerlingen:document_nieuw", args=[w.leerling_a.pk]),
        lambda: {
            "titel": "Gemotiveerd verslag",
            "soort": "verslag",
            "bestand": SimpleUploadedFile("gv.pdf", pdf_bytes(), "application/pdf"),
        },
        Document.objects.count,
    )


def _zorgfase(w):
    return Geval(
        w.zorgcoordinator,
        reverse("leerlingen:zorgfase_wijzigen", args=[w.leerling_a.pk]),
        lambda: {
            "van": w.leerling_a.zorgfase_id,
            "naar": _fase(Zorgfase.Soort.VERHOOGD).pk,
            "datum": VANDAAG().isoformat(),
            "reden": "Leest traag en haakt af bij lange teksten.",
            "beslist_waar": "cel leerlingbegeleiding",
        },
        ZorgfaseWijziging.objects.count,
    )


def _aanmelding(w):
    return Geval(
        w.zorgcoordinator,
        reverse("leerlingen:aanmelding_nieuw", args=[w.leerling_a.pk]),
        lambda: {"hulpvraag": "Hoe ondersteunen we het lezen?", "datum": VANDAAG().isoformat()},
        Aanmelding.objects.count,
    )


def _overleg(w):
    return Geval(
        w.zorgcoordinator,
        reverse("klassenraad:overleg_nieuw"),
        lambda: {
            "soort": OverlegSoort.CEL,
            "school": w.school.pk,
            "datum": (VANDAAG() + 2 * DAG).isoformat(),
            "tijd": "15:30",
            "voorzitter": w.zorgcoordinator.pk,
            "deelnemers": [w.users["clb"].pk],
            "externen": "",
        },
        Overleg.objects.count,
    )


def _agendapunt(w):
    cel = kf.overleg(w, OverlegSoort.CEL, dagen=2)
    url = reverse("klassenraad:agenda_toevoegen", args=[cel.pk])
    return Geval(
        w.zorgcoordinator,
        url,
        lambda: {"leerling": w.leerling_a.pk, "reden": "Mama belde.", "q": "Peeters"},
        Agendapunt.objects.count,
        pagina=url + "?q=Peeters",
    )


def _beslissing(w):
    cel = kf.overleg(w, moment=timezone.now())
    kf.agendapunt(cel, w.leerling_a)
    url = reverse("klassenraad:beslissing_nieuw", args=[cel.pk])
    soort = BeslissingSoort.MAATREGEL_STARTEN
    return Geval(
        w.zorgcoordinator,
        url,
        lambda: {
            "leerling": str(w.leerling_a.pk),
            "soort": soort,
            "tekst": "Extra tijd bij toetsen, te evalueren na de kerstexamens.",
            "maatregel-soort": MaatregelSoort.COMPENSEREND,
            "maatregel-titel": "Extra tijd bij toetsen",
            "maatregel-domeinen": [str(domeinen.LEREN)],
            "maatregel-bereik": Bereik.ALLE_VAKKEN,
            "maatregel-begin": VANDAAG().isoformat(),
            "maatregel-evaluatiedatum": (VANDAAG() + 60 * DAG).isoformat(),
            "maatregel-status": Maatregel.Status.ACTIEF,
            "actiepunt-omschrijving": "",
            "actiepunt-eigenaar": "",
            "actiepunt-vervaldatum": "",
        },
        Beslissing.objects.count,
        pagina=f"{url}?leerling={w.leerling_a.pk}&soort={soort}",
    )


def _bespreekvraag(w):
    return Geval(
        w.leerkracht,
        reverse("klassenraad:bespreekvraag_nieuw", args=[w.leerling_a.pk]),
        lambda: {"waar": "cel", "reden": "Huilt vaak."},
        Bespreekvraag.objects.count,
    )


def _aanvulling(w):
    o = kf.overleg(w, OverlegSoort.CEL)
    punt = kf.agendapunt(o, w.leerling_a)
    o.refresh_from_db()
    overlegdiensten.overleg_afsluiten(overleg=o, versie=o.versie, door=w.zorgcoordinator)
    return Geval(
        w.zorgcoordinator,
        reverse("klassenraad:overleg_aanvulling", args=[o.pk]),
        lambda: {"tekst": "Ook de broer bespreken", "agendapunt": punt.pk},
        Aanvulling.objects.count,
        pagina=reverse("klassenraad:overleg_detail", args=[o.pk]),
    )


def _aanvaarden(w):
    a = clbf.aanmelding(w.leerling_a, w.zorgcoordinator)
    mw = w.users["clb"]
    return Geval(
        mw,
        reverse("clb:aanmelding_aanvaarden", args=[a.pk]),
        lambda: {"begeleider": mw.pk},
        HGDTraject.objects.count,
    )


def _traject_geval(w, naam, data, model):
    t = clbf.traject(w, begeleider=w.users["clb"])
    return Geval(
        w.users["clb"], reverse(f"clb:{naam}", args=[t.pk]), lambda: data, model.objects.count
    )


def _doel(w):
    data = {
        "termijn": "kort",
        "omschrijving": "Lotte plant haar huiswerk zelf.",
        "laag": "gedeeld",
        "evaluatiedatum": (VANDAAG() + 14 * DAG).isoformat(),
    }
    return _traject_geval(w, "doel_nieuw", data, Doel)


def _behoefte(w):
    data = {"soort": "ondersteuning", "van": "context", "omschrijving": "Coaching", "laag": "clb"}
    return _traject_geval(w, "behoefte_nieuw", data, Behoefte)


def _notitie(w):
    data = {"soort": "advies", "datum": VANDAAG().isoformat(), "tekst": "Korte opdrachten."}
    return _traject_geval(w, "notitie_nieuw", data, Trajectnotitie)


def _betrokkene(w):
    data = {"soort": "ouders", "naam": "Sofie Peeters", "rol": "moeder"}
    return _traject_geval(w, "betrokkene_nieuw", data, Betrokkene)


def _consultatie(w):
    Leerling.objects.filter(pk=w.leerling_a.pk).update(zorgfase=_fase(Zorgfase.Soort.VERHOOGD))
    cel = kf.overleg(w, moment=timezone.now())
    cel.deelnemers.add(w.users["clb"])
    kf.agendapunt(cel, w.leerling_a)
    return Geval(
        w.users["clb"],
        reverse("clb:consultatie_nieuw", args=[w.leerling_a.pk]),
        lambda: {"vraag": "Hoe gaan we om met uitstelgedrag?", "advies": "Werk met een planning."},
        Consultatie.objects.count,
    )


GEVALLEN = {
    "observatie": _observatie,
    "correctie": _correctie,
    "klasobservatie": _klasobservatie,
    "vlag": _vlag,
    "oudergesprek": _gesprek,
    "maatregel": _maatregel,
    "evaluatie": _evaluatie,
    "catalogus": _catalogus,
    "vlagopvolging": _opvolging,
    "document": _document,
    "zorgfase": _zorgfase,
    "aanmelding": _aanmelding,
    "overleg": _overleg,
    "agendapunt": _agendapunt,
    "beslissing": _beslissing,
    "bespreekvraag": _bespreekvraag,
    "aanvulling": _aanvulling,
    "clb_aanvaarden": _aanvaarden,
    "clb_doel": _doel,
    "clb_behoefte": _behoefte,
    "clb_notitie": _notitie,
    "clb_betrokkene": _betrokkene,
    "clb_consultatie": _consultatie,
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _sleutel(client, geval) -> str:
    """The key the page renders in its form: the test fails when a template
    leaves it out."""
    pagina = client.get(geval.pagina or geval.url)
    assert pagina.status_code == 200
    gevonden = SLEUTEL.findall(pagina.content.decode())
    assert gevonden, "the form renders no key"
    return gevonden[0]


def _antwoord(response) -> tuple[int, str]:
    return response.status_code, response.get("Location", "")


@pytest.mark.parametrize("naam", GEVALLEN)
def test_the_same_form_sent_twice_in_a_row_saves_one_and_answers_like_the_first(
    wereld, media, naam
):
    geval = GEVALLEN[naam](wereld)
    client = _client(geval.user)
    sleutel = _sleutel(client, geval)
    voor = geval.tel()

    eerste = client.post(geval.url, {**geval.data(), "sleutel": sleutel})
    tweede = client.post(geval.url, {**geval.data(), "sleutel": sleutel})

    assert eerste.status_code == 302, "the first submit saves"
    assert geval.tel() == voor + 1
    assert _antwoord(tweede) == _antwoord(eerste)
    assert "niets dubbel bewaard" in client.get(tweede["Location"]).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("naam", GEVALLEN)
def test_the_same_form_sent_twice_at_once_saves_one(wereld, media, monkeypatch, naam):
    # A real race: both requests find the key unused before either writes;
    # the key's primary key makes the second wait for the first and then
    # answer with what it made.
    geval = GEVALLEN[naam](wereld)
    sleutel = _sleutel(_client(geval.user), geval)
    voor = geval.tel()
    samen = threading.Barrier(2, timeout=10)
    echt = eenmalig._eerder

    def na_de_check(s):
        gevonden = echt(s)
        samen.wait()
        return gevonden

    monkeypatch.setattr(eenmalig, "_eerder", na_de_check)
    antwoorden, fouten = [], []

    def klik():
        try:
            client = _client(geval.user)
            antwoorden.append(client.post(geval.url, {**geval.data(), "sleutel": sleutel}))
        except Exception as exc:  # pragma: no cover - surfaced below
            fouten.append(exc)
        finally:
            connection.close()

    draden = [threading.Thread(target=klik) for _ in range(2)]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join(30)

    assert not fouten
    assert geval.tel() == voor + 1
    assert [a.status_code for a in antwoorden] == [302, 302]
    assert len({a["Location"] for a in antwoorden}) == 1
    assert Indiening.objects.filter(sleutel=sleutel).count() == 1


# --- the key itself -------------------------------------------------------------------


def test_every_rendering_of_a_form_gets_a_fresh_key(wereld):
    geval = _observatie(wereld)
    client = _client(geval.user)
    assert _sleutel(client, geval) != _sleutel(client, geval)


@pytest.mark.parametrize("sleutel", ["", "abc"])
def test_a_form_without_a_sound_key_asks_to_reload_and_saves_nothing(wereld, sleutel):
    geval = _gesprek(wereld)
    response = _client(geval.user).post(geval.url, {**geval.data(), "sleutel": sleutel})
    assert response.status_code == 200
    assert "Het formulier is onvolledig. Laad de pagina opnieuw." in response.content.decode()
    assert geval.tel() == 0


def test_someone_else_s_key_is_refused(wereld):
    geval = _bespreekvraag(wereld)
    sleutel = str(uuid.uuid4())
    assert (
        _client(geval.user).post(geval.url, {**geval.data(), "sleutel": sleutel}).status_code == 302
    )
    response = _client(wereld.titularis).post(geval.url, {**geval.data(), "sleutel": sleutel})
    assert response.status_code == 200
    assert "Dit formulier werd al gebruikt. Laad de pagina opnieuw." in response.content.decode()
    assert geval.tel() == 1


def test_a_key_sent_to_another_form_is_refused(wereld):
    sleutel = str(uuid.uuid4())
    gesprek = _gesprek(wereld)
    client = _client(wereld.titularis)
    assert client.post(gesprek.url, {**gesprek.data(), "sleutel": sleutel}).status_code == 302
    vraag = _bespreekvraag(wereld)
    response = client.post(vraag.url, {**vraag.data(), "sleutel": sleutel})
    assert response.status_code == 200
    assert "al gebruikt" in response.content.decode()
    assert vraag.tel() == 0


def test_a_refused_submit_leaves_its_key_free_for_the_corrected_one(wereld):
    geval = _bespreekvraag(wereld)
    client = _client(geval.user)
    sleutel = _sleutel(client, geval)
    leeg = client.post(geval.url, {**geval.data(), "reden": "", "sleutel": sleutel})
    assert leeg.status_code == 200
    assert client.post(geval.url, {**geval.data(), "sleutel": sleutel}).status_code == 302
    assert geval.tel() == 1


def test_a_service_refusal_rolls_the_key_back_too(wereld):
    def weigeren():
        raise ValidationError("nee")

    sleutel = uuid.uuid4()
    with pytest.raises(ValidationError):
        eenmalig.indiening_bewaren(
            sleutel=sleutel, door=wereld.leerkracht, formulier="test", maken=weigeren
        )
    assert not Indiening.objects.exists()
    resultaat, nieuw = eenmalig.indiening_bewaren(
        sleutel=sleutel, door=wereld.leerkracht, formulier="test", maken=lambda: 42
    )
    assert (resultaat, nieuw) == (42, True)
    assert eenmalig.indiening_bewaren(
        sleutel=sleutel, door=wereld.leerkracht, formulier="test", maken=lambda: 43
    ) == (None, False)


def test_the_quick_forms_on_the_student_page_carry_a_key(wereld):
    client = _client(wereld.leerkracht)
    html = client.get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
    sleutels = SLEUTEL.findall(html.content.decode())
    assert sleutels

    # After an htmx save the fresh form carries a new key, not the used one.
    geval = _observatie(wereld)
    antwoord = client.post(
        geval.url, {**geval.data(), "sleutel": sleutels[0]}, headers={"HX-Request": "true"}
    )
    nieuwe = SLEUTEL.findall(antwoord.content.decode())
    assert nieuwe and sleutels[0] not in nieuwe
