from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from unionhome.admin import LabelledListEditable

from .models import GroupMembership, GroupPost, Member, MemberStatus, UnionGroup, WorkshopUnion


@admin.register(WorkshopUnion)
class WorkshopUnionAdmin(LabelledListEditable, SimpleHistoryAdmin):
    list_display = ("name", "code", "chair_name", "group_count", "sort_order", "is_active")
    list_editable = ("sort_order",)
    list_filter = ("is_active",)
    search_fields = ("name", "code")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(group_count=Count("groups"))

    @admin.display(description=_("groups"), ordering="group_count")
    def group_count(self, obj):
        return obj.group_count

    def has_delete_permission(self, request, obj=None):
        # Workshop unions with groups are kept for their history; PROTECT enforces it too.
        return request.user.is_superuser


class GroupPostInline(admin.TabularInline):
    model = GroupPost
    extra = 0
    autocomplete_fields = ("member",)


@admin.register(UnionGroup)
class UnionGroupAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "workshop",
        "code",
        "home_stage",
        "home_level",
        "member_count",
        "is_active",
    )
    list_filter = ("workshop", "home_stage", "home_level", "is_active")
    search_fields = ("name", "code", "workshop__name")
    list_select_related = ("workshop",)
    inlines = [GroupPostInline]
    # The 小家 moves on only through its steps (plan, declaration, acceptance, notice,
    # naming, re-check) in the application, each recorded with who, when and why.
    readonly_fields = ("home_stage", "home_level", "home_started_on", "home_accepted_on")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(member_count=Count("members", filter=Q(members__status=MemberStatus.ACTIVE)))
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    fields = ("group", "started_on", "ended_on", "note", "recorded_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    """Members are kept in the application pages (with their scope rules and history);
    the admin site shows them for support."""

    list_display = ("employee_no", "name", "gender", "group", "status")
    list_filter = (
        "status",
        "gender",
        "is_hardship",
        "is_model_worker",
        "is_retired",
        "group__workshop",
    )
    search_fields = ("employee_no", "name", "name_initials")
    list_select_related = ("group__workshop",)
    autocomplete_fields = ("group",)
    inlines = [GroupMembershipInline]

    def has_delete_permission(self, request, obj=None):
        return False
