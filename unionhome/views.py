from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def healthz(request):
    """For the load balancer (and the benchmark's floor): the process answers; no database."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@require_GET
def emblem(request):
    """The organisation's emblem: public, it stands on the login page."""
    from .models import Organisation
    from .uploads import file_response

    record = Organisation.objects.filter(pk=1).first()
    if record is None or not record.emblem:
        raise Http404
    # Stored as a PNG of at most 512 pixels (the admin form re-encodes every upload).
    response = file_response(record.emblem, content_type="image/png", inline=True)
    response["Cache-Control"] = "public, max-age=86400"  # its address changes with it
    return response
