from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funds.models import Fund, Method, PaymentBatch
from groups.idnumbers import normalise, validate_id_number
from unionhome.forms import DateInput
from unionhome.validators import validate_not_in_future

from .models import (
    CareVisit,
    CaseType,
    FamilyMember,
    HardshipCause,
    HardshipClass,
    HardshipRecord,
    MedicalBill,
    Objection,
    RequiredDocument,
    WelfareCase,
)
from .services.rules import suggested_amount

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


class RowForm(forms.ModelForm):
    """A row of a table of forms: its fields carry their label for screen readers (the
    table's head shows it to the eye)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))


class RowFormSet(forms.BaseInlineFormSet):
    """A table of RowForms; its "delete" boxes carry their label too."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = str(form.fields["DELETE"].label)


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
        self.fields["amount"].initial = suggested_amount(case=case, start=case.amount_requested)


class ApprovalForm(StepForm):
    amount_approved = money_field(_("amount approved (yuan)"), required=False)
    fund = forms.ModelChoiceField(
        label=_("fund source"), required=False, queryset=Fund.objects.filter(is_active=True)
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
        self.fields["fund"].initial = case.fund_id
        # At most the type's limit, the 大病 rule's amount and what the caps leave.
        self.fields["amount_approved"].initial = suggested_amount(
            case=case, start=case.amount_suggested or case.amount_requested
        )


class ArchiveForm(StepForm):
    comment = forms.CharField(label=_("comment"), required=False, max_length=2000)


STEP_FORMS = {
    "workshop_review": WorkshopReviewForm,
    "approve": ApprovalForm,
    "archive": ArchiveForm,
}


class WaiverForm(forms.Form):
    """后补: a required paper follows later."""

    requirement = forms.ModelChoiceField(label=_("paper"), queryset=RequiredDocument.objects.none())
    reason = forms.CharField(label=_("reason"), max_length=200)
    due_on = forms.DateField(label=_("due by"), widget=DateInput())

    def __init__(self, *args, case, missing=None, **kwargs):
        super().__init__(*args, **kwargs)
        requirements = case.case_type.requirements.all()
        if missing is not None:
            requirements = requirements.filter(name__in=missing)
        self.fields["requirement"].queryset = requirements


class ObjectionForm(forms.ModelForm):
    class Meta:
        model = Objection
        fields = ["received_on", "raised_by", "content"]
        widgets = {"received_on": DateInput(), "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("received_on", timezone.localdate())


class ObjectionAnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label=_("answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    upheld = forms.TypedChoiceField(
        label=_("decision"),
        coerce=lambda v: v == "yes",
        choices=[
            ("no", _("Not upheld: the case goes on to payment")),
            ("yes", _("Upheld: the case is rejected")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = case.version


class MedicalBillForm(RowForm):
    class Meta:
        model = MedicalBill
        fields = ["hospital", "admitted_on", "discharged_on", "diagnosis", "total", "reimbursed"]
        widgets = {
            "admitted_on": DateInput(),
            "discharged_on": DateInput(),
            "total": MONEY_WIDGET,
            "reimbursed": MONEY_WIDGET,
        }


class BaseBillFormSet(RowFormSet):
    def rows(self) -> list[dict]:
        return [
            {k: form.cleaned_data[k] for k in MedicalBillForm.Meta.fields}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


BillFormSet = forms.inlineformset_factory(
    WelfareCase,
    MedicalBill,
    form=MedicalBillForm,
    formset=BaseBillFormSet,
    extra=2,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


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
    """An archive record; its class changes through the yearly review, not here. The
    household's size and income come from the family members' table below it."""

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
            "hardship_class",
            "id_number",
            "causes",
            "household_situation",
            "health",
            "opened_on",
        ]
        widgets = {
            "household_situation": forms.Textarea(attrs={"rows": 4}),
            "health": forms.Textarea(attrs={"rows": 2}),
            "opened_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["hardship_class"]
            del self.fields["opened_on"]
        else:
            self.fields["hardship_class"].queryset = HardshipClass.objects.filter(is_current=True)
            self.fields["hardship_class"].required = True
            # A new record's suggestions (the unsaved record's own values are empty).
            self.initial.update(opened_on=timezone.localdate())

    def clean_id_number(self):
        value = normalise(self.cleaned_data["id_number"])
        if value:
            validate_id_number(value)
        return value


class FamilyMemberForm(RowForm):
    class Meta:
        model = FamilyMember
        fields = ["name", "relation", "age", "health", "monthly_income", "school_or_work"]
        widgets = {"monthly_income": forms.NumberInput(attrs={"step": "0.01", "min": "0"})}


class BaseFamilyFormSet(RowFormSet):
    """The household's members; the service saves them with the record."""

    def clean(self):
        super().clean()
        if not any(self.errors) and not self.rows():
            raise forms.ValidationError(_("List the household's members, the member included."))

    def rows(self) -> list[dict]:
        """The household as the service takes it: one dict per person kept (empty extra
        rows and rows marked for deletion left out)."""
        return [
            {k: form.cleaned_data[k] for k in FamilyMemberForm.Meta.fields}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


FamilyFormSet = forms.inlineformset_factory(
    HardshipRecord,
    FamilyMember,
    form=FamilyMemberForm,
    formset=BaseFamilyFormSet,
    extra=4,
    can_delete=True,
    max_num=30,
    validate_max=True,
)


class HardshipReviewForm(forms.Form):
    reviewed_on = forms.DateField(
        label=_("reviewed on"), widget=DateInput(), validators=[validate_not_in_future]
    )
    hardship_class = forms.ModelChoiceField(
        label=_("hardship class"), queryset=HardshipClass.objects.filter(is_current=True)
    )
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()
        self.fields["hardship_class"].initial = record.hardship_class_id


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


class BatchForm(forms.Form):
    """Put the ticked cases into an open batch of their fund, or into a new one."""

    cases = forms.ModelMultipleChoiceField(
        label=_("cases"), queryset=WelfareCase.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    batch = forms.ModelChoiceField(
        label=_("open batch"),
        queryset=PaymentBatch.objects.none(),
        required=False,
        empty_label=_("a new batch"),
    )
    method = forms.ChoiceField(label=_("paid by"), choices=Method.choices, required=False)
    title = forms.CharField(label=_("title of the new batch"), max_length=100, required=False)

    def __init__(self, *args, cases, batches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        self.fields["batch"].queryset = batches
        self.fields["batch"].label_from_instance = lambda b: f"{b.number} {b.fund} {b.title}"

    def clean(self):
        data = super().clean()
        if not data.get("batch") and not data.get("method"):
            self.add_error("method", _("Choose how the new batch is paid."))
        return data
