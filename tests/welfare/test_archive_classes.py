"""Hardship classes as data, the family members' table, the income test against the 低保
line, and one identity number on one open archive entry."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import today
from tests.welfare.test_archive_and_care import family_rows
from welfare import services
from welfare.models import HardshipClass, HardshipRecord, PovertyLine

ID = "11010519491231002X"


def household(*incomes):
    return [
        {"name": f"成员{i}", "relation": "本人" if i == 0 else "子女", "monthly_income": value}
        for i, value in enumerate(incomes)
    ]


def open_with(by, member, klass="relative_hardship", family=None, **extra):
    return services.hardship_open(
        by=by,
        member=member,
        hardship_class=klass,
        household_situation="配偶患病",
        causes=["illness"],
        family=family if family is not None else household("2000", "900", "0"),
        opened_on=date(2026, 3, 1),
        **extra,
    )


def test_the_classes_are_seeded_with_the_old_ones_kept_as_not_current(db):
    rows = list(HardshipClass.objects.values_list("code", "name", "income_multiple", "is_current"))
    assert rows == [
        ("deep_hardship", "深度困难", Decimal("1.00"), True),
        ("relative_hardship", "相对困难", Decimal("2.00"), True),
        ("accident_hardship", "意外致困", None, True),
        ("severe", "特困", Decimal("1.00"), False),
        ("hardship", "困难", Decimal("1.50"), False),
    ]
    assert PovertyLine.objects.get(year=2026).monthly_amount == Decimal("1000.00")


def test_an_old_class_cannot_be_chosen_for_a_new_entry(org, workshop_a, english):
    with pytest.raises(ValidationError) as error:
        open_with(workshop_a, org.members["A1"][0], klass="severe")
    assert error.value.message_dict == {"hardship_class": ["This class is no longer used."]}


def test_household_size_and_income_come_from_the_family_table(org, workshop_a):
    # 2,000 + 900 + 0 = 2,900 a month for 3 people: 966.67 each (half up).
    record = open_with(workshop_a, org.members["A1"][0])
    assert (record.household_size, record.household_income) == (3, Decimal("2900.00"))
    assert record.income_per_person == Decimal("966.67")
    assert [p.name for p in record.family.all()] == ["成员0", "成员1", "成员2"]
    # 相对困难: at most 2 × the 2026 line of ¥1,000 = ¥2,000 per person.
    test = record.income_test()
    assert (test.per_person, test.standard, test.meets) == (
        Decimal("966.67"),
        Decimal("2000.00"),
        True,
    )
    # 7,000 / 2 = 3,500 > 2,000: above the standard, refused with both figures.
    with pytest.raises(ValidationError) as refused:
        services.hardship_update(record=record, by=workshop_a, family=household("6000", "1000"))
    assert "¥3,500.00" in refused.value.messages[0] and "¥2,000.00" in refused.value.messages[0]
    record.refresh_from_db()
    assert record.household_size == 3
    # Entering a household above the class's standard is refused in the same words.
    with pytest.raises(ValidationError) as refused:
        open_with(workshop_a, org.members["A1"][1], family=household("6000", "1000"))
    assert "¥3,500.00" in refused.value.message_dict["hardship_class"][0]


def test_no_income_test_for_a_class_without_one(org, workshop_a):
    record = open_with(workshop_a, org.members["A1"][0], klass="accident_hardship")
    assert record.income_test() is None


def test_an_empty_household_is_refused(org, workshop_a, english):
    with pytest.raises(ValidationError) as error:
        open_with(workshop_a, org.members["A1"][0], family=[])
    assert "List the household's members" in error.value.messages[0]


def test_one_identity_number_on_one_open_entry(org, workshop_a, english):
    open_with(workshop_a, org.members["A1"][0], id_number=ID)
    with pytest.raises(ValidationError) as error:
        open_with(workshop_a, org.members["A1"][1], id_number=ID)
    assert error.value.message_dict["id_number"] == [
        "This identity number is already on the open archive entry of another member "
        f"({org.a.name}); one person is in the archive once."
    ]


def test_the_database_holds_the_identity_number_rule(org, workshop_a):
    first = open_with(workshop_a, org.members["A1"][0], id_number=ID)
    second = open_with(workshop_a, org.members["A1"][1])
    with pytest.raises(IntegrityError), transaction.atomic():
        HardshipRecord.objects.filter(pk=second.pk).update(id_number=ID)
    # A number on an entry that left the archive may come back on a new one; empty ones
    # never clash.
    services.hardship_exit(record=first, by=workshop_a, exited_on=today(), reason="脱困")
    HardshipRecord.objects.filter(pk=second.pk).update(id_number=ID)
    open_with(workshop_a, org.members["A1"][2])


def test_the_form_says_so_next_to_the_identity_number(org, workshop_a, login_en):
    open_with(workshop_a, org.members["A1"][0], id_number=ID)
    member = org.members["A1"][1]
    response = login_en(workshop_a).post(
        reverse("welfare:archive_create") + f"?member={member.pk}",
        {
            "hardship_class": HardshipClass.objects.get(code="deep_hardship").pk,
            "id_number": ID,
            "causes": ["illness"],
            "household_situation": "情况",
            "opened_on": today().isoformat(),
            **family_rows((member.name, "本人", "800")),
        },
    )
    assert response.status_code == 200
    assert "already on the open archive entry" in response.context["form"].errors["id_number"][0]


def test_the_archive_page_shows_the_family_and_the_standard(org, workshop_a, login):
    record = open_with(workshop_a, org.members["A1"][0])
    response = login(workshop_a).get(reverse("welfare:archive_detail", args=[record.pk]))
    page = response.content.decode()
    assert "成员1" in page and "¥966.67" in page and "¥2,000.00" in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_correcting_the_family_through_the_form(org, workshop_a, login):
    record = open_with(workshop_a, org.members["A1"][0])
    client = login(workshop_a)
    rows = family_rows(("甲", "本人", "1500"), ("乙", "配偶", "500"), existing=3)
    family = list(record.family.all())
    data = {
        "id_number": "",
        "causes": ["illness"],
        "household_situation": "配偶患病",
        "health": "",
        **rows,
        "family-TOTAL_FORMS": "3",
    }
    for index, person in enumerate(family):
        data[f"family-{index}-id"] = person.pk
        data[f"family-{index}-record"] = record.pk
    data.update({"family-2-name": "丙", "family-2-relation": "子女", "family-2-DELETE": "on"})
    response = client.post(reverse("welfare:archive_edit", args=[record.pk]), data)
    assert response.status_code == 302, response.context and response.context["family"].errors
    record.refresh_from_db()
    assert (record.household_size, record.household_income) == (2, Decimal("2000.00"))
