"""Demo tariffs, 24 months of readings and the last three months of invoices.

* tariffs from ``data/tariffs/*.json`` (heat W-1/W-2 with a price change on 2026-09-16, so
  September's heat invoices are split and prorated; G11/G12 with a change on 2026-10-01);
* monthly remote readings at each month's end for every demo meter since it was installed
  (heat follows the heating season, with domestic hot water all year), except that Katarzyna
  Wójcik's meter (HM-100004) has no reading for last month: her invoice is estimated;
* invoices for the three months before the last ended month, issued on the 1st of the next
  month by the real invoicing service (not through SQS); e-invoices are e-mailed (see the
  outbox), the paper ones are in a print batch in the invoices bucket. The last ended month
  (its readings are in) is left un-invoiced on any day the demo starts, so that a newcomer
  can run the monthly invoicing job for it (``invoicing_run`` without ``--period``);
* a self-reading flagged for review (operator demo).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from chalicelib.domain import clock
from chalicelib.domain import readings as rd
from chalicelib.domain.invoices import Period
from chalicelib.domain.principal import Principal
from chalicelib.services import delivery, invoicing, readings, tariffs
from chalicelib.store import readings as store
from chalicelib.store.customers import Contract, Meter, all_contracts, customer_collection
from devstack.seed import SeedContext

MONTHS_OF_READINGS = 24
MONTHS_INVOICED = 3
NO_READING_LAST_MONTH = {"HM-100004"}
# Share of January's heat use per month (heating season October–April, hot water all year).
HEAT_PROFILE = [1.0, 0.9, 0.72, 0.45, 0.2, 0.1, 0.09, 0.09, 0.16, 0.42, 0.68, 0.93]
GJ_PER_MW_IN_JANUARY = Decimal(270)


def _month_ends(last: Period, months: int) -> list[date]:
    out, p = [], last
    for _ in range(months):
        out.append(p.last)
        p = p.previous()
    return sorted(out)


def _usage(meter: Meter, contract: Contract, month: int, rnd: random.Random) -> dict[str, Decimal]:
    jitter = Decimal(str(round(rnd.uniform(0.85, 1.15), 3)))
    if contract.product == "heat":
        mw = contract.ordered_capacity_mw or Decimal("0.015")
        gj = (GJ_PER_MW_IN_JANUARY * mw * Decimal(str(HEAT_PROFILE[month - 1])) * jitter).quantize(
            Decimal("0.001")
        )
        return {"heat_gj": gj, "water_m3": (gj * Decimal("0.06")).quantize(Decimal("0.001"))}
    winter = Decimal("1.25") if month in (11, 12, 1, 2) else Decimal(1)
    if "day" in store.registers_of(meter):
        return {
            "day": (Decimal(170) * winter * jitter).quantize(Decimal(1)),
            "night": (Decimal(110) * winter * jitter).quantize(Decimal(1)),
        }
    return {"total": (Decimal(160) * winter * jitter).quantize(Decimal(1))}


def _imported_at(read_on: date) -> str:
    """When the remote reading of ``read_on`` (a month's end) was imported: 02:00 UTC the
    next day, or now when the stack starts before that (just after midnight on the 1st): a
    reading is never stamped later than the moment the demo was made."""
    return min(f"{(read_on + timedelta(days=1)).isoformat()}T02:00:00Z", clock.now_iso())


def _readings(
    contract: Contract, meter: Meter, ends: list[date], skip_last: bool
) -> list[store.Reading]:
    rnd = random.Random(meter.serial)
    installed = date.fromisoformat(meter.installed_at)
    values = {
        r: Decimal(rnd.randint(100, 900) if contract.product == "heat" else rnd.randint(2000, 9000))
        for r in store.registers_of(meter)
    }
    out = []
    for i, end in enumerate(ends):
        if end < installed or (skip_last and i == len(ends) - 1):
            continue
        use = _usage(meter, contract, end.month, rnd)
        values = {r: values[r] + use[r] for r in store.registers_of(meter)}
        out.append(
            store.Reading(
                store.meter_pk(meter.serial),
                store.reading_sk(rd.point_key(end, rd.REMOTE)),
                serial=meter.serial,
                customer_no=meter.customer_no,
                contract_no=meter.contract_no,
                read_on=end.isoformat(),
                kind=rd.REMOTE,
                status=rd.ACCEPTED,
                values_text=store.values_json(dict(values)) or "{}",
                submitted_by="import",
                created_at=_imported_at(end),
            )
        )
    return out


def seed(ctx: SeedContext) -> None:
    tariffs.load_tariffs()
    invoicing.reset_counters()
    this_month = Period(ctx.today.year, ctx.today.month)
    last = this_month.previous()
    ends = _month_ends(last, MONTHS_OF_READINGS)

    contracts = all_contracts()
    meters: dict[str, list[Meter]] = {}
    for customer_no in sorted({c.customer_no for c in contracts}):
        for item in customer_collection(customer_no):
            if isinstance(item, Meter):
                meters.setdefault(item.contract_no, []).append(item)
    batch: list[store.Reading] = []
    for contract in contracts:
        for meter in meters.get(contract.contract_no, []):
            batch.extend(_readings(contract, meter, ends, meter.serial in NO_READING_LAST_MONTH))
    with store.Reading.batch_write() as writer:
        for reading in batch:
            writer.save(reading)

    periods = []
    p = last.previous()  # ``last`` stays un-invoiced: the newcomer's invoicing run
    for _ in range(MONTHS_INVOICED):
        periods.append(p)
        p = p.previous()
    issued = 0
    for period in sorted(periods, key=lambda x: x.key):
        issue_date = period.next().first
        for contract in sorted(contracts, key=lambda c: c.contract_no):
            outcome = invoicing.issue(
                contract.customer_no, contract.contract_no, period.key, issue_date=issue_date
            )
            issued += outcome.status == "issued"
        delivery.print_batch(issue_date)

    # A self-reading far above the customer's usual use: waits for an operator's review.
    review_meter = next((m for ms in meters.values() for m in ms if m.serial == "EM-100002"), None)
    if review_meter is not None:
        latest = store.history(review_meter.serial)[-1]
        principal = Principal(
            username="10000002", role="customer", customer_nos=(review_meter.customer_no,)
        )
        readings.submit_self_reading(
            principal,
            review_meter.customer_no,
            review_meter.serial,
            {"values": {"total": str(latest.values["total"] + 4000)}},
        )
    ctx.data["invoices_issued"] = issued
    ctx.notes.append(
        f"invoices: {issued} issued for {', '.join(p.key for p in sorted(periods, key=lambda x: x.key))}; "
        f"next: .venv/bin/python -m devstack job invoicing_run --period {last.key} "
        "&& .venv/bin/python -m devstack drain all"
    )
