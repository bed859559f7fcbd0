import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import VIEW
from unionhome.filters import ScopedFilterSet
from unionhome.params import id_param

from .forms import GroupChoiceField
from .models import Gender, MemberOption, MemberStatus, OptionList, UnionGroup, WorkshopUnion


class WorkshopFilter(django_filters.ModelChoiceFilter):
    """One of the workshop unions the user reaches; every list filters by it this way
    (in a ScopedFilterSet)."""

    def __init__(self, *, field_name="group__workshop", **kwargs):
        kwargs.setdefault("label", _("workshop union"))
        # Choosing one filters the list at once: its groups are then offered (GroupFilter).
        kwargs.setdefault("widget", forms.Select(attrs={"data-autosubmit": ""}))
        super().__init__(field_name=field_name, **kwargs)

    def get_queryset(self, request):
        groups = _groups_of_the_list(self.parent)
        return WorkshopUnion.objects.restrict(self.parent.user).filter(
            pk__in=groups.values("workshop")
        )


def _groups_of_the_list(filterset):
    """The groups whose rows the list may show: the only ones worth choosing (a leader
    who sees one group's activities is not offered the whole organisation)."""
    manager = filterset.queryset.model.objects
    if hasattr(manager, "groups_in_reach"):
        return manager.groups_in_reach(filterset.user)
    return UnionGroup.objects.restrict(filterset.user)


class GroupFilter(django_filters.ModelChoiceFilter):
    """One of the union groups the user reaches, labelled with its workshop union.

    Beside a workshop union filter (named `workshop`) it offers the chosen workshop
    union's groups only, and none until one is chosen when the user reaches several: a
    federation's thousands of groups in one list help nobody and cost every page. Any
    group in reach is still accepted, so links to a group's rows keep working."""

    field_class = GroupChoiceField

    def __init__(self, *, field_name="group", **kwargs):
        kwargs.setdefault("label", _("union group"))
        super().__init__(field_name=field_name, **kwargs)

    def get_queryset(self, request):
        return (
            _groups_of_the_list(self.parent).restrict(self.parent.user).select_related("workshop")
        )

    def narrow(self, field) -> None:
        """Offer the form's field only the groups `_offered` lists (ScopedFilterSet.form)."""
        if isinstance(field.widget, forms.HiddenInput):
            return
        offered, waiting = self._offered(field.queryset)
        if waiting:
            # Said in the select itself: a help text would push it out of line with the
            # filters beside it.
            field.empty_label = _("Choose a workshop union first")
        if offered is not None:
            field.offer(offered)

    def _offered(self, queryset):
        """(the groups to list or None for every group of `queryset`, whether a workshop
        union must be chosen first)."""
        parent = self.parent
        if "workshop" not in parent.filters:
            return None, False
        data = parent.data or {}
        chosen = id_param(data.get(self.field_name))
        keep = Q(pk=chosen) if chosen else Q(pk__in=[])
        workshop = id_param(data.get("workshop"))
        if workshop:
            return queryset.filter(Q(workshop_id=workshop) | keep), False
        manager = parent.queryset.model.objects
        scope = manager.scope(parent.user, VIEW) if hasattr(manager, "scope") else None
        if scope is None:
            return None, False
        workshops = scope.workshop_ids | scope.group_workshop_ids
        if not (scope.everything or scope.rules or len(workshops) > 1):
            return None, False
        return queryset.filter(keep), True


class MemberFilter(ScopedFilterSet):
    """The member list's search and filters; the queryset it narrows is already scoped."""

    FLAGS = {
        "hardship": Q(is_hardship=True),
        "model_worker": Q(is_model_worker=True),
        "female": Q(gender=Gender.FEMALE),
        "retired": Q(is_retired=True),
        "representative": Q(is_worker_representative=True),
        "no_card": Q(card_no=""),
    }
    STATUS_ALL = "all"

    q = django_filters.CharFilter(
        label=_("search"),
        method="search",
        widget=forms.TextInput(
            attrs={"placeholder": _("name, employee no. or pinyin initials"), "type": "search"}
        ),
    )
    workshop = WorkshopFilter()
    group = GroupFilter()
    flag = django_filters.ChoiceFilter(
        label=_("flag"),
        method="filter_flag",
        choices=[
            ("hardship", _("In hardship")),
            ("model_worker", _("Model worker")),
            ("female", _("Woman worker")),
            ("retired", _("Retired")),
            ("representative", _("Workers' representative")),
            ("no_card", _("Without a membership card no.")),
        ],
    )
    political_status = django_filters.ModelChoiceFilter(
        label=_("political status"),
        queryset=MemberOption.objects.filter(option_list=OptionList.POLITICAL),
    )
    employment_type = django_filters.ModelChoiceFilter(
        label=_("form of employment"),
        queryset=MemberOption.objects.filter(option_list=OptionList.EMPLOYMENT),
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
