from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from zorg.sessies.sessie import geen_activiteit

from .policies import get_pdf_opdracht_for_user
from .services import pdf_aanvragen, pdf_downloaden, soort_of_404


@require_POST
def aanvragen(request, soort, object_id):
    """Ask for a PDF of something the user may see (else 404): the job's page
    follows its progress."""
    documentsoort = soort_of_404(soort)
    ding = documentsoort.opzoeken(request.user, object_id)
    try:
        opties = documentsoort.opties(request.POST)
    except ValidationError as fout:
        for bericht in fout.messages:
            messages.error(request, bericht)
        terug = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            terug, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            terug = "start"
        return redirect(terug)
    opdracht, _nieuw = pdf_aanvragen(
        user=request.user, soort=documentsoort, ding=ding, opties=opties
    )
    return redirect("pdf:opdracht", pk=opdracht.pk)


# The polling is not the person's activity: a job page left open on an
# unattended PC must not keep its session alive (zorg.sessies).
@geen_activiteit(alleen_htmx=True)
@require_GET
def opdracht(request, pk):
    """The job's progress; htmx asks for the status part every second until
    the PDF is ready or failed."""
    opdracht = get_pdf_opdracht_for_user(request.user, pk)
    context = {"opdracht": opdracht}
    if request.htmx:
        return render(request, "pdf/opdracht.html#status", context)
    return render(request, "pdf/opdracht.html", context)


@require_GET
def downloaden(request, pk):
    opdracht = get_pdf_opdracht_for_user(request.user, pk)
    bestand = pdf_downloaden(user=request.user, opdracht=opdracht)
    naam = slugify(opdracht.titel or opdracht.soort) or "zorg"
    return FileResponse(
        bestand, as_attachment=True, filename=f"{naam}.pdf", content_type="application/pdf"
    )
