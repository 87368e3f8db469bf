"""Form fields every part of the student record shares."""

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
