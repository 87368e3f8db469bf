from django.conf import settings
from django.core.paginator import Page, Paginator


def pagineren(request, queryset, per_pagina: int | None = None) -> Page:
    """One page of a list, evaluated here: a template must never be the one
    that queries. Out-of-range or malformed page numbers give the nearest
    valid page, not an error."""
    paginator = Paginator(queryset, per_pagina or settings.ZORG_PAGINA_GROOTTE)
    pagina = paginator.get_page(request.GET.get("pagina"))
    pagina.object_list = list(pagina.object_list)
    return pagina
