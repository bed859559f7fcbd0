"""The ranking's filters; they narrow results the scope rule already restricted."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from groups.filters import WorkshopFilter
from unionhome.filters import ScopedFilterSet

from .models import Level

AUTOSUBMIT = {"data-autosubmit": ""}


class RankingFilter(ScopedFilterSet):
    workshop = WorkshopFilter(empty_label=_("All"), widget=forms.Select(attrs=AUTOSUBMIT))
    level = django_filters.ChoiceFilter(
        label=pgettext_lazy("assessment", "level"),
        choices=Level.choices,
        empty_label=_("All"),
        widget=forms.Select(attrs=AUTOSUBMIT),
    )
    top = django_filters.BooleanFilter(field_name="top_ten", widget=forms.HiddenInput)
