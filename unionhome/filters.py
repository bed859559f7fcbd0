"""The base of every list's filters."""

import django_filters
from django import forms


class ScopedFilterSet(django_filters.FilterSet):
    """A list's filters for one user: the queryset it narrows is already restricted to
    what the user reaches, and its choices (workshop unions, groups) are too."""

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        self.user = user
        # Always bound, so that a list's defaults (filter_queryset) hold without parameters.
        super().__init__(data if data is not None else {}, queryset=queryset, **kwargs)

    @property
    def qs(self):
        # Parameters that do not validate (a group out of reach, a bad date) narrow the
        # list to nothing rather than being ignored; the form says what is wrong.
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs

    # The choices of place (workshop union, group) mean nothing to one who reaches a single
    # group (a leader): they are kept as hidden fields, out of the way on a phone.
    PLACE_FILTERS = ("workshop", "group")

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            if self.queryset.model.objects.scope(self.user).only_group_id is not None:
                for name in self.PLACE_FILTERS:
                    if name in form.fields:
                        form.fields[name].widget = forms.HiddenInput()
            # A filter that offers fewer choices than it accepts (GroupFilter) narrows its
            # field of this form: the form's fields are copies of the filters' own.
            for name, filter_ in self.filters.items():
                if hasattr(filter_, "narrow") and name in form.fields:
                    filter_.narrow(form.fields[name])
        return self._form
