from django.urls import reverse

from unionhome import extensions
from unionhome.identity import identity


def navigation(request):
    """The main menu: each feature app's `navigation(user)` hook -> [(label, url name)].

    The project package names no app, so an app brings its own menu entries and decides
    who sees them by its own scope rules.
    """
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items = [
            {"label": label, "url": reverse(url_name), "active": False}
            for label, url_name in extensions.navigation(user)
        ]
        # The entry whose address is the longest start of the page's (/homes/notices/ over
        # /homes/) is the one lit.
        matches = [item for item in items if request.path.startswith(item["url"])]
        if matches:
            max(matches, key=lambda item: len(item["url"]))["active"] = True
    organisation = identity()
    return {
        "nav_items": items,
        "organisation_name": organisation.name,
        "organisation_emblem": organisation.emblem_url,
    }
