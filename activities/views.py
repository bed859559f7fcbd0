"""Activity and monthly report pages. Views translate HTTP to selector and service calls."""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import CHANGE, VIEW, allows, require_reach, scoped_object_or_404
from groups.models import UnionGroup, WorkshopUnion
from unionhome.dates import month_label
from unionhome.db import reads_from_replica
from unionhome.forms import apply_service_errors
from unionhome.history import history_for
from unionhome.pagination import paginate
from unionhome.params import id_param, year_param
from unionhome.uploads import file_response

from . import selectors, services, summaries
from .exports import reports_export
from .forms import (
    AboveGroupActivityForm,
    ActivityDeleteForm,
    ActivityForm,
    ReportFileForm,
    ReportReviewForm,
    ReportTextForm,
)
from .models import (
    RESTORE,
    REVIEW,
    Activity,
    ActivityGroup,
    ActivityLevel,
    Attachment,
    MonthlyReport,
    ReportAttachment,
    ReportStatus,
)
from .periods import (
    month_start,
    next_month,
    parse_month,
    previous_month,
    recent_months,
    report_deadline,
)

# Activities ------------------------------------------------------------------------------


@require_GET
def activity_list(request):
    require_reach(Activity.objects.all(), request.user, VIEW)
    activity_filter = selectors.activity_list(user=request.user, params=request.GET)
    page, query = paginate(request, activity_filter.qs)
    return render(
        request,
        "activities/activity_list.html",
        {
            "filter": activity_filter,
            "page": page,
            "query": query,
            "can_add": Activity.objects.may(request.user, CHANGE),
        },
    )


def _group_for_new_activity(request):
    """The group a new activity is for: the leader's own, or the one chosen (?group=)."""
    groups = UnionGroup.objects.select_related("workshop")
    own = UnionGroup.objects.scope(request.user, CHANGE).only_group_id
    if own is not None:
        return scoped_object_or_404(groups, request.user, CHANGE, pk=own)
    group_pk = id_param(request.GET.get("group") or request.POST.get("group"))
    if group_pk:
        return scoped_object_or_404(groups, request.user, CHANGE, pk=group_pk)
    return None


def _activity_form(request, *, group=None, activity=None, above=None):
    """The form of a group's activity, or (`above`: level, host workshop union, groups
    offered, groups chosen) of one above the group."""
    user = request.user
    pending = []
    data = request.POST or None
    if above is None:
        form = ActivityForm(
            data, group=group, instance=activity or Activity(group=group, recorded_by=user)
        )
    else:
        form = AboveGroupActivityForm(
            data,
            level=above.level,
            host_workshop=above.host,
            chosen_groups=above.chosen,
            instance=activity
            or Activity(level=above.level, host_workshop=above.host, recorded_by=user),
        )
    if request.method == "POST":
        services.attachments_discard_stale()
        pending = services.attachments_pending(by=user, ids=_ids(request.POST.getlist("pending")))
        file_errors = []
        # Good files are kept (pending) at once, so a mistake elsewhere loses none of them.
        for uploaded in request.FILES.getlist("files"):
            try:
                pending.append(services.attachment_stage(uploaded=uploaded, by=user))
            except ValidationError as error:
                file_errors.extend(error.messages)
        if form.is_valid() and not file_errors:
            arguments = form.service_arguments()
            try:
                if activity is None:
                    place = (
                        {"group": group}
                        if above is None
                        else {"level": above.level, "host_workshop": above.host}
                    )
                    activity = services.activity_create(
                        by=user, attachments=pending, **place, **arguments
                    )
                    messages.success(request, _("The activity is recorded."))
                else:
                    services.activity_update(
                        activity=activity,
                        by=user,
                        attachments=pending,
                        remove_attachments=_ids(request.POST.getlist("remove")),
                        **arguments,
                    )
                    messages.success(request, _("The activity is saved."))
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("activities:activity_detail", pk=activity.pk)
        for message in file_errors:
            form.add_error("files", message)
    return render(
        request,
        "activities/activity_form.html",
        {
            "form": form,
            "group": group,
            "above": above,
            "activity": activity,
            "pending": pending,
            "removing": set(_ids(request.POST.getlist("remove")))
            if request.method == "POST"
            else (),
        },
    )


@dataclass
class AboveGroup:
    """An activity above the group being recorded: its level, its host workshop union, the
    groups the user may tick as taking part, and those ticked (?groups=)."""

    level: str
    host: WorkshopUnion | None
    offered: list
    chosen: list

    @property
    def chosen_ids(self) -> set:
        return {g.pk for g in self.chosen}


def _above_group(request, level, host, activity=None) -> AboveGroup:
    offered = UnionGroup.objects.restrict(request.user, VIEW).filter(is_active=True)
    if host is not None:
        offered = offered.filter(workshop=host)
    offered = list(offered.select_related("workshop").order_by("workshop__sort_order", "code"))
    wanted = set(_ids(request.GET.getlist("groups")))
    if not wanted and activity is not None:
        wanted = {link.group_id for link in ActivityGroup.objects.filter(activity=activity)}
    chosen = [g for g in offered if g.pk in wanted]
    return AboveGroup(level, host, offered, chosen)


def _host_for_new_activity(request):
    """(level, host workshop union) of a new activity above the group (?level=workshop
    &workshop=, or ?level=hq), refused unless the user may hold it; None for a group's."""
    level = request.GET.get("level") or request.POST.get("level")
    if level not in (ActivityLevel.WORKSHOP, ActivityLevel.HQ):
        return None
    host = None
    if level == ActivityLevel.WORKSHOP:
        host = get_object_or_404(
            WorkshopUnion.objects.restrict(request.user, VIEW),
            pk=id_param(request.GET.get("workshop") or request.POST.get("workshop")) or 0,
        )
    if not allows(request.user, CHANGE, Activity(level=level, host_workshop=host)):
        raise PermissionDenied
    return level, host


def _ids(values) -> list[int]:
    return [number for number in map(id_param, values) if number]


@require_http_methods(["GET", "POST"])
def activity_create(request):
    require_reach(Activity.objects.all(), request.user, CHANGE)
    above = _host_for_new_activity(request)
    if above is not None:
        return _activity_form(request, above=_above_group(request, *above))
    group = _group_for_new_activity(request)
    if group is None:
        groups = (
            UnionGroup.objects.restrict(request.user, CHANGE)
            .filter(is_active=True)
            .select_related("workshop")
        )
        scope = Activity.objects.scope(request.user, CHANGE)
        hosts = WorkshopUnion.objects.restrict(request.user, VIEW)
        if not scope.everything:
            hosts = hosts.filter(pk__in=sorted(scope.workshop_ids))
        return render(
            request,
            "activities/choose_group.html",
            {"groups": groups, "hosts": hosts, "hq": scope.everything},
        )
    return _activity_form(request, group=group)


@require_http_methods(["GET", "POST"])
def activity_edit(request, pk):
    activity = scoped_object_or_404(
        Activity.objects.select_related(
            "group__workshop", "host_workshop", "area"
        ).prefetch_related("attachments", "kinds", "participants"),
        request.user,
        CHANGE,
        pk=pk,
    )
    if activity.is_above_group:
        above = _above_group(request, activity.level, activity.host_workshop, activity)
        return _activity_form(request, activity=activity, above=above)
    return _activity_form(request, group=activity.group, activity=activity)


@require_GET
def activity_detail(request, pk):
    activity = selectors.activity_detail(user=request.user, pk=pk)
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "participants": selectors.participants_shown(user=request.user, activity=activity),
            "groups_shown": selectors.groups_shown(user=request.user, activity=activity),
            "photos": [a for a in activity.attachments.all() if a.is_image],
            "documents": [a for a in activity.attachments.all() if not a.is_image],
            "can_edit": allows(request.user, CHANGE, activity),
            "history": history_for(request.user, activity),
        },
    )


@require_http_methods(["GET", "POST"])
def activity_delete(request, pk):
    activity = scoped_object_or_404(
        Activity.objects.select_related("group__workshop", "host_workshop", "area"),
        request.user,
        CHANGE,
        pk=pk,
    )
    form = ActivityDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.activity_delete(activity=activity, by=request.user, **form.cleaned_data)
        messages.success(
            request, _("The activity “%(title)s” is deleted.") % {"title": activity.title}
        )
        return redirect("activities:activity_list")
    return render(request, "activities/activity_delete.html", {"activity": activity, "form": form})


@require_GET
def deleted_activities(request):
    """Deleted activities within the user's reach: who deleted what, when and why."""
    require_reach(Activity.objects.all(), request.user, RESTORE)
    deleted = Activity.objects.restrict(request.user, RESTORE).select_related(
        "group__workshop", "host_workshop", "area", "deleted_by"
    )
    page, query = paginate(request, deleted.order_by("-deleted_at"))
    return render(request, "activities/deleted_list.html", {"page": page, "query": query})


@require_POST
def activity_restore(request, pk):
    activity = scoped_object_or_404(
        Activity.objects.select_related("group"), request.user, RESTORE, pk=pk
    )
    services.activity_restore(activity=activity, by=request.user)
    messages.success(request, _("The activity is restored."))
    return redirect("activities:activity_detail", pk=activity.pk)


@require_GET
def attachment_file(request, pk, variant="file"):
    """A photo, thumbnail or document, only for those who may see its activity (and a
    pending upload only for the person who uploaded it)."""
    attachment = get_object_or_404(Attachment.objects.restrict(request.user, VIEW), pk=pk)
    if variant == "thumb":
        return file_response(attachment.thumbnail, content_type="image/jpeg", inline=True)
    return file_response(
        attachment.file,
        content_type=attachment.mime,
        filename=attachment.original_name,
        inline=attachment.is_image or attachment.mime == "application/pdf",
    )


@require_GET
def group_calendar(request, pk):
    require_reach(Activity.objects.all(), request.user, VIEW)
    group = get_object_or_404(
        Activity.objects.groups_in_reach(request.user, VIEW).select_related("workshop"), pk=pk
    )
    month = parse_month(request.GET.get("month")) or month_start(timezone.localdate())
    activities = selectors.month_activities(group=group, month=month)
    by_day = defaultdict(list)
    for activity in activities:
        by_day[activity.held_on].append(activity)
    weeks = [
        [(day, by_day.get(day, []), day.month == month.month) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    ]
    return render(
        request,
        "activities/calendar.html",
        {
            "group": group,
            "month": month,
            "weeks": weeks,
            "days": sorted(by_day.items()),
            "previous": previous_month(month),
            "next": next_month(month),
            "can_add": allows(request.user, CHANGE, group),
        },
    )


# Monthly reports -------------------------------------------------------------------------


def _report_month(request) -> date:
    return parse_month(request.GET.get("month")) or previous_month(
        month_start(timezone.localdate())
    )


@require_GET
def report_list(request):
    require_reach(MonthlyReport.objects.all(), request.user, VIEW)
    user = request.user
    own = MonthlyReport.objects.scope(user, VIEW).only_group_id
    if own is not None:
        return _group_reports(request, own)
    if id_param(request.GET.get("group")):
        return _group_reports(request, id_param(request.GET["group"]))
    month = _report_month(request)
    workshop_id = id_param(request.GET.get("workshop"))
    wanted = request.GET.get("status")
    # The counts cover every group; the table shows a page of them.
    table = selectors.month_table(user=user, month=month, workshop_id=workshop_id, status=wanted)
    page, query = paginate(request, table.groups, count=table.listed)
    page.object_list = table.rows(page.object_list, month)
    counts = table.counts
    return render(
        request,
        "activities/report_list.html",
        {
            "page": page,
            "query": query,
            "month": month,
            "deadline": report_deadline(month),
            "previous": previous_month(month),
            "next": next_month(month)
            if next_month(month) <= month_start(timezone.localdate())
            else None,
            "counts": counts,
            "status": wanted or "",
            "workshops": WorkshopUnion.objects.restrict(user, VIEW),
            "workshop_id": workshop_id,
            "statuses": ReportStatus.choices,
            "to_review": selectors.reports_to_review(user).count()
            if MonthlyReport.objects.may(user, REVIEW)
            else None,
        },
    )


def _group_reports(request, group_pk):
    """One group's reports: this month and the twelve before it."""
    group = get_object_or_404(
        MonthlyReport.objects.groups_in_reach(request.user, VIEW).select_related("workshop"),
        pk=group_pk,
    )
    this_month = month_start(timezone.localdate())
    months = [this_month, *recent_months(12)]
    reports = {
        r.month: r
        for r in MonthlyReport.objects.restrict(request.user, VIEW).filter(
            group=group, month__gte=months[-1]
        )
    }
    rows = [selectors.ReportRow(group, m, reports.get(m)) for m in months]
    return render(
        request,
        "activities/report_group_list.html",
        {"group": group, "rows": rows, "this_month": this_month},
    )


@require_GET
def report_overdue(request):
    """The reports past their deadline (?group= narrows to one group: a leader's own)."""
    require_reach(MonthlyReport.objects.all(), request.user, VIEW)
    rows = selectors.overdue_rows(user=request.user, group_id=id_param(request.GET.get("group")))
    return render(request, "activities/report_overdue.html", {"rows": rows})


@require_GET
def report_review(request):
    """Every report waiting for the user's review, whatever its month, to open one by one
    or to approve several at once."""
    require_reach(MonthlyReport.objects.all(), request.user, REVIEW)
    waiting = (
        selectors.reports_to_review(request.user)
        .select_related("group__workshop", "submitted_by")
        .order_by("month", "group__workshop__name", "group__name", "pk")
    )
    page, query = paginate(request, waiting)
    return render(request, "activities/report_review.html", {"page": page, "query": query})


@require_POST
def report_approve_many(request):
    require_reach(MonthlyReport.objects.all(), request.user, REVIEW)
    chosen = {}
    for value in request.POST.getlist("report"):
        report_id, _sep, version = value.partition(":")
        if id_param(report_id) and version.isascii() and version.isdigit() and len(version) < 10:
            chosen[id_param(report_id)] = int(version)
    if not chosen:
        messages.error(request, _("Tick the reports to approve first."))
        return redirect("activities:report_review")
    approved, refused = services.reports_approve_many(by=request.user, chosen=chosen)
    if not approved and not refused:
        messages.warning(request, _("None of the ticked reports waits for your review."))
    if approved:
        messages.success(
            request,
            ngettext(
                "%(count)d report is approved; the group sees it at once.",
                "%(count)d reports are approved; the groups see them at once.",
                len(approved),
            )
            % {"count": len(approved)},
        )
    for report, reason in refused:
        messages.warning(
            request,
            _("%(group)s, %(month)s: not approved. %(reason)s")
            % {"group": report.group.name, "month": month_label(report.month), "reason": reason},
        )
    return redirect("activities:report_review")


def _parse_url_month(year, month) -> date:
    try:
        value = date(int(year), int(month), 1)
    except ValueError:
        raise Http404 from None
    if value > month_start(timezone.localdate()):
        raise Http404
    return value


def _report_page(request, group_pk, year, month):
    """The group (in reach), the month and its report, for every page of one report."""
    require_reach(MonthlyReport.objects.all(), request.user, VIEW)
    month = _parse_url_month(year, month)
    group, report = selectors.report_for(user=request.user, group_pk=group_pk, month=month)
    return group, month, report


def _render_report(
    request, group, month, report, *, text_form=None, review_form=None, file_form=None
):
    user = request.user
    version = report.version if report else 0
    if text_form is None:
        text_form = ReportTextForm(
            initial={
                "summary": report.summary if report else "",
                "problems": report.problems if report else "",
                "next_plan": report.next_plan if report else "",
                "version": version,
            }
        )
    return render(
        request,
        "activities/report_detail.html",
        {
            **_report_context(group, month, report),
            "text_form": text_form,
            "review_form": review_form or ReportReviewForm(initial={"version": version}),
            "can_write": services.report_may_write(user=user, group=group, report=report),
            "file_form": file_form or ReportFileForm(),
            "month_over": services.report_month_over(month),
            "can_review": services.report_may_review(user=user, report=report),
            "history": history_for(user, report) if report else None,
        },
    )


@require_GET
def report_detail(request, group_pk, year, month):
    return _render_report(request, *_report_page(request, group_pk, year, month))


def _report_step(request, group_pk, year, month, step):
    """One step on a report (save, submit, return, approve): refused unless the user may
    take it; on a mistake the page comes back with the user's text and the error."""
    user = request.user
    group, month, report = _report_page(request, group_pk, year, month)
    if not step.may(user, group, report):
        raise PermissionDenied
    form = step.form_class(request.POST)
    if form.is_valid():
        try:
            step.act(user, group, month, report, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, step.done)
            return redirect("activities:report_detail", group.pk, month.year, month.month)
    bound = {"text_form" if step.form_class is ReportTextForm else "review_form": form}
    return _render_report(request, group, month, report, **bound)


def _may_write(user, group, report):
    return services.report_may_write(user=user, group=group, report=report)


def _may_review(user, group, report):
    return report is not None and allows(user, REVIEW, report)


@dataclass(frozen=True)
class ReportStep:
    """What one step on a report takes (its form), who may take it, what it does, and
    what the user is told when it is done."""

    form_class: type
    may: object
    act: object
    done: str


SAVE = ReportStep(
    ReportTextForm,
    _may_write,
    lambda user, group, month, report, data: services.report_save(
        group=group, month=month, by=user, **data
    ),
    gettext_lazy(
        "The draft is saved; only your group sees it until it is submitted to the workshop union."
    ),
)
SUBMIT = ReportStep(
    ReportTextForm,
    _may_write,
    lambda user, group, month, report, data: services.report_submit(
        group=group, month=month, by=user, **data
    ),
    gettext_lazy(
        "The report is submitted; the workshop union reviews it, and their answer shows on your "
        "home page."
    ),
)
RETURN = ReportStep(
    ReportReviewForm,
    _may_review,
    lambda user, group, month, report, data: services.report_return(
        report=report, by=user, version=data["version"], reason=data["reason"]
    ),
    gettext_lazy(
        "The report is returned; the group leader sees your reason first on their home page, "
        "corrects the report and submits it again."
    ),
)
APPROVE = ReportStep(
    ReportReviewForm,
    _may_review,
    lambda user, group, month, report, data: services.report_approve(
        report=report, by=user, version=data["version"], note=data["reason"]
    ),
    gettext_lazy("The report is approved; the group sees it at once. Nothing more is to be done."),
)


@require_POST
def report_save(request, group_pk, year, month):
    return _report_step(request, group_pk, year, month, SAVE)


@require_POST
def report_submit(request, group_pk, year, month):
    return _report_step(request, group_pk, year, month, SUBMIT)


@require_POST
def report_return(request, group_pk, year, month):
    return _report_step(request, group_pk, year, month, RETURN)


@require_POST
def report_approve(request, group_pk, year, month):
    return _report_step(request, group_pk, year, month, APPROVE)


@require_POST
def report_file_add(request, group_pk, year, month):
    """A file (a sign-in sheet photo, the minutes) added to the report by its group while
    the report is editable; a mistake comes back next to the field."""
    user = request.user
    group, month, report = _report_page(request, group_pk, year, month)
    if not services.report_may_write(user=user, group=group, report=report):
        raise PermissionDenied
    form = ReportFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.report_file_add(
                group=group,
                month=month,
                by=user,
                uploaded=form.uploaded,
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_service_errors(form, error)
            else:
                form.add_error("file", error)
        else:
            messages.success(request, _("The file is added to the report."))
            return redirect("activities:report_detail", group.pk, month.year, month.month)
    group, report = selectors.report_for(user=user, group_pk=group.pk, month=month)
    return _render_report(request, group, month, report, file_form=form)


@require_POST
def report_file_remove(request, pk):
    attachment = scoped_object_or_404(
        ReportAttachment.objects.select_related("report__group"), request.user, CHANGE, pk=pk
    )
    report = attachment.report
    try:
        services.report_file_remove(attachment=attachment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file is removed from the report."))
    return redirect(
        "activities:report_detail", report.group_id, report.month.year, report.month.month
    )


@require_GET
def report_file(request, pk, variant="file"):
    """A report's file or its thumbnail, only for those who read the report."""
    attachment = get_object_or_404(ReportAttachment.objects.restrict(request.user, VIEW), pk=pk)
    if variant == "thumb":
        return file_response(attachment.thumbnail, content_type="image/jpeg", inline=True)
    return file_response(
        attachment.file,
        content_type=attachment.mime,
        filename=attachment.original_name,
        inline=attachment.is_image or attachment.mime == "application/pdf",
    )


def _report_context(group, month, report):
    frozen = report is not None and not report.is_editable and report.figures
    figures = (
        report.figures
        if frozen
        else selectors.month_figures(group_ids=[group.pk], month=month)[group.pk]
    )
    row = selectors.ReportRow(group, month, report)
    return {
        "group": group,
        "month": month,
        "report": report,
        "row": row,
        "figures": figures,
        "frozen": frozen,
        "activities": selectors.month_activities(group=group, month=month),
        "previous": previous_month(month),
        "next": next_month(month)
        if next_month(month) <= month_start(timezone.localdate())
        else None,
    }


@require_GET
def report_print(request, group_pk, year, month):
    group, month, report = _report_page(request, group_pk, year, month)
    return render(request, "activities/report_print.html", _report_context(group, month, report))


@reads_from_replica
@require_GET
def report_export(request):
    """A month's reports (?month=2026-03), or a period's (?start=2026-01&end=2026-06)."""
    require_reach(MonthlyReport.objects.all(), request.user, VIEW)
    first = parse_month(request.GET.get("start")) or _report_month(request)
    last = parse_month(request.GET.get("end")) or first
    last = min(last, month_start(timezone.localdate()))
    if last < first or (last.year - first.year) * 12 + last.month - first.month >= 36:
        raise Http404
    rows, month = [], first
    while month <= last:
        rows += selectors.report_rows(user=request.user, month=month)
        month = next_month(month)
    return reports_export(rows, first, last)


@reads_from_replica
@require_GET
def participation(request):
    """职工参与率 behind the dashboard's figure: each group's members and who took part."""
    # Those who read groups' figures (a member's login reads their group's activities,
    # not the figures of groups).
    require_reach(UnionGroup.objects.all(), request.user, VIEW)
    today = timezone.localdate()
    year = year_param(request.GET.get("year"))
    year = year if year and 2000 <= year <= today.year else today.year
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    if summaries.reaches_organisation(request.user):
        # Every group of the organisation: from the summary tables, sorted and paged in SQL.
        summary = summaries.current_state(year)
        page, query = paginate(request, summaries.group_rows(year))
        rows = [(row.group, summaries.group_figures(row)) for row in page]
    else:
        summary, page, query = None, None, ""
        groups = list(
            UnionGroup.objects.restrict(request.user, VIEW)
            .filter(is_active=True)
            .select_related("workshop")
        )
        figures = selectors.compile_figures(
            group_ids=[g.pk for g in groups], start=start, end=end, day=end
        )
        rows = [(g, figures[g.pk]) for g in groups]
        rows.sort(
            key=lambda row: (
                row[1]["participation_rate"] is None,
                row[1]["participation_rate"] or 0,
            )
        )
    return render(
        request,
        "activities/participation.html",
        {
            "rows": rows,
            "year": year,
            "start": start,
            "end": end,
            "summary": summary,
            "page": page,
            "query": query,
        },
    )
