from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the application writes and nobody edits, the system administrator
    included: the admin site lists and shows them only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
