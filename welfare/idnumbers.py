"""居民身份证号 (18 characters): format, check digit, and the masked form shown to most users."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ID_RE = re.compile(r"^\d{17}[\dX]$")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalise(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def birth_date_of(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str) -> None:
    number = normalise(value)
    if not ID_RE.match(number):
        raise ValidationError(
            _("An identity number has 18 characters: 17 digits and a last digit or X."),
            code="format",
        )
    born = birth_date_of(number)
    if born is None or born > date.today() or born.year < 1900:
        raise ValidationError(
            _("The birth date inside the identity number is not valid."), code="birth_date"
        )
    if check_digit(number[:17]) != number[17]:
        raise ValidationError(
            _("The identity number's check digit is wrong; check for a mistyped digit."),
            code="check_digit",
        )


def mask(value: str) -> str:
    """First 6 and last 4 characters: 370802********1234."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:]
