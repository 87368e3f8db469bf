"""Retention carried out: which care records have expired on a day, their
destruction in batches, the shorter terms of action items and
notifications, the pseudonymisation of the audit trail, and the holds.

Every run leaves one audit event per school: what was destroyed, as counts
per kind, never content, never names (the event names no student either:
the students are gone). The trail itself keeps that the destruction
happened; its own rows about the destroyed students stay until their audit
term ends (they refer to the student by id only, without a constraint).

Deletion is real: rows are deleted, not flagged (except the minimal student
row the CLB's file still needs, see regels), the files of uploaded
documents and of every generated PDF naming the student are removed from
storage once the transaction has committed, and search and the PDFs read
only those rows, so nothing brings them back."""

import datetime
import logging
from collections import Counter
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import CharField, Exists, Max, OuterRef, Q, Subquery, Value
from django.db.models.deletion import ProtectedError
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from clb.models import Consultatie, HGDTraject
from klassenraad.models import Actiepunt, Agendapunt, Beslissing, Taak
from leerlingen.models import (
    Aanmelding,
    Document,
    Inschrijving,
    Leerling,
    Observatie,
    Vlag,
    VlagBetrokkene,
)
from portaal.models import Portaaltoegang
from portaal.policies import is_portaalgebruiker
from zorg.accounts.models import School
from zorg.audit.models import Actie, AuditEvent
from zorg.audit.services import audit_vastleggen
from zorg.meldingen.models import Melding
from zorg.pdf.models import PdfOpdracht
from zorg.pdf.opslag import opslag
from zorg.versies import versie_controleren

from . import regels
from .models import Opschorting

logger = logging.getLogger(__name__)
User = get_user_model()

BATCH = 500
ONDERWERP = "bewaring"


# --- which records have expired -----------------------------------------------


def _inschrijvingseinde():
    return Coalesce("einde", "klas__schooljaar__einde")


def met_vertrek(leerlingen):
    """Annotate `vertrek`: the last day of the student's last enrolment (an
    open enrolment ends with its school year); None without enrolments."""
    laatste = (
        Inschrijving.objects.filter(leerling=OuterRef("pk"))
        .annotate(tot=_inschrijvingseinde())
        .order_by("-tot", "-pk")
    )
    return leerlingen.annotate(
        vertrek=Subquery(laatste.values("tot")[:1]),
        vertrokken_uit=Subquery(laatste.values("klas__naam")[:1]),
    )


def vervallen_dossiers(*, school: School, op: datetime.date):
    """The students of `school` whose care record is due for destruction on
    `op`: left before the school's bound (regels.vertrokken_voor), not
    destroyed yet, and under no hold running on `op`."""
    grens = regels.vertrokken_voor(op, school.bewaring_schooljaren)
    return (
        met_vertrek(Leerling.objects.filter(school=school, dossier_vernietigd_op__isnull=True))
        .filter(vertrek__lt=grens)
        .exclude(Exists(Opschorting.objects.lopend(op).filter(leerling=OuterRef("pk"))))
    )


def te_vernietigen(*, school: School, van: datetime.date, tot: datetime.date):
    """The dry run: the students whose care record falls due by `tot`, with
    their leaving date, the class they left, the day of destruction and the
    hold that stops it (if any). Holds are shown, not hidden: the care team
    sees which ones end within the window. Ordered by the day."""
    grens = regels.vertrokken_voor(tot, school.bewaring_schooljaren)
    opgeschort = Opschorting.objects.lopend(van).filter(leerling=OuterRef("pk")).order_by("-tot")
    rijen = list(
        met_vertrek(Leerling.objects.filter(school=school, dossier_vernietigd_op__isnull=True))
        .filter(vertrek__lt=grens)
        .annotate(
            opgeschort_tot=Subquery(opgeschort.values("tot")[:1]),
            opschorting_id=Subquery(opgeschort.values("pk")[:1]),
            opschorting_versie=Subquery(opgeschort.values("versie")[:1]),
            **_tellingen(),
        )
        .order_by("vertrek", "achternaam", "voornaam", "pk")
    )
    for leerling in rijen:
        op = max(regels.dossier_vernietigen_op(leerling.vertrek, school.bewaring_schooljaren), van)
        if leerling.opgeschort_tot:
            op = max(op, leerling.opgeschort_tot + datetime.timedelta(days=1))
        leerling.vernietigen_op = op
    return sorted(rijen, key=lambda rij: rij.vernietigen_op)


# What the dry run counts per student, by the related name on Leerling
# (the page names them).
GETELD = (
    "observaties",
    "maatregelen",
    "gesprekken",
    "documenten",
    "vlagbetrokkenheden",
    "afwezigheden",
)


def _tellingen() -> dict:
    """One correlated COUNT per kind: the dry run's counts in the one query
    that lists the students."""
    uit = {}
    for naam in GETELD:
        veld = Leerling._meta.get_field(naam)
        sub = (
            veld.related_model.objects.filter(**{veld.field.name: OuterRef("pk")})
            .order_by()
            .values(veld.field.name)
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        uit[f"aantal_{naam}"] = Coalesce(Subquery(sub[:1]), 0)
    return uit


# --- destroying -----------------------------------------------------------------


def _soort(label: str) -> str:
    """A kind of row as the summary names it: the model's plural name."""
    from django.apps import apps

    return str(apps.get_model(label)._meta.verbose_name_plural)


def _wissen(tellingen: Counter, qs) -> None:
    _totaal, per_model = qs.delete()
    tellingen.update({label: n for label, n in per_model.items() if n})


def _observaties_wissen(tellingen: Counter, ids) -> None:
    # A correction protects the observation it corrects: delete from the
    # newest correction back, leaves first.
    qs = Observatie.objects.filter(leerling_id__in=ids)
    while qs.exists():
        _wissen(tellingen, qs.exclude(Exists(Observatie.objects.filter(corrigeert=OuterRef("pk")))))


def _aanhangend(model_uitgezonderd=()) -> list:
    """Every relation that hangs a row off Leerling, except the CLB's file
    and the audit trail (which refers to students by id and outlives them)."""
    return [
        veld
        for veld in _relaties()
        if veld.related_model is not AuditEvent
        and veld.related_model._meta.app_label != "clb"
        and veld.related_model not in model_uitgezonderd
    ]


def _relaties() -> list:
    """The relations that point at Leerling, hidden ones included."""
    return [
        veld
        for veld in Leerling._meta.get_fields(include_hidden=True)
        if veld.auto_created and not veld.concrete and (veld.one_to_many or veld.one_to_one)
    ]


def _rest_wissen(tellingen: Counter, ids, uitgezonderd=()) -> None:
    """Delete what hangs off the students, in an order PROTECT allows: a set
    refused because another still points at it is tried again after the
    others, until nothing moves."""
    wachtend = []
    for veld in _aanhangend(uitgezonderd):
        qs = veld.related_model._base_manager.filter(**{f"{veld.field.name}__in": ids})
        if veld.related_model is Aanmelding:
            # The referral a CLB trajectory started from is part of the CLB's file.
            qs = qs.exclude(Exists(HGDTraject.objects.filter(aanmelding=OuterRef("pk"))))
        wachtend.append(qs)
    while wachtend:
        geweigerd = []
        for qs in wachtend:
            try:
                _wissen(tellingen, qs)
            except ProtectedError:
                geweigerd.append(qs)
        if len(geweigerd) == len(wachtend):
            raise ProtectedError("retention: rows still protected", set())
        wachtend = geweigerd


def _bestanden(ids) -> tuple[list[str], list[str]]:
    """The stored files of the students' uploaded documents and of every
    generated PDF that names one of them."""
    documenten = [
        naam
        for naam in Document.objects.filter(leerling_id__in=ids).values_list("bestand", flat=True)
        if naam
    ]
    gezocht = set(ids)
    pdfs = [
        (pk, bestand)
        for pk, bestand, namen in PdfOpdracht.objects.exclude(leerling_ids=[]).values_list(
            "pk", "bestand", "leerling_ids"
        )
        if gezocht.intersection(namen or ())
    ]
    return documenten, pdfs


def _bestanden_verwijderen(documenten: Iterable[str], pdfs: Iterable[str]) -> None:
    opslag_documenten = Document._meta.get_field("bestand").storage
    for naam in documenten:
        opslag_documenten.delete(naam)
    pdf_opslag = opslag()
    for naam in pdfs:
        pdf_opslag.delete(naam)


def _portaalgebruikers(ids) -> list[int]:
    """The guardians and students who sign in only for the portal and were
    invited to one of these students (before their access rows go)."""
    kandidaten = User.objects.filter(
        pk__in=Portaaltoegang.objects.filter(leerling_id__in=ids).values("user_id")
    )
    return [user.pk for user in kandidaten if is_portaalgebruiker(user)]


def _portaalaccounts_sluiten(user_ids: list[int]) -> int:
    """Close the portal accounts that had access to nothing but destroyed
    records: inactive (the next request is anonymous, a sign-in fails) and
    without a password. A guardian who keeps access to another child keeps
    the account. The row itself stays while the audit trail names it."""
    zonder = list(
        User.objects.filter(pk__in=user_ids, is_active=True)
        .exclude(Exists(Portaaltoegang.objects.filter(user_id=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    for user in User.objects.filter(pk__in=zonder):
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
    return len(zonder)


def _heeft_clb_dossier():
    return Exists(HGDTraject.objects.filter(leerling=OuterRef("pk"))) | Exists(
        Consultatie.objects.filter(leerling=OuterRef("pk"))
    )


def dossiers_vernietigen(*, ids: list[int], op: datetime.date) -> Counter:
    """Destroy the school's care record of these students, in one
    transaction: every row that hangs off them except the CLB's file, the
    files of their documents and PDFs, and the students themselves, or,
    while the CLB's file needs them, all of the student but a minimal row."""
    tellingen: Counter = Counter()
    with transaction.atomic():
        ids = list(
            Leerling.objects.select_for_update()
            .filter(pk__in=ids, dossier_vernietigd_op__isnull=True)
            .values_list("pk", flat=True)
        )
        if not ids:
            return tellingen
        documenten, pdfs = _bestanden(ids)
        portaalgebruikers = _portaalgebruikers(ids)
        if pdfs:
            _wissen(tellingen, PdfOpdracht.objects.filter(pk__in=[pk for pk, _b in pdfs]))
        # Rows of meetings that point at the student's rows with PROTECT go first.
        beslissingen = Beslissing.objects.filter(
            Q(agendapunt__leerling_id__in=ids)
            | Q(maatregel__leerling_id__in=ids)
            | Q(zorgfase_wijziging__leerling_id__in=ids)
            | Q(aanmelding__leerling_id__in=ids)
        )
        _wissen(
            tellingen,
            Actiepunt.objects.filter(Q(leerling_id__in=ids) | Q(beslissing__in=beslissingen)),
        )
        _wissen(tellingen, beslissingen)
        _wissen(tellingen, Agendapunt.objects.filter(leerling_id__in=ids))
        _observaties_wissen(tellingen, ids)
        # A flag is an incident shared by its students: it goes with the last
        # of them (its description may be about this student alone); one
        # that still concerns another student stays for them.
        vlag_ids = list(
            VlagBetrokkene.objects.filter(leerling_id__in=ids).values_list("vlag_id", flat=True)
        )
        _rest_wissen(tellingen, ids)
        _wissen(
            tellingen,
            Vlag.objects.filter(pk__in=vlag_ids).exclude(
                Exists(VlagBetrokkene.objects.filter(vlag=OuterRef("pk")))
            ),
        )

        voor_clb = list(
            Leerling.objects.filter(pk__in=ids)
            .filter(_heeft_clb_dossier())
            .values_list("pk", flat=True)
        )
        # The student number goes too: the import (zorg.invoer) matches on it,
        # and a student who comes back later starts a new record, not this row.
        Leerling.objects.filter(pk__in=voor_clb).update(
            email="",
            dossier_vernietigd_op=op,
            leerlingnummer=Concat(Value("vernietigd-"), Cast("pk", CharField())),
        )
        _wissen(tellingen, Leerling.objects.filter(pk__in=ids).exclude(pk__in=voor_clb))
        tellingen["zorgdossiers"] += len(ids)
        gesloten = _portaalaccounts_sluiten(portaalgebruikers)
        if gesloten:
            tellingen["portaalaccounts gesloten"] += gesloten
        pdf_namen = [bestand for _pk, bestand in pdfs if bestand]
        transaction.on_commit(lambda: _bestanden_verwijderen(documenten, pdf_namen))
    return tellingen


def vervallen_clb_dossiers(*, school: School, op: datetime.date) -> list[int]:
    """The minimal students (school record destroyed) whose CLB file has
    reached the end of the CLB's term on `op` (regels.clb_termijn_einde)."""
    kandidaten = Leerling.objects.filter(school=school, dossier_vernietigd_op__isnull=False)
    kandidaten = kandidaten.annotate(
        open_traject=Exists(
            HGDTraject.objects.filter(leerling=OuterRef("pk"), afgesloten_op__isnull=True)
        ),
        laatste_traject=Subquery(
            HGDTraject.objects.filter(leerling=OuterRef("pk"))
            .order_by()
            .values("leerling")
            .annotate(m=Max("afgesloten_op"))
            .values("m")[:1]
        ),
        laatste_consultatie=Subquery(
            Consultatie.objects.filter(leerling=OuterRef("pk"))
            .order_by()
            .values("leerling")
            .annotate(m=Max("datum"))
            .values("m")[:1]
        ),
    )
    vervallen = []
    for leerling in kandidaten:
        if leerling.open_traject:
            continue
        data = [d for d in (leerling.laatste_traject, leerling.laatste_consultatie) if d]
        laatste = max(data) if data else leerling.dossier_vernietigd_op
        einde = regels.clb_termijn_einde(
            laatste_begeleiding=laatste, geboortedatum=leerling.geboortedatum
        )
        if einde <= op:
            vervallen.append(leerling.pk)
    return vervallen


def clb_dossiers_vernietigen(*, ids: list[int]) -> Counter:
    """The CLB's term has ended too: its file goes, and with it the row."""
    tellingen: Counter = Counter()
    with transaction.atomic():
        _wissen(tellingen, Consultatie.objects.filter(leerling_id__in=ids))
        _wissen(tellingen, HGDTraject.objects.filter(leerling_id__in=ids))
        _rest_wissen(tellingen, ids)
        # What else of the CLB hangs off the student (the student's decision
        # on the parents' access).
        for veld in _relaties():
            if veld.related_model._meta.app_label == "clb":
                qs = veld.related_model.objects.filter(**{f"{veld.field.name}__in": ids})
                _wissen(tellingen, qs)
        _wissen(tellingen, Leerling.objects.filter(pk__in=ids))
        tellingen["clb-dossiers"] += len(ids)
    return tellingen


def korte_termijnen_uitvoeren(*, school: School | None, nu: datetime.datetime) -> Counter:
    """Closed action items and old notifications (regels: shorter terms)."""
    tellingen: Counter = Counter()
    with transaction.atomic():
        if school is not None:
            _wissen(
                tellingen,
                Actiepunt.objects.filter(
                    leerling__school=school,
                    status__in=[Taak.Status.AFGEROND, Taak.Status.GEANNULEERD],
                    afgehandeld_op__lt=nu - datetime.timedelta(days=regels.ACTIEPUNT_DAGEN),
                ),
            )
        _wissen(
            tellingen,
            Melding.objects.filter(
                school=school, aangemaakt__lt=nu - datetime.timedelta(days=regels.MELDING_DAGEN)
            ),
        )
    return tellingen


# --- the audit trail ------------------------------------------------------------

PSEUDONIMISEREN = """
UPDATE audit_auditevent SET leerling_id = NULL, gebruiker_id = NULL, ip = NULL, pad = ''
WHERE id IN (
    SELECT id FROM audit_auditevent
    WHERE tijdstip < %s
      AND (leerling_id IS NOT NULL OR gebruiker_id IS NOT NULL OR ip IS NOT NULL OR pad <> '')
    ORDER BY id LIMIT %s
)
RETURNING school_id
"""


def audit_pseudonimiseren(*, nu: datetime.datetime, batch: int = BATCH) -> Counter:
    """Pseudonymise the audit events older than the audit term: who, about
    whom, from where and which page are cleared; what, when and in which
    school stay. The one sanctioned change of the trail: the trigger lets it
    through only inside a transaction that sets the flag (audit 0005).
    Returns the count per school id. SQLite (the embedded mode) refuses every
    change of the trail and has no such flag: nothing happens there."""
    per_school: Counter = Counter()
    if connection.vendor != "postgresql":
        logger.warning("audit trail not pseudonymised: only PostgreSQL allows it")
        return per_school
    grens = regels.audit_grens(nu)
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL zorg.audit_pseudonimiseren = 'aan'")
            cursor.execute(PSEUDONIMISEREN, [grens, batch])
            rijen = cursor.fetchall()
            # Called inside an outer transaction, this block is a savepoint
            # and SET LOCAL would last until the outer one ends: switch it off
            # here. (A failure rolls the savepoint back, and the flag with it.)
            cursor.execute("SET LOCAL zorg.audit_pseudonimiseren = 'uit'")
        per_school.update(school_id for (school_id,) in rijen)
        if len(rijen) < batch:
            return per_school


# --- the nightly run -----------------------------------------------------------


def _samenvatting(tellingen: Counter) -> str:
    delen = []
    for soort, n in sorted(tellingen.items()):
        naam = soort if "." not in soort else _soort(soort)
        delen.append(f"{naam}: {n}")
    return ", ".join(delen) or "niets"


def bewaring_uitvoeren(*, op: datetime.date | None = None, batch: int = BATCH) -> dict:
    """The nightly job: per school, destroy the expired care records in
    batches (one transaction each), then the expired CLB files of students
    whose school record is gone, then the closed action items and old
    notifications; pseudonymise the audit trail past its term; and leave
    one audit event per school with the counts. Safe to run twice: a second
    run finds nothing left. Returns the counts per school id."""
    nu = timezone.now()
    op = op or timezone.localdate(nu)
    audit = audit_pseudonimiseren(nu=nu, batch=batch)
    resultaat = {}
    for school in School.objects.order_by("pk"):
        tellingen: Counter = Counter()
        while ids := list(
            vervallen_dossiers(school=school, op=op)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        ):
            tellingen += dossiers_vernietigen(ids=ids, op=op)
        clb = vervallen_clb_dossiers(school=school, op=op)
        for begin in range(0, len(clb), batch):
            tellingen += clb_dossiers_vernietigen(ids=clb[begin : begin + batch])
        tellingen += korte_termijnen_uitvoeren(school=school, nu=nu)
        if audit.get(school.pk):
            tellingen["auditgebeurtenissen gepseudonimiseerd"] = audit[school.pk]
        audit_vastleggen(
            gebruiker=None,
            actie=Actie.VERWIJDEREN,
            onderwerp=ONDERWERP,
            school_id=school.pk,
            omschrijving=f"bewaring {op.isoformat()}: {_samenvatting(tellingen)}",
            velden=sorted(tellingen),
        )
        resultaat[school.pk] = tellingen
    zonder_school = korte_termijnen_uitvoeren(school=None, nu=nu)
    if audit.get(None):
        zonder_school["auditgebeurtenissen gepseudonimiseerd"] = audit[None]
    if zonder_school:
        audit_vastleggen(
            gebruiker=None,
            actie=Actie.VERWIJDEREN,
            onderwerp=ONDERWERP,
            omschrijving=f"bewaring {op.isoformat()}: {_samenvatting(zonder_school)}",
        )
        resultaat[None] = zonder_school
    return resultaat


# --- holds -----------------------------------------------------------------------

MAX_OPSCHORTING_JAREN = 5


def opschorting_controleren(*, tot: datetime.date | None, reden: str, vandaag: datetime.date):
    fouten = {}
    if not reden.strip():
        fouten["reden"] = _("Geef de reden van de opschorting: welke beslissing wordt betwist?")
    if tot is None:
        fouten["tot"] = _("Vul de einddatum van de opschorting in.")
    elif tot < vandaag:
        fouten["tot"] = _("De einddatum ligt in het verleden. Kies vandaag of een latere dag.")
    elif tot > regels.jaren_later(vandaag, MAX_OPSCHORTING_JAREN):
        fouten["tot"] = _(
            "Een opschorting loopt hoogstens %(n)s jaar. Verleng ze later opnieuw als dat nodig is."
        ) % {"n": MAX_OPSCHORTING_JAREN}
    if fouten:
        raise ValidationError(fouten)


def opschorting_toevoegen(
    *, leerling: Leerling, reden: str, tot: datetime.date, door
) -> Opschorting:
    """Put the student's care record on hold until `tot` (audited)."""
    opschorting_controleren(tot=tot, reden=reden, vandaag=timezone.localdate())
    with transaction.atomic():
        opschorting = Opschorting.objects.create(
            leerling=leerling, reden=reden.strip(), tot=tot, door=door
        )
        audit_vastleggen(
            gebruiker=door,
            actie=Actie.AANMAKEN,
            onderwerp="opschorting",
            leerlingen=[leerling],
            object_id=opschorting.pk,
            velden=["reden", "tot"],
        )
    return opschorting


def opschorting_beeindigen(*, opschorting: Opschorting, door, versie: int | None) -> Opschorting:
    """End a hold before its end date (the decision is no longer contested)."""
    with transaction.atomic():
        huidig = Opschorting.objects.select_for_update().get(pk=opschorting.pk)
        versie_controleren(
            huidig,
            versie,
            _("Iemand anders wijzigde deze opschorting intussen. Bekijk ze opnieuw."),
        )
        if huidig.beeindigd_op is None:
            huidig.beeindigd_op = timezone.now()
            huidig.beeindigd_door = door
            huidig.versie += 1
            huidig.save(update_fields=["beeindigd_op", "beeindigd_door", "versie"])
            audit_vastleggen(
                gebruiker=door,
                actie=Actie.WIJZIGEN,
                onderwerp="opschorting",
                leerlingen=[huidig.leerling],
                object_id=huidig.pk,
                velden=["beeindigd_op"],
            )
    return huidig
