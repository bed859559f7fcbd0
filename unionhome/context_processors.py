from django.conf import settings
from django.urls import reverse

from unionhome import extensions


def navigation(request):
    """The main menu: each feature app's `navigation(user)` hook -> [(label, url name)].

    The project package names no app, so an app brings its own menu entries and decides
    who sees them by its own scope rules.
    """
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for label, url_name in extensions.navigation(user):
            url = reverse(url_name)
            items.append({"label": label, "url": url, "active": request.path.startswith(url)})
    return {
        "nav_items": items,
        "organisation_name": settings.UNIONHOME["ORGANISATION_NAME"],
    }
