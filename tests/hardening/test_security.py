"""Login protection, error pages, harmless free text, and the change history HQ reads."""

import logging
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import path, reverse

from accounts.passwords import CharacterClassesValidator
from groups import services
from tests.factories import PASSWORD, ActivityFactory, UserFactory


class TestLogin:
    def test_an_account_is_locked_after_five_failures_even_from_new_addresses(self, db):
        UserFactory(username="target")
        for attempt in range(5):
            Client(REMOTE_ADDR=f"10.0.0.{attempt}").post(
                "/accounts/login/", {"username": "target", "password": "wrong"}
            )
        locked = Client(REMOTE_ADDR="10.0.1.1").post(
            "/accounts/login/", {"username": "target", "password": PASSWORD}
        )
        assert locked.status_code == 429
        assert "锁定" in locked.content.decode() or "locked" in locked.content.decode()

    def test_an_address_is_locked_after_five_failures_on_any_accounts(self, db):
        UserFactory(username="innocent")
        client = Client(REMOTE_ADDR="10.9.9.9")
        for n in range(5):
            client.post("/accounts/login/", {"username": f"guess{n}", "password": "x"})
        response = client.post("/accounts/login/", {"username": "innocent", "password": PASSWORD})
        assert response.status_code == 429

    def test_a_good_login_resets_the_count(self, db):
        UserFactory(username="forgetful")
        client = Client(REMOTE_ADDR="10.2.2.2")
        for _ in range(4):
            client.post("/accounts/login/", {"username": "forgetful", "password": "x"})
        assert (
            client.post(
                "/accounts/login/", {"username": "forgetful", "password": PASSWORD}
            ).status_code
            == 302
        )
        client.post("/accounts/logout/")
        for _ in range(4):
            client.post("/accounts/login/", {"username": "forgetful", "password": "x"})
        assert (
            client.post(
                "/accounts/login/", {"username": "forgetful", "password": PASSWORD}
            ).status_code
            == 302
        )

    @pytest.mark.parametrize(
        "weak", ["short1A", "alllowercaseletters", "12345678901", "onlyletters123"]
    )
    def test_weak_passwords_are_refused(self, db, weak):
        from django.contrib.auth.password_validation import validate_password

        with pytest.raises(ValidationError):
            validate_password(weak)

    def test_a_mixed_password_passes_the_character_rule(self):
        CharacterClassesValidator().validate("Xiaojia-2026")

    def test_sessions_end_with_the_browser_and_cookies_are_http_only(self, settings):
        assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
        assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


def test_production_settings_make_cookies_secure_and_send_hsts():
    import subprocess
    import sys

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='unionhome.settings.base';"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0,"
        " s.SECURE_SSL_REDIRECT)"
    )
    env = {"DEBUG": "false", "SECRET_KEY": "x" * 60, "DOTENV": "", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(__import__("django.conf").conf.settings.BASE_DIR),
    )
    assert out.stdout.split() == ["True", "True", "True", "True"], out.stderr


class TestPages:
    def test_the_admin_site_wears_the_application_s_red_in_either_language(self, db, login):
        admin = UserFactory(is_superuser=True, is_staff=True, role="")
        client = login(admin)
        page = client.get("/admin/").content.decode()
        assert "css/admin.css" in page and "职工小家 · 管理后台" in page
        english = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Workers&#x27; small homes · admin site" in english

    def test_admin_pages_carry_no_inline_script(self, db, login):
        admin = UserFactory(is_superuser=True, is_staff=True, role="")
        client = login(admin)
        for url in [
            "/admin/",
            "/admin/scoring/indicator/add/",
            "/admin/scoring/assessmentperiod/add/",
            "/admin/accounts/user/",
        ]:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            for tag in re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html):
                pytest.fail(f"inline script on {url}: {tag}")

    def test_not_found_is_friendly_and_in_chinese(self, db, login):
        page = login(UserFactory()).get("/no/such/page/")
        assert page.status_code == 404
        assert "这个页面不存在" in page.content.decode() or "不在" in page.content.decode()

    def test_forbidden_is_friendly(self, org, evaluator, login):
        page = login(evaluator).get(reverse("groups:member_list"))
        assert page.status_code == 403
        assert "返回首页" in page.content.decode()


def broken(request):
    raise RuntimeError("secret database password in the message")


urlpatterns = [path("broken/", broken)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_shows_no_internals_and_is_logged_with_context(db, caplog):
    client = Client(raise_request_exception=False)
    user = UserFactory(username="who_broke_it")
    client.force_login(user)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "出错了" in body and "secret" not in body and "Traceback" not in body
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info and record.request.user.username == "who_broke_it"
    from unionhome.logging import RequestContextFilter

    RequestContextFilter().filter(record)
    assert (record.user, record.path) == ("who_broke_it", "/broken/")


class TestFreeText:
    def test_html_typed_into_a_field_is_shown_as_text(self, org, hq, login):
        activity = ActivityFactory(
            group=org.A1,
            title="<script>alert('x')</script>",
            description="<img src=x onerror=alert(1)>",
            recorded_by=hq,
        )
        page = login(hq).get(reverse("activities:activity_detail", args=[activity.pk]))
        html = page.content.decode()
        assert "<script>alert" not in html and "&lt;script&gt;alert" in html
        assert "<img src=x" not in html

    def test_a_null_character_is_refused_next_to_the_field(self, org, hq, login):
        response = login(hq).post(
            reverse("groups:member_create"),
            {"employee_no": "91001", "name": "张\x00三", "gender": "M", "group": org.A1.pk},
        )
        assert response.status_code == 200
        assert "name" in response.context["form"].errors

    def test_over_long_text_is_refused_not_cut(self, org, hq, login):
        response = login(hq).post(
            reverse("groups:member_create"),
            {"employee_no": "91002", "name": "长" * 51, "gender": "M", "group": org.A1.pk},
        )
        assert "name" in response.context["form"].errors


class TestHistory:
    def test_hq_reads_who_changed_what_on_the_members_page(self, org, hq, workshop_a, login):
        member = org.members["A1"][0]
        old_phone = member.phone
        services.member_update(member=member, by=workshop_a, phone="13900009999")
        page = login(hq).get(reverse("groups:member_detail", args=[member.pk]))
        [latest, *_] = page.context["history"]
        assert latest.who == workshop_a
        assert ("电话", old_phone, "13900009999") in latest.changes
        assert "13900009999" in page.content.decode()

    def test_others_do_not_see_the_history(self, org, workshop_a, login):
        page = login(workshop_a).get(
            reverse("groups:member_detail", args=[org.members["A1"][0].pk])
        )
        assert page.context["history"] is None
        assert 'id="history"' not in page.content.decode()


class TestBehindAProxy:
    """With nginx in front, REMOTE_ADDR is nginx's own address for everyone."""

    def test_the_client_address_is_the_one_the_trusted_proxy_saw(self, rf, settings):
        from unionhome.network import client_address

        request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3")
        settings.TRUSTED_PROXY_COUNT = 0
        assert client_address(request) == "127.0.0.1"
        settings.TRUSTED_PROXY_COUNT = 1
        assert client_address(request) == "10.1.2.3"  # 6.6.6.6 is what the client wrote
        settings.TRUSTED_PROXY_COUNT = 2
        assert client_address(request) == "6.6.6.6"
        settings.TRUSTED_PROXY_COUNT = 3
        assert client_address(request) == "127.0.0.1"  # fewer hops than proxies: not ours
        assert client_address(rf.get("/", REMOTE_ADDR="not an address")) is None

    def test_one_guessing_address_does_not_lock_out_the_others(self, db, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        UserFactory(username="colleague")
        guesser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.7.7.7")
        for n in range(5):
            guesser.post("/accounts/login/", {"username": f"guess{n}", "password": "x"})
        assert (
            guesser.post(
                "/accounts/login/", {"username": "colleague", "password": PASSWORD}
            ).status_code
            == 429
        )
        colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.7.7.8")
        response = colleague.post(
            "/accounts/login/", {"username": "colleague", "password": PASSWORD}
        )
        assert response.status_code == 302
