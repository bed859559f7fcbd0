"""The permission matrix for an activity held above the group: the matrix
(tests/hardening/test_permission_matrix.py) has one rule a URL name and walks a group's
activity; here its world and roles walk workshop union A's activity above the group
(tests/activities/matrix.py) on its detail, edit, delete and restore pages. Allowed roles
succeed; the others get 403/404 or the login page, and never the activity's title."""

import pytest
from django.db import transaction

from tests.activities.matrix import ABOVE_RULES, above_group
from tests.hardening.test_permission_matrix import ROLES, build_world, client_for, outcome

# The matrix's roles, and the leader of A2 (the other group that took part).
ABOVE_ROLES = [*ROLES, "leader_a2"]


@pytest.fixture
def world(org):
    """The matrix's world: its records and a user of each role."""
    return build_world(org)


def test_the_world_holds_the_activity_above_the_group(world):
    records = above_group(world)
    live = records.live
    assert live.level == "workshop" and live.group_id is None
    assert live.host_workshop_id == world.org.a.pk
    assert set(live.group_links.values_list("group__code", flat=True)) == {"A1", "A2"}
    assert records.deleted.is_deleted and not live.is_deleted


@pytest.mark.parametrize("check", sorted(ABOVE_RULES))
def test_each_role_gets_exactly_what_the_above_group_scope_allows(world, check):
    method, make_url, data, allowed, title = ABOVE_RULES[check]
    url = make_url(world)
    wrong = []
    for role in ABOVE_ROLES:
        client = client_for(world, role)
        # Each request is undone afterwards, so the next role finds the same records.
        with transaction.atomic():
            response = getattr(client, method)(url, data or {})
            transaction.set_rollback(True)
        got = outcome(response)
        body = response.content.decode()
        if role in allowed:
            expected = "ok"
            if method == "get" and title not in body:
                wrong.append(f"{role}: the page does not show the activity")
        elif role in ("anonymous", "ballot"):
            expected = "login"
        else:
            expected = "refused"
        if role not in allowed and title in body:
            wrong.append(f"{role}: the refusal shows the activity's title")
        if got != expected:
            wrong.append(f"{role}: expected {expected}, got {got} ({response.status_code})")
    assert not wrong, f"{check} {url}\n" + "\n".join(wrong)
