from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhome.forms import DateInput
from unionhome.validators import validate_not_in_future

from .models import BankAccount, Fund, Method

MONEY_WIDGET = forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"})


def money_field(label, minimum="0.01", **kwargs):
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(minimum),
        widget=MONEY_WIDGET,
        **kwargs,
    )


class BudgetForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("fund"), queryset=Fund.objects.filter(is_active=True))
    amount = money_field(_("budget (yuan)"), minimum="0")
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class IncomeForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("fund"), queryset=Fund.objects.filter(is_active=True))
    received_on = forms.DateField(
        label=_("received on"), widget=DateInput(), validators=[validate_not_in_future]
    )
    amount = money_field(_("amount (yuan)"))
    source = forms.CharField(
        label=_("source of the money"),
        max_length=100,
        help_text=_("For example 上级工会拨付, or the donation campaign."),
    )
    reference = forms.CharField(label=_("reference"), max_length=60, required=False)


class BatchOpenForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("fund"), queryset=Fund.objects.filter(is_active=True))
    method = forms.ChoiceField(label=_("payment method"), choices=Method.choices)
    title = forms.CharField(label=_("title"), max_length=100)


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput(), initial=timezone.localdate)


class CloseByTransferForm(CloseForm):
    bank_reference = forms.CharField(
        label=_("bank reference"),
        max_length=60,
        help_text=_("The transfer's serial number on the bank's receipt."),
    )


class UploadSheetForm(CloseForm):
    uploaded = forms.FileField(
        label=_("signed sheet (scan or photo)"),
        help_text=_("The 签领表 with every payee's signature; the batch closes with it."),
    )


class AccountForm(forms.ModelForm):
    class Meta:
        model = BankAccount
        fields = ["account_name", "account_no", "bank"]
        widgets = {"account_no": forms.TextInput(attrs={"inputmode": "numeric"})}
        help_texts = {"account_no": _("Enter the whole number again to change it.")}
