"""Welfare case pages: the list (with putting cases into a payment batch), an
application, its steps, its papers (and 后补), its notice and objections, print and
export. Every page and export sends `Cache-Control: no-store, private` (no_store)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import VIEW, allows, require_reach
from unionhome.dates import day_label
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
from ..forms import (
    STEP_FORMS,
    BatchForm,
    BillFormSet,
    CaseForm,
    DocumentForm,
    ObjectionAnswerForm,
    ObjectionForm,
    WaiverForm,
)
from ..models import (
    APPLY,
    DETAILS,
    EXPORT,
    PAY,
    AccessLog,
    CaseDocument,
    CaseStatus,
    Objection,
    RequiredDocument,
    WelfareCase,
)
from ..services import payments, publicity, rules
from .common import address, member_for, no_store

# What the user is told after each step: what was done, then what happens next and who acts.
STEP_DONE = {
    "workshop_review": gettext_lazy("Case %(number)s is reviewed by the workshop union."),
    "approve": gettext_lazy("Case %(number)s is approved."),
    "reject": gettext_lazy("Case %(number)s is rejected."),
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
        "%(amount)s is approved; the union's welfare staff now put it into a payment batch, "
        "and the batch's closing records the payment."
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
    text = WHATS_NEXT[case.status] % {
        "workshop": case.member.group.workshop.name if case.member.group_id else "",
        "amount": yuan(case.amount_approved),
    }
    if case.status == CaseStatus.APPROVED:
        hold = publicity.payment_hold(case)
        if hold:
            text = two_sentences(text, hold)
    return text


Log = AccessLog.Action


@no_store
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
            # The type, the amounts and the days are details: a leader sees them only on
            # the cases they filed.
            "rows": [(case, allows(user, DETAILS, case)) for case in page],
            "query": query,
            "totals": selectors.case_totals(case_filter.qs) if shows_money else None,
            "can_export": WelfareCase.objects.may(user, EXPORT),
            "can_apply": WelfareCase.objects.may(user, APPLY),
            "batch_form": _batch_form(user) if WelfareCase.objects.may(user, PAY) else None,
        },
    )


BATCH_LIMIT = 200


def _batch_form(user, data=None):
    cases, batches = selectors.cases_to_pay(user=user, limit=BATCH_LIMIT)
    return BatchForm(data, cases=cases, batches=batches)


@no_store
@require_POST
def case_batch(request):
    """Put the ticked approved cases into an open batch of their fund, or a new one."""
    user = request.user
    require_reach(WelfareCase.objects.all(), user, PAY)
    form = _batch_form(user, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        cases = list(data["cases"])
        try:
            batch = payments.cases_put_in_batch(
                by=user,
                cases=cases,
                batch=data["batch"],
                fund=cases[0].fund if cases and not data["batch"] else None,
                method=data["method"],
                title=data["title"]
                or _("Assistance cases %(day)s") % {"day": timezone.localdate().isoformat()},
                address=address(request),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(count)s cases are in batch %(number)s.")
                % {"count": len(cases), "number": batch.number},
            )
            return redirect("funds:batch_detail", pk=batch.pk)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(reverse("welfare:case_list") + "#batch")


PICK_LIMIT = 20


@no_store
@require_http_methods(["GET", "POST"])
def case_create(request):
    if request.method == "GET" and "member" not in request.GET:
        return _pick_member(request)
    member = member_for(request, APPLY, lambda m: WelfareCase(member=m))
    instance = WelfareCase(member=member, filed_by=request.user)
    form = CaseForm(request.POST or None, instance=instance)
    bills = BillFormSet(request.POST or None, instance=instance, prefix="bills")
    if request.method == "POST" and form.is_valid() & bills.is_valid():
        try:
            case = services.case_create(
                by=request.user,
                member=member,
                address=address(request),
                bills=bills.rows(),
                **form.service_arguments(),
            )
        except ValidationError as error:
            _bill_errors(bills, error)
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                two_sentences(
                    _("Application %(number)s is filed.") % {"number": case.number},
                    whats_next(case),
                ),
            )
            if case.repeat_warning:
                messages.warning(request, case.repeat_warning)
            return redirect("welfare:case_detail", pk=case.pk)
    return render(
        request,
        "welfare/case_form.html",
        {"form": form, "bills": bills, "member": member, "bill_types": _bill_types()},
    )


def _bill_types() -> list[str]:
    from ..models import CaseType

    return list(
        CaseType.objects.filter(needs_medical_bills=True, is_active=True).values_list(
            "name", flat=True
        )
    )


def _bill_errors(bills, error) -> None:
    """The bills' own error goes above their table (the form has no such field)."""
    if hasattr(error, "error_dict") and "bills" in error.error_dict:
        bills._non_form_errors = bills.error_class(
            [m for e in error.error_dict.pop("bills") for m in e.messages]
        )


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


def _case_page(
    request,
    case,
    *,
    bound_step=None,
    document_form=None,
    waiver_form=None,
    objection_form=None,
    answer_form=None,
):
    """`bound_step`: (step, its form with the user's input and errors), shown instead of
    that step's empty form; the other bound forms likewise."""
    # The details, the papers and the forms of the steps the user may take now are for
    # those who may see the details, and each such view is logged.
    user = request.user
    details = allows(user, DETAILS, case)
    forms = {}
    context = {"case": case, "details": details, "today": timezone.localdate()}
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
        documents = list(case.documents.all())
        waivers = list(case.waivers.all())
        checklist = services.checklist(case, documents, list(case.receipts.all()), waivers)
        if document_form is None and services.case_may_add_papers(case=case, user=user):
            document_form = DocumentForm(case_type=case.case_type)
        missing = [str(r) for r, docs, receipt, _w in checklist if not docs and not receipt]
        if waiver_form is None and missing and services.case_may_waive(case=case, user=user):
            waiver_form = WaiverForm(case=case, missing=missing)
        notice = publicity.publicity_of(case)
        may_object = publicity.case_may_handle_objections(case=case, user=user)
        bills = list(case.bills.all())
        earlier = rules.repeat_of(
            case_type=case.case_type, member=case.member, applied_on=case.applied_on, exclude=case
        )
        context.update(
            forms=forms,
            checklist=checklist,
            documents=documents,
            document_form=document_form,
            waiver_form=waiver_form,
            can_receive_paper=services.case_may_receive_paper(case=case, user=user),
            can_edit=services.case_may_amend(case=case, user=user),
            history=history_for(user, case),
            # Who acts next, said to those who see the case's details (it names the sum).
            whats_next=whats_next(case),
            notice=notice,
            objections=list(notice.objections.all()) if notice else [],
            objection_form=objection_form or (ObjectionForm() if may_object else None),
            answer_form=answer_form or (ObjectionAnswerForm(case=case) if may_object else None),
            bills=bills,
            bill_amount=rules.case_bill_amount(case, bills),
            out_of_pocket=sum((b.out_of_pocket for b in bills), 0),
            repeat=rules.repeat_warning(case.case_type, earlier) if earlier else "",
            line=case.payment_line if payments.case_may_see_batch(case=case, user=user) else None,
        )
    return render(request, "welfare/case_detail.html", context)


def _detailed_case(request, pk):
    """The case, for a page or a step that shows or changes its details."""
    case = selectors.case_detail(user=request.user, pk=pk)
    if not allows(request.user, DETAILS, case):
        raise PermissionDenied
    return case


@no_store
@require_GET
def case_detail(request, pk):
    return _case_page(request, selectors.case_detail(user=request.user, pk=pk))


@no_store
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
                services.case_archive(**data, **common)
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


@no_store
@require_http_methods(["GET", "POST"])
def case_edit(request, pk):
    case = _detailed_case(request, pk)
    form = CaseForm(request.POST or None, instance=case)
    bills = BillFormSet(request.POST or None, instance=case, prefix="bills")
    if request.method == "GET":
        # The correction form shows the reasons and the bills: a read like the case page.
        log_access(user=request.user, action=Log.VIEW, record=case, address=address(request))
    if request.method == "POST" and form.is_valid() & bills.is_valid():
        try:
            services.case_update(
                case=case,
                by=request.user,
                version=form.cleaned_data["version"],
                address=address(request),
                bills=bills.rows() if case.case_type.needs_medical_bills else None,
                **form.service_arguments(),
            )
        except ValidationError as error:
            _bill_errors(bills, error)
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The application is saved."))
            return redirect("welfare:case_detail", pk=case.pk)
    return render(
        request,
        "welfare/case_form.html",
        {
            "form": form,
            "bills": bills if case.case_type.needs_medical_bills else None,
            "member": case.member,
            "case": case,
        },
    )


@no_store
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


@no_store
@require_POST
def case_paper_received(request, pk, requirement_pk):
    case = selectors.case_detail(user=request.user, pk=pk)
    requirement = get_object_or_404(RequiredDocument, pk=requirement_pk)
    try:
        services.case_receive_paper(
            case=case, by=request.user, requirement=requirement, address=address(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("welfare:case_detail", pk=case.pk)


@no_store
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
    response = file_response(
        document.file,
        content_type=document.mime,
        filename=document.original_name,
        inline=document.kind == "image" or document.mime == "application/pdf",
        private_cache=False,
    )
    # A PDF opened in the browser runs in a sandbox: no script, no form, no fetch.
    response["Content-Security-Policy"] = SANDBOX
    return response


SANDBOX = "sandbox; default-src 'none'"


@no_store
@require_GET
def case_print(request, pk):
    case = _detailed_case(request, pk)
    log_access(user=request.user, action=Log.PRINT, record=case, address=address(request))
    return render(
        request,
        "welfare/case_print.html",
        {"case": case, "checklist": services.checklist(case), "today": timezone.localdate()},
    )


@no_store
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


@no_store
@require_POST
def case_waive(request, pk):
    """后补: HQ's welfare staff let a required paper follow later."""
    case = _detailed_case(request, pk)
    if not services.case_may_waive(case=case, user=request.user):
        raise PermissionDenied
    form = WaiverForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.case_waive_paper(
                case=case, by=request.user, address=address(request), **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(paper)s may follow by %(day)s; the workshop may review the case.")
                % {
                    "paper": form.cleaned_data["requirement"].name,
                    "day": day_label(form.cleaned_data["due_on"], "date"),
                },
            )
            return redirect("welfare:case_detail", pk=case.pk)
    return _case_page(request, case, waiver_form=form)


@no_store
@require_POST
def objection_add(request, pk):
    """An objection to the case's notice, recorded by HQ's welfare staff as received."""
    case = _detailed_case(request, pk)
    if not publicity.case_may_handle_objections(case=case, user=request.user):
        raise PermissionDenied
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            publicity.objection_record(
                case=case, by=request.user, address=address(request), **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("The objection is recorded; the payment waits for its answer.")
            )
            return redirect("welfare:case_detail", pk=case.pk)
    return _case_page(request, case, objection_form=form)


@no_store
@require_POST
def objection_answer(request, pk, objection_pk):
    case = _detailed_case(request, pk)
    if not publicity.case_may_handle_objections(case=case, user=request.user):
        raise PermissionDenied
    objection = get_object_or_404(Objection, pk=objection_pk, publicity__case=case)
    form = ObjectionAnswerForm(request.POST, case=case)
    if form.is_valid():
        try:
            publicity.objection_answer(
                objection=objection,
                by=request.user,
                version=form.cleaned_data["version"],
                answer=form.cleaned_data["answer"],
                upheld=form.cleaned_data["upheld"],
                address=address(request),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The objection is upheld; the case is rejected.")
                if form.cleaned_data["upheld"]
                else _("The objection is answered."),
            )
            return redirect("welfare:case_detail", pk=case.pk)
    return _case_page(request, case, answer_form=form)
