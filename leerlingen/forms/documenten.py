from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm

from ..models import Document
from ..services.documenten import inhoudstype_bepalen, max_grootte_tekst


class DocumentForm(EenmaligForm):
    """Title, kind and file. The file's type is judged by its bytes (the
    service checks again before it writes)."""

    titel = forms.CharField(
        label=_("Titel"),
        max_length=Document._meta.get_field("titel").max_length,
        error_messages={"required": _("Geef het document een titel.")},
        help_text=_("bv. Diagnoseverslag dyslexie (logopedist, 2025)"),
    )
    soort = forms.ChoiceField(
        label=_("Soort"),
        choices=Document.Soort.choices,
        error_messages={"required": _("Kies de soort document.")},
    )
    bestand = forms.FileField(
        label=_("Bestand"),
        # The stored original name is capped and cleaned by the service;
        # a long name is no reason to refuse the file.
        allow_empty_file=True,
        error_messages={
            "required": _("Kies een bestand om op te laden."),
            "invalid": _("Er kwam geen bestand mee. Kies het bestand opnieuw."),
            "missing": _("Er kwam geen bestand mee. Kies het bestand opnieuw."),
        },
        widget=forms.FileInput(
            attrs={"accept": "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.inhoudstype = ""
        self.fields["bestand"].help_text = _("PDF, PNG of JPEG, maximaal %(max)s.") % {
            "max": max_grootte_tekst(settings.ZORG_DOCUMENT_MAX_BYTES)
        }

    def clean_titel(self):
        titel = self.cleaned_data["titel"].strip()
        if not titel:
            raise forms.ValidationError(_("Geef het document een titel."))
        return titel

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        self.inhoudstype = inhoudstype_bepalen(bestand)
        return bestand
