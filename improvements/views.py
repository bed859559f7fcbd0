"""The 合理化建议 pages. Views translate HTTP to selector and service calls; the scope rule
decides every row (lists, the detail, the attachments, the register, the form's members)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import VIEW, allows, require_reach, scoped_object_or_404
from groups.models import WorkshopUnion
from unionhome.forms import apply_service_errors
from unionhome.pagination import paginate
from unionhome.params import id_param, year_param
from unionhome.tabular import xlsx_response
from unionhome.uploads import file_response
from welfare.views.common import no_store

from . import selectors, services
from .forms import (
    AdoptForm,
    AttachForm,
    AwardForm,
    FilterForm,
    ImplementForm,
    ImprovementForm,
    MotionForm,
    RejectForm,
)
from .models import (
    AWARD,
    EXPORT,
    FILE,
    IMPLEMENT,
    PUBLIC,
    PUBLISH,
    SCREEN,
    TAKEN_UP,
    Improvement,
    ImprovementFile,
    Status,
)


def _filters(request, user):
    workshops = list(
        WorkshopUnion.objects.filter(
            pk__in=Improvement.objects.restrict(user, VIEW).values("workshop_id")
        ).order_by("sort_order", "pk")
    )
    form = FilterForm(request.GET or None, workshops=workshops, years=selectors.years(user))
    filters = selectors.Filters(waiting=request.GET.get("waiting", ""))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters.status = data.get("status") or ""
        filters.workshop_id = data.get("workshop")
        filters.year = data.get("year")
        filters.q = data.get("q") or ""
    return form, filters


@no_store
@require_GET
def improvement_list(request):
    user = request.user
    require_reach(Improvement.objects.all(), user, VIEW)
    form, filters = _filters(request, user)
    page, query = paginate(request, selectors.improvement_list(user=user, filters=filters))
    return render(
        request,
        "improvements/list.html",
        {
            "page": page,
            "rows": page.object_list,
            "query": query,
            "filter_form": form,
            "waiting": filters.waiting,
            "may_file": Improvement.objects.may(user, FILE),
            "may_export": Improvement.objects.may(user, EXPORT),
        },
    )


@no_store
@require_http_methods(["GET", "POST"])
def improvement_new(request):
    user = request.user
    require_reach(Improvement.objects.all(), user, FILE)
    own = selectors.own_member(user)
    members = selectors.fileable_members(user)
    initial = {}
    member_id = id_param(request.GET.get("member"))
    if own is None and member_id:
        initial["member"] = member_id
    form = ImprovementForm(
        request.POST or None,
        request.FILES or None,
        members=members,
        own_member=own,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            improvement = services.improvement_file(by=user, **form.service_data())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Suggestion %(number)s is filed; the workshop union will screen it.")
                % {"number": improvement.number},
            )
            return redirect("improvements:detail", improvement.pk)
    return render(request, "improvements/new.html", {"form": form, "own_member": own})


def _improvement(request, pk, action=VIEW) -> Improvement:
    return scoped_object_or_404(
        Improvement.objects.select_related(
            "member", "group", "workshop", "filed_by", "screened_by", "award_level"
        ),
        request.user,
        action,
        pk=pk,
    )


def _may_attach(user, improvement) -> bool:
    """Whoever may file for the member adds files while it waits for screening; the
    workshop union and HQ at any time (the service says the same)."""
    return allows(user, IMPLEMENT, improvement) or (
        improvement.status == Status.SUBMITTED and allows(user, FILE, improvement)
    )


def _detail(request, improvement, status=200, **forms):
    user = request.user
    submitted = improvement.status == Status.SUBMITTED
    taken_up = improvement.status in TAKEN_UP
    may_screen = submitted and allows(user, SCREEN, improvement)
    may_implement = taken_up and allows(user, IMPLEMENT, improvement)
    may_award = taken_up and improvement.is_implemented and allows(user, AWARD, improvement)
    implement_initial = {
        "implemented_on": improvement.implemented_on or timezone.localdate(),
        "implementation": improvement.implementation,
        "yuan_saved": improvement.yuan_saved,
        "effect_kinds": list(improvement.effect_kinds.all()),
    }
    award_initial = (
        {
            "level": improvement.award_level_id,
            "amount": improvement.award_amount,
            "awarded_on": improvement.awarded_on,
        }
        if improvement.award_level_id
        else {}
    )
    may_attach = _may_attach(user, improvement)
    return render(
        request,
        "improvements/detail.html",
        {
            "item": improvement,
            "attachments": list(improvement.attachments.all()),
            "effects": implement_initial["effect_kinds"],
            "may_screen": may_screen,
            "may_implement": may_implement,
            "may_award": may_award,
            "may_publish": improvement.is_decided and allows(user, PUBLISH, improvement),
            "may_attach": may_attach,
            "adopt_form": forms.get("adopt_form") or AdoptForm(prefix="adopt"),
            "reject_form": forms.get("reject_form") or RejectForm(prefix="reject"),
            "motion_form": forms.get("motion_form") or MotionForm(prefix="motion"),
            "implement_form": forms.get("implement_form")
            or ImplementForm(prefix="implement", initial=implement_initial),
            "award_form": forms.get("award_form")
            or AwardForm(prefix="award", initial=award_initial),
            "attach_form": forms.get("attach_form") or AttachForm(prefix="attach"),
        },
        status=status,
    )


@no_store
@require_GET
def improvement_detail(request, pk):
    return _detail(request, _improvement(request, pk))


def _change(request, improvement, form_name, form, change, success):
    """Run a service with a valid form's data; on a refusal show the page again with the
    reason next to the field."""
    if form.is_valid():
        try:
            change(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not do this."))
        else:
            messages.success(request, success)
            return redirect("improvements:detail", improvement.pk)
    improvement.refresh_from_db()
    return _detail(request, improvement, status=200, **{form_name: form})


@no_store
@require_POST
def improvement_adopt(request, pk):
    item = _improvement(request, pk, SCREEN)
    form = AdoptForm(request.POST, prefix="adopt")
    return _change(
        request,
        item,
        "adopt_form",
        form,
        lambda d: services.improvement_adopt(by=request.user, improvement=item, **d),
        _("The suggestion is adopted."),
    )


@no_store
@require_POST
def improvement_reject(request, pk):
    item = _improvement(request, pk, SCREEN)
    form = RejectForm(request.POST, prefix="reject")
    return _change(
        request,
        item,
        "reject_form",
        form,
        lambda d: services.improvement_reject(by=request.user, improvement=item, **d),
        _("The suggestion is not adopted; the member sees the reason."),
    )


@no_store
@require_POST
def improvement_motion(request, pk):
    item = _improvement(request, pk, SCREEN)
    form = MotionForm(request.POST, prefix="motion")
    return _change(
        request,
        item,
        "motion_form",
        form,
        lambda d: services.improvement_to_motion(by=request.user, improvement=item, **d),
        _("The suggestion is turned into a motion for the workers' congress."),
    )


@no_store
@require_POST
def improvement_implement(request, pk):
    item = _improvement(request, pk, IMPLEMENT)
    form = ImplementForm(request.POST, prefix="implement")
    return _change(
        request,
        item,
        "implement_form",
        form,
        lambda d: services.improvement_implement(by=request.user, improvement=item, **d),
        _("The implementation is recorded."),
    )


@no_store
@require_POST
def improvement_award(request, pk):
    item = _improvement(request, pk, AWARD)
    form = AwardForm(request.POST, prefix="award")
    return _change(
        request,
        item,
        "award_form",
        form,
        lambda d: services.improvement_award(by=request.user, improvement=item, **d),
        _("The award is recorded on the member's record."),
    )


@require_POST
def improvement_public(request, pk):
    item = _improvement(request, pk, PUBLISH)
    public = request.POST.get("public") == "1"
    try:
        services.improvement_set_public(by=request.user, improvement=item, public=public)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The suggestion is listed publicly.")
            if public
            else _("The suggestion is taken off the public list."),
        )
    return redirect("improvements:detail", item.pk)


@no_store
@require_POST
def improvement_attach(request, pk):
    item = _improvement(request, pk)
    if not _may_attach(request.user, item):
        raise PermissionDenied
    form = AttachForm(request.POST, request.FILES, prefix="attach")
    return _change(
        request,
        item,
        "attach_form",
        form,
        lambda d: services.improvement_attach(
            by=request.user, improvement=item, files=d["attachments"]
        ),
        _("The files are attached."),
    )


@no_store
@require_GET
def attachment(request, pk):
    item = scoped_object_or_404(
        ImprovementFile.objects.select_related("improvement"), request.user, VIEW, pk=pk
    )
    inline = item.mime.startswith("image/") or item.mime == "application/pdf"
    return file_response(
        item.file, content_type=item.mime, filename=item.name, inline=inline, private_cache=False
    )


@require_GET
def public_list(request):
    """公示: decided suggestions marked public, for every login of the organisation."""
    user = request.user
    require_reach(Improvement.objects.all(), user, PUBLIC)
    years = sorted(
        {d.year for d in Improvement.objects.restrict(user, PUBLIC).dates("filed_on", "year")},
        reverse=True,
    )
    year = year_param(request.GET.get("year"))
    page, query = paginate(request, selectors.public_list(user=user, year=year))
    return render(
        request,
        "improvements/public.html",
        {"page": page, "rows": page.object_list, "query": query, "years": years, "year": year},
    )


@no_store
@require_GET
def export(request):
    """合理化建议登记台账: the rows of the list with its filters, as a workbook."""
    user = request.user
    require_reach(Improvement.objects.all(), user, EXPORT)
    _form, filters = _filters(request, user)
    rows = (
        selectors.improvement_list(user=user, filters=filters)
        .filter(pk__in=Improvement.objects.restrict(user, EXPORT).values("pk"))
        .prefetch_related("effect_kinds")
    )
    headers = [
        _("Number"),
        _("Proposer"),
        pgettext("register", "Union group"),
        pgettext("register", "Workshop union"),
        pgettext("register", "Title"),
        _("Date proposed"),
        _("Status"),
        _("Responsible department or person"),
        _("Due on"),
        _("Implementation"),
        _("Yuan saved"),
        _("Award level"),
        _("Award (yuan)"),
    ]
    table = (
        [
            i.number,
            i.member.name,
            i.group.name,
            i.workshop.name,
            i.title,
            i.filed_on,
            i.get_status_display(),
            i.responsible,
            i.due_on,
            _implementation_text(i),
            i.yuan_saved,
            i.award_level.name if i.award_level_id else "",
            i.award_amount,
        ]
        for i in rows
    )
    year = f"-{filters.year}" if filters.year else ""
    return xlsx_response(
        filename=f"improvements{year}.xlsx",
        sheet_title=_("Suggestion register"),
        headers=headers,
        rows=table,
    )


def _implementation_text(item) -> str:
    if item.implemented_on:
        kinds = "、".join(k.name for k in item.effect_kinds.all())
        text = f"{item.implemented_on:%Y-%m-%d} {item.implementation}"
        return f"{text}（{kinds}）" if kinds else text
    if item.status == Status.REJECTED:
        return item.reject_reason
    return ""
