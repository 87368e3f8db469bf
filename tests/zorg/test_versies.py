"""Optimistic locking (zorg.versies), on PostgreSQL: a stale edit is refused
with what is saved now, a current one lands once, and of two edits begun
from the same version only the first lands, also when both run at once."""

import threading
import time

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from leerlingen.models import Maatregel
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from zorg.versies import (
    VerouderdeVersie,
    conflict_tonen,
    nieuwe_versie_bewaren,
    vergrendelen,
    versie_controleren,
    versie_ophogen,
)


def _elders_gewijzigd(m: Maatregel, titel: str = "Van iemand anders") -> None:
    Maatregel.objects.filter(pk=m.pk).update(titel=titel, versie=F("versie") + 1)


def test_a_stale_version_is_refused_with_the_saved_state(db):
    m = MaatregelFactory()
    _elders_gewijzigd(m)
    with pytest.raises(VerouderdeVersie) as exc, transaction.atomic():
        vergrendelen(Maatregel, pk=m.pk, versie=1)
    assert (exc.value.huidig.titel, exc.value.huidig.versie) == ("Van iemand anders", 2)
    assert exc.value.bericht == "Iemand anders wijzigde dit intussen."


def test_the_refusal_is_an_error_of_the_whole_form(db):
    m = MaatregelFactory()
    with pytest.raises(ValidationError) as exc:
        versie_controleren(m, 7, "Kijk eerst wat er nu staat.")
    assert exc.value.message_dict == {NON_FIELD_ERRORS: ["Kijk eerst wat er nu staat."]}
    assert [fout.code for fout in exc.value.error_dict[NON_FIELD_ERRORS]] == ["verouderd"]


def test_the_message_may_be_made_from_the_saved_state(db):
    m = MaatregelFactory(titel="Voorleessoftware")
    with pytest.raises(VerouderdeVersie) as exc:
        versie_controleren(m, 7, lambda huidig: f"Nu: {huidig.titel}")
    assert exc.value.bericht == "Nu: Voorleessoftware"


def test_without_a_version_nothing_is_checked(db):
    m = MaatregelFactory()
    _elders_gewijzigd(m)
    with transaction.atomic():
        assert vergrendelen(Maatregel, pk=m.pk).versie == 2


def test_the_current_version_lands_and_raises_the_version_once(db):
    m = MaatregelFactory()
    with transaction.atomic():
        vergrendeld = vergrendelen(Maatregel, pk=m.pk, versie=1)
        vergrendeld.titel = "Nieuwe titel"
        nieuwe_versie_bewaren(vergrendeld, ["titel"])
    assert vergrendeld.versie == 2
    m.refresh_from_db()
    assert (m.titel, m.versie) == ("Nieuwe titel", 2)


def test_only_the_row_itself_is_locked_when_the_query_joins(db):
    m = MaatregelFactory()
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        vergrendelen(Maatregel.objects.select_related("leerling"), pk=m.pk)
    (sql,) = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]
    assert "JOIN" in sql
    assert sql.endswith('FOR UPDATE OF "leerlingen_maatregel"')


def test_a_conditional_update_lands_only_on_the_version_it_began_from(db):
    m = MaatregelFactory()
    assert versie_ophogen(Maatregel, m.pk, 1, titel="Eerste") is True
    assert versie_ophogen(Maatregel, m.pk, 1, titel="Tweede") is False
    m.refresh_from_db()
    assert (m.titel, m.versie) == ("Eerste", 2)


def _eerste_houdt_vast(schrijven, fouten: list) -> tuple[threading.Thread, threading.Event]:
    """Run `schrijven` in a transaction on another connection that holds its
    locks for a moment after writing; the event is set once it wrote."""
    geschreven = threading.Event()

    def eerste():
        try:
            with transaction.atomic():
                schrijven()
                geschreven.set()
                time.sleep(0.3)
        except Exception as exc:  # pragma: no cover - surfaced by the test
            fouten.append(exc)
        finally:
            geschreven.set()
            connection.close()

    draad = threading.Thread(target=eerste)
    draad.start()
    return draad, geschreven


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_edits_from_one_version_the_second_gets_the_first(db):
    # Without the lock the second would read version 1 (the first has not
    # committed yet), pass the check and overwrite the first edit.
    m = MaatregelFactory()

    def schrijven():
        vergrendeld = vergrendelen(Maatregel, pk=m.pk, versie=1)
        vergrendeld.titel = "De eerste"
        nieuwe_versie_bewaren(vergrendeld, ["titel"])

    fouten = []
    draad, geschreven = _eerste_houdt_vast(schrijven, fouten)
    assert geschreven.wait(5)
    with pytest.raises(VerouderdeVersie) as exc, transaction.atomic():
        vergrendelen(Maatregel, pk=m.pk, versie=1)
    draad.join(5)

    assert not fouten
    assert (exc.value.huidig.titel, exc.value.huidig.versie) == ("De eerste", 2)
    m.refresh_from_db()
    assert (m.titel, m.versie) == ("De eerste", 2)


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_conditional_updates_only_the_first_lands(db):
    m = MaatregelFactory()
    fouten = []
    draad, geschreven = _eerste_houdt_vast(
        lambda: versie_ophogen(Maatregel, m.pk, 1, titel="De eerste"), fouten
    )
    assert geschreven.wait(5)
    with transaction.atomic():
        tweede = versie_ophogen(Maatregel, m.pk, 1, titel="De tweede")
    draad.join(5)

    assert not fouten
    assert tweede is False
    m.refresh_from_db()
    assert (m.titel, m.versie) == ("De eerste", 2)


class _TitelForm(forms.Form):
    titel = forms.CharField()
    versie = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, hoofdletters=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.hoofdletters = hoofdletters


def test_the_conflict_screen_keeps_the_input_bound_with_the_saved_version(db):
    m = MaatregelFactory()
    _elders_gewijzigd(m)
    request = RequestFactory().post("/", {"titel": "Mijn titel", "versie": "1"})
    exc = VerouderdeVersie(Maatregel.objects.get(pk=m.pk), "Al gewijzigd.")

    form, conflict = conflict_tonen(request, exc, _TitelForm, hoofdletters=True)

    assert form.is_bound and form.is_valid()
    assert form.cleaned_data == {"titel": "Mijn titel", "versie": 2}
    assert form.hoofdletters is True
    assert conflict == {"bericht": "Al gewijzigd.", "huidig": exc.huidig}


def test_the_conflict_screen_takes_the_views_own_copy_and_message(db):
    m = MaatregelFactory()
    request = RequestFactory().post("/", {"titel": "Mijn titel", "versie": "1"})
    exc = VerouderdeVersie(Maatregel.objects.get(pk=m.pk))
    _elders_gewijzigd(m)
    nieuwer = Maatregel.objects.get(pk=m.pk)

    form, conflict = conflict_tonen(request, exc, _TitelForm, huidig=nieuwer, bericht="Kijk na.")

    assert form.cleaned_data["versie"] == 2
    assert conflict == {"bericht": "Kijk na.", "huidig": nieuwer}
