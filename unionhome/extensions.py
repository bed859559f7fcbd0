"""How a feature app plugs into the pages of the others without importing them.

A feature app's AppConfig subclasses FeatureConfig (as `extensions.FeatureConfig`: with the
class itself imported into `apps.py`, Django could not tell which config is the app's). It
may declare `hq_permissions` and `demo_seeder`, and write any of the hooks below as plain
functions in `<app>/hooks.py` (with its imports at the top of that module: it is imported
once the apps are ready).
A hook the module does not define answers with nothing. `<app>/metrics.py`, if there is
one, is imported at the same time so that its `@metrics.register` figures are known.

The project collects each hook over every installed feature app, in INSTALLED_APPS order.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig, apps


class FeatureConfig(AppConfig):
    """The AppConfig of a feature app (groups, activities, welfare, scoring …)."""

    # Admin-site permissions ("app_label.codename") the HQ staff group is given for
    # configuration; accounts.services keeps the group in step after every migrate.
    hq_permissions: tuple[str, ...] = ()
    # The app's menu entries go on the page of a section (democratic management) instead
    # of the main menu, which offers the section once: a short menu on a phone.
    menu_section: str | None = None
    # Dotted path of a function(context) that builds the app's demo records (seed_demo).
    demo_seeder: str | None = None

    def ready(self):
        self.hooks = _optional_module(f"{self.name}.hooks")
        _optional_module(f"{self.name}.metrics")

    def _offer(self, hook: str, *args, **kwargs) -> list:
        function = getattr(self.hooks, hook, None)
        return list(function(*args, **kwargs)) if function is not None else []

    def navigation(self, user) -> list[tuple[str, str]]:
        """Main menu entries [(label, url name)] this user may open."""
        return self._offer("navigation", user)

    def group_links(self, user, group) -> list[tuple[str, str]]:
        """Buttons on a union group's page [(label, url)]: its activities, its care …"""
        return self._offer("group_links", user, group)

    def member_links(self, user, member) -> list[tuple[str, str]]:
        """Buttons on a member's page [(label, url)]: apply for assistance …"""
        return self._offer("member_links", user, member)

    def record_actions(self, user, obj) -> list[tuple[str, str]]:
        """Buttons [(label, url)] next to another app's record (an inspection on its
        declaration's page): raise a rectification item from it, open the items raised."""
        return self._offer("record_actions", user, obj)

    def record_panels(self, user, page: str, **objects) -> list[str]:
        """Blocks of HTML (safe strings) the app shows on another app's page, named by the
        page ("homes.plan" with plan=…, "activities.report" with group=… and month=…):
        the planned activities under a creation plan, planned against held on a report."""
        return self._offer("record_panels", user, page, **objects)

    def member_facts(self, user, member) -> list[tuple[str, str, str]]:
        """Lines [(label, text, url)] on a member's record that the app keeps about them
        (their representative terms, their suggestions' awards …)."""
        return self._offer("member_facts", user, member)

    def group_facts(self, user, group) -> list[tuple[str, str, str]]:
        """Lines [(label, text, url)] shown with a group's small home (its titles …)."""
        return self._offer("group_facts", user, group)

    def group_records(self, user, group, start, end) -> list[tuple[str, str, str]]:
        """The group's records of a span a declaration may cite as evidence
        [(key, label, url)]: its activities, its monthly reports …"""
        return self._offer("group_records", user, group, start, end)

    def group_timeline(self, user, group) -> list:
        """Steps in the group's life the app records, newest first, as objects with `at`
        (a datetime), `what`, `who`, `note` and `url` (the group page's timeline)."""
        return self._offer("group_timeline", user, group)

    def member_timeline(self, user, member) -> list:
        """Steps in the member's life in the union the app records (joining, moves,
        transfers, leaving, rejoining), as objects with `on` (a date), `what`, `note` and
        `url` (the member page's timeline)."""
        return self._offer("member_timeline", user, member)

    def todo_items(self, user) -> list[tuple[str, int, str]]:
        """What waits for this user [(what, how many, url of exactly those)]: the home
        page, the to-do page and the daily reminders show them."""
        return self._offer("todo_items", user)

    def role_grants(self, user) -> list:
        """Roles the user holds through what they take part in, not by assignment
        [accounts.scoping.Grant]: a panel member inspects the groups assigned to the
        panel. Read once per request, in one query per app that offers them."""
        return self._offer("role_grants", user)

    def member_applications(self, user, member) -> list:
        """The member's own applications the user may follow, as objects with `what`,
        `reference`, `state`, `since` (a date) and `done` (finished either way): the
        member's home page lists them."""
        return self._offer("member_applications", user, member)

    def home_page(self, request) -> list:
        """The home page [a response] the app shows a user for whom the dashboard has
        neither a dashboard nor a group page (a member's own page)."""
        return self._offer("home_page", request)


def _optional_module(name: str):
    return import_module(name) if find_spec(name) is not None else None


def feature_configs() -> list[FeatureConfig]:
    return [c for c in apps.get_app_configs() if isinstance(c, FeatureConfig)]


def _collect(hook: str, *args, **kwargs) -> list:
    found = []
    for config in feature_configs():
        found.extend(getattr(config, hook)(*args, **kwargs))
    return found


def navigation(user) -> list[tuple[str, str]]:
    found = []
    for config in feature_configs():
        if config.menu_section is None:
            found.extend(config.navigation(user))
    return found


def section_navigation(user, section: str) -> list[tuple[FeatureConfig, str, str]]:
    """The menu entries [(app config, label, url name)] of the apps in a menu section."""
    return [
        (config, label, url_name)
        for config in feature_configs()
        if config.menu_section == section
        for label, url_name in config.navigation(user)
    ]


def group_links(user, group) -> list[tuple[str, str]]:
    return _collect("group_links", user, group)


def member_links(user, member) -> list[tuple[str, str]]:
    return _collect("member_links", user, member)


def record_actions(user, obj) -> list[tuple[str, str]]:
    return _collect("record_actions", user, obj)


def record_panels(user, page: str, **objects) -> list[str]:
    return _collect("record_panels", user, page, **objects)


def member_facts(user, member) -> list[tuple[str, str, str]]:
    return _collect("member_facts", user, member)


def group_facts(user, group) -> list[tuple[str, str, str]]:
    return _collect("group_facts", user, group)


def group_records(user, group, start, end) -> list[tuple[str, str, str]]:
    return _collect("group_records", user, group, start, end)


def group_timeline(user, group) -> list:
    return sorted(_collect("group_timeline", user, group), key=lambda e: e.at, reverse=True)


def member_timeline(user, member) -> list:
    # Stable: steps of one day stay in the order their app gave them (joined, then moved).
    return sorted(_collect("member_timeline", user, member), key=lambda e: e.on, reverse=True)


def todo_items(user) -> list[tuple[str, int, str]]:
    return _collect("todo_items", user)


def role_grants(user) -> list:
    return _collect("role_grants", user)


def member_applications(user, member) -> list:
    return _collect("member_applications", user, member)


def home_page(request):
    """The first home page an app offers for this user, or None."""
    pages = _collect("home_page", request)
    return pages[0] if pages else None
