"""The CLB's own layer never leaks to the school.

leerling_a has a referral and a trajectory with, for every kind of entry
(goals, needs, each kind of note), one entry shared with the school
("GEDEELD-...") and one the CLB keeps to itself ("GEHEIM-...", participants
of its notes included), and one entry that was shared and then taken back
into the CLB's layer (tests.clb.lagen, which the PDF tests share too).
Then every school role that can reach her opens every page of the project
the school can reach (the URL conf walked as the role matrix walks it, plus
the timeline filtered on the CLB, searches, the export, the care cell's
agenda and minutes, the start page and the notifications): "GEHEIM"
appears in none, and the counts shown are those of the shared layer.
Nothing school-readable in the database (timeline, notifications, audit
trail, agenda items) holds it either. And the school does see the shared
texts, so this test fails both ways.
"""

import pytest
from django.urls import reverse

from clb.models import Trajectnotitie
from klassenraad.models import Agendapunt
from leerlingen.models import TijdlijnItem
from tests.clb.lagen import GEHEIM, SCHOOLROLLEN, clb_dossier
from tests.test_matrix import DERDEN, MATRIX, _patronen
from zorg.audit.models import AuditEvent
from zorg.meldingen.models import Melding

ZORGTEAM = {"zorgcoordinator", "directie"}
KLASTEAM = {"leerkracht", "titularis"}
# What each level of the school reads of the shared layer on the timeline.
TIJDLIJN_ZORGTEAM = {
    "doel",
    "behoefte",
    "opvoedingsbehoefte",
    "advies",
    "afspraak",
    "overleg",
    "consultatie",
}
TIJDLIJN_KLASTEAM = {"doel", "advies", "consultatie"}


@pytest.fixture
def dossier(wereld):
    """leerling_a's trajectory, both layers, and the school's use of it
    (tests.clb.lagen)."""
    return clb_dossier(wereld)


def _kwargs(w, naam, route, d):
    """For the student, her class, the trajectory; else the matrix's."""
    if naam.startswith("clb:") and "<int:pk>" in route:
        if naam in ("clb:traject_school", "clb:consultatie_nieuw"):
            return {"pk": w.leerling_a.pk}
        if naam == "clb:aanmelding_aanvaarden":
            return {"pk": d["traject"].aanmelding_id}
        kwargs = {"pk": d["traject"].pk}
        if "<int:doel>" in route:
            kwargs["doel"] = d["geheim_doel"].pk
        if "<int:notitie>" in route:
            kwargs["notitie"] = d["traject"].notities.filter(laag="clb").first().pk
        return kwargs
    rij = MATRIX.get(naam)
    return rij.kwargs(w) if rij and rij.kwargs else {}


def _schoolpaginas(w, d) -> list[tuple[str, dict, dict]]:
    """(url, query, headers) of every page to open."""
    paginas = []
    for naam, route in _patronen():
        if naam is None or route.startswith(DERDEN):
            continue
        # The CLB's own pages (clb/...) are no school pages: they answer a
        # school user 404, and are walked too, which costs little.
        paginas.append((reverse(naam, kwargs=_kwargs(w, naam, route, d)), {}, {}))
    leerling = w.leerling_a.pk
    cel = d["cel"].pk
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "zoekresultaten"}
    tijdlijn = reverse("leerlingen:tijdlijn", args=[leerling])
    lijst = reverse("leerlingen:leerling_lijst")
    paginas += [
        (tijdlijn, {"soort": "clb"}, {}),
        (tijdlijn, {"soort": "clb", "pagina": "2"}, {}),
        (lijst, {"q": "Lotte"}, {}),
        (lijst, {"q": "Lotte"}, htmx),
        # A search echoes its term: look for the CLB's words without the marker.
        (lijst, {"q": "doel-eerst-gedeeld"}, {}),
        (lijst, {"q": "deelnemers"}, htmx),
        (lijst, {"q": "GEDEELD"}, {}),
        (reverse("leerlingen:leerling_export"), {}, {}),
        (reverse("leerlingen:leerling_detail", args=[leerling]), {}, {}),
        (reverse("clb:traject_school", args=[leerling]), {}, {}),
        (reverse("klassenraad:agenda_voorstel", args=[cel]), {}, {}),
        (reverse("klassenraad:agenda_toevoegen", args=[cel]), {"q": "Lotte"}, {}),
        (reverse("klassenraad:overleg_detail", args=[cel]), {}, {}),
        (reverse("klassenraad:overleg_notulen", args=[cel]), {}, {}),
        (reverse("klassenraad:overleg_verslag", args=[cel]), {}, {}),
        (reverse("start"), {}, {}),
        (reverse("meldingen:melding_lijst"), {}, {}),
    ]
    return paginas


def test_no_school_page_shows_the_clbs_own_layer(wereld, dossier, client_voor):
    w = wereld
    paginas = _schoolpaginas(w, dossier)
    assert len(paginas) > 80  # the walk found the project's pages
    geopend = 0
    for rol in SCHOOLROLLEN:
        client = client_voor(w.users[rol])
        for url, query, headers in paginas:
            response = client.get(url, query, **headers)
            inhoud = b"".join(response) if response.streaming else response.content
            assert GEHEIM.encode() not in inhoud, f"{rol} GET {url} {query}: CLB-only content"
            geopend += response.status_code == 200
    # Not an empty walk of 404s: the roles did open pages.
    assert geopend > 100
    # What the walk itself wrote (the audit trail of every read) is clean too.
    _niets_in_de_databank()


def test_the_school_sees_the_shared_layer(wereld, dossier, client_voor):
    w = wereld
    url = reverse("clb:traject_school", args=[w.leerling_a.pk])

    zorg = client_voor(w.zorgcoordinator).get(url).content.decode()
    for soort in ("doel", "behoefte", "opvoedingsbehoefte", *Trajectnotitie.Soort.values):
        assert f"GEDEELD-{soort}" in zorg, soort
    for tekst in ("GEDEELD-hulpvraag", "GEDEELD-perspectief", "GEDEELD-consultatie"):
        assert tekst in zorg
    assert "GEDEELD-deelnemers-overleg" in zorg

    klas = client_voor(w.leerkracht).get(url).content.decode()
    for tekst in ("GEDEELD-doel", "GEDEELD-advies", "GEDEELD-perspectief", "GEDEELD-consultatie"):
        assert tekst in klas

    agenda = client_voor(w.zorgcoordinator).get(
        reverse("klassenraad:agenda_voorstel", args=[dossier["cel"].pk])
    )
    assert "GEDEELD-doel" in agenda.content.decode()
    detail = client_voor(w.zorgcoordinator).get(
        reverse("leerlingen:leerling_detail", args=[w.leerling_a.pk])
    )
    assert "GEDEELD-doel" in detail.content.decode()


@pytest.mark.parametrize(
    ("rol", "verwacht"),
    [
        ("zorgcoordinator", TIJDLIJN_ZORGTEAM),
        ("directie", TIJDLIJN_ZORGTEAM),
        ("leerkracht", TIJDLIJN_KLASTEAM),
        ("titularis", TIJDLIJN_KLASTEAM),
    ],
)
def test_the_timeline_counts_only_the_shared_entries_of_ones_level(
    wereld, dossier, client_voor, rol, verwacht
):
    w = wereld
    response = client_voor(w.users[rol]).get(
        reverse("leerlingen:tijdlijn", args=[w.leerling_a.pk]), {"soort": "clb"}
    )
    html = response.content.decode()
    assert response.context["pagina"].paginator.count == len(verwacht)
    assert f"{len(verwacht)} items" in html
    for soort in verwacht:
        assert f"GEDEELD-{soort}" in html, soort
    for soort in TIJDLIJN_ZORGTEAM - verwacht:
        assert f"GEDEELD-{soort}" not in html, soort


def test_the_school_pages_count_only_the_shared_layer(wereld, dossier, client_voor):
    w = wereld
    response = client_voor(w.zorgcoordinator).get(
        reverse("clb:traject_school", args=[w.leerling_a.pk])
    )
    (rij,) = response.context["rijen"]
    assert [d["doel"].omschrijving for d in rij["doelen"]] == ["GEDEELD-doel"]
    assert len(rij["behoeften"]) == 2
    for groep in ("advies", "afspraken", "overleg"):
        assert len(rij[groep]) == 1, groep
    assert len(rij["andere_notities"]) == 3
    # Searching for the CLB's words finds nobody.
    zoek = client_voor(w.zorgcoordinator).get(reverse("leerlingen:leerling_lijst"), {"q": GEHEIM})
    assert zoek.context["pagina"].paginator.count == 0
    # The care cell's agenda: one goal reason, the shared one.
    punt = Agendapunt.objects.get(overleg=dossier["cel"], leerling=w.leerling_a)
    doelen = [r["tekst"] for r in punt.redenen if r["soort"] == "doel"]
    assert len(doelen) == 1 and doelen[0].endswith("GEDEELD-doel")


def _niets_in_de_databank() -> None:
    for model in (TijdlijnItem, Melding, AuditEvent, Agendapunt):
        for rij in model.objects.values():
            assert GEHEIM not in repr(rij), f"{model.__name__}: {rij}"


def test_nothing_school_readable_in_the_database_holds_the_clbs_layer(wereld, dossier):
    _niets_in_de_databank()
    # The shared layer did go where the school reads it.
    assert TijdlijnItem.objects.filter(leerling=wereld.leerling_a, soort="clb").count() == len(
        TIJDLIJN_ZORGTEAM
    )
