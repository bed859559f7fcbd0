"""整改 pages: the list, one item with its report and evidence, raising an item (of the
office's own or from an inspection's remarks), reporting, closing and returning."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import CHANGE, VIEW, allows, require_reach, scoped_object_or_404
from homes.models import Inspection
from unionhome.forms import apply_service_errors
from unionhome.pagination import paginate
from unionhome.params import id_param
from unionhome.uploads import file_response
from welfare.views.common import no_store

from . import selectors, services
from .forms import InspectionRaiseForm, RaiseForm, ReportForm, ReturnForm
from .models import CLOSE, REPORT, Kind, Rectification, RectificationEvidence, Status


@require_GET
@no_store
def item_list(request):
    """The items the user reads, due first; filters by status, overdue, kind, workshop."""
    user = request.user
    require_reach(Rectification.objects.all(), user, VIEW)
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    overdue = request.GET.get("overdue") == "1"
    workshops = list(Rectification.objects.workshops_in_reach(user, VIEW))
    workshop_id = id_param(request.GET.get("workshop"))
    workshop = next((w for w in workshops if w.pk == workshop_id), None)
    mine = request.GET.get("mine", "")
    mine = mine if mine in ("report", "accept") else ""
    group_id = id_param(request.GET.get("group"))
    group = (
        Rectification.objects.groups_in_reach(user, VIEW).filter(pk=group_id).first()
        if group_id
        else None
    )
    items = selectors.rectification_list(
        user=user,
        status=status,
        overdue=overdue,
        kind=kind,
        workshop=workshop,
        group=group,
        mine=mine,
    )
    page, query = paginate(request, items)
    today = timezone.localdate()
    return render(
        request,
        "rectifications/list.html",
        {
            "page": page,
            "query": query,
            "items": list(page),
            "today": today,
            "status": status,
            "kind": kind,
            "overdue": overdue,
            "workshop": workshop,
            "group": group,
            "mine": mine,
            "workshops": workshops if len(workshops) > 1 else [],
            "statuses": Status.choices,
            "kinds": Kind.choices,
            "can_raise": Rectification.objects.may(user, CHANGE),
        },
    )


def _source_link(item):
    """The page of the record the item was raised from, when it has one."""
    source = item.source if item.source_type_id else None
    if source is None:
        return None, None
    if isinstance(source, Inspection):
        url = reverse("homes:declaration", args=[source.declaration_id]) + "#inspections"
        return source, url
    try:
        url = source.get_absolute_url() if hasattr(source, "get_absolute_url") else None
    except NoReverseMatch:
        url = None
    return source, url


def _detail_page(request, item, *, return_form=None, close_errors=None):
    user = request.user
    source, source_url = _source_link(item)
    can_close = item.status == Status.SUBMITTED and allows(user, CLOSE, item)
    return render(
        request,
        "rectifications/detail.html",
        {
            "item": item,
            "source": source,
            "source_url": source_url,
            "evidence": list(item.evidence.select_related("uploaded_by")),
            "can_report": item.awaits_report and allows(user, REPORT, item),
            "can_close": can_close,
            "return_form": return_form or (ReturnForm() if can_close else None),
            "close_errors": close_errors or [],
        },
    )


@require_GET
@no_store
def item_detail(request, pk):
    return _detail_page(request, selectors.rectification_detail(user=request.user, pk=pk))


@require_http_methods(["GET", "POST"])
@no_store
def item_report(request, pk):
    """The owner reports the item done, with photos or documents as evidence."""
    item = scoped_object_or_404(
        Rectification.objects.select_related("workshop", "group"), request.user, REPORT, pk=pk
    )
    if not item.awaits_report:
        messages.info(request, _("This item is not waiting for a report."))
        return redirect(item)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rectification_report(
                rectification=item,
                by=request.user,
                report=form.cleaned_data["report"],
                evidence_files=form.cleaned_data["evidence_files"],
                completed_on=form.cleaned_data["completed_on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Reported done; the item waits for acceptance by the one who raised it.")
            )
            return redirect(item)
    return render(
        request,
        "rectifications/report_form.html",
        {"item": item, "form": form, "evidence": list(item.evidence.all())},
    )


def _for_acceptance(request, pk):
    """The item, for the one who raised it or HQ (others never see the buttons)."""
    return scoped_object_or_404(
        Rectification.objects.select_related("workshop", "group"), request.user, CLOSE, pk=pk
    )


@require_POST
@no_store
def item_close(request, pk):
    item = _for_acceptance(request, pk)
    try:
        services.rectification_close(rectification=item, by=request.user)
    except ValidationError as error:
        return _detail_page(
            request,
            selectors.rectification_detail(user=request.user, pk=pk),
            close_errors=error.messages,
        )
    messages.success(request, _("The item is closed (销号)."))
    return redirect(item)


@require_POST
@no_store
def item_return(request, pk):
    item = _for_acceptance(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.rectification_return(
                rectification=item, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The item is returned to its owner."))
            return redirect(item)
    return _detail_page(
        request, selectors.rectification_detail(user=request.user, pk=pk), return_form=form
    )


def _item_args(data):
    return {
        "title": data["title"],
        "description": data["description"],
        "owner_department": data["owner_department"],
        "owner_user": data["owner_user"],
        "due_on": data["due_on"],
    }


@require_http_methods(["GET", "POST"])
@no_store
def item_raise(request):
    """The union office raises an item of its own."""
    require_reach(Rectification.objects.all(), request.user, CHANGE)
    form = RaiseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.rectification_raise_other(
                by=request.user,
                workshop=form.cleaned_data["workshop"],
                group=form.cleaned_data["group"],
                **_item_args(form.cleaned_data),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The rectification item is raised."))
            return redirect(item)
    return render(request, "rectifications/raise_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@no_store
def item_raise_from_inspection(request, pk):
    """An item from an inspection's remarks, prefilled from them, in the inspected group."""
    inspection = get_object_or_404(
        Inspection.objects.restrict(request.user, VIEW).select_related(
            "declaration__group__workshop", "inspector"
        ),
        pk=pk,
    )
    if not services.may_raise_from_inspection(request.user, inspection):
        raise PermissionDenied
    form = InspectionRaiseForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.rectification_raise_from_inspection(
                by=request.user, inspection=inspection, **_item_args(form.cleaned_data)
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The rectification item is raised."))
            return redirect(item)
    return render(
        request,
        "rectifications/raise_form.html",
        {
            "form": form,
            "inspection": inspection,
            "group": inspection.declaration.group,
            "raised": list(selectors.items_of_source(user=request.user, source=inspection)),
        },
    )


@require_GET
@no_store
def evidence_file(request, pk):
    """An evidence photo or document, for those who read its item."""
    evidence = get_object_or_404(RectificationEvidence.objects.restrict(request.user, VIEW), pk=pk)
    return file_response(
        evidence.file,
        content_type=evidence.mime,
        filename=evidence.original_name,
        inline=evidence.is_image or evidence.mime == "application/pdf",
        private_cache=False,
    )
