from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.scoping import allows
from unionhome.admin import LabelledListEditable, ReadOnlyAdmin, SingleRecordAdmin

from .models import (
    PERSONAL,
    GroupMembership,
    GroupPost,
    ImportField,
    ImportHeader,
    ImportLimits,
    ImportMapping,
    Member,
    MemberOption,
    MemberOptionAlias,
    MemberStatus,
    PersonalAccess,
    UnionGroup,
    WorkshopUnion,
)
from .services import PERSONAL_FIELDS


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
    autocomplete_fields = ("group", "user")
    inlines = [GroupMembershipInline]

    def get_exclude(self, request, obj=None):
        # The identity number and 户籍 follow the application's rule here too.
        if obj is not None and allows(request.user, PERSONAL, obj):
            return ()
        return PERSONAL_FIELDS

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version shows every field, the identity number included.
        obj = self.get_object(request, object_id)
        if obj is None or not allows(request.user, PERSONAL, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MemberOption)
class MemberOptionAdmin(LabelledListEditable, admin.ModelAdmin):
    """HQ keeps the lists of the registration form: 民族, 政治面貌, 学历, 用工形式,
    技术等级, 劳模称号. An entry in use is no longer offered rather than deleted."""

    list_display = ("name", "option_list", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    list_filter = ("option_list", "is_active")
    search_fields = ("name",)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(PersonalAccess)
class PersonalAccessAdmin(ReadOnlyAdmin):
    """Who saw or changed identity numbers and 户籍: read-only for everybody."""

    list_display = ("at", "user", "action", "member", "summary", "ip_address")
    list_filter = ("action",)
    search_fields = ("member__name", "member__employee_no", "user__username")
    list_select_related = ("user", "member")

    def get_queryset(self, request):
        return PersonalAccess.objects.restrict(request.user).select_related("user", "member")


@admin.register(ImportHeader)
class ImportHeaderAdmin(LabelledListEditable, admin.ModelAdmin):
    """The column titles rosters use (所在车间, 班组, 联系电话 …) and the member field each
    names. The export's own titles (工号, 姓名 …) are always known besides these."""

    list_display = ("word", "field")
    list_editable = ("field",)
    list_filter = ("field",)
    search_fields = ("word",)


@admin.register(MemberOptionAlias)
class MemberOptionAliasAdmin(admin.ModelAdmin):
    """Other ways rosters write a list entry: 汉 for 汉族, 党员 for 中共党员."""

    list_display = ("word", "option", "option_list")
    list_filter = ("option__option_list",)
    search_fields = ("word", "option__name")
    list_select_related = ("option",)
    autocomplete_fields = ("option",)

    @admin.display(description=_("list"), ordering="option__option_list")
    def option_list(self, obj):
        return obj.option.get_option_list_display()


@admin.register(ImportLimits)
class ImportLimitsAdmin(SingleRecordAdmin):
    """One record: how large a member import may be."""

    list_display = (
        "__str__",
        "max_rows",
        "max_unpacked_mb",
        "max_errors_listed",
        "header_search_rows",
        "updated_at",
    )
    fields = ("max_rows", "max_unpacked_mb", "max_errors_listed", "header_search_rows")


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    """Mappings users saved in an import's preview; HQ may look at them or remove one."""

    list_display = ("titles_short", "user", "workshop", "saved_by", "saved_at")
    list_filter = ("workshop",)
    list_select_related = ("user", "workshop", "saved_by")
    readonly_fields = ("titles", "columns_text", "user", "workshop", "saved_by", "saved_at")
    fields = readonly_fields

    @admin.display(description=_("column titles"))
    def titles_short(self, obj):
        return obj.titles[:60]

    @admin.display(description=_("columns"))
    def columns_text(self, obj):
        labels = dict(ImportField.choices)
        return "；".join(f"{title} → {labels.get(key, '—')}" for title, key in obj.columns.items())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
