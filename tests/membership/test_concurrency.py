"""Two workshop union officers approve two applications at the same moment, each on their
own database connection: the card-number counter's row lock gives each its own number.
On PostgreSQL (CI); SQLite serialises every writer, so there it is skipped."""

import pytest
from django.utils import timezone

from membership import services
from tests.hardening.test_concurrency import postgresql_only, race  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_two_approvals_at_once_take_two_card_numbers(org, hq, workshop_a):
    link = services.join_link_create(by=hq, workshop=org.a, group=org.A1)
    applications = [
        services.application_submit_public(
            link=link, address=None, employee_no=no, name="申请人", gender="M", statement=True
        ).application
        for no in ("88501", "88502")
    ]
    # The first to lock the counter holds it a while; the other waits for its number.
    results = race(
        *(
            (lambda a=a: services.application_approve(application=a, by=workshop_a))
            for a in applications
        ),
        hold=(services, "number_next"),
    )
    year = timezone.localdate().year
    assert sorted(m.card_no for m in results) == [f"KGH-{year}-00001", f"KGH-{year}-00002"]
