from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    """Yuan as a Decimal with two places, rounded half up as a cashier would."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ["", "拾", "佰", "仟"]
BIG_UNITS = ["", "万", "亿", "万亿"]


def _four(number: int) -> str:
    """0..9999 in capitals, with 零 where a place inside is empty."""
    text, zero = "", False
    for place in range(3, -1, -1):
        digit = number // 10**place % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + SMALL_UNITS[place]
    return text


def capital_yuan(value) -> str:
    """An amount in Chinese capital numerals as written on a 签领表 or a cheque (大写):
    1200 -> 壹仟贰佰元整, 1005.50 -> 壹仟零伍元伍角, 0.08 -> 捌分."""
    amount = money(value)
    if amount < 0:
        return "负" + capital_yuan(-amount)
    cents = int(amount * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    text = ""
    if yuan:
        groups = []
        rest = yuan
        while rest:
            groups.append(rest % 10000)
            rest //= 10000
        need_zero = False
        for index in range(len(groups) - 1, -1, -1):
            group = groups[index]
            if group == 0:
                need_zero = bool(text)
                continue
            if text and (need_zero or group < 1000):
                text += "零"
            text += _four(group) + BIG_UNITS[index]
            need_zero = False
        text += "元"
    if not jiao and not fen:
        return (text or "零元") + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    return text
