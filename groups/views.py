"""Organisation and member pages. Views translate HTTP to selector and service calls."""

import uuid
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import CHANGE, VIEW, allows, require_reach, scoped_object_or_404
from unionhome.db import reads_from_replica
from unionhome.extensions import group_facts, group_links, group_timeline, member_links
from unionhome.forms import apply_service_errors
from unionhome.history import history_for
from unionhome.pagination import paginate
from unionhome.params import id_param
from unionhome.tabular import TableReadError, read_table

from . import selectors, services
from .exports import member_export, member_import_template
from .forms import (
    GroupPostsForm,
    MemberForm,
    MemberImportForm,
    MemberLeaveForm,
    MemberMoveForm,
    MemberRejoinForm,
)
from .imports import COLUMN_LABELS, member_import_apply, member_import_plan
from .models import MANAGE, Member, MemberStatus, Post, UnionGroup, WorkshopUnion

IMPORT_SESSION_KEY = "member_import"


@require_GET
def org_tree(request):
    require_reach(WorkshopUnion.objects.all(), request.user, VIEW)
    tree = selectors.org_tree(user=request.user)
    return render(request, "groups/org_tree.html", {"tree": tree})


@require_GET
def workshop_detail(request, pk):
    workshop, groups = selectors.workshop_detail(user=request.user, pk=pk)
    return render(
        request,
        "groups/workshop_detail.html",
        {
            "workshop": workshop,
            "groups": groups,
            "member_total": sum(g.member_count for g in groups),
            "home_total": sum(1 for g in groups if g.has_accepted_home),
            "building_total": sum(1 for g in groups if g.is_building),
        },
    )


@require_GET
def group_detail(request, pk):
    page = selectors.group_detail(user=request.user, pk=pk)
    user = request.user
    return render(
        request,
        "groups/group_detail.html",
        {
            "page": page,
            "group": page.group,
            "can_add_member": allows(user, CHANGE, page.group),
            "can_edit_posts": page.members is not None and allows(user, CHANGE, page.group),
            "links": group_links(user, page.group),
            "facts": group_facts(user, page.group),
            "timeline": group_timeline(user, page.group),
            "history": history_for(user, page.group),
        },
    )


@require_http_methods(["GET", "POST"])
def group_posts(request, pk):
    group = scoped_object_or_404(
        UnionGroup.objects.select_related("workshop"), request.user, CHANGE, pk=pk
    )
    members = list(group.members.filter(status=MemberStatus.ACTIVE).order_by("employee_no"))
    holders = {p.post: p for p in group.posts.all()}
    form = GroupPostsForm(
        request.POST or None,
        group=group,
        members=members,
        can_appoint_leader=allows(request.user, MANAGE, group),
        holders=holders,
    )
    if request.method == "POST" and form.is_valid():
        try:
            for post, member in form.changed_posts(holders):
                services.group_post_assign(
                    group=group,
                    post=post,
                    member=member,
                    since=form.cleaned_data["since"],
                    by=request.user,
                )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The group's posts are saved."))
            return redirect("groups:group_detail", pk=group.pk)
    leader = holders.get(Post.LEADER)
    return render(
        request, "groups/group_posts.html", {"group": group, "form": form, "leader": leader}
    )


@require_GET
def member_list(request):
    require_reach(Member.objects.all(), request.user, VIEW)
    member_filter = selectors.member_list(user=request.user, params=request.GET)
    page, query = paginate(request, member_filter.qs)
    return render(
        request,
        "groups/member_list.html",
        {
            "filter": member_filter,
            "page": page,
            "query": query,
            "can_add": Member.objects.may(request.user, CHANGE),
        },
    )


@reads_from_replica
@require_GET
def member_export_view(request, fmt):
    if fmt not in ("xlsx", "csv"):
        raise Http404
    require_reach(Member.objects.all(), request.user, VIEW)
    member_filter = selectors.member_list(user=request.user, params=request.GET)
    return member_export(member_filter.qs, fmt)


@require_http_methods(["GET", "POST"])
def member_create(request):
    require_reach(Member.objects.all(), request.user, CHANGE)
    initial = {}
    if id_param(request.GET.get("group")):
        initial["group"] = id_param(request.GET["group"])
    form = MemberForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is enrolled.") % {"name": member.name})
            return redirect("groups:member_detail", pk=member.pk)
    return render(request, "groups/member_form.html", {"form": form})


@require_GET
def member_detail(request, pk):
    member = selectors.member_detail(user=request.user, pk=pk)
    user = request.user
    return render(
        request,
        "groups/member_detail.html",
        {
            "member": member,
            "can_edit": allows(user, CHANGE, member),
            "can_manage": allows(user, MANAGE, member),
            "links": member_links(user, member) if member.is_active_member else [],
            "history": history_for(user, member),
        },
    )


@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = scoped_object_or_404(
        Member.objects.select_related("group__workshop"), request.user, CHANGE, pk=pk
    )
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {
            f: form.cleaned_data[f] for f in services.MEMBER_EDITABLE_FIELDS if f in form.fields
        }
        try:
            services.member_update(member=member, by=request.user, **changes)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The member's details are saved."))
            return redirect("groups:member_detail", pk=member.pk)
    return render(request, "groups/member_form.html", {"form": form, "member": member})


def _member_action(request, pk, *, form_class, service, title, submit, done, danger=False):
    """The pages that change a member's place in the union: move, leave, rejoin."""
    member = scoped_object_or_404(
        Member.objects.select_related("group__workshop"), request.user, MANAGE, pk=pk
    )
    form = form_class(request.POST or None, user=request.user, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            service(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done(member, form.cleaned_data))
            return redirect("groups:member_detail", pk=member.pk)
    return render(
        request,
        "groups/member_action.html",
        {"member": member, "form": form, "title": title, "submit": submit, "danger": danger},
    )


@require_http_methods(["GET", "POST"])
def member_move(request, pk):
    return _member_action(
        request,
        pk,
        form_class=MemberMoveForm,
        service=services.member_move,
        title=_("Move to another group"),
        submit=_("Move"),
        done=lambda member, data: (
            _("%(name)s moved to %(group)s.")
            % {"name": member.name, "group": data["to_group"].name}
        ),
    )


@require_http_methods(["GET", "POST"])
def member_leave(request, pk):
    return _member_action(
        request,
        pk,
        form_class=MemberLeaveForm,
        service=services.member_leave,
        title=_("Leave the union"),
        submit=_("Mark as left"),
        danger=True,
        done=lambda member, data: (
            _("%(name)s is marked as having left the union.") % {"name": member.name}
        ),
    )


@require_http_methods(["GET", "POST"])
def member_rejoin(request, pk):
    return _member_action(
        request,
        pk,
        form_class=MemberRejoinForm,
        service=services.member_rejoin,
        title=_("Rejoin the union"),
        submit=_("Rejoin"),
        done=lambda member, data: _("%(name)s is back in the union.") % {"name": member.name},
    )


def _read_stored_import(stored):
    with default_storage.open(stored["path"], "rb") as handle:
        return read_table(handle, stored["name"])


def _discard_stored_import(request):
    stored = request.session.pop(IMPORT_SESSION_KEY, None)
    if stored and default_storage.exists(stored["path"]):
        default_storage.delete(stored["path"])


@require_http_methods(["GET", "POST"])
def member_import(request):
    """Step one: upload a file; it is checked and shown as a preview, nothing is saved."""
    require_reach(Member.objects.all(), request.user, CHANGE)
    form = MemberImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            table = read_table(uploaded, uploaded.name)
        except TableReadError as error:
            form.add_error("file", str(error))
        else:
            plan = member_import_plan(headers=table.headers, rows=table.rows, by=request.user)
            _discard_stored_import(request)
            if plan.ok:
                uploaded.seek(0)
                suffix = PurePath(uploaded.name).suffix.lower()
                path = default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", uploaded)
                request.session[IMPORT_SESSION_KEY] = {"path": path, "name": uploaded.name}
    return render(
        request,
        "groups/member_import.html",
        {
            "form": form,
            "plan": plan,
            "column_labels": COLUMN_LABELS,
        },
    )


@require_POST
def member_import_confirm(request):
    """Step two: the user confirmed the preview; check the stored file again and apply it."""
    require_reach(Member.objects.all(), request.user, CHANGE)
    stored = request.session.get(IMPORT_SESSION_KEY)
    if "cancel" in request.POST or not stored:
        _discard_stored_import(request)
        if stored:
            messages.info(request, _("The import is cancelled; nothing was changed."))
        else:
            messages.error(request, _("There is no import waiting; upload the file again."))
        return redirect("groups:member_import")
    table = _read_stored_import(stored)
    plan = member_import_plan(headers=table.headers, rows=table.rows, by=request.user)
    if not plan.ok:
        # The data changed since the preview: show the new errors, change nothing.
        _discard_stored_import(request)
        return render(
            request,
            "groups/member_import.html",
            {
                "form": MemberImportForm(),
                "plan": plan,
                "column_labels": COLUMN_LABELS,
            },
        )
    member_import_apply(plan=plan, by=request.user)
    _discard_stored_import(request)
    messages.success(
        request,
        _(
            "Import done: %(created)s members enrolled, %(updated)s updated (%(moved)s moved), "
            "%(unchanged)s unchanged."
        )
        % {
            "created": len(plan.creates),
            "updated": len(plan.updates),
            "moved": len(plan.moves),
            "unchanged": plan.unchanged,
        },
    )
    return redirect(reverse("groups:member_list"))


@require_GET
def member_import_template_view(request):
    require_reach(Member.objects.all(), request.user, CHANGE)
    return member_import_template()
