from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent(value):
    """A rate (0..1) as a Chinese office writes it: 87.5%, 100%; "—" when there is none."""
    if value is None or value == "":
        return "—"
    scaled = (Decimal(str(value)) * 100).quantize(Decimal("0.1"))
    text = f"{scaled:f}".removesuffix(".0")
    return f"{text}%"


@register.simple_tag
def ratio(part, whole):
    """part / whole, or None when the whole is zero (so that `percent` shows "—")."""
    return part / whole if whole else None


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key)


@register.filter
def yuan(value):
    """Money as a Chinese office writes it: ¥1,234.50; "—" when there is none."""
    if value is None or value == "":
        return "—"
    amount = Decimal(str(value)).quantize(Decimal("0.01"))
    return f"¥{amount:,.2f}"
