"""Monthly use and cost per contract: a projection of readings and issued invoices.

``PK = USAGE#<customer_no>#<contract_no>``, ``SK = M#<yyyy-mm>``: UsageMonth, one item per
contract and month (use per register prorated by days, estimated flag, invoiced cost). The
customer number is part of the partition key, so 36 months of a contract are ONE Query with
``SK BETWEEN M#<from> AND M#<to>`` and another customer's contract is simply an empty
partition. Written by ``services.consumption.project`` (demo seed, report job, invoicing);
a re-projection overwrites the same keys (no duplicates).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute

from chalicelib.store.base import Item
from chalicelib.store.customers import Contract, contract_sk, customer_pk


def usage_pk(customer_no: str, contract_no: str) -> str:
    return f"USAGE#{customer_no}#{contract_no}"


def usage_sk(month: str) -> str:
    return f"M#{month}"


class UsageMonth(Item, discriminator="UsageMonth"):
    """One contract's month: use per register (Decimal as text) and what it cost."""

    customer_no = UnicodeAttribute()
    contract_no = UnicodeAttribute()
    product = UnicodeAttribute()
    tariff_group = UnicodeAttribute()
    month = UnicodeAttribute()  # YYYY-MM
    registers_text = UnicodeAttribute()  # {"heat_gj": "1.234"}
    estimated = BooleanAttribute(default=False)
    days = NumberAttribute(default=0)  # days of the month covered by readings
    cost_text = UnicodeAttribute(null=True)  # {"net", "vat", "gross", "fixed_net", ...}
    projected_at = UnicodeAttribute()

    @property
    def registers(self) -> dict[str, Decimal]:
        return {k: Decimal(v) for k, v in json.loads(self.registers_text).items()}

    @property
    def cost(self) -> dict[str, Any] | None:
        return json.loads(self.cost_text) if self.cost_text else None


def usage_month(
    customer_no: str,
    contract_no: str,
    month: str,
    *,
    product: str,
    tariff_group: str,
    registers: dict[str, Decimal],
    estimated: bool,
    days: int,
    cost: dict[str, Any] | None,
    at: str,
) -> UsageMonth:
    return UsageMonth(
        usage_pk(customer_no, contract_no),
        usage_sk(month),
        customer_no=customer_no,
        contract_no=contract_no,
        product=product,
        tariff_group=tariff_group,
        month=month,
        registers_text=json.dumps({k: str(v) for k, v in registers.items()}, sort_keys=True),
        estimated=estimated,
        days=days,
        cost_text=json.dumps(cost, sort_keys=True) if cost is not None else None,
        projected_at=at,
    )


def put_months(items: Iterable[UsageMonth]) -> int:
    """Write (overwrite) projected months; same keys on a replay, so never a duplicate."""
    n = 0
    with UsageMonth.batch_write() as batch:
        for item in items:
            batch.save(item)
            n += 1
    return n


def months(customer_no: str, contract_no: str, first: str, last: str) -> list[UsageMonth]:
    """Months ``first``..``last`` of one contract, oldest first: ONE Query (36 small items
    fit one page)."""
    return [
        i
        for i in UsageMonth.query(
            usage_pk(customer_no, contract_no),
            UsageMonth.SK.between(usage_sk(first), usage_sk(last)),
        )
        if isinstance(i, UsageMonth)
    ]


def get_contract(customer_no: str, contract_no: str) -> Contract | None:
    """The customer's contract (GetItem); None if it is not this customer's."""
    try:
        item = Item.get(customer_pk(customer_no), contract_sk(contract_no))
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, Contract) else None
