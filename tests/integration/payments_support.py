"""Helpers shared by the payments integration tests (ledger, online, statements, notices)."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.adapters import payment_operator as gateway
from tests.support import serialise_moto  # noqa: F401  (re-exported)


def add_overdue_accounts(
    n: int,
    *,
    first_no: int,
    first_invoice: int,
    due: str,
    building: str = "12",
    manager_id: str = "M1",
    gross_step: int = 1,
) -> list[str]:
    """``n`` individual customers of account manager ``manager_id`` (numbers from
    ``first_no``), each with one invoice of 100 zł (+ ``gross_step`` grosze per customer)
    due on ``due``: accounts the daily notices run reviews. Shared by the notices fan-out
    tests and ``bench/scale_senders.py``."""
    from chalicelib.services import ledger
    from chalicelib.store import customers as store

    manager = store.get_account_manager(manager_id)
    assert manager is not None, f"account manager {manager_id} first"
    numbers = []
    for i in range(n):
        no = f"{first_no + i}"
        store.create_customer(
            no,
            manager,
            kind="individual",
            name=f"Klient {i}",
            address={
                "street": "ul. Legnicka",
                "building": building,
                "postal_code": "53-674",
                "city": "Wrocław",
            },
            email=f"klient{i}@example.pl",
            created_at="2026-01-01T00:00:00Z",
        )
        ledger.record_invoice(
            customer_no=no,
            invoice_no=f"FV/2026/09/{first_invoice + i}",
            gross_grosze=10_000 + gross_step * i,
            issue_date="2026-10-06",
            due_date=due,
        )
        numbers.append(no)
    return numbers


def ledger_snapshot(customer_no: str) -> dict[str, Any]:
    """Everything money-related of a customer, for before/after comparisons."""
    from chalicelib.store import ledger as store

    balance = store.get_balance(customer_no)
    entries = sorted(
        (
            e.SK,
            int(e.amount_grosze),
            json.dumps([(a.invoice_no, int(a.amount_grosze)) for a in e.allocations or []]),
        )
        for e in store.ledger_entries(customer_no)
    )
    state = balance.state() if balance else None
    return {
        "balance": None if balance is None else int(balance.balance_grosze),
        "unapplied": None if balance is None else int(balance.unapplied_grosze),
        "open": None if state is None else [(i.invoice_no, i.gross, i.paid) for i in state.open],
        "entries": entries,
    }


def assert_balance_consistent(customer_no: str) -> None:
    """The stored balance equals open invoices minus unapplied credit, and the ledger sum."""
    from chalicelib.store import ledger as store

    balance = store.get_balance(customer_no)
    assert balance is not None
    state = balance.state()
    assert int(balance.balance_grosze) == state.balance
    assert sum(int(e.amount_grosze) for e in store.ledger_entries(customer_no)) == state.balance


def signed_notification(
    payment: dict[str, Any], status: str = "completed", **override: Any
) -> tuple[bytes, dict[str, str]]:
    from chalicelib.config import settings

    data = {
        "merchant_id": settings().payment_merchant_id,
        "payment_id": payment["payment_id"],
        "operator_ref": f"SBX-{payment['payment_id']}",
        "amount": payment["amount_grosze"],
        "currency": "PLN",
        "status": status,
        "at": "2026-11-20T10:00:00Z",
        **override,
    }
    body = json.dumps(data).encode()
    return body, {"Content-Type": "application/json", gateway.SIGNATURE_HEADER: gateway.sign(body)}
