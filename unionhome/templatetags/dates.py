"""The `day` filter, built into every template: {{ when|day }}, {{ month|day:"month" }},
{{ when|day:"calendar" }} … (styles in unionhome.dates)."""

from django import template

from unionhome.dates import STYLES, day_label

register = template.Library()


@register.filter
def day(value, style="date"):
    if style not in STYLES:
        raise template.TemplateSyntaxError(f"day: unknown style {style!r}")
    return day_label(value, style)
