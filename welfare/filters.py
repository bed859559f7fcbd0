"""The welfare lists' filters; each narrows a queryset the scope rule already restricted."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from groups.filters import WorkshopFilter
from groups.models import Member
from unionhome.filters import ScopedFilterSet
from unionhome.forms import DateInput
from unionhome.params import MAX_ID

from .models import (
    DETAILS,
    AccessLog,
    CaseStatus,
    CaseType,
    HardshipStatus,
    Objection,
    PaperWaiver,
    WelfareCase,
)


class CaseFilter(ScopedFilterSet):
    q = django_filters.CharFilter(label=_("member or case no."), method="search", max_length=50)
    case_type = django_filters.ModelChoiceFilter(
        label=_("assistance type"), queryset=CaseType.objects.all(), method="filter_type"
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=CaseStatus.choices, empty_label=_("All")
    )
    workshop = WorkshopFilter(field_name="member__group__workshop")
    year = django_filters.NumberFilter(
        label=_("year"), field_name="applied_on", lookup_expr="year", min_value=2000, max_value=2100
    )
    start = django_filters.DateFilter(
        label=_("applied from"), field_name="applied_on", lookup_expr="gte", widget=DateInput()
    )
    end = django_filters.DateFilter(
        label=_("applied to"), field_name="applied_on", lookup_expr="lte", widget=DateInput()
    )

    # What a to-do item counts, so that its link lists exactly those cases.
    waiting = django_filters.ChoiceFilter(
        choices=[
            ("pay", _("clear to pay")),
            ("papers", _("papers to follow later")),
            ("objections", _("objections to answer")),
        ],
        method="filter_waiting",
        widget=forms.HiddenInput,
    )

    def filter_waiting(self, queryset, name, value):
        from .services.payments import clear_to_pay

        if value == "pay":
            return clear_to_pay(queryset)
        if value == "papers":
            return queryset.filter(
                Exists(PaperWaiver.objects.filter(case=OuterRef("pk"), closed_at__isnull=True))
            )
        if value == "objections":
            return queryset.filter(
                Exists(
                    Objection.objects.filter(
                        publicity__case=OuterRef("pk"), answered_on__isnull=True
                    )
                )
            )
        return queryset

    def filter_type(self, queryset, name, value):
        """The type is a welfare detail: the filter finds only cases whose details the
        user may see (a leader: the cases they filed), so that it cannot reveal the type
        of another case."""
        details = WelfareCase.objects.scope_q(self.user, DETAILS)
        return queryset.filter(case_type=value).filter(details if details is not None else Q())

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(member__name__contains=value) | Q(member__employee_no=value) | Q(number__iexact=value)
        )


class ArchiveFilter(ScopedFilterSet):
    """The archive shows the records in it unless asked for those that left, or for one
    member's records (from the member's page)."""

    status = django_filters.ChoiceFilter(choices=HardshipStatus.choices, widget=forms.HiddenInput)
    due = django_filters.BooleanFilter(method="filter_due", widget=forms.HiddenInput)
    workshop = WorkshopFilter(field_name="member__group__workshop")
    member = django_filters.ModelChoiceFilter(
        queryset=Member.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["member"].queryset = Member.objects.restrict(self.user)
        self.form.fields["workshop"].widget.attrs["data-autosubmit"] = ""

    def filter_due(self, queryset, name, value):
        return queryset.reviews_due() if value else queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        if not data.get("status") and not data.get("member"):
            queryset = queryset.filter(status=HardshipStatus.ACTIVE)
        return super().filter_queryset(queryset)


class AccessLogFilter(ScopedFilterSet):
    action = django_filters.ChoiceFilter(
        label=_("action"),
        choices=AccessLog.Action.choices,
        empty_label=_("All"),
        widget=forms.Select(attrs={"data-autosubmit": ""}),
    )
    # Bounded to what the database stores: a larger number narrows the log to nothing.
    member = django_filters.NumberFilter(
        field_name="member_id", widget=forms.HiddenInput, min_value=1, max_value=MAX_ID
    )
    user = django_filters.NumberFilter(
        field_name="user_id", widget=forms.HiddenInput, min_value=1, max_value=MAX_ID
    )
