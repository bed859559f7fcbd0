"""Member logins: the leader's side (issue, print, disable), the public activation page,
the member's own page and their suggestions. Views translate HTTP to service calls."""

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scoping import CHANGE, require_reach
from unionhome.forms import apply_service_errors
from unionhome.network import client_address
from unionhome.pagination import paginate

from . import selectors, services
from .forms import ActivationForm, AnswerForm, SuggestionForm
from .models import ANSWER, FILE, Suggestion, SuggestionStatus

BACKEND = "accounts.backends.UserBackend"


# The leader's side -----------------------------------------------------------------------


def _slip(request, member, record, code) -> dict:
    url = request.build_absolute_uri(reverse("portal:activate"))
    link = f"{url}?no={member.employee_no}"
    return {
        "member": member,
        "code": code,
        "expires_at": record.expires_at,
        "url": url,
        "qr": mark_safe(segno.make(link, error="m").svg_inline(scale=3, border=1, omitsize=True)),
    }


def _slips(request, slips, back):
    return render(request, "portal/slips.html", {"slips": slips, "back": back})


@require_http_methods(["GET", "POST"])
def member_login(request, pk):
    """A member's login: its state and steps; issuing a code prints its slip at once
    (the code is not kept)."""
    page = selectors.member_login_page(user=request.user, pk=pk, action=CHANGE)
    member = page.member
    if request.method == "POST":
        try:
            record, code = services.member_login_code_issue(member=member, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("portal:member_login", pk=member.pk)
        back = reverse("groups:member_detail", args=[member.pk])
        return _slips(request, [_slip(request, member, record, code)], back)
    return render(
        request,
        "portal/member_login.html",
        {"page": page, "member": member, "state": services.member_login_state(member)},
    )


@require_http_methods(["GET", "POST"])
def member_login_disable(request, pk):
    page = selectors.member_login_page(user=request.user, pk=pk, action=CHANGE)
    member = page.member
    if request.method == "POST":
        try:
            services.member_login_disable(member=member, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The login of %(name)s is disabled.") % {"name": member.name}
            )
        return redirect("portal:member_login", pk=member.pk)
    return render(request, "portal/member_login_disable.html", {"member": member})


@require_http_methods(["GET", "POST"])
def group_slips(request, pk):
    """The group's members and their logins; one button prints a slip for each member
    whose login is not in use."""
    group, members = selectors.group_logins(user=request.user, pk=pk, action=CHANGE)
    if request.method == "POST":
        issued = services.member_login_codes_issue(group=group, by=request.user)
        if not issued:
            messages.info(request, _("Every member of the group has a login in use."))
            return redirect("portal:group_slips", pk=group.pk)
        back = reverse("portal:group_slips", args=[group.pk])
        return _slips(request, [_slip(request, m, r, c) for m, r, c in issued], back)
    rows = [(m, services.member_login_state(m), (m.open_codes or [None])[0]) for m in members]
    return render(
        request,
        "portal/group_slips.html",
        {
            "group": group,
            "rows": rows,
            "waiting": sum(1 for _m, state, _c in rows if state != "active"),
        },
    )


# The member's side -----------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def activate(request):
    """Open a member's login: the employee no. and code from the slip, then a password of
    their own; signed in at once. Wrong codes lock the number and the address for a
    while (services.member_login_activate)."""
    initial = {"employee_no": request.GET.get("no", "")[:20]}
    form = ActivationForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.member_login_activate(
                employee_no=data["employee_no"],
                code=data["code"],
                username=data["username"],
                password=data["password"],
                address=client_address(request),
            )
        except services.ActivationRefused as refused:
            form.add_error(None, refused.messages[0])
            status = 429 if refused.code == "locked" else 400
        except ValidationError as error:
            apply_service_errors(form, error)
            status = 400
        else:
            login(request, user, backend=BACKEND)
            messages.success(
                request,
                _("Your login is open. From now on sign in as %(username)s.")
                % {"username": user.username},
            )
            return redirect("home")
    elif request.method == "POST":
        status = 400
    return render(request, "portal/activate.html", {"form": form}, status=status)


def member_home(request):
    """The member's own page (also the home page of a member's login)."""
    home = selectors.member_home(user=request.user)
    return render(
        request,
        "portal/home.html",
        {
            "home": home,
            "member": home.member,
            "suggestion_form": SuggestionForm(),
        },
    )


@require_GET
def home(request):
    return member_home(request)


@require_http_methods(["GET", "POST"])
def suggestion_new(request):
    member = selectors.own_member(user=request.user)
    if not Suggestion.objects.allows(
        request.user, FILE, Suggestion(member=member, group=member.group)
    ):
        raise PermissionDenied
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_file(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your workshop union will answer here."))
            return redirect("portal:home")
    return render(request, "portal/suggestion_new.html", {"form": form, "member": member})


# The workshop union's side ---------------------------------------------------------------


@require_GET
def suggestion_list(request):
    require_reach(Suggestion.objects.all(), request.user, ANSWER)
    page, query = paginate(
        request, selectors.suggestion_list(user=request.user, params=request.GET)
    )
    return render(
        request,
        "portal/suggestion_list.html",
        {
            "page": page,
            "query": query,
            "open_only": request.GET.get("open") == "1",
            "statuses": SuggestionStatus.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def suggestion_detail(request, pk):
    suggestion = selectors.suggestion_detail(user=request.user, pk=pk)
    user = request.user
    may_answer = Suggestion.objects.allows(user, ANSWER, suggestion)
    form = AnswerForm(request.POST or None) if may_answer else None
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        try:
            if request.POST.get("step") == "accept":
                services.suggestion_accept(suggestion=suggestion, by=user)
                messages.success(request, _("The suggestion is taken up."))
                return redirect("portal:suggestion_detail", pk=suggestion.pk)
            if form.is_valid():
                services.suggestion_answer(suggestion=suggestion, by=user, **form.cleaned_data)
                messages.success(request, _("The reply is sent to the member's page."))
                return redirect("portal:suggestion_list")
        except ValidationError as error:
            if form is not None and hasattr(error, "error_dict"):
                apply_service_errors(form, error)
            else:
                messages.error(request, " ".join(error.messages))
    return render(
        request,
        "portal/suggestion_detail.html",
        {"suggestion": suggestion, "form": form, "may_answer": may_answer},
    )
