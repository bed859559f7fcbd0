"""Job kinds for the tests: a runner that counts, makes a file, fails as asked."""

from jobs.registry import JobError, JobFile, job_kind

COUNT = "tests.count"


@job_kind(COUNT, "Counting")
def count(job, progress):
    """params: rows (how many to count), fail ("clear", "crash", "stop"), fail_first
    (fail only on the first attempt), file (the name of the file to make)."""
    rows = job.params.get("rows", 3)
    fail = job.params.get("fail")
    if fail and not (job.params.get("fail_first") and job.attempts > 1):
        if fail == "clear":
            raise JobError("第3行工号重复", ["第3行 · 工号: 重复", "第5行 · 姓名: 缺少"])
        if fail == "stop":
            raise SystemExit(1)
        raise RuntimeError("secret internal detail")
    for done in range(1, rows + 1):
        progress(done, rows)
    name = job.params.get("file")
    if name:
        return JobFile(name=name, content=f"{rows} rows".encode())
    job.message = f"counted {rows}"
    return None
