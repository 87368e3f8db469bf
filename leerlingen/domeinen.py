"""The four guidance domains (begeleidingsdomeinen), stored as a bit mask so
one row can belong to several domains and a filter on one domain stays a
single indexed-column expression on PostgreSQL and SQLite alike."""

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

LEREN = 1
LOOPBAAN = 2
PSYCHOSOCIAAL = 4
GEZONDHEID = 8

KEUZES = [
    (LEREN, _("Leren en studeren")),
    (LOOPBAAN, _("Onderwijsloopbaan")),
    (PSYCHOSOCIAAL, _("Psychisch en sociaal functioneren")),
    (GEZONDHEID, _("Preventieve gezondheidszorg")),
]
ALLE = LEREN | LOOPBAAN | PSYCHOSOCIAAL | GEZONDHEID
_LABELS = dict(KEUZES)


def labels(masker: int) -> list[str]:
    return [str(label) for bit, label in KEUZES if masker & bit]


def uit_lijst(waarden) -> int:
    masker = 0
    for waarde in waarden:
        masker |= int(waarde)
    return masker


def naar_lijst(masker: int) -> list[int]:
    return [bit for bit, _ in KEUZES if masker & bit]


def met_domein(queryset, domein: int, veld: str = "domeinen"):
    """Rows that belong to `domein` (among others)."""
    return queryset.alias(_domein_bit=F(veld).bitand(domein)).filter(_domein_bit__gt=0)


class DomeinenField(forms.TypedMultipleChoiceField):
    """Checkboxes in the form, a bit mask in the model."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Begeleidingsdomeinen"))
        kwargs.setdefault(
            "error_messages", {"required": _("Kies minstens één begeleidingsdomein.")}
        )
        super().__init__(choices=KEUZES, coerce=int, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return naar_lijst(value)
        return value

    def clean(self, value):
        return uit_lijst(super().clean(value))

    def has_changed(self, initial, data):
        return uit_lijst(self.to_python(data) or []) != (initial or 0)
