"""Organisation and member pages. Views translate HTTP to selector and service calls."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scoping import CHANGE, VIEW, allows, require_reach, scoped_object_or_404
from jobs.services import job_find_active, job_settings, job_start
from unionhome.db import reads_from_replica
from unionhome.extensions import (
    group_facts,
    group_links,
    group_timeline,
    member_facts,
    member_links,
    member_timeline,
)
from unionhome.forms import apply_service_errors
from unionhome.history import history_for
from unionhome.network import client_address
from unionhome.pagination import paginate
from unionhome.params import id_param, text_param

from . import selectors, services
from .background import MEMBER_EXPORT
from .exports import member_export, member_export_shows_personal
from .forms import (
    GroupPostsForm,
    MemberForm,
    MemberLeaveForm,
    MemberMoveForm,
    MemberRejoinForm,
)
from .models import (
    MANAGE,
    PERSONAL,
    Member,
    MemberStatus,
    PersonalAccess,
    Post,
    UnionGroup,
    WorkshopUnion,
)

# Workshop unions per page of the organisation page: a federation has hundreds of them.
ORG_PAGE_SIZE = 20


@require_GET
def org_tree(request):
    require_reach(WorkshopUnion.objects.all(), request.user, VIEW)
    search = text_param(request.GET.get("q"), 60)
    page, query = paginate(
        request,
        selectors.org_workshops(user=request.user, search=search),
        per_page=ORG_PAGE_SIZE,
    )
    context = {
        "totals": selectors.org_totals(user=request.user),
        "branches": selectors.org_branches(
            user=request.user, workshops=page.object_list, search=search
        ),
        "search": search,
        "page": page,
        "query": query,
    }
    return render(request, "groups/org_tree.html", context)


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
    require_reach(Member.objects.all(), request.user, VIEW, others=True)
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
@require_http_methods(["GET", "POST"])
def member_export_view(request, fmt):
    """The member list as filtered, to a file: served at once up to HQ's row count. A
    larger one is made by the worker, started only by the export button's POST (a link
    followed twice, or by a prefetch, starts nothing); a second click while it waits or
    runs goes to the same job."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    require_reach(Member.objects.all(), request.user, VIEW, others=True)
    # The filter is the query string, for the POST as for the GET.
    member_filter = selectors.member_list(user=request.user, params=request.GET)
    if member_filter.qs.count() > job_settings().export_rows:
        if request.method != "POST":
            messages.info(request, _("The list is large: press the export button again."))
            query = request.GET.urlencode()
            return redirect(reverse("groups:member_list") + (f"?{query}" if query else ""))
        params = {
            "fmt": fmt,
            "query": {key: request.GET.getlist(key) for key in request.GET},
            "address": client_address(request),
        }
        job = job_find_active(user=request.user, kind=MEMBER_EXPORT, params=params)
        if job is None:
            # A large list is written by the background worker; the user waits on its page.
            job = job_start(
                user=request.user,
                kind=MEMBER_EXPORT,
                params=params,
                title=_("Member export (.%(format)s)") % {"format": fmt},
            )
        return redirect("jobs:detail", pk=job.pk)
    response = member_export(member_filter.qs, fmt, user=request.user)
    if member_export_shows_personal(request.user):
        services.personal_access_log(
            user=request.user,
            action=PersonalAccess.Action.EXPORT,
            summary=_("Member export (.%(format)s)") % {"format": fmt},
            address=client_address(request),
        )
    return response


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
    sees_personal = allows(user, PERSONAL, member)
    if sees_personal and (member.id_number or member.hukou_type):
        services.personal_access_log(
            user=user,
            action=PersonalAccess.Action.VIEW,
            member=member,
            address=client_address(request),
        )
    return render(
        request,
        "groups/member_detail.html",
        {
            "member": member,
            "sees_personal": sees_personal,
            "can_edit": allows(user, CHANGE, member),
            # A member's own login reads this page, and no list of members or groups.
            "sees_lists": Member.objects.may(user, VIEW, others=True),
            "can_manage": allows(user, MANAGE, member),
            "links": member_links(user, member) if member.is_active_member else [],
            "timeline": member_timeline(user, member),
            "facts": member_facts(user, member),
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
            personal = [f for f in services.PERSONAL_FIELDS if f in form.changed_data]
            if personal:
                services.personal_access_log(
                    user=request.user,
                    action=PersonalAccess.Action.CHANGE,
                    member=member,
                    summary="、".join(str(form.fields[f].label) for f in personal),
                    address=client_address(request),
                )
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
