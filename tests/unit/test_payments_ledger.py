"""Ledger math: allocation to the oldest open invoices, statuses, credit, corrections, refunds."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain import ledger as rules
from chalicelib.domain.ledger import AccountState, OpenInvoice


def inv(no: str, due: str, gross: int, paid: int = 0, issue: str = "2026-01-01") -> OpenInvoice:
    return OpenInvoice(no, issue, due, gross, paid)


JAN = inv("FV/1", "2026-01-20", 10_000)
FEB = inv("FV/2", "2026-02-20", 20_000)
MAR = inv("FV/3", "2026-03-20", 30_000)
STATE = AccountState((MAR, JAN, FEB))  # any order in, oldest first out


def test_payment_goes_to_the_oldest_open_invoices_first() -> None:
    out = rules.credit(STATE, 25_000)
    assert [(a.invoice_no, a.amount) for a in out.allocations] == [
        ("FV/1", 10_000),
        ("FV/2", 15_000),
    ]
    assert [(i.invoice_no, i.paid) for i in out.state.open] == [("FV/2", 15_000), ("FV/3", 0)]
    assert out.state.balance == 60_000 - 25_000
    assert out.state.unapplied == 0


def test_named_invoices_are_paid_first() -> None:
    out = rules.credit(STATE, 30_000, preferred=["FV/3"])
    assert [(a.invoice_no, a.amount) for a in out.allocations] == [("FV/3", 30_000)]
    assert [i.invoice_no for i in out.state.open] == ["FV/1", "FV/2"]


def test_payment_above_the_debt_becomes_overpayment() -> None:
    out = rules.credit(STATE, 70_000)
    assert out.state.open == ()
    assert out.state.unapplied == 10_000
    assert out.state.balance == -10_000 and out.state.overpayment == 10_000


def test_credit_is_set_against_a_new_invoice() -> None:
    paid_ahead = rules.credit(AccountState(), 5_000).state
    with_invoice = rules.add_invoice(paid_ahead, inv("FV/9", "2026-05-20", 12_000))
    settled = rules.settle(with_invoice)
    assert [(a.invoice_no, a.amount) for a in settled.allocations] == [("FV/9", 5_000)]
    assert settled.state.unapplied == 0
    assert settled.state.open[0].paid == 5_000 and settled.state.balance == 7_000


@pytest.mark.parametrize(
    ("paid", "today", "status"),
    [
        (0, "2026-01-20", rules.UNPAID),
        (4_000, "2026-01-20", rules.PARTIALLY_PAID),
        (0, "2026-01-21", rules.OVERDUE),
        (4_000, "2026-01-21", rules.OVERDUE),
        (10_000, "2026-03-01", rules.PAID),
    ],
)
def test_invoice_status(paid: int, today: str, status: str) -> None:
    assert inv("FV/1", "2026-01-20", 10_000, paid).status(date.fromisoformat(today)) == status


def test_summary_shows_arrears_overpayment_and_next_due_date() -> None:
    s = rules.summary(rules.credit(STATE, 12_000).state, date(2026, 2, 25))
    assert s.arrears == 18_000  # FV/2 overdue, 2 000 of it paid
    assert s.next_due_date == "2026-03-20" and s.next_due_amount == 30_000
    assert s.balance == 48_000 and s.overpayment == 0
    paid_ahead = rules.summary(AccountState((), 3_000), date(2026, 2, 25))
    assert paid_ahead.balance == -3_000 and paid_ahead.overpayment == 3_000
    assert paid_ahead.next_due_date is None and paid_ahead.arrears == 0


def test_correction_lowers_the_named_invoice_and_the_rest_is_credit() -> None:
    out = rules.correct(STATE, 12_000, "FV/2")
    assert [(a.invoice_no, a.amount) for a in out.allocations] == [("FV/2", 12_000)]
    assert {i.invoice_no: i.gross for i in out.state.open}["FV/2"] == 8_000
    over = rules.correct(AccountState((JAN,)), 15_000, "FV/1")
    assert over.state.open == () and over.state.unapplied == 5_000


def test_refund_never_exceeds_the_overpayment() -> None:
    state = AccountState((), 5_000)
    assert rules.refund(state, 2_000).unapplied == 3_000
    with pytest.raises(ValueError):
        rules.refund(state, 5_001)
    with pytest.raises(ValueError):
        rules.refund(AccountState((JAN,), 0), 1)


def test_money_is_conserved_over_many_operations() -> None:
    state = AccountState()
    debits = credits = 0
    for n in range(1, 40):
        if n % 3:
            state = rules.add_invoice(state, inv(f"FV/{n}", f"2026-{1 + n % 12:02d}-15", 1_000 * n))
            debits += 1_000 * n
        else:
            state = rules.credit(state, 777 * n).state
            credits += 777 * n
        assert state.balance == debits - credits
        assert all(i.outstanding > 0 for i in state.open)


def test_reminder_stages_are_reached_after_the_due_date() -> None:
    assert rules.reminder_stage("2026-01-20", date(2026, 1, 26)) is None
    assert rules.reminder_stage("2026-01-20", date(2026, 1, 27)) == 7
    assert rules.reminder_stage("2026-01-20", date(2026, 2, 10)) == 21
    due = rules.reminders_due(AccountState((JAN, FEB)), date(2026, 2, 10))
    assert [(i.invoice_no, s) for i, s in due] == [("FV/1", 21)]


def test_bad_amounts_are_refused() -> None:
    with pytest.raises(ValueError):
        rules.credit(STATE, 0)
    with pytest.raises(ValueError):
        rules.correct(STATE, -5)
    with pytest.raises(ValueError):
        rules.add_invoice(STATE, JAN)
