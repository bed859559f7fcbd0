"""Words with two meanings: each meaning has its own translation context, and the pages of
one subject never borrow the other's word (an assessment level is 考核等次, a family's
hardship level 困难类别; naming a small home is 命名, a person's name 姓名)."""

import re
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent

# msgid → {context (None: none): the Chinese it must read as}
MEANINGS = {
    "level": {"assessment": "考核等次"},
    "Level": {"assessment": "考核等次"},
    "Name": {"give a title": "命名", None: "姓名"},
    "name": {"thing": "名称", None: "姓名"},
    "title": {"small home title": "称号", None: "标题"},
    "Title": {"small home title": "称号", None: "标题"},
    "Details": {"link to the full page": "查看详情", None: "基本信息"},
    "Approved": {"plan": "已批准", None: "已通过"},
    "small home": {"after a title": "职工小家", None: "小家"},
    "Qualified": {"small home title": "合格"},
    "Steps": {"scoring rule": "分档计分", "actions": "操作", None: "流程记录"},
    "Organiser": {"activity": "组织人", None: "组织员"},
}


@pytest.mark.parametrize("msgid", sorted(MEANINGS))
def test_each_meaning_reads_as_its_context_requires(msgid):
    with translation.override("zh-hans"):
        for context, chinese in MEANINGS[msgid].items():
            got = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            assert got == chinese, (context, msgid, got)


# In these apps "level" is an assessment's level and "Name" the act of naming: the bare
# message ids (a hardship level, a person's name) must not appear there.
SUBJECTS = ["scoring", "homes", "dashboard"]
BARE = re.compile(
    r"""(?:\{%\s*translate\s+|\b_\(\s*|gettext(?:_lazy)?\(\s*)["'](level|Level|Name)["']\s*(?:%\}|\))"""
)


def test_assessment_and_small_home_code_never_uses_the_bare_ambiguous_words():
    found = []
    for app in SUBJECTS:
        for path in (ROOT / app).rglob("*"):
            if path.suffix in {".py", ".html"} and "migrations" not in path.parts:
                for match in BARE.finditer(path.read_text(encoding="utf-8")):
                    found.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert found == []
