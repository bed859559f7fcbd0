"""A group's care work: birthdays ahead, members not visited for long, recording a visit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scoping import CHANGE, VIEW, allows, require_reach
from unionhome.forms import apply_service_errors

from .. import selectors, services
from ..forms import VisitForm
from ..models import CareVisit, VisitKind
from .common import member_for, no_store


@no_store
@require_GET
def care(request, pk):
    """A group's care work (祝贺生日到班组): birthdays ahead, members not visited for long."""
    require_reach(CareVisit.objects.all(), request.user, VIEW)
    group = get_object_or_404(
        CareVisit.objects.groups_in_reach(request.user, VIEW).select_related("workshop"), pk=pk
    )
    return render(
        request,
        "welfare/care.html",
        {
            "group": group,
            "page": selectors.care_page(group=group),
            "can_record": allows(request.user, CHANGE, CareVisit(group=group)),
        },
    )


@no_store
@require_http_methods(["GET", "POST"])
def visit_create(request):
    member = member_for(request, CHANGE, lambda m: CareVisit(member=m, group=m.group))
    visit = CareVisit(member=member, group=member.group, recorded_by=request.user)
    initial = {"kind": request.GET["kind"]} if request.GET.get("kind") in VisitKind.values else {}
    form = VisitForm(request.POST or None, instance=visit, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(by=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("The visit to %(name)s is recorded.") % {"name": member.name}
            )
            return redirect("welfare:care", pk=member.group_id)
    return render(request, "welfare/visit_form.html", {"form": form, "member": member})
