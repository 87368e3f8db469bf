"""Form helpers every app shares: a date field, and a service's rule errors
put on the form."""

from django import forms
from django.utils.translation import gettext_lazy as _


def datumveld(label, *, required=True, verplicht_bericht=None, **kwargs) -> forms.DateField:
    """A date picked in the browser's own date input (ISO in, ISO out), with
    Dutch messages."""
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": verplicht_bericht or _("Vul een datum in."),
            "invalid": _("Vul een geldige datum in."),
        },
        **kwargs,
    )


def fouten_op_form(form, fout, veld_van=None) -> None:
    """A service's rule errors (a ValidationError) beside the fields they
    concern; what has no field of its own (or no dict) on top of the form.
    `veld_van` maps a model field to the form field that shows it."""
    if not hasattr(fout, "error_dict"):
        form.add_error(None, fout)
        return
    for veld, fouten in fout.error_dict.items():
        veld = (veld_van or {}).get(veld, veld)
        form.add_error(veld if veld in form.fields else None, fouten)
