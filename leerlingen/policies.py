"""Who may see which students and classes, and what of them.

Rests on the core scope in zorg.accounts.policies and adds what only this app
knows: the classes a teacher teaches or leads in the current school year.

- Care coordinators and the director see every student of their school.
- The secretariat and the functional administrator see every student's
  administrative data, never care content.
- A teacher sees the students currently enrolled in a class they teach this
  school year; a class teacher likewise for their class, plus the guardians.
- CLB staff reach only schools their CLB serves, and within them only the
  students in their reach (`clb_bereik`): an open or accepted referral, or
  another reason an app registers (a care-cell agenda they attend).
- Nobody sees anything of a school they hold no role in.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, Value
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import timezone

from zorg.accounts.models import CLBMedewerker, Lidmaatschap, Rol, School
from zorg.accounts.policies import Toegang, get_or_404, toegang

from .models import (
    Aanmelding,
    Afwezigheid,
    Bereik,
    Gesprek,
    Inschrijving,
    Klas,
    Leerling,
    Lesopdracht,
    Maatregel,
    MaatregelCatalogusItem,
    Observatie,
    Ouderbrief,
    Remediering,
    Signaal,
    SodaPeriode,
    Vak,
    Vlag,
    VlagBetrokkene,
    VlagKleur,
    Zichtbaarheid,
)

ZORGTEAM_ROLLEN = (Rol.ZORGCOORDINATOR, Rol.DIRECTIE)
ALLE_ZICHTBAARHEDEN = frozenset({Zichtbaarheid.KLASTEAM, Zichtbaarheid.ZORGTEAM})
KLASTEAM_ZICHTBAARHEID = frozenset({Zichtbaarheid.KLASTEAM})

_KLASSEN_ATTR = "_zorg_klassen"


class Lesklassen:
    """The current-year classes a user teaches (any subject) or leads."""

    def __init__(self, les_ids: frozenset[int], titularis_ids: frozenset[int]):
        self.les_ids = les_ids
        self.titularis_ids = titularis_ids
        self.alle_ids = les_ids | titularis_ids


def lesklassen(user) -> Lesklassen:
    cached = getattr(user, _KLASSEN_ATTR, None)
    if cached is not None:
        return cached
    t = toegang(user)
    scholen = t.leerkracht_school_ids
    if not scholen:
        result = Lesklassen(frozenset(), frozenset())
    else:
        huidig = Klas.objects.filter(schooljaar__is_huidig=True, schooljaar__school_id__in=scholen)
        les = huidig.filter(
            Exists(Lesopdracht.objects.filter(klas=OuterRef("pk"), leerkracht=user))
        )
        titularis = huidig.filter(klastitularissen=user)
        les_ids: set[int] = set()
        titularis_ids: set[int] = set()
        for klas_id, is_titularis in (
            les.order_by()
            .values_list("id", Value(False, output_field=BooleanField()))
            .union(
                titularis.order_by().values_list("id", Value(True, output_field=BooleanField())),
                all=True,
            )
        ):
            (titularis_ids if is_titularis else les_ids).add(klas_id)
        result = Lesklassen(frozenset(les_ids), frozenset(titularis_ids))
    setattr(user, _KLASSEN_ATTR, result)
    return result


def _schoolbreed(t: Toegang) -> frozenset[int]:
    """Schools where a user sees every student (in some depth). Not the CLB:
    it sees only the students in its reach."""
    return t.zorg_school_ids | t.administratie_school_ids


# --- the CLB's reach ------------------------------------------------------------

_BEREIK_ATTR = "_zorg_clb_bereik"
# Apps built on the student record add reasons why a CLB worker reaches a
# student: callables (user, school_ids) -> a queryset of `leerling_id` values.
_CLB_BEREIK_BRONNEN: list = []
# The same reasons seen from the student: callables (leerling) -> a queryset
# of `user_id` values of the CLB workers that reason brings the student in
# reach of. `zorg_lezers` asks them; they must agree with the sources above.
_CLB_LEZERS_BRONNEN: list = []
OPEN_AANMELDING = (Aanmelding.Status.OPEN, Aanmelding.Status.AANVAARD)


def clb_bereik_registreren(bron, *, lezers) -> None:
    """Let an app add students to a CLB worker's reach (e.g. those on a
    care-cell agenda the worker attends): `bron` gives the students a worker
    reaches, `lezers` the workers a student is reached by, for the same
    reason. Registering twice is harmless."""
    if bron not in _CLB_BEREIK_BRONNEN:
        _CLB_BEREIK_BRONNEN.append(bron)
    if lezers not in _CLB_LEZERS_BRONNEN:
        _CLB_LEZERS_BRONNEN.append(lezers)


def clb_bereik(user) -> frozenset[int]:
    """The students a CLB worker reaches, in the schools their CLB serves:
    those with an open or accepted referral (so with a running trajectory),
    plus what apps registered. One query, cached on the user object."""
    cached = getattr(user, _BEREIK_ATTR, None)
    if cached is not None:
        return cached
    scholen = toegang(user).clb_school_ids
    ids: frozenset[int] = frozenset()
    if scholen:
        bronnen = (
            Aanmelding.objects.filter(leerling__school_id__in=scholen, status__in=OPEN_AANMELDING)
            .order_by()
            .values("leerling_id")
        )
        for bron in _CLB_BEREIK_BRONNEN:
            bronnen = bronnen.union(bron(user, scholen).order_by().values("leerling_id"))
        ids = frozenset(rij["leerling_id"] for rij in bronnen)
    setattr(user, _BEREIK_ATTR, ids)
    return ids


def in_clb_bereik(user, leerling: Leerling) -> bool:
    return leerling.school_id in toegang(user).clb_school_ids and leerling.pk in clb_bereik(user)


# --- students ---------------------------------------------------------------


def leerlingen_visible_to(user):
    return _leerlingen(user, _schoolbreed(toegang(user)))


def leerlingen_met_zorg_visible_to(user):
    """The students whose care content this user reads (`can_view_zorg`):
    without the secretariat's and the administrator's administrative view.
    For what hangs off a student's care record, e.g. action items."""
    return _leerlingen(user, toegang(user).zorg_school_ids)


def _leerlingen(user, scholen):
    t = toegang(user)
    klassen = lesklassen(user)
    bereik = clb_bereik(user) if t.clb_school_ids else frozenset()
    if not scholen and not klassen.alle_ids and not bereik:
        return Leerling.objects.none()
    # A student whose school record was destroyed stays only for the CLB's
    # file (bewaring.regels): the school no longer sees them.
    zichtbaar = Q(school_id__in=scholen, dossier_vernietigd_op__isnull=True)
    if bereik:
        zichtbaar |= Q(pk__in=bereik, school_id__in=t.clb_school_ids)
    if klassen.alle_ids:
        zichtbaar |= Q(
            Exists(
                Inschrijving.objects.actief().filter(
                    leerling=OuterRef("pk"), klas_id__in=klassen.alle_ids
                )
            )
        )
    return Leerling.objects.filter(zichtbaar)


def get_leerling_for_user(user, pk) -> Leerling:
    return get_or_404(
        leerlingen_visible_to(user).select_related("school", "zorgfase").met_huidige_klas(),
        pk=pk,
    )


def _huidige_klas_ids(leerling: Leerling) -> set[int]:
    ids = getattr(leerling, "_huidige_klas_ids", None)
    if ids is None:
        ids = set(
            Inschrijving.objects.actief()
            .filter(leerling=leerling)
            .values_list("klas_id", flat=True)
        )
        leerling._huidige_klas_ids = ids
    return ids


def zichtbaarheden(user, leerling: Leerling) -> frozenset[str]:
    """The levels of care content this user reads for this student: the
    class team's (a teacher of the student) and the care team's (care
    coordinators, the director, the CLB). Empty for the secretariat and the
    functional administrator: no care content at all."""
    t = toegang(user)
    if leerling.school_id in t.zorg_school_ids or in_clb_bereik(user, leerling):
        return ALLE_ZICHTBAARHEDEN
    if lesklassen(user).alle_ids & _huidige_klas_ids(leerling):
        return KLASTEAM_ZICHTBAARHEID
    return frozenset()


def can_view_zorg(user, leerling: Leerling) -> bool:
    """Care content at class-team level: phase, active measures, class-team
    observations."""
    return bool(zichtbaarheden(user, leerling))


def maatregelen_visible_to(user, leerling: Leerling):
    """The measures of `leerling` this user reads: all for the care team,
    those in force today for the class team, none for anyone else."""
    zichtbaar = zichtbaarheden(user, leerling)
    if Zichtbaarheid.ZORGTEAM in zichtbaar:
        return Maatregel.objects.filter(leerling=leerling)
    if Zichtbaarheid.KLASTEAM in zichtbaar:
        return Maatregel.objects.actief().filter(leerling=leerling)
    return Maatregel.objects.none()


def get_maatregel_for_user(user, leerling: Leerling, pk) -> Maatregel:
    """One of `leerling`'s measures this user reads, with what its pages
    show joined in (its subjects by name), or a 404."""
    return get_or_404(
        maatregelen_visible_to(user, leerling)
        .select_related("beslist_door", "catalogus_item")
        .prefetch_related(Prefetch("vakken", queryset=Vak.objects.order_by("naam"))),
        pk=pk,
    )


def catalogus_items_visible_to(user):
    """The measures catalogue of the schools where the user is on the care
    team: who keeps it (adds, retires, revives items)."""
    return MaatregelCatalogusItem.objects.filter(school_id__in=toegang(user).zorg_school_ids)


def get_catalogus_item_for_user(user, pk) -> MaatregelCatalogusItem:
    return get_or_404(catalogus_items_visible_to(user), pk=pk)


def can_view_zorgteam(user, leerling: Leerling) -> bool:
    """Care-team-only content: notes, talks and documents the class team
    does not see."""
    return Zichtbaarheid.ZORGTEAM in zichtbaarheden(user, leerling)


# --- who may read a student's care content, seen from the student --------------------
#
# Every place where a person is chosen (an action item's owner, a meeting's
# participants, a trajectory's lead) or notified about a student asks these,
# so nobody is handed a student's care content that `can_view_zorg` would
# refuse them: not the secretariat, not the functional administrator, not a
# teacher of another class, not another school or another CLB.


def zorg_lezers(leerling: Leerling):
    """The active users who may read `leerling`'s care content: exactly those
    for whom `can_view_zorg(user, leerling)` holds, as one queryset (for a
    picker's choices, or to filter a list of recipients in one query)."""
    User = get_user_model()
    school_id = leerling.school_id
    lid = Lidmaatschap.objects.filter(user=OuterRef("pk"), actief=True)
    zichtbaar = Q(Exists(lid.filter(school_id=school_id, rol__in=ZORGTEAM_ROLLEN)))
    # The teachers of the student's current classes, as `lesklassen` counts
    # them: a teacher's membership in the class's school, this school year.
    klassen = dict(
        Klas.objects.filter(
            pk__in=Inschrijving.objects.actief().filter(leerling=leerling).values("klas_id")
        ).values_list("pk", "schooljaar__school_id")
    )
    if klassen:
        lesgevers = Q(
            Exists(Lesopdracht.objects.filter(leerkracht=OuterRef("pk"), klas_id__in=klassen))
        ) | Q(
            Exists(
                Klas.klastitularissen.through.objects.filter(
                    user=OuterRef("pk"), klas_id__in=klassen
                )
            )
        )
        zichtbaar |= lesgevers & Q(
            Exists(lid.filter(school_id__in=set(klassen.values()), rol=Rol.LEERKRACHT))
        )
    # CLB staff of a CLB serving the school, for whom the student is in reach.
    bereik = Aanmelding.objects.filter(leerling=leerling, status__in=OPEN_AANMELDING).exists()
    clb_lezers = Q(pk__in=[])
    if bereik:
        clb_lezers = Q(pk__isnull=False)
    for lezers in _CLB_LEZERS_BRONNEN:
        clb_lezers |= Q(pk__in=lezers(leerling).values("user_id"))
    zichtbaar |= Q(
        Exists(
            CLBMedewerker.objects.filter(user=OuterRef("pk"), actief=True, clb__scholen=school_id)
        ),
        clb_lezers,
    )
    return User.objects.filter(zichtbaar, is_active=True)


def zorg_lezers_van_school(school_id: int):
    """The active users with care access in the school: its care team, its
    teachers, and the staff of a CLB serving it. Who may take part in a
    meeting, which concerns several of the school's students; not the
    secretariat or the functional administrator."""
    return zorg_lezers_van_scholen([school_id])


def zorg_lezers_van_scholen(school_ids):
    """`zorg_lezers_van_school` for several schools at once (a planning form
    offering more than one school): one query."""
    school_ids = list(school_ids)
    User = get_user_model()
    lid = Lidmaatschap.objects.filter(
        user=OuterRef("pk"),
        actief=True,
        school_id__in=school_ids,
        rol__in=[*ZORGTEAM_ROLLEN, Rol.LEERKRACHT],
    )
    clb = CLBMedewerker.objects.filter(
        user=OuterRef("pk"), actief=True, clb__scholen__in=school_ids
    )
    return User.objects.filter(Q(Exists(lid)) | Q(Exists(clb)), is_active=True)


def zorgcoordinatoren(school_id: int) -> list:
    """The school's active care coordinators, by pk: whom a red flag, a
    request for the care cell or news from the CLB reaches."""
    return list(get_user_model().objects.met_rol(school_id, Rol.ZORGCOORDINATOR).order_by("pk"))


def zorg_lezers_onder(paren) -> set[tuple[int, int]]:
    """Of these (user id, student id) pairs, those in which the user may read
    the student's care content as school staff: the care team of the
    student's school, and, with a teacher's membership there, the teachers
    and class teachers of the student's current classes (as `zorg_lezers`).
    The CLB is left out: what asks (reminders of the school's own work)
    goes to school staff. Four queries, whatever the number of pairs."""
    paren = set(paren)
    if not paren:
        return set()
    user_ids = {u for u, _ in paren}
    leerling_ids = {leerling for _, leerling in paren}
    school_van = dict(Leerling.objects.filter(pk__in=leerling_ids).values_list("pk", "school_id"))
    rollen: dict[int, set[tuple[int, str]]] = {}
    for user_id, school_id, rol in Lidmaatschap.objects.filter(
        user_id__in=user_ids, actief=True, user__is_active=True
    ).values_list("user_id", "school_id", "rol"):
        rollen.setdefault(user_id, set()).add((school_id, rol))
    klassen: dict[int, set[int]] = {}
    for leerling_id, klas_id in (
        Inschrijving.objects.actief()
        .filter(leerling_id__in=leerling_ids)
        .values_list("leerling_id", "klas_id")
    ):
        klassen.setdefault(leerling_id, set()).add(klas_id)
    alle_klassen = set().union(*klassen.values()) if klassen else set()
    lesgever: set[tuple[int, int]] = set(
        Lesopdracht.objects.filter(klas_id__in=alle_klassen, leerkracht_id__in=user_ids)
        .values_list("leerkracht_id", "klas_id")
        .union(
            Klas.klastitularissen.through.objects.filter(
                klas_id__in=alle_klassen, user_id__in=user_ids
            ).values_list("user_id", "klas_id")
        )
    )
    toegelaten = set()
    for user_id, leerling_id in paren:
        school_id = school_van.get(leerling_id)
        eigen = rollen.get(user_id, set())
        if any((school_id, rol) in eigen for rol in ZORGTEAM_ROLLEN) or (
            (school_id, Rol.LEERKRACHT) in eigen
            and any((user_id, klas_id) in lesgever for klas_id in klassen.get(leerling_id, ()))
        ):
            toegelaten.add((user_id, leerling_id))
    return toegelaten


def heeft_zorgtoegang_in_school(user, school_id: int) -> bool:
    """The predicate of `zorg_lezers_van_school`, for one user."""
    t = toegang(user)
    return school_id in (t.zorg_school_ids | t.leerkracht_school_ids | t.clb_school_ids)


def is_zorgteam(user, school_id: int) -> bool:
    """Care coordinators and the director run the school's care continuum."""
    return school_id in toegang(user).zorg_school_ids


def can_change_zorgfase(user, leerling: Leerling) -> bool:
    return is_zorgteam(user, leerling.school_id)


def can_aanmelden_leerling(user, leerling: Leerling) -> bool:
    """A direct referral to the CLB is the care team's call, as a phase
    change is (the care coordinator, the director)."""
    return is_zorgteam(user, leerling.school_id)


def can_manage_maatregelen(user, leerling: Leerling) -> bool:
    return is_zorgteam(user, leerling.school_id)


def can_add_observatie(user, leerling: Leerling) -> bool:
    """Teachers of the student and the school's care team write observations;
    the CLB keeps its own notes (clb app)."""
    if is_zorgteam(user, leerling.school_id):
        return True
    return bool(lesklassen(user).alle_ids & _huidige_klas_ids(leerling))


def can_observe_in_klas(user, klas: Klas) -> bool:
    """The rule of can_add_observatie, decided once for a class: its own
    teachers and the school's care team; not the CLB, the secretariat or
    the administrator, even where they see the class."""
    if is_zorgteam(user, klas.schooljaar.school_id):
        return True
    return klas.pk in lesklassen(user).alle_ids


def observaties_visible_to(user, leerling: Leerling):
    """The observations of `leerling` this user reads: those at the levels
    of care content they have for the student (`zichtbaarheden`)."""
    return Observatie.objects.filter(
        leerling=leerling, zichtbaarheid__in=zichtbaarheden(user, leerling)
    )


def get_observatie_for_user(user, leerling: Leerling, pk) -> Observatie:
    """One of `leerling`'s observations this user reads, with its author and
    the original it corrects, or a 404."""
    observatie = get_or_404(
        observaties_visible_to(user, leerling).select_related("auteur", "corrigeert__auteur"),
        pk=pk,
    )
    observatie.leerling = leerling
    return observatie


def gesprekken_visible_to(user, leerling: Leerling):
    """The talks about `leerling` this user reads: those at the levels of
    care content they have for the student (`zichtbaarheden`)."""
    return Gesprek.objects.filter(
        leerling=leerling, zichtbaarheid__in=zichtbaarheden(user, leerling)
    )


def get_gesprek_for_user(user, leerling: Leerling, pk):
    return get_or_404(gesprekken_visible_to(user, leerling).select_related("door"), pk=pk)


def can_correct_observatie(user, observatie) -> bool:
    """A correction comes from the author or from the school's care team,
    as long as they may still write about the student."""
    leerling = observatie.leerling
    if not can_add_observatie(user, leerling):
        return False
    return observatie.auteur_id == user.pk or is_zorgteam(user, leerling.school_id)


def can_edit_observatie(user, observatie) -> bool:
    """Only the author, only for a short while, and only while still allowed
    to write about the student."""
    if observatie.auteur_id != user.pk:
        return False
    termijn = settings.ZORG_OBSERVATIE_BEWERKTERMIJN
    if timezone.now() - observatie.aangemaakt > termijn:
        return False
    return can_add_observatie(user, observatie.leerling)


def can_add_gesprek(user, leerling: Leerling) -> bool:
    return can_add_observatie(user, leerling)


def can_view_intake(user, leerling: Leerling) -> bool:
    """The class team reads the intake (the portrait class council walks
    through it); attestations themselves are documents, for the care team."""
    return can_view_zorg(user, leerling)


def can_edit_intake(user, leerling: Leerling) -> bool:
    return is_zorgteam(user, leerling.school_id)


def can_view_documenten(user, leerling: Leerling) -> bool:
    return can_view_zorgteam(user, leerling)


def can_upload_document(user, leerling: Leerling) -> bool:
    return is_zorgteam(user, leerling.school_id)


def can_view_contactgegevens(user, leerling: Leerling) -> bool:
    """Guardians' contact details: the class teacher, the care team, the
    secretariat and the CLB; not every subject teacher."""
    t = toegang(user)
    if leerling.school_id in _schoolbreed(t) or in_clb_bereik(user, leerling):
        return True
    return bool(lesklassen(user).titularis_ids & _huidige_klas_ids(leerling))


def can_view_audit(user, leerling: Leerling) -> bool:
    t = toegang(user)
    return leerling.school_id in t.scholen_met(Rol.DIRECTIE, Rol.BEHEERDER)


def can_export_leerlingen(user) -> bool:
    t = toegang(user)
    return bool(t.zorg_school_ids | t.scholen_met(Rol.SECRETARIAAT))


def leerlingen_exporteerbaar_voor(user):
    t = toegang(user)
    return Leerling.objects.filter(
        school_id__in=t.zorg_school_ids | t.scholen_met(Rol.SECRETARIAAT)
    )


# --- classes ----------------------------------------------------------------


def klassen_visible_to(user):
    t = toegang(user)
    klassen = lesklassen(user)
    return Klas.objects.filter(schooljaar__is_huidig=True).filter(
        Q(schooljaar__school_id__in=_schoolbreed(t)) | Q(pk__in=klassen.alle_ids)
    )


def can_view_klas(user, klas_id: int, school_id: int) -> bool:
    """Whether the class page of a current class opens for `user`: the same
    rule as klassen_visible_to, without a query for the class itself."""
    return school_id in _schoolbreed(toegang(user)) or klas_id in lesklassen(user).alle_ids


def get_klas_for_user(user, pk) -> Klas:
    return get_or_404(
        klassen_visible_to(user).select_related("schooljaar__school", "campus"), pk=pk
    )


def can_view_klas_maatregelen(user, klas: Klas) -> bool:
    """The class measures overview: the class's teachers and the school's
    care team; not the secretariat."""
    return can_observe_in_klas(user, klas)


def can_view_alle_klas_maatregelen(user, klas: Klas) -> bool:
    """The class teacher and the care team apply (so see) every measure of
    the class's students; a subject teacher only those that concern them
    (`klas_maatregelen_visible_to`)."""
    return is_zorgteam(user, klas.schooljaar.school_id) or (
        klas.pk in lesklassen(user).titularis_ids
    )


def klas_maatregelen_visible_to(user, klas: Klas):
    """The measures in force today for the students now in `klas` that this
    user applies there: all of them for the class teacher and the care team;
    for a subject teacher those for every subject, for tests and exams, and
    for the subjects they teach in this class (decided inside the query, not
    per measure); none for anyone who does not see the overview."""
    if not can_view_klas_maatregelen(user, klas):
        return Maatregel.objects.none()
    maatregelen = Maatregel.objects.actief().filter(
        leerling_id__in=Inschrijving.objects.actief().filter(klas=klas).values("leerling_id")
    )
    if can_view_alle_klas_maatregelen(user, klas):
        return maatregelen
    mijn_vak = Maatregel.vakken.through.objects.filter(
        maatregel_id=OuterRef("pk"),
        vak__lesopdrachten__klas=klas,
        vak__lesopdrachten__leerkracht=user,
    )
    return maatregelen.filter(
        Q(bereik__in=[Bereik.ALLE_VAKKEN, Bereik.TOETSEN])
        | (Q(bereik=Bereik.GEKOZEN_VAKKEN) & Exists(mijn_vak))
    )


def can_view_zorg_in_klas(user, klas: Klas) -> bool:
    """Whether a class list may show care columns (the phase) for its
    students: the same rule as can_view_zorg, decided once per class."""
    t = toegang(user)
    school_id = klas.schooljaar.school_id
    if school_id in t.zorg_school_ids:
        return True
    return klas.pk in lesklassen(user).alle_ids


# --- behaviour flags ------------------------------------------------------------


def vlaggen_visible_to(user):
    """Flags a user may see: the care team all of their school's; a teacher
    the flags they logged and those of students they teach now; a CLB worker
    those of students in their reach (the flags are part of the care record
    they read); nobody else (not the secretariat)."""
    t = toegang(user)
    klassen = lesklassen(user)
    bereik = clb_bereik(user) if t.clb_school_ids else frozenset()
    if not t.zorg_school_ids and not t.leerkracht_school_ids and not bereik:
        return Vlag.objects.none()
    zichtbaar = Q(school_id__in=t.zorg_school_ids)
    if t.leerkracht_school_ids:
        zichtbaar |= Q(gemeld_door=user, school_id__in=t.leerkracht_school_ids)
    if klassen.alle_ids:
        zichtbaar |= Q(
            Exists(
                VlagBetrokkene.objects.filter(
                    vlag=OuterRef("pk"),
                    leerling__in=Inschrijving.objects.actief()
                    .filter(klas_id__in=klassen.alle_ids)
                    .values("leerling_id"),
                )
            )
        )
    if bereik:
        zichtbaar |= Q(
            Exists(VlagBetrokkene.objects.filter(vlag=OuterRef("pk"), leerling_id__in=bereik)),
            school_id__in=t.clb_school_ids,
        )
    return Vlag.objects.filter(zichtbaar)


def get_vlag_for_user(user, pk) -> Vlag:
    return get_or_404(
        vlaggen_visible_to(user).select_related("school", "klas", "vak", "gemeld_door"), pk=pk
    )


def can_view_vlaggen(user, leerling: Leerling) -> bool:
    """A student's flags: the school's care team and the student's own
    teachers (the rule of can_add_observatie); not the CLB, who meets the
    flags through the care cell, nor the secretariat."""
    return can_add_observatie(user, leerling)


def can_log_vlag(user, klas: Klas) -> bool:
    """From a class page: its teachers and the school's care team."""
    return can_observe_in_klas(user, klas)


def can_erkennen_vlag(user, vlag: Vlag) -> bool:
    """A red flag's alert is acknowledged by the school's care team."""
    return vlag.kleur == VlagKleur.ROOD and is_zorgteam(user, vlag.school_id)


def can_opvolgen_vlag(user, vlag: Vlag) -> bool:
    """The care team follows up every flag; the teacher who logged a green,
    yellow or orange flag handles it in class and records that too."""
    if is_zorgteam(user, vlag.school_id):
        return True
    return vlag.kleur != VlagKleur.ROOD and vlag.gemeld_door_id == user.pk


def can_opvolgen_met_tucht(user, vlag: Vlag) -> bool:
    """A disciplinary step in a flag's follow-up is the care team's."""
    return is_zorgteam(user, vlag.school_id)


def can_view_vlagtrends(user, school_id: int) -> bool:
    return is_zorgteam(user, school_id)


# --- the care team's work lists (the start page and the pages behind it) ----------------


def open_rode_vlaggen_visible_to(user):
    """Open red flags of the schools where the user is on the care team."""
    return Vlag.objects.filter(
        school_id__in=toegang(user).zorg_school_ids, kleur=VlagKleur.ROOD
    ).exclude(status=Vlag.Status.AFGESLOTEN)


def can_view_rode_vlaggen(user) -> bool:
    """The lists of open red flags: the care team of some school."""
    return bool(toegang(user).zorg_school_ids)


def can_view_geescaleerde_vlaggen(user) -> bool:
    """Escalated flags are the director's list."""
    return bool(toegang(user).scholen_met(Rol.DIRECTIE))


def geescaleerd_voor(user) -> Q:
    """The escalated flags among those: they count for the director of the
    flag's school only. A filter, so a page can count them in an aggregate."""
    return Q(geescaleerd_op__isnull=False, school_id__in=toegang(user).scholen_met(Rol.DIRECTIE))


def signalen_visible_to(user):
    """Pattern signals: of every student of the school for the care team,
    of the students now in their own class for a class teacher."""
    zichtbaar = Q(leerling__school_id__in=toegang(user).zorg_school_ids)
    titularis_ids = lesklassen(user).titularis_ids
    if titularis_ids:
        zichtbaar |= Q(
            leerling_id__in=Inschrijving.objects.actief()
            .filter(klas_id__in=titularis_ids)
            .values("leerling_id")
        )
    return Signaal.objects.filter(zichtbaar)


def get_signaal_for_user(user, pk) -> Signaal:
    return get_or_404(signalen_visible_to(user).select_related("leerling"), pk=pk)


def can_view_signalen(user) -> bool:
    """The list of open signals: the care team and class teachers."""
    return bool(toegang(user).zorg_school_ids or lesklassen(user).titularis_ids)


def can_afhandelen_signaal(user, signaal: Signaal) -> bool:
    """The school's care team, and the class teacher of the student's current
    class: those who see the signal on their start page."""
    leerling = signaal.leerling
    if is_zorgteam(user, leerling.school_id):
        return True
    titularis_ids = lesklassen(user).titularis_ids
    return bool(titularis_ids) and (
        Inschrijving.objects.actief()
        .filter(leerling_id=leerling.pk, klas_id__in=titularis_ids)
        .exists()
    )


# --- links on students' pages ------------------------------------------------------

# A link is shown only when its reader may follow it. A timeline entry points
# at a record that may follow a stricter rule than the entry (a measure no
# longer in force, a class council's page). Per URL name, a check
# `(user, niveaus, kwargs_lijst) -> predicate(kwargs)` decides for all links
# of a page in one query; `niveaus` are the levels of care content
# (zichtbaarheden) the page's reader has for the students it shows. Apps
# built on the student record register checks for their pages.
_LINKCONTROLES: dict = {}


def linkcontrole_registreren(url_naam: str, controle) -> None:
    """Let an app decide which links to its pages (by URL name) a reader
    may follow from a student's pages. Registering twice is harmless."""
    _LINKCONTROLES[url_naam] = controle


def te_openen_links(user, niveaus: frozenset[str], urls) -> frozenset[str]:
    """The `urls` (links on a page about students this user reads at
    `niveaus`) that `user` may open. A URL without a registered check opens
    for whoever sees the entry that carries it: its page follows the entry's
    own rule."""
    open_urls: set[str] = set()
    per_naam: dict[str, list] = {}
    for url in set(filter(None, urls)):
        try:
            match = resolve(url.split("#", 1)[0].split("?", 1)[0])
        except Resolver404:
            continue
        if match.view_name in _LINKCONTROLES:
            per_naam.setdefault(match.view_name, []).append((url, match.kwargs))
        else:
            open_urls.add(url)
    for naam, links in per_naam.items():
        mag = _LINKCONTROLES[naam](user, niveaus, [kwargs for _url, kwargs in links])
        open_urls |= {url for url, kwargs in links if mag(kwargs)}
    return frozenset(open_urls)


def _maatregel_links(user, niveaus, kwargs_lijst):
    """The rule of maatregelen_visible_to for students read at `niveaus`:
    every measure for the care team, those in force for the class team."""
    if Zichtbaarheid.ZORGTEAM in niveaus:
        maatregelen = Maatregel.objects.all()
    elif Zichtbaarheid.KLASTEAM in niveaus:
        maatregelen = Maatregel.objects.actief()
    else:
        return lambda kwargs: False
    open_paren = set(
        maatregelen.filter(pk__in={kwargs["m_pk"] for kwargs in kwargs_lijst}).values_list(
            "pk", "leerling_id"
        )
    )
    return lambda kwargs: (kwargs["m_pk"], kwargs["pk"]) in open_paren


linkcontrole_registreren("leerlingen:maatregel_detail", _maatregel_links)


def get_klas_maatregelen_for_user(user, pk):
    """The class whose measures overview `user` may read, or Http404."""
    klas = get_klas_for_user(user, pk)
    if not can_view_klas_maatregelen(user, klas):
        raise Http404
    return klas


def lesklassen_in_school(user, school_id: int):
    """The current-year classes of one school that `user` teaches or leads,
    in the order of the class list: those of the overview of all one's
    classes. Each is one whose measures overview `user` reads
    (`can_view_klas_maatregelen`)."""
    return (
        Klas.objects.filter(
            pk__in=lesklassen(user).alle_ids,
            schooljaar__school_id=school_id,
            schooljaar__is_huidig=True,
        )
        .select_related("schooljaar__school", "campus")
        .order_by("leerjaar", "naam", "pk")
    )


def get_mijn_klassen_school_for_user(user, pk) -> School:
    """The school in whose current school year `user` teaches or leads a
    class (the measures of all their classes there, in one PDF), or
    Http404: to anyone else (the secretariat, the CLB, the care team
    without classes, another school) it does not exist."""
    ids = lesklassen(user).alle_ids
    if not ids:
        raise Http404
    return get_or_404(
        School.objects.filter(
            Exists(
                Klas.objects.filter(
                    pk__in=ids, schooljaar__school=OuterRef("pk"), schooljaar__is_huidig=True
                )
            )
        ),
        pk=pk,
    )


# --- the care file (zorgdossier PDF) -----------------------------------------------


def can_view_zorgdossier(user, leerling: Leerling) -> bool:
    """The care file shows the student's care as its reader sees it on the
    student page: for whoever reads that care. The secretariat and the
    functional administrator read none, and a file with no care in it is
    no care file."""
    return can_view_zorg(user, leerling)


def get_zorgdossier_leerling_for_user(user, pk) -> Leerling:
    """The student whose care file `user` may have, or Http404."""
    leerling = get_leerling_for_user(user, pk)
    if not can_view_zorgdossier(user, leerling):
        raise Http404
    return leerling


# --- SODA reports ---------------------------------------------------------------


def soda_scholen_visible_to(user):
    """The schools whose SODA periods and scale this user sets up: where
    they are on the care team (care coordinator, director)."""
    return School.objects.filter(pk__in=toegang(user).zorg_school_ids)


def get_soda_school_for_user(user, pk) -> School:
    return get_or_404(soda_scholen_visible_to(user), pk=pk)


def soda_perioden_visible_to(user):
    """The SODA periods this user sets up (those of their care-team schools)."""
    return SodaPeriode.objects.filter(schooljaar__school_id__in=toegang(user).zorg_school_ids)


def get_soda_periode_for_user(user, pk) -> SodaPeriode:
    return get_or_404(soda_perioden_visible_to(user).select_related("schooljaar__school"), pk=pk)


def soda_lesopdrachten_visible_to(user):
    """The teaching assignments whose SODA scores this user writes: their
    own, in the classes of this school year they teach."""
    return Lesopdracht.objects.filter(leerkracht=user, klas_id__in=lesklassen(user).les_ids)


def can_fill_soda(user, klas: Klas) -> bool:
    """A subject teacher of the class (not the class teacher as such: SODA
    is scored per subject)."""
    return klas.pk in lesklassen(user).les_ids


def get_soda_invulklas_for_user(user, pk) -> Klas:
    """The class whose SODA grid `user` fills in, or Http404."""
    klas = get_klas_for_user(user, pk)
    if not can_fill_soda(user, klas):
        raise Http404
    return klas


# --- remediation and differentiation ---------------------------------------------
#
# A teacher records remediation in a subject they teach in a class; the
# class's teachers and class teacher, and the school's care team, see and
# edit all of that class's; an author keeps their own. Not the secretariat
# or the administrator: it is care content. The CLB reads, in the care
# record of a student it reaches, the remediation that student takes part
# in (leerling_remedieringen_visible_to), read-only and without the class's
# remediation pages (which name other students).


def _remedieringen_zichtbaar(user) -> Q | None:
    """The rule of remedieringen_visible_to as a condition; None: nothing."""
    t = toegang(user)
    klassen = lesklassen(user)
    if not (t.zorg_school_ids or klassen.alle_ids or t.leerkracht_school_ids):
        return None
    zichtbaar = Q(school_id__in=t.zorg_school_ids) | Q(klas_id__in=klassen.alle_ids)
    if t.leerkracht_school_ids:
        zichtbaar |= Q(door=user, school_id__in=t.leerkracht_school_ids)
    return zichtbaar


def remedieringen_visible_to(user):
    zichtbaar = _remedieringen_zichtbaar(user)
    if zichtbaar is None:
        return Remediering.objects.none()
    return Remediering.objects.filter(zichtbaar)


def get_remediering_for_user(user, pk) -> Remediering:
    return get_or_404(
        remedieringen_visible_to(user).select_related(
            "klas__schooljaar", "vak", "leerling", "door", "overleg"
        ),
        pk=pk,
    )


def can_edit_remediering(user, remediering: Remediering) -> bool:
    """Whoever sees it: its author, the class's teachers, the care team."""
    return (
        is_zorgteam(user, remediering.school_id)
        or remediering.klas_id in lesklassen(user).alle_ids
        or (
            remediering.door_id == user.pk
            and remediering.school_id in toegang(user).leerkracht_school_ids
        )
    )


def remediering_vakken(user, klas: Klas) -> list[Vak]:
    """The subjects `user` records remediation in for `klas`: a subject
    teacher their own subjects there; the class teacher and the care team
    every subject taught in the class (every subject of the school when
    none is assigned yet). Empty for anyone else."""
    if not can_observe_in_klas(user, klas):
        return []
    vakken = Vak.objects.filter(school_id=klas.schooljaar.school_id).order_by("naam")
    if can_view_alle_klas_maatregelen(user, klas):
        in_klas = list(vakken.filter(lesopdrachten__klas=klas).distinct())
        return in_klas or list(vakken)
    return list(vakken.filter(lesopdrachten__klas=klas, lesopdrachten__leerkracht=user).distinct())


def can_view_klas_remedieringen(user, klas: Klas) -> bool:
    """The class's remediation list: its teachers and the care team."""
    return can_observe_in_klas(user, klas)


def get_klas_remedieringen_for_user(user, pk) -> Klas:
    klas = get_klas_for_user(user, pk)
    if not can_view_klas_remedieringen(user, klas):
        raise Http404
    return klas


def can_view_soda_klas(user, klas: Klas) -> bool:
    """The class's SODA overview: its class teachers and the school's care
    team; not a subject teacher (who sees their own grid), the CLB, the
    secretariat or the administrator."""
    return is_zorgteam(user, klas.schooljaar.school_id) or klas.pk in lesklassen(user).titularis_ids


def get_soda_klas_for_user(user, pk) -> Klas:
    klas = get_klas_for_user(user, pk)
    if not can_view_soda_klas(user, klas):
        raise Http404
    return klas


def can_view_soda(user, leerling: Leerling) -> bool:
    """A student's SODA reports are care content at class-team level."""
    return can_view_zorg(user, leerling)


def can_manage_soda(user, school_id: int) -> bool:
    """Set up the school's SODA periods and scale: its care team."""
    return is_zorgteam(user, school_id)


def leerling_remedieringen_visible_to(user, leerling: Leerling):
    """The remediation a student takes part in that `user` sees: their own,
    their group's, and the whole-class ones of their current classes. A CLB
    worker who reaches the student reads all of it. Each row carries
    `te_openen`: whether `user` may open its page (remedieringen_visible_to;
    not the CLB, for whom the student's record is the way in)."""
    zichtbaar = _remedieringen_zichtbaar(user)
    if in_clb_bereik(user, leerling):
        basis = Remediering.objects.filter(school_id=leerling.school_id)
    elif zichtbaar is None:
        return Remediering.objects.none()
    else:
        basis = Remediering.objects.filter(zichtbaar)
    groep = Remediering.groep.through.objects.filter(
        remediering_id=OuterRef("pk"), leerling_id=leerling.pk
    )
    return basis.filter(
        Q(leerling=leerling)
        | Exists(groep)
        | Q(niveau=Remediering.Niveau.KLAS, klas_id__in=_huidige_klas_ids(leerling))
    ).annotate(
        te_openen=ExpressionWrapper(zichtbaar, output_field=BooleanField())
        if zichtbaar is not None
        else Value(False, output_field=BooleanField())
    )


def _remediering_links(user, _niveaus, kwargs_lijst):
    """The rule of remedieringen_visible_to: the CLB reads a student's
    timeline but not the class's remediation pages."""
    open_ids = set(
        remedieringen_visible_to(user)
        .filter(pk__in={kwargs["pk"] for kwargs in kwargs_lijst})
        .values_list("pk", flat=True)
    )
    return lambda kwargs: kwargs["pk"] in open_ids


linkcontrole_registreren("leerlingen:remediering_detail", _remediering_links)


# --- absences ---------------------------------------------------------------------
#
# The student secretariat records absences: administrative data. The care
# team (and the CLB where it reaches the student) reads them with what they
# mean for care (the threshold); teachers see nothing of them here.


def _afwezigheid_scholen(user) -> frozenset[int]:
    """Schools where this user records absences: the secretariat's."""
    return toegang(user).scholen_met(Rol.SECRETARIAAT)


def can_registreren_afwezigheden(user, school_id: int | None = None) -> bool:
    """In `school_id`, or (None) in any school."""
    scholen = _afwezigheid_scholen(user)
    return bool(scholen) if school_id is None else school_id in scholen


def afwezigheid_klassen_visible_to(user):
    """The current year's classes whose absences this user records."""
    return Klas.objects.filter(
        schooljaar__is_huidig=True, schooljaar__school_id__in=_afwezigheid_scholen(user)
    )


def can_view_afwezigheden(user, leerling: Leerling) -> bool:
    """The list of a student's absences: the secretariat of the school, the
    care team and the CLB where it reaches the student."""
    return leerling.school_id in _afwezigheid_scholen(user) or can_view_zorgteam(user, leerling)


def can_view_afwezigheidsdrempel(user, leerling: Leerling) -> bool:
    """That the student reached the threshold is care content."""
    return can_view_zorgteam(user, leerling)


def afwezigheden_visible_to(user):
    """The absences this user may open one by one: those of the schools
    where they record absences or are on the care team."""
    t = toegang(user)
    return Afwezigheid.objects.filter(
        leerling__school_id__in=_afwezigheid_scholen(user) | t.zorg_school_ids
    )


def get_afwezigheid_for_user(user, pk) -> Afwezigheid:
    return get_or_404(afwezigheden_visible_to(user).select_related("leerling__school"), pk=pk)


def can_change_afwezigheid(user, afwezigheid: Afwezigheid) -> bool:
    """Correct a code, remove a mistake: the secretariat of the school."""
    return afwezigheid.leerling.school_id in _afwezigheid_scholen(user)


# --- the parent letter -----------------------------------------------------------------
#
# The care team (care coordinators, the director) writes the letter and
# records the parents' response; the care team and the CLB staff who reach
# the student read it. Not the class teacher, though they lead the contacts
# with the parents: the letter quotes the agreements of talks with the
# parents and the student, and a talk may be for the care team's eyes only
# (Zichtbaarheid.ZORGTEAM). What a teacher must apply is on the class's
# measures overview, with whether the parents agreed. The secretariat and
# the functional administrator read no care content: a 404.


def can_view_ouderbrieven(user, leerling: Leerling) -> bool:
    return can_view_zorgteam(user, leerling)


def can_manage_ouderbrieven(user, leerling: Leerling) -> bool:
    return is_zorgteam(user, leerling.school_id)


def ouderbrieven_visible_to(user, leerling: Leerling):
    if not can_view_ouderbrieven(user, leerling):
        return Ouderbrief.objects.none()
    return Ouderbrief.objects.filter(leerling=leerling)


def _ouderbrief_links(user, niveaus, kwargs_lijst):
    """The rule of can_view_ouderbrieven for students read at `niveaus`."""
    return lambda kwargs: Zichtbaarheid.ZORGTEAM in niveaus


linkcontrole_registreren("leerlingen:ouderbrief_detail", _ouderbrief_links)


def get_ouderbrief_for_user(user, pk) -> Ouderbrief:
    """A letter whose student `user` may read letters of, or Http404."""
    brief = get_or_404(
        Ouderbrief.objects.select_related(
            "leerling__school", "schooljaar", "aangemaakt_door", "reactie_door"
        ),
        pk=pk,
    )
    if not can_view_ouderbrieven(user, brief.leerling):
        raise Http404
    return brief
