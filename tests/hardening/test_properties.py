"""Property-based tests: random input never crashes the import, the scoring rules, the
ballot lookup or the identity number check."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from groups.idnumbers import validate_id_number
from groups.imports import member_import_plan, member_import_read
from scoring.engine import rule_fraction
from tests.spreadsheets import HEADERS, csv_bytes, xlsx_bytes
from unionhome.tabular import TableReadError

cells = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 1, 1)),
    st.sampled_from(
        [
            "男",
            "女",
            "是",
            "否",
            "锅炉车间",
            "运行一班",
            "=1+1",
            "1990-02-30",
            "19900230",
            "1990年2月3日",
            "\x00",
            "\u3000",
            "13900000000",
        ]
    ),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=len(HEADERS) + 2), max_size=15)
SLOW = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SLOW
@given(rows=rows)
def test_any_spreadsheet_rows_give_a_plan_or_row_errors(org, hq, rows):
    """Whatever the cells, the import answers with a plan; it never raises."""
    # A workbook cannot hold control characters; CSV files bring those (next test).
    rows = [
        [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row] for row in rows
    ]
    content = xlsx_bytes(rows)
    plan = member_import_plan(sheet=member_import_read(io.BytesIO(content), "m.xlsx"), by=hq)
    for error in plan.errors:
        assert error.row >= 1 and error.message
    assert len(plan.creates) + len(plan.updates) + plan.unchanged <= plan.rows_read


@SLOW
@given(data=st.binary(max_size=2000))
def test_any_bytes_as_a_csv_are_read_or_refused_cleanly(org, hq, data):
    try:  # a CSV is read line by line: a bad line may come while the rows are checked
        member_import_plan(sheet=member_import_read(io.BytesIO(data), "m.csv"), by=hq)
    except TableReadError:
        return


@SLOW
@given(text=st.text(max_size=300))
def test_any_text_csv_in_gbk_or_utf8(org, hq, text):
    for encoding in ("utf-8", "gb18030"):
        content = csv_bytes(
            [[text, text, "男", None, None, None, "锅炉车间", "运行一班"]], encoding=encoding
        )
        try:
            member_import_plan(sheet=member_import_read(io.BytesIO(content), "m.csv"), by=hq)
        except TableReadError:
            continue


numbers = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.decimals(
        min_value=-(10**6), max_value=10**6, allow_nan=False, allow_infinity=False, places=4
    ),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
)
positive = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("10000"), places=4)


@settings(max_examples=300, deadline=None)
@given(
    value=numbers,
    target=positive,
    gap=positive,
    missing=st.sampled_from(["zero", "full"]),
    steps=st.lists(
        st.tuples(st.decimals(0, 1000, places=2), st.decimals(0, 1, places=2)), max_size=5
    ),
    rule=st.sampled_from(["linear", "linear_down", "steps"]),
    kind=st.sampled_from(["computed", "manual"]),
)
def test_every_rule_gives_a_share_between_zero_and_one(
    value, target, gap, missing, steps, rule, kind
):
    indicator = {
        "kind": kind,
        "rule": rule,
        "when_missing": missing,
        "target": str(target),
        "limit": str(target + gap),
        "steps": [[str(a), str(b)] for a, b in steps],
    }
    share = rule_fraction(indicator, value)
    assert Decimal(0) <= share <= Decimal(1)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=40))
def test_any_identity_number_is_accepted_or_refused_with_a_reason(text):
    try:
        validate_id_number(text)
    except ValidationError as error:
        assert error.messages


@SLOW
@given(code=st.text(max_size=40))
def test_any_ballot_code_gets_a_page_never_an_error(db, client, code):
    from urllib.parse import quote

    response = client.get("/b/" + quote(code.replace("/", ""), safe="") + "/")
    assert response.status_code in (404, 200, 301, 302)


@pytest.mark.parametrize("when", [datetime(2026, 1, 2, 3, 4), date(2026, 1, 2)])
def test_date_cells_of_any_kind_are_read(org, hq, when):
    from tests.spreadsheets import member_row

    row = member_row("82001", birth=when, joined=None)
    sheet = member_import_read(io.BytesIO(xlsx_bytes([row])), "m.xlsx")
    plan = member_import_plan(sheet=sheet, by=hq)
    assert plan.ok and plan.creates[0].values["birth_date"] == date(2026, 1, 2)
