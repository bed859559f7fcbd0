"""Welfare case pages: the list, an application, its steps, its papers, print and export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import VIEW, allows, require_reach
from unionhome.db import reads_from_replica
from unionhome.forms import apply_service_errors
from unionhome.history import history_for
from unionhome.pagination import paginate
from unionhome.params import year_param
from unionhome.templatetags.unionhome import yuan
from unionhome.uploads import file_response

from .. import selectors, services
from ..access import log_access
from ..exports import cases_export
from ..forms import STEP_FORMS, CaseForm, DocumentForm
from ..models import (
    APPLY,
    DETAILS,
    EXPORT,
    AccessLog,
    CaseDocument,
    CaseStatus,
    RequiredDocument,
    WelfareCase,
)
from .common import address, member_for

# What the user is told after each step: what was done, then what happens next and who acts.
STEP_DONE = {
    "workshop_review": gettext_lazy("Case %(number)s is reviewed by the workshop union."),
    "approve": gettext_lazy("Case %(number)s is approved."),
    "reject": gettext_lazy("Case %(number)s is rejected."),
    "pay": gettext_lazy("Case %(number)s: the payment is recorded."),
    "archive": gettext_lazy("Case %(number)s is archived."),
}
WHATS_NEXT = {
    CaseStatus.APPLIED: gettext_lazy(
        "It now waits for the review of %(workshop)s; the union's approval follows."
    ),
    CaseStatus.WORKSHOP_REVIEWED: gettext_lazy(
        "It now waits for the approval of the company union."
    ),
    CaseStatus.APPROVED: gettext_lazy(
        "%(amount)s is approved; the case now waits for the payment to be recorded."
    ),
    CaseStatus.PAID: gettext_lazy(
        "It now waits to be archived, once the receipt and papers are in the file."
    ),
    CaseStatus.ARCHIVED: gettext_lazy("Nothing more is to be done."),
    CaseStatus.REJECTED: gettext_lazy("The case is closed; the reason is recorded on it."),
}


def two_sentences(first, second) -> str:
    # Chinese runs sentences on without a space; English puts one between them.
    return pgettext("two sentences", "%(first)s %(second)s") % {"first": first, "second": second}


def whats_next(case) -> str:
    return WHATS_NEXT[case.status] % {
        "workshop": case.member.group.workshop.name if case.member.group_id else "",
        "amount": yuan(case.amount_approved),
    }


Log = AccessLog.Action


@require_GET
def case_list(request):
    user = request.user
    require_reach(WelfareCase.objects.all(), user, VIEW)
    case_filter = selectors.case_list(user=user, params=request.GET)
    page, query = paginate(request, case_filter.qs)
    shows_money = WelfareCase.objects.may(user, DETAILS)
    return render(
        request,
        "welfare/case_list.html",
        {
            "form": case_filter.form,
            "page": page,
            "rows": [(case, allows(user, DETAILS, case)) for case in page],
            "query": query,
            "totals": selectors.case_totals(case_filter.qs) if shows_money else None,
            "can_export": WelfareCase.objects.may(user, EXPORT),
            "can_apply": WelfareCase.objects.may(user, APPLY),
        },
    )


PICK_LIMIT = 20


@require_http_methods(["GET", "POST"])
def case_create(request):
    if request.method == "GET" and "member" not in request.GET:
        return _pick_member(request)
    member = member_for(request, APPLY, lambda m: WelfareCase(member=m))
    form = CaseForm(
        request.POST or None, instance=WelfareCase(member=member, filed_by=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(
                by=request.user,
                member=member,
                address=address(request),
                **form.service_arguments(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                two_sentences(
                    _("Application %(number)s is filed.") % {"number": case.number},
                    whats_next(case),
                ),
            )
            return redirect("welfare:case_detail", pk=case.pk)
    return render(request, "welfare/case_form.html", {"form": form, "member": member})


def _pick_member(request):
    """申请帮扶 from the case list: find the member first (name, employee no. or pinyin
    initials), among those the user may apply for."""
    require_reach(WelfareCase.objects.all(), request.user, APPLY)
    found = selectors.members_to_apply_for(user=request.user, params=request.GET)
    return render(
        request,
        "welfare/case_pick_member.html",
        {"form": found.form, "members": list(found.qs[:PICK_LIMIT]), "limit": PICK_LIMIT},
    )


def _case_page(request, case, *, bound_step=None, document_form=None):
    """`bound_step`: (step, its form with the user's input and errors), shown instead of
    that step's empty form."""
    # The details, the papers and the forms of the steps the user may take now are for
    # those who may see the details, and each such view is logged.
    user = request.user
    details = allows(user, DETAILS, case)
    forms = {}
    if details:
        log_access(
            user=user,
            action=Log.VIEW,
            record=case,
            summary=str(case.case_type),
            address=address(request),
        )
        forms = {
            step: STEP_FORMS[step](case=case)
            for step in services.case_next_steps(case=case, user=user)
        }
        if bound_step is not None:
            forms[bound_step[0]] = bound_step[1]
    documents = list(case.documents.all()) if details else []
    if document_form is None and details and services.case_may_add_papers(case=case, user=user):
        document_form = DocumentForm(case_type=case.case_type)
    return render(
        request,
        "welfare/case_detail.html",
        {
            "case": case,
            "details": details,
            "forms": forms,
            "checklist": services.checklist(case, documents, list(case.receipts.all()))
            if details
            else [],
            "documents": documents,
            "document_form": document_form,
            "can_receive_paper": details and services.case_may_receive_paper(case=case, user=user),
            "can_edit": details and services.case_may_amend(case=case, user=user),
            "history": history_for(user, case) if details else None,
            # Who acts next, said to those who see the case's details (it names the sum).
            "whats_next": whats_next(case) if details else "",
        },
    )


def _detailed_case(request, pk):
    """The case, for a page or a step that shows or changes its details."""
    case = selectors.case_detail(user=request.user, pk=pk)
    if not allows(request.user, DETAILS, case):
        raise PermissionDenied
    return case


@require_GET
def case_detail(request, pk):
    return _case_page(request, selectors.case_detail(user=request.user, pk=pk))


@require_POST
def case_step(request, pk, step):
    """Take a step of the workflow: the workshop's review, HQ's approval, payment, archive
    (pass or reject by the button pressed)."""
    case = _detailed_case(request, pk)
    if step not in services.case_next_steps(case=case, user=request.user):
        raise PermissionDenied
    form = STEP_FORMS[step](request.POST, case=case)
    if form.is_valid():
        data = {**form.cleaned_data}
        reject = "reject" in request.POST
        common = {
            "case": case,
            "by": request.user,
            "version": data.pop("version"),
            "address": address(request),
        }
        try:
            if step == "workshop_review":
                services.case_workshop_review(
                    approve=not reject,
                    comment=data["comment"],
                    amount_suggested=data["amount"],
                    **common,
                )
            elif step == "approve" and reject:
                services.case_reject(comment=data["comment"], **common)
            elif step == "approve":
                if data["amount_approved"] is None:
                    raise ValidationError({"amount_approved": _("Enter the amount approved.")})
                services.case_approve(**data, **common)
            else:
                service = services.case_pay if step == "pay" else services.case_archive
                service(**data, **common)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            case = WelfareCase.objects.get(pk=case.pk)
            done = STEP_DONE["reject" if case.status == CaseStatus.REJECTED else step] % {
                "number": case.number
            }
            messages.success(request, two_sentences(done, whats_next(case)))
            return redirect("welfare:case_detail", pk=case.pk)
    return _case_page(request, case, bound_step=(step, form))


@require_http_methods(["GET", "POST"])
def case_edit(request, pk):
    case = _detailed_case(request, pk)
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                case=case,
                by=request.user,
                version=form.cleaned_data["version"],
                address=address(request),
                **form.service_arguments(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The application is saved."))
            return redirect("welfare:case_detail", pk=case.pk)
    return render(
        request, "welfare/case_form.html", {"form": form, "member": case.member, "case": case}
    )


@require_POST
def case_document_add(request, pk):
    case = _detailed_case(request, pk)
    form = DocumentForm(request.POST, request.FILES, case_type=case.case_type)
    if form.is_valid():
        try:
            services.case_add_document(
                case=case,
                by=request.user,
                uploaded=form.cleaned_data["file"],
                requirement=form.cleaned_data["requirement"],
                address=address(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The document is added."))
            return redirect("welfare:case_detail", pk=case.pk)
    return _case_page(request, case, document_form=form)


@require_POST
def case_paper_received(request, pk, requirement_pk):
    case = selectors.case_detail(user=request.user, pk=pk)
    requirement = get_object_or_404(RequiredDocument, pk=requirement_pk)
    services.case_receive_paper(
        case=case, by=request.user, requirement=requirement, address=address(request)
    )
    return redirect("welfare:case_detail", pk=case.pk)


@require_GET
def case_document(request, pk):
    """A supporting document, for those who may see the case's details; logged."""
    document = get_object_or_404(
        CaseDocument.objects.restrict(request.user, DETAILS).select_related("case__member__group"),
        pk=pk,
    )
    log_access(
        user=request.user,
        action=Log.DOWNLOAD,
        record=document.case,
        summary=document.original_name,
        address=address(request),
    )
    return file_response(
        document.file,
        content_type=document.mime,
        filename=document.original_name,
        inline=document.kind == "image" or document.mime == "application/pdf",
        private_cache=False,
    )


@require_GET
def case_print(request, pk):
    case = _detailed_case(request, pk)
    log_access(user=request.user, action=Log.PRINT, record=case, address=address(request))
    return render(
        request,
        "welfare/case_print.html",
        {"case": case, "checklist": services.checklist(case), "today": timezone.localdate()},
    )


@reads_from_replica
@require_GET
def case_export(request):
    """The year's cases for reporting upward (上报): HQ welfare staff only, logged."""
    require_reach(WelfareCase.objects.all(), request.user, EXPORT)
    year = year_param(request.GET.get("year")) or timezone.localdate().year
    log_access(
        user=request.user,
        action=Log.EXPORT,
        target=f"cases-{year}",
        summary=_("welfare cases of %(year)s") % {"year": year},
        address=address(request),
    )
    return cases_export(user=request.user, year=year)
