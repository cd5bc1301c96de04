"""Helpers shared by the payments integration tests (ledger, online, statements, notices)."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.adapters import payment_operator as gateway
from tests.support import serialise_moto_dynamodb  # noqa: F401  (re-exported)


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
