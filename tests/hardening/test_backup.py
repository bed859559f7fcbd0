"""A backup of the demo data restores into an empty database with every record and file."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from unionhome.backup import model_counts


# Committed for real: PostgreSQL empties tables with TRUNCATE, which a test's surrounding
# transaction would not allow.
@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_find_every_record_and_file_again(reference_data, tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    before = model_counts()
    media = Path(settings.MEDIA_ROOT)
    files = {p.relative_to(media): p.read_bytes() for p in media.rglob("*") if p.is_file()}
    assert before["activities.Activity"] > 500 and before["welfare.AccessLog"] >= 0
    assert files, "the demo has photos"

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    for path in files:
        (media / path).unlink()
    assert model_counts()["groups.Member"] == 0

    call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    assert model_counts() == before
    for path, content in files.items():
        assert (media / path).read_bytes() == content, path
