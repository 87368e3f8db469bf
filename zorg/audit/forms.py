import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.formulieren import datumveld

ZOEK_MAX = 100


class TrailFilterForm(forms.Form):
    """Filter the trail by person (part of a name or e-mail address) and by
    period (both ends included). Every field is optional."""

    persoon = forms.CharField(
        label=_("Persoon"),
        required=False,
        max_length=ZOEK_MAX,
        help_text=_("Een deel van de naam of het e-mailadres."),
        error_messages={"max_length": _("Zoek met hoogstens %(limit_value)d tekens.")},
    )
    van = datumveld(_("Van"), required=False)
    tot = datumveld(_("Tot en met"), required=False)

    def clean_persoon(self):
        # Control characters (a NUL byte) would make PostgreSQL refuse the query.
        persoon = self.cleaned_data["persoon"]
        return "".join(c for c in persoon if c.isprintable()).strip()

    def clean(self):
        data = super().clean()
        van, tot = data.get("van"), data.get("tot")
        if van and tot and van > tot:
            raise forms.ValidationError(_("De begindatum valt na de einddatum."))
        for veld in ("van", "tot"):
            dag = data.get(veld)
            if dag and not datetime.date(2000, 1, 1) <= dag <= datetime.date(2100, 12, 31):
                self.add_error(veld, _("Kies een datum tussen 2000 en 2100."))
        return data
