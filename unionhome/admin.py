from django import forms
from django.contrib import admin

from .models import Organisation
from .uploads import emblem_png, validate_upload


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the application writes and nobody edits, the system administrator
    included: the admin site lists and shows them only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "emblem"]

    def clean_emblem(self):
        emblem = self.cleaned_data.get("emblem")
        if not (emblem and hasattr(emblem, "content_type")):  # unchanged: the stored file
            return emblem
        validate_upload(emblem)  # the size limit, and a kind of picture the site takes
        return emblem_png(emblem)


class SingleRecordAdmin(admin.ModelAdmin):
    """A SingleRecord: HQ changes it (adding it once, if the installation has none yet)."""

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not self.model.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(SingleRecordAdmin):
    form = OrganisationForm
    list_display = ["name", "updated_at"]


class LabelledListEditable:
    """A list whose rows are edited in place (order, active …): each box carries the name
    of its column and its row for screen readers, which the admin site leaves out."""

    def get_changelist_formset(self, request, **kwargs):
        formset_class = super().get_changelist_formset(request, **kwargs)

        class Labelled(formset_class):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                row = str(form.instance) if form.instance.pk else ""
                for name, field in form.fields.items():
                    if name in self.model_admin_list_editable:
                        label = f"{field.label} · {row}" if row else str(field.label)
                        field.widget.attrs.setdefault("aria-label", label)

        Labelled.model_admin_list_editable = tuple(self.list_editable)
        return Labelled
