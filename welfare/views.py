"""Welfare pages. Views translate HTTP to selector and service calls; every view of
sensitive details is written to the access log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import CHANGE, VIEW, Reach, allows, require_reach, scoped_object_or_404
from groups.models import Member, UnionGroup, WorkshopUnion
from unionhome.db import reads_from_replica
from unionhome.history import history_for
from unionhome.pagination import paginate

from . import selectors, services
from .access import case_details_visible, log_access
from .exports import archive_export, cases_export
from .forms import (
    ApprovalForm,
    ArchiveForm,
    CaseFilterForm,
    CaseForm,
    DocumentForm,
    HardshipExitForm,
    HardshipForm,
    HardshipReviewForm,
    IdSearchForm,
    PaymentForm,
    VisitForm,
    WorkshopReviewForm,
)
from .models import (
    APPLY,
    DETAILS,
    EXPORT,
    HQ_APPROVE,
    PAY,
    WORKSHOP_REVIEW,
    AccessLog,
    CaseDocument,
    CaseStatus,
    HardshipRecord,
    HardshipStatus,
    RequiredDocument,
    VisitKind,
    WelfareCase,
)

Log = AccessLog.Action


def _apply_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _member_from_query(request, action, queryset_model):
    """The member named by ?member= (or the posted member), within the user's reach."""
    value = request.GET.get("member") or request.POST.get("member")
    if not value or not str(value).isdigit():
        raise Http404
    member = scoped_object_or_404(
        Member.objects.select_related("group__workshop"), request.user, VIEW, pk=int(value)
    )
    probe = queryset_model(member=member)
    if not allows(request.user, action, probe):
        raise PermissionDenied
    return member


# Cases -----------------------------------------------------------------------------------


@require_GET
def case_list(request):
    user = request.user
    require_reach(WelfareCase.objects.all(), user, VIEW)
    form = CaseFilterForm(
        request.GET or None,
        workshops=WorkshopUnion.objects.restrict(user),
        statuses=CaseStatus.choices,
    )
    cases = selectors.case_list(user=user)
    if form.is_valid():
        data = form.cleaned_data
        if data["case_type"]:
            cases = cases.filter(case_type=data["case_type"])
        if data["status"]:
            cases = cases.filter(status=data["status"])
        if data["year"]:
            cases = cases.filter(applied_on__year=data["year"])
        if data["start"]:
            cases = cases.filter(applied_on__gte=data["start"])
        if data["end"]:
            cases = cases.filter(applied_on__lte=data["end"])
        if data["workshop"]:
            cases = cases.filter(member__group__workshop=data["workshop"])
        if data["q"]:
            q = data["q"].strip()
            cases = cases.filter(
                Q(member__name__contains=q) | Q(member__employee_no=q) | Q(number__iexact=q)
            )
    page, query = paginate(request, cases)
    shows_money = WelfareCase.objects.reach(user, DETAILS) is not Reach.NONE
    rows = [(case, case_details_visible(user, case)) for case in page]
    return render(
        request,
        "welfare/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query,
            "totals": selectors.case_totals(cases) if shows_money else None,
            "can_export": WelfareCase.objects.reach(user, EXPORT) is not Reach.NONE,
        },
    )


@require_http_methods(["GET", "POST"])
def case_create(request):
    member = _member_from_query(request, APPLY, WelfareCase)
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_create(
                by=request.user,
                member=member,
                case_type=data["case_type"],
                applied_on=data["applied_on"],
                reason=data["reason"],
                situation=data["situation"],
                amount_requested=data["amount_requested"],
                fund_source=data["fund_source"],
                request=request,
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Application %(number)s is filed.") % {"number": case.number}
            )
            return redirect("welfare:case_detail", pk=case.pk)
    return render(request, "welfare/case_form.html", {"form": form, "member": member})


def _step_forms(user, case, data=None, step=None):
    """The forms for the steps this user may take on this case now."""
    forms = {}
    own = case.filed_by_id == user.pk
    if case.status == CaseStatus.APPLIED and allows(user, WORKSHOP_REVIEW, case) and not own:
        forms["workshop_review"] = WorkshopReviewForm(
            data if step == "workshop_review" else None,
            initial={"version": case.version, "amount": case.amount_requested},
        )
    if case.status == CaseStatus.WORKSHOP_REVIEWED and allows(user, HQ_APPROVE, case) and not own:
        forms["approve"] = ApprovalForm(
            data if step == "approve" else None,
            initial={
                "version": case.version,
                "fund_source": case.fund_source,
                "amount_approved": case.amount_suggested or case.amount_requested,
            },
        )
    if case.status == CaseStatus.APPROVED and allows(user, PAY, case):
        forms["pay"] = PaymentForm(
            data if step == "pay" else None,
            initial={"version": case.version, "amount_paid": case.amount_approved},
        )
    if case.status == CaseStatus.PAID and allows(user, PAY, case):
        forms["archive"] = ArchiveForm(
            data if step == "archive" else None, initial={"version": case.version}
        )
    return forms


def _case_page(request, case, forms=None, document_form=None, status=200):
    user = request.user
    details = case_details_visible(user, case)
    if details:
        log_access(
            user=user,
            action=Log.VIEW,
            target=case.number,
            member=case.member,
            summary=str(case.case_type),
            request=request,
        )
    documents = list(case.documents.all())
    can_add_documents = (
        details and services._may_handle_papers(user, case) and (case.status != CaseStatus.ARCHIVED)
    )
    return render(
        request,
        "welfare/case_detail.html",
        {
            "case": case,
            "details": details,
            "forms": forms if forms is not None else (_step_forms(user, case) if details else {}),
            "checklist": services.checklist(case, documents, list(case.receipts.all()))
            if details
            else [],
            "documents": documents if details else [],
            "document_form": document_form
            or (DocumentForm(case_type=case.case_type) if can_add_documents else None),
            "can_receive_paper": details
            and (allows(user, WORKSHOP_REVIEW, case) or allows(user, PAY, case)),
            "can_edit": details
            and case.status == CaseStatus.APPLIED
            and (case.filed_by_id == user.pk or allows(user, CHANGE, case)),
            "history": history_for(user, case) if details else None,
        },
        status=status,
    )


@require_GET
def case_detail(request, pk):
    case = selectors.case_detail(user=request.user, pk=pk)
    return _case_page(request, case)


STEPS = {
    "workshop_review": WorkshopReviewForm,
    "approve": ApprovalForm,
    "pay": PaymentForm,
    "archive": ArchiveForm,
}


@require_POST
def case_step(request, pk, step):
    """Take a step of the workflow: the workshop's review, HQ's approval, payment, archive
    (approve or reject by the button pressed)."""
    case = selectors.case_detail(user=request.user, pk=pk)
    if not case_details_visible(request.user, case):
        raise PermissionDenied
    forms = _step_forms(request.user, case, request.POST, step)
    form = forms.get(step)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        data = form.cleaned_data
        reject = "reject" in request.POST
        common = {"case": case, "by": request.user, "version": data["version"], "request": request}
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
                services.case_approve(
                    amount_approved=data["amount_approved"],
                    fund_source=data["fund_source"],
                    over_limit_reason=data["over_limit_reason"],
                    comment=data["comment"],
                    **common,
                )
            elif step == "pay":
                services.case_pay(
                    amount_paid=data["amount_paid"],
                    paid_on=data["paid_on"],
                    payment_method=data["payment_method"],
                    voucher_no=data["voucher_no"],
                    comment=data["comment"],
                    **common,
                )
            else:
                services.case_archive(comment=data["comment"], **common)
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("Case %(number)s: done.") % {"number": case.number})
            return redirect("welfare:case_detail", pk=case.pk)
    return _case_page(request, case, forms=forms, status=200)


@require_http_methods(["GET", "POST"])
def case_edit(request, pk):
    case = selectors.case_detail(user=request.user, pk=pk)
    if not case_details_visible(request.user, case):
        raise PermissionDenied
    form = CaseForm(
        request.POST or None,
        editing=True,
        initial={
            "amount_requested": case.amount_requested,
            "reason": case.reason,
            "situation": case.situation,
            "fund_source": case.fund_source,
            "version": case.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_update(
                case=case,
                by=request.user,
                version=data["version"],
                reason=data["reason"],
                situation=data["situation"],
                amount_requested=data["amount_requested"],
                fund_source=data["fund_source"],
                request=request,
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("The application is saved."))
            return redirect("welfare:case_detail", pk=case.pk)
    return render(
        request, "welfare/case_form.html", {"form": form, "member": case.member, "case": case}
    )


@require_POST
def case_document_add(request, pk):
    case = selectors.case_detail(user=request.user, pk=pk)
    if not case_details_visible(request.user, case):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES, case_type=case.case_type)
    if form.is_valid():
        try:
            services.case_add_document(
                case=case,
                by=request.user,
                uploaded=form.cleaned_data["file"],
                requirement=form.cleaned_data["requirement"],
                request=request,
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("The document is added."))
            return redirect("welfare:case_detail", pk=case.pk)
    return _case_page(request, case, document_form=form)


@require_POST
def case_paper_received(request, pk, requirement_pk):
    case = selectors.case_detail(user=request.user, pk=pk)
    requirement = get_object_or_404(RequiredDocument, pk=requirement_pk)
    services.case_receive_paper(
        case=case, by=request.user, requirement=requirement, request=request
    )
    return redirect("welfare:case_detail", pk=case.pk)


@require_GET
def case_document(request, pk):
    """A supporting document, for those who may see the case's details; logged."""
    document = get_object_or_404(
        CaseDocument.objects.select_related("case__member__group", "case__filed_by"), pk=pk
    )
    if not case_details_visible(request.user, document.case):
        raise Http404
    log_access(
        user=request.user,
        action=Log.DOWNLOAD,
        target=document.case.number,
        member=document.case.member,
        summary=document.original_name,
        request=request,
    )
    inline = document.kind == "image" or document.mime == "application/pdf"
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.mime,
        as_attachment=not inline,
        filename=document.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def case_print(request, pk):
    case = selectors.case_detail(user=request.user, pk=pk)
    if not case_details_visible(request.user, case):
        raise PermissionDenied
    log_access(
        user=request.user, action=Log.PRINT, target=case.number, member=case.member, request=request
    )
    return render(
        request,
        "welfare/case_print.html",
        {
            "case": case,
            "checklist": services.checklist(case),
            "today": timezone.localdate(),
        },
    )


@reads_from_replica
@require_GET
def case_export(request):
    """The year's cases for reporting upward (上报): HQ welfare staff only, logged."""
    require_reach(WelfareCase.objects.all(), request.user, EXPORT)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    log_access(
        user=request.user,
        action=Log.EXPORT,
        target=f"cases-{year}",
        summary=_("welfare cases of %(year)s") % {"year": year},
        request=request,
    )
    return cases_export(year)


# Hardship archive ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def archive_list(request):
    user = request.user
    require_reach(HardshipRecord.objects.all(), user, VIEW)
    records = selectors.archive_list(user=user)
    status = request.GET.get("status", "active")
    if status in HardshipStatus.values:
        records = records.filter(status=status)
    if request.GET.get("due"):
        records = selectors.reviews_due(records)
    if request.GET.get("workshop", "").isdigit():
        records = records.filter(member__group__workshop_id=int(request.GET["workshop"]))
    member = None
    if request.GET.get("member", "").isdigit():
        member = scoped_object_or_404(
            Member.objects.all(), user, VIEW, pk=int(request.GET["member"])
        )
        records = selectors.archive_list(user=user).filter(member=member)
    search = IdSearchForm(request.POST or None)
    if request.method == "POST" and search.is_valid():
        number = search.cleaned_data["id_number"]
        records = selectors.archive_list(user=user).filter(id_number=number)
        log_access(
            user=user,
            action=Log.SEARCH,
            target="archive",
            summary=number[:6] + "…",
            request=request,
        )
    page, query = paginate(request, records)
    return render(
        request,
        "welfare/archive_list.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "due": bool(request.GET.get("due")),
            "search": search,
            "member": member,
            "due_count": selectors.reviews_due(selectors.archive_list(user=user)).count(),
            "workshops": WorkshopUnion.objects.restrict(user),
            "can_export": HardshipRecord.objects.reach(user, EXPORT) is not Reach.NONE,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def archive_create(request):
    member = _member_from_query(request, CHANGE, HardshipRecord)
    form = HardshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.hardship_open(
                by=request.user, member=member, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s is entered into the hardship archive.") % {"name": member.name}
            )
            return redirect("welfare:archive_detail", pk=record.pk)
    return render(request, "welfare/archive_form.html", {"form": form, "member": member})


def _archive_page(request, record, review_form=None, exit_form=None):
    log_access(
        user=request.user,
        action=Log.VIEW,
        target=record.log_target,
        member=record.member,
        request=request,
    )
    active = record.status == HardshipStatus.ACTIVE
    can_change = active and allows(request.user, CHANGE, record)
    return render(
        request,
        "welfare/archive_detail.html",
        {
            "record": record,
            "review_form": review_form
            or (HardshipReviewForm(initial={"level": record.level}) if can_change else None),
            "exit_form": exit_form or (HardshipExitForm() if can_change else None),
            "can_change": can_change,
            "cases": WelfareCase.objects.filter(member=record.member).select_related("case_type"),
            "history": history_for(request.user, record),
        },
    )


@require_GET
def archive_detail(request, pk):
    return _archive_page(request, selectors.archive_detail(user=request.user, pk=pk))


@require_http_methods(["GET", "POST"])
def archive_edit(request, pk):
    record = selectors.archive_detail(user=request.user, pk=pk)
    if not allows(request.user, CHANGE, record) or record.status != HardshipStatus.ACTIVE:
        raise PermissionDenied
    form = HardshipForm(
        request.POST or None,
        editing=True,
        initial={
            "id_number": record.id_number,
            "household_size": record.household_size,
            "household_income": record.household_income,
            "causes": record.causes,
            "household_situation": record.household_situation,
            "health": record.health,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.hardship_update(
                record=record, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("The archive record is saved."))
            return redirect("welfare:archive_detail", pk=record.pk)
    return render(
        request,
        "welfare/archive_form.html",
        {"form": form, "member": record.member, "record": record},
    )


@require_POST
def archive_review(request, pk):
    record = selectors.archive_detail(user=request.user, pk=pk)
    form = HardshipReviewForm(request.POST)
    if form.is_valid():
        try:
            services.hardship_review(
                record=record, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("The yearly review is recorded."))
            return redirect("welfare:archive_detail", pk=record.pk)
    return _archive_page(request, record, review_form=form)


@require_POST
def archive_exit(request, pk):
    record = selectors.archive_detail(user=request.user, pk=pk)
    form = HardshipExitForm(request.POST)
    if form.is_valid():
        try:
            services.hardship_exit(
                record=record, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s has left the hardship archive.") % {"name": record.member.name}
            )
            return redirect("welfare:archive_detail", pk=record.pk)
    return _archive_page(request, record, exit_form=form)


@require_GET
def archive_print(request, pk):
    record = selectors.archive_detail(user=request.user, pk=pk)
    log_access(
        user=request.user,
        action=Log.PRINT,
        target=record.log_target,
        member=record.member,
        request=request,
    )
    return render(
        request,
        "welfare/archive_print.html",
        {
            "record": record,
            "today": timezone.localdate(),
            "cases": WelfareCase.objects.filter(member=record.member).select_related("case_type"),
        },
    )


@reads_from_replica
@require_GET
def archive_export_view(request):
    require_reach(HardshipRecord.objects.all(), request.user, EXPORT)
    log_access(
        user=request.user,
        action=Log.EXPORT,
        target="archive",
        summary=_("hardship archive"),
        request=request,
    )
    return archive_export()


# Care ------------------------------------------------------------------------------------


@require_GET
def care(request, pk):
    """A group's care work (祝贺生日到班组): birthdays ahead, members not visited for long."""
    group = scoped_object_or_404(
        UnionGroup.objects.select_related("workshop"), request.user, VIEW, pk=pk
    )
    require_reach(Member.objects.all(), request.user, VIEW)
    page = selectors.care_page(group=group)
    return render(
        request,
        "welfare/care.html",
        {"group": group, "page": page, "can_record": allows(request.user, CHANGE, group)},
    )


@require_http_methods(["GET", "POST"])
def visit_create(request):
    value = request.GET.get("member") or request.POST.get("member")
    if not value or not str(value).isdigit():
        raise Http404
    member = scoped_object_or_404(
        Member.objects.select_related("group__workshop"), request.user, CHANGE, pk=int(value)
    )
    initial = {"visitors": request.user.name}
    if request.GET.get("kind") in VisitKind.values:
        initial["kind"] = request.GET["kind"]
    form = VisitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(by=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(
                request, _("The visit to %(name)s is recorded.") % {"name": member.name}
            )
            return redirect("welfare:care", pk=member.group_id)
    return render(request, "welfare/visit_form.html", {"form": form, "member": member})


# Access log ------------------------------------------------------------------------------


@require_GET
def access_log(request):
    """The access log, for HQ welfare staff: read-only, newest first."""
    require_reach(HardshipRecord.objects.all(), request.user, EXPORT)
    entries = AccessLog.objects.select_related("user", "member")
    if request.GET.get("member", "").isdigit():
        entries = entries.filter(member_id=int(request.GET["member"]))
    if request.GET.get("user", "").isdigit():
        entries = entries.filter(user_id=int(request.GET["user"]))
    if request.GET.get("action") in AccessLog.Action.values:
        entries = entries.filter(action=request.GET["action"])
    page, query = paginate(request, entries)
    return render(
        request,
        "welfare/access_log.html",
        {"page": page, "query": query, "actions": AccessLog.Action.choices},
    )
