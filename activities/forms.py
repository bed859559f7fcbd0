from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from groups.models import Member, MemberStatus
from unionhome.forms import DateInput, MultipleFileField

from .models import Activity, ActivityKind, ContentArea, ReportFileKind


class MemberCheckboxes(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ActivityForm(forms.ModelForm):
    """An activity of one group. Files that pass the checks are kept even when another
    field has a mistake, so the user never picks the same photo twice."""

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
    files = MultipleFileField(
        label=_("photos and files"),
        required=False,
        help_text=format_lazy(
            _(
                "Photos from the camera, or PDF, Word, Excel and PowerPoint files; "
                "at most {size} each."
            ),
            size=lazy(filesizeformat, str)(settings.UPLOAD_MAX_FILE_BYTES),
        ),
    )

    class Meta:
        model = Activity
        fields = [
            "area",
            "kinds",
            "title",
            "held_on",
            "ends_on",
            "place",
            "organiser",
            "participants",
            "guests_count",
            "description",
        ]
        widgets = {
            "kinds": forms.CheckboxSelectMultiple,
            "held_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"ends_on": _("For an activity over several days.")}

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        activity = self.instance if self.instance.pk else None
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
            if not self.is_bound and group is not None:
                self.initial["other_participants"] = " ".join(
                    m.employee_no for m in activity.participants.all() if m.group_id != group.pk
                )
        self.fields["area"].queryset = areas.order_by("sort_order", "pk")
        self.fields["area"].empty_label = None
        self.fields["kinds"].queryset = kinds.distinct().order_by("sort_order", "pk")
        self.fields["participants"].queryset = members.distinct().order_by("employee_no")
        self.fields["files"].widget.attrs["accept"] = (
            "image/*,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
        )
        if activity is None:
            self.initial["held_on"] = timezone.localdate()

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


class AboveGroupActivityForm(ActivityForm):
    """An activity above the group (a workshop union's or HQ's): the groups taking part
    are ticked first (a GET step, `chosen_groups`), then who of their members took part;
    anybody else by employee number (a sign-in sheet typed or pasted)."""

    def __init__(self, *args, level, host_workshop=None, chosen_groups=(), **kwargs):
        self.level = level
        self.host_workshop = host_workshop
        self.chosen_groups = list(chosen_groups)
        super().__init__(*args, group=None, **kwargs)
        activity = self.instance if self.instance.pk else None
        members = Member.objects.filter(group__in=self.chosen_groups, status=MemberStatus.ACTIVE)
        if activity is not None:
            members = (
                Member.objects.filter(
                    pk__in=activity.participants.filter(group__in=self.chosen_groups).values("pk")
                )
                | members
            )
            if not self.is_bound:
                chosen = {g.pk for g in self.chosen_groups}
                self.initial["other_participants"] = " ".join(
                    m.employee_no for m in activity.participants.all() if m.group_id not in chosen
                )
        self.fields["participants"].queryset = (
            members.distinct().select_related("group").order_by("group__code", "employee_no")
        )
        self.fields["participants"].label = _("participants from the groups ticked")
        self.fields["other_participants"].label = _("other participants")
        self.fields["other_participants"].widget = forms.Textarea(attrs={"rows": 2})

    def members_by_group(self):
        """[(group, [(member, ticked)])] for the participants' checkboxes."""
        ticked = {str(v) for v in (self["participants"].value() or [])}
        rows: dict = {}
        for member in self.fields["participants"].queryset:
            rows.setdefault(member.group, []).append((member, str(member.pk) in ticked))
        return list(rows.items())


class ReportFileForm(forms.Form):
    """A file on a monthly report: a photo of the sign-in sheet taken with the phone's
    camera, or the minutes or another paper chosen from the phone or computer."""

    kind = forms.ChoiceField(label=_("what it is"), choices=ReportFileKind.choices)
    photo = forms.FileField(
        label=_("take a photo"),
        required=False,
        help_text=_("Opens the camera on a phone."),
    )
    file = forms.FileField(
        label=_("or choose a file"),
        required=False,
        help_text=format_lazy(
            _("A photo, or a PDF, Word or Excel file; at most {size}."),
            size=lazy(filesizeformat, str)(settings.UPLOAD_MAX_FILE_BYTES),
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs.update({"accept": "image/*", "capture": "environment"})
        self.fields["file"].widget.attrs["accept"] = "image/*,.pdf,.doc,.docx,.xls,.xlsx"

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("photo") and not data.get("file"):
            self.add_error("file", _("Take a photo or choose a file."))
        return data

    @property
    def uploaded(self):
        return self.cleaned_data.get("photo") or self.cleaned_data.get("file")
