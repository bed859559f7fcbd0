"""Two application servers against one PostgreSQL database: nothing lives in a process.
A user who logs in on one is logged in on the other and sees what the other wrote,
uploads included (they are on storage both servers share)."""

import http.cookiejar
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_create
from groups.models import Member
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
ROOT = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "two servers share a PostgreSQL database; SQLite's test database is in "
            "memory, one process only"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def servers(tmp_path):
    """Two gunicorn servers on the test database, with one shared media folder."""
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "DOTENV": "",
        "SECRET_KEY": "two-servers-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "unionhome.settings.base",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # As in production: the static files are collected once, before the servers start.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    processes, addresses = [], []
    for _ in range(2):
        port = free_port()
        processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "unionhome.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
        addresses.append(f"http://127.0.0.1:{port}")
    # As in production, the background worker beside them: it counts the whole
    # organisation's summary tables again after each change (activities/summaries.py).
    processes.append(
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    try:
        for address in addresses:
            for _ in range(100):
                try:
                    urllib.request.urlopen(address + "/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                raise RuntimeError(f"{address} did not start")
        yield addresses
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Browser:
    """Cookies shared by both servers, as a browser behind a load balancer keeps them."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url):
        with self.opener.open(url, timeout=20) as response:
            return response.geturl(), response.read().decode("utf-8")

    def post(self, url, fields, files=None):
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        if files:
            boundary = uuid.uuid4().hex
            body = io.BytesIO()
            for name, value in {**fields, "csrfmiddlewaretoken": token}.items():
                body.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                    f"\r\n\r\n{value}\r\n".encode()
                )
            for name, (filename, content) in files.items():
                body.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                )
                body.write(content + b"\r\n")
            body.write(f"--{boundary}--\r\n".encode())
            data, kind = body.getvalue(), f"multipart/form-data; boundary={boundary}"
        else:
            data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
            kind = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            url, data=data, headers={"Content-Type": kind, "Referer": url}
        )
        with self.opener.open(request, timeout=20) as response:
            return response.geturl(), response.read().decode("utf-8")


def test_a_login_and_the_writes_are_seen_on_both_servers(servers, org):
    from django.contrib.auth.hashers import make_password

    from tests.files import jpeg

    user = user_create(username="twoserv", name="两台服务器", password=PASSWORD, role=Role.HQ)
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")  # the servers' hasher
    user.save(update_fields=["password"])
    first, second = servers
    browser = Browser()
    browser.get(first + "/accounts/login/")
    landed, _ = browser.post(
        first + "/accounts/login/", {"username": "twoserv", "password": PASSWORD}
    )
    assert not landed.endswith("/accounts/login/")

    # The session made on the first server is good on the second.
    url, page = browser.get(second + "/members/")
    assert url.endswith("/members/") and "两台服务器" in page

    # A member enrolled through the second server shows on the first.
    browser.get(second + "/members/new/")
    browser.post(
        second + "/members/new/",
        {"employee_no": "880001", "name": "跨服务器", "gender": "M", "group": org.A1.pk},
    )
    assert Member.objects.filter(employee_no="880001").exists()
    _, listing = browser.get(first + "/members/?q=880001")
    assert "跨服务器" in listing

    # The second server's dashboard caches the year's figures in each of its workers...
    def activity_total():
        _, page = browser.get(second + "/")
        return int(re.search(r'id="activity-total">([\d,]+)<', page).group(1).replace(",", ""))

    before = {activity_total() for _ in range(6)}
    assert len(before) == 1

    # A photo uploaded through the first server is served by the second.
    browser.get(first + f"/activities/new/?group={org.A1.pk}")
    from activities.models import ContentArea

    url, page = browser.post(
        first + "/activities/new/",
        {
            "group": org.A1.pk,
            "area": ContentArea.objects.first().pk,
            "title": "两台服务器的活动",
            "held_on": f"{timezone.localdate().year}-01-05",
            "guests_count": "0",
        },
        files={"files": ("p.jpg", jpeg().read())},
    )
    photo = re.search(r"/activities/files/(\d+)/thumb/", page).group(1)
    with browser.opener.open(f"{second}/activities/files/{photo}/", timeout=20) as response:
        assert response.headers["Content-Type"] == "image/jpeg"
        assert len(response.read()) > 1000

    # ...and, once the background worker has counted the organisation's figures again
    # (seconds), every web worker shows the activity recorded on the first server.
    expected, seen = {before.pop() + 1}, set()
    for _ in range(150):
        seen = {activity_total() for _ in range(6)}
        if seen == expected:
            break
        time.sleep(0.2)
    assert seen == expected
