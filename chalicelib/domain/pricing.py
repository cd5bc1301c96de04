"""Pricing one contract for one billing period: a line per tariff component (and per price
segment when the tariff changed inside the period), VAT per rate, totals.

Rules (the unit tests recompute them by hand):

- A period that spans a price change is split into segments, one per tariff version.
- Monthly charges are prorated by days: months = segment days / days in the calendar month,
  rounded to 6 places; for capacity charges the quantity is MW × months (6 places).
- Consumption is split between segments by days (3 places); the last segment takes the
  remainder so the parts add up to the metered consumption.
- A line's net value = quantity × net unit price, rounded half up to the grosz.
- VAT is computed on the net total of each rate and rounded half up to the grosz (art. 106e
  ust. 1 pkt 14); gross = net + VAT.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from chalicelib.domain.money import to_grosze
from chalicelib.domain.tariffs import Component, Segment, TariffError, TariffVersion, segments

MONTHS_PLACES = Decimal("0.000001")
USAGE_PLACES = Decimal("0.001")
ENERGY_REGISTERS = ("total", "day", "night")


@dataclass(frozen=True)
class Line:
    """Pozycja faktury."""

    code: str
    name_pl: str
    name_en: str
    unit: str
    quantity: Decimal
    unit_price: Decimal  # net, zł
    price_unit: str
    net: int  # grosze
    vat_rate: Decimal
    period_from: date
    period_to: date
    estimated: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name_pl": self.name_pl,
            "name_en": self.name_en,
            "unit": self.unit,
            "quantity": str(self.quantity),
            "unit_price": str(self.unit_price),
            "price_unit": self.price_unit,
            "net": self.net,
            "vat_rate": str(self.vat_rate),
            "period_from": self.period_from.isoformat(),
            "period_to": self.period_to.isoformat(),
            "estimated": self.estimated,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Line:
        return cls(
            code=d["code"],
            name_pl=d["name_pl"],
            name_en=d["name_en"],
            unit=d["unit"],
            quantity=Decimal(d["quantity"]),
            unit_price=Decimal(d["unit_price"]),
            price_unit=d["price_unit"],
            net=int(d["net"]),
            vat_rate=Decimal(d["vat_rate"]),
            period_from=date.fromisoformat(d["period_from"]),
            period_to=date.fromisoformat(d["period_to"]),
            estimated=bool(d.get("estimated", False)),
        )


@dataclass(frozen=True)
class RateTotal:
    vat_rate: Decimal
    net: int
    vat: int

    @property
    def gross(self) -> int:
        return self.net + self.vat

    def as_dict(self) -> dict[str, Any]:
        return {
            "vat_rate": str(self.vat_rate),
            "net": self.net,
            "vat": self.vat,
            "gross": self.gross,
        }


@dataclass(frozen=True)
class Priced:
    lines: tuple[Line, ...]
    rates: tuple[RateTotal, ...]
    segments: tuple[tuple[date, date, date], ...] = field(default=())  # (from, to, valid_from)

    @property
    def net(self) -> int:
        return sum(r.net for r in self.rates)

    @property
    def vat(self) -> int:
        return sum(r.vat for r in self.rates)

    @property
    def gross(self) -> int:
        return self.net + self.vat


@dataclass(frozen=True)
class Usage:
    """Consumption per register over the billing period and whether it was estimated."""

    registers: Mapping[str, Decimal]
    estimated: bool = False


def line_net(quantity: Decimal, unit_price: Decimal) -> int:
    return to_grosze(quantity * unit_price)


def vat_totals(lines: Sequence[Line]) -> tuple[RateTotal, ...]:
    """VAT on the net total per rate, rounded half up to the grosz."""
    by_rate: dict[Decimal, int] = {}
    for ln in lines:
        by_rate[ln.vat_rate] = by_rate.get(ln.vat_rate, 0) + ln.net
    out = []
    for rate in sorted(by_rate, reverse=True):
        net = by_rate[rate]
        vat = int((Decimal(net) * rate / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        out.append(RateTotal(rate, net, vat))
    return tuple(out)


def month_fraction(seg: Segment) -> Decimal:
    dim = calendar.monthrange(seg.start.year, seg.start.month)[1]
    if (seg.start.year, seg.start.month) != (seg.end.year, seg.end.month):
        raise TariffError("a billing segment must lie within one calendar month")
    return (Decimal(seg.days) / Decimal(dim)).quantize(MONTHS_PLACES, rounding=ROUND_HALF_UP)


def split_usage(total: Decimal, segs: Sequence[Segment]) -> list[Decimal]:
    """Consumption per segment in proportion to days; the last takes the remainder."""
    if len(segs) == 1:
        return [total]
    days = sum(s.days for s in segs)
    parts = [
        (total * s.days / days).quantize(USAGE_PLACES, rounding=ROUND_HALF_UP) for s in segs[:-1]
    ]
    parts.append(total - sum(parts, Decimal(0)))
    return parts


def _quantity(
    comp: Component,
    seg_usage: Mapping[str, Decimal],
    months: Decimal,
    capacity_mw: Decimal | None,
) -> Decimal:
    if comp.basis == "register":
        assert comp.register is not None
        if comp.register not in seg_usage:
            raise TariffError(f"component {comp.code} needs register {comp.register}")
        return seg_usage[comp.register]
    if comp.basis == "consumption":
        return sum((v for k, v in seg_usage.items() if k in ENERGY_REGISTERS), Decimal(0))
    if comp.basis == "capacity_month":
        if capacity_mw is None:
            raise TariffError(f"component {comp.code} needs the ordered capacity")
        return (capacity_mw * months).quantize(MONTHS_PLACES, rounding=ROUND_HALF_UP)
    return months  # month, band_month


def price_period(
    versions: Sequence[TariffVersion],
    start: date,
    end: date,
    usage: Usage,
    capacity_mw: Decimal | None = None,
    yearly_kwh: Decimal | None = None,
    capacity_changes: Sequence[tuple[date, Decimal]] = (),
) -> Priced:
    """Price [start, end] (inclusive, within one month) for the given consumption.

    ``capacity_changes`` (effective from, MW) are the contract's capacity annexes
    (``store.contracts.capacity_changes``): capacity charges are then priced per part of
    a segment at the capacity in force, each prorated by its days."""
    segs = segments(versions, start, end)
    shares: dict[str, list[Decimal]] = {
        reg: split_usage(total, segs) for reg, total in usage.registers.items()
    }
    lines: list[Line] = []
    for i, seg in enumerate(segs):
        months = month_fraction(seg)
        seg_usage = {reg: parts[i] for reg, parts in shares.items()}
        for comp in seg.version.components:
            if comp.basis == "capacity_month" and capacity_changes:
                lines.extend(_capacity_lines(comp, seg, capacity_mw, capacity_changes))
                continue
            quantity = _quantity(comp, seg_usage, months, capacity_mw)
            name_pl, name_en, unit_price = comp.name_pl, comp.name_en, comp.price
            if comp.basis == "band_month":
                band = comp.band_for(yearly_kwh if yearly_kwh is not None else Decimal(0))
                unit_price = band.price
                if band.label_pl:
                    name_pl, name_en = (
                        f"{name_pl} ({band.label_pl})",
                        f"{name_en} ({band.label_en})",
                    )
            assert unit_price is not None
            consumption_based = comp.basis in ("register", "consumption")
            lines.append(
                Line(
                    code=comp.code,
                    name_pl=name_pl,
                    name_en=name_en,
                    unit=comp.unit,
                    quantity=quantity,
                    unit_price=unit_price,
                    price_unit=comp.price_unit,
                    net=line_net(quantity, unit_price),
                    vat_rate=comp.vat_rate,
                    period_from=seg.start,
                    period_to=seg.end,
                    estimated=usage.estimated and consumption_based,
                )
            )
    return Priced(
        lines=tuple(lines),
        rates=vat_totals(lines),
        segments=tuple((s.start, s.end, s.version.valid_from) for s in segs),
    )


def _capacity_lines(
    comp: Component,
    seg: Segment,
    base_mw: Decimal | None,
    changes: Sequence[tuple[date, Decimal]],
) -> list[Line]:
    """One line per part of ``seg`` with the same capacity in force (annexes by date)."""
    from datetime import timedelta

    cuts = sorted({d for d, _ in changes if seg.start < d <= seg.end})
    bounds = [seg.start, *cuts, seg.end + timedelta(days=1)]
    dim = calendar.monthrange(seg.start.year, seg.start.month)[1]
    out = []
    for start, nxt in zip(bounds, bounds[1:], strict=False):
        mw = base_mw
        for day, value in sorted(changes):
            if day <= start:
                mw = value
        if mw is None:
            raise TariffError(f"component {comp.code} needs the ordered capacity")
        months = (Decimal((nxt - start).days) / Decimal(dim)).quantize(
            MONTHS_PLACES, rounding=ROUND_HALF_UP
        )
        quantity = (mw * months).quantize(MONTHS_PLACES, rounding=ROUND_HALF_UP)
        assert comp.price is not None
        out.append(
            Line(
                code=comp.code,
                name_pl=comp.name_pl,
                name_en=comp.name_en,
                unit=comp.unit,
                quantity=quantity,
                unit_price=comp.price,
                price_unit=comp.price_unit,
                net=line_net(quantity, comp.price),
                vat_rate=comp.vat_rate,
                period_from=start,
                period_to=nxt - timedelta(days=1),
            )
        )
    return out


def difference(original: Sequence[Line], corrected: Sequence[Line]) -> tuple[Line, ...]:
    """Lines of a correcting invoice: corrected minus original, per component and segment
    (quantities and values may be negative)."""

    def key(ln: Line) -> tuple[str, date, date, Decimal]:
        return (ln.code, ln.period_from, ln.period_to, ln.unit_price)

    before = {key(ln): ln for ln in original}
    after = {key(ln): ln for ln in corrected}
    out = []
    for k in list(before) + [k for k in after if k not in before]:
        b, a = before.get(k), after.get(k)
        ref = a or b
        assert ref is not None
        qty = (a.quantity if a else Decimal(0)) - (b.quantity if b else Decimal(0))
        net = (a.net if a else 0) - (b.net if b else 0)
        if qty == 0 and net == 0:
            continue
        out.append(
            Line(
                code=ref.code,
                name_pl=ref.name_pl,
                name_en=ref.name_en,
                unit=ref.unit,
                quantity=qty,
                unit_price=ref.unit_price,
                price_unit=ref.price_unit,
                net=net,
                vat_rate=ref.vat_rate,
                period_from=ref.period_from,
                period_to=ref.period_to,
                estimated=bool(a.estimated) if a else False,
            )
        )
    return tuple(out)
