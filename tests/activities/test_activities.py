"""Recording activities: the rules of the service, uploads checked by content, soft delete."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activities import services
from activities.models import Activity, Attachment
from groups.models import MemberStatus
from tests import files
from tests.factories import area, today


def record(by, group, **extra):
    arguments = {"area": area(), "title": "学习《工会法》", "held_on": today(), **extra}
    return services.activity_create(by=by, group=group, **arguments)


class TestRecording:
    def test_leader_records_an_activity_with_participants_from_other_groups(self, org, leader_a1):
        guest = org.members["B1"][0]
        activity = record(
            leader_a1, org.A1, participants=[*org.members["A1"][:2], guest], guests_count=3
        )
        assert set(activity.participants.all()) == {*org.members["A1"][:2], guest}
        assert activity.recorded_by == leader_a1
        assert activity.history.latest().history_user == leader_a1

    def test_leader_cannot_record_for_another_group(self, org, leader_a1):
        with pytest.raises(PermissionDenied):
            record(leader_a1, org.A2)

    def test_an_activity_cannot_be_in_the_future_or_end_before_it_starts(self, org, leader_a1):
        with pytest.raises(ValidationError) as error:
            record(leader_a1, org.A1, held_on=today() + timedelta(days=1))
        assert "held_on" in error.value.error_dict
        with pytest.raises(ValidationError) as error:
            record(
                leader_a1,
                org.A1,
                held_on=today() - timedelta(days=3),
                ends_on=today() - timedelta(days=4),
            )
        assert "ends_on" in error.value.error_dict

    def test_a_retired_area_takes_no_new_records_but_old_ones_keep_it(self, org, leader_a1):
        activity = record(leader_a1, org.A1)
        retired = activity.area
        retired.is_active = False
        retired.save()
        with pytest.raises(ValidationError) as error:
            record(leader_a1, org.A1)
        assert "area" in error.value.error_dict
        services.activity_update(
            activity=activity, by=leader_a1, area=retired, title="改标题", held_on=activity.held_on
        )
        activity.refresh_from_db()
        assert (activity.area, activity.title) == (retired, "改标题")

    def test_members_who_left_cannot_be_added_as_participants(self, org, leader_a1):
        gone = org.members["A1"][0]
        gone.status, gone.left_on = MemberStatus.LEFT, date(2025, 1, 1)
        gone.save()
        with pytest.raises(ValidationError) as error:
            record(leader_a1, org.A1, participants=[gone])
        assert "participants" in error.value.error_dict


class TestDelete:
    def test_delete_keeps_the_record_with_who_and_when_and_restore_brings_it_back(
        self, org, leader_a1, workshop_a
    ):
        activity = record(leader_a1, org.A1)
        services.activity_delete(activity=activity, by=leader_a1, reason="重复录入")
        activity.refresh_from_db()
        assert (activity.deleted_by, activity.delete_reason) == (leader_a1, "重复录入")
        assert activity.deleted_at is not None
        assert not Activity.objects.restrict(workshop_a).filter(pk=activity.pk).exists()
        assert activity.history.latest().history_user == leader_a1
        services.activity_restore(activity=activity, by=workshop_a)
        assert Activity.objects.restrict(workshop_a).filter(pk=activity.pk).exists()

    def test_another_group_cannot_delete(self, org, leader_a1):
        activity = record(leader_a1, org.A1)
        from tests.factories import leader_user

        with pytest.raises(PermissionDenied):
            services.activity_delete(activity=activity, by=leader_user(org.A2))


class TestUploads:
    @pytest.mark.parametrize(
        ("make", "kind", "mime"),
        [
            (files.jpeg, "image", "image/jpeg"),
            (files.png, "image", "image/png"),
            (files.pdf, "document", "application/pdf"),
            (
                files.docx,
                "document",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
        ],
    )
    def test_good_files_are_kept_with_their_real_type(self, org, leader_a1, make, kind, mime):
        attachment = services.attachment_stage(uploaded=make(), by=leader_a1)
        assert (attachment.kind, attachment.mime, attachment.activity) == (kind, mime, None)
        assert bool(attachment.thumbnail) is (kind == "image")

    def test_type_comes_from_content_not_name(self, org, leader_a1):
        renamed = files.jpeg(name="scan.pdf")
        attachment = services.attachment_stage(uploaded=renamed, by=leader_a1)
        assert attachment.mime == "image/jpeg"
        assert attachment.file.name.endswith(".jpg")
        assert attachment.original_name == "scan.pdf"

    @pytest.mark.parametrize(
        "make",
        [
            files.exe_named_jpg,
            files.truncated_jpeg,
            files.plain_zip_named_docx,
            files.html_named_pdf,
        ],
    )
    def test_bad_files_are_refused_with_their_name(self, org, leader_a1, make):
        uploaded = make()
        with pytest.raises(ValidationError) as error:
            services.attachment_stage(uploaded=uploaded, by=leader_a1)
        assert uploaded.name in error.value.messages[0]
        assert not Attachment.objects.exists()

    def test_oversized_file_is_refused(self, org, leader_a1, settings):
        settings.UPLOAD_MAX_FILE_BYTES = 1000
        with pytest.raises(ValidationError) as error:
            services.attachment_stage(uploaded=files.jpeg(), by=leader_a1)
        assert "photo.jpg" in error.value.messages[0]

    def test_total_size_per_activity_is_limited(self, org, leader_a1, settings):
        pending = [services.attachment_stage(uploaded=files.jpeg(), by=leader_a1) for _ in range(2)]
        settings.UPLOAD_MAX_TOTAL_BYTES = pending[0].size + 10
        with pytest.raises(ValidationError):
            record(leader_a1, org.A1, attachments=pending)
        assert not Activity.objects.exists()

    def test_stale_pending_uploads_are_discarded_with_their_files(self, org, leader_a1):
        old = services.attachment_stage(uploaded=files.jpeg(), by=leader_a1)
        Attachment.objects.filter(pk=old.pk).update(uploaded_at=timezone.now() - timedelta(days=2))
        fresh = services.attachment_stage(uploaded=files.jpeg(), by=leader_a1)
        storage, name = old.file.storage, old.file.name
        assert services.attachments_discard_stale() == 1
        assert not storage.exists(name)
        assert list(Attachment.objects.all()) == [fresh]

    def test_only_the_uploaders_pending_files_can_be_attached(self, org, leader_a1, hq):
        mine = services.attachment_stage(uploaded=files.jpeg(), by=leader_a1)
        theirs = services.attachment_stage(uploaded=files.jpeg(), by=hq)
        assert services.attachments_pending(by=leader_a1, ids=[mine.pk, theirs.pk]) == [mine]
