"""The hardship archive's pages, and the access log of sensitive welfare records."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import CHANGE, VIEW, allows, require_reach
from unionhome.db import reads_from_replica
from unionhome.forms import apply_service_errors
from unionhome.history import history_for
from unionhome.pagination import paginate

from .. import selectors, services
from ..access import log_access
from ..exports import archive_export
from ..forms import (
    FamilyFormSet,
    HardshipExitForm,
    HardshipForm,
    HardshipReviewForm,
    IdSearchForm,
)
from ..models import (
    DETAILS,
    EXPORT,
    AccessLog,
    HardshipRecord,
    HardshipStatus,
    WelfareCase,
)
from .common import address, member_for, no_store

Log = AccessLog.Action


@no_store
@require_http_methods(["GET", "POST"])
def archive_list(request):
    """The archive, filtered; a search by identity number (POST, logged) lists the
    records with that number instead."""
    user = request.user
    require_reach(HardshipRecord.objects.all(), user, VIEW)
    archive_filter = selectors.archive_list(user=user, params=request.GET)
    records = archive_filter.qs
    search = IdSearchForm(request.POST or None)
    if request.method == "POST" and search.is_valid():
        number = search.cleaned_data["id_number"]
        records = selectors.archive_by_id_number(user=user, id_number=number)
        log_access(
            user=user,
            action=Log.SEARCH,
            target="archive",
            summary=number[:6] + "…",
            address=address(request),
        )
    page, query = paginate(request, records)
    data = archive_filter.form.cleaned_data if archive_filter.is_valid() else {}
    return render(
        request,
        "welfare/archive_list.html",
        {
            "page": page,
            "query": query,
            "filter": archive_filter,
            "status": data.get("status") or HardshipStatus.ACTIVE,
            "due": bool(data.get("due")),
            "member": data.get("member"),
            "search": search,
            "due_count": HardshipRecord.objects.restrict(user, VIEW).reviews_due().count(),
            "can_export": HardshipRecord.objects.may(user, EXPORT),
            "today": timezone.localdate(),
        },
    )


@no_store
@require_http_methods(["GET", "POST"])
def archive_create(request):
    member = member_for(request, CHANGE, lambda m: HardshipRecord(member=m))
    instance = HardshipRecord(member=member, recorded_by=request.user)
    form = HardshipForm(request.POST or None, instance=instance)
    family = FamilyFormSet(
        request.POST or None,
        instance=instance,
        prefix="family",
        initial=[{"name": member.name, "relation": "本人"}],
    )
    if request.method == "POST" and form.is_valid() & family.is_valid():
        try:
            record = services.hardship_open(
                by=request.user,
                member=member,
                address=address(request),
                family=family.rows(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s is entered into the hardship archive.") % {"name": member.name}
            )
            return redirect("welfare:archive_detail", pk=record.pk)
    return render(
        request,
        "welfare/archive_form.html",
        {"form": form, "family": family, "member": member},
    )


def _may_change(user, record) -> bool:
    return record.status == HardshipStatus.ACTIVE and allows(user, CHANGE, record)


def _archive_page(request, record, review_form=None, exit_form=None):
    log_access(user=request.user, action=Log.VIEW, record=record, address=address(request))
    can_change = _may_change(request.user, record)
    return render(
        request,
        "welfare/archive_detail.html",
        {
            "record": record,
            "income_test": record.income_test(),
            "review_form": review_form
            or (HardshipReviewForm(record=record) if can_change else None),
            "exit_form": exit_form or (HardshipExitForm() if can_change else None),
            "can_change": can_change,
            "cases": WelfareCase.objects.restrict(request.user, DETAILS)
            .filter(member=record.member)
            .select_related("case_type"),
            "history": history_for(request.user, record),
        },
    )


@no_store
@require_GET
def archive_detail(request, pk):
    return _archive_page(request, selectors.archive_detail(user=request.user, pk=pk))


@no_store
@require_http_methods(["GET", "POST"])
def archive_edit(request, pk):
    record = selectors.archive_detail(user=request.user, pk=pk)
    if not _may_change(request.user, record):
        raise PermissionDenied
    form = HardshipForm(request.POST or None, instance=record)
    family = FamilyFormSet(request.POST or None, instance=record, prefix="family")
    if request.method == "GET":
        # The correction form shows every detail of the record: a read like its page.
        log_access(user=request.user, action=Log.VIEW, record=record, address=address(request))
    if request.method == "POST" and form.is_valid() & family.is_valid():
        try:
            services.hardship_update(
                record=record,
                by=request.user,
                address=address(request),
                family=family.rows(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The archive record is saved."))
            return redirect("welfare:archive_detail", pk=record.pk)
    return render(
        request,
        "welfare/archive_form.html",
        {"form": form, "family": family, "member": record.member, "record": record},
    )


@no_store
@require_POST
def archive_review(request, pk):
    record = selectors.archive_detail(user=request.user, pk=pk)
    form = HardshipReviewForm(request.POST, record=record)
    if form.is_valid():
        try:
            services.hardship_review(
                record=record, by=request.user, address=address(request), **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The yearly review is recorded."))
            return redirect("welfare:archive_detail", pk=record.pk)
    return _archive_page(request, record, review_form=form)


@no_store
@require_POST
def archive_exit(request, pk):
    record = selectors.archive_detail(user=request.user, pk=pk)
    form = HardshipExitForm(request.POST)
    if form.is_valid():
        try:
            services.hardship_exit(
                record=record, by=request.user, address=address(request), **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s has left the hardship archive.") % {"name": record.member.name}
            )
            return redirect("welfare:archive_detail", pk=record.pk)
    return _archive_page(request, record, exit_form=form)


@no_store
@require_GET
def archive_print(request, pk):
    record = selectors.archive_detail(user=request.user, pk=pk)
    log_access(user=request.user, action=Log.PRINT, record=record, address=address(request))
    return render(
        request,
        "welfare/archive_print.html",
        {
            "record": record,
            "today": timezone.localdate(),
            "income_test": record.income_test(),
            "cases": WelfareCase.objects.restrict(request.user, DETAILS)
            .filter(member=record.member)
            .select_related("case_type"),
        },
    )


@no_store
@reads_from_replica
@require_GET
def archive_export_view(request):
    require_reach(HardshipRecord.objects.all(), request.user, EXPORT)
    log_access(
        user=request.user,
        action=Log.EXPORT,
        target="archive",
        summary=_("hardship archive"),
        address=address(request),
    )
    return archive_export(user=request.user)


@no_store
@require_GET
def access_log(request):
    """The access log, for HQ welfare staff: read-only, newest first."""
    require_reach(AccessLog.objects.all(), request.user, VIEW)
    log_filter = selectors.access_log(user=request.user, params=request.GET)
    page, query = paginate(request, log_filter.qs)
    return render(
        request,
        "welfare/access_log.html",
        {"page": page, "query": query, "form": log_filter.form},
    )
