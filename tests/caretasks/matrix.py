"""Care task records for the permission matrix (tests/hardening/test_permission_matrix.py),
made on first use inside the test's transaction: an open hospital-stay task of A1's member,
a birthday task of the same member closed with a photo, and an HQ task (a model worker's
birthday) that only HQ reaches."""

from datetime import date

from caretasks import services
from caretasks.models import CareOccasion, CareTask
from tests import files


def care_records(world):
    if not hasattr(world, "care"):
        hq = world.users["hq"]
        member = world.member
        birthday = CareOccasion.objects.get(code="birthday")
        event = services.event_report(
            by=world.users["leader_own"],
            member=member,
            kind="hospital",
            happened_on=date(2026, 1, 5),
            note="市医院",
        )
        done = CareTask.objects.create(
            group=member.group,
            member=member,
            occasion=birthday,
            for_date=date(2026, 1, 8),
            due_on=date(2026, 1, 8),
        )
        done = services.task_close(
            by=hq, task=done, visited_on=date(2026, 1, 8), visitors="工会", photo=files.jpeg()
        )
        hq_task = CareTask.objects.create(
            group=member.group,
            member=member,
            occasion=birthday,
            for_date=date(2026, 1, 8),
            due_on=date(2026, 1, 8),
            hq=True,
        )
        world.care = {"open": event.tasks.get(), "done": done, "hq": hq_task}
    return world.care


def care_url(world, url: str) -> str:
    care_records(world)
    return url
