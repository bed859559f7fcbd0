"""Care tasks: the list, closing one with a visit and a photo, reporting a life event."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scoping import CHANGE, VIEW, allows, require_reach, scoped_object_or_404
from unionhome.dates import day_label
from unionhome.forms import apply_service_errors
from unionhome.pagination import paginate
from unionhome.params import id_param
from unionhome.uploads import file_response
from welfare.views.common import member_for, no_store

from . import selectors, services
from .forms import CloseForm, EventForm
from .models import OVERVIEW, CareTask, LifeEvent, TaskStatus


@require_GET
@no_store
def task_list(request):
    """The user's care tasks: a leader's group's, a workshop union's groups', HQ's own with
    an overview of every workshop union. The late ones first, marked."""
    require_reach(CareTask.objects.all(), request.user, VIEW)
    status = request.GET.get("status")
    if status not in TaskStatus.values:
        status = TaskStatus.OPEN
    group_id = id_param(request.GET.get("group"))
    workshop_id = id_param(request.GET.get("workshop"))
    when = request.GET.get("when") if request.GET.get("when") in ("late", "soon") else ""
    today = timezone.localdate()
    tasks = selectors.task_rows(
        user=request.user,
        status=status,
        group_id=group_id,
        workshop_id=workshop_id,
        when=when,
        today=today,
    )
    page, query = paginate(request, tasks)
    rows = [(task, task.is_late(today), allows(request.user, CHANGE, task)) for task in page]
    show_overview = CareTask.objects.may(request.user, OVERVIEW)
    return render(
        request,
        "caretasks/task_list.html",
        {
            "page": page,
            "query": query,
            "rows": rows,
            "status": status,
            "statuses": TaskStatus.choices,
            "filter_query": _filters(group_id, workshop_id),
            "overview": selectors.overview(user=request.user, today=today)
            if show_overview
            else None,
            "filtered": bool(group_id or workshop_id),
            "when": when,
            "today": today,
        },
    )


def _filters(group_id, workshop_id) -> str:
    if group_id:
        return f"&group={group_id}"
    if workshop_id:
        return f"&workshop={workshop_id}"
    return ""


@require_http_methods(["GET", "POST"])
@no_store
def task_close(request, pk):
    """Close a task with the visit and its photo (a phone's camera in the workshop)."""
    task = scoped_object_or_404(
        CareTask.objects.select_related("member", "group__workshop", "occasion", "event"),
        request.user,
        CHANGE,
        pk=pk,
    )
    if task.status != TaskStatus.OPEN:
        messages.info(request, _("This task is already closed."))
        return redirect("caretasks:list")
    form = CloseForm(request.POST or None, request.FILES or None, task=task, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_close(by=request.user, task=task, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The visit to %(name)s is recorded and the task is done.")
                % {"name": task.member.name},
            )
            return redirect("caretasks:list")
    return render(
        request,
        "caretasks/task_close.html",
        {"task": task, "form": form, "late": task.is_late(timezone.localdate())},
    )


@require_http_methods(["GET", "POST"])
@no_store
def event_new(request):
    """A leader reports a hospital stay, wedding, birth or bereavement of a member of the
    group: the care task is made at once."""
    member = member_for(request, CHANGE, lambda m: LifeEvent(member=m, group=m.group))
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_report(by=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            task = event.tasks.first()
            if task is not None:
                messages.success(
                    request,
                    _("Reported. A care task for %(name)s is due on %(day)s.")
                    % {"name": member.name, "day": day_label(task.due_on)},
                )
            else:
                messages.success(request, _("Reported."))
            return redirect("caretasks:list")
    return render(request, "caretasks/event_form.html", {"form": form, "member": member})


@require_GET
def task_photo(request, pk):
    """The photo of a closed task (or its thumbnail, ?size=thumb), for those who see the
    task."""
    task = scoped_object_or_404(CareTask.objects.all(), request.user, VIEW, pk=pk)
    if request.GET.get("size") == "thumb":
        return file_response(
            task.photo_thumb, content_type="image/jpeg", inline=True, private_cache=False
        )
    return file_response(
        task.photo, content_type=task.photo_mime or "image/jpeg", inline=True, private_cache=False
    )
