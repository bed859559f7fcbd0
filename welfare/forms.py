from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.idnumbers import normalise, validate_id_number
from unionhome.forms import DateInput
from unionhome.validators import validate_not_in_future

from .models import (
    CareVisit,
    CaseType,
    FundSource,
    HardshipCause,
    HardshipLevel,
    HardshipRecord,
    PaymentMethod,
    RequiredDocument,
    WelfareCase,
)

MONEY_WIDGET = forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})


def money_field(label, required=True, **kwargs):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=MONEY_WIDGET,
        **kwargs,
    )


class CaseForm(forms.ModelForm):
    """An application; once filed only its text and amount can be corrected, and the
    version it was read at goes back with it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = WelfareCase
        fields = [
            "case_type",
            "applied_on",
            "amount_requested",
            "reason",
            "situation",
            "fund_source",
        ]
        labels = {"amount_requested": _("amount requested (yuan)")}
        widgets = {
            "applied_on": DateInput(),
            "amount_requested": MONEY_WIDGET,
            "reason": forms.Textarea(attrs={"rows": 3}),
            "situation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["case_type"]
            del self.fields["applied_on"]
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["case_type"].queryset = CaseType.objects.filter(is_active=True)
            self.initial["applied_on"] = timezone.localdate()

    def service_arguments(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class StepForm(forms.Form):
    """A step of a case's workflow, read at the case's current version."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = case.version


class WorkshopReviewForm(StepForm):
    amount = money_field(_("amount the workshop suggests (yuan)"), required=False)
    comment = forms.CharField(
        label=_("comment (the reason, when rejecting)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["amount"].initial = case.amount_requested


class ApprovalForm(StepForm):
    amount_approved = money_field(_("amount approved (yuan)"), required=False)
    fund_source = forms.ChoiceField(
        label=_("fund source"), required=False, choices=[("", "—"), *FundSource.choices]
    )
    over_limit_reason = forms.CharField(
        label=_("reason for going above the limit"),
        required=False,
        max_length=200,
        help_text=_("Only when the amount is above the type's limit: who decided it, when."),
    )
    comment = forms.CharField(
        label=_("comment (the reason, when rejecting)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["fund_source"].initial = case.fund_source
        self.fields["amount_approved"].initial = case.amount_suggested or case.amount_requested


class PaymentForm(StepForm):
    amount_paid = money_field(_("amount paid (yuan)"))
    paid_on = forms.DateField(
        label=_("paid on"), widget=DateInput(), validators=[validate_not_in_future]
    )
    payment_method = forms.ChoiceField(label=_("payment method"), choices=PaymentMethod.choices)
    voucher_no = forms.CharField(label=_("voucher no."), max_length=40, required=False)
    comment = forms.CharField(label=_("comment"), required=False, max_length=2000)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()
        self.fields["amount_paid"].initial = case.amount_approved


class ArchiveForm(StepForm):
    comment = forms.CharField(label=_("comment"), required=False, max_length=2000)


STEP_FORMS = {
    "workshop_review": WorkshopReviewForm,
    "approve": ApprovalForm,
    "pay": PaymentForm,
    "archive": ArchiveForm,
}


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("document"))
    requirement = forms.ModelChoiceField(
        label=_("for"),
        queryset=RequiredDocument.objects.none(),
        required=False,
        empty_label=_("other paper"),
    )

    def __init__(self, *args, case_type, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = case_type.requirements.all()


class HardshipForm(forms.ModelForm):
    """An archive record; its level changes through the yearly review, not here."""

    causes = forms.MultipleChoiceField(
        label=_("causes"), choices=HardshipCause.choices, widget=forms.CheckboxSelectMultiple
    )
    # Typed with spaces as printed on the card; normalised to 18 characters.
    id_number = forms.CharField(
        label=_("identity number"),
        max_length=24,
        required=False,
        help_text=_("18 characters; the last may be X."),
    )

    class Meta:
        model = HardshipRecord
        fields = [
            "level",
            "id_number",
            "household_size",
            "household_income",
            "causes",
            "household_situation",
            "health",
            "opened_on",
        ]
        widgets = {
            "household_income": forms.NumberInput(attrs={"step": "0.01"}),
            "household_situation": forms.Textarea(attrs={"rows": 4}),
            "health": forms.Textarea(attrs={"rows": 2}),
            "opened_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["level"]
            del self.fields["opened_on"]
        else:
            # A new record's suggestions (the unsaved record's own values are empty).
            self.initial.update(household_size=3, opened_on=timezone.localdate())

    def clean_id_number(self):
        value = normalise(self.cleaned_data["id_number"])
        if value:
            validate_id_number(value)
        return value


class HardshipReviewForm(forms.Form):
    reviewed_on = forms.DateField(
        label=_("reviewed on"), widget=DateInput(), validators=[validate_not_in_future]
    )
    level = forms.ChoiceField(label=_("level"), choices=HardshipLevel.choices)
    household_income = forms.DecimalField(
        label=_("household income per month (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
    )
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()
        self.fields["level"].initial = record.level


class HardshipExitForm(forms.Form):
    exited_on = forms.DateField(
        label=_("left the archive on"), widget=DateInput(), validators=[validate_not_in_future]
    )
    reason = forms.CharField(label=_("reason for leaving the archive"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exited_on"].initial = timezone.localdate()


class VisitForm(forms.ModelForm):
    class Meta:
        model = CareVisit
        fields = ["kind", "visited_on", "visitors", "gift_value", "note"]
        widgets = {"visited_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A new visit's suggestions (the unsaved visit's own values are empty).
        self.initial.update(visited_on=timezone.localdate(), visitors=user.name)


class IdSearchForm(forms.Form):
    id_number = forms.CharField(label=_("find by identity number"), max_length=20)

    def clean_id_number(self):
        value = normalise(self.cleaned_data["id_number"])
        validate_id_number(value)
        return value
