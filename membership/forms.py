from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import CHANGE
from groups.forms import GroupChoiceField, groups_for, past_date_field
from groups.models import MANAGE, OVERSEE, MemberOption, UnionGroup, WorkshopUnion
from unionhome.forms import DateInput

from .models import Application, ApplicationKind, JoinLink, Transfer

DETAIL_FIELDS = [
    "employee_no",
    "name",
    "id_number",
    "gender",
    "birth_date",
    "ethnicity",
    "political_status",
    "education",
    "hukou_type",
    "employment_type",
    "work_started_on",
    "position",
    "phone",
]


class ApplicationForm(forms.ModelForm):
    """入会申请书: the registration details, the group where the applicant works and the
    applicant's statement."""

    class Meta:
        model = Application
        fields = ["group", *DETAIL_FIELDS, "statement"]
        widgets = {
            "birth_date": DateInput(),
            "work_started_on": DateInput(),
            "gender": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "id_number": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        }

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"] = GroupChoiceField(
            queryset=groups, label=_("union group where you work")
        )
        self.fields["gender"].choices = self.fields["gender"].choices[1:]
        self.fields["gender"].help_text = _("Left empty, it is taken from the identity number.")
        self.fields["statement"].required = True
        self.fields["statement"].error_messages["required"] = _("Tick the statement to apply.")
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and field.queryset.model is MemberOption:
                option_list = Application._meta.get_field(name).remote_field.limit_choices_to
                field.queryset = MemberOption.objects.filter(is_active=True, **option_list)


class PublicApplicationForm(ApplicationForm):
    # A field people never see (hidden by the stylesheet, skipped by keyboards and screen
    # readers); a program that fills every box fills it too.
    website = forms.CharField(
        label=_("Leave this box empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, link, **kwargs):
        groups = UnionGroup.objects.filter(workshop=link.workshop_id, is_active=True)
        if link.group_id:
            groups = groups.filter(pk=link.group_id)
        super().__init__(*args, groups=groups.select_related("workshop"), **kwargs)
        if link.group_id:
            # The link's own group: nothing to choose.
            del self.fields["group"]
            self.instance.group = link.group

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class StaffApplicationForm(ApplicationForm):
    """A leader's entry for a worker of their group; the union office may also take in a
    member from another organisation (转入) with the join date they keep."""

    class Meta(ApplicationForm.Meta):
        fields = [
            "kind",
            "group",
            *DETAIL_FIELDS,
            "joined_union_on",
            "former_organisation",
            "former_card_no",
            "letter_no_received",
            "statement",
        ]
        widgets = {**ApplicationForm.Meta.widgets, "joined_union_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        groups = groups_for(user, CHANGE)
        super().__init__(*args, groups=groups, **kwargs)
        self.fields["kind"].widget = forms.RadioSelect(choices=ApplicationKind.choices)
        self.fields["statement"].help_text = _(
            "The applicant signed the paper application with this statement."
        )
        self.fields["joined_union_on"].help_text = _(
            "Empty: the day the workshop union approves. For a transfer in: the day the "
            "member first joined the union, kept as their join date."
        )
        own = UnionGroup.objects.scope(user, CHANGE).only_group_id
        if own is not None:
            self.fields["group"].empty_label = None
            self.fields["group"].initial = own


class ApproveForm(forms.Form):
    approved_on = past_date_field(_("approved on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved_on"].initial = timezone.localdate()


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for returning"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant reads it on the status page."),
    )


class StatusForm(forms.Form):
    reference = forms.CharField(label=_("reference no."), max_length=12)
    check_code = forms.CharField(
        label=_("check code"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class JoinLinkForm(forms.ModelForm):
    class Meta:
        model = JoinLink
        fields = ["workshop", "group", "expires_on"]
        widgets = {"expires_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = WorkshopUnion.objects.restrict(user, OVERSEE).filter(
            is_active=True
        )
        self.fields["group"] = GroupChoiceField(
            queryset=groups_for(user, MANAGE),
            label=_("union group"),
            required=False,
            help_text=_("Empty: the applicant chooses one of the workshop union's groups."),
        )


class EmployeeCountForm(forms.Form):
    """A month's count of one workshop union; entered again, it replaces the month's."""

    workshop = forms.ModelChoiceField(
        queryset=WorkshopUnion.objects.none(), label=_("workshop union")
    )
    month = forms.DateField(
        label=_("month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    employees = forms.IntegerField(label=_("employees"), min_value=0)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The workshop unions whose counts the user keeps: all for HQ, their own for one.
        self.fields["workshop"].queryset = WorkshopUnion.objects.restrict(user, OVERSEE).filter(
            is_active=True
        )
        self.fields["month"].initial = timezone.localdate().replace(day=1)


class EmployeeImportForm(forms.Form):
    file = forms.FileField(
        label=_("file"),
        help_text=_(
            "An Excel workbook (.xlsx) or CSV file with the columns 车间工会 (name or code), "
            "月份 (e.g. 2026-11) and 职工人数."
        ),
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


class TransferForm(forms.ModelForm):
    class Meta:
        model = Transfer
        fields = ["to_organisation", "to_union", "transferred_on", "reason", "dues_paid_until"]
        widgets = {"transferred_on": DateInput(), "dues_paid_until": DateInput()}

    def __init__(self, *args, user, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transferred_on"].initial = timezone.localdate()


class RetireForm(forms.Form):
    retired_on = past_date_field(_("retired on"))
    to_group = GroupChoiceField(
        queryset=UnionGroup.objects.none(),
        label=_("retirees' group"),
        required=False,
        help_text=_("Empty: the member stays in their group."),
    )

    def __init__(self, *args, user, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_group"].queryset = groups_for(user, MANAGE).exclude(pk=member.group_id)
        self.fields["retired_on"].initial = timezone.localdate()
