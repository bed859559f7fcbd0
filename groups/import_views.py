"""The member import's pages: upload a roster, see the preview (the columns and the field
each goes to, every problem with its row), adjust the mapping and check again, confirm.

The uploaded file waits in storage between the steps, named in the session with the
mapping last checked; confirming checks it again against the data as it is then."""

import uuid
from pathlib import PurePath

from django.contrib import messages
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import CHANGE, require_reach
from jobs.services import job_settings, job_start
from unionhome.network import client_address
from unionhome.tabular import TableReadError

from .background import MEMBER_IMPORT
from .exports import member_import_template
from .import_forms import SAVE_FOR_ME, ColumnMappingForm, RosterUploadForm
from .imports import (
    ImportConflict,
    import_mapping_save,
    mapping_workshops,
    member_import_apply,
    member_import_plan,
    member_import_read,
    resolve_columns,
)
from .models import Member

IMPORT_SESSION_KEY = "member_import"


def _plan_stored(request, stored, chosen=None):
    with default_storage.open(stored["path"], "rb") as handle:
        sheet = member_import_read(handle, stored["name"])
        return member_import_plan(sheet=sheet, by=request.user, chosen=chosen)


def _discard_stored_import(request):
    stored = request.session.pop(IMPORT_SESSION_KEY, None)
    if stored and default_storage.exists(stored["path"]):
        default_storage.delete(stored["path"])


def _remember(request, stored, plan):
    stored["mapping"] = plan.mapping
    stored["rows"] = plan.rows_read
    stored["headers"] = [c.title for c in plan.columns]
    stored["examples"] = [c.example for c in plan.columns]
    request.session[IMPORT_SESSION_KEY] = stored


def _stored_columns(request, stored):
    """The waiting file's columns as last checked, without reading it again."""
    columns, _source, _saved = resolve_columns(
        stored["headers"], by=request.user, chosen=stored["mapping"]
    )
    for column, example in zip(columns, stored["examples"], strict=False):
        column.example = example
    return columns


def _page(request, *, form=None, plan=None, mapping_form=None):
    if plan is not None and mapping_form is None:
        mapping_form = ColumnMappingForm(
            columns=plan.columns, workshops=mapping_workshops(request.user)
        )
    return render(
        request,
        "groups/member_import.html",
        {
            "form": form or RosterUploadForm(),
            "plan": plan,
            "mapping_form": mapping_form,
            # Confirming a file above HQ's row count runs the import in the background.
            "in_background": plan is not None
            and plan.ok
            and plan.rows_read > job_settings().member_import_rows,
        },
    )


@require_http_methods(["GET", "POST"])
def member_import(request):
    """Step one: upload a file, or check the waiting one again with the columns mapped as
    the user chose; it is shown as a preview, nothing is saved."""
    require_reach(Member.objects.all(), request.user, CHANGE)
    if request.method == "POST" and "recheck" in request.POST:
        return _recheck(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form=form)
    uploaded = form.cleaned_data["file"]
    try:
        sheet = member_import_read(uploaded, uploaded.name)
        plan = member_import_plan(sheet=sheet, by=request.user)
    except TableReadError as error:
        form.add_error("file", str(error))
        return _page(request, form=form)
    _discard_stored_import(request)
    uploaded.seek(0)
    suffix = PurePath(uploaded.name).suffix.lower()
    path = default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", uploaded)
    _remember(request, {"path": path, "name": uploaded.name}, plan)
    return _page(request, plan=plan)


def _recheck(request):
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored:
        messages.error(request, _("There is no import waiting; upload the file again."))
        return redirect("groups:member_import")
    mapping_form = ColumnMappingForm(
        request.POST,
        columns=_stored_columns(request, stored),
        workshops=mapping_workshops(request.user),
    )
    if not mapping_form.is_valid():
        return _page(request, mapping_form=mapping_form)
    try:
        plan = _plan_stored(request, stored, mapping_form.chosen)
    except TableReadError as error:
        _discard_stored_import(request)
        messages.error(request, str(error))
        return redirect("groups:member_import")
    _remember(request, stored, plan)
    save_for = mapping_form.save_for
    if save_for is not None:
        headers = [c.title for c in plan.columns]
        import_mapping_save(
            by=request.user,
            headers=headers,
            fields=plan.mapping,
            workshop=None if save_for == SAVE_FOR_ME else save_for,
        )
        messages.success(
            request,
            _("The mapping is saved: a file with the same column titles will use it by itself."),
        )
    return _page(request, plan=plan)


@require_POST
def member_import_confirm(request):
    """Step two: the user confirmed the preview; check the stored file again and apply it."""
    require_reach(Member.objects.all(), request.user, CHANGE)
    stored = request.session.get(IMPORT_SESSION_KEY)
    if "cancel" in request.POST or not stored:
        _discard_stored_import(request)
        if stored:
            messages.info(request, _("The import is cancelled; nothing was changed."))
        else:
            messages.error(request, _("There is no import waiting; upload the file again."))
        return redirect("groups:member_import")
    if stored.get("rows", 0) > job_settings().member_import_rows:
        return _import_in_background(request, stored)
    try:
        plan = _plan_stored(request, stored, stored.get("mapping"))
    except TableReadError as error:
        _discard_stored_import(request)
        messages.error(request, str(error))
        return redirect("groups:member_import")
    if not plan.ok:
        # The data changed since the preview: show the new problems, change nothing.
        return _page(request, plan=plan)
    try:
        member_import_apply(plan=plan, by=request.user, address=client_address(request))
    except ImportConflict as conflict:
        messages.error(request, str(conflict))
        return _page(request, plan=_plan_stored(request, stored, stored.get("mapping")))
    _discard_stored_import(request)
    messages.success(
        request,
        _(
            "Import done: %(created)s members enrolled, %(updated)s updated (%(moved)s moved), "
            "%(unchanged)s unchanged."
        )
        % {
            "created": len(plan.creates),
            "updated": len(plan.updates),
            "moved": len(plan.moves),
            "unchanged": plan.unchanged,
        },
    )
    return redirect(reverse("groups:member_list"))


def _import_in_background(request, stored):
    """A roster above HQ's row count is checked again and applied by the worker, all or
    nothing as here. The session lets go of it first and the file is moved to the job's
    own name (deleted with the job): a second click finds no import waiting, and two
    jobs never read one file."""
    request.session.pop(IMPORT_SESSION_KEY, None)
    try:
        job = job_start(
            user=request.user,
            kind=MEMBER_IMPORT,
            params={
                "name": stored["name"],
                "mapping": stored.get("mapping"),
                "rows": stored.get("rows", 0),
                "address": client_address(request),
            },
            title=_("Member import: %(name)s") % {"name": stored["name"]},
            input_file=stored["path"],
        )
    except FileNotFoundError:
        messages.error(request, _("There is no import waiting; upload the file again."))
        return redirect("groups:member_import")
    messages.info(
        request,
        _("The file is large: it is imported in the background. This page shows how far it got."),
    )
    return redirect("jobs:detail", pk=job.pk)


@require_GET
def member_import_template_view(request):
    require_reach(Member.objects.all(), request.user, CHANGE)
    return member_import_template(request.user)
