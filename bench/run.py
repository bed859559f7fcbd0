"""The unionhome benchmark: builds the seed's mine and measures what the issues promise.

    python bench/run.py                                    # SQLite (a file under /tmp)
    python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/unionhome_bench

It builds the `--size mine` data in a fresh database (65 workshop unions, 405 groups,
10,000 members, three years of records), imports 10,000 more members from an .xlsx file,
scores a period for all groups, times the main pages over repeated requests, and, on
PostgreSQL, puts gunicorn under load with wrk (Debian package `wrk`) next to a bare view.
The results go into docs/benchmarks.md, in the section of the database measured.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "Xiaojia-2026"
TARGETS = {
    "page_ms": 150,
    "score_s": 2,
    "build_s": 300,
    "import_s": 30,
    "import_mb": 300,
    "load_ratio": 0.2,
}


def environment(database_url: str, static_root: str, media_root: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "DOTENV": "",
            "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": static_root,
            "MEDIA_ROOT": media_root,
            "DJANGO_SETTINGS_MODULE": "unionhome.settings.base",
            "LOG_LEVEL": "WARNING",
            "AXES_FAILURE_LIMIT": "1000",
        }
    )
    return env


def run(args, env, **kwargs):
    started = time.perf_counter()
    subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)
    return time.perf_counter() - started


def fresh_database(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(url.split(":///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def analyze(url: str) -> None:
    """Statistics for the imported members, as PostgreSQL's autovacuum would gather them
    within a minute on a production server (some servers run with it off)."""
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("ANALYZE")


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, TypeError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


IMPORT_HARNESS = """
import os, resource, sys, time, django
django.setup()
from django.core.management import call_command
started = time.perf_counter()
call_command("import_members", sys.argv[1])
print("RESULT", time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure_in_process(env: dict, requests: int) -> dict:
    """Scoring and page timings, inside a Django process on the benchmark database."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Role, RoleAssignment, User
    from activities.periods import month_start, previous_month
    from dashboard.cache import renew_token as new_figures_token
    from scoring import services
    from scoring.models import AssessmentPeriod

    # No setup_test_environment(): its instrumented rendering copies every template's
    # context for the test client, which production never does (it doubled list pages).
    results = {"database": connection.vendor, "db_version": _db_version(connection)}
    period = AssessmentPeriod.objects.filter(status="published").order_by("-end").first()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        services.score_compute(period=period)
        results["score_s"] = time.perf_counter() - started
    results["score_queries"] = len(queries)
    results["score_groups"] = period.runs.order_by("-version").first().results.count()

    users = {u.username: u for u in User.objects.filter(username__in=["hq", "workshop", "leader"])}
    group = RoleAssignment.objects.get(user=users["leader"], role=Role.GROUP_LEADER).group_id
    month = previous_month(month_start(date.today()))
    # The home pages' year figures are cached until a change (dashboard/cache.py); the
    # "after a change" rows renew the cache's token before every request, as a commit does.
    pages = [
        ("dashboard (HQ)", "hq", "/"),
        ("dashboard (HQ), after a change", "hq", "/"),
        ("dashboard (workshop union), after a change", "workshop", "/"),
        ("dashboard (workshop union)", "workshop", "/"),
        ("dashboard (group leader)", "leader", "/"),
        ("member list", "hq", "/members/"),
        ("member search", "hq", "/members/?q=%E7%8E%8B"),
        ("activity list", "hq", "/activities/"),
        ("monthly report list", "hq", "/reports/"),
        ("monthly report", "hq", f"/reports/{group}/{month:%Y-%m}/"),
        ("welfare case list", "hq", "/welfare/cases/"),
        ("小家 pipeline", "hq", "/homes/"),
        ("小家 groups under way", "hq", "/homes/groups/?stage=declared"),
        ("小家 declarations", "workshop", "/homes/declarations/"),
        ("ranking", "hq", f"/assessment/{period.pk}/ranking/"),
        ("scorecard", "leader", f"/assessment/{period.pk}/groups/{group}/"),
    ]
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    rows = []
    for label, who, url in pages:
        client = clients[who]
        for _ in range(2):
            client.get(url)
        times = []
        for _ in range(requests):
            if "after a change" in label:
                new_figures_token(connection.alias)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        rows.append(
            {
                "page": label,
                "url": url,
                "median_ms": statistics.median(times),
                "p95_ms": times[max(0, round(len(times) * 0.95) - 1)],
                "queries": len(queries),
            }
        )
    results["pages"] = rows
    return results


def _db_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return "SQLite " + cursor.fetchone()[0]
        cursor.execute("show server_version")
        return "PostgreSQL " + cursor.fetchone()[0]


def make_import_file(env: dict, path: Path, count: int = 10_000) -> None:
    code = f"""
import django; django.setup()
from openpyxl import Workbook
from groups.models import UnionGroup
groups = list(UnionGroup.objects.select_related("workshop"))
wb = Workbook(write_only=True); ws = wb.create_sheet("会员")
ws.append(["工号", "姓名", "性别", "出生日期", "入会日期", "手机号", "车间工会", "工会小组"])
for i in range({count}):
    g = groups[i % len(groups)]
    ws.append([f"9{{i:06d}}", "测试会员" + str(i), "男" if i % 3 else "女", "1988-05-06",
               "2012-07-01", f"139{{i:08d}}", g.workshop.name, g.name])
wb.save({str(path)!r})
"""
    run([PYTHON, "-c", code], env)


def load_test(env: dict, seconds: int, users: int) -> dict | None:
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is not installed (apt-get install -y wrk): the load test is skipped")
        return None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    workers = 2 * (os.cpu_count() or 1) + 1
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "unionhome.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/healthz")
        cookie = _login(base)
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        paths = ["/", "/members/", "/activities/", "/reports/", "/welfare/cases/", "/todo/"]
        script.write_text(_lua(paths, cookie))
        pages = _wrk(wrk, base, script, seconds, users)
        bare_script = Path(tempfile.mkstemp(suffix=".lua")[1])
        bare_script.write_text(_lua(["/healthz"], ""))
        bare = _wrk(wrk, base, bare_script, seconds, users)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "workers": workers,
        "seconds": seconds,
        "users": users,
        "pages": pages,
        "bare": bare,
        "paths": paths,
    }


def _wait(url):
    import urllib.request

    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def _login(base: str) -> str:
    import http.cookiejar
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + "/accounts/login/", timeout=30).read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode(
        {"username": "hq", "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(
        urllib.request.Request(base + "/accounts/login/", data=data, headers={"Referer": base}),
        timeout=30,
    ).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _lua(paths: list[str], cookie: str) -> str:
    quoted = ", ".join(f'"{p}"' for p in paths)
    return f"""
local paths = {{ {quoted} }}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], {{ ["Cookie"] = "{cookie}" }})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %f %f %f\\n", summary.requests,
    e.connect, e.read, e.write, e.status, e.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def _wrk(wrk, base, script, seconds, users) -> dict:
    # A browser waits far longer than wrk's default 2 s: a slow answer is not an error.
    out = subprocess.run(
        [wrk, "-t2", f"-c{users}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script), base],
        capture_output=True,
        text=True,
        timeout=seconds + 90,
    ).stdout
    print(out)
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    _, count, connect, read, write, status, timeouts, duration, p50, p95 = line.split()
    return {
        "requests": int(count),
        # wrk counts answers other than 2xx/3xx as status errors
        "errors": int(connect) + int(read) + int(write) + int(status),
        "error_detail": f"connect {connect}, read {read}, write {write}, HTTP status {status}",
        "timeouts": int(timeouts),
        "rps": int(count) / float(duration),
        "p50_ms": float(p50),
        "p95_ms": float(p95),
    }


def write_report(out: Path, section: str, text: str) -> None:
    start, end = f"<!-- bench:{section} start -->", f"<!-- bench:{section} end -->"
    current = (
        out.read_text(encoding="utf-8")
        if out.exists()
        else (
            "# Benchmarks\n\nMade by `python bench/run.py` (see the README). Each database has "
            "its own section, replaced at every run.\n"
        )
    )
    block = f"{start}\n{text}\n{end}"
    if start in current:
        current = re.sub(
            re.escape(start) + ".*?" + re.escape(end), lambda _m: block, current, flags=re.S
        )
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    out.write_text(current, encoding="utf-8")


def verdict(ok: bool) -> str:
    return "✅" if ok else "❌"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/unionhome-bench.sqlite3")
    parser.add_argument("--requests", type=int, default=30, help="requests per page")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="unionhome-bench-"))
    env = environment(options.database_url, str(work / "static"), str(work / "media"))
    fresh_database(options.database_url)
    print("migrating…")
    run([PYTHON, "manage.py", "migrate", "-v0"], env)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    print("building the mine's data…")
    build_s = run(
        [PYTHON, "manage.py", "seed_demo", "--size", "mine"], env, stdout=subprocess.DEVNULL
    )
    print(f"  {build_s:.1f} s")
    import_file = work / "members-10000.xlsx"
    make_import_file(env, import_file)
    out = subprocess.run(
        [PYTHON, "-c", IMPORT_HARNESS, str(import_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    import_s, import_kb = (float(v) for v in out.split("RESULT", 1)[1].split())
    print(f"import: {import_s:.1f} s, {import_kb / 1024:.0f} MB")
    analyze(options.database_url)
    measured = measure_in_process(env, options.requests)
    is_pg = measured["database"] == "postgresql"
    load = (
        None
        if options.skip_load or not is_pg
        else load_test(env, options.load_seconds, options.users)
    )

    host = machine()
    lines = [
        f"## {measured['db_version']}",
        "",
        f"Measured {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on {host['cpu']}, "
        f"{host['cores']} cores, "
        f"{host['memory']}, {host['system']}, Python {host['python']}; production settings "
        "(DEBUG off).",
        "",
        "| what | measured | target | |",
        "| --- | --- | --- | --- |",
        f"| build the mine's data (`seed_demo --size mine`) | {build_s:.1f} s | "
        f"< {TARGETS['build_s'] // 60} min | {verdict(build_s < TARGETS['build_s'])} |",
        f"| import 10,000 members from .xlsx | {import_s:.1f} s, peak {import_kb / 1024:.0f} MB"
        f" | < {TARGETS['import_s']} s, < {TARGETS['import_mb']} MB | "
        f"{verdict(import_s < TARGETS['import_s'] and import_kb / 1024 < TARGETS['import_mb'])}"
        " |",
        f"| score a period for {measured['score_groups']} groups | {measured['score_s']:.2f} s, "
        f"{measured['score_queries']} queries | < {TARGETS['score_s']} s | "
        f"{verdict(measured['score_s'] < TARGETS['score_s'])} |",
        "",
        f"Pages, {options.requests} requests each (after two to warm up):",
        "",
        "| page | median | 95th percentile | queries | |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in measured["pages"]:
        lines.append(
            f"| {row['page']} (`{row['url']}`) | {row['median_ms']:.0f} ms | "
            f"{row['p95_ms']:.0f} ms | {row['queries']} | "
            f"{verdict(row['median_ms'] < TARGETS['page_ms'])} |"
        )
    if load:
        ratio = load["pages"]["rps"] / load["bare"]["rps"]
        ok = (
            load["pages"]["errors"] + load["pages"]["timeouts"] == 0
            and ratio >= TARGETS["load_ratio"]
        )
        lines += [
            "",
            f"Load: gunicorn with {load['workers']} workers on 127.0.0.1, wrk with "
            f"{load['users']} connections for {load['seconds']} s each run; logged-in pages "
            f"cycle through {', '.join(load['paths'])}.",
            "",
            "| run | requests/s | median | 95th percentile | errors | timeouts (30 s) |",
            "| --- | --- | --- | --- | --- | --- |",
            f"| logged-in pages | {load['pages']['rps']:.1f} | {load['pages']['p50_ms']:.0f} ms |"
            f" {load['pages']['p95_ms']:.0f} ms | {load['pages']['errors']} |"
            f" {load['pages']['timeouts']} |",
            f"| bare view (`/healthz`) | {load['bare']['rps']:.1f} | {load['bare']['p50_ms']:.1f}"
            f" ms | {load['bare']['p95_ms']:.1f} ms | {load['bare']['errors']} |"
            f" {load['bare']['timeouts']} |",
            "",
            f"Errors by kind: pages {load['pages']['error_detail']}; bare view "
            f"{load['bare']['error_detail']}.",
            "",
            f"Pages reach {ratio:.0%} of the bare view's throughput (target ≥ "
            f"{TARGETS['load_ratio']:.0%}, no errors) {verdict(ok)}",
        ]
    elif not is_pg:
        lines += ["", "The load test runs on PostgreSQL (`--database-url postgres://…`)."]
    text = "\n".join(lines)
    write_report(options.out, measured["database"], text)
    print(text)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
