"""学习竞赛 pages: the overview of groups' learning, competitions with their results (typed
as a table or imported from a workbook), a group's learning of a year with its weekly
lessons, and a member's learning records."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import CHANGE, VIEW, allows, require_reach, scoped_object_or_404
from groups.models import Member
from unionhome import tabular
from unionhome.forms import apply_service_errors
from unionhome.pagination import paginate
from unionhome.params import id_param, year_param
from unionhome.uploads import file_response

from . import selectors, services
from .forms import CompetitionForm, ImportForm, LessonForm, RecordForm
from .models import (
    NOTE,
    AwardLevel,
    Competition,
    CompetitionKind,
    CompetitionStatus,
    LearningRecord,
    LearningSettings,
    Lesson,
    Level,
)

BLANK_ROWS = 5
# Other titles a results workbook may use for each column, besides the column's own title
# in the page's language (services.COLUMN_TITLES) and its English one (spaces and case
# ignored). The office's workbooks are written in Chinese whatever a user's language, so
# their usual headers are accepted always.
COLUMN_ALIASES = {
    "employee_no": ("工号", "职工号", "员工编号"),
    "name": ("姓名",),
    "score": ("成绩", "分数", "得分", "总分"),
    "rank": ("名次", "排名"),
    "award": ("奖项", "获奖等级", "奖励", "获奖"),
    "note": ("备注", "说明"),
}


def column_titles(field: str) -> set[str]:
    """Every header accepted for the column `field`."""
    title = services.COLUMN_TITLES[field]
    with translation.override("en"):
        english = str(title)
    return {_key(t) for t in (str(title), english, *COLUMN_ALIASES[field])}


IMPORT_LIMITS = tabular.ReadLimits(max_rows=5000, max_unpacked_bytes=20 * 1024 * 1024)


def _year(request) -> int:
    return year_param(request.GET.get("year")) or timezone.localdate().year


def _years(year: int) -> list[int]:
    this = timezone.localdate().year
    return sorted({this - 2, this - 1, this, year}, reverse=True)


# The overview ------------------------------------------------------------------------------


def _may_open(user) -> bool:
    return Competition.objects.may(user, VIEW) or LearningRecord.objects.may(
        user, VIEW, others=True
    )


@require_GET
def home(request):
    """学习竞赛: the year's learning of each group the user reads (hours, books against the
    target, certificates, awards) and the latest competitions."""
    user = request.user
    if not _may_open(user):
        raise PermissionDenied
    year = _year(request)
    start, end = selectors.year_span(year)
    groups = LearningRecord.objects.groups_in_reach(user, VIEW).select_related("workshop")
    page, query = paginate(request, groups.filter(is_active=True))
    rows = list(page)
    figures = selectors.group_figures([g.pk for g in rows], start, end)
    competitions = list(selectors.competition_list(user=user, year=year)[:5])
    return render(
        request,
        "learning/home.html",
        {
            "year": year,
            "years": _years(year),
            "page": page,
            "query": query,
            "lines": [(g, figures[g.pk]) for g in rows],
            "competitions": competitions,
            "target": LearningSettings.current().books_per_year,
            "may_record": Competition.objects.may(user, CHANGE),
        },
    )


# Competitions ------------------------------------------------------------------------------


@require_GET
def competition_list(request):
    user = request.user
    require_reach(Competition.objects.all(), user, VIEW)
    status = request.GET.get("status", "")
    status = status if status in CompetitionStatus.values else ""
    kinds = list(CompetitionKind.objects.all())
    kind_id = id_param(request.GET.get("kind"))
    kind = next((k for k in kinds if k.pk == kind_id), None)
    year = year_param(request.GET.get("year"))
    found = selectors.competition_list(user=user, kind=kind, status=status, year=year)
    page, query = paginate(request, found)
    return render(
        request,
        "learning/competition_list.html",
        {
            "page": page,
            "query": query,
            "rows": list(page),
            "kinds": kinds,
            "kind": kind,
            "status": status,
            "statuses": CompetitionStatus.choices,
            "year": year,
            "years": _years(year or timezone.localdate().year),
            "may_record": Competition.objects.may(user, CHANGE),
        },
    )


def _competition_args(data):
    return {
        "title": data["title"],
        "kind": data["kind"],
        "level": data["level"],
        "workshop": data.get("workshop"),
        "group": data.get("group"),
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "description": data["description"],
    }


@require_http_methods(["GET", "POST"])
def competition_new(request):
    user = request.user
    require_reach(Competition.objects.all(), user, CHANGE)
    form = CompetitionForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            competition = services.competition_save(by=user, **_competition_args(form.cleaned_data))
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied:
            form.add_error(None, _("You cannot record a competition there."))
        else:
            messages.success(request, _("The competition is recorded; enter its results next."))
            return redirect("learning:results", competition.pk)
    return render(request, "learning/competition_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def competition_edit(request, pk):
    user = request.user
    competition = scoped_object_or_404(Competition.objects.all(), user, CHANGE, pk=pk)
    form = CompetitionForm(request.POST or None, user=user, competition=competition)
    if request.method == "POST" and form.is_valid():
        try:
            competition = services.competition_save(
                by=user,
                competition=competition,
                status=form.cleaned_data["status"],
                activity=form.cleaned_data["activity"],
                **_competition_args(form.cleaned_data),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied:
            form.add_error(None, _("You cannot record a competition there."))
        else:
            messages.success(request, _("The competition is saved."))
            return redirect(competition)
    return render(
        request, "learning/competition_form.html", {"form": form, "competition": competition}
    )


@require_GET
def competition_detail(request, pk):
    user = request.user
    competition = scoped_object_or_404(
        Competition.objects.select_related("kind", "workshop", "group", "activity", "created_by"),
        user,
        VIEW,
        pk=pk,
    )
    results = selectors.competition_results(competition)
    return render(
        request,
        "learning/competition_detail.html",
        {
            "competition": competition,
            "results": results,
            "awarded": sum(1 for r in results if r.award_id),
            "may_change": allows(user, CHANGE, competition),
            "activity_url": reverse("activities:activity_detail", args=[competition.activity_id])
            if competition.activity_id
            else "",
        },
    )


def _posted_rows(post) -> tuple[list[dict], list[services.ResultRow]]:
    """The results table as posted: every row (to show again) and the rows to keep."""
    try:
        count = min(int(post.get("rows", "0")), 2000)
    except ValueError:
        count = 0
    shown, rows = [], []
    for i in range(count):
        row = {
            "index": i,
            "number": i + 1,
            "employee_no": post.get(f"no_{i}", "").strip(),
            "name": post.get(f"name_{i}", "").strip(),
            "score": post.get(f"score_{i}", "").strip(),
            "rank": post.get(f"rank_{i}", "").strip(),
            "award": post.get(f"award_{i}", "").strip(),
            "note": post.get(f"note_{i}", "").strip(),
            "existing": post.get(f"existing_{i}") == "1",
            "remove": post.get(f"remove_{i}") == "1",
            "fixed": post.get(f"fixed_{i}") == "1",
        }
        shown.append(row)
        entered = any(row[k] for k in ("score", "rank", "award", "note"))
        typed = not row["fixed"] and (row["employee_no"] or entered)
        if row["existing"] or typed or (row["fixed"] and entered):
            rows.append(
                services.ResultRow(
                    row=i + 1,
                    employee_no=row["employee_no"],
                    score=row["score"],
                    rank=row["rank"],
                    award=row["award"],
                    note=row["note"],
                    remove=row["remove"],
                )
            )
    return shown, rows


def _table_rows(competition, results) -> list[dict]:
    """The table as first shown: the results there are, then (a group's competition) the
    group's other members, then blank rows to type a 工号 in."""
    shown = []
    for result in results:
        shown.append(
            {
                "employee_no": result.member.employee_no,
                "name": result.member.name,
                "score": "" if result.score is None else result.score,
                "rank": result.rank or "",
                "award": result.award.name if result.award_id else "",
                "note": result.note,
                "existing": True,
                "fixed": True,
            }
        )
    if competition.level == Level.GROUP:
        taken = {r.member_id for r in results}
        for member in services.competition_members(competition).order_by("employee_no"):
            if member.pk not in taken:
                shown.append(
                    {"employee_no": member.employee_no, "name": member.name, "fixed": True}
                )
    shown += [{} for _i in range(BLANK_ROWS)]
    for i, row in enumerate(shown):
        row["index"], row["number"] = i, i + 1
    return shown


@require_http_methods(["GET", "POST"])
def results(request, pk):
    """Enter the results of many members at once, as a table: each row a member (by 工号),
    score, rank, award and a note. All rows are checked first; any problem saves nothing."""
    user = request.user
    competition = scoped_object_or_404(
        Competition.objects.select_related("kind", "workshop", "group"), user, CHANGE, pk=pk
    )
    errors = {}
    if request.method == "POST":
        shown, rows = _posted_rows(request.POST)
        plan = services.results_plan(competition=competition, by=user, rows=rows)
        if plan.ok:
            try:
                count = services.results_apply(competition=competition, by=user, plan=plan)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("%(count)s results saved.") % {"count": count})
                return redirect(competition)
        for error in plan.errors:
            errors.setdefault(error.row, []).append(error.message)
        for row in shown:
            row["errors"] = errors.get(row["number"], [])
    else:
        shown = _table_rows(competition, selectors.competition_results(competition))
    return render(
        request,
        "learning/results.html",
        {
            "competition": competition,
            "rows": shown,
            "error_count": sum(len(v) for v in errors.values()),
            "awards": list(AwardLevel.objects.filter(is_active=True)),
        },
    )


def _key(text) -> str:
    return "".join(str(text or "").split()).lower()


def read_results(uploaded, filename: str) -> tuple[list[services.ResultRow], list]:
    """The workbook's rows as ResultRows, and the errors of the file as a whole (a missing
    column) as RowErrors. TableReadError when the file cannot be read."""
    titles = {field: column_titles(field) for field in services.COLUMN_TITLES}
    known = set().union(*titles.values())
    sheet = tabular.open_table(
        uploaded, filename, limits=IMPORT_LIMITS, is_title=lambda t: _key(t) in known
    )
    position = {}
    for field, wanted in titles.items():
        for index, header in enumerate(sheet.headers):
            if _key(header) in wanted:
                position[field] = index
                break
    if "employee_no" not in position:
        return [], [
            services.RowError(
                sheet.header_row,
                services.column("employee_no"),
                _("The file has no column %(columns)s.")
                % {"columns": services.column("employee_no")},
            )
        ]

    def cell(values, field):
        index = position.get(field)
        if index is None or index >= len(values):
            return ""
        return values[index]

    rows = [
        services.ResultRow(
            row=number,
            employee_no=services._text(cell(values, "employee_no")),
            name=services._text(cell(values, "name")),
            score=cell(values, "score"),
            rank=cell(values, "rank"),
            award=cell(values, "award"),
            note=cell(values, "note"),
        )
        for number, values in sheet.rows
    ]
    if not rows:
        return [], [services.RowError(sheet.header_row, "", _("The file has no member rows."))]
    return rows, []


@require_http_methods(["GET", "POST"])
def results_import(request, pk):
    """Import results from a workbook (工号, 姓名, 成绩, 名次, 奖项, 备注): all or nothing,
    every problem listed with its row."""
    user = request.user
    competition = scoped_object_or_404(
        Competition.objects.select_related("kind", "workshop", "group"), user, CHANGE, pk=pk
    )
    form = ImportForm(request.POST or None, request.FILES or None)
    plan_errors = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            rows, plan_errors = read_results(uploaded, uploaded.name)
        except tabular.TableReadError as error:
            form.add_error("file", str(error))
        else:
            if not plan_errors:
                plan = services.results_plan(competition=competition, by=user, rows=rows)
                plan_errors = plan.errors
                if plan.ok:
                    count = services.results_apply(competition=competition, by=user, plan=plan)
                    messages.success(request, _("%(count)s results imported.") % {"count": count})
                    return redirect(competition)
    return render(
        request,
        "learning/results_import.html",
        {"competition": competition, "form": form, "errors": plan_errors},
    )


@require_GET
def results_template(request, pk):
    """A workbook to fill in: the columns, and the results there are (or, for a group's
    competition, its members)."""
    user = request.user
    competition = scoped_object_or_404(Competition.objects.all(), user, CHANGE, pk=pk)
    rows = [
        (
            r["employee_no"],
            r["name"],
            r.get("score", ""),
            r.get("rank", ""),
            r.get("award", ""),
            r.get("note", ""),
        )
        for r in _table_rows(competition, selectors.competition_results(competition))
        if r.get("employee_no")
    ]
    return tabular.xlsx_response(
        filename=_("results-%(id)s.xlsx") % {"id": competition.pk},
        sheet_title=pgettext("competition", "Results"),
        headers=[services.column(field) for field in services.COLUMN_TITLES],
        rows=rows,
    )


# A group's learning ------------------------------------------------------------------------


@require_GET
def group_learning(request, pk):
    user = request.user
    require_reach(LearningRecord.objects.all(), user, VIEW, others=True)
    group = get_object_or_404(
        LearningRecord.objects.groups_in_reach(user, VIEW).select_related("workshop"), pk=pk
    )
    year = _year(request)
    data = selectors.group_learning(group=group, year=year)
    return render(
        request,
        "learning/group.html",
        {
            "group": group,
            "data": data,
            "year": year,
            "years": _years(year),
            "may_change": allows(user, CHANGE, Lesson(group=group)),
        },
    )


@require_http_methods(["GET", "POST"])
def lesson_new(request, pk):
    """每周一课: the date, the topic and the members present, ticked in one go."""
    user = request.user
    require_reach(Lesson.objects.all(), user, CHANGE)
    group = get_object_or_404(
        Lesson.objects.groups_in_reach(user, CHANGE).select_related("workshop"), pk=pk
    )
    form = LessonForm(
        request.POST or None,
        group=group,
        initial={
            "held_on": timezone.localdate(),
            "hours": LearningSettings.current().lesson_hours,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lesson = services.lesson_record(
                group=group,
                by=user,
                held_on=data["held_on"],
                topic=data["topic"],
                teacher=data["teacher"],
                hours=data["hours"],
                members=data["members"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The weekly lesson is recorded with %(count)s members present.")
                % {"count": len(data["members"])},
            )
            return redirect(
                reverse("learning:group", args=[group.pk]) + f"?year={lesson.held_on.year}"
            )
    elif request.method == "GET":
        form.initial["members"] = [m.pk for m in form.fields["members"].queryset]
    return render(request, "learning/lesson_form.html", {"group": group, "form": form})


@require_POST
def lesson_delete(request, pk):
    user = request.user
    lesson = scoped_object_or_404(Lesson.objects.select_related("group"), user, CHANGE, pk=pk)
    services.lesson_delete(lesson=lesson, by=user)
    messages.success(request, _("The weekly lesson is taken back."))
    return redirect(
        reverse("learning:group", args=[lesson.group_id]) + f"?year={lesson.held_on.year}"
    )


# A member's learning -----------------------------------------------------------------------


def _probe(member) -> LearningRecord:
    return LearningRecord(member=member, group=member.group)


@require_GET
def member_learning(request, pk):
    user = request.user
    member = scoped_object_or_404(
        Member.objects.select_related("group__workshop"), user, VIEW, pk=pk
    )
    year = _year(request)
    records, results = selectors.member_records(user=user, member=member, year=year)
    figures = selectors.member_learning([member.pk], year, user=user)[member.pk]
    probe = _probe(member)
    return render(
        request,
        "learning/member.html",
        {
            "member": member,
            "year": year,
            "years": _years(year),
            "records": records,
            "results": results,
            "figures": figures,
            "target": LearningSettings.current().books_per_year,
            "may_add": member.is_active_member and allows(user, NOTE, probe),
            "may_change": allows(user, CHANGE, probe),
            "sees_group": allows(user, VIEW, Lesson(group=member.group)),
        },
    )


@require_http_methods(["GET", "POST"])
def record_new(request, pk):
    """A learning record of the member: any kind by their group's part of the organisation;
    a book with reading notes by the member themselves."""
    user = request.user
    require_reach(LearningRecord.objects.all(), user, NOTE)
    member = scoped_object_or_404(
        Member.objects.select_related("group__workshop"), user, VIEW, pk=pk
    )
    probe = _probe(member)
    staff = allows(user, CHANGE, probe)
    if not (staff or allows(user, NOTE, probe)):
        raise PermissionDenied
    initial = {"on": timezone.localdate()}
    form = RecordForm(
        request.POST or None, request.FILES or None, books_only=not staff, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.record_add(
                by=user,
                member=member,
                kind=data["kind"],
                on=data["on"],
                title=data["title"],
                hours=data.get("hours"),
                notes=data["notes"],
                certificate_no=data.get("certificate_no", ""),
                issuer=data.get("issuer", ""),
                upload=data.get("upload"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The learning record is saved."))
            return redirect(
                reverse("learning:member", args=[member.pk]) + f"?year={record.on.year}"
            )
    return render(
        request,
        "learning/record_form.html",
        {"member": member, "form": form, "books_only": not staff},
    )


@require_POST
def record_delete(request, pk):
    user = request.user
    record = get_object_or_404(
        LearningRecord.objects.restrict(user, VIEW).select_related("kind", "group"), pk=pk
    )
    try:
        services.record_delete(record=record, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The learning record is deleted."))
    if request.POST.get("back") == "group":
        return redirect(
            reverse("learning:group", args=[record.group_id]) + f"?year={record.on.year}"
        )
    return redirect(reverse("learning:member", args=[record.member_id]) + f"?year={record.on.year}")


@require_GET
def record_file(request, pk):
    """A certificate's scan, for those who read the record (never a public media URL)."""
    record = get_object_or_404(LearningRecord.objects.restrict(request.user, VIEW), pk=pk)
    return file_response(
        record.file,
        content_type=record.file_mime or "application/octet-stream",
        filename=record.file_name,
        inline=True,
        private_cache=False,
    )
