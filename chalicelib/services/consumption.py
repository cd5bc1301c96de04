"""Consumption series (zużycie) per contract: the monthly projection and the API's series.

``project`` turns a contract's readings (actual and estimated, prorated by days) and its
issued invoices into one ``UsageMonth`` item per month; a month that has no invoice yet is
priced from the tariff and labelled ``source = tariff`` (an estimate, not a bill). The API
then reads 36 months of a contract with ONE Query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from chalicelib.domain import clock
from chalicelib.domain import consumption as rules
from chalicelib.domain import readings as rd
from chalicelib.domain.principal import Principal
from chalicelib.errors import FieldError, NotFound, ValidationFailed
from chalicelib.services.access import require_customer
from chalicelib.services.usage_months import cost_dict
from chalicelib.store import consumption as store
from chalicelib.store import invoices as invoice_store
from chalicelib.store import readings as reading_store
from chalicelib.store.customers import Contract, Meter, customer_collection

DEFAULT_MONTHS = 36
MAX_MONTHS = 60
UNITS = {
    "heat_gj": "GJ",
    "water_m3": "m³",
    "cwu_gj": "GJ",
    "total": "kWh",
    "day": "kWh",
    "night": "kWh",
}


def today() -> date:
    """Today in Europe/Warsaw by the product's clock."""
    return clock.to_warsaw(clock.now()).date()


# --- projection ------------------------------------------------------------------------


def _points(readings: Iterable[reading_store.Reading]) -> list[rd.Point]:
    """Accepted readings; an estimate settled by an actual reading, or dated before the
    latest actual one, is superseded (the actual readings tell the real use)."""
    accepted = [r for r in readings if r.status == rd.ACCEPTED]
    last_actual = max((r.read_on for r in accepted if r.kind != rd.ESTIMATE), default="")
    return [
        rd.Point(
            read_on=date.fromisoformat(r.read_on),
            values=r.values,
            kind=r.kind,
            old_values=r.old_values,
            key=r.key,
        )
        for r in accepted
        if not (r.kind == rd.ESTIMATE and (r.reconciled_by or r.read_on < last_actual))
    ]


def _contract_use(
    meters: Sequence[Meter], history: Mapping[str, Sequence[reading_store.Reading]]
) -> dict[str, rules.MonthUse]:
    """Sum of the contract's meters per month (a meter change adds the new meter)."""
    out: dict[str, rules.MonthUse] = {}
    for meter in meters:
        registers = reading_store.registers_of(meter)
        for key, use in rules.prorate(_points(history.get(meter.serial, [])), registers).items():
            cur = out.setdefault(key, rules.MonthUse(key))
            for r, v in use.registers.items():
                cur.registers[r] = cur.registers.get(r, Decimal(0)) + v
            cur.estimated = cur.estimated or use.estimated
            cur.days = max(cur.days, use.days)
    return out


def _invoiced(customer_no: str, contract_no: str) -> dict[str, rules.MonthCost]:
    """Cost per billing month from the issued invoices (corrections included)."""
    out: dict[str, rules.MonthCost] = {}
    for inv in invoice_store.invoices_and_deliveries(customer_no):
        if not isinstance(inv, invoice_store.Invoice) or inv.contract_no != contract_no:
            continue
        cost = rules.invoice_cost(
            inv.lines, int(inv.net), int(inv.vat), int(inv.gross), inv.invoice_id
        )
        out[inv.period] = out[inv.period].add(cost) if inv.period in out else cost
    return out


def _tariff_cost(
    contract: Contract, month: str, use: rules.MonthUse, yearly_kwh: Decimal
) -> rules.MonthCost | None:
    """A month not invoiced yet priced from the tariff (an estimate); None if it cannot be."""
    from chalicelib.domain import pricing
    from chalicelib.domain.tariffs import TariffError
    from chalicelib.services import tariffs

    first = rules.month_first(month)
    last = date(first.year, first.month, rules.month_days(month))
    try:
        priced = pricing.price_period(
            tariffs.versions(contract.tariff_group),
            first,
            last,
            pricing.Usage({k: rules.q3(v) for k, v in use.registers.items()}, estimated=True),
            capacity_mw=contract.ordered_capacity_mw,
            yearly_kwh=yearly_kwh,
        )
    except TariffError:
        return None
    lines = [ln.as_dict() for ln in priced.lines]
    return rules.invoice_cost(lines, priced.net, priced.vat, priced.gross, "")


def _yearly_kwh(use: Mapping[str, rules.MonthUse], month: str) -> Decimal:
    months = rules.month_range(rules.add_months(month, -11), month)
    return sum((rules.energy_total(use[m].registers) for m in months if m in use), Decimal(0))


@dataclass(frozen=True)
class Projected:
    contract_no: str
    months: int


def project(customer_no: str, contract_no: str | None = None) -> list[Projected]:
    """(Re)write the monthly projection of a customer's contracts (or one of them):
    one Query for the customer, one per meter's readings, one for invoices."""
    items = customer_collection(customer_no)
    contracts = [
        i for i in items if isinstance(i, Contract) and contract_no in (None, i.contract_no)
    ]
    meters = [i for i in items if isinstance(i, Meter)]
    out = []
    at = clock.now_iso()
    today_month = rules.month_key(today())
    for contract in contracts:
        own = [m for m in meters if m.contract_no == contract.contract_no]
        history = {m.serial: reading_store.history(m.serial) for m in own}
        use = _contract_use(own, history)
        invoiced = _invoiced(customer_no, contract.contract_no)
        rows = []
        for month in sorted(set(use) | set(invoiced)):
            if month > today_month:
                continue
            mu = use.get(month) or rules.MonthUse(month)
            cost, source = invoiced.get(month), "invoice"
            if cost is None and month in use and mu.days == rules.month_days(month):
                cost, source = _tariff_cost(contract, month, mu, _yearly_kwh(use, month)), "tariff"
            rows.append(
                store.usage_month(
                    customer_no,
                    contract.contract_no,
                    month,
                    product=contract.product,
                    tariff_group=contract.tariff_group,
                    registers=mu.registers,
                    estimated=mu.estimated,
                    days=mu.days,
                    cost=cost_dict(cost, source),
                    at=at,
                )
            )
        out.append(Projected(contract.contract_no, store.put_months(rows)))
    return out


# --- the series (API) ------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesQuery:
    contract_no: str | None
    first: str
    last: str
    group_by: str


def parse_query(query: Mapping[str, str]) -> SeriesQuery:
    """``from``/``to`` default to the 36 months ending with the current one."""
    last = query.get("to") or rules.month_key(today())
    first = query.get("from") or rules.add_months(last, -(DEFAULT_MONTHS - 1))
    if first > last:
        raise ValidationFailed(errors=[FieldError("from", "consumption.range_reversed")])
    if len(rules.month_range(first, last)) > MAX_MONTHS:
        raise ValidationFailed(errors=[FieldError("from", "consumption.range_too_long")])
    return SeriesQuery(query.get("contract"), first, last, query.get("group_by") or "month")


def rows_of(items: Sequence[store.UsageMonth]) -> list[rules.Row]:
    return [
        rules.Row(
            key=i.month,
            registers=i.registers,
            estimated=bool(i.estimated),
            cost=_month_cost(i.cost),
        )
        for i in items
    ]


def _month_cost(cost: Mapping[str, Any] | None) -> rules.MonthCost | None:
    if cost is None:
        return None
    return rules.MonthCost(
        int(cost["net"]),
        int(cost["vat"]),
        int(cost["gross"]),
        int(cost["fixed_net"]),
        int(cost["variable_net"]),
        list(cost.get("invoices", [])),
    )


def _sources(items: Sequence[store.UsageMonth]) -> dict[str, str]:
    return {i.month: (i.cost or {}).get("source", "") for i in items}


def _row_public(row: rules.Row, group_by: str, sources: Mapping[str, str]) -> dict[str, Any]:
    members = (
        [m for m in sources if rules.group_key(m, group_by) == row.key]
        if group_by != "month"
        else [row.key]
    )
    source = (
        "invoice"
        if members and all(sources.get(m) == "invoice" for m in members)
        else ("tariff" if any(sources.get(m) for m in members) else None)
    )
    cost = row.cost
    return {
        "period": row.key,
        "months": row.months,
        "usage": {k: str(rules.q3(v)) for k, v in sorted(row.registers.items())},
        "estimated": row.estimated,
        "cost": cost_dict(cost, source or "invoice"),
    }


def owned_months(
    principal: Principal, customer_no: str, contract_no: str, first: str, last: str
) -> list[store.UsageMonth]:
    """The contract's months if the caller may see them: 404 for another customer's contract
    (its partition key holds the customer number, so it is never read)."""
    require_customer(principal, customer_no)
    items = store.months(customer_no, contract_no, first, last)
    if not items and contract_of(customer_no, contract_no) is None:
        raise NotFound()
    return items


def contract_of(customer_no: str, contract_no: str) -> Contract | None:
    return store.get_contract(customer_no, contract_no)


def _contract_series(
    contract_no: str, items: Sequence[store.UsageMonth], group_by: str, contract: Contract | None
) -> dict[str, Any]:
    rows = rules.group(rows_of(items), group_by)
    sources = _sources(items)
    return {
        "contract_no": contract_no,
        "product": items[0].product if items else (contract.product if contract else None),
        "tariff_group": items[0].tariff_group
        if items
        else (contract.tariff_group if contract else None),
        "units": {r: UNITS.get(r, "") for r in sorted({r for i in items for r in i.registers})},
        "rows": [_row_public(r, group_by, sources) for r in rows],
    }


def series(principal: Principal, customer_no: str, query: Mapping[str, str]) -> dict[str, Any]:
    """Monthly (or seasonal, yearly) use and cost: ONE Query for a given contract; without
    one, every contract of the customer (one Query for the list, then one per contract)."""
    q = parse_query(query)
    if q.contract_no:
        items = owned_months(principal, customer_no, q.contract_no, q.first, q.last)
        contracts = [_contract_series(q.contract_no, items, q.group_by, None)]
    else:
        require_customer(principal, customer_no)
        contracts = [
            _contract_series(
                c.contract_no,
                store.months(customer_no, c.contract_no, q.first, q.last),
                q.group_by,
                c,
            )
            for c in customer_collection(customer_no)
            if isinstance(c, Contract)
        ]
    return {
        "customer_no": customer_no,
        "from": q.first,
        "to": q.last,
        "group_by": q.group_by,
        "contracts": contracts,
    }
