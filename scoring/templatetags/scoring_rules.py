from django import template

from scoring.rules import in_words

register = template.Library()


@register.filter
def rule_in_words(indicator: dict) -> str:
    """The line's rule as a sentence (scoring/rules.py)."""
    return in_words(indicator)
