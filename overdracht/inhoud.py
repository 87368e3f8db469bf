"""What a transfer summary says, in one place: the preview, the frozen copy
the parents are told about, the PDF and the signed file all read it.

- the care phase now and its moves, in short (date, from, to: not the
  reasons, which may name others);
- the measures that worked: those in force, and ended ones whose last
  evaluation found they worked (fully or partly), each with its
  evaluations' date, effect and decision (not their notes);
- the agreements and what the CLB shares with the parents, as the parent
  letter and the portal tell them (leerlingen.ouderinformatie): never the
  CLB's confidential layer, never observations, flags or talk summaries.

Every item carries a `sleutel`, so the coordinator can leave it out.
A constant number of queries, whatever the record holds.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation

from leerlingen.models import Leerling, Maatregel, MaatregelEvaluatie, ZorgfaseWijziging
from leerlingen.ouderinformatie import ouderinformatie

LIJSTEN = ("fasegeschiedenis", "maatregelen", "afspraken", "clb")
WERKT = (MaatregelEvaluatie.Effect.WERKT, MaatregelEvaluatie.Effect.WERKT_DEELS)


def _iso(datum: datetime.date | None) -> str | None:
    return datum.isoformat() if datum else None


def _fasen(leerling: Leerling) -> list[dict]:
    wijzigingen = (
        ZorgfaseWijziging.objects.filter(leerling=leerling)
        .select_related("van", "naar")
        .order_by("datum", "aangemaakt", "pk")
    )
    return [
        {"sleutel": f"fase-{w.pk}", "datum": _iso(w.datum), "van": str(w.van), "naar": str(w.naar)}
        for w in wijzigingen
    ]


def _maatregelen(leerling: Leerling, op: datetime.date) -> list[dict]:
    maatregelen = (
        Maatregel.objects.filter(leerling=leerling, begin__lte=op)
        .exclude(status=Maatregel.Status.VOORGESTELD)
        .prefetch_related(
            Prefetch(
                "evaluaties",
                queryset=MaatregelEvaluatie.objects.filter(datum__lte=op)
                .only("maatregel_id", "datum", "effect", "beslissing")
                .order_by("datum", "pk"),
            )
        )
        .only("titel", "soort", "begin", "einde", "status")
        .order_by("begin", "pk")
    )
    in_voege = set(
        Maatregel.objects.actief(op).filter(leerling=leerling).values_list("pk", flat=True)
    )
    result = []
    for m in maatregelen:
        evaluaties = list(m.evaluaties.all())
        werkte = bool(evaluaties) and evaluaties[-1].effect in WERKT
        if m.pk not in in_voege and not werkte:
            continue
        result.append(
            {
                "sleutel": f"maatregel-{m.pk}",
                "titel": m.titel,
                "soort": str(m.get_soort_display()),
                "begin": _iso(m.begin),
                "einde": _iso(m.einde),
                "loopt": m.pk in in_voege,
                "evaluaties": [
                    {
                        "datum": _iso(e.datum),
                        "effect": str(e.get_effect_display()),
                        "beslissing": str(e.get_beslissing_display()),
                    }
                    for e in evaluaties
                ],
            }
        )
    return result


def _clb_sleutel(titel: str, datum, tekst: str) -> str:
    return "clb-" + hashlib.sha256(f"{titel}|{datum}|{tekst}".encode()).hexdigest()[:12]


def samenvatting(leerling: Leerling, *, op: datetime.date) -> dict:
    """The full summary of `leerling` on `op`, as plain JSON values, labels
    in the installation's language (it leaves the school as it is)."""
    with translation.override(settings.LANGUAGE_CODE):
        info = ouderinformatie(leerling, voor="ouder", op=op)
        return {
            "leerling": {
                "voornaam": leerling.voornaam,
                "achternaam": leerling.achternaam,
                "geboortedatum": _iso(leerling.geboortedatum),
            },
            "opgemaakt_op": _iso(op),
            "zorgfase": str(leerling.zorgfase),
            "fasegeschiedenis": _fasen(leerling),
            "maatregelen": _maatregelen(leerling, op),
            "afspraken": [
                {
                    "sleutel": f"afspraak-{a.datum.isoformat()}-{i}",
                    "datum": _iso(a.datum),
                    "soort": a.soort,
                    "tekst": a.tekst,
                }
                for i, a in enumerate(info.afspraken)
            ],
            "clb": [
                {
                    "sleutel": _clb_sleutel(c.titel, c.datum, c.tekst),
                    "titel": c.titel,
                    "tekst": c.tekst,
                    "datum": _iso(c.datum),
                }
                for c in info.clb
            ],
        }


def weglaten(inhoud: dict, weggelaten) -> dict:
    """`inhoud` without the items whose `sleutel` is in `weggelaten`."""
    weg = set(weggelaten or ())
    return {
        **inhoud,
        **{
            lijst: [item for item in inhoud.get(lijst, []) if item.get("sleutel") not in weg]
            for lijst in LIJSTEN
        },
    }


def sleutels(inhoud: dict) -> set[str]:
    return {item["sleutel"] for lijst in LIJSTEN for item in inhoud.get(lijst, [])}


def _datum(waarde):
    if not isinstance(waarde, str) or not waarde:
        return None
    try:
        return datetime.date.fromisoformat(waarde)
    except ValueError:
        return None


_TEKSTVELDEN = {
    "fasegeschiedenis": ("sleutel", "van", "naar"),
    "maatregelen": ("sleutel", "titel", "soort"),
    "afspraken": ("sleutel", "soort", "tekst"),
    "clb": ("sleutel", "titel", "tekst"),
}


def vorm_klopt(inhoud) -> bool:
    """Whether a summary from elsewhere (an imported file) has the shape
    this module writes, so the pages can show it."""
    if not isinstance(inhoud, dict) or not isinstance(inhoud.get("leerling"), dict):
        return False
    for lijst, velden in _TEKSTVELDEN.items():
        items = inhoud.get(lijst, [])
        if not isinstance(items, list):
            return False
        for item in items:
            if not isinstance(item, dict):
                return False
            if any(not isinstance(item.get(veld, ""), str) for veld in velden):
                return False
            evaluaties = item.get("evaluaties") or []
            if lijst == "maatregelen" and (
                not isinstance(evaluaties, list) or not all(isinstance(e, dict) for e in evaluaties)
            ):
                return False
    return True


def voor_weergave(inhoud: dict) -> dict:
    """A summary with its dates as dates again, for the templates (the page,
    the import preview and the PDF read the same)."""
    return {
        **inhoud,
        "geboortedatum": _datum(inhoud.get("leerling", {}).get("geboortedatum")),
        "opgemaakt_op": _datum(inhoud.get("opgemaakt_op")),
        "fasegeschiedenis": [
            {**f, "datum": _datum(f.get("datum"))} for f in inhoud.get("fasegeschiedenis", [])
        ],
        "maatregelen": [
            {
                **m,
                "begin": _datum(m.get("begin")),
                "einde": _datum(m.get("einde")),
                "evaluaties": [
                    {**e, "datum": _datum(e.get("datum"))} for e in m.get("evaluaties") or []
                ],
            }
            for m in inhoud.get("maatregelen", [])
        ],
        "afspraken": [{**a, "datum": _datum(a.get("datum"))} for a in inhoud.get("afspraken", [])],
        "clb": [{**c, "datum": _datum(c.get("datum"))} for c in inhoud.get("clb", [])],
    }
