"""居民身份证号: format, check digit, the birth date and gender it holds, the masked form
shown to most users, and the conversion of the old 15-digit numbers (first-generation
cards, issued until 2004) to the 18-digit form they correspond to."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

ID_RE = re.compile(r"^\d{17}[\dX]$")
OLD_ID_RE = re.compile(r"^\d{15}$")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalise(value: str) -> str:
    """Spaces out, the check letter upper case, and a 15-digit number of the first
    generation converted: the year gains its "19" and the number its check digit."""
    number = (value or "").strip().replace(" ", "").replace("\u3000", "").upper()
    if OLD_ID_RE.match(number):
        first17 = number[:6] + "19" + number[6:]
        number = first17 + check_digit(first17)
    return number


def birth_date_of(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def gender_of(number: str) -> str:
    """ "M" or "F": the 17th digit is odd for men, even for women."""
    return "M" if int(number[16]) % 2 else "F"


def validate_id_number(value: str) -> None:
    number = normalise(value)
    if not ID_RE.match(number):
        raise ValidationError(
            _("An identity number has 18 characters: 17 digits and a last digit or X."),
            code="format",
        )
    born = birth_date_of(number)
    if born is None or born > timezone.localdate() or born.year < 1900:
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
