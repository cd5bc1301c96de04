"""Demo consumption: 36 months of readings, demo temperatures, the monthly projection.

``seed_invoicing`` writes 24 months of month-end readings; this step extends every meter's
history 12 months further back (never before the meter was installed, never after today),
so the Wrocław heat customers have three heating seasons and the electricity customers 36
months. It stores the DEMO temperature series (climate normals of Wrocław and Łódź, see
``chalicelib/data/weather/normals.json``) for those years and projects every contract's months.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from chalicelib.domain import consumption as rules
from chalicelib.domain import readings as rd
from chalicelib.services import consumption, weather
from chalicelib.store import readings as store
from chalicelib.store.customers import Meter, all_contracts, customer_collection
from devstack.seed import SeedContext

MONTHS = 36  # of use before the current month: readings from the end of month −37
# Share of January's heat per month: heating October–April, hot water (CWU) all year.
HEAT_PROFILE = [1.0, 0.9, 0.72, 0.45, 0.2, 0.1, 0.09, 0.09, 0.16, 0.42, 0.68, 0.93]
GJ_PER_MW_IN_JANUARY = Decimal(270)
CITIES = ("Wrocław", "Łódź")


def _use(meter: Meter, mw: Decimal | None, month: int) -> dict[str, Decimal]:
    if meter.product == "heat":
        gj = (
            GJ_PER_MW_IN_JANUARY * (mw or Decimal("0.015")) * Decimal(str(HEAT_PROFILE[month - 1]))
        ).quantize(Decimal("0.001"))
        return {"heat_gj": gj, "water_m3": (gj * Decimal("0.06")).quantize(Decimal("0.001"))}
    winter = Decimal("1.25") if month in (11, 12, 1, 2) else Decimal(1)
    if "day" in store.registers_of(meter):
        return {
            "day": (170 * winter).quantize(Decimal(1)),
            "night": (110 * winter).quantize(Decimal(1)),
        }
    return {"total": (160 * winter).quantize(Decimal(1))}


def _earlier(
    meter: Meter, mw: Decimal | None, first: store.Reading, oldest: str
) -> list[store.Reading]:
    """Month-end readings before ``first`` back to the end of month ``oldest``, walking back
    by each month's use (a rerun finds them there and adds nothing)."""
    out = []
    installed = date.fromisoformat(meter.installed_at)
    values = dict(first.values)
    month = rules.month_key(date.fromisoformat(first.read_on))
    while rules.add_months(month, -1) >= oldest:
        use = _use(meter, mw, int(month[5:]))
        values = {r: values[r] - use.get(r, Decimal(0)) for r in values}
        month = rules.add_months(month, -1)
        day = date(int(month[:4]), int(month[5:]), rules.month_days(month))
        if day < installed or any(v < 0 for v in values.values()):
            break
        out.append(
            store.Reading(
                store.meter_pk(meter.serial),
                store.reading_sk(rd.point_key(day, rd.REMOTE)),
                serial=meter.serial,
                customer_no=meter.customer_no,
                contract_no=meter.contract_no,
                read_on=day.isoformat(),
                kind=rd.REMOTE,
                status=rd.ACCEPTED,
                values_text=store.values_json(values) or "{}",
                submitted_by="import",
                created_at=(day + timedelta(days=1)).isoformat() + "T02:00:00Z",
            )
        )
    return out


def seed(ctx: SeedContext) -> None:
    contracts = {c.contract_no: c for c in all_contracts()}
    customers = sorted({c.customer_no for c in contracts.values()})
    batch: list[store.Reading] = []
    oldest = rules.add_months(rules.month_key(ctx.today), -(MONTHS + 1))
    for customer_no in customers:
        for item in customer_collection(customer_no):
            if isinstance(item, Meter):
                history = store.history(item.serial)
                if history:
                    mw = (
                        contracts[item.contract_no].ordered_capacity_mw
                        if item.contract_no in contracts
                        else None
                    )
                    batch.extend(_earlier(item, mw, history[0], oldest))
    with store.Reading.batch_write() as writer:
        for reading in batch:
            writer.save(reading)
    first = date(ctx.today.year - 4, 5, 1)
    days = sum(weather.seed_demo(city, first, ctx.today - timedelta(days=1)) for city in CITIES)
    months = sum(p.months for no in customers for p in consumption.project(no))
    ctx.notes.append(
        f"consumption: {len(batch)} older readings, {days} demo temperature days (DEMO data), "
        f"{months} contract-months projected; portal #/consumption"
    )
