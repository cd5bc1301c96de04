"""Customer overview: profile, account manager, premises, contracts and meters."""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.domain import clock
from chalicelib.domain.principal import Principal
from chalicelib.errors import NotFound
from chalicelib.services import ledger
from chalicelib.services.access import require_customer
from chalicelib.store.customers import (
    Contract,
    Customer,
    CustomerManager,
    Meter,
    Premises,
    customer_collection,
)


def customer_public(c: Customer) -> dict[str, Any]:
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


def contract_public(c: Contract, today: date) -> dict[str, Any]:
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


def overview(principal: Principal, customer_no: str) -> dict[str, Any]:
    """One Query over the customer's item collection."""
    require_customer(principal, customer_no)
    items = customer_collection(customer_no)
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
                "registers": list(m.registers),
            }
            for m in items
            if isinstance(m, Meter)
        ],
        # balance, overpayment, arrears, next due date: from the same Query (BALANCE item)
        **ledger.overview_extras(items, customer_no),
    }
