"""The demo data: one customer in arrears, one overpaid, a statement with matched and
unmatched credits, online payments; seeding the sample statement again changes nothing."""

from __future__ import annotations

from chalicelib.domain import clock
from chalicelib.services import statements
from chalicelib.store import ledger as store
from devstack import seed_customers, seed_payments
from tests.integration.payments_support import assert_balance_consistent, ledger_snapshot
from tests.support import demo_context


def test_demo_balances(aws) -> None:
    from chalicelib.domain import ledger as rules

    ctx = demo_context(aws)
    seed_customers.seed(ctx)
    seed_payments.seed(ctx)
    summary = {
        no: rules.summary(store.get_balance(no).state(), clock.to_warsaw(clock.now()).date())
        for no in ("100001", "100002", "100003", "200001", "200002")
    }
    assert summary["100001"].arrears == 18_450
    assert summary["100002"].overpayment > 0
    assert (
        summary["100003"].next_due_date is not None and summary["100003"].balance == 9_620 - 5_000
    )
    assert summary["200001"].arrears == 1_245_000 - 500_000
    assert summary["200002"].balance == 0
    assert {e.ref for e in store.suspense_entries()} == {"DEMO-2026-0004", "DEMO-2026-0005"}
    for no in summary:
        assert_balance_consistent(no)
    before = {no: ledger_snapshot(no) for no in summary}
    again = statements.import_file(seed_payments.SAMPLE.read_bytes(), "again")
    assert again["booked"] == 0 and again["duplicates"] == 5
    assert {no: ledger_snapshot(no) for no in summary} == before
