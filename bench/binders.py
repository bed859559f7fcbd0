"""The 台账 binders' benchmark, on the mine's data (as bench/run.py builds it).

    python bench/binders.py                       # SQLite: builds the mine's data first
    python bench/binders.py --reuse               # on the database a previous run left
    python bench/binders.py --database-url postgres://postgres@127.0.0.1:5432/unionhome_bench

Measures one group's binder for a year (the demo leader's group, the one with photos, in
its busiest year: target under 5 s) and 60 binders built by the workshop-union runner of
the background jobs (binders.background, called as the worker calls it), with the rate
in binders per second. The results go into docs/benchmarks.md, in a section of their own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# bench/run.py is a script beside this one.
from run import (
    PYTHON,
    ROOT,
    environment,
    fresh_database,
    machine,
    run,
    verdict,
    write_report,
)

TARGETS = {"group_s": 5}
BINDERS = 60


def measure(env: dict, repeats: int) -> dict:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from types import SimpleNamespace

    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader

    from accounts.models import Role, RoleAssignment, User
    from activities.models import Activity
    from binders import services
    from binders.background import workshop_binders
    from groups.models import UnionGroup, WorkshopUnion

    hq = User.objects.get(username="hq")
    leader = User.objects.get(username="leader")
    group = UnionGroup.objects.select_related("workshop").get(
        pk=RoleAssignment.objects.get(user=leader, role=Role.GROUP_LEADER).group_id
    )
    busiest = (
        Activity.objects.filter(group=group)
        .values("held_on__year")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    year = busiest["held_on__year"]
    results = {"database": connection.vendor, "year": year, "group": str(group)}
    services.group_binder_pdf(group=group, year=year, reader=hq)  # fonts loaded once
    times = []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            pdf = services.group_binder_pdf(group=group, year=year, reader=hq)
            times.append(time.perf_counter() - started)
    results.update(
        group_s=statistics.median(times),
        group_max_s=max(times),
        group_queries=len(queries),
        pages=len(PdfReader(__import__("io").BytesIO(pdf)).pages),
        pdf_kb=len(pdf) / 1024,
        activities=busiest["n"],
    )

    # The background runner, workshop union after workshop union, until 60 binders.
    built, files, elapsed = 0, [], 0.0
    for workshop in WorkshopUnion.objects.annotate(n=Count("groups")).order_by("-n", "pk"):
        job = SimpleNamespace(user=hq, params={"workshop": workshop.pk, "year": year})
        steps = []
        started = time.perf_counter()
        result = workshop_binders(job, lambda done, total, steps=steps: steps.append(done))
        elapsed += time.perf_counter() - started
        built += steps[-1] if steps else 0
        files.append(Path(result.path))
        if built >= BINDERS:
            break
    results.update(
        zip_binders=built,
        zip_s=elapsed,
        zip_rate=built / elapsed,
        zip_mb=sum(f.stat().st_size for f in files) / 1024 / 1024,
        zip_workshops=len(files),
    )
    for f in files:
        f.unlink(missing_ok=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/unionhome-bench-binders.sqlite3")
    parser.add_argument("--reuse", action="store_true", help="keep the database as it is")
    parser.add_argument("--media-root", default="/tmp/unionhome-bench-media")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="unionhome-bench-"))
    # The photos are files: the media root is kept with the database for --reuse.
    env = environment(options.database_url, str(work / "static"), options.media_root)
    if not options.reuse:
        fresh_database(options.database_url)
        print("migrating…")
        run([PYTHON, "manage.py", "migrate", "-v0"], env)
        print("building the mine's data…")
        build_s = run(
            [PYTHON, "manage.py", "seed_demo", "--size", "mine"], env, stdout=subprocess.DEVNULL
        )
        print(f"  {build_s:.1f} s")
    measured = measure(env, options.repeats)
    load = os.getloadavg()[0]
    host = machine()
    lines = [
        f"## 台账 binders ({measured['database']})",
        "",
        f"Measured {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on {host['cpu']}, "
        f"{host['cores']} cores, {host['memory']}, Python {host['python']}; the mine's data, "
        "production settings (DEBUG off), WeasyPrint with Noto CJK. Made by "
        f"`python bench/binders.py`; load average {load:.1f} when it ended.",
        "",
        "| what | measured | target | |",
        "| --- | --- | --- | --- |",
        f"| a group's binder for {measured['year']} ({measured['group']}: "
        f"{measured['activities']} activities with their photos; {measured['pages']} pages, "
        f"{measured['pdf_kb']:.0f} KB), median of {options.repeats} | "
        f"{measured['group_s']:.2f} s (slowest {measured['group_max_s']:.2f} s), "
        f"{measured['group_queries']} queries | < {TARGETS['group_s']} s | "
        f"{verdict(measured['group_max_s'] < TARGETS['group_s'])} |",
        f"| {measured['zip_binders']} binders zipped by the background runner "
        f"({measured['zip_workshops']} workshop unions, {measured['zip_mb']:.1f} MB) | "
        f"{measured['zip_s']:.1f} s: **{measured['zip_rate']:.2f} binders/s** | "
        "reported | |",
    ]
    text = "\n".join(lines)
    write_report(options.out, f"binders-{measured['database']}", text)
    print(text)


if __name__ == "__main__":
    main()
