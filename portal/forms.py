from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Suggestion, SuggestionKind


class ActivationForm(forms.Form):
    """The member's own page to open their login: the slip's code, then a password."""

    employee_no = forms.CharField(
        label=_("employee no."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    code = forms.CharField(
        label=_("activation code"),
        max_length=20,
        help_text=_("The 8 characters on your slip."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )
    username = forms.CharField(
        label=_("username"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to sign in with your employee no."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("new password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 10 characters, with three of: small letters, capitals, digits, symbols."
        ),
    )
    password_again = forms.CharField(
        label=_("new password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("password")
            and data.get("password_again") is not None
            and data["password"] != data["password_again"]
        ):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class SuggestionForm(forms.ModelForm):
    class Meta:
        model = Suggestion
        fields = ["kind", "text"]
        widgets = {
            "kind": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"text": _("What would you like to tell the union?")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = SuggestionKind.choices
        self.fields["kind"].initial = SuggestionKind.SUGGESTION


class AnswerForm(forms.Form):
    reply = forms.CharField(
        label=_("reply"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The member reads it on their own page."),
    )
