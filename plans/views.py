"""Plan pages: a group's year plan, a month of it, the workshop union's overview, and the
steps on a planned activity. Views translate HTTP to selector and service calls."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import CHANGE, VIEW, allows, require_reach, scoped_object_or_404
from activities import services as activity_services
from activities.forms import ActivityForm
from activities.models import Activity
from activities.periods import month_end, month_start
from groups.models import WorkshopUnion
from unionhome.forms import apply_service_errors
from unionhome.pagination import paginate
from unionhome.params import FIRST_YEAR, LAST_YEAR, id_param, year_param

from . import selectors, services
from .forms import ItemForm, MonthPlanForm, ReasonForm, TieForm
from .models import PlannedActivity


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def _month(year: int, month: int) -> date:
    try:
        return date(_year(year), month, 1)
    except ValueError:
        raise Http404 from None


def _group(request, group_pk: int, action: str = VIEW):
    """The union group asked for, where the user may take `action` on its plan items."""
    require_reach(PlannedActivity.objects.all(), request.user, action)
    return get_object_or_404(
        PlannedActivity.objects.groups_in_reach(request.user, action).select_related("workshop"),
        pk=group_pk,
    )


def _item(request, pk: int, action: str = CHANGE) -> PlannedActivity:
    return scoped_object_or_404(
        PlannedActivity.objects.select_related("group__workshop", "area", "activity"),
        request.user,
        action,
        pk=pk,
    )


def _month_url(item_or_group, month: date) -> str:
    group_pk = getattr(item_or_group, "group_id", None) or item_or_group.pk
    return reverse("plans:month", args=[group_pk, month.year, month.month])


# The pages ---------------------------------------------------------------------------------


@require_GET
def overview(request):
    """The plans of the groups in reach for a year: items planned, held, not held, added."""
    user = request.user
    require_reach(PlannedActivity.objects.all(), user, VIEW)
    year = year_param(request.GET.get("year")) or timezone.localdate().year
    scope = PlannedActivity.objects.scope(user, VIEW)
    if scope.only_group_id and "year" not in request.GET:
        return redirect("plans:year", scope.only_group_id, year)
    groups = PlannedActivity.objects.groups_in_reach(user, VIEW).filter(is_active=True)
    workshops = WorkshopUnion.objects.filter(pk__in=groups.values("workshop")).order_by(
        "sort_order", "code"
    )
    workshop_id = id_param(request.GET.get("workshop"))
    if workshop_id:
        groups = groups.filter(workshop_id=workshop_id)
    # A page of groups first; only its rows' figures are counted.
    page, query = paginate(
        request, groups.select_related("workshop").order_by(*selectors.OVERVIEW_ORDER)
    )
    rows = selectors.overview(groups=groups.filter(pk__in=[g.pk for g in page]), year=year)
    return render(
        request,
        "plans/overview.html",
        {
            "page": page,
            "query": query,
            "rows": selectors.overview_rows(rows, year),
            "year": year,
            "years": [year - 1, year, year + 1],
            "workshops": workshops,
            "workshop_id": workshop_id,
        },
    )


@require_GET
def year_page(request, group, year):
    user = request.user
    group = _group(request, group)
    year = _year(year)
    plan = selectors.year_plan(group, year)
    may_change = allows(user, CHANGE, PlannedActivity(group=group))
    creation = plan.plan if plan else None
    if plan:
        selectors.with_steps(plan.items, may_change=may_change, plan=creation)
    return render(
        request,
        "plans/year.html",
        {
            "group": group,
            "year": year,
            "yp": plan,
            "may_change": may_change,
            "may_add": may_change
            and (services.year_items_open(creation) or services.additions_open(creation)),
            "year_items_open": services.year_items_open(creation),
            "this_month": month_start(timezone.localdate()),
        },
    )


@require_GET
def month_page(request, group, year, month):
    group = _group(request, group)
    return _month_page(request, group, _month(year, month))


def _month_page(request, group, month: date, month_form: MonthPlanForm | None = None):
    """The month's plan; `month_form` is the arrangements as sent, with their errors."""
    user = request.user
    summary = selectors.month_summary(group, month)
    may_change = allows(user, CHANGE, PlannedActivity(group=group))
    creation = services.plan_of(group, month.year)
    selectors.with_steps(
        summary.held + summary.not_held + summary.ahead, may_change=may_change, plan=creation
    )
    month_open = services.addition_month_open(month)
    return render(
        request,
        "plans/month.html",
        {
            "group": group,
            "month": month,
            "summary": summary,
            "creation": creation,
            "may_change": may_change,
            "may_add": may_change
            and (
                services.year_items_open(creation)
                or (services.additions_open(creation) and month_open)
            ),
            "may_arrange": may_change and month_open,
            "month_form": month_form or MonthPlanForm(instance=summary.arrangements),
        },
    )


# Planned activities ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def item_new(request, group, year):
    user = request.user
    group = _group(request, group, CHANGE)
    year = _year(year)
    initial = {}
    asked = request.GET.get("month", "")
    if asked.isascii() and asked.isdigit() and 1 <= int(asked) <= 12:
        initial["planned_on"] = date(year, int(asked), 1)
    form = ItemForm(request.POST or None, year=year, initial=initial)
    creation = services.plan_of(group, year)
    if request.method == "GET" and not (
        services.year_items_open(creation) or services.additions_open(creation)
    ):
        try:
            services.refuse_closed(creation, year)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("plans:year", group.pk, year)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_add(by=user, group=group, year=year, **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if item.added_after_approval:
                messages.success(request, _("The activity is added to the month's plan."))
            else:
                messages.success(
                    request,
                    _("The activity is in the year plan; it goes to the workshop union with it."),
                )
            if "another" in request.POST:
                return redirect(reverse("plans:item_new", args=[group.pk, year]))
            return redirect("plans:year", group.pk, year)
    return render(
        request,
        "plans/item_form.html",
        {
            "form": form,
            "group": group,
            "year": year,
            "item": None,
            "creation": creation,
            "is_addition": services.additions_open(creation),
        },
    )


@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = _item(request, pk)
    if request.method == "GET" and not services.item_editable(
        item, services.plan_of(item.group, item.year)
    ):
        messages.error(request, _("This planned activity can no longer be changed."))
        return redirect("plans:year", item.group_id, item.year)
    form = ItemForm(request.POST or None, instance=item, year=item.year)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_change(by=request.user, item=item, **form.service_arguments())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The planned activity is saved."))
            return redirect("plans:year", item.group_id, item.year)
    return render(
        request,
        "plans/item_form.html",
        {
            "form": form,
            "group": item.group,
            "year": item.year,
            "item": item,
            "is_addition": item.added_after_approval,
        },
    )


@require_POST
def item_delete(request, pk):
    item = _item(request, pk)
    try:
        services.item_remove(by=request.user, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The planned activity is taken out of the plan."))
    return redirect("plans:year", item.group_id, item.year)


def _closing(request, item):
    """Held or not held is said once the item's month has begun, of an item not held."""
    if item.is_held:
        messages.info(request, _("This planned activity is held already."))
        return redirect("activities:activity_detail", pk=item.activity_id)
    if not services.item_closable(item):
        messages.error(request, _("Its month has not begun yet."))
        return redirect(_month_url(item, item.month))
    try:
        services.refuse_reported(item.group_id, item.month)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_month_url(item, item.month))
    return None


@require_http_methods(["GET", "POST"])
def item_hold(request, pk):
    """Record the planned activity as held: the activities' own form (participants, photos),
    filled in from the plan; saving records the activity and ties it to the item."""
    user = request.user
    item = _item(request, pk)
    refused = _closing(request, item)
    if refused:
        return refused
    group = item.group
    form = ActivityForm(
        request.POST or None, group=group, instance=Activity(group=group, recorded_by=user)
    )
    form.fields["held_on"].widget.attrs.update(
        {"min": item.month.isoformat(), "max": month_end(item.month).isoformat()}
    )
    if not form.is_bound:
        form.initial.update(
            {
                "title": item.title,
                "area": item.area_id,
                "place": item.place,
                "held_on": max(item.month, min(item.planned_on, timezone.localdate())),
            }
        )
    pending = []
    if request.method == "POST":
        activity_services.attachments_discard_stale()
        pending = activity_services.attachments_pending(
            by=user, ids=[n for n in map(id_param, request.POST.getlist("pending")) if n]
        )
        file_errors = []
        for uploaded in request.FILES.getlist("files"):
            try:
                pending.append(activity_services.attachment_stage(uploaded=uploaded, by=user))
            except ValidationError as error:
                file_errors.extend(error.messages)
        if form.is_valid() and not file_errors:
            try:
                activity = services.item_hold(
                    by=user, item=item, attachments=pending, **form.service_arguments()
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request, _("The activity is recorded and the planned activity is held.")
                )
                return redirect("activities:activity_detail", pk=activity.pk)
        for message in file_errors:
            form.add_error("files", message)
    return render(
        request,
        "plans/item_hold.html",
        {
            "form": form,
            "group": group,
            "activity": None,
            "item": item,
            "pending": pending,
            "removing": (),
        },
    )


@require_http_methods(["GET", "POST"])
def item_tie(request, pk):
    """The planned activity was held as an activity already recorded that month."""
    item = _item(request, pk)
    refused = _closing(request, item)
    if refused:
        return refused
    form = TieForm(request.POST or None, choices=services.tie_choices(item))
    if request.method == "POST" and form.is_valid():
        try:
            services.item_tie(by=request.user, item=item, activity=form.cleaned_data["activity"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The planned activity is tied to the activity held."))
            return redirect(_month_url(item, item.month))
    return render(request, "plans/item_tie.html", {"form": form, "item": item})


@require_http_methods(["GET", "POST"])
def item_not_held(request, pk):
    item = _item(request, pk)
    refused = _closing(request, item)
    if refused:
        return refused
    form = ReasonForm(request.POST or None, initial={"reason": item.reason_not_held})
    if request.method == "POST" and form.is_valid():
        try:
            services.item_not_held(by=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The reason is recorded."))
            return redirect(_month_url(item, item.month))
    return render(request, "plans/item_reason.html", {"form": form, "item": item})


# Monthly plans ------------------------------------------------------------------------------


@require_POST
def month_plan(request, group, year, month):
    """Save the month's arrangements; a refusal shows the page again with the text as sent
    and the message next to it."""
    group = _group(request, group, CHANGE)
    month = _month(year, month)
    form = MonthPlanForm(request.POST)
    if form.is_valid():
        try:
            services.month_plan_save(
                by=request.user,
                group=group,
                month=month,
                arrangements=form.cleaned_data["arrangements"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The month's plan is saved."))
            return redirect(_month_url(group, month))
    return _month_page(request, group, month, month_form=form)
