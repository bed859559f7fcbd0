"""The campaign and donation pages. Views translate HTTP to selector and service calls;
every page that shows a campaign's list writes the access log and is kept out of caches."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.scoping import CHANGE, VIEW, allows, require_reach, scoped_object_or_404
from groups.models import Member, MemberStatus
from unionhome.forms import apply_service_errors
from unionhome.params import id_param
from unionhome.tabular import xlsx_response
from unionhome.uploads import file_response
from welfare.access import log_access
from welfare.models import DETAILS, EXPORT, AccessLog
from welfare.views.common import address, no_store

from . import selectors, services
from .forms import (
    AddForm,
    AdjustForm,
    ApproveForm,
    CampaignForm,
    DonationForm,
    DriveForm,
    GrantForm,
    PayForm,
    RemoveForm,
    StandardFormSet,
    VisitForm,
)
from .models import (
    APPROVE,
    CONFIRM,
    PROPOSE,
    VISIT,
    Campaign,
    CampaignEntry,
    CampaignStatus,
    CampaignVisit,
    CampaignWorkshop,
    DonationDrive,
)

Log = AccessLog.Action


def _log(request, campaign, action, summary):
    log_access(
        user=request.user,
        action=action,
        target=campaign.log_target,
        summary=summary,
        address=address(request),
    )


def _campaign(request, pk, action=VIEW) -> Campaign:
    return scoped_object_or_404(
        Campaign.objects.select_related("kind", "fund"), request.user, action, pk=pk
    )


# Campaigns -----------------------------------------------------------------------------------


@no_store
@require_GET
def campaign_list(request):
    user = request.user
    require_reach(Campaign.objects.all(), user, VIEW)
    waiting = request.GET.get("waiting", "")
    campaigns = selectors.campaign_list(user=user, waiting=waiting)
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "campaigns": campaigns,
            "rows": campaigns,
            "waiting": waiting in ("confirm", "approve"),
            "can_create": Campaign.objects.may(user, PROPOSE),
        },
    )


@no_store
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    require_reach(Campaign.objects.all(), request.user, PROPOSE)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("campaigns:standards", campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form})


def _detail_context(request, campaign, **forms):
    user = request.user
    workshop_id = id_param(request.GET.get("workshop"))
    entries = selectors.campaign_entries(user=user, campaign=campaign, workshop_id=workshop_id)
    parts = selectors.campaign_parts(user=user, campaign=campaign)
    listed = [e for e in entries if not e.removed]
    may_change = campaign.status == CampaignStatus.PROPOSED and CampaignEntry.objects.may(
        user, CHANGE
    )
    confirmed = {p.part.workshop_id for p in parts if p.part.confirmed_at}
    for entry in entries:
        entry.may_change = (
            may_change and entry.workshop_id not in confirmed and allows(user, CHANGE, entry)
        )
        entry.may_visit = (
            campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.PROPOSED)
            and not entry.removed
            and not hasattr(entry, "visit")
            and allows(user, VISIT, entry)
        )
    _log(
        request,
        campaign,
        Log.VIEW,
        _("The list of %(title)s: %(count)s members")
        % {"title": campaign.title, "count": len(listed)},
    )
    return {
        "campaign": campaign,
        "entries": entries,
        "total": sum((e.amount for e in listed), selectors.ZERO),
        "count": len(listed),
        "parts": parts,
        "standards": list(campaign.standards.select_related("hardship_class")),
        "details": CampaignEntry.objects.may(user, DETAILS),
        "may_propose": campaign.status == CampaignStatus.DRAFT and allows(user, PROPOSE, campaign),
        "may_approve": campaign.status == CampaignStatus.PROPOSED
        and allows(user, APPROVE, campaign),
        "may_export": allows(user, EXPORT, campaign),
        "may_add": may_change,
        "may_confirm": {
            p.part.pk
            for p in parts
            if p.part.confirmed_at is None
            and campaign.status == CampaignStatus.PROPOSED
            and allows(user, CONFIRM, p.part)
        },
        "workshop_id": workshop_id,
        "approve_form": forms.get("approve_form") or ApproveForm(),
    }


@no_store
@require_GET
def campaign_detail(request, pk):
    campaign = _campaign(request, pk)
    return render(request, "campaigns/campaign_detail.html", _detail_context(request, campaign))


@no_store
@require_http_methods(["GET", "POST"])
def standards(request, pk):
    campaign = _campaign(request, pk, PROPOSE)
    initial = [
        {"hardship_class": s.hardship_class, "category": s.category, "amount": s.amount}
        for s in campaign.standards.select_related("hardship_class")
    ]
    formset = StandardFormSet(request.POST or None, initial=initial, prefix="standard")
    if request.method == "POST" and formset.is_valid():
        rows = [
            services.StandardRow(
                hardship_class=f.cleaned_data.get("hardship_class"),
                category=f.cleaned_data.get("category") or "",
                amount=f.cleaned_data.get("amount"),
            )
            for f in formset.forms
            if f.cleaned_data.get("hardship_class") or f.cleaned_data.get("category")
        ]
        try:
            services.standards_set(
                by=request.user,
                campaign=campaign,
                version=id_param(request.POST.get("version")) or 0,
                rows=rows,
            )
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, _("The standards are saved."))
            return redirect("campaigns:detail", campaign.pk)
    return render(
        request,
        "campaigns/standards.html",
        {"campaign": campaign, "formset": formset, "editable": campaign.status == "draft"},
    )


@require_POST
def propose(request, pk):
    campaign = _campaign(request, pk, PROPOSE)
    try:
        count = services.campaign_propose(
            by=request.user, campaign=campaign, version=id_param(request.POST.get("version")) or 0
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The list is made: %(count)s members. The workshop unions are asked to confirm.")
            % {"count": count},
        )
    return redirect("campaigns:detail", campaign.pk)


@no_store
@require_POST
def approve(request, pk):
    campaign = _campaign(request, pk, APPROVE)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            batches = services.campaign_approve(
                by=request.user,
                campaign=campaign,
                version=id_param(request.POST.get("version")) or 0,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The campaign is approved: %(count)s payment batches, one per workshop union.")
                % {"count": len(batches)},
            )
            return redirect("campaigns:detail", campaign.pk)
    campaign.refresh_from_db()
    return render(
        request,
        "campaigns/campaign_detail.html",
        _detail_context(request, campaign, approve_form=form),
        status=200,
    )


@require_POST
def confirm(request, pk):
    part = scoped_object_or_404(
        CampaignWorkshop.objects.select_related("campaign", "workshop"),
        request.user,
        CONFIRM,
        pk=pk,
    )
    try:
        services.workshop_confirm(by=request.user, part=part)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The list of %(workshop)s is confirmed.") % {"workshop": part.workshop.name}
        )
    return redirect("campaigns:detail", part.campaign_id)


@no_store
@require_http_methods(["GET", "POST"])
def entry(request, pk):
    item = scoped_object_or_404(
        CampaignEntry.objects.select_related("campaign", "member", "workshop", "group"),
        request.user,
        CHANGE,
        pk=pk,
    )
    adjust_form = AdjustForm(
        request.POST if "adjust" in request.POST else None, initial={"amount": item.amount}
    )
    remove_form = RemoveForm(request.POST if "remove" in request.POST else None)
    for form, change in (
        (adjust_form, lambda d: services.entry_adjust(by=request.user, entry=item, **d)),
        (remove_form, lambda d: services.entry_remove(by=request.user, entry=item, **d)),
    ):
        if form.is_bound and form.is_valid():
            try:
                change(form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The list is changed."))
                return redirect(
                    reverse("campaigns:detail", args=[item.campaign_id]) + f"#entry-{item.pk}"
                )
    _log(
        request,
        item.campaign,
        Log.VIEW,
        _("Entry of %(name)s") % {"name": item.member.name},
    )
    return render(
        request,
        "campaigns/entry.html",
        {"entry": item, "adjust_form": adjust_form, "remove_form": remove_form},
    )


@no_store
@require_http_methods(["GET", "POST"])
def entry_add(request, pk):
    campaign = _campaign(request, pk)
    user = request.user
    if not CampaignEntry.objects.may(user, CHANGE):
        raise PermissionDenied
    members = (
        Member.objects.restrict(user, CHANGE)
        .filter(status=MemberStatus.ACTIVE)
        .select_related("group__workshop")
        .order_by("group__workshop__sort_order", "group__pk", "name")
    )
    form = AddForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_add(by=user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The member is added to the list."))
            return redirect("campaigns:detail", campaign.pk)
    return render(request, "campaigns/entry_add.html", {"campaign": campaign, "form": form})


@no_store
@require_GET
def export(request, pk):
    campaign = _campaign(request, pk, EXPORT)
    entries = selectors.campaign_entries(user=request.user, campaign=campaign)
    _log(
        request,
        campaign,
        Log.EXPORT,
        _("The list of %(title)s as a workbook") % {"title": campaign.title},
    )
    headers = [
        _("Workshop union"),
        _("Union group"),
        _("Name"),
        _("Employee no."),
        _("Basis"),
        _("Standard"),
        _("Amount"),
        _("Reason for the change"),
        _("On the list"),
        _("Payment batch"),
        _("Paid on"),
    ]
    rows = (
        [
            e.workshop.name,
            e.group.name,
            e.member.name,
            e.member.employee_no,
            e.basis_label or _("Added by the workshop union"),
            e.standard_amount,
            e.amount,
            e.removed_reason or e.change_reason or e.added_reason,
            not e.removed,
            e.payment_line.batch.number if e.payment_line_id else "",
            e.paid_on,
        ]
        for e in entries
    )
    return xlsx_response(
        filename=f"{campaign.number}.xlsx", sheet_title=campaign.title, headers=headers, rows=rows
    )


@no_store
@require_http_methods(["GET", "POST"])
def visit(request, pk):
    item = scoped_object_or_404(
        CampaignEntry.objects.select_related("campaign", "member", "group"),
        request.user,
        VISIT,
        pk=pk,
    )
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_add(by=request.user, entry=item, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The visit is recorded."))
            return redirect(
                reverse("campaigns:detail", args=[item.campaign_id]) + f"#entry-{item.pk}"
            )
    return render(request, "campaigns/visit_form.html", {"entry": item, "form": form})


@require_GET
def visit_photo(request, pk):
    photo = scoped_object_or_404(
        CampaignVisit.objects.select_related("entry"), request.user, VIEW, pk=pk
    )
    thumb = request.GET.get("size") == "thumb" and photo.thumbnail
    return file_response(
        photo.thumbnail if thumb else photo.photo,
        content_type="image/jpeg" if thumb else photo.mime,
        inline=True,
        private_cache=False,
    )


# Donation drives -----------------------------------------------------------------------------


@require_GET
def drive_list(request):
    user = request.user
    require_reach(DonationDrive.objects.all(), user, VIEW)
    return render(
        request,
        "campaigns/drive_list.html",
        {
            "drives": selectors.drive_list(user=user),
            "may_run": DonationDrive.objects.may(user, CHANGE),
        },
    )


@no_store
@require_http_methods(["GET", "POST"])
def drive_create(request):
    require_reach(DonationDrive.objects.all(), request.user, CHANGE)
    form = DriveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from funds.models import Fund

        try:
            fund = Fund.objects.get(code="donations")
            drive = services.drive_create(by=request.user, fund=fund, **form.cleaned_data)
        except Fund.DoesNotExist as error:
            raise Http404 from error
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("campaigns:drive_detail", drive.pk)
    return render(request, "campaigns/drive_form.html", {"form": form})


def _drive_members(user):
    return (
        Member.objects.restrict(user, VIEW)
        .filter(status=MemberStatus.ACTIVE)
        .select_related("group__workshop")
        .order_by("group__workshop__sort_order", "group__pk", "name")
    )


def _drive_page(request, drive, **forms):
    user = request.user
    members = _drive_members(user)
    grants = list(drive.grants.select_related("member__group__workshop", "payment_line__batch"))
    log_access(
        user=user,
        action=Log.VIEW,
        target=f"drive-{drive.pk}",
        summary=_("The recipients of %(title)s") % {"title": drive.title},
        address=address(request),
    )
    return render(
        request,
        "campaigns/drive_detail.html",
        {
            "drive": drive,
            "account": selectors.drive_account(drive=drive),
            "grants": grants,
            "donation_form": forms.get("donation_form") or DonationForm(members=members),
            "grant_form": forms.get("grant_form") or GrantForm(members=members),
            "pay_form": forms.get("pay_form") or PayForm(),
            "unpaid": [g for g in grants if not g.payment_line_id and not g.paid_on],
        },
    )


def _drive(request, pk, action=CHANGE) -> DonationDrive:
    return scoped_object_or_404(
        DonationDrive.objects.select_related("fund"), request.user, action, pk=pk
    )


@no_store
@require_GET
def drive_detail(request, pk):
    return _drive_page(request, _drive(request, pk))


@no_store
@require_POST
def donation_add(request, pk):
    drive = _drive(request, pk)
    form = DonationForm(request.POST, members=_drive_members(request.user))
    if form.is_valid():
        try:
            services.donation_record(by=request.user, drive=drive, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The donation is recorded as income of the fund."))
            return redirect("campaigns:drive_detail", drive.pk)
    return _drive_page(request, drive, donation_form=form)


@no_store
@require_POST
def grant_add(request, pk):
    drive = _drive(request, pk)
    form = GrantForm(request.POST, members=_drive_members(request.user))
    if form.is_valid():
        try:
            services.grant_add(by=request.user, drive=drive, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The recipient is added."))
            return redirect("campaigns:drive_detail", drive.pk)
    return _drive_page(request, drive, grant_form=form)


@no_store
@require_POST
def grants_pay(request, pk):
    drive = _drive(request, pk)
    form = PayForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                batch = services.grants_pay(by=request.user, drive=drive, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Payment batch %(number)s is opened.") % {"number": batch.number}
            )
            return redirect("campaigns:drive_detail", drive.pk)
    return _drive_page(request, drive, pay_form=form)


@require_GET
def drive_account(request, pk):
    drive = _drive(request, pk, VIEW)
    return render(
        request,
        "campaigns/drive_account.html",
        {
            "account": selectors.drive_account(drive=drive),
            "may_run": allows(request.user, CHANGE, drive),
        },
    )
