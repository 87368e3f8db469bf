"""The guiding class council selects who (does not) get remediation or
differentiation: one page on the meeting, a table of the class's students
by the subjects taught in the class, and a row for the whole class first.
Saving creates planned remediations linked to the meeting (once, however
often sent). The care team, while the meeting is open; anyone else 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leerlingen.models import Leerling, Vak
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form

from .. import policies
from ..forms.remediering import SelectieForm
from ..services.remediering import remedieringen_selecteren


def _vakken(klas) -> list[Vak]:
    return list(Vak.objects.filter(lesopdrachten__klas=klas).distinct().order_by("naam"))


@require_http_methods(["GET", "POST"])
def remediering_selecteren(request, pk):
    user = request.user
    overleg = policies.get_remediering_overleg_for_user(user, pk)
    klas = overleg.klas
    leerlingen = klas.huidige_leerlingen()
    formkwargs = {"leerlingen": leerlingen, "vakken": _vakken(klas)}
    if request.method == "POST":
        form = SelectieForm(request.POST, **formkwargs)
        if form.is_valid():
            try:
                _gemaakt, nieuw = eenmalig_bewaren(
                    form,
                    user,
                    lambda: remedieringen_selecteren(
                        overleg=overleg,
                        keuzes=form.keuzes(),
                        begin=form.cleaned_data["begin"],
                        aantal_weken=form.cleaned_data["aantal_weken"],
                        door=user,
                    ),
                )
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(
                    request,
                    _("De selectie van de klassenraad is bewaard.") if nieuw else AL_BEWAARD,
                )
                return redirect(reverse("klassenraad:remediering_selecteren", args=[overleg.pk]))
    else:
        form = SelectieForm(
            initial={"begin": min(timezone.localdate(overleg.moment), timezone.localdate())},
            **formkwargs,
        )
    beslist = list(
        policies.remedieringen_van_overleg(user, overleg)
        .select_related("vak", "leerling", "klas")
        .prefetch_related(Prefetch("groep", queryset=Leerling.objects.order_by("achternaam")))
        .order_by("leerling__achternaam", "vak__naam", "pk")
    )
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="overleg_remediering",
        leerlingen=leerlingen,
        school_id=overleg.school_id,
        object_id=overleg.pk,
    )
    return render(
        request,
        "klassenraad/remediering/selecteren.html",
        {"overleg": overleg, "klas": klas, "form": form, "beslist": beslist},
    )


urlpatterns = [
    path(
        "overleggen/<int:pk>/remediering/",
        remediering_selecteren,
        name="remediering_selecteren",
    ),
]
