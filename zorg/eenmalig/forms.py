import uuid

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

SLEUTEL = "sleutel"
ONVOLLEDIG = _("Het formulier is onvolledig. Laad de pagina opnieuw.")


class EenmaligForm(forms.Form):
    """A create form with a hidden key: a fresh one for every rendered form,
    so a double click or a resubmit sends the same key twice. The key is not
    part of `cleaned_data` (forms hand that to services as is); the view
    passes the form to `eenmalig_bewaren`, which reads `eenmalige_sleutel`.

    Mixed in first (`class X(EenmaligForm, SomeForm)`), it tells a crispy
    helper that SomeForm built to render hidden fields; a form that builds
    its helper in its own `__init__` lists "sleutel" in its layout."""

    sleutel = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"required": ONVOLLEDIG, "invalid": ONVOLLEDIG},
    )
    # Which form a key belongs to; the class's own name unless set.
    eenmalig_formulier = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.eenmalige_sleutel = None
        if not self.is_bound:
            # A copy: a caller's `initial` may be shared between renderings.
            self.initial = {**self.initial, SLEUTEL: uuid.uuid4()}
        helper = getattr(self, "helper", None)
        if helper is not None:
            helper.render_hidden_fields = True

    @classmethod
    def formuliernaam(cls) -> str:
        return (cls.eenmalig_formulier or f"{cls.__module__}.{cls.__qualname__}")[:100]

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        # A hidden field's error shows nowhere beside it: on top of the form.
        fouten = self._errors.pop(SLEUTEL, None)
        if fouten:
            self._errors.setdefault(NON_FIELD_ERRORS, self.error_class(error_class="nonfield"))
            self._errors[NON_FIELD_ERRORS].extend(fouten)
        self.eenmalige_sleutel = self.cleaned_data.pop(SLEUTEL, None)
