"""An import from upload to outcome: the file is stored, its columns
mapped, the dry run made (in the worker), and, once the administrator
confirms, the import done in one transaction (in the worker), audited by
one event. The file is deleted when the import ends, or after BEWAARTIJD
if it never does."""

from __future__ import annotations

import datetime
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zorg.accounts.models import School, Schooljaar
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen

from .lezen import MAX_BYTES, OngeldigBestand, formaat_van, tabel_openen
from .models import Importopdracht
from .opslag import opslag
from .soorten import SOORTEN, koppeling_raden
from .verwerken import VERWERKERS, Rijfout, rijen_verwerken

log = logging.getLogger(__name__)
Status = Importopdracht.Status

# An import's file is deleted this long after its upload at the latest.
BEWAARTIJD = datetime.timedelta(days=2)
# A dry run or import still waiting this long lost its task: queue again.
OPNIEUW_NA = datetime.timedelta(minutes=5)


def _voortgang_sleutel(opdracht_id) -> str:
    return f"invoer:voortgang:{opdracht_id}"


def voortgang(opdracht: Importopdracht) -> int:
    """Rows done so far by the running dry run or import. In the cache, not
    the row: the import's transaction would hide its own progress."""
    return cache.get(_voortgang_sleutel(opdracht.pk), 0)


def invoerjaren(school: School) -> list[Schooljaar]:
    """The school years an import can fill: the current one and those after
    it (a next year the rollover prepared), oldest first. One query."""
    jaren = list(Schooljaar.objects.filter(school=school).order_by("begin"))
    huidig = next((j for j in jaren if j.is_huidig), None)
    if huidig is None:
        return []
    return [j for j in jaren if j.begin >= huidig.begin]


def importopdracht_aanmaken(
    *,
    school: School,
    door,
    soort: str,
    volledig: bool,
    bestand,
    schooljaar: Schooljaar | None = None,
) -> Importopdracht:
    """Store an uploaded file and read its header. Raises ValidationError
    with a Dutch message for a file that is not a readable table."""
    if bestand.size > MAX_BYTES:
        raise ValidationError(
            _("Het bestand is groter dan %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    naam = bestand.name or ""
    try:
        formaat = formaat_van(bestand, naam)
    except OngeldigBestand as exc:
        raise ValidationError(exc.bericht) from exc
    jaren = invoerjaren(school)
    if schooljaar is None:
        # The current year, kept with the import: a switch of the current
        # year between the dry run and the confirm does not move it.
        schooljaar = next((jaar for jaar in jaren if jaar.is_huidig), None)
    elif schooljaar not in jaren:
        raise ValidationError(_("In dat schooljaar kan je niet invoeren."))
    opdracht = Importopdracht(
        school=school,
        door=door,
        schooljaar=schooljaar,
        soort=soort,
        volledig=volledig and soort == "leerlingen",
        bestandsnaam=naam[-200:],
        formaat=formaat,
    )
    bestand.seek(0)
    opdracht.bestand = opslag().save(f"{opdracht.pk}.{formaat}", bestand)
    try:
        with opslag().open(opdracht.bestand, "rb") as f, tabel_openen(f, formaat) as tabel:
            kolommen = tabel.kolommen
            # One row read: a table whose first row breaks shows it now.
            next(tabel.rijen, None)
    except OngeldigBestand as exc:
        opslag().delete(opdracht.bestand)
        raise ValidationError(exc.bericht) from exc
    if not any(kolommen):
        opslag().delete(opdracht.bestand)
        raise ValidationError(_("De eerste rij van het bestand heeft geen kolomkoppen."))
    opdracht.kolommen = [k[:100] for k in kolommen[:200]]
    opdracht.koppeling = koppeling_raden(SOORTEN[soort], opdracht.kolommen)
    opdracht.save()
    return opdracht


@transaction.atomic
def koppeling_bewaren(*, opdracht: Importopdracht, koppeling: dict[str, int]) -> Importopdracht:
    """Keep the mapping and queue the dry run (again)."""
    opdracht = Importopdracht.objects.select_for_update().get(pk=opdracht.pk)
    if opdracht.status not in (Status.KOPPELEN, Status.GECONTROLEERD) or not opdracht.bestand:
        raise ValidationError(_("Deze import loopt al of is afgelopen."))
    opdracht.koppeling = koppeling
    opdracht.status = Status.CONTROLE
    opdracht.totalen, opdracht.regels, opdracht.vertrokken = {}, [], []
    opdracht.save(update_fields=["koppeling", "status", "totalen", "regels", "vertrokken"])
    cache.delete(_voortgang_sleutel(opdracht.pk))
    _in_wachtrij_na_commit("invoer_controleren", opdracht.pk)
    return opdracht


@transaction.atomic
def import_bevestigen(*, opdracht: Importopdracht, vertrokken_beeindigen: bool) -> bool:
    """Confirm a checked import: queued once. A second confirm (a double
    click, another tab) waits for the first's lock, then finds the import
    no longer waiting for confirmation and does nothing: returns False."""
    opdracht = Importopdracht.objects.select_for_update().get(pk=opdracht.pk)
    if opdracht.status != Status.GECONTROLEERD:
        return False
    if opdracht.totalen.get("fout"):
        raise ValidationError(
            _("Het bestand heeft rijen met fouten: verbeter ze en kies het bestand opnieuw.")
        )
    opdracht.status = Status.BEZIG
    opdracht.bevestigd_op = timezone.now()
    opdracht.vertrokken_beeindigen = vertrokken_beeindigen and bool(opdracht.vertrokken)
    opdracht.save(update_fields=["status", "bevestigd_op", "vertrokken_beeindigen"])
    cache.delete(_voortgang_sleutel(opdracht.pk))
    _in_wachtrij_na_commit("invoer_uitvoeren", opdracht.pk)
    return True


def _in_wachtrij_na_commit(taak: str, opdracht_id) -> None:
    """Queue once committed. Redis down: the row waits and the sweep
    (`invoer_opruimen`) queues it again."""

    def versturen():
        from . import tasks

        try:
            getattr(tasks, taak).delay(str(opdracht_id))
        except Exception:  # any broker failure
            log.warning("Import %s not queued: the sweep will", opdracht_id)

    transaction.on_commit(versturen)


def _huidig_jaar(school: School) -> Schooljaar:
    jaar = Schooljaar.objects.filter(school=school, is_huidig=True).first()
    if jaar is None:
        raise OngeldigBestand(_("De school heeft geen huidig schooljaar: stel het eerst in."))
    return jaar


def _verwerken(opdracht: Importopdracht, *, schrijven: bool):
    soort = SOORTEN[opdracht.soort]
    ontbrekend = [
        str(v.label) for v in soort.velden if v.verplicht and v.code not in opdracht.koppeling
    ]
    if ontbrekend:
        raise OngeldigBestand(
            _("Geen kolom gekozen voor: %(velden)s.") % {"velden": ", ".join(ontbrekend)}
        )
    verwerker = VERWERKERS[opdracht.soort](
        school=opdracht.school,
        jaar=opdracht.schooljaar or _huidig_jaar(opdracht.school),
        door=opdracht.door,
        schrijven=schrijven,
        koppeling=opdracht.koppeling,
    )
    sleutel = _voortgang_sleutel(opdracht.pk)
    with opslag().open(opdracht.bestand, "rb") as f, tabel_openen(f, opdracht.formaat) as tabel:
        return rijen_verwerken(
            verwerker=verwerker,
            rijen=tabel.rijen,
            koppeling={veld: int(i) for veld, i in opdracht.koppeling.items()},
            volledig=opdracht.volledig,
            vertrokken_beeindigen=opdracht.vertrokken_beeindigen,
            voortgang=lambda n: cache.set(sleutel, n, 3600),
        )


def _mislukt(opdracht_id, reden: str, *, van: str) -> None:
    """The import ends as failed; its file is no longer needed (a new try
    starts from a new upload)."""
    if Importopdracht.objects.filter(pk=opdracht_id, status=van).update(
        status=Status.MISLUKT, reden=reden[:300], klaar_op=timezone.now()
    ):
        _bestand_verwijderen(opdracht_id)


def invoer_controleren(opdracht_id) -> str:
    """The dry run (the worker's task): every row's outcome, nothing
    written. Safe to run twice: it only fills the preview of an import
    still waiting for it."""
    opdracht = (
        Importopdracht.objects.select_related("school", "door")
        .filter(pk=opdracht_id, status=Status.CONTROLE)
        .first()
    )
    if opdracht is None or not opdracht.bestand:
        return "overgeslagen"
    try:
        resultaat = _verwerken(opdracht, schrijven=False)
    except OngeldigBestand as exc:
        _mislukt(opdracht.pk, exc.bericht, van=Status.CONTROLE)
        return Status.MISLUKT
    except SoftTimeLimitExceeded:
        _mislukt(
            opdracht.pk,
            _("Het bestand was te groot om op tijd te controleren."),
            van=Status.CONTROLE,
        )
        return Status.MISLUKT
    except Exception:
        log.exception("Dry run of import %s failed", opdracht.pk)
        _mislukt(opdracht.pk, _("Het bestand kon niet gecontroleerd worden."), van=Status.CONTROLE)
        return Status.MISLUKT
    if not any(resultaat.totalen[k] for k in ("nieuw", "gewijzigd", "ongewijzigd", "fout")):
        # Nothing under the headers: were it a full list, every student
        # would look gone.
        _mislukt(
            opdracht.pk,
            _("Het bestand heeft geen rijen onder de kolomkoppen."),
            van=Status.CONTROLE,
        )
        return Status.MISLUKT
    Importopdracht.objects.filter(pk=opdracht.pk, status=Status.CONTROLE).update(
        status=Status.GECONTROLEERD,
        totalen=resultaat.totalen,
        regels=resultaat.regels,
        vertrokken=resultaat.vertrokken,
        reden="",
    )
    return Status.GECONTROLEERD


def _claimen(opdracht_id) -> Importopdracht | None:
    """Take the confirmed import for this attempt (one UPDATE, committed at
    once): a second delivery of the task finds it taken."""
    geclaimd = Importopdracht.objects.filter(
        pk=opdracht_id, status=Status.BEZIG, gestart_op__isnull=True
    ).update(gestart_op=timezone.now())
    if not geclaimd:
        return None
    return Importopdracht.objects.select_related("school", "door").get(pk=opdracht_id)


def invoer_uitvoeren(opdracht_id) -> str:
    """The confirmed import (the worker's task), in one transaction: the
    rows are checked again (the school's data may have changed since the
    dry run) and the first row with an error undoes everything."""
    opdracht = _claimen(opdracht_id)
    if opdracht is None:
        return "overgeslagen"
    try:
        with transaction.atomic():
            resultaat = _verwerken(opdracht, schrijven=True)
            totalen = resultaat.totalen | {"beeindigd": resultaat.beeindigd}
            Importopdracht.objects.filter(pk=opdracht.pk).update(
                status=Status.KLAAR,
                totalen=totalen,
                regels=resultaat.regels,
                vertrokken=resultaat.vertrokken,
                klaar_op=timezone.now(),
                reden="",
            )
            audit_vastleggen(
                gebruiker=opdracht.door,
                actie=Actie.AANMAKEN,
                onderwerp=f"import_{opdracht.soort}",
                school_id=opdracht.school_id,
                object_id=opdracht.pk,
                omschrijving=_omschrijving(opdracht, totalen),
            )
    except (OngeldigBestand, Rijfout) as exc:
        reden = exc.bericht if isinstance(exc, OngeldigBestand) else str(exc)
        _mislukt(opdracht.pk, reden, van=Status.BEZIG)
    except SoftTimeLimitExceeded:
        _mislukt(
            opdracht.pk, _("De import duurde te lang; er werd niets ingevoerd."), van=Status.BEZIG
        )
    except Exception:
        log.exception("Import %s failed", opdracht.pk)
        _mislukt(opdracht.pk, _("De import is mislukt; er werd niets ingevoerd."), van=Status.BEZIG)
    _bestand_verwijderen(opdracht.pk)
    cache.delete(_voortgang_sleutel(opdracht.pk))
    return Importopdracht.objects.values_list("status", flat=True).get(pk=opdracht.pk)


def _omschrijving(opdracht: Importopdracht, totalen: dict) -> str:
    """Counts only: the trail names no student of the import."""
    return (
        f"{opdracht.bestandsnaam[:80]}: {totalen.get('nieuw', 0)} nieuw, "
        f"{totalen.get('gewijzigd', 0)} gewijzigd, {totalen.get('ongewijzigd', 0)} ongewijzigd, "
        f"{totalen.get('beeindigd', 0)} inschrijvingen beëindigd"
    )


def _bestand_verwijderen(opdracht_id) -> None:
    naam = Importopdracht.objects.filter(pk=opdracht_id).values_list("bestand", flat=True).first()
    if naam:
        opslag().delete(naam)
        Importopdracht.objects.filter(pk=opdracht_id).update(bestand="")


def invoer_opruimen(nu: datetime.datetime | None = None) -> tuple[int, int]:
    """The periodic sweep: files older than BEWAARTIJD are deleted (an
    import never confirmed ends as failed), and dry runs or imports whose
    task was lost are queued again. Returns (files deleted, queued again)."""
    nu = nu or timezone.now()
    oud = Importopdracht.objects.filter(aangemaakt__lt=nu - BEWAARTIJD).exclude(bestand="")
    verwijderd = 0
    for pk, status in oud.exclude(status=Status.BEZIG).values_list("pk", "status"):
        if status in (Status.KOPPELEN, Status.CONTROLE, Status.GECONTROLEERD):
            _mislukt(
                pk, _("Niet bevestigd binnen twee dagen: het bestand is verwijderd."), van=status
            )
        _bestand_verwijderen(pk)
        verwijderd += 1
    vast = settings.CELERY_TASK_TIME_LIMIT * 2
    opnieuw = 0
    for pk, status in Importopdracht.objects.filter(
        Q(status=Status.CONTROLE)
        | Q(status=Status.BEZIG, gestart_op__isnull=True)
        | Q(status=Status.BEZIG, gestart_op__lt=nu - datetime.timedelta(seconds=vast)),
        aangemaakt__lt=nu - OPNIEUW_NA,
    ).values_list("pk", "status"):
        with transaction.atomic():
            # A worker that died mid-import left nothing (its transaction
            # was rolled back): the import may run again.
            Importopdracht.objects.filter(pk=pk).update(gestart_op=None)
            _in_wachtrij_na_commit(
                "invoer_controleren" if status == Status.CONTROLE else "invoer_uitvoeren", pk
            )
        opnieuw += 1
    return verwijderd, opnieuw
