"""The kinds of background job the apps offer, and what a job's runner returns.

An app registers a runner in `<app>/background.py` (the jobs app imports that module of
every installed app when it is ready):

    @job_kind("groups.member_export", _("Member export"))
    def member_export(job, progress) -> JobFile:
        ...
        progress(done, total)  # as often as it likes: written at most about once a second
        return JobFile(name="会员名册.xlsx", content=data)

The runner reads `job.params` (plain JSON the page that started it stored) and `job.user`,
and re-checks what that user may read through the querysets' `restrict(job.user, …)`: the
user's roles may have changed since the job was queued. It raises `JobError(message)` for
a failure the user can act on (the message is shown as it is); any other exception fails
the job with a generic message, and its traceback goes to the log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass
class JobFile:
    """The file a job made: `content` as bytes, or `path`, a temporary file the job moves
    into storage. `name` is what the user's browser saves it as (Chinese welcome)."""

    name: str
    content: bytes | None = None
    path: str | None = None


class JobError(Exception):
    """A failure the user can act on: `message` is shown on the job's page as it is,
    `details` (the rows of an import with their problems …) listed below it."""

    def __init__(self, message, details=()):
        super().__init__(str(message))
        self.message = str(message)
        self.details = [str(line) for line in details]


Progress = Callable[[int, int], None]
Runner = Callable[..., JobFile | None]


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    runner: Runner


_kinds: dict[str, JobKind] = {}


def job_kind(name: str, label) -> Callable[[Runner], Runner]:
    """Register `runner(job, progress) -> JobFile | None` as the job kind `name` (an app's
    label, a dot, a word: "binders.workshop"). A runner that makes no file (an import)
    returns None, and may set `job.message` to the summary shown when it is done."""

    def register(runner: Runner) -> Runner:
        _kinds[name] = JobKind(name, label, runner)
        return runner

    return register


def get_kind(name: str) -> JobKind:
    """The registered kind; LookupError for a name no installed app registers."""
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"no job kind {name!r} is registered") from None


def kind_label(name: str) -> str:
    found = _kinds.get(name)
    return str(found.label) if found else name


def autodiscover() -> None:
    """Import `background.py` of every installed app, so that its kinds are registered."""
    autodiscover_modules("background")
