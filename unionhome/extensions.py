"""Places where one app's page shows what other apps offer, without importing them.

An app's AppConfig may define `group_links(user, group)` and `member_links(user, member)`
returning [(label, url)]: links shown on a union group's or a member's page (their
activities, reports, care visits, assistance…); and `group_facts(user, group)` returning
[(label, text, url)]: lines shown with the group's small home (its namings); and
`todo_items(user)` returning [(what, count, url)]: what waits for the user (待办).
"""

from django.apps import apps


def _collect(hook: str, *args) -> list:
    links = []
    for config in apps.get_app_configs():
        offer = getattr(config, hook, None)
        if offer is not None:
            links.extend(offer(*args))
    return links


def group_links(user, group) -> list[tuple[str, str]]:
    return _collect("group_links", user, group)


def member_links(user, member) -> list[tuple[str, str]]:
    return _collect("member_links", user, member)


def group_facts(user, group) -> list[tuple[str, str, str]]:
    """(label, text, url) lines about a group another app keeps (its namings …)."""
    return _collect("group_facts", user, group)


def todo_items(user) -> list[tuple[str, int, str]]:
    """(what, how many, url) for everything waiting for the user, from every app."""
    return _collect("todo_items", user)
