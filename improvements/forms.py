from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhome.forms import DateInput, MultipleFileField
from unionhome.templatetags.unionhome import yuan
from unionhome.uploads import accepted_types_text

from .models import AwardLevel, EffectKind, Status

AMOUNT = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.group.workshop.name} · {obj.group.name} ({obj.employee_no})"


class AttachmentsMixin(forms.Form):
    attachments = MultipleFileField(
        label=_("attachments"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _(
            "Sketches, photos of the spot, calculations: %(kinds)s."
        ) % {"kinds": accepted_types_text()}


class ImprovementForm(AttachmentsMixin):
    """A new suggestion. A member filing their own sees no member field; a leader, a
    workshop union or HQ choose the member among those in their reach."""

    member = MemberChoiceField(label=_("proposer"), queryset=None)
    title = forms.CharField(label=_("title"), max_length=100)
    problem = forms.CharField(
        label=_("the problem"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is wrong or could be better, where, and how often."),
    )
    proposal = forms.CharField(
        label=_("the proposal"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you propose to do about it."),
    )
    expected_effect = forms.CharField(
        label=_("expected effect"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Money saved, safer work, less effort, better quality …"),
    )
    filed_on = forms.DateField(
        label=_("date proposed"),
        widget=DateInput(),
        required=False,
        help_text=_("The day the member made the suggestion (a paper form handed in earlier)."),
    )

    field_order = ["member", "title", "problem", "proposal", "expected_effect", "filed_on"]

    def __init__(self, *args, members, own_member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_member = own_member
        if own_member is not None:
            del self.fields["member"]
            del self.fields["filed_on"]
        else:
            self.fields["member"].queryset = members
            self.fields["filed_on"].initial = timezone.localdate()

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if self.own_member is not None:
            data["member"] = self.own_member
        return data


class PublicMixin(forms.Form):
    public = forms.BooleanField(
        label=_("List it publicly (公示) for the members"), required=False, initial=True
    )


class AdoptForm(PublicMixin):
    responsible = forms.CharField(
        label=_("responsible department or person"),
        max_length=100,
        help_text=_("Who carries it out, e.g. 机电科 or 张工."),
    )
    due_on = forms.DateField(label=_("to be carried out by"), widget=DateInput())
    note = forms.CharField(
        label=_("screening note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    field_order = ["responsible", "due_on", "note", "public"]


class RejectForm(PublicMixin):
    reason = forms.CharField(
        label=_("reason for not adopting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member is told this reason."),
    )
    field_order = ["reason", "public"]


class MotionForm(PublicMixin):
    note = forms.CharField(
        label=_("screening note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    field_order = ["note", "public"]


class ImplementForm(forms.Form):
    implemented_on = forms.DateField(label=_("implemented on"), widget=DateInput())
    implementation = forms.CharField(
        label=_("implementation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, by whom, and how it works now."),
    )
    yuan_saved = forms.DecimalField(
        label=_("yuan saved"),
        required=False,
        help_text=_("Money saved or earned a year, in yuan; leave empty where there is none."),
        **AMOUNT,
    )
    effect_kinds = forms.ModelMultipleChoiceField(
        label=_("effects"),
        queryset=EffectKind.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class AwardForm(forms.Form):
    level = forms.ModelChoiceField(
        label=_("award level"), queryset=AwardLevel.objects.filter(is_active=True)
    )
    amount = forms.DecimalField(
        label=_("award (yuan)"),
        required=False,
        help_text=_("Left empty: the level's standard amount."),
        **AMOUNT,
    )
    awarded_on = forms.DateField(label=_("awarded on"), widget=DateInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awarded_on"].initial = timezone.localdate()
        self.fields["level"].label_from_instance = lambda level: (
            f"{level.name} ({yuan(level.amount)})"
        )


class AttachForm(AttachmentsMixin):
    pass


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"), choices=[("", _("all")), *Status.choices], required=False
    )
    workshop = forms.TypedChoiceField(
        label=_("workshop union"), coerce=int, required=False, empty_value=None
    )
    year = forms.TypedChoiceField(label=_("year"), coerce=int, required=False, empty_value=None)
    q = forms.CharField(label=_("title, number or proposer"), required=False, max_length=50)

    def __init__(self, *args, workshops, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].choices = [("", _("all")), *((w.pk, w.name) for w in workshops)]
        self.fields["year"].choices = [("", _("all")), *((y, str(y)) for y in years)]
        if len(workshops) <= 1:
            del self.fields["workshop"]
