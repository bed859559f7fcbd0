"""The member import's forms: the file, and the preview's choice of a field per column.
(Kept apart from forms.py, the member pages' forms.)"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import ImportField


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("file"),
        help_text=_(
            "An Excel workbook (.xlsx) or a CSV file (UTF-8 or GBK), as your roster is: title "
            "rows above the column titles are skipped."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.")
                % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        if not uploaded.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
        return uploaded


SAVE_FOR_ME = "me"


class ColumnMappingForm(forms.Form):
    """One select per column of the file: the member field it goes to, or not imported.
    The user may keep the mapping for the next file with the same column titles."""

    save = forms.ChoiceField(label=_("Save this mapping"), required=False)

    def __init__(self, *args, columns, workshops=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        choices = [("", gettext("Do not import")), *ImportField.choices]
        for column in columns:
            hint = []
            if column.example:
                hint.append(gettext("First row: %(value)s") % {"value": column.example})
            if not column.field and column.note:
                hint.append(column.note)
            self.fields[f"col_{column.index}"] = forms.ChoiceField(
                label=f"{column.letter} · {column.label}",
                choices=choices,
                required=False,
                initial=column.field,
                help_text=" ".join(str(h) for h in hint),
            )
        self.workshops = {str(w.pk): w for w in workshops}
        self.fields["save"].choices = [
            ("", gettext("No, only for this file")),
            (SAVE_FOR_ME, gettext("Yes, for me")),
            *[
                (pk, gettext("Yes, for everyone in %(workshop)s") % {"workshop": w.name})
                for pk, w in self.workshops.items()
            ],
        ]
        # The save choice comes after the columns.
        self.order_fields([*(f"col_{c.index}" for c in columns), "save"])

    def clean(self):
        data = super().clean()
        seen = {}
        for column in self.columns:
            key = data.get(f"col_{column.index}", "")
            if not key:
                continue
            if key in seen:
                self.add_error(
                    f"col_{column.index}",
                    gettext("The column %(letter)s already goes to this field.")
                    % {"letter": seen[key].letter},
                )
            else:
                seen[key] = column
        return data

    @property
    def chosen(self) -> list[str]:
        return [self.cleaned_data.get(f"col_{c.index}", "") for c in self.columns]

    @property
    def save_for(self):
        """None (do not save), "me", or the workshop union to share it with."""
        value = self.cleaned_data.get("save") or None
        if value is None or value == SAVE_FOR_ME:
            return value
        return self.workshops[value]
