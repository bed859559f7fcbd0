"""The binders' pages: choose a group or a workshop union and a year; a group's binder
as a PDF at once; a workshop union's binders as a zip in the background; the naming
document and a certificate as Word files. Scope: the groups and workshop unions the user
reaches (UnionGroup / WorkshopUnion `restrict`); the sections inside a binder each follow
their own app's rule (binders.selectors)."""

from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.scoping import VIEW, require_reach, scoped_object_or_404
from groups.models import UnionGroup, WorkshopUnion
from homes.models import HomeTitle, NamingDocument
from jobs.services import job_start
from unionhome.network import client_address
from unionhome.pagination import paginate
from unionhome.params import id_param, year_param

from . import docx, services

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    """A download under a Chinese file name (RFC 6266: filename* in UTF-8, with a plain
    fallback for old clients)."""
    response = HttpResponse(content, content_type=content_type)
    fallback = "binder" + file_name[file_name.rfind(".") :]
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name)}"
    )
    return response


def _year(value) -> int:
    year = year_param(value)
    if year is None:
        raise Http404
    return year


@require_GET
def index(request):
    user = request.user
    require_reach(UnionGroup.objects.all(), user, VIEW)
    this_year = timezone.localdate().year
    year = year_param(request.GET.get("year")) or this_year
    groups = (
        UnionGroup.objects.restrict(user, VIEW).filter(is_active=True).select_related("workshop")
    )
    chosen = id_param(request.GET.get("group"))
    if chosen and "build" in request.GET:
        group = scoped_object_or_404(UnionGroup.objects, user, VIEW, pk=chosen)
        return redirect("binders:group_pdf", group=group.pk, year=year)
    group = groups.filter(pk=chosen).first() if chosen else None
    titles = []
    if group is not None:
        titles = list(
            HomeTitle.objects.restrict(user, VIEW).filter(group=group).order_by("-year", "-pk")
        )
    # Someone who reaches several workshop unions picks one first, then its groups (as in
    # the lists' filters): a federation's 4,050 groups in one select help nobody.
    workshops = list(
        WorkshopUnion.objects.restrict(user, VIEW).filter(
            is_active=True, pk__in=groups.values("workshop")
        )
    )
    # A chosen group names its workshop union (a crafted URL naming another is ignored).
    workshop_id = group.workshop_id if group else id_param(request.GET.get("workshop"))
    if workshop_id:
        offered = groups.filter(workshop_id=workshop_id)
    else:
        offered = groups if len(workshops) <= 1 else groups.none()
    # A leader who reads their own group alone has no workshop union's zip to ask for.
    zips = (
        WorkshopUnion.objects.none()
        if UnionGroup.objects.scope(user, VIEW).only_group_id
        else WorkshopUnion.objects.restrict(user, VIEW).filter(is_active=True)
    )
    page, query = paginate(request, zips)
    return render(
        request,
        "binders/index.html",
        {
            "year": year,
            "years": range(this_year, this_year - 6, -1),
            "workshops": workshops,
            "workshop_id": workshop_id,
            "groups": offered,
            "group": group,
            "titles": titles,
            "page": page,
            "query": query,
        },
    )


@require_GET
def group_pdf(request, group, year):
    """The group's binder, built at once. Kept out of every cache, the browser's too: it
    holds the roster and the assistance list (whose details' printing is logged, as
    welfare logs it)."""
    year = _year(year)
    group = scoped_object_or_404(
        UnionGroup.objects.select_related("workshop"), request.user, VIEW, pk=group
    )
    built = services.build_group_binder(
        group=group, year=year, reader=request.user, address=client_address(request)
    )
    response = attachment(built.pdf, PDF, built.file_name)
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
def workshop_zip(request, workshop, year):
    """A workshop union's binders, one PDF a group, zipped in the background."""
    year = _year(year)
    workshop = scoped_object_or_404(WorkshopUnion.objects, request.user, VIEW, pk=workshop)
    job = job_start(
        user=request.user,
        kind="binders.workshop",
        params={"workshop": workshop.pk, "year": year},
        title=_("Records binders of %(workshop)s, %(year)s")
        % {"workshop": workshop.name, "year": year},
    )
    return redirect(reverse("jobs:detail", args=[job.pk]))


def _title(request, group, year):
    year = _year(year)
    group = scoped_object_or_404(UnionGroup.objects, request.user, VIEW, pk=group)
    title = (
        HomeTitle.objects.restrict(request.user, VIEW)
        .filter(group=group, year=year)
        .select_related("group__workshop", "document__year")
        .order_by("-named_on", "-pk")
        .first()
    )
    if title is None:
        raise Http404
    return title


@require_GET
def naming_docx(request, group, year):
    """The naming document that named the group in the year, as a Word file."""
    title = _title(request, group, year)
    if title.document_id is None:
        raise Http404
    document = scoped_object_or_404(
        NamingDocument.objects.select_related("year"), request.user, VIEW, pk=title.document_id
    )
    titles = (
        HomeTitle.objects.restrict(request.user, VIEW)
        .filter(document=document)
        .select_related("group__workshop")
        .order_by("group__workshop__sort_order", "group__workshop__code", "level", "group__code")
    )
    name = _("%(document)s naming document.docx") % {"document": document.document_no}
    return attachment(docx.naming_docx(document=document, titles=titles), DOCX, name)


@require_GET
def certificate_docx(request, group, year):
    """The certificate of the title the group was given in the year, as a Word file."""
    title = _title(request, group, year)
    name = _("%(group)s %(year)s certificate.docx") % {
        "group": title.group.name,
        "year": title.year,
    }
    return attachment(docx.certificate_docx(title=title), DOCX, name)
