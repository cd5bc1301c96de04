"""Consumption analytics (analiza zużycia): pure rules, unit tested by hand.

- **Proration**: meter readings are cumulative values on dates; the use between two readings
  is spread evenly over its days ``(previous, current]`` and each calendar month takes its
  days' share (3 places; the last month of an interval takes the remainder so the parts add
  up to the metered use). A month touched by an estimated reading is marked estimated.
- **Grouping**: months into seasons (heating season October–April labelled ``2025/2026``,
  the months between labelled ``2026-lato``) or calendar years.
- **Heating degree days** (Eurostat): for a day with mean temperature Tm <= 15 °C,
  HDD = 18 °C − Tm; warmer days count 0.
- **CWU** (ciepła woda użytkowa, domestic hot water): exact from a CWU register; otherwise
  estimated from the summer base load (mean monthly heat of May–September, no space heating)
  and labelled as an estimate.
- **Cost split**: fixed charges (ordered capacity, fixed transmission, network fixed,
  subscription, capacity charge) run every month; the rest follows the use.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from chalicelib.domain import readings as rd

Q3 = Decimal("0.001")
Q2 = Decimal("0.01")
HDD_BASE = Decimal(18)
HDD_THRESHOLD = Decimal(15)
SEASON_START = 10  # October
SEASON_END = 4  # April
SUMMER = (5, 6, 7, 8, 9)
START_MONTHS = (10, 11)
END_MONTHS = (3, 4)
FIXED_CODES = frozenset(
    {"capacity", "transmission_fixed", "network_fixed", "subscription", "capacity_charge"}
)
CWU_REGISTERS = ("cwu_gj",)
HEAT_REGISTER = "heat_gj"
GROUPS = ("month", "season", "year")
ENERGY_REGISTERS = ("total", "day", "night")


def q3(value: Decimal) -> Decimal:
    return value.quantize(Q3, rounding=ROUND_HALF_UP)


# --- months ----------------------------------------------------------------------------


def month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def month_first(key: str) -> date:
    return date(int(key[:4]), int(key[5:7]), 1)


def month_days(key: str) -> int:
    return calendar.monthrange(int(key[:4]), int(key[5:7]))[1]


def add_months(key: str, n: int) -> str:
    y, m = int(key[:4]), int(key[5:7]) - 1 + n
    return f"{y + m // 12:04d}-{m % 12 + 1:02d}"


def month_range(first: str, last: str) -> list[str]:
    out, k = [], first
    while k <= last:
        out.append(k)
        k = add_months(k, 1)
    return out


def same_month_last_year(key: str) -> str:
    return add_months(key, -12)


# --- proration ---------------------------------------------------------------------------


@dataclass
class MonthUse:
    """Use of one month per register; ``days`` of the month covered by readings."""

    month: str
    registers: dict[str, Decimal] = field(default_factory=dict)
    estimated: bool = False
    days: int = 0


def _interval_use(a: rd.Point, b: rd.Point, registers: Sequence[str]) -> dict[str, Decimal]:
    return rd.consumption([a, b], registers)


def _spread(start: date, end: date) -> list[tuple[str, int]]:
    """Days of ``(start, end]`` per month, in order."""
    out: list[tuple[str, int]] = []
    day = start + timedelta(days=1)
    while day <= end:
        last = date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
        stop = min(last, end)
        out.append((month_key(day), (stop - day).days + 1))
        day = stop + timedelta(days=1)
    return out


def prorate(points: Sequence[rd.Point], registers: Sequence[str]) -> dict[str, MonthUse]:
    """Monthly use from cumulative readings (sorted by date), prorated by days."""
    months: dict[str, MonthUse] = {}
    ordered = sorted(points, key=lambda p: (p.read_on, p.key))
    for a, b in zip(ordered, ordered[1:], strict=False):
        total_days = (b.read_on - a.read_on).days
        if total_days <= 0:
            continue
        use = _interval_use(a, b, registers)
        parts = _spread(a.read_on, b.read_on)
        estimated = rd.ESTIMATE in (a.kind, b.kind)
        given = {r: Decimal(0) for r in registers}
        for i, (key, days) in enumerate(parts):
            m = months.setdefault(key, MonthUse(key, {r: Decimal(0) for r in registers}))
            for r in registers:
                share = use[r] - given[r] if i == len(parts) - 1 else q3(use[r] * days / total_days)
                given[r] += share
                m.registers[r] = m.registers.get(r, Decimal(0)) + share
            m.days += days
            m.estimated = m.estimated or estimated
    return dict(sorted(months.items()))


# --- costs ---------------------------------------------------------------------------


@dataclass
class MonthCost:
    """What the invoices of a month charged (grosze): fixed and variable net, VAT, gross."""

    net: int = 0
    vat: int = 0
    gross: int = 0
    fixed_net: int = 0
    variable_net: int = 0
    invoices: list[str] = field(default_factory=list)

    def add(self, other: MonthCost) -> MonthCost:
        return MonthCost(
            self.net + other.net,
            self.vat + other.vat,
            self.gross + other.gross,
            self.fixed_net + other.fixed_net,
            self.variable_net + other.variable_net,
            self.invoices + other.invoices,
        )


def invoice_cost(
    lines: Iterable[Mapping[str, object]], net: int, vat: int, gross: int, invoice_id: str
) -> MonthCost:
    """An invoice's totals with its net split into fixed and variable charges by line code."""
    fixed = sum(int(str(ln["net"])) for ln in lines if ln.get("code") in FIXED_CODES)
    return MonthCost(net, vat, gross, fixed, net - fixed, [invoice_id])


# --- rows and grouping -------------------------------------------------------------------


@dataclass
class Row:
    """One month (or group of months) of a contract: use per register and cost."""

    key: str
    registers: dict[str, Decimal]
    estimated: bool
    cost: MonthCost | None
    months: int = 1


def season_of(key: str, start: int = SEASON_START, end: int = SEASON_END) -> str:
    """``2025-11`` → ``2025/2026``; ``2026-02`` → ``2025/2026``; ``2026-07`` → ``2026-lato``."""
    y, m = int(key[:4]), int(key[5:7])
    if m >= start:
        return f"{y}/{y + 1}"
    if m <= end:
        return f"{y - 1}/{y}"
    return f"{y}-lato"


def season_months(season: str, start: int = SEASON_START, end: int = SEASON_END) -> list[str]:
    """``2025/2026`` → ``2025-10`` … ``2026-04``."""
    first_year = int(season[:4])
    return month_range(f"{first_year:04d}-{start:02d}", f"{first_year + 1:04d}-{end:02d}")


def group_key(key: str, by: str) -> str:
    if by == "season":
        return season_of(key)
    if by == "year":
        return key[:4]
    return key


def merge_cost(a: MonthCost | None, b: MonthCost | None) -> MonthCost | None:
    if a is None:
        return b
    if b is None:
        return a
    return a.add(b)


def group(rows: Sequence[Row], by: str) -> list[Row]:
    """Months into months, seasons or calendar years (sums; estimated if any part was)."""
    out: dict[str, Row] = {}
    for row in rows:
        key = group_key(row.key, by)
        cur = out.get(key)
        if cur is None:
            out[key] = replace(row, key=key, registers=dict(row.registers))
            continue
        for r, v in row.registers.items():
            cur.registers[r] = cur.registers.get(r, Decimal(0)) + v
        cur.estimated = cur.estimated or row.estimated
        cur.cost = merge_cost(cur.cost, row.cost)
        cur.months += row.months
    return list(out.values())


# --- weather -------------------------------------------------------------------------


def hdd(daily_means: Iterable[Decimal]) -> Decimal:
    """Heating degree days (Eurostat): 18 − Tm on days with Tm <= 15 °C."""
    return sum(
        (HDD_BASE - t for t in daily_means if t <= HDD_THRESHOLD),
        Decimal(0),
    ).quantize(Q2, rounding=ROUND_HALF_UP)


# --- heating-season report -----------------------------------------------------------


def _sum(rows: Mapping[str, Row], months: Iterable[str], register: str) -> Decimal:
    return sum(
        (rows[m].registers.get(register, Decimal(0)) for m in months if m in rows), Decimal(0)
    )


def _cost(rows: Mapping[str, Row], months: Iterable[str]) -> MonthCost | None:
    total: MonthCost | None = None
    for m in months:
        if m in rows:
            total = merge_cost(total, rows[m].cost)
    return total


@dataclass(frozen=True)
class Cwu:
    """Hot water over a year: exact (CWU register) or estimated (summer base load × 12)."""

    monthly_gj: Decimal
    season_gj: Decimal
    year_gj: Decimal
    estimated: bool
    basis_months: tuple[str, ...]


def cwu(rows: Mapping[str, Row], season: str) -> Cwu | None:
    """CWU of a season: the register if the meter has one, else the summer before it."""
    months = season_months(season)
    first_year = int(season[:4])
    for reg in CWU_REGISTERS:
        if any(reg in rows[m].registers for m in months if m in rows):
            year = month_range(f"{first_year:04d}-05", f"{first_year + 1:04d}-04")
            season_gj = _sum(rows, months, reg)
            year_gj = _sum(rows, year, reg)
            return Cwu(q3(year_gj / 12), q3(season_gj), q3(year_gj), False, tuple(year))
    summer = [f"{first_year:04d}-{m:02d}" for m in SUMMER]
    basis = tuple(m for m in summer if m in rows and HEAT_REGISTER in rows[m].registers)
    if not basis:
        return None
    monthly = q3(_sum(rows, basis, HEAT_REGISTER) / len(basis))
    return Cwu(monthly, q3(monthly * len(months)), q3(monthly * 12), True, basis)


@dataclass(frozen=True)
class SeasonFigures:
    season: str
    months: tuple[str, ...]
    heat_gj: Decimal
    start_gj: Decimal  # October–November
    end_gj: Decimal  # March–April
    cost: MonthCost | None
    start_cost: MonthCost | None
    end_cost: MonthCost | None
    cwu: Cwu | None
    space_heating_gj: Decimal
    hdd: Decimal | None
    gj_per_hdd: Decimal | None  # space heating per degree day
    estimated: bool
    peak_month: str | None
    peak_gj: Decimal


def season_figures(
    rows: Mapping[str, Row], season: str, season_hdd: Decimal | None
) -> SeasonFigures:
    months = season_months(season)
    first_year = int(season[:4])
    start = [f"{first_year:04d}-{m:02d}" for m in START_MONTHS]
    end = [f"{first_year + 1:04d}-{m:02d}" for m in END_MONTHS]
    total = _sum(rows, months, HEAT_REGISTER)
    water = cwu(rows, season)
    heating = total - (water.season_gj if water else Decimal(0))
    present = [m for m in months if m in rows]
    peak = max(
        present, key=lambda m: rows[m].registers.get(HEAT_REGISTER, Decimal(0)), default=None
    )
    return SeasonFigures(
        season=season,
        months=tuple(present),
        heat_gj=q3(total),
        start_gj=q3(_sum(rows, start, HEAT_REGISTER)),
        end_gj=q3(_sum(rows, end, HEAT_REGISTER)),
        cost=_cost(rows, months),
        start_cost=_cost(rows, start),
        end_cost=_cost(rows, end),
        cwu=water,
        space_heating_gj=q3(heating),
        hdd=season_hdd,
        gj_per_hdd=(heating / season_hdd).quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP)
        if season_hdd
        else None,
        estimated=any(rows[m].estimated for m in present),
        peak_month=peak,
        peak_gj=q3(rows[peak].registers.get(HEAT_REGISTER, Decimal(0))) if peak else Decimal(0),
    )


def previous_season(season: str) -> str:
    y = int(season[:4])
    return f"{y - 1}/{y}"


def change_pct(now: Decimal, before: Decimal) -> Decimal | None:
    if not before:
        return None
    return ((now - before) * 100 / before).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def average_mw(gj: Decimal, days: int) -> Decimal:
    """Average power over ``days`` for ``gj`` of heat: GJ·10⁹ J / (days · 86 400 s) in MW."""
    return (gj * 1000 / (days * 86400)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Conclusion:
    key: str
    params: dict[str, str]


def season_conclusions(
    now: SeasonFigures, before: SeasonFigures | None, ordered_mw: Decimal | None
) -> list[Conclusion]:
    """Plain-language conclusions (message keys + parameters), most important first."""
    out: list[Conclusion] = []
    if before and now.gj_per_hdd is not None and before.gj_per_hdd:
        pct = change_pct(now.gj_per_hdd, before.gj_per_hdd)
        if pct is not None and pct <= Decimal(-5):
            out.append(Conclusion("consumption.conclusion.less_normalised", {"pct": str(-pct)}))
        elif pct is not None and pct >= Decimal(5):
            out.append(Conclusion("consumption.conclusion.more_normalised", {"pct": str(pct)}))
        else:
            out.append(Conclusion("consumption.conclusion.same_normalised", {}))
    if ordered_mw and now.peak_month:
        avg = average_mw(now.peak_gj, month_days(now.peak_month))
        share = (avg * 100 / ordered_mw).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        key = (
            "consumption.conclusion.capacity_high"
            if share >= 80
            else "consumption.conclusion.capacity_low"
            if share < 30
            else "consumption.conclusion.capacity_ok"
        )
        out.append(
            Conclusion(
                key,
                {"avg_mw": str(avg), "ordered_mw": str(ordered_mw), "share": str(share)},
            )
        )
    if now.cwu and now.cwu.estimated:
        out.append(Conclusion("consumption.conclusion.cwu_estimated", {}))
    return out


# --- electricity yearly report -------------------------------------------------------


@dataclass(frozen=True)
class BandInfo:
    """Where a yearly use sits in the capacity-charge bands (from the tariff's data)."""

    index: int
    up_to_kwh: Decimal | None
    lower_kwh: Decimal
    label_pl: str
    label_en: str


def band_position(
    yearly_kwh: Decimal, bands: Sequence[tuple[Decimal | None, str, str]]
) -> BandInfo | None:
    """The band of ``yearly_kwh`` among ``(up_to_kwh, label_pl, label_en)`` bands."""
    lower = Decimal(0)
    for i, (up_to, pl, en) in enumerate(bands):
        if up_to is None or yearly_kwh <= up_to:
            return BandInfo(i, up_to, lower, pl, en)
        lower = up_to
    return None


def energy_total(registers: Mapping[str, Decimal]) -> Decimal:
    """kWh of a month over the energy registers (total, or day + night)."""
    return sum((v for k, v in registers.items() if k in ENERGY_REGISTERS), Decimal(0))


def night_share(rows: Iterable[Row]) -> Decimal | None:
    """G12: the night zone's share of the energy, percent (None for single-zone meters)."""
    day = night = Decimal(0)
    for row in rows:
        day += row.registers.get("day", Decimal(0))
        night += row.registers.get("night", Decimal(0))
    if not day + night:
        return None
    return (night * 100 / (day + night)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- comparison with similar homes (porównanie z podobnymi odbiorcami) -------------------

MIN_PEERS = 10  # other homes needed before a position is shown
DECILES = 10


def decile_cuts(values: Sequence[Decimal]) -> list[Decimal]:
    """The nine cut points p10..p90 of a group's figures (inclusive method): what the job
    keeps of a group; no single figure is stored in the summary."""
    import statistics

    data = sorted(values)
    if len(data) < 2:
        return []
    return [q3(Decimal(c)) for c in statistics.quantiles(data, n=DECILES, method="inclusive")]


@dataclass(frozen=True)
class PeerPosition:
    peers: int  # other homes in the group
    decile: int  # 1 = the lowest tenth of use
    from_pct: int
    to_pct: int


def peer_position(value: Decimal, count: int, cuts: Sequence[Decimal]) -> PeerPosition | None:
    """Where ``value`` sits among a group of ``count`` figures (its own included); None
    unless at least ``MIN_PEERS`` other homes are in the group."""
    others = count - 1
    if others < MIN_PEERS or len(cuts) != DECILES - 1:
        return None
    decile = 1 + sum(1 for c in cuts if value > c)
    return PeerPosition(others, decile, (decile - 1) * 10, decile * 10)


def season_intensity(
    rows: Mapping[str, Row], season: str, capacity_mw: Decimal | None
) -> Decimal | None:
    """Heat of a season per MW of ordered capacity (GJ/MW): the heat peer figure."""
    if not capacity_mw:
        return None
    total = _sum(rows, season_months(season), HEAT_REGISTER)
    return q3(total / capacity_mw) if total > 0 else None


def year_energy(rows: Mapping[str, Row], year: int) -> Decimal | None:
    """kWh of a calendar year: the electricity peer figure."""
    months = month_range(f"{year}-01", f"{year}-12")
    total = sum((energy_total(rows[m].registers) for m in months if m in rows), Decimal(0))
    return q3(total) if total > 0 else None
