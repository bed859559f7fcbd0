from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhome.forms import DateInput

from .idnumbers import normalise, validate_id_number
from .models import (
    CaseType,
    FundSource,
    HardshipCause,
    HardshipLevel,
    PaymentMethod,
    RequiredDocument,
    VisitKind,
)


def money_field(label, required=True, **kwargs):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


class CaseForm(forms.Form):
    case_type = forms.ModelChoiceField(
        label=_("assistance type"), queryset=CaseType.objects.filter(is_active=True)
    )
    applied_on = forms.DateField(label=_("applied on"), widget=DateInput())
    amount_requested = money_field(_("amount requested (yuan)"))
    reason = forms.CharField(
        label=_("reason for applying"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    situation = forms.CharField(
        label=_("situation"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Household, illness, income: what the reviewers need to know."),
    )
    fund_source = forms.ChoiceField(
        label=_("fund source"), required=False, choices=[("", "—"), *FundSource.choices]
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applied_on"].initial = timezone.localdate()
        if editing:
            del self.fields["case_type"]
            del self.fields["applied_on"]


class WorkshopReviewForm(forms.Form):
    amount = money_field(_("amount the workshop suggests (yuan)"), required=False)
    comment = forms.CharField(
        label=_("comment (the reason, when rejecting)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ApprovalForm(forms.Form):
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
    version = forms.IntegerField(widget=forms.HiddenInput)


class PaymentForm(forms.Form):
    amount_paid = money_field(_("amount paid (yuan)"))
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput())
    payment_method = forms.ChoiceField(label=_("payment method"), choices=PaymentMethod.choices)
    voucher_no = forms.CharField(label=_("voucher no."), max_length=40, required=False)
    comment = forms.CharField(label=_("comment"), required=False, max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class ArchiveForm(forms.Form):
    comment = forms.CharField(label=_("comment"), required=False, max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)


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


class CaseFilterForm(forms.Form):
    case_type = forms.ModelChoiceField(
        label=_("assistance type"), queryset=CaseType.objects.all(), required=False
    )
    status = forms.ChoiceField(label=_("status"), required=False)
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)
    start = forms.DateField(label=_("applied from"), required=False, widget=DateInput())
    end = forms.DateField(label=_("applied to"), required=False, widget=DateInput())
    workshop = forms.ModelChoiceField(label=_("workshop union"), queryset=None, required=False)
    q = forms.CharField(label=_("member or case no."), required=False, max_length=50)

    def __init__(self, *args, workshops, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops
        self.fields["status"].choices = [("", _("All")), *statuses]


class HardshipForm(forms.Form):
    level = forms.ChoiceField(label=_("level"), choices=HardshipLevel.choices)
    id_number = forms.CharField(
        label=_("identity number"),
        max_length=20,
        required=False,
        help_text=_("18 characters; the last may be X."),
    )
    household_size = forms.IntegerField(
        label=_("people in the household"), min_value=1, max_value=30, initial=3
    )
    household_income = forms.DecimalField(
        label=_("household income per month (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    causes = forms.MultipleChoiceField(
        label=_("causes"), choices=HardshipCause.choices, widget=forms.CheckboxSelectMultiple
    )
    household_situation = forms.CharField(
        label=_("household situation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    health = forms.CharField(
        label=_("health"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    opened_on = forms.DateField(label=_("entered the archive on"), widget=DateInput())

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_on"].initial = timezone.localdate()
        if editing:
            del self.fields["level"]
            del self.fields["opened_on"]

    def clean_id_number(self):
        value = normalise(self.cleaned_data["id_number"])
        if value:
            validate_id_number(value)
        return value


class HardshipReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("reviewed on"), widget=DateInput())
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()


class HardshipExitForm(forms.Form):
    exited_on = forms.DateField(label=_("left the archive on"), widget=DateInput())
    reason = forms.CharField(label=_("reason for leaving the archive"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exited_on"].initial = timezone.localdate()


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=VisitKind.choices)
    visited_on = forms.DateField(label=_("date"), widget=DateInput())
    visitors = forms.CharField(label=_("visited by"), max_length=100)
    gift_value = forms.DecimalField(
        label=_("gift or money (yuan)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()


class IdSearchForm(forms.Form):
    id_number = forms.CharField(label=_("find by identity number"), max_length=20)

    def clean_id_number(self):
        value = normalise(self.cleaned_data["id_number"])
        validate_id_number(value)
        return value
