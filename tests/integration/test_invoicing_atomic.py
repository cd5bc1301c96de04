"""A negative invoice (an estimate reconciled downwards) and its ledger credit are written
in the one transaction that issues it: all or nothing, and a replay writes both once."""

from __future__ import annotations

from datetime import date

import pytest

from tests.integration.invoicing_helpers import invoices_of, load_tariffs, put_reading

ISSUED = date(2026, 12, 2)


class WorkerDied(BaseException):
    """The Lambda stopped right after the transaction (not an ``Exception``: nothing
    catches it)."""


@pytest.fixture
def overestimated(world):
    """October billed on an estimate; the November reading is far below it, so the
    November invoice is negative."""
    from chalicelib.services import invoicing

    w = world
    load_tariffs()
    serial, contract = w.meters["other_power"], w.contracts["other_power"]
    put_reading(serial, w.other_individual, contract, "2026-08-31", total="4700")
    put_reading(serial, w.other_individual, contract, "2026-09-30", total="5000")
    assert invoicing.issue(
        w.other_individual, contract, "2026-10", ISSUED, deliver=False
    ).status == ("issued")
    put_reading(serial, w.other_individual, contract, "2026-11-30", total="5001")
    return w


def _credits(customer_no: str) -> list:
    from chalicelib.store.ledger import ledger_entries

    return [e for e in ledger_entries(customer_no) if e.kind == "correction"]


def _november(customer_no: str) -> list:
    return [i for i in invoices_of(customer_no) if i.period == "2026-11"]


def test_failed_transaction_writes_neither_invoice_nor_credit_and_replay_writes_both(
    overestimated,
) -> None:
    from chalicelib.domain import clock
    from chalicelib.domain import invoices as rules
    from chalicelib.services import invoicing
    from chalicelib.store import ledger as ledger_store

    w = overestimated
    customer, contract = w.other_individual, w.contracts["other_power"]
    balance_before = int(ledger_store.get_balance(customer).balance_grosze)
    # A stray item where the credit goes cancels the issuing transaction.
    number = rules.invoice_number("FE", ISSUED, 2)
    stray = ledger_store.new_entry(
        customer, "correction", number, -1, now=clock.now_iso(), value_date="2026-12-02"
    )
    stray.save()
    with pytest.raises(Exception, match="(?i)transact|cancel"):
        invoicing.issue(customer, contract, "2026-11", ISSUED, deliver=False)
    assert _november(customer) == []
    assert [e.amount_grosze for e in _credits(customer)] == [-1]  # only the stray
    assert int(ledger_store.get_balance(customer).balance_grosze) == balance_before

    stray.delete()
    invoicing.reset_counters()
    outcome = invoicing.issue(customer, contract, "2026-11", ISSUED, deliver=False)
    assert outcome.status == "issued"
    (inv,) = _november(customer)
    assert inv.number == number and int(inv.gross) < 0
    (credit,) = _credits(customer)
    assert credit.ref == inv.number and int(credit.amount_grosze) == int(inv.gross)
    assert int(ledger_store.get_balance(customer).balance_grosze) == balance_before + int(inv.gross)
    # A replay (the SQS message again) creates nothing and books nothing.
    again = invoicing.issue(customer, contract, "2026-11", ISSUED, deliver=False)
    assert again.status == "exists"
    assert len(_november(customer)) == 1 and len(_credits(customer)) == 1


def test_crash_after_the_transaction_keeps_the_credit_and_replay_books_it_once(
    overestimated, monkeypatch
) -> None:
    from chalicelib.services import invoicing
    from chalicelib.store import ledger as ledger_store

    w = overestimated
    customer, contract = w.other_individual, w.contracts["other_power"]
    balance_before = int(ledger_store.get_balance(customer).balance_grosze)

    def die(inv, corrected=None):  # type: ignore[no-untyped-def]
        raise WorkerDied()

    monkeypatch.setattr(invoicing, "render_pdf", die)
    with pytest.raises(WorkerDied):
        invoicing.issue(customer, contract, "2026-11", ISSUED, deliver=False)
    (inv,) = _november(customer)
    assert int(inv.gross) < 0
    (credit,) = _credits(customer)
    assert credit.ref == inv.number and int(credit.amount_grosze) == int(inv.gross)

    monkeypatch.undo()
    invoicing.reset_counters()
    assert invoicing.issue(customer, contract, "2026-11", ISSUED, deliver=False).status == "exists"
    assert len(_november(customer)) == 1 and len(_credits(customer)) == 1
    assert int(ledger_store.get_balance(customer).balance_grosze) == balance_before + int(inv.gross)
