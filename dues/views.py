"""The dues pages. Views translate HTTP to selector and service calls."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import CHANGE, VIEW, require_reach, scoped_object_or_404
from groups.models import Member
from unionhome.dates import month_label
from unionhome.db import reads_from_replica
from unionhome.forms import apply_service_errors
from unionhome.pagination import paginate
from unionhome.params import id_param, year_param
from unionhome.tabular import TableReadError, xlsx_response, xlsx_workbook_response

from . import imports, selectors, services
from .forms import (
    CollectForm,
    ComputeForm,
    FixedDuesForm,
    FixedEndForm,
    ImportForm,
    PaymentImportForm,
    UndoForm,
)
from .models import (
    OVERSEE,
    BasePay,
    Basis,
    DuesCharge,
    DuesRule,
    FixedDues,
)
from .months import months_between, next_month, parse_month, previous_month, this_month

SESSION_KEY = "dues_import"


def _month(request, default=None) -> date:
    month = parse_month(request.GET.get("month")) or default or this_month()
    return min(month, this_month())


def _change_workshops(user):
    """The workshop unions whose dues the user keeps."""
    from groups.models import WorkshopUnion

    groups = DuesCharge.objects.groups_in_reach(user, CHANGE)
    return WorkshopUnion.objects.filter(pk__in=groups.values("workshop"), is_active=True)


def _nav(user) -> dict:
    """What the dues pages' own menu offers the user."""
    return {
        "can_collect": DuesCharge.objects.may(user, CHANGE),
        "can_oversee": DuesCharge.objects.may(user, OVERSEE),
    }


# The ledger ------------------------------------------------------------------------------


@require_GET
def ledger(request):
    user = request.user
    require_reach(DuesCharge.objects.all(), user, VIEW)
    charge_filter, rows, totals, view = selectors.ledger(user=user, params=request.GET)
    page, query = paginate(request, rows)
    if view == "member":
        selectors.mark_pay_visible(user, page.object_list)
    else:
        selectors.with_rates(page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("view", None)
    return render(
        request,
        "dues/ledger.html",
        {
            "filter": charge_filter,
            "page": page,
            "query": query,
            "totals": totals,
            "view": view,
            "view_query": params.urlencode(),
            **_nav(user),
        },
    )


@require_GET
def arrears(request):
    require_reach(DuesCharge.objects.all(), request.user, VIEW)
    arrears_filter, rows, totals, min_months = selectors.arrears(
        user=request.user, params=request.GET
    )
    page, query = paginate(request, rows)
    return render(
        request,
        "dues/arrears.html",
        {
            "filter": arrears_filter,
            "page": page,
            "query": query,
            "totals": totals,
            "min_months": min_months,
            "before": this_month(),
            **_nav(request.user),
        },
    )


@reads_from_replica
@require_GET
def rate(request):
    """会费收缴率: collected ÷ due, per workshop union, for a month and its year to date."""
    require_reach(DuesCharge.objects.all(), request.user, OVERSEE)
    month = _month(request)
    rows, total = selectors.collection_rates(user=request.user, month=month)
    return render(
        request,
        "dues/rate.html",
        {
            "rows": rows,
            "total": total,
            "month": month,
            "previous": previous_month(month),
            "next": next_month(month) if next_month(month) <= this_month() else None,
            **_nav(request.user),
        },
    )


@reads_from_replica
@require_GET
def export(request):
    """The finance office's workbook: a summary sheet (each month × workshop union), then
    one sheet per month with every member's dues (?year=2026, or ?month=2026-03)."""
    user = request.user
    require_reach(DuesCharge.objects.all(), user, OVERSEE)
    month = parse_month(request.GET.get("month"))
    if month is not None:
        first = last = min(month, this_month())
        name = first.strftime("%Y-%m")
    else:
        year = year_param(request.GET.get("year")) or this_month().year
        if year > this_month().year:
            raise Http404
        first, last = date(year, 1, 1), min(date(year, 12, 1), this_month())
        name = str(year)
    summary_headers = [
        _("Month"),
        _("Workshop union"),
        _("Members"),
        _("Due (yuan)"),
        _("Collected (yuan)"),
        _("Owing (yuan)"),
        _("Collection rate"),
    ]
    cent = Decimal("0.01")

    def summary():
        for row in selectors.export_summary(user=user, first=first, last=last):
            due, paid = row["total_due"], row["total_paid"]
            rate = selectors.rate_of(paid, due)
            yield [
                row["month"].strftime("%Y-%m"),
                row["group__workshop__name"],
                row["members"],
                due.quantize(cent),
                paid.quantize(cent),
                (due - paid).quantize(cent),
                f"{(rate * 100).quantize(Decimal('0.1'))}%" if rate is not None else "",
            ]

    detail_headers = [
        _("Workshop union"),
        _("Union group"),
        _("Employee no."),
        _("Name"),
        _("Computed as"),
        _("Base pay (yuan)"),
        _("Rate (per cent)"),
        _("Due (yuan)"),
        _("Collected (yuan)"),
        _("Date paid"),
        _("Recorded by"),
    ]

    def detail(month):
        for charge in selectors.export_month(user=user, month=month).iterator(chunk_size=2000):
            yield [
                charge.group.workshop.name,
                charge.group.name,
                charge.member.employee_no,
                charge.member.name,
                str(Basis(charge.basis).label),
                charge.base_pay.quantize(cent) if charge.base_pay is not None else "",
                f"{charge.rate_percent.normalize():f}" if charge.rate_percent is not None else "",
                charge.due.quantize(cent),
                charge.paid.quantize(cent),
                charge.paid_on,
                str(charge.recorded_by or ""),
            ]

    sheets = [(_("Dues summary"), summary_headers, summary())]
    for each in months_between(first, last):
        sheets.append((each.strftime("%Y-%m"), detail_headers, detail(each)))
    return xlsx_workbook_response(filename=_("dues-%(name)s.xlsx") % {"name": name}, sheets=sheets)


# A workshop union's month ----------------------------------------------------------------


def _collect_workshop(request, workshops):
    """The workshop union the page is about: the one asked for (in reach), or the only one."""
    wanted = id_param(request.POST.get("workshop") or request.GET.get("workshop"))
    if wanted is not None:
        workshop = workshops.filter(pk=wanted).first()
        if workshop is None:
            raise Http404
        return workshop
    only = list(workshops[:2])
    return only[0] if len(only) == 1 else None


@require_http_methods(["GET", "POST"])
def collect(request):
    """The month of one workshop union: compute its dues, import its payroll or payments,
    and mark it collected for everybody but the members ticked."""
    user = request.user
    require_reach(DuesCharge.objects.all(), user, CHANGE)
    workshops = _change_workshops(user)
    workshop = _collect_workshop(request, workshops)
    month = parse_month(request.POST.get("month")) if request.method == "POST" else None
    month = month or _month(request)
    month = min(month, this_month())
    context = {
        **_nav(user),
        "workshops": workshops,
        "workshop": workshop,
        "month": month,
        "previous": previous_month(month),
        "next": next_month(month) if next_month(month) <= this_month() else None,
    }
    if workshop is None:
        return render(request, "dues/collect.html", context)
    state = selectors.collect_state(user=user, workshop=workshop, month=month)
    form = CollectForm(request.POST or None, charges=state.unpaid)
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.dues_record_collection(
                workshop=workshop,
                month=month,
                by=user,
                paid_on=form.cleaned_data["paid_on"],
                method=form.cleaned_data["method"],
                except_members=form.cleaned_data["unpaid"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)s members' dues of %(month)s recorded as paid: ¥%(amount)s.")
                % {
                    "count": collection.charges,
                    "month": month_label(month),
                    "amount": f"{collection.amount:,.2f}",
                },
            )
            return redirect(_collect_url(workshop, month))
    context.update(
        {
            "state": state,
            "form": form,
            "compute_form": ComputeForm(
                initial={"month": month, "workshop": workshop}, workshops=workshops
            ),
        }
    )
    return render(request, "dues/collect.html", context)


def _collect_url(workshop, month) -> str:
    return f"{reverse('dues:collect')}?workshop={workshop.pk}&month={month:%Y-%m}"


@require_POST
def compute(request):
    user = request.user
    require_reach(DuesCharge.objects.all(), user, CHANGE)
    workshops = _change_workshops(user)
    form = ComputeForm(request.POST, workshops=workshops)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("dues:collect")
    month, workshop = form.cleaned_data["month"], form.cleaned_data["workshop"]
    try:
        result = services.dues_compute_month(month=month, workshop=workshop, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Dues of %(month)s computed: %(created)s new, %(updated)s changed, "
                "%(unchanged)s unchanged, %(paid)s already paid and kept."
            )
            % {
                "month": month_label(month),
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "paid": result.paid_kept,
            },
        )
        if result.missing:
            names = "、".join(m.name for m in result.missing[:10])
            more = len(result.missing) - 10
            messages.warning(
                request,
                _("%(count)s members have no base pay for the month and no fixed amount: %(names)s")
                % {"count": len(result.missing), "names": names + ("…" if more > 0 else "")},
            )
    if workshop is None:
        return redirect(f"{reverse('dues:rate')}?month={month:%Y-%m}")
    return redirect(_collect_url(workshop, month))


# Imports ---------------------------------------------------------------------------------

KINDS = {
    "payroll": {
        "model": BasePay,
        "form": ImportForm,
        "plan": imports.payroll_plan,
        "url": "dues:payroll_import",
        "confirm": "dues:payroll_import_confirm",
    },
    "payment": {
        "model": DuesCharge,
        "form": PaymentImportForm,
        "plan": imports.payment_plan,
        "url": "dues:payment_import",
        "confirm": "dues:payment_import_confirm",
    },
}


def _discard_stored(request):
    stored = request.session.pop(SESSION_KEY, None)
    if stored and default_storage.exists(stored["path"]):
        default_storage.delete(stored["path"])


def _import_page(request, kind, form, plan, stored_kind=None):
    return render(
        request,
        "dues/import.html",
        {
            "kind": kind,
            "form": form,
            "plan": plan,
            "confirm_url": reverse(KINDS[kind]["confirm"]),
            "template_url": reverse("dues:payroll_template") if kind == "payroll" else None,
        },
    )


def _import(request, kind):
    spec = KINDS[kind]
    require_reach(spec["model"].objects.all(), request.user, CHANGE)
    initial = {"month": parse_month(request.GET.get("month")) or this_month()}
    form = spec["form"](request.POST or None, request.FILES or None, initial=initial)
    plan = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        month = form.cleaned_data["month"]
        try:
            headers, rows = imports.read_upload(uploaded, uploaded.name)
        except TableReadError as error:
            form.add_error("file", str(error))
        else:
            plan = spec["plan"](month=month, headers=headers, rows=rows, by=request.user)
            _discard_stored(request)
            if plan.ok:
                uploaded.seek(0)
                suffix = PurePath(uploaded.name).suffix.lower()
                path = default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", uploaded)
                stored = {
                    "kind": kind,
                    "path": path,
                    "name": uploaded.name,
                    "month": month.isoformat(),
                }
                if kind == "payment":
                    stored["paid_on"] = form.cleaned_data["paid_on"].isoformat()
                    stored["method"] = form.cleaned_data["method"]
                request.session[SESSION_KEY] = stored
    return _import_page(request, kind, form, plan)


def _confirm(request, kind):
    spec = KINDS[kind]
    user = request.user
    require_reach(spec["model"].objects.all(), user, CHANGE)
    stored = request.session.get(SESSION_KEY)
    if stored and stored.get("kind") != kind:
        stored = None
    if "cancel" in request.POST or not stored:
        _discard_stored(request)
        if stored:
            messages.info(request, _("The import is cancelled; nothing was changed."))
        else:
            messages.error(request, _("There is no import waiting; upload the file again."))
        return redirect(spec["url"])
    month = date.fromisoformat(stored["month"])
    with default_storage.open(stored["path"], "rb") as handle:
        headers, rows = imports.read_upload(handle, stored["name"])
    plan = spec["plan"](month=month, headers=headers, rows=rows, by=user)
    if not plan.ok:
        # The register changed since the preview: show the new errors, change nothing.
        _discard_stored(request)
        return _import_page(request, kind, spec["form"](initial={"month": month}), plan)
    try:
        if kind == "payroll":
            imports.payroll_apply(plan=plan, by=user, source=stored["name"])
            messages.success(
                request,
                _(
                    "Base pay of %(month)s imported: %(new)s new, %(changed)s changed, "
                    "%(unchanged)s unchanged. Compute the month's dues next."
                )
                % {
                    "month": month_label(month),
                    "new": len(plan.new),
                    "changed": len(plan.changed),
                    "unchanged": plan.unchanged,
                },
            )
        else:
            collections = imports.payment_apply(
                plan=plan,
                by=user,
                paid_on=date.fromisoformat(stored["paid_on"]),
                method=stored["method"],
            )
            messages.success(
                request,
                _("%(count)s members' dues of %(month)s recorded as paid: ¥%(amount)s.")
                % {
                    "count": sum(c.charges for c in collections),
                    "month": month_label(month),
                    "amount": f"{sum(c.amount for c in collections):,.2f}",
                },
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    finally:
        _discard_stored(request)
    workshops = {r.member.group.workshop_id for r in plan.rows}
    if len(workshops) == 1:
        return redirect(f"{reverse('dues:collect')}?workshop={workshops.pop()}&month={month:%Y-%m}")
    return redirect(f"{reverse('dues:ledger')}?month={month:%Y-%m}")


@require_http_methods(["GET", "POST"])
def payroll_import(request):
    return _import(request, "payroll")


@require_POST
def payroll_import_confirm(request):
    return _confirm(request, "payroll")


@require_http_methods(["GET", "POST"])
def payment_import(request):
    return _import(request, "payment")


@require_POST
def payment_import_confirm(request):
    return _confirm(request, "payment")


@require_GET
def payroll_template(request):
    require_reach(BasePay.objects.all(), request.user, CHANGE)
    return xlsx_response(
        filename=_("payroll-template.xlsx"),
        sheet_title=_("Base pay"),
        headers=["工号", "姓名", "基本工资"],
        rows=[],
    )


# A member's dues -------------------------------------------------------------------------


@require_GET
def member(request, pk):
    user = request.user
    member = scoped_object_or_404(
        Member.objects.select_related("group__workshop"), user, VIEW, pk=pk
    )
    require_reach(DuesCharge.objects.all(), user, VIEW)
    charges, fixed = selectors.member_dues(user=user, member=member)
    can_fix = FixedDues.objects.allows(user, CHANGE, FixedDues(member=member))
    return render(
        request,
        "dues/member.html",
        {
            "member": member,
            "charges": charges,
            "fixed": fixed,
            "owed": sum((c.owed for c in charges if c.month < this_month()), Decimal("0")),
            "rule": DuesRule.objects.for_month(this_month()),
            "can_fix": can_fix,
            "can_undo": DuesCharge.objects.allows(
                user, CHANGE, DuesCharge(member=member, group=member.group)
            ),
            "fixed_form": FixedDuesForm(initial={"starts_on": this_month()}) if can_fix else None,
            "end_form": FixedEndForm(initial={"last_month": this_month()}),
            "undo_form": UndoForm(),
        },
    )


@require_POST
def fixed_add(request, pk):
    user = request.user
    member = scoped_object_or_404(
        Member.objects.select_related("group__workshop"), user, VIEW, pk=pk
    )
    if not FixedDues.objects.allows(user, CHANGE, FixedDues(member=member)):
        raise Http404
    form = FixedDuesForm(request.POST)
    if form.is_valid():
        try:
            services.fixed_dues_add(member=member, by=user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The fixed amount is saved."))
            return redirect("dues:member", pk=member.pk)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("dues:member", pk=member.pk)


@require_POST
def fixed_end(request, pk):
    fixed = scoped_object_or_404(
        FixedDues.objects.select_related("member__group"), request.user, CHANGE, pk=pk
    )
    form = FixedEndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["last_month"])
        services.fixed_dues_end(
            fixed=fixed, last_month=form.cleaned_data["last_month"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The fixed amount ends; the rate applies after it."))
    return redirect("dues:member", pk=fixed.member_id)


@require_POST
def charge_undo(request, pk):
    charge = scoped_object_or_404(
        DuesCharge.objects.select_related("group"), request.user, CHANGE, pk=pk
    )
    form = UndoForm(request.POST)
    try:
        services.dues_payment_undo(
            charge=charge, by=request.user, reason=form.data.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The payment of %(month)s is taken back.") % {"month": month_label(charge.month)},
        )
    return redirect("dues:member", pk=charge.member_id)
