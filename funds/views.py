"""The funds pages: the year's funds, payment batches (their bank workbook, their printed
签领表 and how they close), the yearly statement, and members' bank accounts. Every page
shows names and money, so none is kept in any cache."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import CHANGE, VIEW, allows, require_reach, scoped_object_or_404
from groups.models import Member
from unionhome import uploads
from unionhome.forms import apply_service_errors
from unionhome.network import client_address
from unionhome.params import year_param

from . import exports, selectors, services, signals
from .forms import (
    AccountForm,
    BatchOpenForm,
    BudgetForm,
    CloseByTransferForm,
    IncomeForm,
    UploadSheetForm,
)
from .models import (
    SHEET,
    BankAccount,
    BatchStatus,
    FundBudget,
    FundIncome,
    LineKind,
    PaymentBatch,
    PaymentLine,
    mask_account,
)
from .money import capital_yuan


def no_store(view):
    """`Cache-Control: no-store, private` on whatever the view answers: funds pages and
    workbooks carry names, amounts and accounts."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


def _logged(request, action: str, *, record=None, target: str = "", summary="") -> None:
    """Tell the access log (welfare listens) that the user read welfare details here."""
    signals.details_accessed.send(
        sender=PaymentBatch if record is None else type(record),
        user=request.user,
        action=action,
        record=record,
        target=target,
        summary=str(summary),
        address=client_address(request),
    )


def _year(request) -> int:
    return year_param(request.GET.get("year")) or timezone.localdate().year


def _years(year: int) -> list[int]:
    this = timezone.localdate().year
    return sorted({this + 1, this, this - 1, this - 2, year}, reverse=True)


# The funds of a year ---------------------------------------------------------------------


@no_store
@require_GET
def overview(request):
    """Each fund's budget, income, promised, paid and available money for the year."""
    require_reach(FundBudget.objects.all(), request.user, VIEW)
    year = _year(request)
    statement = selectors.fund_statement(year=year)
    incomes = (
        FundIncome.objects.restrict(request.user, VIEW)
        .filter(year=year)
        .select_related("fund", "by")
        .order_by("-received_on", "-pk")[:50]
    )
    return render(
        request,
        "funds/overview.html",
        {
            "year": year,
            "years": _years(year),
            "statement": statement,
            "incomes": incomes,
            "may_change": FundBudget.objects.may(request.user, CHANGE),
        },
    )


@no_store
@require_http_methods(["GET", "POST"])
def budget_edit(request):
    """HQ sets a fund's budget for the year."""
    require_reach(FundBudget.objects.all(), request.user, CHANGE)
    year = _year(request)
    form = BudgetForm(request.POST or None, initial={"fund": request.GET.get("fund")})
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_set(by=request.user, year=year, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The budget is saved."))
            return redirect(reverse("funds:overview") + f"?year={year}")
    return render(
        request,
        "funds/form.html",
        {
            "form": form,
            "title": _("Budget for %(year)s") % {"year": year},
            "back": reverse("funds:overview") + f"?year={year}",
            "submit": _("Save the budget"),
        },
    )


@no_store
@require_http_methods(["GET", "POST"])
def income_create(request):
    """HQ records money received into a fund."""
    require_reach(FundIncome.objects.all(), request.user, CHANGE)
    year = _year(request)
    form = IncomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_income(by=request.user, year=year, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The income is recorded."))
            return redirect(reverse("funds:overview") + f"?year={year}")
    return render(
        request,
        "funds/form.html",
        {
            "form": form,
            "title": _("Income of %(year)s") % {"year": year},
            "back": reverse("funds:overview") + f"?year={year}",
            "submit": _("Record the income"),
        },
    )


# Batches ---------------------------------------------------------------------------------


@no_store
@require_GET
def batch_list(request):
    require_reach(PaymentBatch.objects.all(), request.user, VIEW)
    status = request.GET.get("status", "")
    if status not in BatchStatus.values:
        status = ""
    year = year_param(request.GET.get("year"))
    batches = list(selectors.batch_list(user=request.user, status=status, year=year)[:200])
    may_open = PaymentBatch.objects.may(request.user, CHANGE)
    return render(
        request,
        "funds/batch_list.html",
        {
            "batches": batches,
            "status": status,
            "statuses": BatchStatus.choices,
            "open_form": BatchOpenForm() if may_open else None,
            "may_see_funds": FundBudget.objects.may(request.user, VIEW),
        },
    )


@no_store
@require_POST
def batch_open(request):
    require_reach(PaymentBatch.objects.all(), request.user, CHANGE)
    form = BatchOpenForm(request.POST)
    if form.is_valid():
        try:
            batch = services.batch_open(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Batch %(number)s is open.") % {"number": batch.number})
            return redirect("funds:batch_detail", batch.pk)
    return render(
        request,
        "funds/form.html",
        {
            "form": form,
            "title": _("Open a payment batch"),
            "back": reverse("funds:batch_list"),
            "submit": _("Open the batch"),
            "action": reverse("funds:batch_open"),
        },
    )


def _batch(request, pk, action=VIEW):
    return scoped_object_or_404(
        PaymentBatch.objects.select_related("fund", "workshop", "created_by", "closed_by"),
        request.user,
        action,
        pk=pk,
    )


def _batch_page(request, batch, **forms):
    lines = selectors.batch_lines(batch)
    total = sum((line.amount for line in lines), 0)
    may_change = batch.is_open and allows(request.user, CHANGE, batch)
    may_sheet = allows(request.user, SHEET, batch)
    context = {
        "batch": batch,
        "lines": lines,
        "total": total,
        "total_words": capital_yuan(total),
        "missing_accounts": [line for line in lines if not line.account_no],
        "may_change": may_change,
        "may_sheet": may_sheet,
        "may_workbook": batch.is_bank and allows(request.user, CHANGE, batch),
        "may_accounts": BankAccount.objects.may(request.user, CHANGE),
        "close_form": None,
        "upload_form": None,
    }
    if batch.is_open and lines:
        if batch.is_bank and may_change:
            context["close_form"] = forms.get("close_form") or CloseByTransferForm(
                initial={"version": batch.version}
            )
        elif not batch.is_bank and may_sheet:
            context["upload_form"] = forms.get("upload_form") or UploadSheetForm(
                initial={"version": batch.version}
            )
    return render(request, "funds/batch_detail.html", context)


@no_store
@require_GET
def batch_detail(request, pk):
    batch = _batch(request, pk)
    _logged(request, "view", target=batch.number, summary=_("payment batch"))
    return _batch_page(request, batch)


@no_store
@require_POST
def line_remove(request, pk, line_pk):
    batch = _batch(request, pk, CHANGE)
    line = PaymentLine.objects.filter(batch=batch, pk=line_pk).first()
    if line is None:
        raise Http404
    try:
        services.batch_remove_line(by=request.user, line=line)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s is taken out of the batch.") % {"name": line.member.name}
        )
    return redirect("funds:batch_detail", batch.pk)


@no_store
@require_GET
def batch_workbook(request, pk):
    """The bank's batch-transfer workbook: full account numbers, so HQ only."""
    batch = _batch(request, pk, CHANGE)
    if not batch.is_bank:
        raise Http404
    layout = exports.default_layout()
    if layout is None:
        raise Http404
    _logged(request, "export", target=batch.number, summary=_("bank workbook"))
    return exports.bank_workbook(batch=batch, lines=selectors.batch_lines(batch), layout=layout)


@no_store
@require_GET
def batch_sheet(request, pk):
    """The printable 签领表: every payee signs for their money."""
    batch = _batch(request, pk, SHEET)
    _logged(request, "print", target=batch.number, summary=_("Payment signature sheet"))
    lines = selectors.batch_lines(batch)
    total = sum((line.amount for line in lines), 0)
    return render(
        request,
        "funds/batch_sheet.html",
        {
            "batch": batch,
            "lines": lines,
            "total": total,
            "total_words": capital_yuan(total),
            "today": timezone.localdate(),
        },
    )


@no_store
@require_POST
def batch_close_transfer(request, pk):
    batch = _batch(request, pk, CHANGE)
    form = CloseByTransferForm(request.POST)
    if form.is_valid():
        try:
            services.batch_close_by_transfer(by=request.user, batch=batch, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The batch is paid and closed."))
            return redirect("funds:batch_detail", batch.pk)
    return _batch_page(request, batch, close_form=form)


@no_store
@require_POST
def batch_upload_sheet(request, pk):
    batch = _batch(request, pk, SHEET)
    form = UploadSheetForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.batch_close_by_signed_sheet(
                by=request.user,
                batch=batch,
                version=form.cleaned_data["version"],
                paid_on=form.cleaned_data["paid_on"],
                uploaded=form.cleaned_data["uploaded"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The signed sheet is on file; the batch is closed."))
            return redirect("funds:batch_detail", batch.pk)
    return _batch_page(request, batch, upload_form=form)


@no_store
@require_GET
def signed_sheet(request, pk):
    batch = _batch(request, pk, SHEET)
    if not batch.signed_sheet:
        raise Http404
    _logged(request, "download", target=batch.number, summary=_("Signed sheet"))
    response = uploads.file_response(
        batch.signed_sheet,
        content_type=batch.signed_sheet_mime,
        filename=batch.signed_sheet_name,
        inline=True,
        private_cache=False,
    )
    if batch.signed_sheet_mime == uploads.PDF.mime:
        # A PDF may carry scripts and forms: the browser shows it with none of them running.
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# The statement ---------------------------------------------------------------------------


@no_store
@require_GET
def statement(request):
    """The yearly 收支 statement, on screen and printable."""
    require_reach(FundBudget.objects.all(), request.user, VIEW)
    year = _year(request)
    return render(
        request,
        "funds/statement.html",
        {
            "statement": selectors.fund_statement(year=year),
            "kinds": dict(LineKind.choices),
            "year": year,
            "years": _years(year),
            "today": timezone.localdate(),
        },
    )


@no_store
@require_GET
def statement_export(request):
    require_reach(FundBudget.objects.all(), request.user, VIEW)
    return exports.statement_workbook(selectors.fund_statement(year=_year(request)))


# Bank accounts ---------------------------------------------------------------------------


def _back(url) -> str:
    """Where to go back to after entering an account: a funds page of this site only."""
    url = str(url or "")
    if url.startswith("/funds/") and "//" not in url and "\\" not in url and ":" not in url:
        return url
    return ""


@no_store
@require_http_methods(["GET", "POST"])
def account(request, member_pk):
    """A member's bank account, entered by HQ welfare staff or the member's workshop union;
    shown masked, the full number is asked for again to change it."""
    require_reach(BankAccount.objects.all(), request.user, CHANGE)
    member = scoped_object_or_404(
        Member.objects.select_related("group__workshop"), request.user, VIEW, pk=member_pk
    )
    current = BankAccount.objects.filter(member=member).first()
    if not allows(request.user, CHANGE, current or BankAccount(member=member)):
        raise PermissionDenied
    initial = {"account_name": member.name}
    if current:
        initial = {"account_name": current.account_name, "bank": current.bank}
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_save(
                by=request.user,
                member=member,
                address=client_address(request),
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The bank account is saved."))
            back = _back(request.POST.get("next"))
            return redirect(back) if back else redirect("funds:account", member.pk)
    if current is not None:
        _logged(request, "view", record=current, summary=_("bank account"))
    open_lines = PaymentLine.objects.filter(
        member=member, batch__status=BatchStatus.OPEN
    ).aggregate(count=Count("pk"), total=Sum("amount"))
    return render(
        request,
        "funds/account.html",
        {
            "member": member,
            "current": current,
            "masked": mask_account(current.account_no) if current else "",
            "form": form,
            "next": _back(request.GET.get("next")),
            "open_lines": open_lines,
        },
    )
