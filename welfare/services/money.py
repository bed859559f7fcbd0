from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(value) -> Decimal:
    """Yuan as a Decimal with two places, rounded half up as a cashier would."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
