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


@pytest.mark.django_db(transaction=True)
def test_pg_dump_restores_into_an_empty_database_with_every_row(reference_data, tmp_path):
    """The production backup of docs/deploy.md: `pg_dump -Fc`, then `pg_restore` into a
    new database, compared table by table, row by row."""
    import shutil
    import subprocess

    import psycopg
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("pg_dump backs up PostgreSQL; this run is on " + connection.vendor)
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not installed")
    call_command("seed_demo", stdout=io.StringIO())
    db = settings.DATABASES["default"]
    server = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    restored = db["NAME"] + "_restored"
    dump = tmp_path / "unionhome.dump"
    subprocess.run(
        ["pg_dump", "-Fc", "-f", str(dump), f"{server}/{db['NAME']}"], check=True, timeout=300
    )
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "-d", f"{server}/{restored}", str(dump)],
            check=True,
            timeout=300,
        )
        tables = connection.introspection.table_names()
        assert "groups_member" in tables and "welfare_accesslog" in tables

        def fingerprints(url):
            with psycopg.connect(url) as conn:
                return {
                    table: conn.execute(
                        f"SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) "
                        f'FROM "{table}" t'
                    ).fetchone()
                    for table in tables
                }

        before = fingerprints(f"{server}/{db['NAME']}")
        assert before["activities_activity"][0] > 500
        assert fingerprints(f"{server}/{restored}") == before
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_the_files_of_object_storage_too(reference_data, tmp_path, settings):
    """With uploads in object storage (here Django's in-memory storage, which has no folder
    on disk, as S3 has none) the backup reads each file through the storage and the restore
    writes it back there."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    default_storage.save("activities/2026/01/photo.jpg", ContentFile(b"jpeg bytes"))
    default_storage.save("welfare/2026/01/paper.pdf", ContentFile(b"%PDF paper"))
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    default_storage.delete("activities/2026/01/photo.jpg")
    default_storage.delete("welfare/2026/01/paper.pdf")

    call_command("restore", str(archive), yes=True, stdout=io.StringIO())
    assert default_storage.open("activities/2026/01/photo.jpg").read() == b"jpeg bytes"
    assert default_storage.open("welfare/2026/01/paper.pdf").read() == b"%PDF paper"
