from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhome.forms import DateInput

from .models import FixedDues, PaymentMethod
from .months import parse_month, this_month


class MonthField(forms.CharField):
    """A month as the browser's month picker gives it (2026-03), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month"})
    default_error_messages = {"invalid": _("Choose a month, such as 2026-03.")}

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if hasattr(value, "strftime") else value

    def to_python(self, value):
        if value in (None, ""):
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


class PastMonthField(MonthField):
    def validate(self, value):
        super().validate(value)
        if value is not None and value > this_month():
            raise forms.ValidationError(_("Choose this month or an earlier one."))


class WorkshopChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("label", _("workshop union"))
        super().__init__(queryset=queryset, **kwargs)


class ComputeForm(forms.Form):
    month = PastMonthField(label=_("month"))
    workshop = WorkshopChoiceField(None, required=False)

    def __init__(self, *args, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"].queryset = workshops


class CollectForm(forms.Form):
    """工资代扣: the whole workshop union's month is collected, but the members ticked."""

    paid_on = forms.DateField(label=_("date paid"), widget=DateInput())
    method = forms.ChoiceField(
        label=_("how"), choices=PaymentMethod.choices, initial=PaymentMethod.PAYROLL
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)
    unpaid = forms.TypedMultipleChoiceField(
        label=_("not collected"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, charges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()
        self.fields["unpaid"].choices = [(c.member_id, c.member.name) for c in charges]


class ImportForm(forms.Form):
    month = PastMonthField(label=_("month"))
    file = forms.FileField(
        label=_("file"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file (UTF-8 or GBK)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than the import allows."))
        return uploaded


class PaymentImportForm(ImportForm):
    paid_on = forms.DateField(label=_("date paid"), widget=DateInput())
    method = forms.ChoiceField(
        label=_("how"), choices=PaymentMethod.choices, initial=PaymentMethod.PAYROLL
    )

    field_order = ["month", "paid_on", "method", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class FixedDuesForm(forms.ModelForm):
    starts_on = MonthField(label=_("from month"))
    ends_on = MonthField(label=_("until month"), required=False)

    class Meta:
        model = FixedDues
        fields = ["amount", "starts_on", "ends_on", "reason"]
        widgets = {
            "reason": forms.TextInput(attrs={"placeholder": _("e.g. rehired after retirement")})
        }


class FixedEndForm(forms.Form):
    last_month = MonthField(label=_("last month"))


class UndoForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=100)
