"""Places where one app's page shows what other apps offer, without importing them.

An app's AppConfig may define `group_links(user, group)` returning [(label, url)]: links
shown on a union group's page (its activities, reports, welfare…).
"""

from django.apps import apps


def group_links(user, group) -> list[tuple[str, str]]:
    links = []
    for config in apps.get_app_configs():
        offer = getattr(config, "group_links", None)
        if offer is not None:
            links.extend(offer(user, group))
    return links
