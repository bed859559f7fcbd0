"""整改 pages: the list and its filters (fixed queries), one item, reporting with evidence,
closing and returning, raising (of the office's own and from an inspection), evidence
downloads, the inspection page's buttons, the to-do lines."""

from datetime import timedelta

import pytest

from accounts.models import Role
from rectifications.models import Kind, Rectification, Status
from tests import files
from tests.factories import today
from unionhome.extensions import navigation, section_navigation, todo_items

from .conftest import NO_OWNER, raise_item, report


def listed(response):
    return [item.pk for item in response.context["items"]]


class TestList:
    def test_each_role_lists_the_items_in_its_reach(self, org, people, login):
        a1 = raise_item(people, org)
        a_level = raise_item(people, org, group=None, workshop=org.a, owner=people.ws_a)
        b1 = raise_item(people, org, by=people.ws_b, group="B1", owner=people.ws_b)
        expect = {
            people.hq: {a1.pk, a_level.pk, b1.pk},
            people.evaluator: {a1.pk, a_level.pk, b1.pk},
            people.ws_a: {a1.pk, a_level.pk},
            people.ws_b: {b1.pk},
            people.leader_a1: {a1.pk},
            people.leader_a2: set(),
            people.leader_b1: {b1.pk},
        }
        for user, pks in expect.items():
            response = login(user).get("/rectifications/")
            assert response.status_code == 200, user
            assert set(listed(response)) == pks, user.name
            assert "no-store" in response["Cache-Control"]

    def test_a_login_without_a_role_reads_only_its_own_items(self, org, people, login):
        from tests.factories import UserFactory

        nobody = UserFactory(role=None, name="无角色")
        assert login(nobody).get("/rectifications/").status_code == 403
        item = raise_item(people, org)
        raise_item(people, org, owner=people.ws_a)
        client = login(people.owner)
        assert listed(client.get("/rectifications/")) == [item.pk]
        assert client.get(f"/rectifications/{item.pk}/").status_code == 200
        assert login(nobody).get(f"/rectifications/{item.pk}/").status_code == 403

    def test_filters(self, org, people, login):
        late = raise_item(people, org, due_on=today() - timedelta(days=2), kind=Kind.RESOLUTION)
        done = report(raise_item(people, org, group="A2"), people.owner)
        b1 = raise_item(people, org, by=people.hq, group="B1")
        client = login(people.hq)
        assert listed(client.get("/rectifications/?overdue=1")) == [late.pk]
        assert listed(client.get("/rectifications/?status=submitted")) == [done.pk]
        assert listed(client.get("/rectifications/?kind=resolution")) == [late.pk]
        assert listed(client.get(f"/rectifications/?workshop={org.b.pk}")) == [b1.pk]
        assert listed(client.get(f"/rectifications/?group={org.A2.pk}")) == [done.pk]
        # Nonsense in the query string narrows nothing and breaks nothing.
        assert client.get("/rectifications/?status=x&kind=y&workshop=²").status_code == 200

    def test_mine_lists_exactly_the_to_do_lines(self, org, people, login):
        mine = raise_item(people, org)
        waiting = report(raise_item(people, org), people.owner)
        raise_item(people, org, owner=people.ws_a)
        assert listed(login(people.owner).get("/rectifications/?mine=report")) == [mine.pk]
        assert listed(login(people.ws_a).get("/rectifications/?mine=accept")) == [waiting.pk]
        assert listed(login(people.hq).get("/rectifications/?mine=accept")) == [waiting.pk]
        assert listed(login(people.leader_a1).get("/rectifications/?mine=accept")) == []

    @pytest.mark.parametrize("count", [1, 6])
    def test_the_list_runs_a_fixed_number_of_queries(
        self, count, org, people, login, django_assert_num_queries
    ):
        """Session, user, roles, the inspection-panel grants (4); the workshop unions for
        the filter, the count and the page of items (3)."""
        for index in range(count):
            item = raise_item(people, org, group="A1" if index % 2 else "B2", by=people.hq)
            if index % 3 == 0:
                report(item, people.owner)
        client = login(people.hq)
        client.get("/rectifications/")
        with django_assert_num_queries(7):
            response = client.get("/rectifications/?overdue=&kind=other")
        assert len(response.context["items"]) == count


class TestDetailAndSteps:
    def test_the_owner_reports_with_evidence_through_the_page(self, items, people, login):
        client = login(people.owner)
        page = client.get(f"/rectifications/{items.open.pk}/")
        assert f"/rectifications/{items.open.pk}/report/".encode() in page.content
        response = client.post(
            f"/rectifications/{items.open.pk}/report/",
            {
                "report": "已补齐记录",
                "completed_on": today().isoformat(),
                "evidence_files": [files.jpeg(), files.docx()],
            },
        )
        assert response.status_code == 302
        items.open.refresh_from_db()
        assert items.open.status == Status.SUBMITTED
        assert items.open.evidence.count() == 2

    def test_a_report_without_evidence_is_shown_next_to_the_field(self, items, people, login_en):
        response = login_en(people.owner).post(
            f"/rectifications/{items.open.pk}/report/",
            {"report": "已补齐记录", "completed_on": today().isoformat()},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["evidence_files"]
        assert b"Attach at least one photo or document" in response.content

    def test_a_bad_file_is_refused_on_the_page(self, items, people, login):
        response = login(people.owner).post(
            f"/rectifications/{items.open.pk}/report/",
            {"report": "x", "evidence_files": [files.html_named_pdf()]},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["evidence_files"]
        assert not items.open.evidence.exists()

    def test_a_leader_reading_the_item_may_not_report(self, items, people, login):
        client = login(people.leader_a1)
        assert client.get(f"/rectifications/{items.open.pk}/").status_code == 200
        assert client.get(f"/rectifications/{items.open.pk}/report/").status_code == 403

    def test_the_office_reports_on_the_page_only_items_naming_no_owner(self, org, people, login):
        owned = raise_item(people, org)
        unowned = raise_item(people, org, owner=NO_OWNER)
        client = login(people.ws_a)
        assert client.get(f"/rectifications/{owned.pk}/report/").status_code == 404
        assert client.get(f"/rectifications/{owned.pk}/").context["can_report"] is False
        assert client.get(f"/rectifications/{unowned.pk}/").context["can_report"] is True
        response = client.post(
            f"/rectifications/{unowned.pk}/report/",
            {"report": "已整改", "evidence_files": [files.jpeg()]},
        )
        assert response.status_code == 302
        unowned.refresh_from_db()
        assert unowned.status == Status.SUBMITTED and unowned.reported_by == people.ws_a

    def test_the_raiser_closes_through_the_page(self, items, people, login):
        report(items.open, people.owner)
        client = login(people.ws_a)
        page = client.get(f"/rectifications/{items.open.pk}/")
        assert b'id="close-form"' in page.content
        assert client.post(f"/rectifications/{items.open.pk}/close/").status_code == 302
        items.open.refresh_from_db()
        assert items.open.status == Status.CLOSED
        # The owner sees no acceptance buttons.
        assert (
            b'id="close-form"'
            not in login(people.owner).get(f"/rectifications/{items.open.pk}/").content
        )

    def test_closing_without_evidence_says_why(self, items, people, login_en):
        response = login_en(people.ws_a).post(f"/rectifications/{items.open.pk}/close/")
        assert response.status_code == 200
        assert b"closed only on a completion report with evidence" in response.content
        items.open.refresh_from_db()
        assert items.open.status == Status.OPEN

    def test_the_owner_cannot_close_by_posting(self, items, people, login):
        report(items.open, people.owner)
        for user in (people.owner, people.leader_a1):
            response = login(user).post(f"/rectifications/{items.open.pk}/close/")
            assert response.status_code in (403, 404)
        items.open.refresh_from_db()
        assert items.open.status == Status.SUBMITTED

    def test_return_needs_a_note_and_then_goes_back(self, items, people, login_en):
        report(items.open, people.owner)
        client = login_en(people.ws_a)
        response = client.post(f"/rectifications/{items.open.pk}/return/", {"note": ""})
        assert response.status_code == 200
        assert response.context["return_form"].errors["note"]
        response = client.post(f"/rectifications/{items.open.pk}/return/", {"note": "照片不清"})
        assert response.status_code == 302
        items.open.refresh_from_db()
        assert items.open.status == Status.RETURNED
        page = login_en(people.owner).get(f"/rectifications/{items.open.pk}/")
        assert "照片不清" in page.content.decode()

    def test_another_workshop_union_gets_404(self, items, people, login):
        client = login(people.ws_b)
        assert client.get(f"/rectifications/{items.open.pk}/").status_code == 404
        assert client.post(f"/rectifications/{items.open.pk}/close/").status_code in (403, 404)

    def test_overdue_badge(self, org, people, login_en):
        late = raise_item(people, org, due_on=today() - timedelta(days=1))
        page = login_en(people.ws_a).get(f"/rectifications/{late.pk}/")
        assert b'id="overdue"' in page.content


class TestEvidence:
    def test_evidence_is_served_to_readers_only_and_never_cached(self, items, people, login):
        item = report(items.open, people.owner, evidence=[files.pdf()])
        evidence = item.evidence.get()
        url = f"/rectifications/evidence/{evidence.pk}/"
        for reader in (people.owner, people.ws_a, people.leader_a1, people.hq, people.evaluator):
            response = login(reader).get(url)
            assert response.status_code == 200, reader.name
            assert response["Content-Type"] == "application/pdf"
            assert "no-store" in response["Cache-Control"]
        for outsider in (people.ws_b, people.leader_a2, people.leader_b1):
            assert login(outsider).get(url).status_code == 404


class TestRaisePages:
    def test_the_office_raises_an_item_of_its_own(self, org, people, login):
        client = login(people.ws_a)
        form = client.get("/rectifications/new/").context["form"]
        assert list(form.fields["workshop"].queryset) == [org.a]
        assert set(form.fields["group"].queryset) == {org.A1, org.A2}
        response = client.post(
            "/rectifications/new/",
            {
                "workshop": org.a.pk,
                "group": org.A2.pk,
                "title": "公开栏未更新",
                "owner_department": "检修班",
                "owner_user": people.leader_a2.pk,
                "due_on": (today() + timedelta(days=7)).isoformat(),
            },
        )
        assert response.status_code == 302
        item = Rectification.objects.get()
        assert item.kind == Kind.OTHER and item.group == org.A2
        assert item.owner_user == people.leader_a2

    def test_a_missing_department_is_shown_next_to_the_field(self, org, people, login_en):
        response = login_en(people.ws_a).post(
            "/rectifications/new/",
            {"workshop": org.a.pk, "title": "x", "due_on": today().isoformat()},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["owner_department"]
        assert not Rectification.objects.exists()

    def test_another_workshop_union_cannot_be_chosen(self, org, people, login):
        response = login(people.ws_a).post(
            "/rectifications/new/",
            {
                "workshop": org.b.pk,
                "title": "x",
                "owner_department": "y",
                "due_on": today().isoformat(),
            },
        )
        assert response.status_code == 200
        assert response.context["form"].errors["workshop"]

    def test_the_choices_are_where_the_office_may_raise(self, org, people, login):
        from tests.factories import UserFactory

        both = UserFactory(
            role="", roles=[(Role.WORKSHOP, org.a, None), (Role.WORKSHOP, org.b, None)]
        )
        form = login(both).get("/rectifications/new/").context["form"]
        assert list(form.fields["workshop"].queryset) == [org.a, org.b]
        form = login(people.ws_a).get("/rectifications/new/").context["form"]
        owners = set(form.fields["owner_user"].queryset)
        assert {people.hq, people.ws_a, people.leader_a1, people.leader_a2} <= owners
        assert not owners & {people.ws_b, people.leader_b1, people.evaluator, people.owner}
        form = login(people.hq).get("/rectifications/new/").context["form"]
        assert set(form.fields["workshop"].queryset) == {org.a, org.b}
        assert {people.ws_b, people.leader_b1} <= set(form.fields["owner_user"].queryset)

    def test_the_lists_workshop_filter_offers_the_workshops_in_reach(self, org, people, login):
        from tests.factories import UserFactory

        both = UserFactory(
            role="", roles=[(Role.WORKSHOP, org.a, None), (Role.GROUP_LEADER, None, org.B1)]
        )
        assert login(both).get("/rectifications/").context["workshops"] == [org.a, org.b]
        assert login(people.ws_a).get("/rectifications/").context["workshops"] == []
        assert login(people.leader_a1).get("/rectifications/").context["workshops"] == []

    def test_leaders_and_evaluators_may_not_raise(self, people, login):
        for user in (people.leader_a1, people.evaluator):
            assert login(user).get("/rectifications/new/").status_code == 403

    def test_raise_from_an_inspection_is_prefilled_from_its_remarks(self, org, inspection, login):
        client = login(inspection.inspector)
        url = f"/rectifications/from-inspection/{inspection.pk}/"
        form = client.get(url).context["form"]
        assert form.initial["title"] == "安全台账不全"
        assert "班务公开栏" in form.initial["description"]
        response = client.post(
            url,
            {
                "title": "安全台账不全",
                "description": inspection.remarks,
                "owner_department": "运行一班",
                "due_on": (today() + timedelta(days=14)).isoformat(),
            },
        )
        assert response.status_code == 302
        item = Rectification.objects.get()
        assert item.kind == Kind.INSPECTION and item.group == org.A1
        assert item.source == inspection
        # The item's page links back to the inspection's declaration.
        page = client.get(f"/rectifications/{item.pk}/")
        assert f"/homes/declarations/{inspection.declaration_id}/".encode() in page.content

    def test_others_may_not_raise_from_an_inspection(self, inspection, people, login):
        url = f"/rectifications/from-inspection/{inspection.pk}/"
        for user in (people.ws_a, people.leader_a1, people.owner):
            assert login(user).get(url).status_code in (403, 404)
        assert login(inspection.people.hq).get(url).status_code == 200


class TestHooks:
    def test_the_inspection_page_offers_the_button_and_the_items(self, inspection, login):
        client = login(inspection.inspector)
        url = f"/homes/declarations/{inspection.declaration_id}/"
        raise_url = f"/rectifications/from-inspection/{inspection.pk}/"
        assert raise_url.encode() in client.get(url).content
        client.post(
            raise_url,
            {
                "title": "安全台账不全",
                "owner_department": "运行一班",
                "due_on": today().isoformat(),
            },
        )
        item = Rectification.objects.get()
        assert f"/rectifications/{item.pk}/".encode() in client.get(url).content

    def test_navigation_in_the_democracy_section(self, people, english):
        def entries(user):
            return [(str(label), name) for _c, label, name in section_navigation(user, "democracy")]

        assert ("Rectification", "rectifications:list") in entries(people.leader_a1)
        assert "rectifications:list" not in [name for _l, name in entries(people.owner)]
        assert "rectifications:list" not in [name for _l, name in navigation(people.hq)]

    def test_todo_lines_for_owner_raiser_and_overdue(self, org, people, english):
        mine = raise_item(people, org)
        report(raise_item(people, org), people.owner)
        raise_item(people, org, group="A2", due_on=today() - timedelta(days=1), owner=people.ws_a)

        def lines(user):
            return {
                url.split("?")[1]: count
                for _label, count, url in todo_items(user)
                if url.startswith("/rectifications/")
            }

        assert lines(people.owner) == {"mine=report": 1}
        assert lines(people.ws_a) == {"mine=accept": 1, "overdue=1": 1, "mine=report": 1}
        assert lines(people.hq) == {"mine=accept": 1, "overdue=1": 1}
        assert lines(people.leader_a1) == {}
        assert lines(people.leader_a2) == {"overdue=1": 1}
        assert lines(people.ws_b) == {}
        assert mine.pk

    def test_overdue_items_reach_the_daily_reminders(self, org, people, settings, mailoutbox):
        from dashboard.reminders import send_reminders

        people.leader_a2.email = "a2@example.com"
        people.leader_a2.save()
        raise_item(people, org, group="A2", due_on=today() - timedelta(days=1))
        send_reminders(base_url="https://x")
        mail = [m for m in mailoutbox if m.to == ["a2@example.com"]]
        assert mail and "/rectifications/?overdue=1" in mail[0].body
