from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from .models import RoleAssignment, User
from .services import user_sync_access


class AccountCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "name")


class AccountChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class RoleAssignmentInline(admin.TabularInline):
    """A user's roles: one row each (a workshop union chair who also leads a group has two)."""

    model = RoleAssignment
    extra = 1
    autocomplete_fields = ("workshop", "group")
    verbose_name = _("role")
    verbose_name_plural = _(
        "roles (a workshop union role names its workshop union, a group leader's the union group)"
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts and their roles. Only the system administrator grants admin rights;
    HQ staff get theirs from their role."""

    form = AccountChangeForm
    add_form = AccountCreationForm
    inlines = [RoleAssignmentInline]
    list_display = ("username", "name", "roles", "handles_welfare", "is_active", "last_login")
    list_filter = (
        "role_assignments__role",
        "is_active",
        "is_superuser",
        "role_assignments__workshop",
    )
    search_fields = ("username", "name", "phone", "email")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("name", "phone", "email")}),
        (_("Access"), {"fields": ("handles_welfare", "is_active")}),
        (_("Admin rights"), {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("username", "name", "password1", "password2")},
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "role_assignments",
                    queryset=RoleAssignment.objects.select_related("workshop", "group"),
                )
            )
        )

    @admin.display(description=_("roles"))
    def roles(self, user):
        return "、".join(str(a) for a in user.role_assignments.all()) or "—"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_staff", "is_superuser", "groups", "user_permissions"]
        return fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_sync_access(user=form.instance)
