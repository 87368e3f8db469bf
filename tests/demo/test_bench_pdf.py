"""The PDF part of `manage.py bench` on a small demo: the class is topped
up to 30 students with measures, and the documents are made in a process
of their own, which reports its time, pages and peak memory."""

import pytest
from django.core.management import call_command

from leerlingen.models import Inschrijving, Maatregel
from zorg.accounts.models import School
from zorg.demo import bench_pdf
from zorg.demo.bench_pdf import KLASGROOTTE, pdf_aanvullen, pdf_meten
from zorg.demo.plan import DEMO_INSTELLINGSNUMMER
from zorg.pdf.models import PdfOpdracht


@pytest.mark.django_db(transaction=True)
def test_the_bench_makes_the_pdfs_in_a_process_of_its_own(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    # Shorter records than the bench's (20 and 200 pages): the same code.
    monkeypatch.setattr(bench_pdf, "LANGE_DOSSIERS", {"kort": 3, "langer": 12})
    call_command("demo", students=60, verbosity=0)
    school = School.objects.get(instellingsnummer=DEMO_INSTELLINGSNUMMER)
    opdrachten, aanvulling = pdf_aanvullen(school)
    assert aanvulling["students"] == KLASGROOTTE
    klas = PdfOpdracht.objects.get(soort="klas-maatregelen").object_id
    leerlingen = Inschrijving.objects.actief().filter(klas_id=klas).values("leerling_id")
    assert Maatregel.objects.filter(leerling_id__in=leerlingen).count() >= 3 * KLASGROOTTE
    # Topped up: a second time writes nothing (and finds the long records).
    assert pdf_aanvullen(school)[1]["rows_written"] == 0
    assert [label for label, _o in opdrachten] == [opdrachten[0][0], "kort", "langer"]

    figuren = pdf_meten(opdrachten)
    (klasoverzicht,) = [d for d in figuren["documents"] if "class" in d["document"]]
    assert klasoverzicht["status"] == "klaar"
    assert klasoverzicht["pages"] >= 2
    assert 0 < klasoverzicht["seconds"] < 60
    assert 50 < figuren["worker_peak_rss_mb"] < 2000
    kort, langer = figuren["documents"][1:]
    assert kort["status"] == langer["status"] == "klaar"
    assert 1 <= kort["pages"] < langer["pages"]


def test_the_bench_names_each_pdf_target_it_misses():
    from zorg.demo.bench_pdf import gemist

    figuren = {
        "documents": [
            {"document": "class measures overview (30 students)", "seconds": 0.9},
            {"document": "care file (~20 pages)", "seconds": 1.6},
            {"document": "care file (~200 pages)", "seconds": 9.0},
        ],
        "worker_peak_rss_mb": 251.0,
    }
    assert gemist(figuren) == [
        "care file (~20 pages): 1.60 s > 1.5 s",
        "worker peak RSS 251.0 MB > 250 MB",
    ]
    figuren["documents"][1]["seconds"] = 1.5
    figuren["worker_peak_rss_mb"] = 180.0
    assert gemist(figuren) == []
