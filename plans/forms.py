from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import ContentArea
from unionhome.forms import DateInput

from .models import MonthPlan, PlannedActivity


class ItemForm(forms.ModelForm):
    """A planned activity: its day, content area, title, place and a note."""

    class Meta:
        model = PlannedActivity
        fields = ["planned_on", "area", "title", "place", "note"]
        widgets = {"planned_on": DateInput()}

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        areas = ContentArea.objects.filter(is_active=True)
        if self.instance.pk:
            areas = areas | ContentArea.objects.filter(pk=self.instance.area_id)
        self.fields["area"].queryset = areas.distinct().order_by("sort_order", "pk")
        self.fields["area"].empty_label = None
        # A plan is for today or a day to come (the service refuses a day gone by).
        first = max(date(year, 1, 1), timezone.localdate())
        self.fields["planned_on"].widget.attrs.update(
            {"min": first.isoformat(), "max": f"{year}-12-31"}
        )

    def clean_planned_on(self):
        day = self.cleaned_data["planned_on"]
        if day.year != self.year:
            raise forms.ValidationError(_("Choose a day of %(year)s.") % {"year": self.year})
        return day

    def service_arguments(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def _post_clean(self):
        # The service decides the month and the kind of item; the model's own check runs there.
        pass


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("reason it was not held"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TieForm(forms.Form):
    activity = forms.ModelChoiceField(
        label=_("activity recorded that month"),
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the activities listed.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = choices
        self.fields["activity"].label_from_instance = lambda a: str(a)


class MonthPlanForm(forms.ModelForm):
    class Meta:
        model = MonthPlan
        fields = ["arrangements"]
        widgets = {"arrangements": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "arrangements": _("What the group arranges this month: meetings, study, care, sport …")
        }

    def _post_clean(self):
        pass
