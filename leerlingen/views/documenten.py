"""Uploaded documents of a student: the care team uploads, the care team and
the CLB read. Files are never served by the web server: only the download
view below, after asking the policy, streams them, and every download is
audited."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren

from .. import policies
from ..forms.documenten import DocumentForm
from ..models import Document
from ..services.documenten import document_opslaan, downloadnaam

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
def document_nieuw(request, pk):
    leerling = policies.get_leerling_for_user(request.user, pk)
    if not policies.can_upload_document(request.user, leerling):
        raise Http404
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                _document, nieuw = eenmalig_bewaren(
                    form,
                    request.user,
                    lambda: document_opslaan(
                        leerling=leerling,
                        door=request.user,
                        bestand=data["bestand"],
                        titel=data["titel"],
                        soort=data["soort"],
                    ),
                )
            except ValidationError as exc:
                form.add_error("bestand", exc)
            else:
                messages.success(request, _("Het document is toegevoegd.") if nieuw else AL_BEWAARD)
                return redirect(reverse("leerlingen:leerling_detail", args=[leerling.pk]))
    else:
        form = DocumentForm()
    return render(request, "leerlingen/documenten/nieuw.html", {"leerling": leerling, "form": form})


@require_GET
def document_download(request, pk, doc_pk):
    leerling = policies.get_leerling_for_user(request.user, pk)
    if not policies.can_view_documenten(request.user, leerling):
        raise Http404
    # Scoped to this student: another student's document number in the URL
    # is simply not found.
    document = Document.objects.filter(leerling=leerling, pk=doc_pk).first()
    if document is None:
        raise Http404
    try:
        bestand = document.bestand.open("rb")
    except (FileNotFoundError, ValueError):
        logger.error("Document %s has no file in storage", document.pk)
        raise Http404 from None
    response = FileResponse(
        bestand,
        as_attachment=True,
        filename=downloadnaam(document),
        content_type=document.inhoudstype,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    audit_vastleggen(
        gebruiker=request.user,
        actie=Actie.DOWNLOADEN,
        onderwerp="document",
        leerlingen=[leerling],
        object_id=document.pk,
        # The document number only: the trail is read by people (the
        # functional administrator) who may not read care content.
    )
    return response


urlpatterns = [
    path("leerlingen/<int:pk>/documenten/nieuw/", document_nieuw, name="document_nieuw"),
    path(
        "leerlingen/<int:pk>/documenten/<int:doc_pk>/download/",
        document_download,
        name="document_download",
    ),
]


def sectie(request, leerling) -> dict:
    """The list of documents on the student page, for the care team only:
    teachers see neither the list nor a link."""
    if not policies.can_view_documenten(request.user, leerling):
        return {}
    documenten = list(
        Document.objects.filter(leerling=leerling)
        .select_related("geupload_door")
        .order_by("-aangemaakt", "-pk")
    )
    return {
        "onderdeel": "documenten",
        "documenten": documenten,
        "kan_uploaden": policies.can_upload_document(request.user, leerling),
    }
