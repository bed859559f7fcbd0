"""WelfareCase.fund (a funds.Fund) replaces the fund_source choice, mapped by code (a case
approved without one came from the old 帮扶资金); every case already paid gets its money
into a closed payment batch of its fund, one per fund and month, closed on the month's last
payment day, so that the funds' ledger holds the past as the cases do."""

import django.db.models.deletion
from django.db import migrations, models


def map_funds(apps, schema_editor):
    Fund = apps.get_model("funds", "Fund")
    funds = {f.code: f.pk for f in Fund.objects.all()}
    for model in ("WelfareCase", "HistoricalWelfareCase"):
        cases = apps.get_model("welfare", model).objects
        for code, pk in funds.items():
            cases.filter(fund_source=code).update(fund_id=pk)
        cases.filter(fund_id__isnull=True, amount_approved__isnull=False).update(
            fund_id=funds["assistance_fund"]
        )


def unmap_funds(apps, schema_editor):
    for model in ("WelfareCase", "HistoricalWelfareCase"):
        cases = apps.get_model("welfare", model).objects
        for case in cases.filter(fund__isnull=False).select_related("fund"):
            cases.filter(pk=case.pk).update(fund_source=case.fund.code)


def batch_past_payments(apps, schema_editor):
    WelfareCase = apps.get_model("welfare", "WelfareCase")
    PaymentBatch = apps.get_model("funds", "PaymentBatch")
    PaymentLine = apps.get_model("funds", "PaymentLine")
    paid = (
        WelfareCase.objects.filter(paid_on__isnull=False, payment_line__isnull=True)
        .select_related("member__group", "case_type")
        .order_by("paid_on", "pk")
    )
    groups = {}
    for case in paid:
        groups.setdefault((case.fund_id, case.paid_on.year, case.paid_on.month), []).append(case)
    numbers = {}
    for (fund_id, year, month), cases in sorted(groups.items()):
        if year not in numbers:
            last = (
                PaymentBatch.objects.filter(number__startswith=f"FF{year}-")
                .order_by("-number")
                .values_list("number", flat=True)
                .first()
            )
            numbers[year] = int(last.rsplit("-", 1)[1]) if last else 0
        numbers[year] += 1
        batch = PaymentBatch.objects.create(
            number=f"FF{year}-{numbers[year]:04d}",
            fund_id=fund_id,
            year=year,
            method="cash" if all(c.payment_method == "cash" for c in cases) else "bank",
            title=f"{year}年{month}月帮扶救助发放（系统升级前的记录）",
            status="closed",
            closed_on=max(c.paid_on for c in cases),
            bank_reference="；".join(sorted({c.voucher_no for c in cases if c.voucher_no}))[:60],
        )
        for case in cases:
            line = PaymentLine.objects.create(
                batch=batch,
                member_id=case.member_id,
                workshop_id=case.member.group.workshop_id,
                group_name=case.member.group.name,
                amount=case.amount_paid,
                kind="case",
                category=case.case_type.name,
                reference=case.number,
            )
            WelfareCase.objects.filter(pk=case.pk).update(payment_line=line)



class Migration(migrations.Migration):

    dependencies = [
        ('funds', '0002_seed_funds_and_layout'),
        ('welfare', '0006_seed_case_rules'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalwelfarecase',
            name='fund',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funds.fund', verbose_name='fund source'),
        ),
        migrations.AddField(
            model_name='historicalwelfarecase',
            name='payment_line',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funds.paymentline', verbose_name='payment line'),
        ),
        migrations.AddField(
            model_name='welfarecase',
            name='fund',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='welfare_cases', to='funds.fund', verbose_name='fund source'),
        ),
        migrations.AddField(
            model_name='welfarecase',
            name='payment_line',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='welfare_case', to='funds.paymentline', verbose_name='payment line'),
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='step',
            field=models.CharField(choices=[('applied', 'Applied'), ('edited', 'Edited the application'), ('workshop_reviewed', 'Workshop review passed'), ('approved', 'Approved by the union'), ('paid', 'Paid'), ('archived', 'Archived'), ('rejected', 'Rejected'), ('document', 'Document added'), ('checked', 'Paper document received'), ('waived', 'Paper to follow later'), ('objection', 'Objection to the notice received'), ('answered', 'Objection answered'), ('batched', 'Put into a payment batch'), ('unbatched', 'Taken out of the payment batch')], max_length=20, verbose_name='step'),
        ),
        migrations.RunPython(map_funds, unmap_funds),
        migrations.RunPython(batch_past_payments, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='historicalwelfarecase',
            name='fund_source',
        ),
        migrations.RemoveField(
            model_name='welfarecase',
            name='fund_source',
        ),
    ]
