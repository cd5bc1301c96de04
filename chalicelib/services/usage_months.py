"""A month's use and cost as its invoice records them (``UsageMonth``, source ``invoice``).

Kept apart from ``services.consumption`` (the projection from readings and the API's
series): invoicing writes this item in the invoice's own transaction, and the invoicing
worker's cold start should not import the series, its access checks and their stores.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from chalicelib.domain import consumption as rules
from chalicelib.store import consumption as store
from chalicelib.store.invoices import Invoice


def cost_sums(cost: rules.MonthCost) -> dict[str, int]:
    """A cost's sums (grosze) as the API and the items show them."""
    return {
        "net": cost.net,
        "vat": cost.vat,
        "gross": cost.gross,
        "fixed_net": cost.fixed_net,
        "variable_net": cost.variable_net,
    }


def cost_dict(cost: rules.MonthCost | None, source: str) -> dict[str, Any] | None:
    """A month's cost as the ``UsageMonth`` item holds it, with where it came from."""
    if cost is None:
        return None
    return {**cost_sums(cost), "invoices": [i for i in cost.invoices if i], "source": source}


def after_invoicing(inv: Invoice, at: str) -> store.UsageMonth:
    """The invoiced month's use and cost from what the invoice already holds (its meters'
    usage, its lines and totals), written in the invoice's own transaction
    (``store.invoices.Issue.projections``): no read and no call of its own. The billing
    period is the calendar month, so its use is the month's; ``services.consumption.project``
    (report job, seed) re-prorates readings across months when it runs."""
    registers: dict[str, Decimal] = {}
    for meter in inv.meters or []:
        for reg, value in (meter.get("usage") or {}).items():
            registers[reg] = registers.get(reg, Decimal(0)) + Decimal(str(value))
    first, last = date.fromisoformat(inv.period_from), date.fromisoformat(inv.period_to)
    cost = rules.invoice_cost(inv.lines, int(inv.net), int(inv.vat), int(inv.gross), inv.invoice_id)
    return store.usage_month(
        inv.customer_no,
        inv.contract_no,
        inv.period,
        product=inv.product,
        tariff_group=inv.tariff_group,
        registers=registers,
        estimated=bool(inv.estimated),
        days=(last - first).days + 1,
        cost=cost_dict(cost, "invoice"),
        at=at,
    )
