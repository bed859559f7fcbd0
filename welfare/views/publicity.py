"""公示: the notice board of approved cases posted before payment, for every login of the
organisation (members included). It shows the name, the workshop union, the type and the
amount only: never a reason, an illness, an income or a number."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.scoping import VIEW, require_reach

from ..models import Publicity
from .common import no_store


@no_store
@require_GET
def publicity(request):
    require_reach(Publicity.objects.all(), request.user, VIEW)
    today = timezone.localdate()
    notices = list(
        Publicity.objects.restrict(request.user, VIEW)
        .current(today)
        .select_related("case__member__group__workshop", "case__case_type")
        .order_by("ends_on", "case__member__group__workshop__sort_order", "case__number")
    )
    # The same notice, laid out for the notice board (?print=1).
    template = (
        "welfare/publicity_print.html" if request.GET.get("print") else "welfare/publicity.html"
    )
    return render(request, template, {"notices": notices, "today": today})
