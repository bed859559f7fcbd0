import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from groups.filters import GroupFilter, WorkshopFilter
from unionhome.filters import ScopedFilterSet
from unionhome.forms import DateInput

from .models import ActivityKind, ContentArea
from .periods import month_end, parse_month


class ActivityFilter(ScopedFilterSet):
    """The activity list's filters; the queryset it narrows is already scoped."""

    month = django_filters.CharFilter(
        label=_("month"),
        method="filter_month",
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    start = django_filters.DateFilter(
        label=_("from"), field_name="held_on", lookup_expr="gte", widget=DateInput()
    )
    end = django_filters.DateFilter(
        label=_("to"), field_name="held_on", lookup_expr="lte", widget=DateInput()
    )
    workshop = WorkshopFilter(method="filter_workshop")
    # A group's list holds the activities above the group it took part in too.
    group = GroupFilter(method="filter_group")
    area = django_filters.ModelChoiceFilter(
        label=_("content area"), queryset=ContentArea.objects.all()
    )
    kind = django_filters.ModelChoiceFilter(
        label=_("record kind"), field_name="kinds", queryset=ActivityKind.objects.all()
    )
    q = django_filters.CharFilter(label=_("title"), field_name="title", lookup_expr="contains")

    def filter_month(self, queryset, name, value):
        month = parse_month(value)
        if month is None:
            return queryset.none()
        return queryset.filter(held_on__gte=month, held_on__lte=month_end(month))

    def filter_group(self, queryset, name, value):
        return queryset.of_groups([value.pk]) if value else queryset

    def filter_workshop(self, queryset, name, value):
        return queryset.of_workshops([value.pk]) if value else queryset
