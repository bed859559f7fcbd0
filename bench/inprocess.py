"""The in-process half of bench/run.py: scoring, page timings, CPU per page and the member
list beside the admin changelist, inside one Django process on the benchmark database.

bench/run.py starts it once per database (settings come from the environment) and reads
the JSON it prints on its last line; it is not meant to be run by hand.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# bench/run.py by its path: bench/ on sys.path would shadow the apps (bench/binders.py).
_spec = importlib.util.spec_from_file_location("bench_run", Path(__file__).with_name("run.py"))
bench_run = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_run)
PAGES, Page = bench_run.PAGES, bench_run.Page

MARK = "BENCHJSON "


def proc_stat_busy() -> tuple[int, int]:
    """(busy, total) clock ticks of the whole machine since boot, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    total = sum(fields[:8])  # user nice system idle iowait irq softirq steal
    return total - fields[3] - fields[4], total


def process_ticks(pid: int) -> int:
    """utime + stime of one process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[max(0, round(len(ordered) * share) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--cpu-rounds", type=int, default=10)
    parser.add_argument("--skip-score", action="store_true")
    options = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Role, RoleAssignment, User
    from activities.models import Participation
    from activities.periods import month_start, previous_month
    from groups.models import Member, UnionGroup, WorkshopUnion
    from scoring import services
    from scoring.models import AssessmentPeriod
    from welfare.models import WelfareCase

    # No setup_test_environment(): its instrumented rendering copies every template's
    # context for the test client, which production never does (it doubled list pages).
    results: dict = {"database": connection.vendor, "db_version": db_version(connection)}
    results["sizes"] = {
        "workshop unions": WorkshopUnion.objects.count(),
        "groups": UnionGroup.objects.count(),
        "members": Member.objects.count(),
        "participations": Participation.objects.count(),
    }
    period = AssessmentPeriod.objects.filter(status="published").order_by("-end").first()
    if not options.skip_score:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            services.score_compute(period=period)
            results["score_s"] = time.perf_counter() - started
        results["score_queries"] = len(queries)
        results["score_groups"] = period.runs.order_by("-version").first().results.count()

    users = {
        u.username: u
        for u in User.objects.filter(username__in=["hq", "workshop", "leader", "admin"])
    }
    group = RoleAssignment.objects.get(user=users["leader"], role=Role.GROUP_LEADER).group_id
    # The same kind of record at both sizes: the first of each, in the leader's group.
    ids = {
        "group": group,
        "month": f"{previous_month(month_start(date.today())):%Y-%m}",
        "year": date.today().year,
        "period": period.pk,
        "member": Member.objects.filter(group_id=group)
        .order_by("pk")
        .values_list("pk", flat=True)[0],
        "case": WelfareCase.objects.order_by("pk").values_list("pk", flat=True)[0],
    }
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)

    rows = []
    for page in PAGES:
        url = page.url.format(**ids)
        rows.append(time_page(clients[page.who], page, url, options.requests, connection))
    results["pages"] = rows

    load_pages = [(page, page.url.format(**ids)) for page in PAGES if page.load]
    results["cpu"] = cpu_per_page(clients, load_pages, options.cpu_rounds, connection)
    results["load_paths"] = [(page.who, url) for page, url in load_pages]

    admin_page = Page("member list, Django admin changelist", "admin", ADMIN_MEMBERS)
    results["admin"] = {
        "members": time_page(
            clients["hq"],
            Page("member list", "hq", "/members/"),
            "/members/",
            options.requests,
            connection,
        ),
        "admin": time_page(
            clients["admin"], admin_page, ADMIN_MEMBERS, options.requests, connection
        ),
    }
    print(MARK + json.dumps(results))


ADMIN_MEMBERS = "/admin/groups/member/"


def time_page(client, page: Page, url: str, requests: int, connection) -> dict:
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        status = client.get(url).status_code
    if status != 200:
        # Reported as a failed row rather than ending a long run.
        print(f"{url} as {page.who}: HTTP {status}", file=sys.stderr)
        return {"page": page.label, "who": page.who, "url": url, "status": status}
    times = []
    for _ in range(requests):
        if page.after_change:
            after_a_change(connection.alias)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} as {page.who}: HTTP {response.status_code}")
    return {
        "status": 200,
        "page": page.label,
        "who": page.who,
        "url": url,
        "median_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "queries": len(queries),
    }


def after_a_change(alias: str) -> None:
    """What a committed change to the counted records does to what the dashboard reads."""
    from dashboard.cache import renew_token

    # HOOK (summary tables, issue 17): a committed change renews the figures' cache token
    # and marks the summary tables changed (activities.summaries.mark_changed, called by
    # renew_token today; the worker's refresh_summaries counts them again later). If what a
    # change does to the dashboard's sources changes, this is the one place to follow it.
    renew_token(alias)


def cpu_per_page(clients, load_pages, rounds: int, connection) -> dict:
    """CPU milliseconds per page over the load test's pages, in the mix wrk requests them:
    this process's CPU, its PostgreSQL backend's, and the whole machine's (/proc/stat,
    which also counts anything else running on the machine)."""
    for page, url in load_pages:
        clients[page.who].get(url)
    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("select pg_backend_pid()")
            backend = cursor.fetchone()[0]
    # The machine's background before the measurement (other work on the same cores).
    idle_busy, idle_total = proc_stat_busy()
    time.sleep(2)
    idle_busy2, idle_total2 = proc_stat_busy()
    background = (idle_busy2 - idle_busy) / max(1, idle_total2 - idle_total)

    backend_start = process_ticks(backend) if backend else 0
    busy_start, _ = proc_stat_busy()
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    requests = 0
    for _ in range(rounds):
        for page, url in load_pages:
            response = clients[page.who].get(url)
            assert response.status_code == 200, (url, response.status_code)
            requests += 1
    cpu_s, wall_s = time.process_time() - cpu_start, time.perf_counter() - wall_start
    busy_end, _ = proc_stat_busy()
    backend_ms = (process_ticks(backend) - backend_start) * TICK_MS if backend else 0.0
    return {
        "requests": requests,
        "wall_ms": wall_s * 1000 / requests,
        "python_ms": cpu_s * 1000 / requests,
        "python_db_ms": (cpu_s * 1000 + backend_ms) / requests,
        "machine_ms": (busy_end - busy_start) * TICK_MS / requests,
        "background_share": background,
        "cores": os.cpu_count(),
    }


def db_version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return "SQLite " + cursor.fetchone()[0]
        cursor.execute("show server_version")
        return "PostgreSQL " + cursor.fetchone()[0]


if __name__ == "__main__":
    main()
