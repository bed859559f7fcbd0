"""Daily digests of the to-do lists: e-mail to each user, and a 企业微信 / 钉钉 group
robot per workshop union (or HQ). A failing channel is logged and tried again at the next
run; it never stops the others."""

import json
import logging
import urllib.request
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scoping import user_workshops
from unionhome.dates import day_label
from unionhome.extensions import todo_items

from .models import ReminderChannel, ReminderDelivery
from .webhooks import posting_problem

logger = logging.getLogger(__name__)
TIMEOUT = 10


def digest_lines(items, base_url: str) -> list[str]:
    return [f"· {label}：{count}  {base_url}{url}" for label, count, url in items]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A robot's answer is never followed elsewhere (into the server's own network)."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _post_json(url: str, payload: dict) -> None:
    problem = posting_problem(url)
    if problem:
        raise RuntimeError(problem)
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with _opener.open(request, timeout=TIMEOUT) as response:
        body = response.read().decode("utf-8", "replace")
    # Both robots answer HTTP 200 with an error code in the body when they refuse.
    try:
        answer = json.loads(body or "{}")
    except ValueError:
        return
    if answer.get("errcode", 0) not in (0, None):
        raise RuntimeError(f"robot answered {answer.get('errcode')}: {answer.get('errmsg')}")


def robot_payload(kind: str, title: str, lines: list[str]) -> dict:
    text = "\n".join([f"**{title}**", *lines])
    if kind == ReminderChannel.Kind.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    return {"msgtype": "markdown", "markdown": {"content": text}}


def _attempt(delivery: ReminderDelivery, send) -> bool:
    delivery.attempts += 1
    try:
        send()
    except Exception as error:  # a broken channel of any kind must not stop the others
        delivery.sent = False
        delivery.error = f"{type(error).__name__}: {error}"[:300]
        logger.warning("reminder to %s failed: %s", delivery, delivery.error)
    else:
        delivery.sent = True
        delivery.error = ""
    delivery.save()
    return delivery.sent


def send_reminders(*, day: date | None = None, base_url: str = "") -> dict:
    """Send today's digests that have not gone out yet; return what happened."""
    day = day or timezone.localdate()
    base_url = base_url or settings.UNIONHOME.get("BASE_URL", "")
    report = {"emails": 0, "robots": 0, "failed": 0, "skipped": 0}
    per_workshop: dict[int | None, list[str]] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for user in User.objects.filter(is_active=True, role_assignments__isnull=False).distinct():
            items = todo_items(user)
            if not items:
                continue
            lines = digest_lines(items, base_url)
            # Each workshop union's robot gets the lines of the people working in it; the
            # HQ robot (no workshop union) those of the people who work organisation-wide.
            for key in user_workshops(user) or [None]:
                per_workshop.setdefault(key, []).extend([f"{user.name}：", *lines])
            if not user.email:
                continue
            delivery, _created = ReminderDelivery.objects.get_or_create(day=day, user=user)
            if delivery.sent:
                report["skipped"] += 1
                continue
            subject = _("Union work waiting for you (%(day)s)") % {"day": day_label(day)}
            ok = _attempt(
                delivery,
                lambda u=user, lines=lines, subject=subject: send_mail(
                    subject, "\n".join(lines), None, [u.email]
                ),
            )
            report["emails" if ok else "failed"] += 1
        for channel in ReminderChannel.objects.filter(is_active=True):
            lines = per_workshop.get(channel.workshop_id)
            if not lines:
                continue
            delivery, _created = ReminderDelivery.objects.get_or_create(day=day, channel=channel)
            if delivery.sent:
                report["skipped"] += 1
                continue
            title = _("To-do of %(who)s, %(day)s") % {
                "who": channel.workshop or _("union HQ"),
                "day": day_label(day),
            }
            payload = robot_payload(channel.kind, title, lines)
            ok = _attempt(delivery, lambda c=channel, p=payload: _post_json(c.url, p))
            report["robots" if ok else "failed"] += 1
    return report
