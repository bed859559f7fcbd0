import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from groups.filters import GroupFilter, WorkshopFilter
from unionhome.filters import ScopedFilterSet

from .models import Application, ApplicationKind, ApplicationStatus


class ApplicationFilter(ScopedFilterSet):
    q = django_filters.CharFilter(
        label=_("search"),
        method="search",
        max_length=50,
        widget=forms.TextInput(
            attrs={"placeholder": _("name, employee no. or reference"), "type": "search"}
        ),
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=ApplicationStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ApplicationKind.choices)
    workshop = WorkshopFilter()
    group = GroupFilter()
    duplicate = django_filters.BooleanFilter(
        label=_("already a member"),
        method="filter_duplicate",
        widget=forms.NullBooleanSelect,
    )

    class Meta:
        model = Application
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__contains=value) | Q(employee_no__istartswith=value) | Q(reference__iexact=value)
        )

    def filter_duplicate(self, queryset, name, value):
        if value is None:
            return queryset
        either = Q(duplicate_no=True) | Q(duplicate_id=True)
        return queryset.filter(either) if value else queryset.exclude(either)
