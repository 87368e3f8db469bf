"""Who may see and do what with meetings, their agendas and action items.

Rests on zorg.accounts.policies (the school scope) and leerlingen.policies
(the classes a teacher teaches, what of a student a user reads).

- Care coordinators and the director manage every meeting of their school:
  plan it, set its agenda, record notes and decisions, close it.
- Teachers see the class councils (portrait and guiding) of the classes they
  teach or lead this school year, and within them only the agenda items of
  students they teach now; they add remarks to those items while the
  meeting is open, and ask for a student to be discussed.
- CLB staff see the care-cell meetings of the schools their CLB serves, and
  any meeting of those schools they take part in. In a meeting they attend
  they read every agenda item (and reach those students' records while the
  meeting is open and for a month after: see `clb_bereik_van_overleg`);
  elsewhere only items of students in their reach (an open referral or
  trajectory), and not the general minutes, which may name any student.
- The secretariat and the functional administrator see no meeting: Zorg
  does not model absences, so nothing on an agenda is theirs.
- Action items: the owner sees and completes their own; the school's care
  team sees and manages all of the school's.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from leerlingen.models import Inschrijving, Leerling
from leerlingen.policies import (
    can_add_observatie,
    clb_bereik,
    is_zorgteam,
    leerlingen_met_zorg_visible_to,
    lesklassen,
    remedieringen_visible_to,
    zorg_lezers_van_scholen,
)
from zorg.accounts.models import CLBMedewerker, School
from zorg.accounts.policies import get_or_404, toegang, zorgteam_scholen_visible_to

from .models import (
    KLASSENRADEN,
    Actiepunt,
    Agendapunt,
    Beslissing,
    Bespreekvraag,
    Overleg,
    OverlegSoort,
)

# --- meetings ---------------------------------------------------------------------


def overleggen_visible_to(user):
    t = toegang(user)
    klassen = lesklassen(user)
    if not (t.zorg_school_ids or klassen.alle_ids or t.clb_school_ids):
        return Overleg.objects.none()
    zichtbaar = Q(school_id__in=t.zorg_school_ids)
    if klassen.alle_ids:
        zichtbaar |= Q(soort__in=list(KLASSENRADEN), klas_id__in=klassen.alle_ids)
    if t.clb_school_ids:
        zichtbaar |= Q(soort=OverlegSoort.CEL, school_id__in=t.clb_school_ids)
        zichtbaar |= Q(
            Exists(Overleg.deelnemers.through.objects.filter(overleg=OuterRef("pk"), user=user)),
            school_id__in=t.clb_school_ids,
        )
    return Overleg.objects.filter(zichtbaar)


def get_overleg_for_user(user, pk) -> Overleg:
    return get_or_404(
        overleggen_visible_to(user).select_related(
            "school", "klas", "voorzitter", "afgesloten_door"
        ),
        pk=pk,
    )


def can_view_overleggen(user) -> bool:
    """Whether the main menu offers meetings: to the care team, teachers
    (class councils) and the CLB (care cells). From the scope computed once
    per request, never a query per page beyond it."""
    t = toegang(user)
    return bool(t.zorg_school_ids or t.leerkracht_school_ids or t.clb_school_ids)


def overleg_scholen_visible_to(user):
    """The schools whose meetings this user may meet in the list (to filter
    it by): where they are on the care team, teach, or their CLB serves."""
    t = toegang(user)
    return School.objects.filter(
        pk__in=t.zorg_school_ids | t.clb_school_ids | t.leerkracht_school_ids
    )


def kiesbare_deelnemers(school_ids) -> list:
    """Everyone who may chair or attend a meeting of these schools: who has
    care access there (leerlingen.policies.zorg_lezers_van_scholen; a meeting
    is about students' care), by name, each with `clb_namen`, the sorted
    names of the serving CLBs they work for (empty for the school's own
    staff). Two queries."""
    school_ids = list(school_ids)
    gebruikers = {u.pk: u for u in zorg_lezers_van_scholen(school_ids)}
    clb_namen: dict[int, set[str]] = {}
    for user_id, clb_naam in CLBMedewerker.objects.filter(
        actief=True, user_id__in=list(gebruikers), clb__scholen__in=school_ids
    ).values_list("user_id", "clb__naam"):
        clb_namen.setdefault(user_id, set()).add(clb_naam)
    result = sorted(
        gebruikers.values(), key=lambda u: (u.last_name.lower(), u.first_name.lower(), u.email)
    )
    for user in result:
        user.clb_namen = sorted(clb_namen.get(user.pk, ()))
    return result


def overleg_links(user, _niveaus, kwargs_lijst):
    """Which links to meeting pages `user` may follow from a student's pages
    (a class council's decision is on the class team's timeline, but a CLB
    worker or last year's teacher does not open that council): one query."""
    pks = {kwargs["pk"] for kwargs in kwargs_lijst}
    open_pks = set(overleggen_visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))
    return lambda kwargs: kwargs["pk"] in open_pks


def can_plan_overleg(user) -> bool:
    """Planning a meeting is for the care team of some school."""
    return bool(toegang(user).zorg_school_ids)


def can_manage_overleg(user, overleg: Overleg) -> bool:
    """Agenda, notes, decisions, closing, amendments: the school's care team."""
    return is_zorgteam(user, overleg.school_id)


def can_edit_overleg(user, overleg: Overleg) -> bool:
    return can_manage_overleg(user, overleg) and not overleg.is_afgesloten


def neemt_deel(user, overleg: Overleg) -> bool:
    """Whether `user` attends `overleg`; asked once per meeting object."""
    cache = overleg.__dict__.setdefault("_zorg_deelname", {})
    if user.pk not in cache:
        cache[user.pk] = overleg.deelnemers.through.objects.filter(
            overleg_id=overleg.pk, user=user
        ).exists()
    return cache[user.pk]


def ziet_volledige_agenda(user, overleg: Overleg) -> bool:
    """The care team, and a CLB worker who attends the meeting, read every
    agenda item; a teacher only those of students they teach now, another
    CLB worker only those of students in their reach."""
    t = toegang(user)
    if overleg.school_id in t.zorg_school_ids:
        return True
    return overleg.school_id in t.clb_school_ids and neemt_deel(user, overleg)


def ziet_algemene_notulen(user, overleg: Overleg) -> bool:
    """The general minutes (and amendments not about one student) may name
    any student, so they are for those who read the whole agenda and, in a
    class council, the class's teachers; a CLB worker who does not attend a
    care cell reads only the items of students in their reach."""
    if ziet_volledige_agenda(user, overleg):
        return True
    return overleg.is_klassenraad and overleg.klas_id in lesklassen(user).alle_ids


def agendapunten_visible_to(user, overleg: Overleg):
    """The agenda items of `overleg` this user reads (the meeting itself must
    already be one they see)."""
    punten = Agendapunt.objects.filter(overleg=overleg)
    if ziet_volledige_agenda(user, overleg):
        return punten
    t = toegang(user)
    zichtbaar = Q(pk__in=[])
    if overleg.school_id in t.clb_school_ids:
        zichtbaar |= Q(leerling_id__in=clb_bereik(user))
    klas_ids = lesklassen(user).alle_ids
    if klas_ids and overleg.is_klassenraad:
        zichtbaar |= Q(
            Exists(
                Inschrijving.objects.actief().filter(
                    leerling=OuterRef("leerling_id"), klas_id__in=klas_ids
                )
            )
        )
    return punten.filter(zichtbaar)


# How long after a meeting closed its attending CLB worker still reaches the
# students on its agenda: long enough to read the minutes back and follow up
# the decisions, not for ever.
CLB_BEREIK_NA_AFSLUITEN = datetime.timedelta(days=30)


def clb_bereik_van_overleg(user, school_ids):
    """Students on the agenda of a care cell (or other meeting) of a served
    school that this CLB worker attends, while it is open and for
    CLB_BEREIK_NA_AFSLUITEN after it closed: registered with the student
    record's CLB reach."""
    return Agendapunt.objects.filter(
        Q(overleg__afgesloten_op__isnull=True)
        | Q(overleg__afgesloten_op__gte=timezone.now() - CLB_BEREIK_NA_AFSLUITEN),
        overleg__school_id__in=school_ids,
        overleg__in=Overleg.deelnemers.through.objects.filter(user=user).values("overleg_id"),
    )


def clb_lezers_van_overleg(leerling: Leerling):
    """The same reason seen from the student: the attendees of a meeting of
    the student's school with the student on its agenda, open or closed less
    than CLB_BEREIK_NA_AFSLUITEN ago (`user_id` values; the caller keeps the
    CLB staff serving the school)."""
    return Overleg.deelnemers.through.objects.filter(
        Q(overleg__afgesloten_op__isnull=True)
        | Q(overleg__afgesloten_op__gte=timezone.now() - CLB_BEREIK_NA_AFSLUITEN),
        overleg__school_id=leerling.school_id,
        overleg__in=Agendapunt.objects.filter(leerling=leerling).values("overleg_id"),
    )


def get_agendapunt_for_user(user, overleg: Overleg, pk) -> Agendapunt:
    return get_or_404(agendapunten_visible_to(user, overleg).select_related("leerling"), pk=pk)


def can_add_notitie(user, overleg: Overleg, agendapunt: Agendapunt) -> bool:
    """Remarks on a student's item: the care team; in a class council also
    the teachers of that student (the item is one they see)."""
    if overleg.is_afgesloten:
        return False
    if can_manage_overleg(user, overleg):
        return True
    return overleg.is_klassenraad and can_add_observatie(user, agendapunt.leerling)


def can_record_beslissing(user, overleg: Overleg) -> bool:
    """Decisions write measures, phases and referrals: the care team, while
    the meeting is open."""
    return can_edit_overleg(user, overleg)


# --- requests to discuss a student ---------------------------------------------------


def can_request_bespreking(user, leerling: Leerling) -> bool:
    """Any teacher of the student, and the school's care team."""
    return can_add_observatie(user, leerling)


def bespreekvragen_visible_to(user):
    """The care team sees every request of its school; a teacher their own."""
    t = toegang(user)
    return Bespreekvraag.objects.filter(
        Q(leerling__school_id__in=t.zorg_school_ids) | Q(gevraagd_door=user)
    )


def get_bespreekvraag_for_user(user, pk) -> Bespreekvraag:
    return get_or_404(bespreekvragen_visible_to(user).select_related("leerling"), pk=pk)


def can_withdraw_bespreekvraag(user, vraag: Bespreekvraag) -> bool:
    if vraag.status != Bespreekvraag.Status.OPEN:
        return False
    return vraag.gevraagd_door_id == user.pk or is_zorgteam(user, vraag.leerling.school_id)


# --- action items ---------------------------------------------------------------------


def actiepunten_visible_to(user):
    """The school's care team sees all of the school's items; an owner their
    own, as long as they may read the student's care content: an item owned
    by someone who may not (old data, a teacher who no longer teaches the
    student) shows them nothing of the student."""
    t = toegang(user)
    if not user.is_authenticated:
        return Actiepunt.objects.none()
    # EXISTS per item rather than IN: under the OR, PostgreSQL would read
    # every student the user may see into a hash for the IN, on every start
    # page (issue 19); the EXISTS probes the few items of one owner.
    eigen_leerling = Exists(leerlingen_met_zorg_visible_to(user).filter(pk=OuterRef("leerling_id")))
    return Actiepunt.objects.filter(
        Q(eigen_leerling, eigenaar=user) | Q(leerling__school_id__in=t.zorg_school_ids)
    )


def can_view_school_actiepunten(user) -> bool:
    """The list of the school's open items: its care team."""
    return bool(toegang(user).zorg_school_ids)


def school_actiepunten_visible_to(user):
    """The items of the schools where the user is on the care team, from
    `actiepunten_visible_to` like every list of items."""
    return actiepunten_visible_to(user).filter(
        leerling__school_id__in=toegang(user).zorg_school_ids
    )


def get_actiepunt_for_user(user, pk) -> Actiepunt:
    """The item, with what its page shows of it joined in, or a 404."""
    return get_or_404(
        actiepunten_visible_to(user).select_related(
            "leerling", "overleg__klas", "eigenaar", "afgehandeld_door", "beslissing"
        ),
        pk=pk,
    )


def can_update_actiepunt(user, actiepunt: Actiepunt) -> bool:
    """Complete or cancel: the owner, and the school's care team."""
    return actiepunt.eigenaar_id == user.pk or is_zorgteam(user, actiepunt.leerling.school_id)


def portret_scholen_visible_to(user):
    """The schools whose portrait class councils `user` plans at once: where
    they are on the care team."""
    return zorgteam_scholen_visible_to(user)


def get_portret_school_for_user(user, pk) -> School:
    return get_or_404(portret_scholen_visible_to(user), pk=pk)


def can_plan_portretten(user, school_id: int) -> bool:
    return school_id in toegang(user).zorg_school_ids


# --- the guiding class council selects remediation ------------------------------------


def can_select_remediering(user, overleg: Overleg) -> bool:
    """The guiding class council's selection of who gets remediation or
    differentiation: recorded by the care team while the meeting is open,
    like its other decisions."""
    return overleg.soort == OverlegSoort.BEGELEIDEND and can_record_beslissing(user, overleg)


def get_remediering_overleg_for_user(user, pk) -> Overleg:
    overleg = get_overleg_for_user(user, pk)
    if not can_select_remediering(user, overleg):
        raise Http404
    return overleg


def klasbeslissingen_visible_to(user, overleg: Overleg):
    """The decisions of `overleg` about the whole class (the guiding class
    council's remediation for all): for those who read its general
    minutes (the care team, the class's teachers, an attending CLB worker);
    not the secretariat or the administrator, who do not see the meeting."""
    if not ziet_algemene_notulen(user, overleg):
        return Beslissing.objects.none()
    return Beslissing.objects.filter(overleg=overleg, agendapunt__isnull=True)


def remedieringen_van_overleg(user, overleg: Overleg):
    """The remediation this meeting selected that `user` sees."""
    return remedieringen_visible_to(user).filter(overleg=overleg)
