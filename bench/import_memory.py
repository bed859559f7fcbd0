"""Member import: time and peak memory for rosters of 10,000 and 100,000 rows.

    .venv/bin/python bench/import_memory.py                 # SQLite, a fresh file under /tmp
    .venv/bin/python bench/import_memory.py --database-url postgres://postgres@127.0.0.1:5432/unionhome_import

Each size is a roster as union offices keep it (a title row, their column titles, identity
numbers, 2014.06 dates, the registration lists), written with openpyxl's write-only mode.
For each it measures, on a fresh database: the `import_members` command in a fresh process
of its own (time, and the process's peak RSS from getrusage: the figure the target is set
on; it checks and writes a chunk at a time, so this must not grow much with the rows; its
transaction is rolled back at the end); checking the file for the preview
(`member_import_plan`, which keeps each row's checked values for the page) under
tracemalloc; optionally reading the file alone. The row cap is raised for the run.
Results replace the "import" section of docs/benchmarks.md."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PYTHON, ROOT, environment, fresh_database, machine, write_report

SIZES = (10_000, 100_000)

HARNESS = r"""
import io, json, sys, time, tracemalloc
from datetime import date, timedelta
import django
django.setup()
from openpyxl import Workbook
from groups.idnumbers import check_digit
from groups.imports import member_import_apply, member_import_plan, member_import_read
from groups.models import ImportLimits, UnionGroup, WorkshopUnion

rows, path = int(sys.argv[1]), sys.argv[2]
workshops = [WorkshopUnion.objects.create(name=f"第{w}车间", code=f"W{w}") for w in range(20)]
groups = [
    UnionGroup.objects.create(workshop=w, name=f"第{g}班", code=f"G{w.pk}-{g}")
    for w in workshops
    for g in range(20)
]
ImportLimits.objects.create(max_rows=rows, max_unpacked_mb=2000)

book = Workbook(write_only=True)
sheet = book.create_sheet("花名册")
sheet.append(["2026年会员花名册"])
sheet.append(["序号", "工号", "姓名", "性别", "民族", "身份证号", "所在车间", "所在小组",
              "入会时间", "联系电话", "政治面貌", "学历", "备注"])
for i in range(rows):
    group = groups[i % len(groups)]
    born = date(1960, 1, 1) + timedelta(days=i % 14000)
    first17 = f"370802{born:%Y%m%d}{i // 14000:03d}"
    sheet.append([i + 1, f"9{i:06d}", "测试会员" + str(i), "男" if int(first17[16]) % 2 else "女",
                  "汉族", first17 + check_digit(first17), group.workshop.name, group.name,
                  "2014.06", f"139{i:08d}", "群众", "大学本科", ""])
book.save(path)


def measure(step):
    tracemalloc.start()
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, seconds, peak


def read_only():
    with open(path, "rb") as handle:
        sheet = member_import_read(handle, "roster.xlsx")
        return sum(1 for _ in sheet.rows)


def plan():
    with open(path, "rb") as handle:
        return member_import_plan(sheet=member_import_read(handle, "roster.xlsx"), by=None)


result = {"rows": rows}
if "--read" in sys.argv:
    _, result["read_s"], peak = measure(read_only)
    result["read_mb"] = peak / 2**20
checked, result["plan_s"], peak = measure(plan)
result["plan_mb"] = peak / 2**20
assert checked.ok and len(checked.creates) == rows, list(checked.errors)[:3]
if "--apply" in sys.argv:
    from django.db import transaction

    class Undo(Exception):
        pass

    try:  # rolled back: the command is measured next on the same database
        with transaction.atomic():
            started = time.perf_counter()
            member_import_apply(plan=checked, by=None)
            result["apply_s"] = time.perf_counter() - started
            raise Undo
    except Undo:
        pass
print("RESULT " + json.dumps(result))
"""

# `import_members` as the operator runs it, in a process of its own: time and peak RSS.
# The outer transaction is rolled back so that the database is as before.
COMMAND = r"""
import json, resource, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import transaction
from groups.models import Member


class Undo(Exception):
    pass


try:
    with transaction.atomic():
        before = Member.objects.count()
        started = time.perf_counter()
        call_command("import_members", sys.argv[1])
        seconds = time.perf_counter() - started
        created = Member.objects.count() - before
        raise Undo
except Undo:
    pass
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
print("RESULT " + json.dumps({"command_s": seconds, "command_rss_mb": peak / 2**20,
                              "created": created}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--read-alone", action="store_true", help="also measure reading without checking"
    )
    parser.add_argument(
        "--apply-all", action="store_true", help="also apply the preview's plan (slow)"
    )
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="unionhome-import-bench-"))
    results = []
    for rows in SIZES:
        url = options.database_url or f"sqlite:///{work}/import-{rows}.sqlite3"
        env = environment(url, str(work / "static"), str(work / "media"))
        fresh_database(url)
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        steps = ["--read"] if options.read_alone else []
        if options.apply_all:
            steps.append("--apply")
        out = subprocess.run(
            [PYTHON, "-c", HARNESS, str(rows), str(work / f"roster-{rows}.xlsx"), *steps],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        result = json.loads(out.split("RESULT ", 1)[1])
        out = subprocess.run(
            [PYTHON, "-c", COMMAND, str(work / f"roster-{rows}.xlsx")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        result.update(json.loads(out.split("RESULT ", 1)[1]))
        assert result["created"] == rows, result
        result["file_kb"] = (work / f"roster-{rows}.xlsx").stat().st_size / 1024
        results.append(result)
        print(result)
    host = machine()
    database = "PostgreSQL" if (options.database_url or "").startswith("postgres") else "SQLite"
    lines = [
        f"## Member import ({database})",
        "",
        f"Measured {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on {host['cpu']}, "
        f"{host['cores']} cores, Python {host['python']}, by `bench/import_memory.py`. "
        "`import_members`: the command in a process of its own, checking and writing a "
        "chunk at a time; its peak is the process's RSS (getrusage), Django included. "
        "Preview check and read alone: Python's own allocations (tracemalloc), whose time "
        "runs under tracemalloc, which slows it several times; the preview keeps every "
        "row's checked values for the page.",
        "",
        "| rows | file | import_members (time, peak RSS) | preview check (time, peak) "
        "| read alone (time, peak) | import of the preview's plan |",
        "| ---: | ---: | --- | --- | --- | --- |",
    ]

    def cell(r, step, unit="MB"):
        if f"{step}_s" not in r:
            return "—"
        memory = f", {r[f'{step}_mb']:.1f} {unit}" if f"{step}_mb" in r else ""
        return f"{r[f'{step}_s']:.1f} s{memory}"

    for r in results:
        command = f"{r['command_s']:.1f} s, {r['command_rss_mb']:.0f} MB"
        lines.append(
            f"| {r['rows']:,} | {r['file_kb']:,.0f} KB | {command} | {cell(r, 'plan')} | "
            f"{cell(r, 'read')} | {cell(r, 'apply')} |"
        )
    text = "\n".join(lines)
    print(text)
    write_report(ROOT / "docs" / "benchmarks.md", f"import-{database.lower()}", text)


if __name__ == "__main__":
    main()
