"""小家 creation pages. Views translate HTTP to selector and service calls."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import CHANGE, VIEW, allows, require_reach, scoped_object_or_404
from activities.models import ContentArea
from groups.models import LEVEL_ORDER, HomeLevel
from unionhome import extensions
from unionhome.dates import day_label
from unionhome.extensions import group_records
from unionhome.forms import apply_service_errors
from unionhome.pagination import paginate
from unionhome.uploads import file_response

from . import selectors, services
from .forms import (
    AnswerForm,
    AssignForm,
    DeclarationForm,
    EvidenceFileForm,
    InspectionForm,
    NamingForm,
    NoteForm,
    NoticeForm,
    ObjectionForm,
    PanelForm,
    PlanForm,
    ReasonForm,
    RecheckDecideForm,
    RecheckForm,
    RecommendForm,
    SignOffForm,
    TitleEndForm,
)
from .models import (
    ASSIGN,
    CONFIRM,
    REVIEW,
    SIGN_OFF,
    CreationPlan,
    Declaration,
    DeclarationFile,
    DeclarationKind,
    DeclarationStatus,
    HomeTitle,
    Inspection,
    InspectionPanel,
    InspectionPhoto,
    NamingDocument,
    Notice,
    Objection,
    PlanStatus,
)


def _done(request, message, url):
    messages.success(request, message)
    return redirect(url)


# The pipeline ----------------------------------------------------------------------------


@require_GET
def overview(request):
    """Where every group's 小家 stands, per workshop union, with the year's targets. A
    user who reaches one group only (its leader) goes straight to that group's page."""
    user = request.user
    require_reach(Declaration.objects.all(), user, VIEW)
    own = Declaration.objects.scope(user, VIEW).only_group_id
    if own is not None:
        return redirect("homes:group", pk=own)
    year = selectors.year_for(request.GET.get("year"))
    pipeline = selectors.pipeline(user=user, year=year)
    # A page of workshop unions at a time; the totals cover them all.
    page, query = paginate(request, pipeline.rows)
    return render(
        request,
        "homes/overview.html",
        {
            "pipeline": pipeline,
            "page": page,
            "query": query,
            "year": year,
            "years": selectors.years(),
            "levels": LEVEL_ORDER,
        },
    )


@require_GET
def home_groups(request):
    require_reach(Declaration.objects.all(), request.user, VIEW)
    group_filter = selectors.home_groups(user=request.user, params=request.GET)
    page, query = paginate(request, group_filter.qs)
    return render(
        request,
        "homes/group_list.html",
        {"filter": group_filter, "page": page, "query": query},
    )


@require_GET
def group(request, pk):
    home = selectors.group_home(user=request.user, pk=pk)
    user = request.user
    year = selectors.year_for(request.GET.get("year"))
    this_year_plan = next((p for p in home.plans if year and p.year == year.year), None)
    declared = {(d.year.year, d.kind) for d in home.declarations}
    may_change = allows(user, CHANGE, Declaration(group=home.group))
    can_declare = (
        year is not None
        and may_change
        and this_year_plan is not None
        and this_year_plan.status == PlanStatus.APPROVED
        and (year.year, DeclarationKind.ACCEPTANCE) not in declared
    )
    return render(
        request,
        "homes/group.html",
        {
            "home": home,
            "group": home.group,
            "year": year,
            "years": selectors.years(),
            "this_year_plan": this_year_plan,
            "can_plan": year is not None and may_change and this_year_plan is None,
            "can_declare": can_declare,
            "window_open": year is not None and services.in_window(year, timezone.localdate()),
            "can_recheck": year is not None
            and bool(home.group.home_level)
            and allows(user, CONFIRM, Declaration(group=home.group))
            and (year.year, DeclarationKind.RECHECK) not in declared,
            "current_title": next((t for t in home.titles if t.is_current), None),
            "can_end_title": any(t.is_current and allows(user, CONFIRM, t) for t in home.titles),
            "recheck_form": RecheckForm(),
            "title_end_form": TitleEndForm(),
        },
    )


# 创建方案 ---------------------------------------------------------------------------------


def _plan_group(request, pk):
    group = get_object_or_404(
        CreationPlan.objects.groups_in_reach(request.user, CHANGE).select_related("workshop"),
        pk=pk,
    )
    return group


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk, year):
    """Write (or correct) the group's plan for the year; "submit" sends it on."""
    require_reach(CreationPlan.objects.all(), request.user, CHANGE)
    group = _plan_group(request, pk)
    plan = CreationPlan.objects.filter(group=group, year=year).first() or CreationPlan(
        group=group, year=year
    )
    if plan.pk and not plan.is_editable:
        return redirect("homes:plan", pk=plan.pk)
    form = PlanForm(request.POST or None, request.FILES or None, instance=plan, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            # Saved and submitted together or not at all: the form keeps what was typed.
            with transaction.atomic():
                plan = services.plan_save(
                    group=group, year=year, by=request.user, **form.service_arguments()
                )
                if "submit" in request.POST:
                    services.plan_submit(plan=plan, by=request.user, version=plan.version)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            message = (
                _("The plan is submitted; the workshop union approves or returns it next.")
                if "submit" in request.POST
                else _("The plan is saved as a draft; submit it when it is complete.")
            )
            return _done(request, message, reverse("homes:plan", args=[plan.pk]))
    return render(
        request, "homes/plan_form.html", {"form": form, "group": group, "plan": plan, "year": year}
    )


@require_GET
def plan(request, pk):
    plan = selectors.plan_detail(user=request.user, pk=pk)
    user = request.user
    return render(
        request,
        "homes/plan_detail.html",
        {
            "plan": plan,
            "group": plan.group,
            "can_edit": plan.is_editable and allows(user, CHANGE, plan),
            "can_review": services.plan_may_review(plan=plan, user=user),
            "approve_form": NoteForm(initial={"version": plan.version}),
            "return_form": ReasonForm(initial={"version": plan.version}),
            "core_names": plan.core,
            "measures": [
                (area, plan.measures.get(area.code, ""))
                for area in _areas()
                if area.code in plan.measures
            ],
        },
    )


def _areas():
    return list(ContentArea.objects.all())


def _plan_step(request, pk, form_class, act, done):
    plan = selectors.plan_detail(user=request.user, pk=pk)
    if not allows(request.user, REVIEW, plan):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(plan, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return _done(request, done, reverse("homes:plan", args=[plan.pk]))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("homes:plan", pk=plan.pk)


@require_POST
def plan_approve(request, pk):
    return _plan_step(
        request,
        pk,
        NoteForm,
        lambda plan, data: services.plan_approve(
            plan=plan, by=request.user, version=data["version"], note=data["note"]
        ),
        _("The plan is approved; the group's small home is now being built."),
    )


@require_POST
def plan_return(request, pk):
    return _plan_step(
        request,
        pk,
        ReasonForm,
        lambda plan, data: services.plan_return(
            plan=plan, by=request.user, version=data["version"], reason=data["reason"]
        ),
        _("The plan is returned to the group with your reason."),
    )


@require_GET
def plan_file(request, pk):
    plan = selectors.plan_detail(user=request.user, pk=pk)
    return file_response(
        plan.rules_file,
        content_type="application/octet-stream",
        filename=plan.rules_file_name,
        inline=False,
    )


@require_GET
def plans(request):
    require_reach(CreationPlan.objects.all(), request.user, VIEW)
    plan_filter = selectors.plan_list(user=request.user, params=request.GET)
    page, query = paginate(request, plan_filter.qs)
    return render(
        request, "homes/plan_list.html", {"filter": plan_filter, "page": page, "query": query}
    )


# 自评申报 ----------------------------------------------------------------------------------


@require_POST
def declaration_open(request, pk, year):
    group = get_object_or_404(Declaration.objects.groups_in_reach(request.user, CHANGE), pk=pk)
    try:
        declaration = services.declaration_open(group=group, year=year, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("homes:group", pk=group.pk)
    return _done(
        request,
        _("The self-assessment is open: score each line, then declare it."),
        reverse("homes:declaration_edit", args=[declaration.pk]),
    )


@dataclass
class DeclarationSteps:
    """What the user may do with a declaration now (each a predicate of the services)."""

    edit: bool
    recommend: bool
    send_back: bool
    assign: bool
    inspect: bool
    sign_off: bool
    decide: bool


def _steps(user, declaration) -> DeclarationSteps:
    status = declaration.status
    return DeclarationSteps(
        edit=declaration.is_editable and allows(user, CHANGE, declaration),
        recommend=status == DeclarationStatus.DECLARED and allows(user, REVIEW, declaration),
        send_back=services.declaration_may_return(declaration=declaration, user=user),
        assign=status == DeclarationStatus.RECOMMENDED and allows(user, ASSIGN, declaration),
        inspect=services.inspection_may_record(declaration=declaration, user=user),
        sign_off=status == DeclarationStatus.INSPECTING and allows(user, SIGN_OFF, declaration),
        decide=status == DeclarationStatus.SIGNED_OFF and allows(user, CONFIRM, declaration),
    )


def _with_actions(user, inspections) -> list:
    """The inspections, each with the buttons other apps offer next to it (raise a
    rectification item from its remarks)."""
    found = list(inspections)
    for inspection in found:
        inspection.record_actions = extensions.record_actions(user, inspection)
    return found


def _declaration_page(request, declaration, **forms):
    user = request.user
    steps = _steps(user, declaration)
    total, submitted = services.panel_result(declaration) if declaration.panel_id else (None, [])
    context = {
        "declaration": declaration,
        "group": declaration.group,
        "steps": steps,
        "lines": _lines(declaration),
        "inspections": _with_actions(user, declaration.inspections.all()),
        "running_total": total,
        "submitted": submitted,
        "events": list(declaration.events.all()),
    }
    if steps.send_back:
        context["return_form"] = forms.get("return_form") or ReasonForm(
            initial={"version": declaration.version}
        )
    if steps.assign:
        panels = InspectionPanel.objects.restrict(user, VIEW).filter(year=declaration.year)
        context["assign_form"] = forms.get("assign_form") or AssignForm(
            declaration=declaration, panels=panels
        )
    if steps.sign_off:
        context["sign_off_form"] = forms.get("sign_off_form") or SignOffForm(
            initial={"version": declaration.version}
        )
    if steps.decide:
        context["decide_form"] = forms.get("decide_form") or RecheckDecideForm(
            initial={"version": declaration.version}
        )
    return render(request, "homes/declaration_detail.html", context)


@dataclass
class Line:
    criterion: dict
    indicator: dict
    data: dict


def _lines(declaration):
    return [
        Line(criterion, indicator, declaration.lines.get(indicator["code"], {}))
        for criterion, indicator in declaration.indicators()
    ]


@require_GET
def declaration(request, pk):
    return _declaration_page(request, selectors.declaration_detail(user=request.user, pk=pk))


@require_GET
def declarations(request):
    require_reach(Declaration.objects.all(), request.user, VIEW)
    declaration_filter = selectors.declaration_list(user=request.user, params=request.GET)
    page, query = paginate(request, declaration_filter.qs)
    return render(
        request,
        "homes/declaration_list.html",
        {"filter": declaration_filter, "page": page, "query": query},
    )


def _records(request, declaration):
    year = declaration.year
    records = group_records(request.user, declaration.group, year.start, year.end)
    records += [
        (f"file:{f.pk}", f.original_name, reverse("homes:declaration_file", args=[f.pk]))
        for f in declaration.files.all()
    ]
    return records


@require_http_methods(["GET", "POST"])
def declaration_edit(request, pk):
    declaration = selectors.declaration_detail(user=request.user, pk=pk)
    if not _steps(request.user, declaration).edit:
        raise PermissionDenied
    form = DeclarationForm(
        request.POST or None, declaration=declaration, records=_records(request, declaration)
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = services.declaration_save(
                    declaration=declaration, by=request.user, **form.service_arguments()
                )
                if "submit" in request.POST:
                    services.declaration_submit(
                        declaration=saved, by=request.user, version=saved.version
                    )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            message = (
                _("Declared: the workshop union reviews it and recommends a title next.")
                if "submit" in request.POST
                else _("The self-assessment is saved; declare it when every line is scored.")
            )
            return _done(request, message, reverse("homes:declaration", args=[declaration.pk]))
    return render(
        request,
        "homes/declaration_form.html",
        {
            "declaration": declaration,
            "group": declaration.group,
            "form": form,
            "file_form": EvidenceFileForm(),
            "window_open": services.in_window(declaration.year, timezone.localdate()),
        },
    )


@require_POST
def declaration_file_add(request, pk):
    declaration = selectors.declaration_detail(user=request.user, pk=pk)
    form = EvidenceFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.declaration_add_file(
                declaration=declaration, by=request.user, uploaded=form.cleaned_data["file"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The file is added; cite it on the lines it supports."))
    else:
        messages.error(request, _("Choose a file to add."))
    return redirect("homes:declaration_edit", pk=declaration.pk)


@require_GET
def declaration_file(request, pk):
    document = get_object_or_404(DeclarationFile.objects.restrict(request.user, VIEW), pk=pk)
    return file_response(
        document.file,
        content_type=document.mime,
        filename=document.original_name,
        inline=document.kind == "image" or document.mime == "application/pdf",
    )


@require_http_methods(["GET", "POST"])
def declaration_recommend(request, pk):
    declaration = selectors.declaration_detail(user=request.user, pk=pk)
    if not _steps(request.user, declaration).recommend:
        raise PermissionDenied
    form = RecommendForm(request.POST or None, declaration=declaration)
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_recommend(
                declaration=declaration, by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(
                request,
                _("Recommended: HQ gives the declaration to an inspection panel next."),
                reverse("homes:declaration", args=[declaration.pk]),
            )
    allowed, used = services.quota_left(
        year=declaration.year,
        workshop=declaration.group.workshop,
        level=form["level"].value() or declaration.target_level,
        excluding=declaration,
    )
    return render(
        request,
        "homes/recommend_form.html",
        {
            "declaration": declaration,
            "group": declaration.group,
            "form": form,
            "lines": _lines(declaration),
            "quota": (allowed, used),
        },
    )


def _declaration_step(request, pk, *, step, form_class, form_key, act, done, form_kwargs=None):
    """One step on a declaration, refused (403) unless `step` is among what the user may do
    with it now; on a mistake its page comes back with the form and the error."""
    declaration = selectors.declaration_detail(user=request.user, pk=pk)
    if not getattr(_steps(request.user, declaration), step):
        raise PermissionDenied
    form = form_class(request.POST, **(form_kwargs(declaration) if form_kwargs else {}))
    if form.is_valid():
        try:
            act(declaration, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(request, done, reverse("homes:declaration", args=[declaration.pk]))
    return _declaration_page(request, declaration, **{form_key: form})


@require_POST
def declaration_return(request, pk):
    return _declaration_step(
        request,
        pk,
        step="send_back",
        form_class=ReasonForm,
        form_key="return_form",
        act=lambda d, data: services.declaration_return(
            declaration=d, by=request.user, version=data["version"], reason=data["reason"]
        ),
        done=_("Sent back to the step before, with your reason."),
    )


@require_POST
def declaration_assign(request, pk):
    return _declaration_step(
        request,
        pk,
        step="assign",
        form_class=AssignForm,
        form_key="assign_form",
        form_kwargs=lambda d: {
            "declaration": d,
            "panels": InspectionPanel.objects.restrict(request.user, VIEW).filter(year=d.year),
        },
        act=lambda d, data: services.declaration_assign(
            declaration=d, by=request.user, version=data["version"], panel=data["panel"]
        ),
        done=_("Given to the panel: its members inspect the group on site next."),
    )


@require_POST
def declaration_sign_off(request, pk):
    return _declaration_step(
        request,
        pk,
        step="sign_off",
        form_class=SignOffForm,
        form_key="sign_off_form",
        act=lambda d, data: services.declaration_sign_off(
            declaration=d, by=request.user, version=data["version"], opinion=data["opinion"]
        ),
        done=_("Signed off: HQ publishes the proposed titles in a public notice next."),
    )


@require_POST
def recheck_decide(request, pk):
    return _declaration_step(
        request,
        pk,
        step="decide",
        form_class=RecheckDecideForm,
        form_key="decide_form",
        act=lambda d, data: services.recheck_decide(
            declaration=d,
            by=request.user,
            version=data["version"],
            outcome=data["outcome"],
            level=data["level"],
            reason=data["reason"],
        ),
        done=_("The re-check is decided; the group's title follows it."),
    )


@require_http_methods(["GET", "POST"])
def inspect(request, pk):
    """A panel member's on-site inspection of a declared group (a phone in the workshop)."""
    declaration = selectors.declaration_detail(user=request.user, pk=pk)
    if not _steps(request.user, declaration).inspect:
        raise PermissionDenied
    inspection = Inspection.objects.filter(declaration=declaration, inspector=request.user).first()
    checklist = services.checklist_for(declaration)
    form = InspectionForm(
        request.POST or None,
        request.FILES or None,
        declaration=declaration,
        checklist=checklist,
        inspection=inspection,
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.inspection_save(
                declaration=declaration, by=request.user, submit=submit, **form.service_arguments()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            message = (
                _("Your inspection is submitted; the panel leader signs off the panel's result.")
                if submit
                else _("Your inspection is saved; submit it when every line is scored.")
            )
            return _done(request, message, reverse("homes:declaration", args=[declaration.pk]))
    return render(
        request,
        "homes/inspect_form.html",
        {
            "declaration": declaration,
            "group": declaration.group,
            "form": form,
            "inspection": inspection,
        },
    )


@require_GET
def inspection_photo(request, pk):
    photo = get_object_or_404(InspectionPhoto.objects.restrict(request.user, VIEW), pk=pk)
    return file_response(
        photo.file, content_type=photo.mime, filename=photo.original_name, inline=True
    )


# Panels ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def panels(request):
    """The year's inspection panels; HQ forms a new one here."""
    user = request.user
    require_reach(InspectionPanel.objects.all(), user, VIEW)
    year = selectors.year_for(request.GET.get("year"))
    can_form = year is not None and InspectionPanel.objects.may(user, ASSIGN)
    form = PanelForm(request.POST or None) if can_form else None
    if request.method == "POST":
        if not can_form:
            raise PermissionDenied
        if form.is_valid():
            try:
                panel = services.panel_save(year=year, by=user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return _done(
                    request,
                    _("The panel is formed; give it declarations from their pages."),
                    reverse("homes:panel", args=[panel.pk]),
                )
    return render(
        request,
        "homes/panel_list.html",
        {
            "panels": selectors.panel_list(user=user, year=year),
            "year": year,
            "years": selectors.years(),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def panel(request, pk):
    user = request.user
    require_reach(InspectionPanel.objects.all(), user, VIEW)
    panel = selectors.panel_detail(user=user, pk=pk)
    can_change = InspectionPanel.objects.may(user, ASSIGN)
    form = PanelForm(request.POST or None, instance=panel) if can_change else None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.panel_save(year=panel.year, by=user, panel=panel, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return _done(request, _("The panel is saved."), reverse("homes:panel", args=[pk]))
    return render(request, "homes/panel_detail.html", {"panel": panel, "form": form})


# 公示, 命名 -----------------------------------------------------------------------------


@require_GET
def notices(request):
    require_reach(Notice.objects.all(), request.user, VIEW)
    return render(
        request,
        "homes/notice_list.html",
        {
            "notices": selectors.notice_list(user=request.user),
            "can_publish": Notice.objects.may(request.user, CONFIRM),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def notice_new(request):
    user = request.user
    require_reach(Notice.objects.all(), user, CONFIRM)
    year = selectors.year_for(request.GET.get("year") or request.POST.get("year"))
    if year is None:
        raise PermissionDenied
    accepted = (
        Declaration.objects.restrict(user, CONFIRM)
        .filter(year=year, status=DeclarationStatus.ACCEPTED)
        .select_related("group__workshop")
    )
    form = NoticeForm(request.POST or None, year=year, accepted=accepted)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.notice_publish(
                year=year,
                by=user,
                title=data["title"],
                text=data["text"],
                starts_on=data["starts_on"],
                declarations=list(data["declarations"]),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(
                request,
                _("The notice is published until %(day)s; answer any objection, then name.")
                % {"day": day_label(notice.ends_on)},
                reverse("homes:notice", args=[notice.pk]),
            )
    return render(request, "homes/notice_form.html", {"form": form, "year": year})


@require_GET
def notice(request, pk):
    return _notice_page(request, selectors.notice_detail(user=request.user, pk=pk))


def _notice_page(request, notice, objection_form=None):
    user = request.user
    today = timezone.localdate()
    in_notice = notice.declarations.filter(status=DeclarationStatus.IN_NOTICE).select_related(
        "group__workshop"
    )
    objections = selectors.objections_of(user=user, notice=notice)
    may_confirm = allows(user, CONFIRM, notice)
    return render(
        request,
        "homes/notice_detail.html",
        {
            "notice": notice,
            "running": notice.is_running(today),
            "objections": objections,
            "objection_form": objection_form
            or (ObjectionForm(declarations=in_notice) if notice.is_running(today) else None),
            "answer_form": AnswerForm() if may_confirm else None,
            "can_name": may_confirm and today > notice.ends_on and in_notice.exists(),
        },
    )


@require_POST
def objection_file(request, pk):
    notice = selectors.notice_detail(user=request.user, pk=pk)
    in_notice = notice.declarations.filter(status=DeclarationStatus.IN_NOTICE).select_related(
        "group__workshop"
    )
    form = ObjectionForm(request.POST, declarations=in_notice)
    if form.is_valid():
        try:
            services.objection_file(
                notice=notice,
                declaration=form.cleaned_data["declaration"],
                by=request.user,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(
                request,
                _("Your objection is filed; HQ answers it before the naming."),
                reverse("homes:notice", args=[notice.pk]),
            )
    return _notice_page(request, notice, objection_form=form)


@require_POST
def objection_answer(request, pk):
    objection = scoped_object_or_404(Objection.objects.all(), request.user, CONFIRM, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.objection_answer(
                objection=objection,
                by=request.user,
                answer=form.cleaned_data["answer"],
                upheld=form.cleaned_data["upheld"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The objection is answered."))
    else:
        messages.error(request, _("Write the answer and say whether the objection is upheld."))
    return redirect("homes:notice", pk=objection.notice_id)


@require_http_methods(["GET", "POST"])
def naming(request, pk):
    """命名: the 文号, the date, and the title of each small home still in the notice, with
    what keeps a title from a group shown beside it."""
    notice = scoped_object_or_404(
        Notice.objects.select_related("year"), request.user, CONFIRM, pk=pk
    )
    declarations = list(
        notice.declarations.filter(status=DeclarationStatus.IN_NOTICE)
        .select_related("group__workshop", "year")
        .prefetch_related("inspections")
    )
    form = NamingForm(request.POST or None, declarations=declarations)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.naming_confirm(
                notice=notice,
                by=request.user,
                document_no=form.cleaned_data["document_no"],
                named_on=form.cleaned_data["named_on"],
                levels=form.levels(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _done(
                request,
                _("Named under %(document)s; print the naming document and the certificates.")
                % {"document": document.document_no},
                reverse("homes:naming_print", args=[document.pk]),
            )
    unmet = services.naming_prerequisites(declarations, {})
    for declaration in declarations:
        declaration.unmet = unmet[declaration.pk]
    return render(
        request,
        "homes/naming_form.html",
        {"notice": notice, "form": form, "today": timezone.localdate()},
    )


@require_GET
def notice_print(request, pk):
    notice = selectors.notice_detail(user=request.user, pk=pk)
    return render(request, "homes/notice_print.html", {"notice": notice})


@require_GET
def naming_print(request, pk):
    document = scoped_object_or_404(
        NamingDocument.objects.select_related("year", "notice"), request.user, VIEW, pk=pk
    )
    titles = list(
        HomeTitle.objects.restrict(request.user, VIEW)
        .filter(document=document)
        .select_related("group__workshop")
        .order_by("group__workshop__sort_order", "group__workshop__code", "level", "group__code")
    )
    by_workshop = {}
    for title in titles:
        by_workshop.setdefault(title.group.workshop, []).append(title)
    return render(
        request,
        "homes/naming_print.html",
        {"document": document, "by_workshop": list(by_workshop.items()), "levels": HomeLevel},
    )


@require_GET
def certificate(request, pk):
    title = selectors.title_detail(user=request.user, pk=pk)
    return render(request, "homes/certificate.html", {"title": title})


# 复查, 摘牌 -----------------------------------------------------------------------------


@require_POST
def recheck_open(request, pk):
    group = get_object_or_404(Declaration.objects.groups_in_reach(request.user, CONFIRM), pk=pk)
    year = selectors.year_for(request.POST.get("year"))
    form = RecheckForm(request.POST)
    if year is None or not form.is_valid():
        raise PermissionDenied
    try:
        declaration = services.recheck_open(
            group=group, year=year.year, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("homes:group", pk=group.pk)
    return _done(
        request,
        _("The re-check is open: give it to an inspection panel next."),
        reverse("homes:declaration", args=[declaration.pk]),
    )


@require_POST
def recheck_open_all(request):
    require_reach(Declaration.objects.all(), request.user, CONFIRM)
    year = selectors.year_for(request.POST.get("year"))
    if year is None:
        raise PermissionDenied
    opened = services.recheck_open_all(year=year.year, by=request.user)
    messages.success(
        request,
        _("%(n)s re-checks are open for %(year)s: give them to inspection panels next.")
        % {"n": len(opened), "year": year.year},
    )
    return redirect(reverse("homes:declarations") + f"?year={year.pk}&kind=recheck")


@require_POST
def title_end(request, pk):
    title = scoped_object_or_404(
        HomeTitle.objects.select_related("group"), request.user, CONFIRM, pk=pk
    )
    form = TitleEndForm(request.POST)
    if form.is_valid():
        try:
            services.title_end(title=title, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The title has ended; the group's small home is removed."))
    else:
        messages.error(request, _("Say how and why the title ends."))
    return redirect("homes:group", pk=title.group_id)
