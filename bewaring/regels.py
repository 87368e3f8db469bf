"""The retention rules: per kind of record, how long Zorg keeps it. One
module, read by the nightly job (services), the dry-run page and the page
that shows the school its rules.

When has a student left? A student's enrolments (Inschrijving) keep the
history: each ends on its `einde`, or, left open, with its school year
(`klas.schooljaar.einde`). The leaving date that counts is the LAST end over
all enrolments of the student, so a student who leaves and re-enrols is
measured from the new enrolment, and an enrolment that is still running (or
one prepared for next school year) keeps the record whatever happened
before. A student without any enrolment has no leaving date and is never
destroyed by the job (the secretariat's import always enrols).

The terms (defaults; where the school changes them):

- The school's care record (zorgdossier): everything the school recorded
  about a student who left, the student row included: destroyed on
  1 September, `School.bewaring_schooljaren` (default 1, the school sets 1
  to 5 on its settings page) school years after the end of the school year
  in which the student left. A student leaving in June 2026 (school year
  2025-26) is kept through the whole school year 2026-27 and destroyed on
  1 September 2027. The year's grace is the time in which the last school
  year's decisions (an attest, an exclusion) can still be contested and the
  next school can still ask for the transfer. A hold (Opschorting) stops
  the destruction while a decision is contested, until its end date.
- Action items (klassenraad.Actiepunt) that are done or cancelled:
  destroyed one year (ACTIEPUNT_DAGEN) after they were closed, also for a
  student who is still at school: a closed item is a to-do that was done;
  what it decided lives on in the decision and the measure. Open items
  stay.
- Notifications (zorg.meldingen.Melding): destroyed 180 days
  (MELDING_DAGEN) after they were sent, read or not: a notification is a
  pointer to a record, not the record.
- Generated documents (zorg.pdf.PdfOpdracht, the PDFs of a care record):
  deleted, file and row, a day after they were made (zorg.pdf.services.
  pdf_opruimen); the destruction of a care record also removes at once
  every PDF that names the student.
- The audit trail: kept AUDIT_JAREN (5, ZORG_AUDIT_BEWAARJAREN) years, then
  pseudonymised (who, about whom, from where and which page are cleared;
  what happened, when and in which school stay), so the trail keeps that a
  destruction happened but no longer whom it was about.

The CLB's file follows the CLB's rules, not the school's: the HGD
trajectories with what hangs off them (goals, needs, notes, involved
parties, the student's decisions on the parents' access) and the CLB's
consultations, and the school's referrals (Aanmelding) that a trajectory
started from. They are kept at least 10 years (CLB_JAREN) after the last
guidance (the last trajectory's closing, or the last consultation; an open
trajectory is guidance still going on) and at least until the student is 25
(CLB_LEEFTIJD). The school's destruction never touches them: while a CLB
file exists, the school's care rows go but the student row stays, minimal
(name and birth date for the CLB to find the file; no e-mail address, and
the school's student number replaced, so that a student who comes back is
imported as a new student), marked `dossier_vernietigd_op`, and the school
no longer sees it.
When the CLB's term has ended too, the job destroys the CLB file and the
row.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zorg.accounts.models import School, schooljaar_begin

ACTIEPUNT_DAGEN = 365
MELDING_DAGEN = 180
PDF_DAGEN = 1
CLB_JAREN = 10
CLB_LEEFTIJD = 25
# How far ahead the dry-run page looks.
VOORUITBLIK_DAGEN = 30


def audit_jaren() -> int:
    return settings.ZORG_AUDIT_BEWAARJAREN


def jaren_later(dag: datetime.date, jaren: int) -> datetime.date:
    """The same day `jaren` years later; 29 February becomes 1 March in a
    year without one (later rather than earlier: a term is a minimum)."""
    try:
        return dag.replace(year=dag.year + jaren)
    except ValueError:
        return datetime.date(dag.year + jaren, 3, 1)


def dossier_vernietigen_op(vertrek: datetime.date, schooljaren: int) -> datetime.date:
    """The day a care record is destroyed for a student who left on
    `vertrek`: 1 September, `schooljaren` school years after the end of the
    school year `vertrek` falls in."""
    return datetime.date(schooljaar_begin(vertrek).year + 1 + schooljaren, 9, 1)


def vertrokken_voor(op: datetime.date, schooljaren: int) -> datetime.date:
    """The inverse of dossier_vernietigen_op: a student whose leaving date
    lies before this day is due on `op` (as a bound a database can use).
    `dossier_vernietigen_op(v, n) <= op` exactly when `v < vertrokken_voor(op, n)`."""
    return datetime.date(schooljaar_begin(op).year - schooljaren, 9, 1)


def clb_termijn_einde(
    *, laatste_begeleiding: datetime.date, geboortedatum: datetime.date
) -> datetime.date:
    """The first day the CLB's file may go: 10 years after the last
    guidance and the student's 25th birthday, whichever is later."""
    return max(
        jaren_later(laatste_begeleiding, CLB_JAREN), jaren_later(geboortedatum, CLB_LEEFTIJD)
    )


def audit_grens(op: datetime.datetime) -> datetime.datetime:
    """Audit events before this moment are pseudonymised."""
    try:
        return op.replace(year=op.year - audit_jaren())
    except ValueError:  # 29 February
        return op.replace(year=op.year - audit_jaren(), month=3, day=1)


@dataclass(frozen=True)
class Regel:
    soort: str
    naam: Promise
    termijn: str
    toelichting: Promise


def regels_voor(school: School) -> list[Regel]:
    """The rules as the school reads them on its retention page."""
    from django.utils.translation import gettext, ngettext

    jaren = school.bewaring_schooljaren
    return [
        Regel(
            "zorgdossier",
            _("Zorgdossier van een leerling die de school verliet"),
            ngettext(
                "Tot 1 september, %(n)s schooljaar na het schooljaar van vertrek",
                "Tot 1 september, %(n)s schooljaren na het schooljaar van vertrek",
                jaren,
            )
            % {"n": jaren},
            _(
                "Alles wat de school over de leerling bijhield: zorgfasen, observaties, "
                "maatregelen, gesprekken, vlaggen, afwezigheden, documenten en de tijdlijn. "
                "De laatste vertrekdatum telt: wie terug inschrijft, blijft bewaard. Een "
                "opschorting houdt het dossier bij zolang een beslissing betwist wordt. De "
                "beheerder of een zorgcoördinator past de termijn aan bij de schoolinstellingen "
                "(1 tot 5 schooljaren)."
            ),
        ),
        Regel(
            "actiepunten",
            _("Afgewerkte en geannuleerde actiepunten"),
            gettext("%(n)s dagen na het afhandelen") % {"n": ACTIEPUNT_DAGEN},
            _("Open actiepunten blijven; wat beslist werd, staat in de beslissing zelf."),
        ),
        Regel(
            "meldingen",
            _("Meldingen"),
            gettext("%(n)s dagen na het versturen") % {"n": MELDING_DAGEN},
            _("Een melding verwijst naar een gegeven; het gegeven zelf volgt zijn eigen regel."),
        ),
        Regel(
            "documenten",
            _("Gemaakte PDF-documenten"),
            gettext("%(n)s dag na het maken") % {"n": PDF_DAGEN},
            _(
                "Bestand en opdracht verdwijnen; wordt een zorgdossier vernietigd, dan ook "
                "meteen elke PDF over die leerling."
            ),
        ),
        Regel(
            "audittrail",
            _("Audittrail"),
            gettext("%(n)s jaar, daarna gepseudonimiseerd") % {"n": audit_jaren()},
            _(
                "Daarna verdwijnen wie, over welke leerling, van waar en welke pagina; wat er "
                "gebeurde en wanneer blijft, ook dat een dossier vernietigd werd."
            ),
        ),
        Regel(
            "clb",
            _("Dossier van het CLB"),
            gettext(
                "Minstens %(jaren)s jaar na de laatste begeleiding en tot de leerling "
                "%(leeftijd)s is"
            )
            % {"jaren": CLB_JAREN, "leeftijd": CLB_LEEFTIJD},
            _(
                "Het CLB volgt zijn eigen regels; de vernietiging van het zorgdossier van de "
                "school raakt het CLB-dossier niet."
            ),
        ),
    ]
