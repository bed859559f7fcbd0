"""Joining, joining links and their posters, employee counts, transfers and retirement.
Views translate HTTP to selector and service calls."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import CHANGE, VIEW, allows, require_reach, scoped_object_or_404
from groups.models import MANAGE, PERSONAL, Member, PersonalAccess
from groups.services import personal_access_log
from unionhome.forms import apply_service_errors
from unionhome.history import history_for
from unionhome.network import client_address
from unionhome.pagination import paginate
from unionhome.tabular import TableReadError

from . import selectors, services
from .forms import (
    ApproveForm,
    EmployeeCountForm,
    EmployeeImportForm,
    JoinLinkForm,
    PublicApplicationForm,
    RetireForm,
    ReturnForm,
    StaffApplicationForm,
    StatusForm,
    TransferForm,
)
from .imports import employee_counts_plan, employee_counts_read
from .models import DECIDE, Application, EmployeeCount, JoinLink

# Status look-ups one address may get wrong in an hour before it must wait.
STATUS_MISSES_PER_HOUR = 10


# The public side: applying, and following an application ------------------------------------


def _open_link(token):
    link = JoinLink.objects.select_related("workshop", "group").filter(token=token).first()
    if link is None or not link.is_open_on(timezone.localdate()):
        return None
    return link


@login_not_required
@require_http_methods(["GET", "POST"])
def join(request, token):
    """入会申请书, filled by the applicant on their phone through the link or QR code."""
    link = _open_link(token)
    if link is None:
        return render(request, "membership/join_closed.html", status=404)
    form = PublicApplicationForm(request.POST or None, link=link)
    if request.method == "POST" and form.is_valid():
        if form.is_bot:
            # Answered as if received, so that the program learns nothing.
            filed = services.Filed(None, "—", "—")
            return render(request, "membership/join_received.html", {"filed": filed})
        details = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        try:
            filed = services.application_submit_public(
                link=link, address=client_address(request), **details
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return render(request, "membership/join_received.html", {"filed": filed, "link": link})
    return render(request, "membership/join.html", {"form": form, "link": link})


def _misses_key(request):
    return f"membership:status-misses:{client_address(request) or 'unknown'}"


@login_not_required
@require_http_methods(["GET", "POST"])
def join_status(request):
    """The state of an application, for whoever holds its reference no. and check code."""
    form = StatusForm(request.POST or None)
    application = None
    if request.method == "POST" and form.is_valid():
        key = _misses_key(request)
        if cache.get(key, 0) >= STATUS_MISSES_PER_HOUR:
            form.add_error(None, _("Too many wrong attempts. Please try again in an hour."))
        else:
            application = services.application_status_lookup(
                reference=form.cleaned_data["reference"],
                check_code=form.cleaned_data["check_code"],
            )
            if application is None:
                cache.add(key, 0, 3600)
                cache.incr(key)
                form.add_error(None, _("No application has this reference no. and check code."))
    return render(
        request, "membership/join_status.html", {"form": form, "application": application}
    )


# Applications ------------------------------------------------------------------------------


@require_GET
def application_list(request):
    user = request.user
    require_reach(Application.objects.all(), user, VIEW)
    application_filter = selectors.application_list(user=user, params=request.GET)
    page, query = paginate(request, application_filter.qs)
    return render(
        request,
        "membership/application_list.html",
        {
            "filter": application_filter,
            "page": page,
            "query": query,
            "can_add": Application.objects.may(user, CHANGE),
            "keeps_links": JoinLink.objects.may(user, CHANGE),
            "keeps_counts": EmployeeCount.objects.may(user, CHANGE),
        },
    )


@require_http_methods(["GET", "POST"])
def application_create(request):
    """A group leader enters the application of a worker of their group (or the union
    office one, a transfer in included)."""
    require_reach(Application.objects.all(), request.user, CHANGE)
    form = StaffApplicationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            filed = services.application_submit(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Application %(reference)s is filed; the workshop union decides on it.")
                % {"reference": filed.reference},
            )
            return redirect("membership:application_detail", pk=filed.application.pk)
    return render(request, "membership/application_form.html", {"form": form})


@require_GET
def application_detail(request, pk):
    user = request.user
    application = selectors.application_detail(user=user, pk=pk)
    may_decide = services.may_decide(user, application)
    duplicates = services.application_duplicates(application) if may_decide else {}
    return render(
        request,
        "membership/application_detail.html",
        {
            "application": application,
            "may_decide": may_decide,
            "duplicates": {
                field: (member, allows(user, VIEW, member)) for field, member in duplicates.items()
            },
            "approve_form": ApproveForm(),
            "return_form": ReturnForm(),
            "sees_personal": allows(user, PERSONAL, Member(group=application.group)),
            "history": history_for(user, application),
        },
    )


def _decision(request, pk, form_class, act, done):
    application = scoped_object_or_404(
        Application.objects.select_related("group__workshop"), request.user, DECIDE, pk=pk
    )
    form = form_class(request.POST)
    if form.is_valid():
        try:
            result = act(application, form.cleaned_data)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, done(application, result))
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    return redirect("membership:application_detail", pk=application.pk)


@require_POST
def application_approve(request, pk):
    return _decision(
        request,
        pk,
        ApproveForm,
        lambda application, data: services.application_approve(
            application=application, by=request.user, approved_on=data["approved_on"]
        ),
        lambda application, member: (
            _("%(name)s is a member now, with membership card no. %(card)s.")
            % {"name": member.name, "card": member.card_no}
        ),
    )


@require_POST
def application_return(request, pk):
    return _decision(
        request,
        pk,
        ReturnForm,
        lambda application, data: services.application_return(
            application=application, by=request.user, reason=data["reason"]
        ),
        lambda application, result: (
            _("Application %(reference)s is returned.") % {"reference": application.reference}
        ),
    )


# Joining links and their posters ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def link_list(request):
    user = request.user
    require_reach(JoinLink.objects.all(), user, VIEW)
    may_add = JoinLink.objects.may(user, CHANGE)
    form = JoinLinkForm(request.POST or None, user=user) if may_add else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            link = services.join_link_create(by=user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The joining link is made: print its poster."))
            return redirect("membership:link_poster", pk=link.pk)
    return render(
        request,
        "membership/link_list.html",
        {"links": selectors.join_links(user=user), "form": form},
    )


@require_GET
def link_poster(request, pk):
    link = scoped_object_or_404(
        JoinLink.objects.select_related("workshop", "group"), request.user, VIEW, pk=pk
    )
    url = request.build_absolute_uri(reverse("membership:join", args=[link.token]))
    qr = segno.make(url, error="m")
    return render(
        request,
        "membership/link_poster.html",
        {
            "link": link,
            "url": url,
            "qr": mark_safe(qr.svg_inline(scale=6, border=2, omitsize=True)),
            "status_url": request.build_absolute_uri(reverse("membership:join_status")),
        },
    )


@require_POST
def link_close(request, pk):
    link = scoped_object_or_404(JoinLink.objects.all(), request.user, CHANGE, pk=pk)
    services.join_link_close(link=link, by=request.user)
    messages.success(request, _("The joining link is closed."))
    return redirect("membership:link_list")


# Employee counts ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def employee_counts(request):
    user = request.user
    require_reach(EmployeeCount.objects.all(), user, VIEW)
    form = EmployeeCountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.employee_count_set(by=user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The employee count is saved."))
            return redirect("membership:employee_counts")
    page, query = paginate(request, selectors.employee_counts(user=user))
    return render(
        request,
        "membership/employee_counts.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "enrolment": selectors.enrolment_rates(user=user),
        },
    )


@require_http_methods(["GET", "POST"])
def employee_import(request):
    """Employee counts from a workbook: checked as a whole, saved all or nothing."""
    user = request.user
    require_reach(EmployeeCount.objects.all(), user, CHANGE)
    form = EmployeeImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            headers, rows = employee_counts_read(uploaded, uploaded.name)
            plan = employee_counts_plan(headers=headers, rows=rows, by=user)
        except TableReadError as error:
            form.add_error("file", str(error))
        else:
            if plan.ok:
                try:
                    saved = services.employee_counts_import(by=user, rows=plan.rows)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(
                        request, _("%(count)s employee counts are saved.") % {"count": saved}
                    )
                    return redirect("membership:employee_counts")
    return render(request, "membership/employee_import.html", {"form": form, "plan": plan})


# Transfers and retirement -----------------------------------------------------------------------


def _member_page(request, pk, *, form_class, template, act):
    member = scoped_object_or_404(
        Member.objects.select_related("group__workshop"), request.user, MANAGE, pk=pk
    )
    form = form_class(request.POST or None, user=request.user, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            response = act(member, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return response
    return render(request, template, {"member": member, "form": form})


@require_http_methods(["GET", "POST"])
def transfer_create(request, pk):
    """会籍转移: the workshop union records the transfer out and prints the letter."""

    def act(member, data):
        transfer = services.transfer_out(member=member, by=request.user, **data)
        messages.success(
            request,
            _("%(name)s is transferred out; letter %(number)s is ready to print.")
            % {"name": member.name, "number": transfer.letter_no},
        )
        return redirect("membership:transfer_letter", pk=transfer.pk)

    return _member_page(
        request,
        pk,
        form_class=TransferForm,
        template="membership/transfer_form.html",
        act=act,
    )


@require_GET
def transfer_letter(request, pk):
    """工会会员组织关系转移介绍信 with its counterfoil (存根) and return slip (回执)."""
    user = request.user
    transfer = selectors.transfer_letter(user=user, pk=pk)
    member = transfer.member
    sees_personal = allows(user, PERSONAL, member)
    if sees_personal and member.id_number:
        personal_access_log(
            user=user,
            action=PersonalAccess.Action.VIEW,
            member=member,
            summary=_("Transfer letter %(number)s") % {"number": transfer.letter_no},
            address=client_address(request),
        )
    return render(
        request,
        "membership/transfer_letter.html",
        {"transfer": transfer, "member": member, "sees_personal": sees_personal},
    )


@require_http_methods(["GET", "POST"])
def member_retire(request, pk):
    """退休会员: the member retires and stays in the union (in the retirees' group)."""

    def act(member, data):
        services.member_retire(member=member, by=request.user, **data)
        messages.success(
            request, _("%(name)s is retired and stays a member.") % {"name": member.name}
        )
        return redirect("groups:member_detail", pk=member.pk)

    return _member_page(
        request,
        pk,
        form_class=RetireForm,
        template="membership/retire_form.html",
        act=act,
    )
