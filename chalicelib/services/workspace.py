"""The account manager's workspace (opiekun klienta): the manager's customers (search by
number, name, NIP or address), a customer view (contracts, balance, invoices, applications,
fault tickets, messages), and one queue of applications and messages by due date."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.principal import Principal
from chalicelib.errors import Forbidden
from chalicelib.services import applications, contracts, faults, invoices, ledger, threads
from chalicelib.services.access import require_customer
from chalicelib.store import customers as customer_store
from chalicelib.store import workspace as store
from chalicelib.store.customers import Customer


def _manager(principal: Principal) -> str:
    if not principal.manager_id:
        raise Forbidden()
    return principal.manager_id


def _row(c: Customer) -> dict[str, Any]:
    return {
        "customer_no": c.customer_no,
        "name": c.name,
        "kind": c.kind,
        "nip": c.nip,
        "address": c.address.one_line(),
        "email": c.email,
        "phone": c.phone,
    }


def _matches(c: Customer, q: str) -> bool:
    digits = "".join(ch for ch in q if ch.isdigit())
    text = q.casefold()
    return (
        text in c.customer_no
        or text in c.name.casefold()
        or text in c.address.one_line().casefold()
        or (bool(digits) and bool(c.nip) and digits in (c.nip or ""))
    )


def customers(principal: Principal, q: str | None) -> dict[str, Any]:
    """The manager's customers (pattern 4), filtered by number, name, NIP or address."""
    manager_id = _manager(principal)
    found = [
        customer_store.get_customer(no) for no in customer_store.manager_customer_nos(manager_id)
    ]
    rows = [c for c in found if c is not None and (not q or _matches(c, q.strip()))]
    return {"customers": [_row(c) for c in sorted(rows, key=lambda c: c.name)]}


def customer_view(principal: Principal, customer_no: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    customer = customer_store.get_customer(customer_no)
    assert customer is not None  # require_customer answered 404 otherwise
    return {
        "customer": _row(customer),
        "contracts": contracts.contract_summaries(customer_no),
        "balance": ledger.balance_view(principal, customer_no),
        "invoices": invoices.list_invoices(principal, customer_no).get("invoices", [])[:12],
        "applications": applications.applications_of(customer_no),
        "faults": faults.customer_tickets(principal, customer_no)["tickets"],
        "threads": threads.threads_of(customer_no),
    }


def queue(principal: Principal) -> dict[str, Any]:
    manager_id = _manager(principal)
    return {
        "items": [
            {
                "kind": e.kind,
                "ref": e.ref,
                "customer_no": e.customer_no,
                "due_date": e.due_date,
                "title": e.title,
                "status": e.status,
                "since": e.since,
            }
            for e in store.queue(manager_id)
        ]
    }
