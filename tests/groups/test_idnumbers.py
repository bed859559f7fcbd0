"""居民身份证号: format, birth date, check digit and the masked form."""

import pytest
from django.core.exceptions import ValidationError

from groups.idnumbers import check_digit, mask, normalise, validate_id_number

# A number made for the tests: region 370802, born 1985-03-02, sequence 123.
VALID = "370802198503021230"


def test_check_digit_follows_the_national_standard():
    # Weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2: 3·7 + 7·9 + 0·10 + 8·5 + 0·8 + 2·4 + 1·2
    # + 9·1 + 8·6 + 5·3 + 0·7 + 3·9 + 0·10 + 2·5 + 1·8 + 2·4 + 3·2 = 265; 265 mod 11 = 1,
    # and 1 maps to "0" in 1 0 X 9 8 7 6 5 4 3 2.
    assert check_digit("37080219850302123") == "0"
    assert check_digit("11010519491231002") == "X"


def test_a_valid_number_passes_and_lowercase_x_is_accepted():
    validate_id_number(VALID)
    assert normalise(" 11010519491231002x ") == "11010519491231002X"
    validate_id_number(normalise("11010519491231002x"))


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("37080219850302123", "format"),  # 17 characters
        ("3708021985030212X9", "format"),  # X not at the end
        ("370802198513021238", "birth_date"),  # month 13
        ("370802210503021236", "birth_date"),  # born in the future
        ("370802198503021238", "check_digit"),  # last digit mistyped
    ],
)
def test_bad_numbers_are_refused_with_the_reason(value, code):
    with pytest.raises(ValidationError) as error:
        validate_id_number(value)
    assert error.value.code == code


def test_masking_shows_the_first_six_and_last_four():
    assert mask(VALID) == "370802********1230"
    assert mask("") == ""
