from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhome.forms import DateInput

from .models import LifeEvent


class EventForm(forms.ModelForm):
    class Meta:
        model = LifeEvent
        fields = ["kind", "happened_on", "note"]
        widgets = {"happened_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("happened_on", timezone.localdate())


class CloseForm(forms.Form):
    """The visit that closes a task: on a phone in the workshop, the camera opens for the
    photo."""

    visited_on = forms.DateField(label=_("visited on"), widget=DateInput())
    visitors = forms.CharField(label=_("visited by"), max_length=100)
    gift_value = forms.DecimalField(
        label=_("gift or money given (yuan)"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)
    photo = forms.FileField(
        label=_("photo of the visit"),
        error_messages={"required": _("Take or choose a photo of the visit.")},
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, task, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update(
            visited_on=timezone.localdate(),
            visitors=user.name,
            gift_value=task.gift_standard,
        )
