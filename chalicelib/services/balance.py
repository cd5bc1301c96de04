"""The account's balance summary (saldo, nadpłata, zaległości, next due date) and its virtual
account number, from the ``AccountBalance`` item: no I/O of its own.

The customer overview reads this (``services.account``) from the items its one Query
returned, so its cold start imports this module and not the whole ledger service
(which uses it for ``GET .../balance``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypedDict

from chalicelib.config import settings
from chalicelib.domain import bank, clock
from chalicelib.domain import ledger as rules
from chalicelib.store import ledger as store
from chalicelib.store.ledger import AccountBalance


class VirtualAccount(TypedDict):
    nrb: str
    iban: str
    formatted: str


class BalanceSummary(TypedDict):
    """The overview's ``balance`` block and the head of ``GET .../balance``."""

    balance_grosze: int
    overpayment_grosze: int
    arrears_grosze: int
    due_grosze: int
    next_due_date: str | None
    next_due_grosze: int
    open_invoices: int
    virtual_account: VirtualAccount | None


class OverviewExtras(TypedDict):
    balance: BalanceSummary


def virtual_account(customer_no: str) -> VirtualAccount:
    s = settings()
    nrb = bank.virtual_nrb(s.bank_sort_code, s.payee_prefix, customer_no)
    return {"nrb": nrb, "iban": bank.nrb_to_iban(nrb), "formatted": bank.format_nrb(nrb)}


def virtual_account_or_none(customer_no: str) -> VirtualAccount | None:
    """None for a customer number that cannot be part of an NRB (not digits, too long)."""
    try:
        return virtual_account(customer_no)
    except ValueError:
        return None


def today() -> date:
    return clock.to_warsaw(clock.now()).date()


def open_item_public(inv: rules.OpenInvoice, day: date) -> dict[str, Any]:
    return {
        "invoice_no": inv.invoice_no,
        "issue_date": inv.issue_date,
        "due_date": inv.due_date,
        "gross_grosze": inv.gross,
        "paid_grosze": inv.paid,
        "outstanding_grosze": inv.outstanding,
        "status": inv.status(day),
    }


def summary_public(
    balance: AccountBalance | None, customer_no: str, day: date | None = None
) -> BalanceSummary:
    """Balance, overpayment, arrears and the next due date (no I/O: the overview passes
    the item its Query already returned)."""
    day = day or today()
    s = rules.summary(balance.state() if balance else rules.AccountState(), day)
    return {
        "balance_grosze": s.balance,
        "overpayment_grosze": s.overpayment,
        "arrears_grosze": s.arrears,
        "due_grosze": s.due_total,
        "next_due_date": s.next_due_date,
        "next_due_grosze": s.next_due_amount,
        "open_invoices": len(s.open),
        "virtual_account": virtual_account_or_none(customer_no),
    }


def overview_extras(items: Sequence[object], customer_no: str) -> OverviewExtras:
    """The overview's ``balance`` block, from the customer's collection."""
    return {"balance": summary_public(store.balance_in(items), customer_no)}
