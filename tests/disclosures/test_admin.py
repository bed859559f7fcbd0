"""HQ keeps the categories and the rule's numbers in the admin site, and reads the log of
who looked up a feedback's author; nobody changes that log."""

import pytest

from accounts.models import Role
from accounts.services import user_create
from disclosures.models import DisclosureCategory, DisclosureSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def hq_admin(db):
    return user_create(username="hq_admin", name="刘芳", password="Correct-Horse-42", role=Role.HQ)


def test_hq_edits_the_categories_and_the_rules(hq_admin, login):
    client = login(hq_admin)
    category = DisclosureCategory.objects.get(code="bonus")
    assert client.get("/admin/disclosures/disclosurecategory/").status_code == 200
    assert client.get("/admin/disclosures/disclosurecategory/add/").status_code == 200
    assert (
        client.get(f"/admin/disclosures/disclosurecategory/{category.pk}/change/").status_code
        == 200
    )
    assert client.get("/admin/disclosures/disclosuresettings/1/change/").status_code == 200
    response = client.post(
        "/admin/disclosures/disclosuresettings/1/change/",
        {
            "answer_within_days": 5,
            "default_posting_days": 10,
            "min_posting_days": 3,
            "rectify_within_days": 45,
        },
    )
    assert response.status_code == 302
    rules = DisclosureSettings.current()
    assert (
        rules.answer_within_days,
        rules.default_posting_days,
        rules.min_posting_days,
        rules.rectify_within_days,
    ) == (5, 10, 3, 45)
    assert client.get("/admin/disclosures/disclosuresettings/add/").status_code == 403
    assert client.get("/admin/disclosures/identitylook/").status_code == 200
    assert client.get("/admin/disclosures/identitylook/add/").status_code == 403
