"""What online registration compares: the customer's profile, contract numbers and the number
of the latest invoice, read the same way for every customer number (existing or not).

Invoices belong to the invoicing area (``PK=CUST#<no>``, ``SK`` begins with
``INV#<yyyy-mm>#...``, attribute ``number``, delivery items ``...#DLV`` beside them); they are
read here with a low-level projection so that this module does not depend on that area's
model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chalicelib.store.base import Item
from chalicelib.store.customers import PROFILE_SK, Contract, Customer, contract_sk, customer_pk

# Newest items read under INV#: the latest period's invoices of a few contracts and their
# delivery items.
LATEST_WINDOW = 12


@dataclass
class Facts:
    kind: str | None = None
    pesel: str | None = None
    email: str | None = None
    name: str | None = None
    building_manager: bool = False
    references: list[str] = field(default_factory=list)  # contract numbers + latest invoice


def facts(customer_no: str) -> Facts:
    """Three reads whatever the answer: profile, contracts, latest invoice."""
    pk = customer_pk(customer_no)
    out = Facts()
    try:
        profile = Item.get(pk, PROFILE_SK)
    except Item.DoesNotExist:
        profile = None
    if isinstance(profile, Customer):
        out.kind = profile.kind
        out.pesel = profile.pesel
        out.email = profile.email
        out.name = profile.name
        out.building_manager = bool(profile.building_manager)
    out.references = [
        c.contract_no
        for c in Item.query(pk, Item.SK.startswith(contract_sk("")))
        if isinstance(c, Contract)
    ]
    raw = Item._get_connection().query(
        pk,
        range_key_condition=Item.SK.startswith("INV#"),
        attributes_to_get=["type", "number", "invoice_no", "period", "kind"],
        scan_index_forward=False,
        limit=LATEST_WINDOW,
    )
    out.references.extend(latest_invoice_numbers(raw.get("Items", [])))
    return out


def latest_invoice_numbers(items: list[dict[str, Any]]) -> list[str]:
    """Numbers of the invoices of the latest billing period (one per contract), newest first;
    delivery items and corrections are not invoices a customer would quote."""
    invoices = [
        i
        for i in items
        if i.get("type", {}).get("S") == "Invoice"
        and i.get("kind", {}).get("S", "invoice") == "invoice"
    ]
    if not invoices:
        return []
    latest = invoices[0].get("period", {}).get("S")
    numbers = []
    for i in invoices:
        if i.get("period", {}).get("S") != latest:
            break
        number = i.get("number", {}).get("S") or i.get("invoice_no", {}).get("S")
        if number:
            numbers.append(number)
    return numbers
