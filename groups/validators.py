"""The formats of a member's identifiers, on the model fields and in the import."""

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

EMPLOYEE_NO_RE = re.compile(r"^[A-Za-z0-9-]{1,20}$")
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")

validate_employee_no = RegexValidator(
    EMPLOYEE_NO_RE, _("An employee no. is up to 20 letters, digits or dashes."), code="employee_no"
)
validate_phone = RegexValidator(
    PHONE_RE,
    _("Enter a mobile number (11 digits) or a landline such as 0537-1234567."),
    code="phone",
)
