"""Validators every app's models share. A validator on a model field runs in every
service's `full_clean()`, so that a rule is written once and holds for every way in."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def validate_not_in_future(value) -> None:
    """Dates of things that have happened (birth, joining, a visit, a payment)."""
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")


def check_not_in_future(**dates) -> None:
    """The same rule for a service's date arguments that are not (yet) a model field,
    reported against the argument's name: `check_not_in_future(moved_on=day)`."""
    errors = {}
    for field, value in dates.items():
        try:
            validate_not_in_future(value)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
