"""The congress pages: sessions (list, the page of one with a button for each allowed step,
the forms of the steps, HQ's approval queue, the printables) and the terms with their
delegations and representatives. Views translate HTTP to selector and service calls."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import VIEW, allows, require_reach, scoped_object_or_404
from unionhome.forms import apply_service_errors
from unionhome.pagination import paginate
from unionhome.params import id_param, year_param
from unionhome.uploads import file_response
from welfare.views.common import no_store

from . import selectors, services
from .forms import (
    AttendanceForm,
    CloseForm,
    DecideForm,
    DelegationForm,
    MinutesForm,
    MotionForm,
    PhotoForm,
    RepresentativeForm,
    ResolutionForm,
    ReturnForm,
    SessionEditForm,
    SessionForm,
    TermForm,
)
from .models import (
    APPROVE,
    DECLARE,
    TERM_LEVELS,
    CongressSettings,
    Level,
    Motion,
    Representative,
    Session,
    SessionPhoto,
    SessionStatus,
    Term,
    record_action,
)


def _level(value: str) -> str:
    if value not in Level.values:
        raise Http404
    return value


def _session(request, pk, action=VIEW) -> Session:
    return scoped_object_or_404(
        Session.objects.select_related(
            "workshop", "group__workshop", "term", "declared_by", "approved_by"
        ),
        request.user,
        action,
        pk=pk,
    )


def _recordable(request, pk) -> Session:
    """The session, for a step that records it: 404 out of reach, 403 when the user may
    read it but not record it (HQ on a workshop union's congress)."""
    session = _session(request, pk)
    if not services.may_record(request.user, session):
        raise PermissionDenied
    return session


def creatable_levels(user) -> list[tuple[str, str]]:
    return [
        (value, label)
        for value, label in Level.choices
        if Session.objects.may(user, record_action(value))
    ]


# Sessions ------------------------------------------------------------


@no_store
@require_GET
def session_list(request):
    user = request.user
    require_reach(Session.objects.all(), user, VIEW)
    filters = selectors.SessionFilters(
        level=request.GET.get("level", ""),
        status=request.GET.get("status", ""),
        year=year_param(request.GET.get("year")),
        group=id_param(request.GET.get("group")),
    )
    page, query = paginate(request, selectors.session_list(user=user, filters=filters))
    return render(
        request,
        "congresses/session_list.html",
        {
            "page": page,
            "query": query,
            "sessions": page.object_list,
            "filters": filters,
            "levels": Level.choices,
            "statuses": SessionStatus.choices,
            "years": selectors.session_years(user),
            "creatable": creatable_levels(user),
            "may_approve": Session.objects.may(user, APPROVE),
        },
    )


@no_store
@require_http_methods(["GET", "POST"])
def session_create(request, level):
    level = _level(level)
    require_reach(Session.objects.all(), request.user, record_action(level))
    form = SessionForm(request.POST or None, user=request.user, level=level)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(by=request.user, level=level, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The session is planned."))
            return redirect(session)
    return render(
        request,
        "congresses/session_form.html",
        {"form": form, "level_label": Level(level).label, "session": None},
    )


@no_store
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = _recordable(request, pk)
    if session.status != SessionStatus.DRAFT:
        messages.info(request, _("Only a planned session can be changed."))
        return redirect(session)
    form = SessionEditForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(by=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(session)
    return render(
        request,
        "congresses/session_form.html",
        {"form": form, "level_label": session.get_level_display(), "session": session},
    )


def _steps(user, session: Session) -> dict:
    """The buttons the page shows: each step the services allow this user now."""
    may_record = services.may_record(user, session)
    return {
        "may_record": may_record,
        "may_edit": may_record and session.status == SessionStatus.DRAFT,
        "may_declare": services.may_declare(user, session),
        "may_approve": services.may_approve(user, session),
        "may_attend": services.may_take_attendance(user, session),
        "may_close": services.may_take_attendance(user, session) and session.attendance_taken,
        "may_motion": services.may_add_motion(user, session),
        "may_resolve": services.may_resolve(user, session),
        "may_minutes": may_record and session.is_closed,
    }


@no_store
@require_GET
def session_detail(request, pk):
    session = _session(request, pk)
    user = request.user
    parts = selectors.session_detail(session=session)
    settings = CongressSettings.current()
    steps = _steps(user, session)
    for motion in parts["motions"]:
        motion.may_decide = (
            steps["may_record"] and not motion.decision and session.status != SessionStatus.FAILED
        )
    return render(
        request,
        "congresses/session_detail.html",
        {
            "session": session,
            **parts,
            **steps,
            "settings": settings,
            "quorum_met": services.quorum_met(session, settings),
            "approval_missing": services.approval_missing(session),
            "expected_now": None
            if session.attendance_taken
            else services.expected_attendees(session).count(),
            "return_form": ReturnForm(),
            "close_form": CloseForm(initial={"held_on": min(session.planned_on, _today())}),
            "photo_form": PhotoForm(),
        },
    )


def _today():
    return timezone.localdate()


def _step(request, session, run, done: str):
    try:
        run()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(session)


@require_POST
def session_declare(request, pk):
    session = _session(request, pk)
    if not Session.objects.may(request.user, DECLARE):
        raise PermissionDenied
    return _step(
        request,
        session,
        lambda: services.session_declare(by=request.user, session=session),
        _("The congress is declared to HQ for approval."),
    )


@require_POST
def session_approve(request, pk):
    session = _session(request, pk, APPROVE)
    return _step(
        request,
        session,
        lambda: services.session_approve(by=request.user, session=session),
        _("The congress is approved."),
    )


@no_store
@require_http_methods(["GET", "POST"])
def session_return(request, pk):
    session = _session(request, pk, APPROVE)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_return(by=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The congress is returned to the workshop union."))
            return redirect("congresses:approvals")
    return render(
        request, "congresses/step_form.html", _form_context(session, form, _("Return the congress"))
    )


@no_store
@require_GET
def approvals(request):
    require_reach(Session.objects.all(), request.user, APPROVE)
    return render(
        request,
        "congresses/approvals.html",
        {"sessions": list(selectors.approval_queue(request.user))},
    )


def _form_context(session, form, heading, **extra):
    return {"session": session, "form": form, "heading": heading, **extra}


@no_store
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    session = _recordable(request, pk)
    if not services.may_take_attendance(request.user, session):
        if services.approval_missing(session):
            messages.error(
                request, _("A workshop union's congress is held only after HQ has approved it.")
            )
        return redirect(session)
    form = AttendanceForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                by=request.user,
                session=session,
                present_ids=[m.pk for m in form.cleaned_data["present"]],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Attendance taken: %(present)s of %(expected)s present (%(rate)s%%).")
                % {
                    "present": session.present_count,
                    "expected": session.expected_count,
                    "rate": session.rate,
                },
            )
            return redirect(session)
    return render(
        request,
        "congresses/attendance.html",
        {
            "session": session,
            "form": form,
            "settings": CongressSettings.current(),
        },
    )


def _close(request, pk, service, done):
    session = _recordable(request, pk)
    form = CloseForm(request.POST)
    held_on = form.cleaned_data.get("held_on") if form.is_valid() else None
    return _step(
        request,
        session,
        lambda: service(by=request.user, session=session, held_on=held_on),
        done,
    )


@require_POST
def session_hold(request, pk):
    return _close(request, pk, services.session_hold, _("The session is recorded as held."))


@require_POST
def session_fail(request, pk):
    return _close(
        request, pk, services.session_fail, _("The session is recorded as failed (流会).")
    )


@no_store
@require_http_methods(["GET", "POST"])
def minutes(request, pk):
    session = _recordable(request, pk)
    form = MinutesForm(request.POST or None, initial={"minutes": session.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_save(by=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect(session)
    return render(request, "congresses/step_form.html", _form_context(session, form, _("Minutes")))


@require_POST
def photo_add(request, pk):
    session = _recordable(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo."))
        return redirect(session)
    return _step(
        request,
        session,
        lambda: services.photo_add(
            by=request.user, session=session, photo=form.cleaned_data["photo"]
        ),
        _("The photo is added."),
    )


@require_GET
def photo(request, pk):
    """A session's photo (or its thumbnail, ?size=thumb), for those who read the session."""
    record = scoped_object_or_404(
        SessionPhoto.objects.select_related("session"), request.user, VIEW, pk=pk
    )
    if request.GET.get("size") == "thumb" and record.thumbnail:
        return file_response(record.thumbnail, content_type="image/jpeg", inline=True)
    return file_response(record.photo, content_type=record.mime, inline=True)


@no_store
@require_http_methods(["GET", "POST"])
def motion_add(request, pk):
    session = _recordable(request, pk)
    if not services.may_add_motion(request.user, session):
        messages.error(request, _("A failed session takes no motions."))
        return redirect(session)
    form = MotionForm(request.POST or None, user=request.user, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.motion_add(by=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The motion is recorded."))
            return redirect(session)
    return render(
        request, "congresses/step_form.html", _form_context(session, form, _("Add a motion"))
    )


@no_store
@require_http_methods(["GET", "POST"])
def motion_decide(request, pk):
    motion = scoped_object_or_404(
        Motion.objects.select_related("session__workshop", "session__group", "proposer"),
        request.user,
        VIEW,
        pk=pk,
    )
    session = motion.session
    if not services.may_record(request.user, session):
        raise PermissionDenied
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.motion_decide(by=request.user, motion=motion, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The decision on the motion is recorded."))
            return redirect(session)
    return render(
        request,
        "congresses/step_form.html",
        _form_context(session, form, _("Decide the motion"), motion=motion),
    )


@no_store
@require_http_methods(["GET", "POST"])
def resolution_add(request, pk):
    session = _recordable(request, pk)
    if session.status != SessionStatus.HELD:
        messages.error(request, _("Resolutions are recorded only for a session that was held."))
        return redirect(session)
    form = ResolutionForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolution_add(by=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("The resolution is recorded and its follow-up (落实) is tracked.")
            )
            return redirect(session)
    return render(
        request,
        "congresses/step_form.html",
        _form_context(session, form, _("Add a resolution")),
    )


# Printables ------------------------------------------------------------


@no_store
@require_GET
def print_declaration(request, pk):
    """申报表 of a workshop union's congress (A4)."""
    session = _session(request, pk)
    if session.level != Level.WORKSHOP:
        raise Http404
    return render(
        request,
        "congresses/print_declaration.html",
        {
            "session": session,
            "expected": services.expected_attendees(session).count(),
            "representatives": Representative.objects.filter(term_id=session.term_id).count()
            if session.term_id
            else 0,
            "motions": list(session.motions.select_related("proposer")),
            "today": _today(),
        },
    )


@no_store
@require_GET
def print_minutes(request, pk):
    """The minutes with the sign-in sheet (签到表) (A4)."""
    session = _session(request, pk)
    parts = selectors.session_detail(session=session)
    return render(
        request,
        "congresses/print_minutes.html",
        {
            "session": session,
            **parts,
            "sheet": selectors.sign_in_sheet(session=session),
            "today": _today(),
        },
    )


# Terms ------------------------------------------------------------


@no_store
@require_GET
def term_list(request):
    user = request.user
    require_reach(Term.objects.all(), user, VIEW)
    return render(
        request,
        "congresses/term_list.html",
        {
            "terms": list(selectors.term_list(user=user)),
            "today": _today(),
            "creatable": [
                (value, label)
                for value, label in TERM_LEVELS
                if Term.objects.may(user, record_action(value))
            ],
        },
    )


@no_store
@require_http_methods(["GET", "POST"])
def term_create(request, level):
    level = _level(level)
    if level == Level.GROUP:
        raise Http404
    require_reach(Term.objects.all(), request.user, record_action(level))
    form = TermForm(request.POST or None, user=request.user, level=level)
    if request.method == "POST" and form.is_valid():
        try:
            term = services.term_create(by=request.user, level=level, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The term is recorded; add its representatives."))
            return redirect("congresses:term_detail", term.pk)
    return render(
        request,
        "congresses/term_form.html",
        {"form": form, "level_label": Level(level).label},
    )


def _term(request, pk) -> Term:
    return scoped_object_or_404(Term.objects.select_related("workshop"), request.user, VIEW, pk=pk)


@no_store
@require_GET
def term_detail(request, pk):
    term = _term(request, pk)
    may_change = allows(request.user, record_action(term.level), term)
    return render(
        request,
        "congresses/term_detail.html",
        {
            "term": term,
            **selectors.term_detail(term=term),
            "may_change": may_change,
            "delegation_form": DelegationForm(),
            "today": _today(),
            "sessions": list(term.sessions.order_by("-planned_on", "-pk")[:20]),
        },
    )


def _changeable_term(request, pk) -> Term:
    term = _term(request, pk)
    if not allows(request.user, record_action(term.level), term):
        raise PermissionDenied
    return term


@require_POST
def delegation_add(request, pk):
    term = _changeable_term(request, pk)
    form = DelegationForm(request.POST)
    if form.is_valid():
        try:
            services.delegation_add(by=request.user, term=term, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The delegation is added."))
    else:
        messages.error(request, _("Name the delegation."))
    return redirect("congresses:term_detail", term.pk)


@no_store
@require_http_methods(["GET", "POST"])
def representative_add(request, pk):
    term = _changeable_term(request, pk)
    form = RepresentativeForm(request.POST or None, user=request.user, term=term)
    if request.method == "POST" and form.is_valid():
        try:
            representative = services.representative_add(
                by=request.user, term=term, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is a representative of the term.")
                % {"name": representative.member.name},
            )
            if "another" in request.POST:
                return redirect("congresses:representative_add", term.pk)
            return redirect("congresses:term_detail", term.pk)
    return render(request, "congresses/representative_form.html", {"term": term, "form": form})
