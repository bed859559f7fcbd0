from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import user_sync_access


class AccountCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "name", "role", "workshop", "group")


class AccountChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts and their roles. Only the system administrator grants admin rights;
    HQ staff get theirs from their role."""

    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = (
        "username",
        "name",
        "role",
        "workshop",
        "group",
        "handles_welfare",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "is_active", "is_superuser", "workshop")
    search_fields = ("username", "name", "phone", "email")
    ordering = ("username",)
    autocomplete_fields = ("workshop", "group")
    list_select_related = ("workshop", "group")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("name", "phone", "email")}),
        (
            _("Role and scope"),
            {"fields": ("role", "workshop", "group", "handles_welfare", "is_active")},
        ),
        (_("Admin rights"), {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "name",
                    "role",
                    "workshop",
                    "group",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_staff", "is_superuser", "groups", "user_permissions"]
        return fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_sync_access(user=form.instance)
