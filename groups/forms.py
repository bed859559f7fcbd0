from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import CHANGE, Reach
from unionhome.forms import DateInput

from .imports import EMPLOYEE_NO_RE, PHONE_RE
from .models import MANAGE, HomeStatus, Member, Post, UnionGroup

employee_no_validator = RegexValidator(
    EMPLOYEE_NO_RE, _("An employee no. is up to 20 letters, digits or dashes.")
)
phone_validator = RegexValidator(
    PHONE_RE, _("Enter a mobile number (11 digits) or a landline such as 0537-1234567.")
)


class GroupChoiceField(forms.ModelChoiceField):
    """Union groups labelled with their workshop union: "锅炉车间 · 运行一班"."""

    def label_from_instance(self, obj):
        return f"{obj.workshop.name} · {obj.name}"


def groups_for(user, action):
    return (
        UnionGroup.objects.restrict(user, action).filter(is_active=True).select_related("workshop")
    )


def _past_or_today(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


class MemberForm(forms.ModelForm):
    """A member's details. The group is chosen when the member is enrolled; later moves
    have their own form so that the history of groups is kept."""

    group = GroupChoiceField(queryset=UnionGroup.objects.none(), label=_("union group"))

    class Meta:
        model = Member
        fields = [
            "employee_no",
            "name",
            "gender",
            "group",
            "birth_date",
            "joined_union_on",
            "phone",
            "is_hardship",
            "is_model_worker",
            "is_retired",
        ]
        widgets = {
            "birth_date": DateInput(),
            "joined_union_on": DateInput(),
            "gender": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee_no"].validators.append(employee_no_validator)
        self.fields["phone"].validators.append(phone_validator)
        self.fields["gender"].choices = self.fields["gender"].choices[1:]  # no blank choice
        if self.instance.pk:
            del self.fields["group"]
        else:
            self.fields["group"].queryset = groups_for(user, CHANGE)
            if UnionGroup.objects.reach(user, CHANGE) is Reach.GROUP:
                # A group leader enrols into their own group: already chosen.
                self.fields["group"].empty_label = None
                self.fields["group"].initial = user.group_id

    def clean_birth_date(self):
        return _past_or_today(self.cleaned_data.get("birth_date"))

    def clean_joined_union_on(self):
        return _past_or_today(self.cleaned_data.get("joined_union_on"))

    def clean(self):
        cleaned = super().clean()
        born, joined = cleaned.get("birth_date"), cleaned.get("joined_union_on")
        if born and joined and joined < born:
            self.add_error(
                "joined_union_on", _("The member cannot join the union before being born.")
            )
        return cleaned


class MemberMoveForm(forms.Form):
    to_group = GroupChoiceField(queryset=UnionGroup.objects.none(), label=_("move to group"))
    moved_on = forms.DateField(label=_("moved on"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_group"].queryset = groups_for(user, MANAGE).exclude(pk=member.group_id)
        self.fields["moved_on"].initial = timezone.localdate()

    def clean_moved_on(self):
        return _past_or_today(self.cleaned_data["moved_on"])


class MemberLeaveForm(forms.Form):
    left_on = forms.DateField(label=_("left on"), widget=DateInput())
    reason = forms.CharField(label=_("reason for leaving"), max_length=200)

    def __init__(self, *args, user, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()

    def clean_left_on(self):
        return _past_or_today(self.cleaned_data["left_on"])


class MemberRejoinForm(forms.Form):
    group = GroupChoiceField(queryset=UnionGroup.objects.none(), label=_("union group"))
    rejoined_on = forms.DateField(label=_("rejoined on"), widget=DateInput())

    def __init__(self, *args, user, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups_for(user, MANAGE)
        self.fields["group"].initial = member.group_id
        self.fields["rejoined_on"].initial = timezone.localdate()

    def clean_rejoined_on(self):
        return _past_or_today(self.cleaned_data["rejoined_on"])


class GroupPostsForm(forms.Form):
    """One choice of member per post; the leader post only for those who may appoint it."""

    def __init__(self, *args, group, members, can_appoint_leader, holders, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— vacant —"))] + [
            (m.pk, f"{m.name}（{m.employee_no}）") for m in members
        ]
        self.members = {m.pk: m for m in members}
        self.posts = [p for p in Post if p != Post.LEADER or can_appoint_leader]
        for post in self.posts:
            holder = holders.get(post)
            self.fields[post.value] = forms.TypedChoiceField(
                label=post.label,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial=holder.member_id if holder else None,
            )
        self.fields["since"] = forms.DateField(
            label=_("appointed on"),
            widget=DateInput(),
            initial=timezone.localdate(),
            help_text=_("Applies to the posts whose holder changes."),
        )

    def clean_since(self):
        return _past_or_today(self.cleaned_data["since"])

    def changed_posts(self, holders):
        """(post, member or None) for each post whose holder the user changed."""
        for post in self.posts:
            chosen = self.cleaned_data.get(post.value)
            current = holders.get(post)
            if (current.member_id if current else None) != chosen:
                yield post, self.members.get(chosen) if chosen else None


class HomeStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("small home status"), choices=HomeStatus.choices)
    started_on = forms.DateField(label=_("creation started on"), widget=DateInput(), required=False)
    accepted_on = forms.DateField(label=_("accepted on"), widget=DateInput(), required=False)


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("file"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file (UTF-8 or GBK), first row titles."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.")
                % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        if not uploaded.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
        return uploaded
