from django.apps import apps
from django.conf import settings
from django.urls import reverse


def navigation(request):
    """The main menu: each app's AppConfig offers `navigation(user)` -> [(label, url name)].

    The project package names no app, so an app brings its own menu entries and decides
    who sees them by its own scope rules.
    """
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for config in apps.get_app_configs():
            offer = getattr(config, "navigation", None)
            if offer is None:
                continue
            for label, url_name in offer(user):
                url = reverse(url_name)
                items.append({"label": label, "url": url, "active": request.path.startswith(url)})
    return {
        "nav_items": items,
        "organisation_name": settings.UNIONHOME["ORGANISATION_NAME"],
    }
