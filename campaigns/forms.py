from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funds.models import Fund
from unionhome.forms import DateInput
from unionhome.validators import validate_not_in_future
from welfare.models import HardshipClass

from .models import CampaignKind, CampaignMethod, MemberCategory

AMOUNT = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class CampaignForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("kind"), queryset=CampaignKind.objects.filter(is_active=True)
    )
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("title"),
        max_length=60,
        required=False,
        help_text=_("Left empty: the year and the kind, e.g. 2027年元旦春节送温暖."),
    )
    fund = forms.ModelChoiceField(label=_("fund"), queryset=Fund.objects.filter(is_active=True))
    method = forms.ChoiceField(
        label=_("payment method"), choices=CampaignMethod.choices, initial=CampaignMethod.CASH
    )
    copy_standards = forms.BooleanField(
        label=_("Copy the standards of the last campaign of this kind"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class StandardForm(forms.Form):
    hardship_class = forms.ModelChoiceField(
        label=_("hardship class"),
        queryset=HardshipClass.objects.filter(is_current=True),
        required=False,
    )
    category = forms.ChoiceField(
        label=_("or member category"),
        choices=[("", "—"), *MemberCategory.choices],
        required=False,
    )
    amount = forms.DecimalField(label=_("amount (yuan)"), required=False, **AMOUNT)

    def clean(self):
        data = super().clean()
        chosen = bool(data.get("hardship_class")) + bool(data.get("category"))
        if chosen == 2:
            raise forms.ValidationError(_("Choose a hardship class or a category, not both."))
        if chosen and data.get("amount") in (None, ""):
            self.add_error("amount", _("Enter the amount."))
        return data


StandardFormSet = forms.formset_factory(StandardForm, extra=3, max_num=20)


class AdjustForm(forms.Form):
    amount = forms.DecimalField(label=_("amount (yuan)"), **AMOUNT)
    reason = forms.CharField(label=_("reason for the change"), max_length=200)


class RemoveForm(forms.Form):
    reason = forms.CharField(label=_("reason for removing"), max_length=200)


class AddForm(forms.Form):
    member = forms.ModelChoiceField(label=_("member"), queryset=None)
    amount = forms.DecimalField(label=_("amount (yuan)"), **AMOUNT)
    reason = forms.CharField(label=_("reason for adding"), max_length=200)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("note"),
        max_length=200,
        required=False,
        help_text=_("Required when a workshop union has not confirmed its list yet."),
    )


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("date"), widget=DateInput(), validators=[validate_not_in_future]
    )
    visitors = forms.CharField(label=_("visited by"), max_length=100)
    photo = forms.FileField(label=_("photo"))
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class DriveForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=60)
    starts_on = forms.DateField(label=_("from"), widget=DateInput())
    ends_on = forms.DateField(label=_("until"), widget=DateInput())


class DonationForm(forms.Form):
    member = forms.ModelChoiceField(label=_("member"), queryset=None, required=False)
    unit = forms.CharField(
        label=_("or unit"), max_length=60, required=False, help_text=_("A unit or a department.")
    )
    amount = forms.DecimalField(label=_("amount (yuan)"), **AMOUNT)
    received_on = forms.DateField(
        label=_("received on"), widget=DateInput(), validators=[validate_not_in_future]
    )
    receipt_no = forms.CharField(label=_("receipt no."), max_length=40, required=False)
    anonymous = forms.BooleanField(
        label=_("The donor asks not to be named in the public account"), required=False
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class GrantForm(forms.Form):
    member = forms.ModelChoiceField(label=_("member"), queryset=None)
    amount = forms.DecimalField(label=_("amount (yuan)"), **AMOUNT)
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class PayForm(forms.Form):
    method = forms.ChoiceField(
        label=_("payment method"), choices=CampaignMethod.choices, initial=CampaignMethod.CASH
    )
