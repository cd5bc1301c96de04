"""Customer overview: profile, account manager, premises, contracts and meters."""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from chalicelib.domain import clock
from chalicelib.domain.principal import Principal
from chalicelib.errors import NotFound
from chalicelib.services import balance
from chalicelib.services.access import require_customer
from chalicelib.store.customers import (
    Contract,
    Customer,
    CustomerManager,
    Meter,
    Premises,
    current_items,
)
from chalicelib.store.invoices import LatestInvoice


class CustomerView(TypedDict):
    customer_no: str
    kind: str
    name: str
    nip: str | None
    regon: str | None
    krs: str | None
    address: dict[str, Any]
    email: str
    phone: str | None
    building_manager: bool
    einvoice_consent: bool
    einvoice_consent_at: str | None


class ManagerView(TypedDict):
    name: str
    phone: str
    email: str


class PremisesView(TypedDict):
    premises_id: str
    label: str
    address: dict[str, Any]


class ContractView(TypedDict):
    contract_no: str
    premises_id: str
    product: str
    tariff_group: str
    ordered_capacity_mw: str | None
    start_date: str
    end_date: str | None
    expires_in_days: int | None


class MeterView(TypedDict):
    serial: str
    contract_no: str
    premises_id: str
    product: str
    registers: list[str]


class LatestInvoiceView(TypedDict):
    invoice_id: str
    number: str
    kind: str
    contract_no: str
    product: str
    period: str
    issue_date: str
    due_date: str
    gross_grosze: int


class Overview(TypedDict):
    """``GET /customers/{customer_no}/overview`` (schemas.account.OVERVIEW)."""

    customer: CustomerView
    account_manager: ManagerView | None
    premises: list[PremisesView]
    contracts: list[ContractView]
    meters: list[MeterView]
    latest_invoices: list[LatestInvoiceView]
    balance: balance.BalanceSummary


def customer_public(c: Customer) -> CustomerView:
    return {
        "customer_no": c.customer_no,
        "kind": c.kind,
        "name": c.name,
        "nip": c.nip,
        "regon": c.regon,
        "krs": c.krs,
        "address": c.address.as_dict(),
        "email": c.email,
        "phone": c.phone,
        "building_manager": bool(c.building_manager),
        "einvoice_consent": bool(c.einvoice_consent),
        "einvoice_consent_at": c.einvoice_consent_at,
    }


def contract_public(c: Contract, today: date) -> ContractView:
    expires_in = None
    if c.end_date:
        expires_in = (date.fromisoformat(c.end_date) - today).days
    return {
        "contract_no": c.contract_no,
        "premises_id": c.premises_id,
        "product": c.product,
        "tariff_group": c.tariff_group,
        "ordered_capacity_mw": None
        if c.ordered_capacity_mw is None
        else str(c.ordered_capacity_mw),
        "start_date": c.start_date,
        "end_date": c.end_date,
        "expires_in_days": expires_in,
    }


def latest_public(items: list[Any]) -> list[LatestInvoiceView]:
    """The latest invoice of each contract, newest first (kept among the current items by
    the issue transaction)."""
    latest = sorted(
        (i for i in items if isinstance(i, LatestInvoice)),
        key=lambda i: (i.issue_date, i.invoice_id),
        reverse=True,
    )
    return [
        {
            "invoice_id": i.invoice_id,
            "number": i.number,
            "kind": i.kind,
            "contract_no": i.contract_no,
            "product": i.product,
            "period": i.period,
            "issue_date": i.issue_date,
            "due_date": i.due_date,
            "gross_grosze": int(i.gross),
        }
        for i in latest
    ]


def overview(principal: Principal, customer_no: str) -> Overview:
    """ONE Query over the customer's current items (``store.customers.current_items``):
    the same read units after ten years of invoices as in the first month."""
    require_customer(principal, customer_no)
    items = current_items(customer_no)
    customer = next((i for i in items if isinstance(i, Customer)), None)
    if customer is None:
        raise NotFound()
    manager = next((i for i in items if isinstance(i, CustomerManager)), None)
    today = clock.to_warsaw(clock.now()).date()
    return {
        "customer": customer_public(customer),
        "account_manager": None
        if manager is None
        else {"name": manager.name, "phone": manager.phone, "email": manager.email},
        "premises": [
            {"premises_id": p.premises_id, "label": p.label, "address": p.address.as_dict()}
            for p in items
            if isinstance(p, Premises)
        ],
        "contracts": [contract_public(c, today) for c in items if isinstance(c, Contract)],
        "meters": [
            {
                "serial": m.serial,
                "contract_no": m.contract_no,
                "premises_id": m.premises_id,
                "product": m.product,
                "registers": [str(r) for r in m.registers],  # PynamoDB types them as attributes
            }
            for m in items
            if isinstance(m, Meter)
        ],
        "latest_invoices": latest_public(items),
        # balance, overpayment, arrears, next due date: from the same Query (BALANCE item)
        "balance": balance.overview_extras(items, customer_no)["balance"],
    }
