from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import Member, MemberStatus
from unionhome.forms import DateInput, MultipleFileField

from .models import ActivityKind, ContentArea


class MemberCheckboxes(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ActivityForm(forms.Form):
    """An activity of one group. Files that pass the checks are kept even when another
    field has a mistake, so the user never picks the same photo twice."""

    area = forms.ModelChoiceField(
        label=_("content area"), queryset=ContentArea.objects.none(), empty_label=None
    )
    kinds = forms.ModelMultipleChoiceField(
        label=_("record kinds"),
        queryset=ActivityKind.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=_("title"), max_length=100)
    held_on = forms.DateField(label=_("date"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("end date"),
        widget=DateInput(),
        required=False,
        help_text=_("For an activity over several days."),
    )
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    organiser = forms.CharField(label=_("organiser"), max_length=50, required=False)
    participants = MemberCheckboxes(
        label=_("participants from the group"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_participants = forms.CharField(
        label=_("participants from other groups"),
        required=False,
        help_text=_("Their employee numbers, separated by commas or spaces."),
    )
    guests_count = forms.IntegerField(
        label=_("guests"),
        min_value=0,
        max_value=10000,
        initial=0,
        help_text=_("People taking part who are not members."),
    )
    description = forms.CharField(
        label=_("description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    files = MultipleFileField(
        label=_("photos and files"),
        required=False,
        help_text=_(
            "Photos from the camera, or PDF, Word, Excel and PowerPoint files; "
            "at most %(size)s each."
        )
        % {"size": filesizeformat(settings.UPLOAD_MAX_FILE_BYTES)},
    )

    def __init__(self, *args, group, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.activity = activity
        areas = ContentArea.objects.filter(is_active=True)
        kinds = ActivityKind.objects.filter(is_active=True)
        members = Member.objects.filter(group=group, status=MemberStatus.ACTIVE)
        if activity is not None:
            # An existing record keeps a retired area, a retired kind or a member who left.
            areas = ContentArea.objects.filter(pk=activity.area_id) | areas
            kinds = ActivityKind.objects.filter(pk__in=activity.kinds.all()) | kinds
            members = (
                Member.objects.filter(pk__in=activity.participants.filter(group=group).values("pk"))
                | members
            )
        self.fields["area"].queryset = areas.order_by("sort_order", "pk")
        self.fields["kinds"].queryset = kinds.distinct().order_by("sort_order", "pk")
        self.fields["participants"].queryset = members.distinct().order_by("employee_no")
        self.fields["files"].widget.attrs["accept"] = (
            "image/*,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
        )
        if activity is None:
            self.fields["held_on"].initial = timezone.localdate()

    def clean_other_participants(self):
        text = self.cleaned_data["other_participants"]
        numbers = [n for n in text.replace("，", ",").replace(",", " ").split() if n]
        if not numbers:
            return []
        found = {
            m.employee_no: m
            for m in Member.objects.filter(employee_no__in=numbers, status=MemberStatus.ACTIVE)
        }
        unknown = [n for n in numbers if n not in found]
        if unknown:
            raise forms.ValidationError(
                _("No member in the union with employee no. %(numbers)s.")
                % {"numbers": "、".join(unknown)}
            )
        return [found[n] for n in numbers]

    def all_participants(self):
        chosen = list(self.cleaned_data.get("participants") or [])
        seen = {m.pk for m in chosen}
        for member in self.cleaned_data.get("other_participants") or []:
            if member.pk not in seen:
                chosen.append(member)
                seen.add(member.pk)
        return chosen

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "area": data["area"],
            "kinds": list(data["kinds"]),
            "title": data["title"],
            "held_on": data["held_on"],
            "ends_on": data["ends_on"],
            "place": data["place"],
            "organiser": data["organiser"],
            "participants": self.all_participants(),
            "guests_count": data["guests_count"] or 0,
            "description": data["description"],
        }


class ActivityDeleteForm(forms.Form):
    reason = forms.CharField(label=_("reason for deleting"), max_length=200, required=False)


class ReportTextForm(forms.Form):
    summary = forms.CharField(
        label=_("summary of the month"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    problems = forms.CharField(
        label=_("problems"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    next_plan = forms.CharField(
        label=_("plan for next month"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReportReviewForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for returning / comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
