from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.scoping import VIEW, allows, scoped_object_or_404
from groups.models import Member
from unionhome.network import client_address
from unionhome.params import id_param


def member_for(request, action, record_of):
    """The member named by ?member= (or the posted member) for a new record of theirs,
    `record_of(member)` (unsaved): 404 out of the user's reach, 403 when the user may not
    take `action` on such a record."""
    member_pk = id_param(request.GET.get("member") or request.POST.get("member"))
    if not member_pk:
        raise Http404
    member = scoped_object_or_404(
        Member.objects.select_related("group__workshop"), request.user, VIEW, pk=member_pk
    )
    # An unsaved record of the member lets the scope rule judge what does not exist yet.
    if not allows(request.user, action, record_of(member)):
        raise PermissionDenied
    return member


def address(request) -> str | None:
    """The client's address, for the access log."""
    return client_address(request)
