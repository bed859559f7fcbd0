"""An indicator's rule written as a union office writes it ("每月活动达到 2 次得满分 7.50 分，
不足按比例计分"), from the rubric as the scheme holds it: the rule, its numbers, the
figure's unit and the line's maximum."""

from decimal import Decimal

from django.utils.translation import gettext as _

from .engine import points


def _number(value) -> str:
    text = f"{Decimal(str(value)).normalize():f}"
    return text


def with_unit(value, unit: str) -> str:
    """A value of the figure as people say it: 85%, 2 次/月, 10 天."""
    if unit == "rate":
        return f"{_number(Decimal(str(value)) * 100)}%"
    wording = {
        "per_month": _("%(n)s a month"),
        "per_member": _("%(n)s per member"),
        "days": _("%(n)s days"),
    }.get(unit)
    return wording % {"n": _number(value)} if wording else _number(value)


def in_words(indicator: dict) -> str:
    maximum = Decimal(indicator["max_points"])
    unit = indicator.get("unit", "")
    if indicator["kind"] == "manual":
        text = _("Evaluators give 0 to %(max)s points; their mean counts.") % {"max": maximum}
    elif indicator["rule"] == "linear" and indicator.get("target"):
        text = _("%(target)s or more earns the full %(max)s points; less, its share.") % {
            "target": with_unit(indicator["target"], unit),
            "max": maximum,
        }
    elif indicator["rule"] == "linear_down" and indicator.get("target"):
        text = _(
            "%(target)s or less earns the full %(max)s points, %(limit)s or more none, "
            "in proportion between."
        ) % {
            "target": with_unit(indicator["target"], unit),
            "limit": with_unit(indicator["limit"], unit),
            "max": maximum,
        }
    elif indicator["rule"] == "steps" and indicator.get("steps"):
        steps = sorted(indicator["steps"], key=lambda step: Decimal(str(step[0])), reverse=True)
        parts = [
            _("%(value)s or more: %(points)s points")
            % {
                "value": with_unit(at_least, unit),
                "points": points(maximum * Decimal(str(share))),
            }
            for at_least, share in steps
        ]
        parts.append(_("below %(value)s: none") % {"value": with_unit(steps[-1][0], unit)})
        text = "；".join(parts) + "。"
    else:
        text = ""
    if indicator.get("when_missing") == "full":
        text += _("No data: full points.")
    return text
