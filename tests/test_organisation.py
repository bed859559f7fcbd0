"""The organisation's name and emblem: HQ sets them in the admin site; the login page, the
footer and the printed papers carry them; pages read them without a query."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from accounts.models import Role
from accounts.services import hq_group_sync_permissions, user_create
from tests import files
from unionhome.models import Organisation

ADD = "/admin/unionhome/organisation/add/"


@pytest.fixture
def hq_admin(db, login):
    hq_group_sync_permissions()
    return login(
        user_create(username="hq_admin", name="刘芳", password="x-Long-pass-1", role=Role.HQ)
    )


def test_the_login_page_names_the_organisation_before_hq_sets_it(db):
    text = Client().get("/accounts/login/").content.decode()
    assert "示范矿工会" in text and 'class="emblem"' not in text


def test_hq_sets_the_name_and_emblem_and_the_login_page_shows_them(hq_admin):
    response = hq_admin.post(ADD, {"name": "东山矿业集团工会", "emblem": files.png("会徽.png")})
    assert response.status_code == 302
    # There is one record: no second one can be added, and none deleted.
    record = Organisation.objects.get()
    assert hq_admin.get(ADD).status_code == 403
    assert hq_admin.get(f"/admin/unionhome/organisation/{record.pk}/delete/").status_code == 403

    text = Client().get("/accounts/login/").content.decode()
    assert "东山矿业集团工会" in text
    emblem = Client().get("/emblem")
    assert emblem.status_code == 200 and emblem["Content-Type"] == "image/png"
    assert '<img class="emblem" src="/emblem?v=' in text


def test_an_emblem_that_is_not_a_picture_is_refused_next_to_the_field(hq_admin):
    response = hq_admin.post(ADD, {"name": "东山矿业集团工会", "emblem": files.pdf("会徽.pdf")})
    assert response.status_code == 200
    assert "有效的图片" in response.content.decode()
    fake = SimpleUploadedFile("会徽.png", b"not a picture", content_type="image/png")
    response = hq_admin.post(ADD, {"name": "东山矿业集团工会", "emblem": fake})
    assert response.status_code == 200 and not Organisation.objects.exists()
    # A picture Pillow reads but the site does not take (a bitmap) meets our own check.
    response = hq_admin.post(ADD, {"name": "东山矿业集团工会", "emblem": bitmap()})
    assert "“会徽.bmp”不是允许的文件类型" in response.content.decode()
    assert not Organisation.objects.exists()


def test_an_emblem_is_kept_as_a_small_png(hq_admin):
    big = files.jpeg("会徽.jpg", size=(1600, 1200))
    assert hq_admin.post(ADD, {"name": "东山矿业集团工会", "emblem": big}).status_code == 302
    with Image.open(Organisation.objects.get().emblem) as stored:
        assert stored.format == "PNG" and max(stored.size) == 512


def bitmap():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(buffer, format="BMP")
    return SimpleUploadedFile("会徽.bmp", buffer.getvalue(), content_type="image/bmp")


def organisation_reads(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return sum("unionhome_organisation" in q["sql"] for q in captured.captured_queries)


def test_a_page_reads_the_name_without_a_query_and_sees_a_change_at_once(db, login, hq):
    client = login(hq)
    assert organisation_reads(client, "/todo/") == 0
    Organisation.objects.create(name="东山矿业集团工会")
    # Saving the record drops the cached name: the next page reads it once, then not.
    assert organisation_reads(client, "/todo/") == 1
    assert organisation_reads(client, "/todo/") == 0
    assert "东山矿业集团工会" in client.get("/todo/").content.decode()


def test_no_emblem_no_file(db):
    assert Client().get("/emblem").status_code == 404
