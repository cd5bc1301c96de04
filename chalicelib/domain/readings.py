"""Meter readings (odczyty): consumption between readings, plausibility, estimates.

A reading holds the value of every register of a meter on a day. Kinds:

- ``customer`` (self-reading, podany przez klienta) and ``remote`` (imported by operators);
- ``change``: a meter change (wymiana licznika) — its values are the new meter's initial
  register values; the old meter's final values (``old_values``) close the old meter. Later
  readings compare with the change, so a lower value is then accepted;
- ``estimate`` (szacunek): made by the invoicing job where no actual reading exists at the
  end of a billing period; reconciled by the next actual reading (the next bill runs from
  the estimate to the actual value, so over- or under-estimates even out).

Only ``accepted`` readings count; a reading flagged for ``review`` waits for an operator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from chalicelib.domain import clock

CUSTOMER = "customer"
REMOTE = "remote"
CHANGE = "change"
ESTIMATE = "estimate"
STAFF = "staff"  # entered by an operator for the customer (with a reason), podany przez BOK
ACTUAL_KINDS = (CUSTOMER, REMOTE, CHANGE, STAFF)

ACCEPTED = "accepted"
REVIEW = "review"
REJECTED = "rejected"

# Sort-key suffix per kind: on one day an actual reading sorts before an estimate, and the
# old meter's final reading before the change to a new meter.
KIND_CODE = {CUSTOMER: "C", ESTIMATE: "E", REMOTE: "R", STAFF: "S", CHANGE: "X"}

# Plausibility: flag a reading whose daily use exceeds this many times the customer's own
# average daily use (and the small absolute allowance below), when there is enough history.
IMPLAUSIBLE_FACTOR = Decimal(3)
MIN_HISTORY_DAYS = 28
ALLOWANCE_PER_DAY = {"heat_gj": Decimal("0.05"), "water_m3": Decimal("0.05")}
DEFAULT_ALLOWANCE = Decimal("1")  # kWh a day
VALUE_PLACES = Decimal("0.001")


@dataclass(frozen=True)
class Point:
    read_on: date
    values: Mapping[str, Decimal]
    kind: str = REMOTE
    old_values: Mapping[str, Decimal] | None = None
    key: str = ""  # sort key in the store (date + kind), ties broken by it

    @property
    def actual(self) -> bool:
        return self.kind in ACTUAL_KINDS


@dataclass
class Check:
    """Outcome of validating a new reading against the meter's history."""

    below: dict[str, Decimal] = field(default_factory=dict)  # register -> previous value
    implausible: dict[str, Decimal] = field(default_factory=dict)  # register -> daily use

    @property
    def refused(self) -> bool:
        return bool(self.below)


def consumption(chain: Sequence[Point], registers: Sequence[str]) -> dict[str, Decimal]:
    """Use from the first point to the last, walking through meter changes."""
    total = {r: Decimal(0) for r in registers}
    if not chain:
        return total
    base = chain[0].values
    for cur in chain[1:]:
        if cur.kind == CHANGE:
            final = cur.old_values or base
            for r in registers:
                total[r] += final.get(r, Decimal(0)) - base.get(r, Decimal(0))
            base = cur.values
        else:
            for r in registers:
                total[r] += cur.values.get(r, Decimal(0)) - base.get(r, Decimal(0))
            base = cur.values
    return total


def previous_actual(history: Sequence[Point], on: date) -> Point | None:
    """The latest actual reading on or before ``on`` (history sorted by key)."""
    found = None
    for p in history:
        if p.actual and p.read_on <= on:
            found = p
    return found


def daily_average(
    history: Sequence[Point], registers: Sequence[str], until: date
) -> dict[str, Decimal] | None:
    """Average daily use per register over the actual readings of the last year before
    ``until``; None when they span fewer than ``MIN_HISTORY_DAYS``."""
    start = until - timedelta(days=365)
    chain = [p for p in history if p.actual and start <= p.read_on <= until]
    if len(chain) < 2:
        return None
    days = (chain[-1].read_on - chain[0].read_on).days
    if days < MIN_HISTORY_DAYS:
        return None
    used = consumption(chain, registers)
    return {r: used[r] / days for r in registers}


def check_new(history: Sequence[Point], new: Point, registers: Sequence[str]) -> Check:
    """Refuse a value below the previous actual reading (unless ``new`` is a meter change);
    flag one far above the customer's own history for review."""
    result = Check()
    if new.kind == CHANGE:
        return result
    prev = previous_actual(history, new.read_on)
    if prev is None:
        return result
    for r in registers:
        if new.values[r] < prev.values.get(r, Decimal(0)):
            result.below[r] = prev.values.get(r, Decimal(0))
    if result.below:
        return result
    days = max((new.read_on - prev.read_on).days, 1)
    avg = daily_average(history, registers, prev.read_on)
    if avg is None:
        return result
    for r in registers:
        daily = (new.values[r] - prev.values.get(r, Decimal(0))) / days
        allowance = ALLOWANCE_PER_DAY.get(r, DEFAULT_ALLOWANCE)
        if daily > avg[r] * IMPLAUSIBLE_FACTOR + allowance:
            result.implausible[r] = daily.quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)
    return result


def same_month_last_year(
    history: Sequence[Point], registers: Sequence[str], start: date, end: date
) -> dict[str, Decimal] | None:
    """Daily use over the same stretch a year earlier (heat use is seasonal)."""
    try:
        ly_start, ly_end = start.replace(year=start.year - 1), end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        return None
    before = previous_actual(history, ly_start)
    after = next((p for p in history if p.actual and p.read_on >= ly_end), None)
    if before is None or after is None:
        return None
    days = (after.read_on - before.read_on).days
    if days <= 0 or days > 62:
        return None
    chain = [p for p in history if p.actual and before.read_on <= p.read_on <= after.read_on]
    used = consumption(chain, registers)
    return {r: used[r] / days for r in registers}


class FutureReading(ValueError):
    """A reading dated after today (Europe/Warsaw) is never made nor stored."""


def require_not_future(on: date) -> None:
    today = clock.to_warsaw(clock.now()).date()
    if on > today:
        raise FutureReading(f"a reading dated {on.isoformat()} is in the future (today {today})")


def estimate(history: Sequence[Point], base: Point, on: date, registers: Sequence[str]) -> Point:
    """An estimated reading on ``on`` continuing from ``base``: the same stretch a year
    earlier if known, else the yearly average, else no consumption. Never in the future:
    the invoicing of a month that has not ended stops here (``FutureReading``)."""
    require_not_future(on)
    days = (on - base.read_on).days
    per_day = same_month_last_year(history, registers, base.read_on, on)
    if per_day is None:
        per_day = daily_average(history, registers, base.read_on)
    values = {}
    for r in registers:
        rate = per_day[r] if per_day else Decimal(0)
        rate = max(rate, Decimal(0))
        values[r] = (base.values.get(r, Decimal(0)) + rate * days).quantize(
            VALUE_PLACES, rounding=ROUND_HALF_UP
        )
    return Point(read_on=on, values=values, kind=ESTIMATE, key=point_key(on, ESTIMATE))


def point_key(read_on: date, kind: str) -> str:
    return f"{read_on.isoformat()}#{KIND_CODE[kind]}"


@dataclass(frozen=True)
class Billing:
    """What a bill uses for one meter: where it starts and ends, and the consumption."""

    opening: Point
    closing: Point
    usage: dict[str, Decimal]
    new_estimate: Point | None  # to be stored with the invoice when the closing is estimated

    @property
    def estimated(self) -> bool:
        return self.closing.kind == ESTIMATE


# How close to the end of the period an actual reading must be to close it.
CLOSING_WINDOW_DAYS = 5


def billing_usage(
    history: Sequence[Point],
    registers: Sequence[str],
    start: date,
    end: date,
    opening: Point | None,
) -> Billing | None:
    """Consumption of one meter for [start, end].

    ``opening`` is the previous bill's closing point (None for the first bill: the latest
    actual reading before the period, else the first one in it). The closing point is the
    latest actual reading within ``CLOSING_WINDOW_DAYS`` of the end, else an estimate on
    ``end``. Returns None when the meter has no reading to start from.
    """
    usable = superseded_removed([p for p in history if p.actual or p.kind == ESTIMATE])
    if opening is None:
        opening = previous_actual(usable, start - timedelta(days=1))
        if opening is None:
            opening = next((p for p in usable if p.actual and p.read_on <= end), None)
        if opening is None:
            return None
    chain = [opening] + [p for p in usable if p.actual and p.key > opening.key and p.read_on <= end]
    last = chain[-1]
    new_estimate = None
    if last is opening or last.read_on < end - timedelta(days=CLOSING_WINDOW_DAYS):
        if last.read_on == end and last.kind == ESTIMATE:
            closing = last
        else:
            closing = estimate(usable, last, end, registers)
            new_estimate = closing
            chain.append(closing)
    else:
        closing = last
    return Billing(
        opening=opening,
        closing=closing,
        usage=consumption(chain, registers),
        new_estimate=new_estimate,
    )


def superseded_removed(points: Sequence[Point]) -> list[Point]:
    """A staff-entered reading gives way to the customer's own reading of the same day."""
    own_days = {p.read_on for p in points if p.kind == CUSTOMER}
    return [p for p in points if not (p.kind == STAFF and p.read_on in own_days)]


def yearly_use(
    history: Sequence[Point], registers: Sequence[str], end: date, fallback: Decimal
) -> Decimal:
    """kWh a year for the capacity-charge band: actual readings of the last 12 months,
    annualised; ``fallback`` (e.g. this period annualised) with too little history."""
    avg = daily_average(history, registers, end)
    if avg is None:
        return fallback
    return (sum(avg.values(), Decimal(0)) * 365).quantize(Decimal(1), rounding=ROUND_HALF_UP)
