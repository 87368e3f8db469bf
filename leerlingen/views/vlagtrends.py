"""Patterns and trends of behaviour flags: how many flags of each colour per
week or month, for a whole school (the care team) or one class (its
teachers and the care team).

The numbers come from the day counts kept beside the flags
(leerlingen.vlagtellingen: a few hundred rows a school year, whatever the
number of flags), summed per week or month; only a filter on a subject
counts the flags themselves, in one aggregate query. The page costs the
same for five flags as for a school year of a large school. A flag with
several students is one incident and counts once. Green flags stand beside
the others: they are the behaviour the school wants to see more of.

The charts are SVG built on the server (`leerlingen.grafieken`), with the
same numbers as a table, so they also go into a PDF later.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth, TruncWeek
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zorg.accounts.models import School, Schooljaar, schooljaar_begin
from zorg.accounts.policies import zorgteam_scholen_visible_to
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen

from .. import policies
from ..forms.vlagtrends import MAAND, NAAST_ELKAAR, WEEK, TrendFilterForm
from ..grafieken import Grafiek, Reeks, staafdiagram, tabel_html
from ..models import Klas, Vak, Vlag, VlagKleur, VlagtellingKlas, VlagtellingSchool
from ..vlagtellingen import telling_aantallen

BRUSSEL = zoneinfo.ZoneInfo(settings.TIME_ZONE)

# Fill, and an outline where the fill alone is too light against white.
# Green, orange and red reach 3:1 against white (WCAG 1.4.11); yellow keeps
# its familiar colour and gets a dark edge.
KLEUREN: list[tuple[str, str, str | None]] = [
    (VlagKleur.GROEN, "#2e7d32", None),
    (VlagKleur.GEEL, "#f2c94c", "#7a5c00"),
    (VlagKleur.ORANJE, "#d96c00", None),
    (VlagKleur.ROOD, "#b42318", None),
]


# --- the numbers -------------------------------------------------------------------


@dataclass(frozen=True)
class Trends:
    grafiek: Grafiek
    svg: SafeString
    tabel: SafeString
    totalen: list[dict]  # per colour, green first: kleur, label, aantal, vul, rand
    totaal: int
    perioden: list[datetime.date]  # first day of each week or month, in order

    def aantal(self, kleur: str, dag: datetime.date) -> int:
        """The count of `kleur` in the period starting on `dag`."""
        reeks = next(r for r in self.grafiek.reeksen if r.sleutel == kleur)
        return reeks.waarden[self.perioden.index(dag)]


def _begin_van_periode(datum: datetime.date, groepering: str) -> datetime.date:
    if groepering == MAAND:
        return datum.replace(day=1)
    return datum - datetime.timedelta(days=datum.weekday())


def perioden(van: datetime.date, tot: datetime.date, groepering: str) -> list[datetime.date]:
    """The first day of every week (Monday) or month touching [van, tot]:
    empty periods get a bar of zero rather than disappearing."""
    result = []
    dag = _begin_van_periode(van, groepering)
    while dag <= tot:
        result.append(dag)
        if groepering == MAAND:
            dag = (dag.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        else:
            dag += datetime.timedelta(days=7)
    return result


def _grens(datum: datetime.date) -> datetime.datetime:
    """Midnight at the start of `datum`, Brussels time."""
    return datetime.datetime.combine(datum, datetime.time.min, tzinfo=BRUSSEL)


def vlag_aantallen(vlaggen, *, van, tot, groepering) -> list[dict]:
    """Flags per period and colour, counted by the database. A period is a
    Brussels week (Monday to Sunday) or month: a flag on Sunday at 23:30
    belongs to that Sunday's week."""
    trunc = TruncMonth if groepering == MAAND else TruncWeek
    return list(
        vlaggen.filter(moment__gte=_grens(van), moment__lt=_grens(tot + datetime.timedelta(days=1)))
        .annotate(periode=trunc("moment", tzinfo=BRUSSEL))
        .order_by()
        .values("periode", "kleur")
        .annotate(aantal=Count("id"))
    )


def _als_datum(periode) -> datetime.date:
    if isinstance(periode, datetime.datetime):
        if timezone.is_aware(periode):
            periode = periode.astimezone(BRUSSEL)
        return periode.date()
    return periode


def _labels(dagen, groepering) -> tuple[list[str], list[str]]:
    if groepering == MAAND:
        return (
            [date_format(d, "M Y") for d in dagen],
            [date_format(d, "F Y") for d in dagen],
        )
    return (
        [date_format(d, "j/n") for d in dagen],
        [_("week van %(datum)s") % {"datum": date_format(d, "j F Y")} for d in dagen],
    )


def aantallen(bron, *, van, tot, groepering) -> list[dict]:
    """Per period and colour, from the day counts when `bron` is a queryset
    of them (a few hundred rows a school year), else from the flags
    themselves (the subject filter, which the counts do not keep)."""
    if bron.model in (VlagtellingSchool, VlagtellingKlas):
        return telling_aantallen(
            bron,
            van=van,
            tot=tot,
            begin_van_periode=lambda dag: _begin_van_periode(dag, groepering),
        )
    return vlag_aantallen(bron, van=van, tot=tot, groepering=groepering)


def trends_berekenen(bron, *, van, tot, groepering, gestapeld, titel, id="vlagtrends") -> Trends:
    """The chart, its table and the totals per colour for the flags counted
    by `bron` (a queryset of flags or of day counts, already filtered)
    between `van` and `tot`."""
    dagen = perioden(van, tot, groepering)
    index = {dag: i for i, dag in enumerate(dagen)}
    tellingen = {kleur: [0] * len(dagen) for kleur, _kleur, _rand in KLEUREN}
    for rij in aantallen(bron, van=van, tot=tot, groepering=groepering):
        i = index.get(_als_datum(rij["periode"]))
        if i is not None and rij["kleur"] in tellingen:
            tellingen[rij["kleur"]][i] += rij["aantal"]
    reeksen = [
        Reeks(
            sleutel=kleur,
            label=str(VlagKleur(kleur).label).capitalize(),
            kleur=vul,
            rand=rand,
            waarden=tellingen[kleur],
        )
        for kleur, vul, rand in KLEUREN
    ]
    kort, lang = _labels(dagen, groepering)
    totalen = [
        {"kleur": r.sleutel, "label": r.label, "aantal": r.totaal, "vul": r.kleur, "rand": r.rand}
        for r in reeksen
    ]
    totaal = sum(t["aantal"] for t in totalen)
    omschrijving = _(
        "Van %(van)s tot en met %(tot)s: %(groen)s groene, %(geel)s gele, %(oranje)s oranje "
        "en %(rood)s rode vlaggen, samen %(totaal)s incidenten."
    ) % {
        "van": date_format(van, "j F Y"),
        "tot": date_format(tot, "j F Y"),
        **{t["kleur"]: t["aantal"] for t in totalen},
        "totaal": totaal,
    }
    grafiek = Grafiek(
        titel=titel,
        omschrijving=omschrijving,
        categorieen=kort,
        lange_categorieen=lang,
        reeksen=reeksen,
        leeg_tekst=_("Geen vlaggen in deze periode."),
    )
    return Trends(
        grafiek=grafiek,
        svg=staafdiagram(grafiek, gestapeld=gestapeld, id=id),
        tabel=tabel_html(
            grafiek,
            bijschrift=titel,
            kop=_("Maand") if groepering == MAAND else _("Week"),
        ),
        totalen=totalen,
        totaal=totaal,
        perioden=dagen,
    )


# --- helpers for both views ---------------------------------------------------------


def _standaard_periode(schooljaar: Schooljaar | None) -> tuple[datetime.date, datetime.date]:
    """The school year: the school's current one, or else September to June
    of the calendar's school year (in July and August: the one that ends on
    31 August, whose lessons ran until June)."""
    if schooljaar is not None:
        return schooljaar.begin, schooljaar.einde
    begin = schooljaar_begin(timezone.localdate())
    return begin, datetime.date(begin.year + 1, 6, 30)


def _datum(waarde: str | None, standaard: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(waarde or "")
    except ValueError:
        return standaard


def _klassen_van_periode(request, school, standaard_van, standaard_tot) -> list[tuple]:
    """The classes of the school years the asked period overlaps (by default
    the current one): (pk, label, grade), an earlier year's labelled with its
    year. A school group's thousands of classes of every year are not offered
    at once (issue 19); the form checks the period itself."""
    van = _datum(request.GET.get("van"), standaard_van)
    tot = _datum(request.GET.get("tot"), standaard_tot)
    if van > tot:
        van, tot = standaard_van, standaard_tot
    rijen = (
        Klas.objects.filter(
            schooljaar__school=school, schooljaar__begin__lte=tot, schooljaar__einde__gte=van
        )
        .order_by("-schooljaar__begin", "leerjaar", "naam")
        .values_list("pk", "naam", "leerjaar", "schooljaar__naam", "schooljaar__is_huidig")
    )
    patroon = _("%(klas)s (%(jaar)s)")
    return [
        (pk, naam if huidig else patroon % {"klas": naam, "jaar": jaar}, leerjaar)
        for pk, naam, leerjaar, jaar, huidig in rijen
    ]


def _vakken(school_id) -> list[tuple[int, str]]:
    return list(Vak.objects.filter(school_id=school_id).order_by("naam").values_list("pk", "naam"))


def _bron(school_id: int, *, klas_id=None, leerjaar=None, vak=None):
    """What the trends are counted from: the day counts of the school, a
    class or a grade's classes; the flags themselves only when a subject is
    asked (the counts are not kept per subject)."""
    if vak:
        vlaggen = Vlag.objects.filter(school_id=school_id, vak_id=vak)
        if klas_id:
            vlaggen = vlaggen.filter(klas_id=klas_id)
        if leerjaar:
            vlaggen = vlaggen.filter(klas__leerjaar=leerjaar)
        return vlaggen
    if klas_id or leerjaar:
        tellingen = VlagtellingKlas.objects.filter(school_id=school_id)
        if klas_id:
            tellingen = tellingen.filter(klas_id=klas_id)
        if leerjaar:
            tellingen = tellingen.filter(klas__leerjaar=leerjaar)
        return tellingen
    return VlagtellingSchool.objects.filter(school_id=school_id)


def _titel(groepering: str, waar: str) -> str:
    if groepering == MAAND:
        return _("Vlaggen per maand in %(waar)s") % {"waar": waar}
    return _("Vlaggen per week in %(waar)s") % {"waar": waar}


def _pagina(request, context):
    template = "leerlingen/vlagtrends/trends.html"
    if request.htmx:
        template += "#inhoud"
    return render(request, template, context)


def _school_kiezen(request) -> tuple[School, list[tuple[int, str]]]:
    """The school whose trends are shown: `?school=` among the schools where
    the user is on the care team, or their only (or first) one. Any other
    school, or nonsense, is a 404: never another school's numbers."""
    scholen = list(zorgteam_scholen_visible_to(request.user).order_by("naam"))
    if not scholen:
        raise Http404
    gevraagd = request.GET.get("school")
    if gevraagd:
        try:
            school = next(s for s in scholen if str(s.pk) == gevraagd.strip())
        except StopIteration:
            raise Http404 from None
    else:
        school = scholen[0]
    if not policies.can_view_vlagtrends(request.user, school.pk):
        raise Http404
    return school, [(s.pk, s.naam) for s in scholen]


# --- views -----------------------------------------------------------------------------


@require_GET
def vlag_trends(request):
    """The school's flags per colour per week or month, for the care team,
    filterable by class, grade, subject and period."""
    school, scholen = _school_kiezen(request)
    schooljaar = Schooljaar.objects.filter(school=school, is_huidig=True).first()
    standaard_van, standaard_tot = _standaard_periode(schooljaar)
    klassen = _klassen_van_periode(request, school, standaard_van, standaard_tot)
    form = TrendFilterForm(
        request.GET,
        standaard_van=standaard_van,
        standaard_tot=standaard_tot,
        vakken=_vakken(school.pk),
        klassen=[(pk, naam) for pk, naam, _leerjaar in klassen],
        leerjaren=sorted({leerjaar for _pk, _naam, leerjaar in klassen}),
        scholen=scholen,
        school_id=school.pk,
    )
    trends = None
    if form.is_valid():
        d = form.cleaned_data
        trends = trends_berekenen(
            _bron(school.pk, klas_id=d.get("klas"), leerjaar=d.get("leerjaar"), vak=d.get("vak")),
            van=d["van"],
            tot=d["tot"],
            groepering=d["groepering"],
            gestapeld=d["weergave"] != NAAST_ELKAAR,
            titel=_titel(d["groepering"], school.naam),
        )
        audit_vastleggen(
            gebruiker=request.user,
            actie=Actie.LEZEN,
            onderwerp="vlagtrends",
            school_id=school.pk,
            omschrijving=_omschrijving(d),
        )
    return _pagina(
        request,
        {"form": form, "trends": trends, "school": school, "klas": None, "week": WEEK},
    )


@require_GET
def klas_vlag_trends(request, pk):
    """One class's flags per colour per week or month, for the class's
    teachers and the school's care team (the rule of the class measures
    overview)."""
    user = request.user
    klas = policies.get_klas_for_user(user, pk)
    if not policies.can_view_klas_maatregelen(user, klas):
        raise Http404
    school_id = klas.schooljaar.school_id
    form = TrendFilterForm(
        request.GET,
        standaard_van=klas.schooljaar.begin,
        standaard_tot=klas.schooljaar.einde,
        vakken=_vakken(school_id),
    )
    trends = None
    if form.is_valid():
        d = form.cleaned_data
        trends = trends_berekenen(
            _bron(school_id, klas_id=klas.pk, vak=d.get("vak")),
            van=d["van"],
            tot=d["tot"],
            groepering=d["groepering"],
            gestapeld=d["weergave"] != NAAST_ELKAAR,
            titel=_titel(d["groepering"], klas.naam),
        )
        audit_vastleggen(
            gebruiker=user,
            actie=Actie.LEZEN,
            onderwerp="vlagtrends",
            school_id=school_id,
            object_id=klas.pk,
            omschrijving=f"{klas.naam}: {_omschrijving(d)}",
        )
    return _pagina(
        request,
        {"form": form, "trends": trends, "school": klas.schooljaar.school, "klas": klas},
    )


def _omschrijving(d) -> str:
    delen = [f"{d['van']:%Y-%m-%d} – {d['tot']:%Y-%m-%d}", d["groepering"]]
    for veld in ("klas", "leerjaar", "vak"):
        if d.get(veld):
            delen.append(f"{veld} {d[veld]}")
    return ", ".join(delen)


urlpatterns = [
    path("vlaggen/trends/", vlag_trends, name="vlag_trends"),
    path("klassen/<int:pk>/vlaggen/trends/", klas_vlag_trends, name="klas_vlag_trends"),
]


def sectie(request, leerling) -> dict:
    """Trends have no section on the student page."""
    return {}
