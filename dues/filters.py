import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from groups.filters import GroupFilter, WorkshopFilter
from unionhome.filters import ScopedFilterSet
from unionhome.params import year_param

from .models import Basis
from .months import parse_month

STATUSES = {
    "paid": Q(paid__gte=F("due")),
    "unpaid": Q(paid=0, due__gt=0),
    "partly": Q(paid__gt=0, paid__lt=F("due")),
    "owing": Q(paid__lt=F("due")),
}


def _search(queryset, value):
    value = value.strip()
    if not value:
        return queryset
    condition = Q(member__name__contains=value) | Q(member__employee_no__istartswith=value)
    if value.isascii() and value.isalpha():
        condition |= Q(member__name_initials__startswith=value.lower())
    return queryset.filter(condition)


class ChargeFilter(ScopedFilterSet):
    """The ledger's filters: a month or a year, the place, the state of payment."""

    q = django_filters.CharFilter(
        label=_("search"),
        method="search",
        widget=forms.TextInput(
            attrs={"placeholder": _("name, employee no. or pinyin initials"), "type": "search"}
        ),
    )
    month = django_filters.CharFilter(
        label=_("month"), method="filter_month", widget=forms.TextInput(attrs={"type": "month"})
    )
    year = django_filters.CharFilter(
        label=_("year"),
        method="filter_year",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
    )
    workshop = WorkshopFilter(field_name="group__workshop")
    group = GroupFilter()
    status = django_filters.ChoiceFilter(
        label=_("payment state"),
        method="filter_status",
        choices=[
            ("paid", _("Paid in full")),
            ("owing", _("Not paid in full")),
            ("partly", _("Partly paid")),
        ],
    )
    basis = django_filters.ChoiceFilter(label=_("computed as"), choices=Basis.choices)

    def search(self, queryset, name, value):
        return _search(queryset, value)

    def filter_month(self, queryset, name, value):
        month = parse_month(value)
        return queryset.none() if month is None else queryset.filter(month=month)

    def filter_year(self, queryset, name, value):
        year = year_param(value)
        return queryset.none() if year is None else queryset.filter(month__year=year)

    def filter_status(self, queryset, name, value):
        return queryset.filter(STATUSES[value]) if value in STATUSES else queryset


class ArrearsFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("search"),
        method="search",
        widget=forms.TextInput(
            attrs={"placeholder": _("name, employee no. or pinyin initials"), "type": "search"}
        ),
    )
    workshop = WorkshopFilter(field_name="group__workshop")
    group = GroupFilter()

    def search(self, queryset, name, value):
        return _search(queryset, value)
