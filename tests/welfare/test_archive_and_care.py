"""The hardship archive (动态管理) and care visits (祝贺生日到班组)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from activities.selectors import month_figures
from groups.models import Member
from tests.factories import MemberFactory, leader_user, today
from welfare import services
from welfare.models import HardshipClass, HardshipRecord, HardshipStatus, VisitKind
from welfare.selectors import care_page, upcoming_birthdays


def family_rows(*people, existing=0):
    """The family formset's POST data for (name, relation, monthly income) rows."""
    data = {
        "family-TOTAL_FORMS": str(len(people)),
        "family-INITIAL_FORMS": str(existing),
        "family-MIN_NUM_FORMS": "0",
        "family-MAX_NUM_FORMS": "30",
    }
    for index, (name, relation, income) in enumerate(people):
        data.update(
            {
                f"family-{index}-name": name,
                f"family-{index}-relation": relation,
                f"family-{index}-monthly_income": income,
            }
        )
    return data


def open_record(by, member, **extra):
    arguments = {
        "hardship_class": "relative_hardship",
        "household_income": "3000",
        "household_size": 3,
        "household_situation": "子女上学",
        "causes": ["education"],
        **extra,
    }
    return services.hardship_open(by=by, member=member, **arguments)


class TestArchive:
    def test_entering_sets_the_first_review_a_year_on_and_flags_the_member(self, org, workshop_a):
        member = org.members["A1"][0]
        record = open_record(workshop_a, member, opened_on=date(2026, 3, 15))
        assert (record.last_reviewed_on, record.next_review_on) == (
            date(2026, 3, 15),
            date(2027, 3, 15),
        )
        assert Member.objects.get(pk=member.pk).is_hardship
        assert record.reviews.get().kind == "opened"

    def test_a_member_is_in_the_archive_once(self, org, workshop_a):
        member = org.members["A1"][0]
        open_record(workshop_a, member)
        with pytest.raises(ValidationError):
            open_record(workshop_a, member)

    def test_yearly_review_moves_the_next_review_and_may_change_the_level(self, org, workshop_a):
        record = open_record(workshop_a, org.members["A1"][0], opened_on=date(2025, 2, 28))
        record = services.hardship_review(
            record=record,
            by=workshop_a,
            reviewed_on=date(2026, 2, 20),
            hardship_class="deep_hardship",
            note="配偶病情加重",
        )
        assert (record.hardship_class.code, record.next_review_on) == (
            "deep_hardship",
            date(2027, 2, 20),
        )
        assert record.reviews.last().hardship_class.name == "深度困难"
        assert [r.kind for r in record.reviews.all()] == ["opened", "reviewed"]

    def test_leaving_is_a_recorded_step_and_nothing_is_deleted(self, org, workshop_a):
        member = org.members["A1"][0]
        record = open_record(workshop_a, member, opened_on=date(2025, 5, 1))
        with pytest.raises(ValidationError):
            services.hardship_exit(record=record, by=workshop_a, exited_on=today(), reason=" ")
        record = services.hardship_exit(
            record=record, by=workshop_a, exited_on=today(), reason="家庭收入提高，已脱困"
        )
        assert record.status == HardshipStatus.EXITED
        assert HardshipRecord.objects.filter(pk=record.pk).exists()
        assert not Member.objects.get(pk=member.pk).is_hardship
        # And the member can come back into the archive later.
        open_record(workshop_a, member)

    def test_reviews_due_lists_late_and_coming_reviews(self, org, workshop_a):
        late = open_record(
            workshop_a, org.members["A1"][0], opened_on=today() - timedelta(days=400)
        )
        soon = open_record(
            workshop_a, org.members["A1"][1], opened_on=today() - timedelta(days=350)
        )
        open_record(workshop_a, org.members["A1"][2], opened_on=today() - timedelta(days=100))
        due = set(HardshipRecord.objects.reviews_due().values_list("pk", flat=True))
        assert due == {late.pk, soon.pk}

    def test_identity_number_is_checked(self, org, workshop_a):
        with pytest.raises(ValidationError) as error:
            open_record(workshop_a, org.members["A1"][0], id_number="370802198503021238")
        assert "id_number" in error.value.error_dict

    def test_another_workshop_cannot_open_or_change(self, org, workshop_a):
        from tests.factories import workshop_user

        other = workshop_user(org.b)
        with pytest.raises(PermissionDenied):
            open_record(other, org.members["A1"][0])
        record = open_record(workshop_a, org.members["A1"][0])
        with pytest.raises(PermissionDenied):
            services.hardship_review(
                record=record, by=other, reviewed_on=today(), hardship_class="deep_hardship"
            )

    def test_archive_pages(self, org, workshop_a, login):
        client = login(workshop_a)
        member = org.members["A1"][0]
        response = client.post(
            reverse("welfare:archive_create") + f"?member={member.pk}",
            {
                "hardship_class": HardshipClass.objects.get(code="deep_hardship").pk,
                "id_number": "11010519491231002x",
                **family_rows(
                    ("张三", "本人", "2000"),
                    ("李四", "配偶", "800"),
                    ("张小", "子女", "0"),
                    ("张老", "父亲", "0"),
                ),
                "causes": ["illness", "education"],
                "household_situation": "父亲卧床",
                "opened_on": today().isoformat(),
            },
        )
        record = HardshipRecord.objects.get()
        assert response["Location"] == reverse("welfare:archive_detail", args=[record.pk])
        assert record.id_number == "11010519491231002X"
        assert record.income_per_person == 700
        bad = client.post(
            reverse("welfare:archive_review", args=[record.pk]),
            {
                "reviewed_on": "2099-01-01",
                "hardship_class": HardshipClass.objects.get(code="deep_hardship").pk,
            },
        )
        assert "reviewed_on" in bad.context["review_form"].errors


class TestCare:
    def test_birthdays_in_the_next_30_days_across_the_year_end(self):
        today_ = date(2026, 12, 20)
        members = [
            MemberFactory.build(birth_date=born, employee_no=str(n))
            for n, born in enumerate(
                [date(1990, 12, 20), date(1985, 1, 18), date(1985, 1, 20), date(1992, 12, 19), None]
            )
        ]
        found = upcoming_birthdays(members, today=today_)
        assert [(b.day, b.turns) for b in found] == [
            (date(2026, 12, 20), 36),
            (date(2027, 1, 18), 42),
        ]

    def test_a_29_february_birthday_falls_on_28_february(self):
        member = MemberFactory.build(birth_date=date(1996, 2, 29))
        [found] = upcoming_birthdays([member], today=date(2027, 2, 20))
        assert found.day == date(2027, 2, 28)

    def test_members_not_visited_for_long(self, org, leader_a1, settings):
        settings.UNIONHOME = {**settings.UNIONHOME, "CARE_VISIT_INTERVAL_DAYS": 90}
        recent, old, never = org.members["A1"]
        services.visit_record(
            by=leader_a1,
            member=recent,
            kind=VisitKind.TALK,
            visited_on=today() - timedelta(days=10),
            visitors="组长",
        )
        services.visit_record(
            by=leader_a1,
            member=old,
            kind=VisitKind.FESTIVAL,
            visited_on=today() - timedelta(days=120),
            visitors="组长",
        )
        page = care_page(group=org.A1)
        assert [m.pk for m in page.not_visited] == [never.pk, old.pk]

    def test_a_leader_records_visits_only_in_their_group(self, org, leader_a1):
        with pytest.raises(PermissionDenied):
            services.visit_record(
                by=leader_a1,
                member=org.members["A2"][0],
                kind=VisitKind.TALK,
                visited_on=today(),
                visitors="组长",
            )

    def test_visits_count_in_the_monthly_report(self, org, leader_a1):
        services.visit_record(
            by=leader_a1,
            member=org.members["A1"][0],
            kind=VisitKind.SICK_VISIT,
            visited_on=date(2026, 1, 9),
            visitors="组长",
            gift_value="300",
        )
        services.visit_record(
            by=leader_a1,
            member=org.members["A1"][1],
            kind=VisitKind.TALK,
            visited_on=date(2026, 2, 1),
            visitors="组长",
        )
        figures = month_figures(group_ids=[org.A1.pk, org.A2.pk], month=date(2026, 1, 1))
        assert (figures[org.A1.pk]["care_visits"], figures[org.A2.pk]["care_visits"]) == (1, 0)

    def test_care_page_and_visit_form(self, org, leader_a1, login):
        client = login(leader_a1)
        page = client.get(reverse("welfare:care", args=[org.A1.pk]))
        assert page.status_code == 200
        member = org.members["A1"][0]
        bad = client.post(
            reverse("welfare:visit_create"),
            {
                "member": member.pk,
                "kind": "sick_visit",
                "visited_on": "2099-01-01",
                "visitors": "组长",
            },
        )
        assert "visited_on" in bad.context["form"].errors
        client.post(
            reverse("welfare:visit_create"),
            {
                "member": member.pk,
                "kind": "sick_visit",
                "visited_on": today().isoformat(),
                "visitors": "组长",
                "gift_value": "200.5",
            },
        )
        assert member.care_visits.get().gift_value == 200.50
        assert (
            login(leader_user(org.A2)).get(reverse("welfare:care", args=[org.A1.pk])).status_code
            == 404
        )


class TestQueryCounts:
    def test_case_list_archive_and_care_pages(
        self, org, workshop_a, welfare_hq, file_case, login, django_assert_num_queries
    ):
        def grow(n):
            for i in range(n):
                member = org.members["A1"][i % 3]
                case = file_case(workshop_a if i % 2 else welfare_hq, member)
                services.visit_record(
                    by=workshop_a, member=member, kind="talk", visited_on=today(), visitors="工会"
                )
            for member in org.members["A2"][: n // 4 + 1]:
                if not HardshipRecord.objects.filter(member=member).exists():
                    open_record(workshop_a, member)
            return case

        case = grow(2)
        client = login(welfare_hq)
        pages = {
            # session, user, roles (2), count, page, totals, type and workshop choices, the
            # cases clear to pay (none: no batch choices then)
            reverse("welfare:case_list"): 10,
            # session, user, roles (2), count, page, reviews due, workshops
            reverse("welfare:archive_list"): 8,
            # session, user, roles (2), group, members with last visit, recent visits
            reverse("welfare:care", args=[org.A1.pk]): 7,
        }
        for url in pages:
            with django_assert_num_queries(pages[url]):
                client.get(url)
        # session, user, roles (2), case, steps, papers required, documents, receipts, papers
        # to follow, bills, access log entry; the review form's amount (given this year, to
        # the type and in all, and the overall cap); an earlier case in the repeat window;
        # the change history; the paper choices of the document and 后补 forms
        with django_assert_num_queries(19):
            client.get(reverse("welfare:case_detail", args=[case.pk]))
        case = grow(12)
        for url, expected in pages.items():
            with django_assert_num_queries(expected):
                client.get(url)
        with django_assert_num_queries(19):
            client.get(reverse("welfare:case_detail", args=[case.pk]))
