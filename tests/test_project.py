"""Project-wide promises: settings, languages, the pinned install and the demo data."""

import io
import os
import re
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from accounts.models import Role, RoleAssignment
from accounts.services import user_create
from groups.demo import _members_for, _structure
from groups.models import Member, UnionGroup, WorkshopUnion
from unionhome.demo import DEMO_PASSWORD, DemoContext

ROOT = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "p7Vx2Lq9Zr4Tn8Wb3Yc6Hd1Kf5Jm0Sg-Ua2Ee7Ii4Oo9Pp3Qq8Rr1Ss6Tt0Uu5",
    "ALLOWED_HOSTS": "union.example.cn",
    "DJANGO_SETTINGS_MODULE": "unionhome.settings.base",
    "DOTENV": "",  # a developer's own .env must not change what is tested
}


def manage(*args, env):
    leave_out = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in leave_out}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


class TestSettings:
    def test_check_deploy_is_clean_with_production_settings(self):
        result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "WARNINGS" not in result.stderr

    def test_no_default_secret_key_outside_debug(self):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
        result = manage("check", env=env)
        assert result.returncode != 0
        assert "SECRET_KEY" in result.stderr

    def test_database_url_switches_to_postgresql_without_code_change(self):
        code = (
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='unionhome.settings.base';"
            "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
        )
        env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x"}
        clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**clean, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.stdout.strip() == "django.db.backends.postgresql", out.stderr

    def test_chinese_by_default_in_shanghai_time(self):
        assert (settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.USE_TZ) == (
            "zh-hans",
            "Asia/Shanghai",
            True,
        )


def read_po(path: Path):
    """(msgid, msgid_plural, [msgstr…], flags) for each entry of a .po file."""
    entries, current, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current and current["msgid"]:
                entries.append(current)
            current, key = None, None
            continue
        if current is None:
            current = {"msgid": "", "plural": None, "msgstr": {}, "flags": ""}
        if line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = line[1:-1]
            if key[0] == "msgstr":
                current["msgstr"][key[1]] += value
            else:
                current[key[0]] += value
        else:
            word, _, rest = line.partition(" ")
            value = rest[1:-1]
            if word == "msgid":
                key = ("msgid", None)
                current["msgid"] = value
            elif word == "msgid_plural":
                key = ("plural", None)
                current["plural"] = value
            elif word == "msgctxt":
                key = ("msgctxt", None)
                current["msgctxt"] = value
            else:
                index = re.search(r"\[(\d+)\]", word)
                key = ("msgstr", int(index[1]) if index else 0)
                current["msgstr"][key[1]] = value
    return entries


class TestLanguages:
    PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

    def test_every_string_has_a_chinese_translation_and_none_is_fuzzy(self):
        entries = read_po(self.PO)
        assert len(entries) > 100
        missing = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
        fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
        assert missing == [] and fuzzy == []

    def test_every_page_of_its_own_names_the_favicon(self):
        """Print pages, the error page and the admin site have their own <head>: each names
        the icon, so no browser asks for a missing /favicon.ico."""
        heads = [
            path
            for path in [*ROOT.glob("*/templates/**/*.html"), *ROOT.glob("templates/**/*.html")]
            if ".venv" not in path.parts
            and "<html" in path.read_text(encoding="utf-8")
            # the 台账 binder's page is drawn into a PDF by WeasyPrint, never opened by a browser
            and path.parts[-2:] != ("binders", "binder.html")
        ]
        heads.append(ROOT / "templates" / "admin" / "base_site.html")
        assert len(heads) >= 3  # base.html (print pages extend it), the 500 page, the admin site
        missing = [str(p) for p in heads if 'rel="icon"' not in p.read_text(encoding="utf-8")]
        assert missing == []

    def test_an_empty_list_filter_reads_all(self, org, hq, login):
        """Every list's filters say 全部 where nothing is chosen, never "---------"."""
        client = login(hq)
        for url in ("/activities/", "/members/", "/welfare/cases/", "/reports/"):
            page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
            assert "---------" not in page, url
        assert (
            '<option value="" selected>全部</option>' in client.get("/activities/").content.decode()
        )

    def test_the_admin_sites_javascript_reads_in_chinese(self, admin_client):
        """The two-box chooser's strings new in Django 5 come from our djangojs catalogue."""
        script = admin_client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert script.status_code == 200
        with warnings.catch_warnings():  # the catalogue's regular expressions hold "\("
            warnings.simplefilter("ignore", DeprecationWarning)
            text = script.content.decode("unicode_escape")
        assert "选择全部%s" in text and "删除全部%s" in text

    def test_the_compiled_catalogue_matches_the_po_file(self):
        def unescape(text):
            return text.encode("latin-1", "backslashreplace").decode("unicode_escape")

        with translation.override("zh-hans"):
            for entry in read_po(self.PO):
                if entry.get("msgctxt") or entry["plural"]:
                    continue
                msgid = unescape(entry["msgid"])
                expected = unescape(entry["msgstr"][0])
                assert translation.gettext(msgid) == expected, msgid

    def test_pages_are_chinese_by_default_and_english_on_request(self, db):
        user = user_create(username="lang", password=DEMO_PASSWORD, name="测试", role=Role.HQ)
        client = Client()
        client.force_login(user)
        assert "组织" in client.get("/").content.decode()
        english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Organisation" in english and "组织机构" not in english

    def test_the_language_switch_sticks(self, db):
        client = Client()
        client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
        assert "Log in" in client.get("/accounts/login/").content.decode()


def test_the_lock_pins_every_declared_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    declared = project["project"]["dependencies"] + project["dependency-groups"]["dev"]
    pinned = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pinned[re.sub(r"[-_.]+", "-", name.lower())] = version
    for requirement in declared:
        name = re.split(r"[<>=\[; ]", requirement, maxsplit=1)[0]
        assert re.sub(r"[-_.]+", "-", name.lower()) in pinned, requirement


def test_pages_carry_a_content_security_policy_and_no_inline_script(db, client):
    response = client.get("/accounts/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    for tag in re.findall(r"<script[^>]*>", response.content.decode()):
        assert "src=" in tag


class TestDemoData:
    def test_seed_demo_builds_the_demo_and_is_safe_to_run_twice(self, db):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        counts = (WorkshopUnion.objects.count(), UnionGroup.objects.count(), Member.objects.count())
        call_command("seed_demo", stdout=io.StringIO())
        assert (
            WorkshopUnion.objects.count(),
            UnionGroup.objects.count(),
            Member.objects.count(),
        ) == counts
        assert counts[0] == 4 and counts[1] == 12 and 130 <= counts[2] <= 180
        assert DEMO_PASSWORD in out.getvalue()
        for username in ("admin", "hq", "workshop", "leader", "evaluator"):
            response = Client().post(
                "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
            )
            assert response.status_code == 302 and response["Location"] == "/", username
        leader = RoleAssignment.objects.get(user__username="leader", role=Role.GROUP_LEADER)
        assert leader.group.members.filter(posts__post="leader").exists()

    @pytest.mark.django_db  # the registration lists' entries the members are given
    def test_mine_size_has_the_seeds_numbers(self):
        import random
        from datetime import date

        context = DemoContext(
            size="mine", rng=random.Random(1), today=date(2026, 11, 25), log=print
        )
        structure = _structure(context)
        groups = [UnionGroup(name=g, code=c) for _, _, specs in structure for g, c in specs]
        assert len(structure) == 65
        assert len(groups) == 405
        assert len({name for name, _, _ in structure}) == 65
        assert sum(1 for _ in _members_for(context, groups, 1)) == 10_000


@pytest.mark.parametrize("path", ["/static/css/app.css", "/static/js/app.js"])
def test_static_files_are_served(client, path):
    assert client.get(path).status_code == 200
