"""The disclosure register: the list, one disclosure with its six steps, a form for each
step, the members' feedback (意见表) and its answers, the notice board and the printables."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import CHANGE, VIEW, allows, require_reach, scoped_object_or_404
from rectifications.selectors import rectifications_of
from unionhome.forms import apply_service_errors
from unionhome.pagination import paginate
from unionhome.tabular import xlsx_response
from unionhome.uploads import file_response
from welfare.views.common import address, no_store

from . import selectors, services
from .forms import AnswerForm, FeedbackForm, PostForm, ProposalForm, RectifyForm, ReviewForm
from .models import (
    ANSWER,
    AUTHORED,
    BOARD,
    FILE,
    IDENTITY,
    PROPOSE,
    RECORD,
    REVIEW,
    Disclosure,
    DisclosureSettings,
    Feedback,
    Status,
)

DETAIL_RELATED = ("workshop", "group__workshop", "category", "proposed_by", "reviewed_by")


def _disclosure(request, pk, action=VIEW):
    return scoped_object_or_404(
        Disclosure.objects.select_related(*DETAIL_RELATED), request.user, action, pk=pk
    )


def _feedback(request, pk, action=VIEW):
    return scoped_object_or_404(
        Feedback.objects.select_related(
            "disclosure__workshop", "disclosure__group__workshop", "disclosure__category"
        ),
        request.user,
        action,
        pk=pk,
    )


# The register -------------------------------------------------------------------------------


@require_GET
def disclosure_list(request):
    """The register: filters by level, category, status and quarter."""
    require_reach(Disclosure.objects.all(), request.user, VIEW)
    filterset = selectors.disclosure_list(user=request.user, params=request.GET)
    page, query = paginate(request, filterset.qs)
    return render(
        request,
        "disclosures/disclosure_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "disclosures": list(page),
            "may_propose": Disclosure.objects.may(request.user, PROPOSE),
            "may_board": Disclosure.objects.may(request.user, BOARD),
        },
    )


@require_GET
def board(request):
    """The notice board: what is posted now for the user as one of its audience, and — for
    a member's login — their own feedback forms and the answers."""
    require_reach(Disclosure.objects.all(), request.user, BOARD)
    is_member = Disclosure.objects.may(request.user, FILE)
    return render(
        request,
        "disclosures/board.html",
        {
            "disclosures": list(selectors.board(user=request.user)),
            "own_feedback": list(selectors.own_feedback(user=request.user)) if is_member else [],
            "is_member": is_member,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def disclosure_new(request):
    """提出: the 申报表 of a new disclosure."""
    require_reach(Disclosure.objects.all(), request.user, PROPOSE)
    form = ProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            disclosure = services.disclosure_propose(by=request.user, **form.service_args())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Proposed. It now waits for review."))
            return redirect("disclosures:detail", disclosure.pk)
    return render(request, "disclosures/disclosure_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def disclosure_edit(request, pk):
    """The disclosing office changes a proposal not yet reviewed or returned to it."""
    disclosure = _disclosure(request, pk, CHANGE)
    if disclosure.status not in (Status.PROPOSED, Status.RETURNED):
        messages.info(request, _("This disclosure can no longer be changed."))
        return redirect("disclosures:detail", pk)
    form = ProposalForm(request.POST or None, instance=disclosure)
    if request.method == "POST" and form.is_valid():
        data = form.service_args()
        disclosure.refresh_from_db()
        try:
            services.disclosure_update(by=request.user, disclosure=disclosure, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Saved. It now waits for review."))
            return redirect("disclosures:detail", pk)
    return render(
        request, "disclosures/disclosure_form.html", {"form": form, "disclosure": disclosure}
    )


@require_GET
@no_store
def disclosure_detail(request, pk):
    """One disclosure: its six steps as a progress line, the facts of each, the buttons of
    the steps the user may take, and its feedback without the authors' names."""
    disclosure = _disclosure(request, pk)
    steps = services.next_steps(request.user, disclosure)
    days = DisclosureSettings.current().answer_within_days
    feedback = list(selectors.feedback_rows(user=request.user, disclosure=disclosure, days=days))
    raised = rectifications_of(source_model=Feedback, source_ids=[f.pk for f in feedback])
    # The forms the user wrote themselves ("You"): the author's own reach, no query.
    own = Feedback.objects.scope(request.user, AUTHORED).member_ids
    office = allows(request.user, ANSWER, disclosure) if feedback else False
    rows = [
        {
            "feedback": f,
            "own": f.member_id in own,
            "due": f.answer_due(days),
            "rectification": raised.get(f.pk),
            "may_answer": office and f.answered_at is None,
            "may_rectify": office
            and f.answered_at is not None
            and f.pk not in raised
            and not disclosure.is_final,
        }
        for f in feedback
    ]
    return render(
        request,
        "disclosures/disclosure_detail.html",
        {
            "disclosure": disclosure,
            "progress": selectors.progress(disclosure),
            "steps": steps,
            "rows": rows,
            "may_identity": Feedback.objects.may(request.user, IDENTITY),
            "may_print": allows(request.user, CHANGE, disclosure)
            or allows(request.user, REVIEW, disclosure),
            "days": days,
        },
    )


@require_GET
def disclosure_photo(request, pk):
    """The photo of the posted notice (or its thumbnail, ?size=thumb)."""
    disclosure = scoped_object_or_404(Disclosure.objects.all(), request.user, VIEW, pk=pk)
    if request.GET.get("size") == "thumb":
        return file_response(disclosure.photo_thumb, content_type="image/jpeg", inline=True)
    return file_response(
        disclosure.photo, content_type=disclosure.photo_mime or "image/jpeg", inline=True
    )


# The steps ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def disclosure_review(request, pk):
    """审查: approve for posting, or return with a note."""
    disclosure = _disclosure(request, pk, REVIEW)
    if disclosure.status != Status.PROPOSED:
        messages.info(request, _("This disclosure is not waiting for review."))
        return redirect("disclosures:detail", pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.disclosure_review(
                by=request.user,
                disclosure=disclosure,
                approve=approve,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Approved for posting.") if approve else _("Returned to the disclosing office."),
            )
            return redirect("disclosures:detail", pk)
    return render(
        request,
        "disclosures/step_form.html",
        _step(disclosure, form, pgettext("disclosure", "Review"), False),
    )


def _step(disclosure, form, title, upload, **extra):
    return {"disclosure": disclosure, "form": form, "title": title, "upload": upload, **extra}


@require_http_methods(["GET", "POST"])
def disclosure_post(request, pk):
    """公开: where, from when until when, and a photo of the notice board."""
    disclosure = _disclosure(request, pk, CHANGE)
    if disclosure.status != Status.REVIEWED:
        messages.info(request, _("Only a reviewed disclosure can be posted."))
        return redirect("disclosures:detail", pk)
    form = PostForm(request.POST or None, request.FILES or None, disclosure=disclosure)
    if request.method == "POST" and form.is_valid():
        try:
            services.disclosure_post(by=request.user, disclosure=disclosure, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Posted. Employees may now give their feedback."))
            return redirect("disclosures:detail", pk)
    return render(
        request,
        "disclosures/step_form.html",
        _step(disclosure, form, _("Record the posting"), True),
    )


@require_POST
def disclosure_end_supervision(request, pk):
    disclosure = _disclosure(request, pk, CHANGE)
    try:
        services.disclosure_end_supervision(by=request.user, disclosure=disclosure)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The supervision period is over."))
    return redirect("disclosures:detail", pk)


@require_POST
def disclosure_close(request, pk):
    disclosure = _disclosure(request, pk, CHANGE)
    try:
        services.disclosure_close(by=request.user, disclosure=disclosure)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The disclosure is closed."))
    return redirect("disclosures:detail", pk)


# Feedback -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@no_store
def feedback_new(request, pk):
    """意见表: a member's own (phone first), or the paper form their leader records
    (?paper=1)."""
    disclosure = _disclosure(request, pk)
    paper = bool(request.GET.get("paper") or request.POST.get("paper"))
    if not allows(request.user, RECORD if paper else FILE, disclosure):
        raise PermissionDenied
    form = FeedbackForm(request.POST or None, user=request.user, paper=paper)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_file(
                by=request.user,
                disclosure=disclosure,
                text=form.cleaned_data["text"],
                member=form.cleaned_data.get("member"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Thank you. The disclosing office answers within %(days)s days.")
                % {"days": DisclosureSettings.current().answer_within_days},
            )
            if paper:
                return redirect("disclosures:detail", pk)
            return redirect("disclosures:board")
    return render(
        request,
        "disclosures/feedback_form.html",
        {"disclosure": disclosure, "form": form, "paper": paper},
    )


@require_http_methods(["GET", "POST"])
@no_store
def feedback_answer(request, pk):
    feedback = _feedback(request, pk, ANSWER)
    if feedback.answered_at is not None:
        messages.info(request, _("This feedback is already answered."))
        return redirect("disclosures:detail", feedback.disclosure_id)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_answer(by=request.user, feedback=feedback, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Answered."))
            return redirect("disclosures:detail", feedback.disclosure_id)
    return render(
        request,
        "disclosures/step_form.html",
        _step(feedback.disclosure, form, _("Answer the feedback"), False, feedback=feedback),
    )


@require_http_methods(["GET", "POST"])
@no_store
def feedback_rectify(request, pk):
    """整改: raise a rectification from an answered feedback."""
    feedback = _feedback(request, pk, ANSWER)
    if not services.may_raise_rectification(request.user, feedback):
        messages.info(request, _("Answer the feedback before raising a rectification from it."))
        return redirect("disclosures:detail", feedback.disclosure_id)
    form = RectifyForm(request.POST or None, feedback=feedback)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.feedback_rectify(
                by=request.user, feedback=feedback, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Rectification raised: %(title)s.") % {"title": item.title})
            return redirect("disclosures:detail", feedback.disclosure_id)
    return render(
        request,
        "disclosures/step_form.html",
        _step(feedback.disclosure, form, _("Raise a rectification"), False, feedback=feedback),
    )


@require_GET
@no_store
def feedback_identity(request, pk):
    """Who wrote a feedback form: HQ only; every look is logged."""
    feedback = _feedback(request, pk, IDENTITY)
    member = services.feedback_author(by=request.user, feedback=feedback, address=address(request))
    return render(
        request,
        "disclosures/feedback_identity.html",
        {"feedback": feedback, "author": member, "disclosure": feedback.disclosure},
    )


# Printables and export ------------------------------------------------------------------------


@require_GET
def disclosure_print(request, pk):
    """The 公开事项申报表 (A4)."""
    disclosure = _disclosure(request, pk)
    return render(
        request,
        "disclosures/disclosure_print.html",
        {"disclosure": disclosure, "today": timezone.localdate()},
    )


@require_GET
def feedback_blank(request, pk):
    """The blank 意见表 (A4) to lay out beside the notice."""
    disclosure = _disclosure(request, pk)
    return render(
        request,
        "disclosures/feedback_print.html",
        {"disclosure": disclosure, "feedback": None},
    )


@require_GET
@no_store
def feedback_print(request, pk):
    """A filled 意见表 with its answer (A4), without the author's name."""
    feedback = _feedback(request, pk)
    return render(
        request,
        "disclosures/feedback_print.html",
        {"disclosure": feedback.disclosure, "feedback": feedback},
    )


@require_GET
@no_store
def export(request):
    """The register as a workbook: one row per disclosure of the filtered list, and the
    feedback without its authors' names."""
    require_reach(Disclosure.objects.all(), request.user, VIEW)
    filterset = selectors.disclosure_list(user=request.user, params=request.GET)
    rows = [
        (
            d.number,
            d.get_level_display(),
            d.place,
            d.category.name,
            d.title,
            d.get_status_display(),
            d.proposed_by.name,
            d.reviewed_by.name if d.reviewed_by_id else "",
            d.posted_on,
            d.posted_until,
            d.posted_where,
            d.feedback_count,
            d.unanswered,
        )
        for d in filterset.qs
    ]
    return xlsx_response(
        filename="disclosures.xlsx",
        sheet_title=_("Disclosures"),
        headers=[
            pgettext("register number", "No."),
            _("Level"),
            _("Disclosed by"),
            _("Category"),
            _("Matter disclosed"),
            _("Status"),
            _("Proposed by"),
            _("Reviewed by"),
            _("Posted on"),
            pgettext("disclosure", "Posted until"),
            _("Posted where"),
            _("Feedback forms"),
            _("Not answered"),
        ],
        rows=rows,
    )
