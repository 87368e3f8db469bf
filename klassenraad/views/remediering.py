"""The guiding class council selects who (does not) get remediation or
differentiation: one page on the meeting, a table of the class's students
by the subjects taught in the class, and a row for the whole class first,
filled in with what the council chose so far. Saving makes the council's
remediations and decisions what the table says (once, however often
sent). The care team, while the meeting is open; anyone else 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from leerlingen.models import Leerling
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form

from .. import policies
from ..forms.remediering import SelectieForm
from ..services.remediering import (
    remedieringen_selecteren,
    selectie_van_overleg,
    vakken_van_klas,
)


def _huidige_keuzes(overleg) -> dict[str, str]:
    """The table as the council left it: each chosen cell's approach."""
    return {
        (f"l_{leerling_id}_{vak_id}" if leerling_id else f"klas_{vak_id}"): r.aanpak
        for (leerling_id, vak_id), r in selectie_van_overleg(overleg).items()
    }


@require_http_methods(["GET", "POST"])
def remediering_selecteren(request, pk):
    user = request.user
    overleg = policies.get_remediering_overleg_for_user(user, pk)
    klas = overleg.klas
    leerlingen = klas.huidige_leerlingen()
    formkwargs = {"leerlingen": leerlingen, "vakken": vakken_van_klas(klas)}
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
            initial={
                "begin": min(timezone.localdate(overleg.moment), timezone.localdate()),
                **_huidige_keuzes(overleg),
            },
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
