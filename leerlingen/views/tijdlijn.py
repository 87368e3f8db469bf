"""One chronological page per student with everything the user may see,
filterable by guidance domain, kind and period, paginated."""

import datetime

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.paginering import pagineren

from .. import domeinen, policies
from ..models import TijdlijnItem

PER_PAGINA = 25


class TijdlijnFilter(forms.Form):
    domein = forms.TypedChoiceField(
        label=_("Begeleidingsdomein"),
        choices=[("", _("alle domeinen")), *domeinen.KEUZES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    soort = forms.ChoiceField(
        label=_("Soort"),
        choices=[("", _("alles")), *TijdlijnItem.Soort.choices],
        required=False,
    )
    van = forms.DateField(
        label=_("Van"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tot = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        van, tot = data.get("van"), data.get("tot")
        if van and tot and tot < van:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return data


def tijdlijn_items(user, leerling, filter_data: dict | None = None):
    """The timeline entries of `leerling` this user may see, newest first."""
    items = TijdlijnItem.objects.filter(
        leerling=leerling, zichtbaarheid__in=policies.zichtbaarheden(user, leerling)
    )
    filter_data = filter_data or {}
    if filter_data.get("domein"):
        items = domeinen.met_domein(items, filter_data["domein"])
    if filter_data.get("soort"):
        items = items.filter(soort=filter_data["soort"])
    if filter_data.get("van"):
        items = items.filter(datum__gte=filter_data["van"])
    if filter_data.get("tot"):
        items = items.filter(datum__lte=filter_data["tot"])
    return items.order_by("-datum", "-tijdstip", "-pk")


def _links_bepalen(user, leerling, items) -> list:
    """Mark the entries whose link `user` may follow (`toon_link`): an entry
    the class team reads may point at a measure no longer in force or a
    meeting page the reader does not open. One query per kind of target."""
    items = list(items)
    open_urls = policies.te_openen_links(
        user, policies.zichtbaarheden(user, leerling), [item.url for item in items]
    )
    for item in items:
        item.toon_link = item.url in open_urls
    return items


@require_GET
def tijdlijn(request, pk):
    leerling = policies.get_leerling_for_user(request.user, pk)
    if not policies.can_view_zorg(request.user, leerling):
        raise Http404
    filter_form = TijdlijnFilter(request.GET or None)
    filter_data = filter_form.cleaned_data if filter_form.is_valid() else {}
    pagina = pagineren(request, tijdlijn_items(request.user, leerling, filter_data), PER_PAGINA)
    pagina.object_list = _links_bepalen(request.user, leerling, pagina.object_list)
    audit_vastleggen(
        gebruiker=request.user,
        actie=Actie.LEZEN,
        onderwerp="tijdlijn",
        leerlingen=[leerling],
        object_id=leerling.pk,
        omschrijving=f"pagina {pagina.number}",
    )
    querystring = request.GET.copy()
    querystring.pop("pagina", None)
    return render(
        request,
        "leerlingen/tijdlijn.html",
        {
            "leerling": leerling,
            "pagina": pagina,
            "filter": filter_form,
            "filter_query": querystring.urlencode(),
            "vandaag": datetime.date.today(),
        },
    )


urlpatterns = [
    path("leerlingen/<int:pk>/tijdlijn/", tijdlijn, name="tijdlijn"),
]


def sectie(request, leerling) -> dict:
    """The five latest entries, on the student page."""
    if not policies.can_view_zorg(request.user, leerling):
        return {}
    return {
        "onderdeel": "tijdlijn",
        "items": _links_bepalen(request.user, leerling, tijdlijn_items(request.user, leerling)[:5]),
    }
