"""The 小家 lists' filters; each narrows a queryset the scope rule already restricted."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from groups.filters import WorkshopFilter
from groups.models import HomeLevel, HomeStage
from unionhome.filters import ScopedFilterSet

from .models import CreationYear, DeclarationKind, DeclarationStatus, PlanStatus
from .todo import declarations_waiting, stale_declarations, waiting_for

AUTOSUBMIT = forms.Select(attrs={"data-autosubmit": ""})


class HomeGroupFilter(ScopedFilterSet):
    workshop = WorkshopFilter(field_name="workshop", widget=AUTOSUBMIT, empty_label=_("All"))
    stage = django_filters.ChoiceFilter(
        label=pgettext_lazy("small home", "stage"),
        field_name="home_stage",
        choices=HomeStage.choices,
        empty_label=_("All"),
        widget=AUTOSUBMIT,
    )
    level = django_filters.ChoiceFilter(
        label=pgettext_lazy("small home title", "title"),
        field_name="home_level",
        choices=HomeLevel.choices,
        empty_label=_("All"),
        widget=AUTOSUBMIT,
    )


class DeclarationFilter(ScopedFilterSet):
    year = django_filters.ModelChoiceFilter(
        label=_("year"),
        queryset=CreationYear.objects.all(),
        empty_label=_("All"),
        widget=AUTOSUBMIT,
    )
    kind = django_filters.ChoiceFilter(
        label=_("kind"), choices=DeclarationKind.choices, empty_label=_("All"), widget=AUTOSUBMIT
    )
    status = django_filters.ChoiceFilter(
        label=_("status"),
        choices=DeclarationStatus.choices,
        empty_label=_("All"),
        widget=AUTOSUBMIT,
    )
    workshop = WorkshopFilter(widget=AUTOSUBMIT, empty_label=_("All"))
    waiting = django_filters.CharFilter(method="filter_waiting", widget=forms.HiddenInput)

    def filter_waiting(self, queryset, name, value):
        """The declarations a to-do item counts: waiting for this user's step, or at a
        reviewer's step longer than the year allows ("stale")."""
        if value == "stale":
            stale = stale_declarations(self.user)
            return queryset.none() if stale is None else queryset.filter(pk__in=stale.values("pk"))
        steps = waiting_for(self.user)
        if value not in steps:
            return queryset.none()
        return queryset.filter(pk__in=declarations_waiting(self.user, value).values("pk"))


class PlanFilter(ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("year"), widget=forms.NumberInput())
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=PlanStatus.choices, empty_label=_("All"), widget=AUTOSUBMIT
    )
    workshop = WorkshopFilter(widget=AUTOSUBMIT, empty_label=_("All"))
