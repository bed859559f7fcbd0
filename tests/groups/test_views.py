"""Organisation and member pages: each renders, keeps its scope, and runs fixed queries."""

from datetime import date

import pytest
from django.urls import reverse

from groups.models import GroupPost, HomeStage, Member, MemberStatus, Post, UnionGroup
from tests.factories import MemberFactory, UnionGroupFactory, WorkshopUnionFactory, leader_user
from tests.spreadsheets import csv_bytes, member_row, upload, xlsx_bytes


def member_pages(member):
    return [
        reverse("groups:member_detail", args=[member.pk]),
        reverse("groups:member_edit", args=[member.pk]),
    ]


def group_pages(group):
    return [
        reverse("groups:group_detail", args=[group.pk]),
        reverse("groups:group_posts", args=[group.pk]),
    ]


class TestScopeOfEveryPage:
    """A request outside the user's scope gets 404 or 403, never the data."""

    def test_anonymous_is_sent_to_the_login_page(self, org, client):
        member = org.members["A1"][0]
        urls = [
            "/",
            reverse("groups:org_tree"),
            reverse("groups:member_list"),
            reverse("groups:member_export", args=["xlsx"]),
            reverse("groups:member_create"),
            reverse("groups:member_import"),
            reverse("groups:member_import_template"),
            reverse("groups:workshop_detail", args=[org.a.pk]),
            reverse("groups:member_move", args=[member.pk]),
            reverse("groups:member_leave", args=[member.pk]),
            reverse("groups:member_rejoin", args=[member.pk]),
            *group_pages(org.A1),
            *member_pages(member),
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/"), url

    def test_group_leader_cannot_open_other_groups_pages_or_members(self, org, leader_a1, login):
        client = login(leader_a1)
        outsider = org.members["A2"][0]
        for url in [
            *member_pages(outsider),
            *group_pages(org.A2),
            *group_pages(org.B1),
            reverse("groups:workshop_detail", args=[org.b.pk]),
        ]:
            assert client.get(url).status_code == 404, url
        for url in [
            reverse("groups:member_move", args=[org.members["A1"][0].pk]),
            reverse("groups:member_leave", args=[org.members["A1"][0].pk]),
        ]:
            assert client.get(url).status_code == 403, url
        for url in [*member_pages(org.members["A1"][0]), *group_pages(org.A1)]:
            assert client.get(url).status_code == 200, url

    def test_workshop_user_cannot_open_another_workshops_pages(self, org, workshop_a, login):
        client = login(workshop_a)
        outsider = org.members["B1"][0]
        for url in [
            *member_pages(outsider),
            *group_pages(org.B1),
            reverse("groups:workshop_detail", args=[org.b.pk]),
            reverse("groups:member_move", args=[outsider.pk]),
            reverse("groups:member_leave", args=[outsider.pk]),
            reverse("groups:member_rejoin", args=[outsider.pk]),
        ]:
            assert client.get(url).status_code == 404, url
        for url in [
            *member_pages(org.members["A2"][0]),
            *group_pages(org.A2),
            reverse("groups:workshop_detail", args=[org.a.pk]),
            reverse("groups:member_move", args=[org.members["A2"][0].pk]),
        ]:
            assert client.get(url).status_code == 200, url

    def test_evaluator_sees_structure_but_no_member_page(self, org, evaluator, login):
        client = login(evaluator)
        assert client.get(reverse("groups:org_tree")).status_code == 200
        page = client.get(reverse("groups:group_detail", args=[org.A1.pk]))
        assert page.status_code == 200
        # The evaluator's own name is random and may equal a member's; the
        # member's number and page link are what must not appear.
        member = org.members["A1"][0]
        assert member.employee_no not in page.content.decode()
        assert reverse("groups:member_detail", args=[member.pk]) not in page.content.decode()
        for url in [
            reverse("groups:member_list"),
            reverse("groups:member_export", args=["csv"]),
            reverse("groups:member_create"),
            reverse("groups:member_import"),
            *member_pages(org.members["A1"][0]),
            reverse("groups:group_posts", args=[org.A1.pk]),
        ]:
            assert client.get(url).status_code == 403, url

    def test_member_list_and_export_hold_only_the_users_members(self, org, leader_a1, login):
        client = login(leader_a1)
        listing = client.get(reverse("groups:member_list")).content.decode()
        exported = b"".join(
            client.get(reverse("groups:member_export", args=["csv"])).streaming_content
        ).decode("utf-8-sig")
        for member in org.members["A1"]:
            assert member.employee_no in listing and member.employee_no in exported
        for key in ("A2", "B1", "B2"):
            for member in org.members[key]:
                assert member.employee_no not in listing
                assert member.employee_no not in exported

    def test_filter_choices_offer_only_groups_in_scope(self, org, workshop_a, login):
        page = login(workshop_a).get(reverse("groups:member_list")).content.decode()
        assert "运行一班" in page and "检修班" in page
        assert "运行甲班" not in page and "汽机车间" not in page

    def test_the_group_filter_offers_the_chosen_workshop_unions_groups(
        self, org, hq, workshop_a, login
    ):
        def offered(client, **params):
            form = client.get(reverse("groups:member_list"), params).context["filter"].form
            return [label for value, label in form.fields["group"].widget.choices if value]

        client = login(hq)
        # HQ reaches several workshop unions: none of their groups until one is chosen.
        assert offered(client) == []
        page = client.get(reverse("groups:member_list")).content.decode()
        assert '<option value="" selected>请先选择车间工会</option>' in page
        assert 'data-autosubmit=""' in page
        assert offered(client, workshop=org.a.pk) == ["锅炉车间 · 运行一班", "锅炉车间 · 检修班"]
        # A link to a group's members (no workshop union) still filters, the group shown.
        linked = client.get(reverse("groups:member_list"), {"group": org.B1.pk})
        assert {m.group_id for m in linked.context["page"]} == {org.B1.pk}
        assert offered(client, group=org.B1.pk) == ["汽机车间 · 运行甲班"]
        assert offered(client, workshop="x") == []
        # A workshop union's chair reaches one: its groups are offered at once.
        assert offered(login(workshop_a)) == ["锅炉车间 · 运行一班", "锅炉车间 · 检修班"]

    def test_posting_a_group_outside_scope_is_refused(self, org, leader_a1, login):
        response = login(leader_a1).post(
            reverse("groups:member_create"),
            {
                "employee_no": "70001",
                "name": "外人",
                "gender": "M",
                "group": org.B1.pk,
            },
        )
        assert response.status_code == 200
        assert "group" in response.context["form"].errors
        assert not Member.objects.filter(employee_no="70001").exists()

    def test_moving_into_a_group_outside_scope_is_refused(self, org, workshop_a, login):
        member = org.members["A1"][0]
        response = login(workshop_a).post(
            reverse("groups:member_move", args=[member.pk]),
            {
                "to_group": org.B1.pk,
                "moved_on": date.today().isoformat(),
            },
        )
        assert "to_group" in response.context["form"].errors
        member.refresh_from_db()
        assert member.group == org.A1

    def test_post_choices_refuse_a_member_of_another_group(self, org, leader_a1, login):
        outsider = org.members["B1"][0]
        response = login(leader_a1).post(
            reverse("groups:group_posts", args=[org.A1.pk]),
            {
                Post.PUBLICITY.value: outsider.pk,
                "since": date.today().isoformat(),
            },
        )
        assert response.status_code == 200
        assert Post.PUBLICITY.value in response.context["form"].errors
        assert not GroupPost.objects.exists()


class TestPages:
    def test_home_shows_the_users_part_of_the_organisation(self, org, leader_a1, login):
        page = login(leader_a1).get("/").content.decode()
        assert "运行一班" in page
        assert "汽机车间" not in page

    def test_org_tree_counts_active_members(self, org, hq, login):
        leaving = org.members["A1"][0]
        leaving.status, leaving.left_on = MemberStatus.LEFT, date(2025, 1, 1)
        leaving.save()
        response = login(hq).get(reverse("groups:org_tree"))
        counts = {g.code: g.member_count for b in response.context["branches"] for g in b.groups}
        assert counts == {"A1": 2, "A2": 3, "B1": 3, "B2": 3}
        assert response.context["totals"].members == 11

    def test_coverage_counts_accepted_homes_and_shows_those_being_built_beside_it(
        self, org, hq, login
    ):
        started = date(2025, 1, 1)
        UnionGroup.objects.filter(pk=org.A1.pk).update(
            home_stage=HomeStage.ACCEPTED, home_started_on=started, home_accepted_on=started
        )
        UnionGroup.objects.filter(pk=org.A2.pk).update(
            home_stage=HomeStage.BUILDING, home_started_on=started
        )
        totals = login(hq).get(reverse("groups:org_tree")).context["totals"]
        assert (totals.coverage, totals.building) == (0.25, 1)
        page = login(hq).get("/").content.decode()
        assert "25%" in page and "1 个创建中" in page

    def test_the_organisation_is_paged_by_workshop_union_and_searched_by_name(self, org, hq, login):
        from groups.views import ORG_PAGE_SIZE

        for i in range(ORG_PAGE_SIZE):
            workshop = WorkshopUnionFactory(name=f"综采{i:02d}队", sort_order=100_000 + i)
            UnionGroupFactory(workshop=workshop, name=f"综采{i:02d}队一班")
        client = login(hq)
        first = client.get(reverse("groups:org_tree"))
        assert len(first.context["branches"]) == ORG_PAGE_SIZE
        assert first.context["totals"].workshops == ORG_PAGE_SIZE + 2
        page = first.content.decode()
        assert "锅炉车间" in page and "综采19队" not in page
        assert 'id="org-search"' in page and "第 1 / 2 页" in page
        second = client.get(reverse("groups:org_tree"), {"page": 2}).content.decode()
        assert "综采19队" in second and "锅炉车间" not in second

        # A group's name finds its workshop union with that group alone; the head still
        # counts the whole reach.
        found = client.get(reverse("groups:org_tree"), {"q": "检修"})
        assert [b.workshop.name for b in found.context["branches"]] == ["锅炉车间"]
        assert [g.name for g in found.context["branches"][0].groups] == ["检修班"]
        assert found.context["totals"].groups == ORG_PAGE_SIZE + 4
        # A workshop union's name shows all its groups.
        named = client.get(reverse("groups:org_tree"), {"q": "汽机"}).context["branches"]
        assert [g.code for g in named[0].groups] == ["B1", "B2"]
        # A NUL character (no database text takes one) is dropped, not a server error.
        assert client.get(reverse("groups:org_tree"), {"q": "汽\x00机"}).status_code == 200
        missing = client.get(reverse("groups:org_tree"), {"q": "无此名"}).content.decode()
        assert "没有名称含“无此名”的车间工会或小组" in missing

    def test_group_page_shows_members_posts_and_status(self, org, hq, login):
        leader = org.members["A1"][0]
        GroupPost.objects.create(
            group=org.A1, post=Post.LEADER, member=leader, since=date(2024, 3, 1)
        )
        page = login(hq).get(reverse("groups:group_detail", args=[org.A1.pk])).content.decode()
        for member in org.members["A1"]:
            assert member.name in page
        assert leader.name in page

    def test_member_search_by_name_number_and_pinyin_initials(self, org, hq, login):
        MemberFactory(name="欧阳娜娜", employee_no="77001", group=org.A1)
        client = login(hq)
        for query in ("欧阳", "77001", "oy", "OYNN"):
            page = client.get(reverse("groups:member_list"), {"q": query})
            found = list(page.context["page"])
            assert "77001" in [m.employee_no for m in found], query
            # Every result matches (the factory's random names may match too).
            assert all(
                query in m.name
                or m.employee_no.startswith(query)
                or m.name_initials.startswith(query.lower())
                for m in found
            ), query

    def test_member_filters(self, org, hq, login):
        special = MemberFactory(group=org.B2, gender="F", is_hardship=True, is_model_worker=True)
        client = login(hq)

        def numbers(**params):
            return {
                m.employee_no
                for m in client.get(reverse("groups:member_list"), params).context["page"]
            }

        assert numbers(flag="hardship") == {special.employee_no}
        assert numbers(flag="model_worker") == {special.employee_no}
        assert numbers(flag="female") == {special.employee_no}
        assert numbers(workshop=org.a.pk) == {
            m.employee_no for k in ("A1", "A2") for m in org.members[k]
        }
        assert numbers(group=org.B1.pk) == {m.employee_no for m in org.members["B1"]}

    def test_members_who_left_show_only_when_asked(self, org, hq, login):
        gone = org.members["A1"][0]
        gone.status, gone.left_on = MemberStatus.LEFT, date(2025, 1, 1)
        gone.save()
        client = login(hq)
        default = {m.pk for m in client.get(reverse("groups:member_list")).context["page"]}
        left = {
            m.pk
            for m in client.get(reverse("groups:member_list"), {"status": "left"}).context["page"]
        }
        assert gone.pk not in default and left == {gone.pk}

    def test_list_is_paginated(self, org, hq, login, settings):
        settings.UNIONHOME = {**settings.UNIONHOME, "PAGE_SIZE": 5}
        client = login(hq)
        first = client.get(reverse("groups:member_list"))
        assert len(first.context["page"].object_list) == 5
        assert first.context["page"].paginator.num_pages == 3
        third = client.get(reverse("groups:member_list"), {"page": 3})
        assert len(third.context["page"].object_list) == 2


class TestForms:
    def test_group_leader_adds_a_member_to_their_group(self, org, leader_a1, login):
        response = login(leader_a1).post(
            reverse("groups:member_create"),
            {
                "employee_no": "70010",
                "name": "吴十",
                "gender": "F",
                "group": org.A1.pk,
                "birth_date": "1992-08-08",
                "phone": "13700001111",
            },
        )
        member = Member.objects.get(employee_no="70010")
        assert response.status_code == 302
        assert response["Location"] == reverse("groups:member_detail", args=[member.pk])
        assert (member.group, member.gender, member.birth_date) == (org.A1, "F", date(1992, 8, 8))

    def test_bad_input_is_shown_next_to_the_field_and_kept(self, org, hq, login):
        taken = org.members["A1"][0].employee_no
        response = login(hq).post(
            reverse("groups:member_create"),
            {
                "employee_no": taken,
                "name": "",
                "gender": "M",
                "group": org.A1.pk,
                "birth_date": "2099-01-01",
                "phone": "12345",
                "joined_union_on": "不是日期",
            },
        )
        errors = response.context["form"].errors
        assert set(errors) == {"employee_no", "name", "birth_date", "phone", "joined_union_on"}
        page = response.content.decode()
        assert 'value="12345"' in page  # what the user typed stays in the form
        assert 'id="id_phone_error"' in page

    def test_joining_before_birth_is_refused(self, org, hq, login):
        response = login(hq).post(
            reverse("groups:member_create"),
            {
                "employee_no": "70011",
                "name": "郑一",
                "gender": "M",
                "group": org.A1.pk,
                "birth_date": "1990-01-01",
                "joined_union_on": "1989-01-01",
            },
        )
        assert "joined_union_on" in response.context["form"].errors

    def test_edit_keeps_the_group_and_corrects_details(self, org, leader_a1, login):
        member = org.members["A1"][0]
        response = login(leader_a1).post(
            reverse("groups:member_edit", args=[member.pk]),
            {
                "employee_no": member.employee_no,
                "name": "改名字",
                "gender": "M",
                "phone": "",
                "is_model_worker": "on",
            },
        )
        assert response.status_code == 302
        member.refresh_from_db()
        assert (member.name, member.is_model_worker, member.group) == ("改名字", True, org.A1)

    def test_move_leave_and_rejoin_through_the_pages(self, org, workshop_a, login):
        client = login(workshop_a)
        member = org.members["A1"][0]
        today = date.today().isoformat()
        client.post(
            reverse("groups:member_move", args=[member.pk]),
            {"to_group": org.A2.pk, "moved_on": today, "note": "调班"},
        )
        client.post(
            reverse("groups:member_leave", args=[member.pk]),
            {"left_on": today, "reason": "调离本单位"},
        )
        member.refresh_from_db()
        assert (member.group, member.status) == (org.A2, MemberStatus.LEFT)
        page = client.get(reverse("groups:member_detail", args=[member.pk])).content.decode()
        assert "调离本单位" in page and "运行一班" in page and "检修班" in page
        client.post(
            reverse("groups:member_rejoin", args=[member.pk]),
            {"group": org.A1.pk, "rejoined_on": today},
        )
        member.refresh_from_db()
        assert (member.group, member.status) == (org.A1, MemberStatus.ACTIVE)

    def test_leaving_needs_a_reason(self, org, workshop_a, login):
        member = org.members["A1"][0]
        response = login(workshop_a).post(
            reverse("groups:member_leave", args=[member.pk]),
            {"left_on": date.today().isoformat(), "reason": ""},
        )
        assert "reason" in response.context["form"].errors

    def test_leader_fills_posts_but_not_the_leader_post(self, org, leader_a1, login):
        client = login(leader_a1)
        form = client.get(reverse("groups:group_posts", args=[org.A1.pk])).context["form"]
        assert Post.LEADER.value not in form.fields
        member = org.members["A1"][1]
        client.post(
            reverse("groups:group_posts", args=[org.A1.pk]),
            {Post.PUBLICITY.value: member.pk, "since": date.today().isoformat()},
        )
        assert GroupPost.objects.get(group=org.A1, post=Post.PUBLICITY).member == member


class TestImportPages:
    def test_preview_then_confirm(self, org, workshop_a, login):
        client = login(workshop_a)
        content = xlsx_bytes([member_row("81001", group="检修班"), member_row("81002")])
        preview = client.post(
            reverse("groups:member_import"), {"file": upload(content, "成员.xlsx")}
        )
        assert preview.context["plan"].ok
        assert not Member.objects.filter(employee_no__in=["81001", "81002"]).exists()
        done = client.post(reverse("groups:member_import_confirm"), {"confirm": "1"})
        assert done.status_code == 302
        assert Member.objects.filter(employee_no__in=["81001", "81002"]).count() == 2

    def test_bad_file_lists_every_row_and_saves_nothing(self, org, workshop_a, login):
        content = csv_bytes(
            [member_row("81003"), member_row("", name=""), member_row("81004", group="运行甲班")],
            encoding="gbk",
        )
        page = login(workshop_a).post(
            reverse("groups:member_import"), {"file": upload(content, "成员.csv")}
        )
        rows = [e.row for e in page.context["plan"].errors]
        assert rows == [3, 3, 4]
        assert 'id="import-errors"' in page.content.decode()
        assert not Member.objects.filter(employee_no="81003").exists()
        # A bad file waits only to be mapped again: confirming it shows the problems again.
        client = login(workshop_a)
        client.post(reverse("groups:member_import"), {"file": upload(content, "成员.csv")})
        after = client.post(reverse("groups:member_import_confirm"), {"confirm": "1"})
        assert [e.row for e in after.context["plan"].errors] == [3, 3, 4]
        assert not Member.objects.filter(employee_no="81003").exists()

    def test_cancel_discards_the_upload(self, org, hq, login):
        client = login(hq)
        client.post(
            reverse("groups:member_import"),
            {"file": upload(xlsx_bytes([member_row("81005")]), "m.xlsx")},
        )
        client.post(reverse("groups:member_import_confirm"), {"cancel": "1"})
        client.post(reverse("groups:member_import_confirm"), {"confirm": "1"})
        assert not Member.objects.filter(employee_no="81005").exists()

    def test_a_wrong_file_type_is_refused_next_to_the_field(self, org, hq, login):
        page = login(hq).post(
            reverse("groups:member_import"), {"file": upload(b"%PDF-1.4", "members.pdf")}
        )
        assert "file" in page.context["form"].errors

    def test_a_corrupt_workbook_is_refused_next_to_the_field(self, org, hq, login):
        page = login(hq).post(
            reverse("groups:member_import"), {"file": upload(b"PK\x03\x04 broken", "members.xlsx")}
        )
        assert "file" in page.context["form"].errors

    def test_template_download_is_a_real_workbook(self, org, hq, login):
        import io

        from openpyxl import load_workbook

        response = login(hq).get(reverse("groups:member_import_template"))
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [c.value for c in sheet[1]][:2] == ["工号", "姓名"]


class TestQueryCounts:
    """Each page runs the same number of queries with few rows as with many."""

    @pytest.fixture
    def grow(self, org):
        def add(n):
            for i in range(n):
                group = UnionGroupFactory(workshop=org.a if i % 2 else org.b)
                MemberFactory.create_batch(3, group=group)
                GroupPost.objects.create(
                    group=group,
                    post=Post.LEADER,
                    member=group.members.first(),
                    since=date(2024, 1, 1),
                )

        return add

    def count(self, client, url, django_assert_num_queries, expected, params=None):
        with django_assert_num_queries(expected):
            assert client.get(url, params or {}).status_code == 200

    # Every page starts with four queries: the session, the user, the user's assigned roles
    # and the roles a panel gives them.
    @pytest.mark.parametrize(
        ("url_name", "expected"),
        [
            # + the head's totals (workshop unions, groups, members), the page's count, its
            # workshop unions, their groups with member counts and leaders
            ("groups:org_tree", 10),
            # + count, page of members, workshop choices, political statuses and forms of
            # employment (the more-filters lists); HQ is offered no group, nor reads one,
            # until a workshop union is chosen
            ("groups:member_list", 9),
        ],
    )
    def test_list_pages(self, org, hq, login, grow, django_assert_num_queries, url_name, expected):
        # session, user, roles (2), then the page's own queries (see each selector's docstring)
        client = login(hq)
        url = reverse(url_name)
        self.count(client, url, django_assert_num_queries, expected)
        grow(8)
        self.count(client, url, django_assert_num_queries, expected)

    def test_workshop_and_group_pages(self, org, hq, login, django_assert_num_queries):
        client = login(hq)
        workshop_url = reverse("groups:workshop_detail", args=[org.a.pk])
        group_url = reverse("groups:group_detail", args=[org.A1.pk])
        # workshop page: session, user, roles (2), workshop, its groups with counts and leaders
        self.count(client, workshop_url, django_assert_num_queries, 6)
        # group page: session, user, roles (2), group with count, members, recent changes, posts,
        # the title and the timeline 小家 creation offers, and the change history HQ sees
        self.count(client, group_url, django_assert_num_queries, 11)
        for _ in range(5):
            UnionGroupFactory(workshop=org.a)
        MemberFactory.create_batch(20, group=org.A1)
        self.count(client, workshop_url, django_assert_num_queries, 6)
        self.count(client, group_url, django_assert_num_queries, 11)

    def test_member_page(self, org, hq, login, django_assert_num_queries):
        from groups import services

        client = login(hq)
        member = org.members["A1"][0]
        url = reverse("groups:member_detail", args=[member.pk])
        # session, user, roles (2), member with group and lists' entries, group history,
        # posts, change history (HQ) and the names of the groups it mentions (one query for
        # any number of moves), and the timeline: the leaves the change history keeps, the
        # member's approved applications to join and transfers out; the facts the
        # democratic-management apps keep (suggestions and awards, representative terms)
        # and the year's learning (records, competition results)
        services.member_move(member=member, to_group=org.A2, moved_on=date.today(), by=hq)
        self.count(client, url, django_assert_num_queries, 16)
        for group in (org.B1, org.B2):
            services.member_move(member=member, to_group=group, moved_on=date.today(), by=hq)
        self.count(client, url, django_assert_num_queries, 16)

    def test_group_leader_member_list(self, org, login, grow, django_assert_num_queries):
        leader = leader_user(org.A1)
        client = login(leader)
        url = reverse("groups:member_list")
        # No workshop union or group to choose (hidden fields, no choices read), the two
        # lists of the more filters: 9 queries.
        self.count(client, url, django_assert_num_queries, 9)
        assert 'type="hidden" name="group"' in client.get(url).content.decode()
        MemberFactory.create_batch(30, group=org.A1)
        self.count(client, url, django_assert_num_queries, 9)
