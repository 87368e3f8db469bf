"""Corrections and the threshold of problematic half days: a correction
that brings a student back below it withdraws the record (kept as history,
audited, on the timeline, off the cell's agenda); reaching it again counts
again; a change of the school's threshold applies at the next write; and a
write for a date in a school year that already ended counts in that year,
silently. The world lives on Friday 4 December 2026; the awkward days under
a frozen clock: 1 September after a summer with corrections to June, New
Year, 29 February 2028."""

import datetime
import uuid

import pytest
import time_machine

from klassenraad.agenda import voorstellen
from klassenraad.models import Agendareden, OverlegSoort
from leerlingen.models import (
    Afwezigheid,
    AfwezigheidCode,
    Afwezigheidsdrempel,
    Dagdeel,
    TijdlijnItem,
    Zichtbaarheid,
)
from leerlingen.services.afwezigheden import (
    afwezigheden_klasdag_registreren,
    afwezigheid_verwijderen,
    afwezigheid_wijzigen,
    klasdag_afwezigheden,
)
from tests.datums import lokaal
from tests.klassenraad import factories as k
from tests.leerlingen.test_afwezigheden_datums import _oud
from zorg.audit.models import Actie, AuditEvent
from zorg.meldingen.models import Melding

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")

VM, NM = Dagdeel.VOORMIDDAG, Dagdeel.NAMIDDAG
ONGEWETTIGD = AfwezigheidCode.ONGEWETTIGD
ATTEST = AfwezigheidCode.ATTEST
MA, DI, WO = (datetime.date(2026, 11, d) for d in (30, 24, 25))
JAAR_2026 = datetime.date(2026, 9, 1)


def _drempel(w, waarde):
    w.school.afwezigheid_drempel = waarde
    w.school.save(update_fields=["afwezigheid_drempel"])


def _dag(w, datum, code=ONGEWETTIGD, leerling=None):
    """Both half days of `datum` for the student (leerling_a) with `code`
    ("" for present), as the class page saves them."""
    leerling = leerling or w.leerling_a
    gezien = {cel: a.versie for cel, a in klasdag_afwezigheden(w.klas_a, datum).items()}
    return afwezigheden_klasdag_registreren(
        klas=w.klas_a,
        datum=datum,
        door=w.secretariaat,
        keuzes={(leerling.pk, VM): code, (leerling.pk, NM): code},
        gezien=gezien,
        sleutel=uuid.uuid4(),
    )


def _code(w, afwezigheid, code):
    afwezigheid.refresh_from_db()
    return afwezigheid_wijzigen(
        afwezigheid=afwezigheid,
        door=w.secretariaat,
        code=code,
        notitie="",
        versie=afwezigheid.versie,
    )


def _weg(w, afwezigheid):
    afwezigheid.refresh_from_db()
    afwezigheid_verwijderen(afwezigheid=afwezigheid, door=w.secretariaat, versie=afwezigheid.versie)


def _cel_redenen(w):
    cel = k.overleg(w, OverlegSoort.CEL, dagen=1)
    return {v.leerling.pk: [soort for soort, _t in v.redenen] for v in voorstellen(cel)}


def _items(w):
    return list(
        TijdlijnItem.objects.filter(
            leerling=w.leerling_a, soort=TijdlijnItem.Soort.AFWEZIGHEID
        ).order_by("pk")
    )


# --- a correction back below the threshold ------------------------------------------------


def test_a_code_corrected_to_justified_below_the_threshold_withdraws_the_record(wereld):
    w = wereld
    _drempel(w, 4)
    _dag(w, DI)
    _dag(w, WO)
    drempel = Afwezigheidsdrempel.objects.get()
    assert _cel_redenen(w) == {w.leerling_a.pk: [Agendareden.AFWEZIGHEID]}
    meldingen = Melding.objects.count()
    assert meldingen == 2  # the care coordinator and the school's CLB

    # The parents bring an attest for Wednesday morning: 3 half days left.
    _code(w, Afwezigheid.objects.get(datum=WO, dagdeel=VM), ATTEST)

    drempel.refresh_from_db()
    assert drempel.ingetrokken_op is not None
    assert drempel.aantal_bij_intrekking == 3
    assert not Afwezigheidsdrempel.objects.geldig().exists()
    # The cell no longer takes her up for it.
    assert _cel_redenen(w) == {}
    # No notification of the withdrawal: the timeline and the page show it.
    assert Melding.objects.count() == meldingen
    bereikt, ingetrokken = _items(w)
    assert bereikt.titel.endswith("(later ingetrokken)")
    assert ingetrokken.titel == "Drempel van problematische afwezigheden ingetrokken"
    assert "blijven er 3 problematisch afwezige halve dagen" in ingetrokken.tekst
    assert ingetrokken.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    event = AuditEvent.objects.get(onderwerp="afwezigheidsdrempel", actie=Actie.WIJZIGEN)
    assert event.omschrijving == "ingetrokken na correctie, schooljaar 2026-2027"
    assert event.leerling_id == w.leerling_a.pk


def test_removing_an_absence_below_the_threshold_withdraws_the_record(wereld):
    w = wereld
    _drempel(w, 2)
    _dag(w, DI)
    assert Afwezigheidsdrempel.objects.geldig().count() == 1
    _weg(w, Afwezigheid.objects.get(datum=DI, dagdeel=NM))
    assert Afwezigheidsdrempel.objects.get().ingetrokken_op is not None


def test_clearing_a_half_day_on_the_class_page_below_the_threshold_withdraws_the_record(wereld):
    w = wereld
    _drempel(w, 2)
    _dag(w, DI)
    _dag(w, DI, code="")
    assert Afwezigheidsdrempel.objects.get().ingetrokken_op is not None


def test_a_correction_that_stays_at_the_threshold_withdraws_nothing(wereld):
    w = wereld
    _drempel(w, 2)
    _dag(w, DI)
    _dag(w, WO)
    _code(w, Afwezigheid.objects.get(datum=WO, dagdeel=VM), ATTEST)
    _code(w, Afwezigheid.objects.get(datum=WO, dagdeel=NM), ATTEST)
    assert Afwezigheidsdrempel.objects.geldig().count() == 1
    assert not AuditEvent.objects.filter(onderwerp="afwezigheidsdrempel", actie=Actie.WIJZIGEN)


def test_reaching_the_threshold_again_the_same_year_counts_again(wereld):
    w = wereld
    _drempel(w, 2)
    _dag(w, DI)
    _code(w, Afwezigheid.objects.get(datum=DI, dagdeel=VM), ATTEST)
    assert Melding.objects.filter(ontvanger=w.zorgcoordinator).count() == 1
    _dag(w, MA)

    eerste, tweede = Afwezigheidsdrempel.objects.order_by("pk")
    assert eerste.ingetrokken_op is not None
    assert tweede.ingetrokken_op is None and tweede.aantal == 3
    assert (eerste.schooljaar, tweede.schooljaar) == (JAAR_2026, JAAR_2026)
    # Told again, and on the cell's agenda again.
    assert Melding.objects.filter(ontvanger=w.zorgcoordinator).count() == 2
    assert _cel_redenen(w) == {w.leerling_a.pk: [Agendareden.AFWEZIGHEID]}
    # Further above it changes nothing: still one valid record.
    _dag(w, WO)
    assert Afwezigheidsdrempel.objects.geldig().count() == 1
    assert Afwezigheidsdrempel.objects.count() == 2


def test_the_student_page_says_a_withdrawn_threshold_was_withdrawn(wereld, client_voor):
    from django.urls import reverse

    w = wereld
    _drempel(w, 2)
    _dag(w, DI)
    url = reverse("leerlingen:leerling_afwezigheden", args=[w.leerling_a.pk])
    html = client_voor(w.zorgcoordinator).get(url).content.decode()
    assert 'data-testid="afwezigheid-drempel"' in html
    _code(w, Afwezigheid.objects.get(datum=DI, dagdeel=VM), ATTEST)
    html = client_voor(w.zorgcoordinator).get(url).content.decode()
    assert 'data-testid="afwezigheid-drempel"' not in html
    assert 'data-testid="afwezigheid-drempel-ingetrokken"' in html
    assert "nog 1 halve dagen" in html


# --- a change of the school's threshold -------------------------------------------------------


def test_raising_the_threshold_keeps_a_record_until_a_correction_falls_below_both(wereld):
    w = wereld
    _drempel(w, 4)
    _dag(w, DI)
    _dag(w, WO)
    _drempel(w, 10)
    # Nothing is recomputed when the setting changes, nor at the next write
    # while the count stays at the threshold the record was reached at.
    _dag(w, MA, code=ATTEST)
    drempel = Afwezigheidsdrempel.objects.get()
    assert drempel.ingetrokken_op is None and drempel.drempel == 4
    _code(w, Afwezigheid.objects.get(datum=WO, dagdeel=VM), ATTEST)
    drempel.refresh_from_db()
    assert drempel.ingetrokken_op is not None


def test_lowering_the_threshold_records_a_student_at_their_next_write_not_before(wereld):
    w = wereld
    _drempel(w, 6)
    _dag(w, DI)
    _dag(w, WO)
    _drempel(w, 4)
    assert not Afwezigheidsdrempel.objects.exists()
    # The next write for her, even a covered absence, brings her in line.
    _dag(w, MA, code=ATTEST)
    drempel = Afwezigheidsdrempel.objects.get()
    assert (drempel.aantal, drempel.drempel) == (4, 4)
    assert Melding.objects.filter(ontvanger=w.zorgcoordinator).count() == 1


def test_a_record_reached_at_a_higher_threshold_stays_above_the_lowered_one(wereld):
    w = wereld
    _drempel(w, 4)
    _dag(w, DI)
    _dag(w, WO)
    _drempel(w, 2)
    _code(w, Afwezigheid.objects.get(datum=WO, dagdeel=VM), ATTEST)
    # 3 is below the 4 it was reached at but not below the school's 2 now:
    # withdrawing it would only record her again at once.
    assert Afwezigheidsdrempel.objects.count() == 1
    assert Afwezigheidsdrempel.objects.get().ingetrokken_op is None


# --- a school year that already ended ---------------------------------------------------------


def _juni(w, datum, code=ONGEWETTIGD):
    """Both half days of `datum` as rows (the register of a year that ended)."""
    _oud(w, datum, code)


def test_on_1_september_a_correction_to_june_counts_for_last_year_silently(wereld):
    w = wereld
    _drempel(w, 4)
    _juni(w, datetime.date(2027, 6, 28))
    with time_machine.travel(lokaal(2027, 9, 1, 9), tick=False):
        # A first day of the new year already recorded: it does not add up.
        _dag(w, datetime.date(2027, 9, 1))
        assert not Afwezigheidsdrempel.objects.exists()
        # The secretariat completes June's register.
        _dag(w, datetime.date(2027, 6, 29))
        drempel = Afwezigheidsdrempel.objects.get()
        assert drempel.schooljaar == JAAR_2026
        assert (drempel.aantal, drempel.achteraf) == (4, True)
        # Told to nobody, on no agenda of the new year's cell.
        assert not Melding.objects.exists()
        assert _cel_redenen(w) == {}
        (item,) = _items(w)
        assert "2026-2027" in item.tekst and "Niemand werd verwittigd" in item.tekst
        event = AuditEvent.objects.get(onderwerp="afwezigheidsdrempel")
        assert event.omschrijving == "schooljaar 2026-2027 (achteraf)"
    with time_machine.travel(lokaal(2027, 9, 2, 16), tick=False):
        # Two more half days this year: the new year has only its own four.
        _dag(w, datetime.date(2027, 9, 2))
        nieuw = Afwezigheidsdrempel.objects.get(schooljaar=datetime.date(2027, 9, 1))
        assert (nieuw.aantal, nieuw.achteraf) == (4, False)
        assert Melding.objects.filter(ontvanger=w.zorgcoordinator).count() == 1


def test_on_1_september_a_correction_of_june_withdraws_last_years_record_only(wereld):
    w = wereld
    _drempel(w, 2)
    with time_machine.travel(lokaal(2027, 6, 29, 9), tick=False):
        _dag(w, datetime.date(2027, 6, 29))
    with time_machine.travel(lokaal(2027, 9, 1, 9), tick=False):
        _dag(w, datetime.date(2027, 9, 1))
        assert Afwezigheidsdrempel.objects.geldig().count() == 2
        meldingen = Melding.objects.count()
        _code(w, Afwezigheid.objects.get(datum=datetime.date(2027, 6, 29), dagdeel=VM), ATTEST)
    vorig = Afwezigheidsdrempel.objects.get(schooljaar=JAAR_2026)
    huidig = Afwezigheidsdrempel.objects.get(schooljaar=datetime.date(2027, 9, 1))
    assert vorig.ingetrokken_op is not None and huidig.ingetrokken_op is None
    assert Melding.objects.count() == meldingen


def test_in_early_january_a_correction_to_december_counts_in_the_running_year(wereld):
    w = wereld
    _drempel(w, 4)
    _juni(w, datetime.date(2026, 12, 18))
    with time_machine.travel(lokaal(2027, 1, 4, 8), tick=False):
        _dag(w, datetime.date(2026, 12, 17))
    drempel = Afwezigheidsdrempel.objects.get()
    assert (drempel.schooljaar, drempel.achteraf) == (JAAR_2026, False)
    assert Melding.objects.filter(ontvanger=w.zorgcoordinator).count() == 1


def test_on_the_leap_day_2028_a_correction_and_a_removal_count_in_2027_2028(wereld):
    w = wereld
    _drempel(w, 2)
    with time_machine.travel(lokaal(2028, 2, 29, 10), tick=False):
        _juni(w, datetime.date(2028, 2, 4), code=ATTEST)
        _code(w, Afwezigheid.objects.get(dagdeel=VM), ONGEWETTIGD)
        assert not Afwezigheidsdrempel.objects.exists()
        _code(w, Afwezigheid.objects.get(dagdeel=NM), ONGEWETTIGD)
        drempel = Afwezigheidsdrempel.objects.get()
        assert (drempel.schooljaar, drempel.achteraf) == (datetime.date(2027, 9, 1), False)
        _weg(w, Afwezigheid.objects.get(dagdeel=NM))
        drempel.refresh_from_db()
        assert drempel.ingetrokken_op is not None
        assert drempel.ingetrokken_op.date() == datetime.date(2028, 2, 29)


def test_the_database_keeps_one_valid_record_per_student_and_school_year(wereld):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    w = wereld
    velden = {"leerling": w.leerling_a, "schooljaar": JAAR_2026, "aantal": 5, "drempel": 5}
    Afwezigheidsdrempel.objects.create(ingetrokken_op=timezone.now(), **velden)
    Afwezigheidsdrempel.objects.create(**velden)
    with pytest.raises(IntegrityError), transaction.atomic():
        Afwezigheidsdrempel.objects.create(**velden)
