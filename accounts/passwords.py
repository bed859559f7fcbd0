from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassesValidator:
    """A password mixes at least three of: lower-case letters, capitals, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _("Use at least three of: small letters, capital letters, digits, symbols."),
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("Use at least three of: small letters, capital letters, digits, symbols.")
