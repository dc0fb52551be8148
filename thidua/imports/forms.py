from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from thidua.imports.models import ImportKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=ImportKind.choices, widget=forms.HiddenInput)
    # An empty file is let through so the service can say so in its own words.
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )
