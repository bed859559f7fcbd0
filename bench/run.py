"""The unionhome benchmark: builds the seed's data at a size and measures what the issues promise.

    python bench/run.py                                    # mine size, SQLite (a file under /tmp)
    python bench/run.py --size mine --database-url postgres://postgres@127.0.0.1:5432/unionhome_bench_mine
    python bench/run.py --size federation --reuse \\
        --database-url postgres://postgres@127.0.0.1:5432/unionhome_bench_federation
    python bench/run.py --size both --reuse \\
        --database-url postgres://postgres@127.0.0.1:5432/unionhome_bench   # _mine, _federation

`--size mine` is 65 workshop unions, 405 groups, 10,000 members; `--size federation` (PostgreSQL
only) is 650 workshop unions, 4,050 groups, 100,000 members, about 2.5 million participation
rows. Each size is built with `seed_demo --size …` in a fresh database, or with `--reuse` kept
when the database already holds that size's data. Then: an import of 10,000 (mine) or 100,000
(federation) members from an .xlsx file in a fresh process (rolled back afterwards, so the
database stays as built), scoring a period for all groups, the main pages over repeated
requests, the CPU each page costs (from which the machine's bound on pages per second
follows), the member list beside Django's admin changelist, and on PostgreSQL gunicorn under
wrk (Debian package `wrk`) at 50 and 200 connections. `--size both` measures both sizes in
two databases and adds the comparison (federation ÷ mine). Results go into
docs/benchmarks.md, one section per database and size, plus `compare`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "Xiaojia-2026"
TARGETS = {
    "page_median_ms": 100,
    "page_p95_ms": 150,
    "ratio": 1.5,
    "score_s": 5,
    "import_s": 60,
    "import_mb": 300,
    # "memory flat": the 100,000-row peak at most this many times the 10,000-row peak
    "import_flat": 1.25,
    "load_share": 0.8,
}
SIZES = {
    "mine": {"groups": 405, "members": 10_000, "import_rows": 10_000, "build_s": 300},
    "federation": {"groups": 4_050, "members": 100_000, "import_rows": 100_000, "build_s": 900},
}


class Page(NamedTuple):
    label: str
    who: str  # a demo login: hq, workshop, leader, admin
    url: str  # {group} {month} {year} {period} {member} {case}: filled in from the database
    after_change: bool = False  # renew what the dashboard reads before every request
    load: bool = False  # one of the logged-in pages of the load test


# The pages measured, in one place: timed in process at every size, and those marked
# load=True are the load test's mix (in process for CPU per page, and under wrk).
PAGES = [
    Page("dashboard (HQ)", "hq", "/", load=True),
    Page("dashboard (HQ), after a change", "hq", "/", after_change=True),
    Page("dashboard (workshop union), after a change", "workshop", "/", after_change=True),
    Page("dashboard (workshop union)", "workshop", "/"),
    Page("dashboard (group leader)", "leader", "/", load=True),
    Page("to-do list", "hq", "/todo/", load=True),
    Page("annual summary", "hq", "/summary/"),
    Page("organisation", "hq", "/org/"),
    Page("member list", "hq", "/members/", load=True),
    Page("member search", "hq", "/members/?q=%E7%8E%8B"),
    Page("member detail", "hq", "/members/{member}/", load=True),
    Page("member list (group leader)", "leader", "/members/"),
    Page("activity list", "hq", "/activities/", load=True),
    Page("participation", "hq", "/activities/participation/"),
    Page("monthly report list", "hq", "/reports/", load=True),
    Page("monthly report", "hq", "/reports/{group}/{month}/"),
    Page("plans", "hq", "/plans/"),
    Page("year plan (group leader)", "leader", "/plans/groups/{group}/{year}/", load=True),
    Page("learning", "hq", "/learning/"),
    Page("group learning (group leader)", "leader", "/learning/groups/{group}/", load=True),
    Page("welfare case list", "hq", "/welfare/cases/", load=True),
    Page("welfare case", "hq", "/welfare/cases/{case}/"),
    Page("小家 pipeline", "hq", "/homes/"),
    Page("小家 groups under way", "hq", "/homes/groups/?stage=declared"),
    Page("小家 declarations", "workshop", "/homes/declarations/"),
    Page("assessment periods", "hq", "/assessment/"),
    Page("ranking", "hq", "/assessment/{period}/ranking/"),
    Page("scorecard (group leader)", "leader", "/assessment/{period}/groups/{group}/", load=True),
    Page("dues", "hq", "/dues/"),
    Page("funds", "hq", "/funds/"),
    Page("congresses", "hq", "/congresses/"),
    Page("disclosures", "hq", "/disclosures/"),
    Page("improvements", "hq", "/improvements/"),
    Page("campaigns", "hq", "/campaigns/"),
    Page("care tasks", "hq", "/care/tasks/"),
    Page("rectifications", "hq", "/rectifications/"),
    Page("democracy", "hq", "/democracy/"),
    Page("applications to join", "hq", "/membership/applications/"),
    Page("suggestions", "hq", "/suggestions/"),
    Page("binders", "hq", "/binders/"),
]


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


def holds_size(url: str, size: str) -> bool:
    """Whether the database already holds `seed_demo --size <size>`'s data. The seed loads
    in one transaction, so a half-built database shows no groups at all."""
    sql = (
        "select (select count(*) from groups_uniongroup), (select count(*) from groups_member),"
        " (select count(*) from accounts_user where username in ('hq', 'leader', 'admin'))"
    )
    try:
        if url.startswith("sqlite"):
            import sqlite3

            path = url.split(":///", 1)[1]
            if not Path(path).exists():
                return False
            with sqlite3.connect(path) as connection:
                groups, members, users = connection.execute(sql).fetchone()
        else:
            import psycopg

            with psycopg.connect(url) as connection:
                groups, members, users = connection.execute(sql).fetchone()
    except Exception as error:  # no such database or tables yet
        print(f"  not reusable: {type(error).__name__}: {str(error).splitlines()[0]}")
        return False
    want = SIZES[size]
    print(f"  the database holds {groups} groups, {members} members")
    return groups == want["groups"] and members >= 0.95 * want["members"] and users == 3


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


# The import in a fresh process, as an operator runs it (`manage.py import_members`), inside
# a transaction undone at the end so the database stays as built and a --reuse run measures
# the same data again. The deferred foreign keys a commit would check are checked, and the
# on-commit work run, inside the timing.
IMPORT_HARNESS = """
import resource, sys, time, django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
from groups.models import ImportLimits, Member

class Undo(Exception):
    pass

rows = int(sys.argv[2])
try:
    with transaction.atomic():
        limits = ImportLimits.current()
        limits.max_rows = max(limits.max_rows, rows)
        limits.max_unpacked_mb = max(limits.max_unpacked_mb, 2000)
        limits.save()
        before = Member.objects.count()
        started = time.perf_counter()
        call_command("import_members", sys.argv[1])
        connection.check_constraints()
        for _sids, func, _robust in list(connection.run_on_commit):
            func()
        elapsed = time.perf_counter() - started
        created = Member.objects.count() - before
        raise Undo
except Undo:
    pass
print("RESULT", elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, created)
"""


def make_import_file(env: dict, path: Path, count: int) -> None:
    code = f"""
import django; django.setup()
from openpyxl import Workbook
from groups.models import UnionGroup
groups = list(UnionGroup.objects.select_related("workshop").order_by("pk"))
wb = Workbook(write_only=True); ws = wb.create_sheet("会员")
ws.append(["工号", "姓名", "性别", "出生日期", "入会日期", "手机号", "车间工会", "工会小组"])
for i in range({count}):
    g = groups[i % len(groups)]
    ws.append([f"9{{i:06d}}", "测试会员" + str(i), "男" if i % 3 else "女", "1988-05-06",
               "2012-07-01", f"139{{i:08d}}", g.workshop.name, g.name])
wb.save({str(path)!r})
"""
    run([PYTHON, "-c", code], env)


def measure_import(env: dict, work: Path, rows: int) -> dict:
    path = work / f"members-{rows}.xlsx"
    make_import_file(env, path, rows)
    out = subprocess.run(
        [PYTHON, "-c", IMPORT_HARNESS, str(path), str(rows)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"the import failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    seconds, kb, created = out.stdout.split("RESULT", 1)[1].split()
    if int(created) != rows:
        raise SystemExit(f"the import created {created} members, not {rows}:\n{out.stdout}")
    return {"rows": rows, "s": float(seconds), "mb": int(kb) / 1024}


def measure_in_process(env: dict, requests: int, cpu_rounds: int) -> dict:
    """Scoring, pages, CPU per page and the admin changelist: bench/inprocess.py, in a
    process of its own on the database (one per size, so both sizes run in one command)."""
    out = subprocess.run(
        [
            PYTHON,
            str(ROOT / "bench" / "inprocess.py"),
            "--requests",
            str(requests),
            "--cpu-rounds",
            str(cpu_rounds),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(
            f"in-process measuring failed:\n{out.stdout[-3000:]}\n{out.stderr[-5000:]}"
        )
    line = next(line for line in out.stdout.splitlines() if line.startswith("BENCHJSON "))
    return json.loads(line.split(" ", 1)[1])


# Load ---------------------------------------------------------------------------------------


def proc_stat_busy() -> tuple[int, int]:
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    total = sum(fields[:8])
    return total - fields[3] - fields[4], total


def load_test(env: dict, paths: list, options) -> dict | None:
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is not installed (apt-get install -y wrk): the load test is skipped")
        return None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cores = os.cpu_count() or 1
    workers = options.workers or 2 * cores + 1
    command = [PYTHON, "-m", "gunicorn", "unionhome.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning"]
    if options.threads > 1:
        command += ["--threads", str(options.threads)]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    result = {"workers": workers, "threads": options.threads, "seconds": options.load_seconds}
    try:
        _wait(base + "/healthz")
        cookies = {who: _login(base, who) for who in {who for who, _ in paths} | {"hq", "admin"}}
        mix = [(url, cookies[who]) for who, url in paths]
        result["runs"] = {
            c: _wrk(wrk, base, mix, options.load_seconds, c) for c in options.connections
        }
        short = max(5, options.load_seconds // 3)
        result["short_seconds"] = short
        result["members"] = _wrk(wrk, base, [("/members/", cookies["hq"])], short, 50)
        result["admin"] = _wrk(wrk, base, [("/admin/groups/member/", cookies["admin"])], short, 50)
        result["healthz"] = _wrk(wrk, base, [("/healthz", "")], short, 50)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return result


def _wait(url):
    import urllib.request

    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def _drain(base: str) -> None:
    """Wait until the server has worked off what wrk left queued (sync workers still answer
    requests whose client has gone), so the next run starts on an idle server."""
    import urllib.request

    urllib.request.urlopen(base + "/healthz", timeout=900).read()


def _login(base: str, username: str) -> str:
    import http.cookiejar
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + "/accounts/login/", timeout=30).read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(
        urllib.request.Request(base + "/accounts/login/", data=data, headers={"Referer": base}),
        timeout=30,
    ).read()
    if not any(c.name == "sessionid" for c in jar):
        raise RuntimeError(f"could not log in as {username}")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _lua(mix: list[tuple[str, str]]) -> str:
    entries = ", ".join(f'{{ "{url}", "{cookie}" }}' for url, cookie in mix)
    # Answers other than 200 (a redirect to the login page would pass as 3xx) are counted
    # per thread and summed in done().
    return f"""
local pages = {{ {entries} }}
local threads = {{}}
local i = 0
not_ok = 0
sent = 0
setup = function(thread)
  table.insert(threads, thread)
end
request = function()
  i = i + 1
  sent = sent + 1
  local page = pages[(i % #pages) + 1]
  return wrk.format("GET", page[1], {{ ["Cookie"] = page[2] }})
end
response = function(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
done = function(summary, latency, requests)
  local e = summary.errors
  local bad, sent_all = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_ok")
    sent_all = sent_all + thread:get("sent")
  end
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d %f %f %f\\n", summary.requests,
    e.connect, e.read, e.write, e.status, e.timeout, bad, sent_all,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def _wrk(wrk, base, mix, seconds, connections) -> dict:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(_lua(mix))
    # wrk runs on the same cores as the servers and PostgreSQL: its own CPU (a child of
    # this process once reaped) and the machine's busy share over the run are reported.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy, total = proc_stat_busy()
    # A browser waits far longer than wrk's default 2 s: a slow answer is not an error.
    out = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", script, base],
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    ).stdout
    busy2, total2 = proc_stat_busy()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    script.unlink(missing_ok=True)
    _drain(base)
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    _, count, connect, read, write, status, timeouts, not_ok, sent, duration, p50, p95 = (
        line.split()
    )
    wrk_cpu = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
    cores = os.cpu_count() or 1
    return {
        "connections": connections,
        "requests": int(count),
        # wrk counts answers of 400 and above as status errors; not_ok also counts 3xx
        "errors": int(connect) + int(read) + int(write) + max(int(status), int(not_ok)),
        "error_detail": f"connect {connect}, read {read}, write {write}, HTTP ≥ 400 {status}, "
        f"not 200 {not_ok}",
        "timeouts": int(timeouts),
        # sent but neither answered nor timed out when the run ended (at most one per
        # connection): when few answers came, a run shorter than the 30 s timeout hides them
        "unanswered": max(0, int(sent) - int(count) - int(timeouts) - int(connect)),
        "rps": int(count) / float(duration),
        "p50_ms": float(p50),
        "p95_ms": float(p95),
        "wrk_share": wrk_cpu / (cores * float(duration)),
        "machine_busy": (busy2 - busy) / max(1, total2 - total),
    }


# Report -------------------------------------------------------------------------------------


def write_report(out: Path, section: str, text: str) -> None:
    """Replace the section's block, or add it after the last of this script's blocks."""
    start, end = f"<!-- bench:{section} start -->", f"<!-- bench:{section} end -->"
    current = (
        out.read_text(encoding="utf-8")
        if out.exists()
        else (
            "# Benchmarks\n\nMade by `python bench/run.py` (see the README). Each database and "
            "size has its own section, replaced at every run.\n"
        )
    )
    block = f"{start}\n{text}\n{end}"
    if start in current:
        current = re.sub(
            re.escape(start) + ".*?" + re.escape(end), lambda _m: block, current, flags=re.S
        )
    else:
        # After this script's last section (the notes and other scripts' sections follow).
        ends = list(
            re.finditer(r"<!-- bench:(?:sqlite|postgresql|compare)[\w-]* end -->\n?", current)
        )
        if ends:
            at = ends[-1].end()
            current = (
                current[:at].rstrip("\n") + "\n\n" + block + "\n\n" + current[at:].lstrip("\n")
            )
        else:
            current = current.rstrip() + "\n\n" + block + "\n"
    out.write_text(current, encoding="utf-8")


def verdict(ok: bool) -> str:
    return "✅" if ok else "❌"


def page_ok(row: dict) -> bool:
    return row["median_ms"] <= TARGETS["page_median_ms"] and row["p95_ms"] <= TARGETS["page_p95_ms"]


def bound(cpu: dict) -> float:
    """Pages per second the machine could serve if every core did nothing else: from the
    whole machine's busy CPU per page (the Python process's, PostgreSQL's and the kernel's)."""
    return cpu["cores"] * 1000 / cpu["machine_ms"]


def header(size: str, result: dict, options) -> list[str]:
    host, measured = result["host"], result["measured"]
    sizes = ", ".join(f"{n:,} {what}" for what, n in measured["sizes"].items())
    built = (
        f"built by `seed_demo --size {size}` in {result['build_s']:.0f} s"
        if result["build_s"] is not None
        else "reused (built before; `--reuse`)"
    )
    return [
        f"## {measured['db_version']}, {size} size",
        "",
        f"Measured {result['when']} on {host['cpu']}, {host['cores']} cores, {host['memory']}, "
        f"{host['system']}, Python {host['python']}; production settings (DEBUG off); "
        f"{options.requests} requests a page after two to warm up. Data: {sizes}; {built}. "
        f"Load average {result['loadavg']:.1f} when it ended.",
        "",
    ]


def section(size: str, result: dict, options) -> str:
    measured, imported, load = result["measured"], result["import"], result["load"]
    want = SIZES[size]
    lines = header(size, result, options)
    lines += ["| what | measured | target | |", "| --- | --- | --- | --- |"]
    if result["build_s"] is not None:
        lines.append(
            f"| build the data (`seed_demo --size {size}`) | {result['build_s']:.0f} s | "
            f"≤ {want['build_s'] // 60} min | {verdict(result['build_s'] <= want['build_s'])} |"
        )
    lines += [
        f"| import {imported['rows']:,} members from .xlsx (`import_members`, fresh process) | "
        f"{imported['s']:.1f} s, peak RSS {imported['mb']:.0f} MB | ≤ {TARGETS['import_s']} s, "
        f"≤ {TARGETS['import_mb']} MB | "
        + verdict(imported["s"] <= TARGETS["import_s"] and imported["mb"] <= TARGETS["import_mb"])
        + " |",
        f"| score a period for {measured['score_groups']:,} groups | {measured['score_s']:.2f} s, "
        f"{measured['score_queries']} queries | ≤ {TARGETS['score_s']} s | "
        f"{verdict(measured['score_s'] <= TARGETS['score_s'])} |",
        "",
        f"Pages (target: median ≤ {TARGETS['page_median_ms']} ms, 95th percentile ≤ "
        f'{TARGETS["page_p95_ms"]} ms; "after a change" renews what the dashboard reads '
        "before every request):",
        "",
        "| page | login | median | 95th percentile | queries | |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in measured["pages"]:
        if row["status"] != 200:
            lines.append(
                f"| {row['page']} (`{row['url']}`) | {row['who']} | HTTP {row['status']} | | | ❌ |"
            )
            continue
        lines.append(
            f"| {row['page']} (`{row['url']}`) | {row['who']} | {row['median_ms']:.0f} ms | "
            f"{row['p95_ms']:.0f} ms | {row['queries']} | {verdict(page_ok(row))} |"
        )
    members, admin = measured["admin"]["members"], measured["admin"]["admin"]
    lines += [
        "",
        f"Member list against Django's admin changelist of the same "
        f"{measured['sizes']['members']:,} members (target: no slower):",
        "",
        "| page | login | median | 95th percentile | queries |",
        "| --- | --- | --- | --- | --- |",
        f"| member list (`/members/`) | hq | {members['median_ms']:.0f} ms | "
        f"{members['p95_ms']:.0f} ms | {members['queries']} |",
        f"| admin changelist (`{admin['url']}`) | admin | {admin['median_ms']:.0f} ms | "
        f"{admin['p95_ms']:.0f} ms | {admin['queries']} |",
        "",
        f"The member list is {members['median_ms'] / admin['median_ms']:.2f} × the changelist's "
        f"median {verdict(members['median_ms'] <= admin['median_ms'])}",
    ]
    lines += cpu_lines(measured)
    if load:
        lines += load_lines(load, measured)
    elif measured["database"] != "postgresql":
        lines += ["", "The load test runs on PostgreSQL (`--database-url postgres://…`)."]
    return "\n".join(lines)


def cpu_lines(measured: dict) -> list[str]:
    cpu = measured["cpu"]
    paths = ", ".join(f"{url} ({who})" for who, url in measured["load_paths"])
    python_bound = cpu["cores"] * 1000 / cpu["python_db_ms"]
    return [
        "",
        f"CPU per page, in process, {cpu['requests']} requests over the load test's pages "
        f"({paths}): wall {cpu['wall_ms']:.1f} ms; Python process {cpu['python_ms']:.1f} ms; "
        f"Python plus its PostgreSQL backend {cpu['python_db_ms']:.1f} ms; whole machine "
        f"(/proc/stat) {cpu['machine_ms']:.1f} ms (the machine was "
        f"{cpu['background_share']:.0%} busy with other work in the 2 s before).",
        "",
        f"The machine's bound, from the whole machine's CPU: {cpu['cores']} cores × 1000 ÷ "
        f"{cpu['machine_ms']:.1f} ms = **{bound(cpu):.1f} pages/s** (from the Python process and "
        f"its backend alone it would be {python_bound:.1f} pages/s).",
    ]


def load_lines(load: dict, measured: dict) -> list[str]:
    the_bound = bound(measured["cpu"])
    threads = f" × {load['threads']} threads" if load["threads"] > 1 else " (sync)"
    lines = [
        "",
        f"Load: gunicorn with {load['workers']} workers{threads} on 127.0.0.1, wrk (2 threads, "
        f"30 s timeout) for {load['seconds']} s a run, cycling through the pages above as "
        "their users. wrk runs on the same cores: its CPU is given as a share of the machine.",
        "",
        "| connections | requests/s | share of the bound | median | 95th percentile | errors |"
        " timeouts (30 s) | in flight at the end | wrk's CPU | machine busy | |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for connections, run_ in load["runs"].items():
        share = run_["rps"] / the_bound
        ok = share >= TARGETS["load_share"] and run_["errors"] + run_["timeouts"] == 0
        lines.append(
            f"| {connections} | {run_['rps']:.1f} | {share:.0%} | {run_['p50_ms']:.0f} ms | "
            f"{run_['p95_ms']:.0f} ms | {run_['errors']} | {run_['timeouts']} | "
            f"{run_['unanswered']} | {run_['wrk_share']:.0%} | {run_['machine_busy']:.0%} | "
            f"{verdict(ok)} |"
        )
    lines += [
        "",
        "Errors by kind: "
        + "; ".join(f"{c} connections: {r['error_detail']}" for c, r in load["runs"].items())
        + ".",
    ]
    members, admin, healthz = load["members"], load["admin"], load["healthz"]
    lines += [
        "",
        f"Under wrk, 50 connections, {load['short_seconds']} s each: member list "
        f"{members['rps']:.1f} pages/s (median {members['p50_ms']:.0f} ms, {members['errors']} "
        f"errors), admin changelist {admin['rps']:.1f} pages/s (median {admin['p50_ms']:.0f} ms, "
        f"{admin['errors']} errors) {verdict(members['rps'] >= admin['rps'])}. For information, "
        f"the bare `/healthz` view: {healthz['rps']:.0f} requests/s.",
    ]
    return lines


def compare_section(results: dict, options) -> str:
    mine, fed = results["mine"], results["federation"]
    m, f = mine["measured"], fed["measured"]
    host = fed["host"]
    lines = [
        f"## Mine against federation, {f['db_version']}",
        "",
        f"Measured {fed['when']} on {host['cpu']}, {host['cores']} cores, {host['memory']}; "
        f"production settings (DEBUG off); {options.requests} requests a page. Mine: "
        + ", ".join(f"{n:,} {w}" for w, n in m["sizes"].items())
        + ". Federation: "
        + ", ".join(f"{n:,} {w}" for w, n in f["sizes"].items())
        + f". Load average {mine['loadavg']:.1f} and {fed['loadavg']:.1f} when each ended.",
        "",
        f"Targets at federation size: median ≤ {TARGETS['page_median_ms']} ms, 95th percentile "
        f"≤ {TARGETS['page_p95_ms']} ms, federation ÷ mine ≤ {TARGETS['ratio']}, the same "
        "number of queries at both sizes.",
        "",
        "| page | login | mine median | federation median | federation p95 | queries mine "
        "| queries federation | federation ÷ mine | |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    by_label = {row["page"]: row for row in m["pages"]}
    for row in f["pages"]:
        small = by_label.get(row["page"])
        if small is None or {row["status"], small["status"]} != {200}:
            lines.append(
                f"| {row['page']} | {row['who']} | not measured at both sizes | | | | | | ❌ |"
            )
            continue
        ratio = row["median_ms"] / small["median_ms"]
        ok = page_ok(row) and ratio <= TARGETS["ratio"] and row["queries"] == small["queries"]
        lines.append(
            f"| {row['page']} | {row['who']} | {small['median_ms']:.0f} ms | "
            f"{row['median_ms']:.0f} ms | {row['p95_ms']:.0f} ms | {small['queries']} | "
            f"{row['queries']} | {ratio:.2f} | {verdict(ok)} |"
        )
    mi, fi = mine["import"], fed["import"]
    flat = fi["mb"] / mi["mb"]
    lines += [
        "",
        "| what | mine | federation | target | |",
        "| --- | --- | --- | --- | --- |",
        f"| score a period for all groups | {m['score_groups']:,} groups: {m['score_s']:.2f} s, "
        f"{m['score_queries']} queries | {f['score_groups']:,} groups: {f['score_s']:.2f} s, "
        f"{f['score_queries']} queries | ≤ {TARGETS['score_s']} s, the same number of queries | "
        + verdict(f["score_s"] <= TARGETS["score_s"] and f["score_queries"] == m["score_queries"])
        + " |",
        f"| import members (`import_members`, fresh process) | {mi['rows']:,} rows: "
        f"{mi['s']:.1f} s, peak {mi['mb']:.0f} MB | {fi['rows']:,} rows: {fi['s']:.1f} s, peak "
        f"{fi['mb']:.0f} MB ({flat:.2f} × the 10,000-row peak) | ≤ {TARGETS['import_s']} s, ≤ "
        f"{TARGETS['import_mb']} MB, flat (≤ {TARGETS['import_flat']} ×) | "
        + verdict(
            fi["s"] <= TARGETS["import_s"]
            and fi["mb"] <= TARGETS["import_mb"]
            and flat <= TARGETS["import_flat"]
        )
        + " |",
    ]
    am, af = m["admin"], f["admin"]
    lines.append(
        f"| member list ÷ admin changelist (median) | "
        f"{am['members']['median_ms']:.0f} ÷ {am['admin']['median_ms']:.0f} ms | "
        f"{af['members']['median_ms']:.0f} ÷ {af['admin']['median_ms']:.0f} ms | ≤ 1 | "
        f"{verdict(af['members']['median_ms'] <= af['admin']['median_ms'])} |"
    )
    if mine["load"] and fed["load"]:
        for connections in fed["load"]["runs"]:
            rm, rf = mine["load"]["runs"][connections], fed["load"]["runs"][connections]
            sm, sf = rm["rps"] / bound(m["cpu"]), rf["rps"] / bound(f["cpu"])
            ok = sf >= TARGETS["load_share"] and rf["errors"] + rf["timeouts"] == 0
            lines.append(
                f"| load, {connections} connections | {rm['rps']:.1f}/s = {sm:.0%} of "
                f"{bound(m['cpu']):.1f}, {rm['errors']} errors, {rm['timeouts']} timeouts | "
                f"{rf['rps']:.1f}/s = {sf:.0%} of {bound(f['cpu']):.1f}, {rf['errors']} errors, "
                f"{rf['timeouts']} timeouts | ≥ {TARGETS['load_share']:.0%} of the bound, no "
                f"errors or timeouts | {verdict(ok)} |"
            )
    return "\n".join(lines)


def print_compare_rows(results: dict) -> None:
    m, f = results["mine"]["measured"], results["federation"]["measured"]
    by_label = {row["page"]: row for row in m["pages"]}
    print(f"\n{'page':<45} {'mine':>7} {'fed':>7} {'fed p95':>8} {'q':>9} {'ratio':>6}")
    for row in f["pages"]:
        small = by_label.get(row["page"])
        if small is None or {row["status"], small["status"]} != {200}:
            continue
        print(
            f"{row['page']:<45} {small['median_ms']:>5.0f}ms {row['median_ms']:>5.0f}ms "
            f"{row['p95_ms']:>6.0f}ms {small['queries']:>4}/{row['queries']:<4} "
            f"{row['median_ms'] / small['median_ms']:>6.2f}"
        )


# Main ---------------------------------------------------------------------------------------


def bench_size(size: str, url: str, options, work: Path) -> dict:
    print(f"== {size} size on {url}")
    if size == "federation" and not url.startswith("postgres"):
        raise SystemExit("the federation size is built on PostgreSQL only")
    env = environment(url, str(work / "static"), str(work / "media"))
    build_s = None
    if options.reuse and holds_size(url, size):
        print("  reusing it; migrating what is new…")
        run([PYTHON, "manage.py", "migrate", "-v0"], env)
    else:
        fresh_database(url)
        print("  migrating…")
        run([PYTHON, "manage.py", "migrate", "-v0"], env)
        print(f"  building the data (seed_demo --size {size})…")
        build_s = run(
            [PYTHON, "manage.py", "seed_demo", "--size", size], env, stdout=subprocess.DEVNULL
        )
        print(f"  built in {build_s:.1f} s")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    print(f"  importing {SIZES[size]['import_rows']:,} members (rolled back afterwards)…")
    imported = measure_import(env, work, SIZES[size]["import_rows"])
    print(f"  import: {imported['s']:.1f} s, peak {imported['mb']:.0f} MB")
    print("  scoring, pages, CPU per page, admin changelist…")
    measured = measure_in_process(env, options.requests, options.cpu_rounds)
    load = None
    if not options.skip_load and measured["database"] == "postgresql":
        print("  load test…")
        load = load_test(env, measured["load_paths"], options)
    return {
        "build_s": build_s,
        "import": imported,
        "measured": measured,
        "load": load,
        "host": machine(),
        "when": f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        # Other work on the same cores shows in every figure: said in the header.
        "loadavg": os.getloadavg()[0],
    }


def size_url(options, size: str) -> str:
    explicit = getattr(options, f"{size}_url")
    if explicit:
        return explicit
    if options.size != "both":
        return options.database_url
    base, name = options.database_url.rsplit("/", 1)
    if options.database_url.startswith("sqlite"):
        stem, dot, ext = name.partition(".")
        return f"{base}/{stem}_{size}{dot}{ext}"
    return f"{base}/{name}_{size}"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="sqlite:////tmp/unionhome-bench.sqlite3")
    parser.add_argument(
        "--size",
        choices=["mine", "federation", "both"],
        default="mine",
        help="both: mine and federation in two databases, the --database-url's name + _mine "
        "and _federation (or --mine-url, --federation-url), side by side",
    )
    parser.add_argument("--compare", action="store_true", help="the same as --size both")
    parser.add_argument("--mine-url", help="with --size both: the mine's database")
    parser.add_argument("--federation-url", help="with --size both: the federation's database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a database that already holds the size's data (no drop and rebuild)",
    )
    parser.add_argument("--requests", type=int, default=30, help="requests per page")
    parser.add_argument(
        "--cpu-rounds", type=int, default=10, help="rounds over the load pages for CPU per page"
    )
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument(
        "--connections",
        type=lambda text: [int(c) for c in text.split(",")],
        default=[50, 200],
        help="wrk connections, one run each (default 50,200)",
    )
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 × cores + 1)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    options = parser.parse_args()
    if options.compare:
        options.size = "both"

    sizes = ["mine", "federation"] if options.size == "both" else [options.size]
    work = Path(tempfile.mkdtemp(prefix="unionhome-bench-"))
    results = {}
    try:
        for size in sizes:
            results[size] = bench_size(size, size_url(options, size), options, work)
            text = section(size, results[size], options)
            write_report(options.out, f"{results[size]['measured']['database']}-{size}", text)
            print(text)
        if options.size == "both":
            text = compare_section(results, options)
            write_report(options.out, "compare", text)
            print_compare_rows(results)
            print(text)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
