"""axe-core (WCAG 2.1 A and AA, which GB/T 37668-2019 follows) on every page of the
project, for each kind of user, on a desk and on a phone: no violation anywhere.

The pages and their records are those of the permission matrix: every URL the project
has, each opened by the roles allowed to, with the records it needs in place."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from tests.hardening.test_permission_matrix import RULES, build_world

AXE = Axe()
WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
VIEWPORTS = {"desk": (1280, 900), "phone": (390, 844)}
# One of each kind of user: HQ welfare staff (who see every page), a workshop union, a
# group leader, an evaluator, a member with their own login, and somebody not logged in.
ROLES = ["welfare_hq", "workshop_own", "leader_own", "evaluator", "member", "anonymous"]


def violations(page) -> list[str]:
    found = AXE.run(page, options=WCAG_AA).response["violations"]
    return [
        f"{rule['id']}: {node['target']} {node.get('failureSummary', '')[:200]}"
        for rule in found
        for node in rule["nodes"]
    ]


# Not pages: a piece of HTML the admin site's script fetches into its own page.
FRAGMENTS = {"scoring:measure_preview"}


def browser_as(browser, live_server, user, size):
    """A Chinese browser of the given size, logged in as `user` (None: not logged in)."""
    width, height = size
    context = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": height}, base_url=live_server.url
    )
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    return context


def pages_for(role, world) -> list[str]:
    return sorted(
        {
            make_url(world)
            for name, (method, make_url, _data, allowed) in RULES.items()
            if method == "get" and role in allowed and name not in FRAGMENTS
        }
    )


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("role", ROLES)
def test_no_page_has_an_accessibility_violation(browser, live_server, org, role, viewport):
    world = build_world(org)
    context = browser_as(browser, live_server, world.users.get(role), VIEWPORTS[viewport])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    wrong, checked = [], 0
    for url in pages_for(role, world):
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a spreadsheet or a paper to download
            raise
        assert response.ok, url
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue  # a photo, a PDF shown in the browser
        checked += 1
        wrong += [f"{url} {problem}" for problem in violations(page)]
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"
    assert checked >= 3
    assert not wrong, f"{len(wrong)} violations\n" + "\n".join(wrong)


def test_no_admin_page_has_an_accessibility_violation(browser, live_server, org):
    """The admin site, where HQ configures the product (on a desk): each model's list, its
    add form and a record's form."""
    from django.contrib import admin

    from tests.hardening.test_permission_matrix import ADMIN_ROLES

    build_world(org)
    context = browser_as(browser, live_server, ADMIN_ROLES["superuser"](), VIEWPORTS["desk"])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    urls = [f"/{settings.ADMIN_URL}"]
    for model in admin.site._registry:
        base = f"/{settings.ADMIN_URL}{model._meta.app_label}/{model._meta.model_name}/"
        instance = model._default_manager.first()
        urls += [base, base + "add/"] + ([f"{base}{instance.pk}/change/"] if instance else [])
    wrong, checked = [], 0
    for url in urls:
        response = page.goto(url, wait_until="load")
        if response.status == 403:
            continue  # no adding to a one-record model, or records nobody edits
        assert response.ok, url
        page.wait_for_timeout(50)  # the widgets' names are given just after load
        checked += 1
        wrong += [f"{url} {problem}" for problem in violations(page)]
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"
    assert checked > 30
    assert not wrong, f"{len(wrong)} violations\n" + "\n".join(wrong)
