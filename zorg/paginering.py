from functools import cached_property

from django.conf import settings
from django.core.paginator import Page, Paginator


class BegrensdePaginator(Paginator):
    """Counts no further than `grens` rows: a school group's whole student
    list (100,000 of them) is not counted on every view (issue 19). `meer`
    says there are more than that; the pages stop at the limit."""

    def __init__(self, object_list, per_page, *, grens: int):
        super().__init__(object_list, per_page)
        self.grens = grens

    @cached_property
    def _geteld(self) -> int:
        # Only the keys, unordered: no sort, and none of the annotations the
        # page shows (a current class per student is a subquery per row).
        return self.object_list.order_by().values("pk")[: self.grens + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._geteld, self.grens)

    @property
    def meer(self) -> bool:
        return self._geteld > self.grens


def pagineren(
    request, queryset, per_pagina: int | None = None, *, grens: int | None = None
) -> Page:
    """One page of a list, evaluated here: a template must never be the one
    that queries. Out-of-range or malformed page numbers give the nearest
    valid page, not an error. With `grens`, the list is counted no further
    than that (BegrensdePaginator)."""
    grootte = per_pagina or settings.ZORG_PAGINA_GROOTTE
    if grens is None:
        paginator = Paginator(queryset, grootte)
    else:
        paginator = BegrensdePaginator(queryset, grootte, grens=grens)
    pagina = paginator.get_page(request.GET.get("pagina"))
    pagina.object_list = list(pagina.object_list)
    return pagina
