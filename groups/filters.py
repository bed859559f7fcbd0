import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .forms import GroupChoiceField
from .models import Gender, MemberStatus, UnionGroup, WorkshopUnion


class GroupFilter(django_filters.ModelChoiceFilter):
    field_class = GroupChoiceField


def _workshops(request):
    return WorkshopUnion.objects.restrict(request.user)


def _groups(request):
    return UnionGroup.objects.restrict(request.user).select_related("workshop")


class MemberFilter(django_filters.FilterSet):
    """The member list's search and filters; the queryset it narrows is already scoped."""

    FLAGS = {
        "hardship": Q(is_hardship=True),
        "model_worker": Q(is_model_worker=True),
        "female": Q(gender=Gender.FEMALE),
        "retired": Q(is_retired=True),
    }
    STATUS_ALL = "all"

    q = django_filters.CharFilter(
        label=_("search"),
        method="search",
        widget=forms.TextInput(
            attrs={"placeholder": _("name, employee no. or pinyin initials"), "type": "search"}
        ),
    )
    workshop = django_filters.ModelChoiceFilter(
        label=_("workshop union"), field_name="group__workshop", queryset=_workshops
    )
    group = GroupFilter(label=_("union group"), queryset=_groups)
    flag = django_filters.ChoiceFilter(
        label=_("flag"),
        method="filter_flag",
        choices=[
            ("hardship", _("In hardship")),
            ("model_worker", _("Model worker")),
            ("female", _("Woman worker")),
            ("retired", _("Retired")),
        ],
    )
    status = django_filters.ChoiceFilter(
        label=_("status"),
        method="filter_status",
        empty_label=None,
        choices=[*MemberStatus.choices, (STATUS_ALL, _("All"))],
    )
    ordering = django_filters.OrderingFilter(
        label=_("sort by"),
        fields=(
            ("employee_no", "employee_no"),
            ("name_initials", "name"),
            ("group__code", "group"),
        ),
        field_labels={
            "employee_no": _("employee no."),
            "name_initials": _("name"),
            "group__code": _("union group"),
        },
    )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(name__contains=value) | Q(employee_no__istartswith=value)
        if value.isascii() and value.isalpha():
            condition |= Q(name_initials__startswith=value.lower())
        return queryset.filter(condition)

    def filter_flag(self, queryset, name, value):
        return queryset.filter(self.FLAGS[value]) if value in self.FLAGS else queryset

    def filter_status(self, queryset, name, value):
        return queryset if value == self.STATUS_ALL else queryset.filter(status=value)

    @property
    def qs(self):
        queryset = super().qs
        # Without a status chosen the list shows the members still in the union.
        if not self.form.is_bound or not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=MemberStatus.ACTIVE)
        return queryset
