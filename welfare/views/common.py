from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.cache import add_never_cache_headers, patch_cache_control

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


def no_store(view):
    """Keep a page or export that shows welfare details out of every cache, the browser's
    and a shared proxy's included: `Cache-Control: no-store, private` (and no-cache,
    must-revalidate, max-age=0 from Django's never_cache), whatever the view answers."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped
