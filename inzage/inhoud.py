"""What the access export holds: the school's care record of one student as
a parent (or the student) may receive it under GDPR article 15. The JSON
download and the PDF both render this one dictionary, so they cannot drift
apart. Built in a fixed number of queries, whatever the record's size.

What is left out, and why:
- The CLB's file: no HGD trajectory, no CLB note of any layer, nothing the
  CLB shared (not even its part of a parent letter). The CLB is a separate
  controller and answers its own access requests (from 12 the student
  decides there). This module does not import the `clb` app at all.
- Third parties' information: no other student is named. A group or class
  remediation shows what it was, not who else took part nor its notes about
  the group; a flag with other students shows its colour, date and the
  student's role, not the shared description or follow-up notes (they tell
  about the others); a meeting shows the student's own agenda item, notes
  and decisions, never the general minutes or the attendance; the other
  guardians' contact details stay out (a separated parent must not learn
  the other's address through the export); a talk's free-text list of
  participants stays out.
- Staff are named by their function in the school (leerkracht,
  zorgcoördinator, directie), not by name: their names are their own
  personal data, article 15(4) protects others' rights, and the function
  answers what the family needs to know (who in the school recorded or
  decided this, art. 15(1)(g) on the source). The school can name a person
  on request; the export need not.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from klassenraad.models import (
    Aanvulling,
    Actiepunt,
    Agendapunt,
    Agendareden,
    Beslissing,
    Bespreekvraag,
)
from leerlingen import domeinen
from leerlingen.models import (
    Aanmelding,
    Afwezigheid,
    Document,
    Gesprek,
    Inschrijving,
    Intake,
    Maatregel,
    MaatregelEvaluatie,
    Observatie,
    Ouder,
    Ouderbrief,
    Remediering,
    SodaScore,
    VlagBetrokkene,
    VlagOpvolging,
    ZorgfaseWijziging,
)
from zorg.accounts.models import Lidmaatschap, Rol

# The order in which a function names a member of staff with several roles.
_FUNCTIES = [Rol.DIRECTIE, Rol.ZORGCOORDINATOR, Rol.LEERKRACHT, Rol.SECRETARIAAT, Rol.BEHEERDER]


def _functies(school_id: int):
    """A function `functie(user_id)` naming a staff member by their role in
    the school: one query for the whole export."""
    rollen: dict[int, set[str]] = {}
    for user_id, rol in Lidmaatschap.objects.filter(school_id=school_id).values_list(
        "user_id", "rol"
    ):
        rollen.setdefault(user_id, set()).add(rol)
    onbekend = _("personeelslid")

    def functie(user_id: int | None) -> str:
        if user_id is None:
            return ""
        for rol in _FUNCTIES:
            if rol in rollen.get(user_id, ()):
                return str(rol.label)
        return onbekend

    return functie


def _label(choices, waarde) -> str:
    return str(dict(choices.choices).get(waarde, waarde)) if waarde else ""


def inzage_inhoud(verzoek) -> dict:
    """The export of `verzoek`'s student (loaded with its school and phase:
    `get_inzageverzoek_for_user`)."""
    leerling = verzoek.leerling
    functie = _functies(leerling.school_id)
    eigen = {"leerling": leerling}

    identiteit = {
        "leerlingnummer": leerling.leerlingnummer,
        "voornaam": leerling.voornaam,
        "achternaam": leerling.achternaam,
        "geboortedatum": leerling.geboortedatum,
        "email": leerling.email,
        "school": leerling.school.naam,
        "huidige_zorgfase": f"{leerling.zorgfase.nummer} – {leerling.zorgfase.naam}",
        "ouders": [
            {"naam": o.naam, "relatie": o.get_relatie_display()}
            for o in Ouder.objects.filter(**eigen).order_by("pk")
        ],
        "inschrijvingen": [
            {
                "schooljaar": i.klas.schooljaar.naam,
                "klas": i.klas.naam,
                "begin": i.begin,
                "einde": i.einde,
                "reden_einde": i.reden_einde,
            }
            for i in Inschrijving.objects.filter(**eigen)
            .select_related("klas__schooljaar")
            .order_by("begin", "pk")
        ],
    }

    zorgfasen = [
        {
            "datum": w.datum,
            "van": f"{w.van.nummer} – {w.van.naam}",
            "naar": f"{w.naar.nummer} – {w.naar.naam}",
            "reden": w.reden,
            "beslist_op": w.beslist_waar,
            "beslist_door": functie(w.beslist_door_id),
        }
        for w in ZorgfaseWijziging.objects.filter(**eigen)
        .select_related("van", "naar")
        .order_by("datum", "pk")
    ]

    maatregelen = [
        {
            "soort": m.get_soort_display(),
            "titel": m.titel,
            "omschrijving": m.omschrijving,
            "voor_ouders": m.ouderomschrijving,
            "bereik": m.get_bereik_display(),
            "vakken": [v.naam for v in m.vakken.all()],
            "begin": m.begin,
            "einde": m.einde,
            "evaluatiedatum": m.evaluatiedatum,
            "beslist_op": m.beslist_waar,
            "beslist_door": functie(m.beslist_door_id),
            "akkoord_van_de_ouders": m.ouders_akkoord,
            "akkoord_op": m.ouders_akkoord_op,
            "stem_van_de_leerling": m.stem_leerling,
            "status": m.get_status_display(),
            "evaluaties": [
                {
                    "datum": e.datum,
                    "effect": e.get_effect_display(),
                    "notities": e.notities,
                    "beslissing": e.get_beslissing_display(),
                    "volgende_evaluatie": e.volgende_evaluatie,
                    "door": functie(e.door_id),
                }
                for e in m.evaluaties.all()
            ],
        }
        for m in Maatregel.objects.filter(**eigen)
        .prefetch_related(
            "vakken",
            Prefetch("evaluaties", MaatregelEvaluatie.objects.order_by("datum", "pk")),
        )
        .order_by("begin", "pk")
    ]

    observaties = [
        {
            "datum": o.datum,
            "soort": o.get_soort_display(),
            "domeinen": domeinen.labels(o.domeinen),
            "tekst": o.tekst,
            "corrigeert": o.corrigeert_id,
            "id": o.pk,
            "door": functie(o.auteur_id),
        }
        for o in Observatie.objects.filter(**eigen).order_by("datum", "pk")
    ]

    # A flag is shared by the students involved: its description and the
    # follow-up notes speak of all of them, so they are shown only when this
    # student is the only one.
    vlaggen = []
    for b in (
        VlagBetrokkene.objects.filter(**eigen)
        .select_related("vlag__vak")
        .annotate(aantal=Count("vlag__betrokkenen"))
        .prefetch_related(
            Prefetch("vlag__opvolgingen", VlagOpvolging.objects.order_by("datum", "pk"))
        )
        .order_by("vlag__moment", "pk")
    ):
        vlag = b.vlag
        alleen = b.aantal == 1
        vlaggen.append(
            {
                "moment": timezone.localtime(vlag.moment),
                "kleur": vlag.get_kleur_display(),
                "vak": vlag.vak.naam if vlag.vak else "",
                "rol": b.get_rol_display(),
                "status": vlag.get_status_display(),
                "gemeld_door": functie(vlag.gemeld_door_id),
                "omschrijving": vlag.omschrijving if alleen else "",
                "reeds_gedaan": vlag.reeds_gedaan if alleen else "",
                "met_anderen": not alleen,
                "opvolging": [
                    {
                        "datum": o.datum,
                        "soort": o.get_soort_display(),
                        "notities": o.notities if alleen else "",
                        "door": functie(o.door_id),
                    }
                    for o in vlag.opvolgingen.all()
                ],
            }
        )

    gesprekken = [
        {
            "datum": g.datum,
            "soort": g.get_soort_display(),
            "samenvatting": g.samenvatting,
            "afspraken": g.afspraken,
            "domeinen": domeinen.labels(g.domeinen),
            "door": functie(g.door_id),
        }
        for g in Gesprek.objects.filter(**eigen).order_by("datum", "pk")
    ]

    intake = Intake.objects.filter(**eigen).first()
    intake_gegevens = (
        {
            "datum": intake.datum,
            "vorige_school": intake.vorige_school,
            "onderwijsbehoeften": intake.onderwijsbehoeften,
            "attesten": intake.attesten,
            "opmerkingen": intake.opmerkingen,
            "door": functie(intake.door_id),
        }
        if intake
        else None
    )

    aanmeldingen = [
        {
            "datum": a.datum,
            "hulpvraag": a.hulpvraag,
            "bron": a.get_bron_display(),
            "status": a.get_status_display(),
        }
        for a in Aanmelding.objects.filter(**eigen).order_by("datum", "pk")
    ]

    # Meetings: the student's own agenda item only (its reasons, notes,
    # decisions and the corrections made to it), never the meeting's
    # general minutes, attendance or other students' items.
    besprekingen = [
        {
            "datum": timezone.localtime(p.overleg.moment).date(),
            "overleg": p.overleg.get_soort_display(),
            "klas": p.overleg.klas.naam if p.overleg.klas else "",
            # The kinds only: the generated explanations quote other records
            # (a goal of the CLB's trajectory, a flag shared with others),
            # and what of those is the family's is in the export already.
            "redenen": [
                _label(Agendareden, r.get("soort"))
                for r in p.redenen
                if r.get("soort") and r.get("soort") != Agendareden.DOEL
            ],
            "notities": p.notities,
            "beslissingen": [
                {
                    "soort": b.get_soort_display(),
                    "tekst": b.tekst,
                    "door": functie(b.door_id),
                }
                for b in p.beslissingen.all()
            ],
            "aanvullingen": [a.tekst for a in p.aanvullingen.all()],
        }
        for p in Agendapunt.objects.filter(**eigen)
        .select_related("overleg__klas")
        .prefetch_related(
            Prefetch("beslissingen", Beslissing.objects.order_by("aangemaakt", "pk")),
            Prefetch("aanvullingen", Aanvulling.objects.order_by("aangemaakt", "pk")),
        )
        .order_by("overleg__moment", "pk")
    ]
    actiepunten = [
        {
            "omschrijving": a.omschrijving,
            "tegen": a.vervaldatum,
            "status": a.get_status_display(),
            "resultaat": a.resultaat,
            "wie": functie(a.eigenaar_id),
        }
        for a in Actiepunt.objects.filter(**eigen).order_by("vervaldatum", "pk")
    ]
    bespreekvragen = [
        {
            "datum": timezone.localtime(v.aangemaakt).date(),
            "waar": v.get_waar_display(),
            "reden": v.reden,
            "door": functie(v.gevraagd_door_id),
        }
        for v in Bespreekvraag.objects.filter(**eigen).order_by("aangemaakt", "pk")
    ]

    soda = [
        {
            "periode": s.periode.naam,
            "begin": s.periode.begin,
            "vak": s.lesopdracht.vak.naam,
            "stiptheid": s.stiptheid.label if s.stiptheid else "",
            "orde": s.orde.label if s.orde else "",
            "discipline": s.discipline.label if s.discipline else "",
            "attitude": s.attitude.label if s.attitude else "",
        }
        for s in SodaScore.objects.filter(**eigen)
        .select_related(
            "periode", "lesopdracht__vak", "stiptheid", "orde", "discipline", "attitude"
        )
        .order_by("periode__begin", "lesopdracht__vak__naam", "pk")
    ]

    afwezigheden = [
        {
            "datum": a.datum,
            "dagdeel": a.get_dagdeel_display(),
            "code": a.get_code_display(),
            "notitie": a.notitie,
        }
        for a in Afwezigheid.objects.filter(**eigen).order_by("datum", "dagdeel", "pk")
    ]

    # A class or group remediation: what it was, not who else took part nor
    # its notes, which speak of the whole group.
    remedieringen = []
    for r in (
        Remediering.objects.filter(Q(**eigen) | Q(groep=leerling))
        .select_related("vak", "klas")
        .distinct()
        .order_by("begin", "pk")
    ):
        individueel = r.niveau == Remediering.Niveau.LEERLING
        remedieringen.append(
            {
                "voor_wie": r.get_niveau_display(),
                "vak": r.vak.naam,
                "klas": r.klas.naam,
                "titel": r.titel,
                "aanpak": r.get_aanpak_display(),
                "begin": r.begin,
                "einde": r.einde,
                "status": r.get_status_display(),
                "resultaat": _label(Remediering.Resultaat, r.resultaat),
                "omschrijving": r.omschrijving if individueel else "",
                "nood": r.nood if individueel else "",
                "resultaat_notitie": r.resultaat_notitie if individueel else "",
            }
        )

    ouderbrieven = [
        {
            "geinformeerd_op": b.geinformeerd_op,
            # What the letter told the parents, without the CLB's part.
            "maatregelen": b.inhoud.get("maatregelen", []),
            "afspraken": b.inhoud.get("afspraken", []),
            "reactie": b.get_reactie_display(),
            "opmerking_van_de_ouders": b.opmerking,
            "reactie_op": b.reactie_op,
        }
        for b in Ouderbrief.objects.filter(**eigen).order_by("geinformeerd_op", "pk")
    ]

    documenten = [
        {
            "titel": d.titel,
            "soort": d.get_soort_display(),
            "datum": timezone.localtime(d.aangemaakt).date(),
        }
        for d in Document.objects.filter(**eigen).order_by("aangemaakt", "pk")
    ]

    return {
        "inzageverzoek": {
            "school": verzoek.school.naam,
            "ontvangen_op": verzoek.ontvangen_op,
            "termijn": verzoek.termijn,
            "gemaakt_op": timezone.localdate(),
        },
        "toelichting": _(
            "Dit is het zorgdossier dat de school over de leerling bijhoudt. Het dossier "
            "van het CLB zit er niet in: vraag het aan het CLB zelf. Gegevens over andere "
            "leerlingen zijn weggelaten; personeelsleden worden met hun functie vermeld."
        ),
        "leerling": identiteit,
        "zorgfasen": zorgfasen,
        "maatregelen": maatregelen,
        "observaties": observaties,
        "vlaggen": vlaggen,
        "gesprekken": gesprekken,
        "intake": intake_gegevens,
        "aanmeldingen_clb": aanmeldingen,
        "besprekingen": besprekingen,
        "actiepunten": actiepunten,
        "bespreekvragen": bespreekvragen,
        "soda": soda,
        "afwezigheden": afwezigheden,
        "remedieringen": remedieringen,
        "ouderbrieven": ouderbrieven,
        "documenten": documenten,
    }
