from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.paginering import pagineren

from .forms import VoorkeurenForm
from .models import Melding, Voorkeur
from .policies import soorten_voor
from .services import alle_meldingen_lezen, genoemde_leerlingen, melding_lezen, voorkeuren_bewaren


@require_GET
def melding_lijst(request):
    meldingen = (
        Melding.objects.voor(request.user).select_related("leerling").order_by("-aangemaakt", "-id")
    )
    pagina = pagineren(request, meldingen)
    # A reminder's title names its student: the page shows them (one INSERT).
    leerlingen = genoemde_leerlingen(pagina.object_list)
    if leerlingen:
        audit_vastleggen(
            gebruiker=request.user,
            actie=Actie.LEZEN,
            onderwerp="meldingen",
            leerlingen=leerlingen,
            omschrijving="meldingen",
        )
    return render(request, "meldingen/melding_lijst.html", {"pagina": pagina})


@require_POST
def melding_openen(request, pk):
    # A notification is only ever its recipient's: anyone else gets a 404.
    melding = get_object_or_404(Melding.objects.voor(request.user), pk=pk)
    melding_lezen(melding=melding)
    if melding.link and url_has_allowed_host_and_scheme(
        melding.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(melding.link)
    return redirect("meldingen:melding_lijst")


@require_POST
def alles_gelezen(request):
    alle_meldingen_lezen(user=request.user)
    return redirect("meldingen:melding_lijst")


@require_http_methods(["GET", "POST"])
def voorkeuren(request):
    """How the user hears of each kind of notification. Only their own."""
    huidig = dict(Voorkeur.objects.filter(user=request.user).values_list("soort", "modus"))
    form = VoorkeurenForm(request.POST or None, soorten=soorten_voor(request.user), huidig=huidig)
    if request.method == "POST" and form.is_valid():
        voorkeuren_bewaren(user=request.user, keuzes=form.keuzes())
        messages.success(request, _("Je voorkeuren zijn bewaard."))
        return redirect("meldingen:voorkeuren")
    return render(request, "meldingen/voorkeuren.html", {"form": form})
