"""Tariffs (taryfy) as data: a tariff group is a list of versions, each a set of priced
components valid from a date until the next version starts.

Prices are net złoty as Decimal with as many places as the tariff publishes. A component's
``basis`` says what its price multiplies:

- ``register``: consumption of one meter register (``heat_gj``, ``water_m3``, ``total``,
  ``day``, ``night``) — zł/GJ, zł/m³, zł/kWh;
- ``consumption``: the sum of every energy register of the meter (electricity charges that do
  not depend on the zone: quality, OZE, cogeneration) — zł/kWh;
- ``capacity_month``: ordered capacity (MW) × months — zł/MW/month;
- ``month``: months — zł/month (subscription, fixed network charge);
- ``band_month``: months, priced by the yearly-use band the contract falls in (capacity
  charge, opłata mocowa) — zł/month.

Pure code: the data files in ``data/tariffs/`` are parsed here and stored by
``services.tariffs``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

BASES = ("register", "consumption", "capacity_month", "month", "band_month")
PRODUCTS = ("heat", "electricity")


class TariffError(ValueError):
    """A tariff file or a tariff lookup that cannot be used."""


@dataclass(frozen=True)
class Band:
    """A yearly-use band of the capacity charge: up to ``up_to_kwh`` (None = no limit),
    that value included unless ``inclusive`` is false. The statute's household bands (art.
    70 ustawy o rynku mocy) are "poniżej 500 kWh" (500 excluded), "od 500 kWh do 1200
    kWh", "powyżej 1200 kWh do 2800 kWh" (limits included) and "powyżej 2800 kWh"."""

    up_to_kwh: Decimal | None
    price: Decimal
    label_pl: str
    label_en: str
    inclusive: bool = True

    def covers(self, yearly_kwh: Decimal) -> bool:
        if self.up_to_kwh is None:
            return True
        return yearly_kwh <= self.up_to_kwh if self.inclusive else yearly_kwh < self.up_to_kwh


@dataclass(frozen=True)
class Component:
    code: str
    name_pl: str
    name_en: str
    basis: str
    unit: str  # unit of the quantity on the invoice line: GJ, m³, kWh, MW·mc, mc
    price_unit: str  # unit of the price, e.g. zł/GJ, zł/MW/mc
    price: Decimal | None = None
    register: str | None = None
    bands: tuple[Band, ...] = ()
    vat_rate: Decimal = Decimal("23")

    def band_for(self, yearly_kwh: Decimal) -> Band:
        for band in self.bands:
            if band.covers(yearly_kwh):
                return band
        raise TariffError(f"no band of {self.code} covers {yearly_kwh} kWh")

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "name_pl": self.name_pl,
            "name_en": self.name_en,
            "basis": self.basis,
            "unit": self.unit,
            "price_unit": self.price_unit,
            "vat_rate": str(self.vat_rate),
        }
        if self.price is not None:
            out["price"] = str(self.price)
        if self.register:
            out["register"] = self.register
        if self.bands:
            out["bands"] = [
                {
                    "up_to_kwh": None if b.up_to_kwh is None else str(b.up_to_kwh),
                    "price": str(b.price),
                    "label_pl": b.label_pl,
                    "label_en": b.label_en,
                    "inclusive": b.inclusive,
                }
                for b in self.bands
            ]
        return out


@dataclass(frozen=True)
class TariffVersion:
    group: str
    product: str
    valid_from: date
    components: tuple[Component, ...]
    valid_to: date | None = None  # inclusive; None while no later version exists

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class TariffGroup:
    group: str
    product: str
    name_pl: str
    name_en: str
    source: str
    versions: tuple[TariffVersion, ...] = field(default_factory=tuple)


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, float):
        raise TariffError(f"{where}: write prices as strings, not floats")
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise TariffError(f"{where}: not a number: {value!r}") from None
    if not result.is_finite() or result < 0:
        raise TariffError(f"{where}: a price must be a non-negative number")
    return result


def parse_component(data: dict[str, Any], where: str) -> Component:
    basis = data.get("basis")
    if basis not in BASES:
        raise TariffError(f"{where}: basis must be one of {BASES}")
    code = str(data.get("code") or "")
    if not code:
        raise TariffError(f"{where}: component without code")
    bands: tuple[Band, ...] = ()
    price = None
    if basis == "band_month":
        raw = data.get("bands") or []
        if not raw:
            raise TariffError(f"{where}/{code}: band_month needs bands")
        bands = tuple(
            Band(
                up_to_kwh=None
                if b.get("up_to_kwh") is None
                else _decimal(b["up_to_kwh"], f"{where}/{code}"),
                price=_decimal(b["price"], f"{where}/{code}"),
                label_pl=str(b.get("label_pl", "")),
                label_en=str(b.get("label_en", "")),
                inclusive=bool(b.get("inclusive", True)),
            )
            for b in raw
        )
        if bands[-1].up_to_kwh is not None:
            raise TariffError(f"{where}/{code}: the last band must be open (up_to_kwh null)")
    else:
        price = _decimal(data.get("price"), f"{where}/{code}")
    if basis == "register" and not data.get("register"):
        raise TariffError(f"{where}/{code}: basis register needs a register")
    return Component(
        code=code,
        name_pl=str(data.get("name_pl") or code),
        name_en=str(data.get("name_en") or code),
        basis=basis,
        unit=str(data.get("unit") or ""),
        price_unit=str(data.get("price_unit") or ""),
        price=price,
        register=data.get("register"),
        bands=bands,
        vat_rate=_decimal(data.get("vat_rate", "23"), f"{where}/{code}"),
    )


def parse_group(data: dict[str, Any]) -> TariffGroup:
    """A data file (dict) → TariffGroup with contiguous, validated versions."""
    group = str(data.get("group") or "")
    product = str(data.get("product") or "")
    if not group or product not in PRODUCTS:
        raise TariffError("a tariff needs a group and a product (heat | electricity)")
    raw_versions = data.get("versions") or []
    if not raw_versions:
        raise TariffError(f"{group}: no versions")
    parsed: list[tuple[date, tuple[Component, ...]]] = []
    for i, v in enumerate(raw_versions):
        where = f"{group}/versions[{i}]"
        try:
            start = date.fromisoformat(str(v["valid_from"]))
        except (KeyError, ValueError):
            raise TariffError(f"{where}: valid_from must be YYYY-MM-DD") from None
        comps = tuple(parse_component(c, where) for c in v.get("components") or [])
        if not comps:
            raise TariffError(f"{where}: no components")
        codes = [c.code for c in comps]
        if len(set(codes)) != len(codes):
            raise TariffError(f"{where}: component codes repeat")
        parsed.append((start, comps))
    parsed.sort(key=lambda p: p[0])
    starts = [p[0] for p in parsed]
    if len(set(starts)) != len(starts):
        raise TariffError(f"{group}: two versions start on the same day")
    versions = chain_versions(group, product, parsed)
    return TariffGroup(
        group=group,
        product=product,
        name_pl=str(data.get("name_pl") or group),
        name_en=str(data.get("name_en") or group),
        source=str(data.get("source") or ""),
        versions=versions,
    )


def chain_versions(
    group: str, product: str, parsed: Sequence[tuple[date, tuple[Component, ...]]]
) -> tuple[TariffVersion, ...]:
    """Each version is valid until the day before the next one starts."""
    out = []
    for i, (start, comps) in enumerate(parsed):
        end = parsed[i + 1][0] - timedelta(days=1) if i + 1 < len(parsed) else None
        out.append(TariffVersion(group, product, start, comps, end))
    return tuple(out)


def version_at(versions: Iterable[TariffVersion], day: date) -> TariffVersion | None:
    for v in versions:
        if v.covers(day):
            return v
    return None


@dataclass(frozen=True)
class Segment:
    """Part of a billing period priced by one tariff version."""

    start: date
    end: date  # inclusive
    version: TariffVersion

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def segments(versions: Sequence[TariffVersion], start: date, end: date) -> list[Segment]:
    """Split [start, end] at every price change; every day must be covered by a version."""
    if end < start:
        raise TariffError("billing period ends before it starts")
    out: list[Segment] = []
    day = start
    ordered = sorted(versions, key=lambda v: v.valid_from)
    while day <= end:
        v = version_at(ordered, day)
        if v is None:
            raise TariffError(f"no tariff version on {day.isoformat()}")
        seg_end = end if v.valid_to is None else min(end, v.valid_to)
        out.append(Segment(day, seg_end, v))
        day = seg_end + timedelta(days=1)
    return out
