"""Sensitive personal information: who sees the details, and the log of every access.

Details (reasons, illness, household, income, identity numbers) are for HQ's welfare staff
and the member's own workshop union; a group leader sees that a case exists and its
status, and the details only of a case they filed."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse

from tests import files
from tests.factories import leader_user, today, workshop_user
from tests.welfare.helpers import approve, pay, review
from welfare import services
from welfare.models import AccessLog, CaseType

SECRET = "住院手术，自付费用高"


@pytest.fixture
def world(org, leader_a1, workshop_a, welfare_hq, file_case):
    """A case filed by the A1 leader, one filed by the A workshop for an A2 member, a
    document on the first, and an archive record for an A1 member."""
    filed_by_leader = file_case(leader_a1, org.members["A1"][0])
    filed_by_workshop = file_case(workshop_a, org.members["A2"][0])
    document = services.case_add_document(
        case=filed_by_leader, by=leader_a1, uploaded=files.pdf("诊断证明.pdf")
    )
    record = services.hardship_open(
        by=workshop_a,
        member=org.members["A1"][1],
        hardship_class="deep_hardship",
        household_income="2400",
        household_size=3,
        household_situation="配偶患病",
        causes=["illness"],
        id_number="370802198503021230",
    )
    return {
        "leader_case": filed_by_leader,
        "workshop_case": filed_by_workshop,
        "document": document,
        "record": record,
    }


def case_urls(case):
    return {
        "detail": reverse("welfare:case_detail", args=[case.pk]),
        "print": reverse("welfare:case_print", args=[case.pk]),
        "edit": reverse("welfare:case_edit", args=[case.pk]),
    }


def archive_urls(record):
    return [
        reverse(name, args=[record.pk])
        for name in ("welfare:archive_detail", "welfare:archive_print", "welfare:archive_edit")
    ]


EXPORTS = [
    reverse("welfare:case_export"),
    reverse("welfare:archive_export"),
    reverse("welfare:access_log"),
]


class TestWhoSeesWhat:
    def test_welfare_staff_see_everything(self, world, welfare_hq, login):
        client = login(welfare_hq)
        for case in (world["leader_case"], world["workshop_case"]):
            page = client.get(case_urls(case)["detail"])
            assert page.context["details"] and SECRET in page.content.decode()
            assert client.get(case_urls(case)["print"]).status_code == 200
        for url in [
            *archive_urls(world["record"]),
            *EXPORTS,
            reverse("welfare:document", args=[world["document"].pk]),
        ]:
            assert client.get(url).status_code == 200, url

    def test_hq_without_the_welfare_flag_sees_status_only(self, world, plain_hq, login):
        client = login(plain_hq)
        page = client.get(case_urls(world["leader_case"])["detail"])
        assert page.status_code == 200 and not page.context["details"]
        assert SECRET not in page.content.decode()
        for url in [
            case_urls(world["leader_case"])["print"],
            case_urls(world["leader_case"])["edit"],
            *archive_urls(world["record"]),
            reverse("welfare:archive_list"),
            *EXPORTS,
        ]:
            assert client.get(url).status_code == 403, url
        assert (
            client.get(reverse("welfare:document", args=[world["document"].pk])).status_code == 404
        )

    def test_the_members_workshop_sees_details(self, world, workshop_a, login):
        client = login(workshop_a)
        for case in (world["leader_case"], world["workshop_case"]):
            assert SECRET in client.get(case_urls(case)["detail"]).content.decode()
        for url in archive_urls(world["record"]):
            assert client.get(url).status_code == 200, url
        for url in EXPORTS:
            assert client.get(url).status_code == 403, url

    def test_another_workshop_sees_nothing(self, world, org, login):
        client = login(workshop_user(org.b))
        for case in (world["leader_case"], world["workshop_case"]):
            for url in case_urls(case).values():
                assert client.get(url).status_code in (403, 404), url
        for url in archive_urls(world["record"]):
            assert client.get(url).status_code == 404, url
        assert (
            client.get(reverse("welfare:document", args=[world["document"].pk])).status_code == 404
        )
        listed = client.get(reverse("welfare:case_list")).context["rows"]
        assert listed == []

    def test_the_leader_sees_details_only_of_the_case_they_filed(
        self, world, org, leader_a1, login
    ):
        client = login(leader_a1)
        own = client.get(case_urls(world["leader_case"])["detail"])
        assert own.context["details"] and SECRET in own.content.decode()
        assert (
            client.get(reverse("welfare:document", args=[world["document"].pk])).status_code == 200
        )
        # A case of the same group filed by someone else: status only.
        other = services.case_create(
            by=workshop_user(org.a),
            member=org.members["A1"][2],
            case_type=CaseType.objects.get(code="relief"),
            reason="房屋受灾的私人情况",
            amount_requested="1000",
        )
        page = client.get(case_urls(other)["detail"])
        assert page.status_code == 200 and not page.context["details"]
        assert "房屋受灾的私人情况" not in page.content.decode()
        assert client.get(case_urls(other)["print"]).status_code == 403
        rows = dict(client.get(reverse("welfare:case_list")).context["rows"])
        assert rows[other] is False and rows[world["leader_case"]] is True
        # Not even the existence of another group's cases.
        assert client.get(case_urls(world["workshop_case"])["detail"]).status_code == 404

    def test_another_groups_leader_sees_nothing(self, world, org, login):
        client = login(leader_user(org.A2))
        assert client.get(case_urls(world["leader_case"])["detail"]).status_code == 404
        for url in archive_urls(world["record"]):
            assert client.get(url).status_code == 403, url

    def test_leaders_and_evaluators_never_open_the_archive(
        self, world, leader_a1, evaluator, login
    ):
        for user in (leader_a1, evaluator):
            client = login(user)
            assert client.get(reverse("welfare:archive_list")).status_code == 403
            for url in archive_urls(world["record"]):
                assert client.get(url).status_code == 403, url

    def test_identity_numbers_are_masked_in_lists(self, world, workshop_a, login):
        page = login(workshop_a).get(reverse("welfare:archive_list")).content.decode()
        assert "370802********1230" in page and "370802198503021230" not in page
        detail = login(workshop_a).get(archive_urls(world["record"])[0]).content.decode()
        assert "370802198503021230" in detail

    def test_find_a_member_by_identity_number(self, world, workshop_a, login):
        client = login(workshop_a)
        found = client.post(reverse("welfare:archive_list"), {"id_number": "370802198503021230"})
        assert [r.pk for r in found.context["page"]] == [world["record"].pk]
        bad = client.post(reverse("welfare:archive_list"), {"id_number": "370802198503021238"})
        assert "id_number" in bad.context["search"].errors
        assert AccessLog.objects.filter(action="search", user=workshop_a).count() == 1


class TestAccessLog:
    def test_every_view_print_download_and_export_is_logged(self, world, welfare_hq, login):
        client = login(welfare_hq)
        before = AccessLog.objects.count()
        client.get(case_urls(world["leader_case"])["detail"])
        client.get(case_urls(world["leader_case"])["print"])
        client.get(reverse("welfare:document", args=[world["document"].pk]))
        client.get(reverse("welfare:case_export"))
        client.get(archive_urls(world["record"])[0])
        client.get(reverse("welfare:archive_export"))
        actions = list(AccessLog.objects.order_by("pk").values_list("action", "user")[before:])
        assert actions == [
            ("view", welfare_hq.pk),
            ("print", welfare_hq.pk),
            ("download", welfare_hq.pk),
            ("export", welfare_hq.pk),
            ("view", welfare_hq.pk),
            ("export", welfare_hq.pk),
        ]

    def test_changes_are_logged_with_the_member(self, world, workshop_a):
        case = world["leader_case"]
        review(case, workshop_a)
        entry = AccessLog.objects.order_by("-pk").first()
        assert (entry.user, entry.action, entry.target, entry.member) == (
            workshop_a,
            "change",
            case.number,
            case.member,
        )

    def test_viewing_without_details_is_not_logged_as_a_view_of_details(
        self, world, plain_hq, login
    ):
        before = AccessLog.objects.count()
        login(plain_hq).get(case_urls(world["leader_case"])["detail"])
        assert AccessLog.objects.count() == before

    def test_the_log_cannot_be_changed_or_deleted_through_the_models(self, world):
        entry = AccessLog.objects.first()
        entry.summary = "改写"
        with pytest.raises(PermissionError):
            entry.save()
        with pytest.raises(PermissionError):
            entry.delete()
        with pytest.raises(PermissionError):
            AccessLog.objects.update(summary="改写")
        with pytest.raises(PermissionError):
            AccessLog.objects.all().delete()

    def test_the_database_refuses_to_change_or_delete_it(self, world):
        statements = ["UPDATE welfare_accesslog SET summary = 'x'"]
        if connection.vendor == "postgresql":
            # SQLite keeps DELETE for `flush`; there the model refuses it (test above).
            statements.append("DELETE FROM welfare_accesslog")
        for statement in statements:
            with (
                pytest.raises(Exception, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement)
        assert AccessLog.objects.count() > 0
        assert not AccessLog.objects.filter(summary="x").exists()

    def test_only_welfare_staff_read_the_log_and_nobody_edits_it_in_the_admin(
        self, world, welfare_hq, login, db
    ):
        from accounts.services import user_create

        client = login(welfare_hq)
        assert client.get(reverse("welfare:access_log")).status_code == 200
        admin = user_create(
            username="root", name="管理员", password="Correct-Horse-42", is_superuser=True
        )
        entry = AccessLog.objects.first()
        admin_client = login(admin)
        assert admin_client.get(f"/admin/welfare/accesslog/{entry.pk}/change/").status_code == 200
        response = admin_client.post(
            f"/admin/welfare/accesslog/{entry.pk}/delete/", {"post": "yes"}
        )
        assert response.status_code == 403
        assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_welfare_exports_hold_what_the_higher_union_needs(world, welfare_hq, workshop_a, login):
    import io

    from openpyxl import load_workbook

    case = world["leader_case"]
    pay(approve(review(case, workshop_a), welfare_hq, amount="6000"), welfare_hq)
    workbook = load_workbook(
        io.BytesIO(
            login(welfare_hq).get(reverse("welfare:case_export"), {"year": today().year}).content
        )
    )
    summary, cases = workbook.worksheets
    illness = next(row for row in summary.iter_rows(values_only=True) if row[0] == "职工大病互助")
    assert illness[1:5] == (2, 16000, 6000, 6000)
    total = list(summary.iter_rows(values_only=True))[-1]
    assert total[0] == "合计" and total[4] == 6000
    assert [c.value for c in cases[2]][7] == "职工大病互助"
    archive = load_workbook(
        io.BytesIO(login(welfare_hq).get(reverse("welfare:archive_export")).content)
    ).active
    row = next(archive.iter_rows(min_row=2, values_only=True))
    assert row[3] == "370802198503021230"  # reported upward in full, by HQ only
    assert row[11] == 800  # 2,400 yuan for 3 people


def test_case_days_to_payment_show_on_the_case_page(world, workshop_a, welfare_hq, login):
    case = world["leader_case"]
    case.applied_on = today() - timedelta(days=12)
    case.save()
    pay(approve(review(case, workshop_a), welfare_hq, amount="6000"), welfare_hq)
    page = login(workshop_a).get(case_urls(case)["detail"]).content.decode()
    assert "<strong>12</strong>" in page
