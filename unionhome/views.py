from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def healthz(request):
    """For the load balancer (and the benchmark's floor): the process answers; no database."""
    return HttpResponse("ok", content_type="text/plain")
