from decimal import Decimal

from django import template
from django.db.models.fields import BLANK_CHOICE_DASH
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext_lazy

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


DASHES = BLANK_CHOICE_DASH[0][1]
EMPTY_CHOICE = pgettext_lazy("empty choice", "Choose …")


@register.filter
def select_options(optgroups):
    """A select widget's options, written in one pass (see the select.html override): an
    organisation's 400 groups cost a list page more than its rows when each option went
    through the template engine. Django's empty choice, "---------", reads 请选择."""
    parts = []
    for group_name, options, _index in optgroups:
        if group_name:
            parts.append(format_html('<optgroup label="{}">', group_name))
        for option in options:
            parts.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    flatatt(option["attrs"]),
                    EMPTY_CHOICE if option["label"] == DASHES else option["label"],
                )
            )
        if group_name:
            parts.append("</optgroup>")
    return mark_safe("".join(parts))
