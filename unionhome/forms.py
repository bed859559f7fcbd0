"""Form pieces shared by every app: rendering, date inputs, and the text rules."""

from django import forms
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form renders through our templates: label, input, help and errors together."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


class DateInput(forms.DateInput):
    """The browser's date picker; the value goes back and forth as yyyy-mm-dd."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
