from django import template

from scoring.rules import in_words, with_unit

register = template.Library()


@register.filter
def in_unit(value, unit: str) -> str:
    """A figure's value as people say it (85%, 2 次/月, 10 天)."""
    return with_unit(value, unit)


@register.filter
def rule_in_words(indicator: dict) -> str:
    """The line's rule as a sentence (scoring/rules.py)."""
    return in_words(indicator)
