"""The assistance types named in the seed, with their required documents and limits; and
database triggers that keep the access log append-only."""

from decimal import Decimal

from django.db import migrations

TYPES = [
    ("extreme_hardship", "特困职工救助", "5000",
     ["救助申请表", "身份证复印件", "家庭收入证明", "社区（村委会）困难证明"]),
    ("minimum_living", "职工最低生活保障", "3000",
     ["申请表", "身份证复印件", "家庭收入证明", "低保证复印件"]),
    ("education", "教育助学", "5000",
     ["助学申请表", "录取通知书或学籍证明", "学费收据", "家庭收入证明"]),
    ("serious_illness", "职工大病互助", "20000",
     ["互助金申请表", "诊断证明", "住院病历", "医疗费用发票", "医保结算单"]),
    ("festival", "节日慰问", "1000", ["慰问名单"]),
    ("family_visit", "家庭走访", "1000", ["走访记录"]),
    ("relief", "困难救济", "3000", ["救济申请表", "困难情况说明"]),
    ("donation", "爱心捐款", "10000", ["捐款名单及收据"]),
]

APPEND_ONLY = {
    "postgresql": [
        """CREATE OR REPLACE FUNCTION welfare_accesslog_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'the access log is append-only'; END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER welfare_accesslog_no_update BEFORE UPDATE OR DELETE ON welfare_accesslog
           FOR EACH ROW EXECUTE FUNCTION welfare_accesslog_append_only()""",
    ],
    # SQLite has no TRUNCATE: `flush` (tests, restoring a backup) empties tables with
    # DELETE, so there only rewriting is refused in the database; deleting single entries
    # is refused by the model. PostgreSQL refuses both, and TRUNCATE stays for the owner.
    "sqlite": [
        """CREATE TRIGGER welfare_accesslog_no_update BEFORE UPDATE ON welfare_accesslog
           BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
    ],
}
DROP = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS welfare_accesslog_no_update ON welfare_accesslog",
        "DROP FUNCTION IF EXISTS welfare_accesslog_append_only()",
    ],
    "sqlite": ["DROP TRIGGER IF EXISTS welfare_accesslog_no_update"],
}


def create_types(apps, schema_editor):
    CaseType = apps.get_model("welfare", "CaseType")
    RequiredDocument = apps.get_model("welfare", "RequiredDocument")
    for order, (code, name, limit, documents) in enumerate(TYPES, start=1):
        case_type, _ = CaseType.objects.update_or_create(
            code=code, defaults={"name": name, "limit": Decimal(limit), "sort_order": order}
        )
        for position, document in enumerate(documents, start=1):
            RequiredDocument.objects.get_or_create(
                case_type=case_type, name=document, defaults={"sort_order": position}
            )


def remove_types(apps, schema_editor):
    apps.get_model("welfare", "CaseType").objects.filter(
        code__in=[code for code, *_ in TYPES], cases__isnull=True
    ).delete()


def add_triggers(apps, schema_editor):
    for statement in APPEND_ONLY.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("welfare", "0001_initial")]

    operations = [
        migrations.RunPython(create_types, remove_types),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
