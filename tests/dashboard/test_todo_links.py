"""Every to-do item opens a page holding exactly what it counts: on the demo organisation,
for every user, each item's number equals the rows of the page its link opens."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from unionhome.extensions import todo_items


def rows_on(response) -> int | None:
    """The rows a list page holds (all of them, not only the page shown); None for the
    page of one record."""
    context = response.context
    if "page" in context:
        return context["page"].paginator.count
    if "rows" in context:
        return len(context["rows"])
    return None


@pytest.mark.django_db
def test_each_to_do_count_is_the_rows_of_the_page_it_opens():
    call_command("seed_demo", stdout=io.StringIO())
    checked = 0
    wrong = []
    for user in User.objects.filter(is_active=True).order_by("username"):
        client = Client()
        client.force_login(user)
        for label, count, url in todo_items(user):
            response = client.get(url, follow=True)
            assert response.status_code == 200, (user.username, label, url)
            rows = rows_on(response)
            # A list holds exactly the rows counted; one thing may open its own page.
            if rows != count and not (rows is None and count == 1):
                wrong.append(f"{user.username} · {label}: {count}, page {rows} ({url})")
            checked += 1
    assert not wrong, "\n".join(wrong)
    # The demo leaves work at every desk: reviews, welfare, 小家 steps, scores, reports.
    assert checked >= 15
