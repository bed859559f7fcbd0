"""整改 services: every transition and every refusal."""

from datetime import timedelta

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from accounts.scoping import allows
from rectifications import services
from rectifications.models import REPORT, Kind, Rectification, Status
from rectifications.selectors import rectifications_of
from rectifications.signals import rectification_closed
from tests import files
from tests.factories import today

from .conftest import NO_OWNER, raise_item, report


def error_keys(excinfo):
    return set(excinfo.value.message_dict)


class TestRaise:
    def test_an_item_is_raised_open_with_its_raiser(self, org, people):
        item = raise_item(people, org)
        assert item.status == Status.OPEN
        assert item.raised_by == people.ws_a
        assert item.workshop == org.a and item.group == org.A1
        assert not item.is_overdue and not item.closed_on_time

    def test_without_a_responsible_department_it_is_refused(self, org, people):
        with pytest.raises(ValidationError) as excinfo:
            raise_item(people, org, owner_department="  ")
        assert "owner_department" in error_keys(excinfo)
        assert not Rectification.objects.exists()

    def test_without_a_due_date_it_is_refused(self, org, people):
        with pytest.raises(ValidationError) as excinfo:
            raise_item(people, org, due_on=None)
        assert "due_on" in error_keys(excinfo)

    def test_a_group_of_another_workshop_union_is_refused(self, org, people):
        with pytest.raises(ValidationError) as excinfo:
            services.rectification_raise(
                by=people.hq,
                workshop=org.a,
                group=org.B1,
                kind=Kind.OTHER,
                title="x",
                owner_department="点检班",
                due_on=today(),
            )
        assert "group" in error_keys(excinfo)

    def test_a_source_is_recorded_and_found_by_its_id(self, org, people, inspection):
        item = raise_item(people, org, kind=Kind.INSPECTION, source=inspection)
        assert item.source == inspection
        found = rectifications_of(source_model=type(inspection), source_ids=[inspection.pk, 999])
        assert found == {inspection.pk: item}

    def test_rectifications_of_is_one_query(
        self, org, people, inspection, django_assert_num_queries
    ):
        raise_item(people, org, kind=Kind.INSPECTION, source=inspection)
        type(inspection)  # the content type is cached after the first use
        rectifications_of(source_model=type(inspection), source_ids=[inspection.pk])
        with django_assert_num_queries(1):
            rectifications_of(source_model=type(inspection), source_ids=[inspection.pk])

    def test_the_office_raises_in_its_own_workshop_union_only(self, org, people):
        args = {"title": "公开栏未更新", "owner_department": "检修班", "due_on": today()}
        item = services.rectification_raise_other(
            by=people.ws_a, workshop=org.a, group=org.A2, **args
        )
        assert item.kind == Kind.OTHER
        with pytest.raises(PermissionDenied):
            services.rectification_raise_other(by=people.ws_b, workshop=org.a, group=None, **args)
        with pytest.raises(PermissionDenied):
            services.rectification_raise_other(
                by=people.leader_a1, workshop=org.a, group=org.A1, **args
            )
        hq_item = services.rectification_raise_other(by=people.hq, workshop=org.b, **args)
        assert hq_item.group is None


class TestInspectionItems:
    def test_the_inspector_raises_from_the_remarks_in_the_inspected_group(self, org, inspection):
        inspector = inspection.inspector
        item = services.rectification_raise_from_inspection(
            by=inspector,
            inspection=inspection,
            title="安全台账不全",
            owner_department="运行一班",
            due_on=today() + timedelta(days=30),
        )
        assert item.kind == Kind.INSPECTION
        assert item.group == org.A1 and item.workshop == org.a
        assert item.source == inspection and item.raised_by == inspector

    def test_the_panel_leader_and_hq_may_raise_but_not_others(self, org, inspection, people):
        panel_leader = inspection.declaration.panel.leader
        assert services.may_raise_from_inspection(panel_leader, inspection)
        assert services.may_raise_from_inspection(people.hq, inspection)
        for outsider in (people.ws_a, people.leader_a1, people.ws_b, people.owner):
            assert not services.may_raise_from_inspection(outsider, inspection)
        with pytest.raises(PermissionDenied):
            services.rectification_raise_from_inspection(
                by=people.ws_a,
                inspection=inspection,
                title="x",
                owner_department="y",
                due_on=today(),
            )


class TestReport:
    def test_the_owner_reports_with_evidence_and_it_waits_for_acceptance(self, items, people):
        item = report(items.open, people.owner, evidence=[files.jpeg(), files.pdf()])
        assert item.status == Status.SUBMITTED
        assert item.completed_on == today()
        assert item.reported_by == people.owner
        assert sorted(e.mime for e in item.evidence.all()) == ["application/pdf", "image/jpeg"]

    def test_the_office_in_scope_reports_an_item_naming_no_owner_login(self, org, people):
        ws_item = raise_item(people, org, owner=NO_OWNER)
        hq_item = raise_item(people, org, by=people.hq, group="B1", owner=NO_OWNER)
        assert report(ws_item, people.ws_a).status == Status.SUBMITTED
        assert report(hq_item, people.hq).status == Status.SUBMITTED
        with pytest.raises(PermissionDenied):  # not even read outside its workshop union
            report(raise_item(people, org, owner=NO_OWNER), people.ws_b)

    def test_the_office_may_not_report_on_an_owners_behalf(self, org, people, items):
        # An item HQ raised (as from an inspection's remarks) naming A1's leader as owner.
        named = raise_item(people, org, by=people.hq, owner=people.leader_a1)
        for item, office in ((items.open, people.ws_a), (named, people.ws_a), (named, people.hq)):
            with pytest.raises(ValidationError) as excinfo:
                report(item, office)
            assert NON_FIELD_ERRORS in error_keys(excinfo)
            item.refresh_from_db()
            assert item.status == Status.OPEN and not item.evidence.exists()
        assert report(named, people.leader_a1).status == Status.SUBMITTED

    def test_whom_the_report_action_reaches(self, org, people, items):
        unowned = raise_item(people, org, owner=NO_OWNER)
        own = raise_item(people, org, group="A2", owner=people.ws_a)
        b_unowned = raise_item(people, org, by=people.ws_b, group="B1", owner=NO_OWNER)

        def reach(user):
            return set(Rectification.objects.restrict(user, REPORT).values_list("pk", flat=True))

        assert reach(people.ws_a) == {unowned.pk, own.pk}
        assert reach(people.hq) == {unowned.pk, b_unowned.pk}
        assert reach(people.owner) == {items.open.pk}
        assert reach(people.leader_a1) == set()
        for item in (items.open, unowned, own, b_unowned):
            for user in (people.ws_a, people.hq, people.owner, people.leader_a1, people.ws_b):
                assert allows(user, REPORT, item) == (item.pk in reach(user))

    def test_a_report_without_text_is_refused(self, items, people):
        with pytest.raises(ValidationError) as excinfo:
            services.rectification_report(
                rectification=items.open, by=people.owner, report=" ", evidence_files=[files.pdf()]
            )
        assert "report" in error_keys(excinfo)
        items.open.refresh_from_db()
        assert items.open.status == Status.OPEN and not items.open.evidence.exists()

    def test_a_report_without_evidence_is_refused(self, items, people):
        with pytest.raises(ValidationError) as excinfo:
            report(items.open, people.owner, evidence=[])
        assert "evidence_files" in error_keys(excinfo)
        items.open.refresh_from_db()
        assert items.open.status == Status.OPEN

    def test_a_file_in_disguise_is_refused(self, items, people):
        with pytest.raises(ValidationError) as excinfo:
            report(items.open, people.owner, evidence=[files.jpeg(), files.exe_named_jpg()])
        assert "evidence_files" in error_keys(excinfo)
        assert not items.open.evidence.exists()

    def test_a_completion_date_in_the_future_is_refused(self, items, people):
        with pytest.raises(ValidationError) as excinfo:
            services.rectification_report(
                rectification=items.open,
                by=people.owner,
                report="done",
                evidence_files=[files.pdf()],
                completed_on=today() + timedelta(days=1),
            )
        assert "completed_on" in error_keys(excinfo)

    def test_others_may_not_report(self, items, people):
        # A group leader reads the item but is not its owner: a clear refusal.
        with pytest.raises(ValidationError) as excinfo:
            report(items.open, people.leader_a1)
        assert NON_FIELD_ERRORS in error_keys(excinfo)
        # The other workshop union does not even read it.
        with pytest.raises(PermissionDenied):
            report(items.open, people.ws_b)

    def test_a_submitted_item_is_not_reported_again(self, items, people):
        item = report(items.open, people.owner)
        with pytest.raises(ValidationError):
            report(item, people.owner)


class TestClose:
    def test_the_raiser_closes_a_reported_item_and_the_signal_goes(self, items, people):
        heard = []

        def receiver(sender, rectification, **kwargs):
            heard.append(rectification.pk)

        rectification_closed.connect(receiver)
        try:
            item = services.rectification_close(
                rectification=report(items.open, people.owner), by=people.ws_a
            )
        finally:
            rectification_closed.disconnect(receiver)
        assert item.status == Status.CLOSED
        assert item.closed_by == people.ws_a and item.closed_at is not None
        assert item.closed_on_time
        assert heard == [item.pk]

    def test_hq_closes_too(self, items, people):
        item = services.rectification_close(
            rectification=report(items.open, people.owner), by=people.hq
        )
        assert item.status == Status.CLOSED

    def test_closing_without_evidence_is_refused(self, items, people, english):
        with pytest.raises(ValidationError) as excinfo:
            services.rectification_close(rectification=items.open, by=people.ws_a)
        assert "evidence" in " ".join(excinfo.value.messages)
        items.open.refresh_from_db()
        assert items.open.status == Status.OPEN

    def test_a_submitted_item_whose_evidence_is_gone_is_not_closed(self, items, people):
        item = report(items.open, people.owner)
        item.evidence.all().delete()
        with pytest.raises(ValidationError):
            services.rectification_close(rectification=item, by=people.ws_a)

    def test_only_the_raiser_or_hq_closes(self, items, people):
        item = report(items.open, people.owner)
        for somebody in (people.owner, people.leader_a1):
            with pytest.raises(ValidationError) as excinfo:
                services.rectification_close(rectification=item, by=somebody)
            assert NON_FIELD_ERRORS in error_keys(excinfo)
        with pytest.raises(PermissionDenied):
            services.rectification_close(rectification=item, by=people.ws_b)
        item.refresh_from_db()
        assert item.status == Status.SUBMITTED

    def test_another_office_of_the_same_workshop_is_not_the_raiser(self, org, people):
        item = raise_item(people, org, by=people.hq)
        item = report(item, people.owner)
        with pytest.raises(ValidationError):
            services.rectification_close(rectification=item, by=people.ws_a)

    def test_closed_late_is_not_on_time(self, org, people):
        item = raise_item(people, org, due_on=today() - timedelta(days=3))
        assert item.is_overdue
        item = report(item, people.owner)
        item = services.rectification_close(rectification=item, by=people.ws_a)
        assert not item.is_overdue and not item.closed_on_time

    def test_a_closed_item_is_not_closed_again(self, items, people):
        item = services.rectification_close(
            rectification=report(items.open, people.owner), by=people.ws_a
        )
        with pytest.raises(ValidationError):
            services.rectification_close(rectification=item, by=people.ws_a)


class TestReturn:
    def test_the_raiser_returns_with_a_note_and_the_owner_reports_again(self, items, people):
        item = report(items.open, people.owner)
        item = services.rectification_return(
            rectification=item, by=people.ws_a, note="照片看不清，请补拍"
        )
        assert item.status == Status.RETURNED and item.return_note == "照片看不清，请补拍"
        # The earlier evidence still counts; the new report carries on.
        item = report(item, people.owner, evidence=[])
        assert item.status == Status.SUBMITTED

    def test_a_return_needs_a_note(self, items, people):
        item = report(items.open, people.owner)
        with pytest.raises(ValidationError) as excinfo:
            services.rectification_return(rectification=item, by=people.ws_a, note="")
        assert "note" in error_keys(excinfo)

    def test_only_a_reported_item_is_returned(self, items, people):
        with pytest.raises(ValidationError):
            services.rectification_return(rectification=items.open, by=people.ws_a, note="x")

    def test_only_the_raiser_or_hq_returns(self, items, people):
        item = report(items.open, people.owner)
        with pytest.raises(ValidationError):
            services.rectification_return(rectification=item, by=people.owner, note="x")
        assert (
            services.rectification_return(rectification=item, by=people.hq, note="x").status
            == Status.RETURNED
        )


def test_of_kind_and_overdue(org, people):
    late = raise_item(people, org, due_on=today() - timedelta(days=1), kind=Kind.RESOLUTION)
    raise_item(people, org)
    assert list(Rectification.objects.of_kind(Kind.RESOLUTION)) == [late]
    assert list(Rectification.objects.overdue()) == [late]
