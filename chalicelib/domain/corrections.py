"""Corrections of billed consumption (korekty zużycia): what a correction may change and
how the billing basis follows it. Pure rules, no I/O.

- A corrected quantity is never negative and never beyond what the contract could have
  used in the period (``usage_bounds``): heat within the ordered capacity running flat out
  (1 MW for a day is 86,4 GJ), other registers within ``IMPLAUSIBLE_FACTOR`` times the
  contract's own daily use (its readings of the last year, else what was billed) plus a
  small daily allowance. The audit's ``heat_gj = 99999999999`` (7,97 trillion zł) stops here.
- The state a correction starts from is the latest one (the original, or the last
  correction of it): two corrections never both diff against the original.
- The next invoice starts from the corrected reading: the closing point of the billing
  period moves by the corrected difference (``shifted_closing``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from chalicelib.domain.readings import ALLOWANCE_PER_DAY, DEFAULT_ALLOWANCE, IMPLAUSIBLE_FACTOR

GJ_PER_MW_DAY = Decimal("86.4")  # 1 MW = 1 MJ/s; 86 400 s a day
MAX_PLACES = 3
MAX_DIGITS = 12  # 999 999 999,999: beyond any meter register


@dataclass(frozen=True)
class Problem:
    """One refused register: the message key and its parameters."""

    register: str
    key: str
    params: Mapping[str, Any]


def parse_quantity(raw: Any) -> Decimal | None:
    """A finite decimal with at most 3 places and 12 digits, or None (NaN, infinities,
    exponents, text are refused before any arithmetic)."""
    text = str(raw).strip().replace(",", ".")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or "e" in text.lower():
        return None
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or -exponent > MAX_PLACES or len(digits) > MAX_DIGITS:
        return None
    return value


def usage_bounds(
    registers: Sequence[str],
    days: int,
    capacity_mw: Decimal | None,
    daily_average: Mapping[str, Decimal] | None,
    billed: Mapping[str, Decimal],
) -> dict[str, Decimal]:
    """The most a billing period of ``days`` days could plausibly have used, per register."""
    out: dict[str, Decimal] = {}
    for reg in registers:
        allowance = ALLOWANCE_PER_DAY.get(reg, DEFAULT_ALLOWANCE) * days
        if reg == "heat_gj" and capacity_mw:
            out[reg] = (capacity_mw * GJ_PER_MW_DAY * days).quantize(Decimal("0.001"))
            continue
        own = (daily_average or {}).get(reg)
        by_history = own * days * IMPLAUSIBLE_FACTOR if own is not None else Decimal(0)
        by_bill = billed.get(reg, Decimal(0)) * IMPLAUSIBLE_FACTOR
        out[reg] = (max(by_history, by_bill) + allowance).quantize(Decimal("0.001"))
    return out


def check_usage(corrected: Mapping[str, Decimal], bounds: Mapping[str, Decimal]) -> list[Problem]:
    """Negative consumption and consumption beyond the bounds are refused."""
    problems = []
    for reg, value in corrected.items():
        if value < 0:
            problems.append(Problem(reg, "invoices.negative_usage", {}))
        elif reg in bounds and value > bounds[reg]:
            problems.append(Problem(reg, "invoices.implausible_usage", {"max": f"{bounds[reg]:f}"}))
    return problems


def needs_approval(difference_grosze: int, threshold_grosze: int) -> bool:
    """Four-eyes (zasada dwóch par oczu): above the threshold a second person approves."""
    return abs(difference_grosze) > threshold_grosze


def meter_usage(meters: Sequence[Mapping[str, Any]]) -> dict[str, Decimal]:
    """Billed usage per register, summed over the meters of an invoice."""
    billed: dict[str, Decimal] = {}
    for m in meters:
        for reg, value in m["usage"].items():
            billed[reg] = billed.get(reg, Decimal(0)) + Decimal(value)
    return billed


def owner_of(meters: Sequence[Mapping[str, Any]], register: str) -> str | None:
    """The one meter that carries a register; None when several do (ambiguous)."""
    owners = [m["serial"] for m in meters if register in m["usage"]]
    return owners[0] if len(owners) == 1 else None


def shifted_closing(point: Mapping[str, Any], delta: Mapping[str, Decimal]) -> dict[str, Any]:
    """A closing point (as stored on the billing mark) moved by the corrected difference:
    the reading the next invoice starts from."""
    values = {k: Decimal(v) for k, v in point["values"].items()}
    for reg, d in delta.items():
        values[reg] = values.get(reg, Decimal(0)) + d
    return {**point, "values": {k: f"{v:f}" for k, v in values.items()}, "corrected": True}


def corrected_meters(
    meters: Sequence[Mapping[str, Any]], after: Mapping[str, Decimal]
) -> list[dict[str, Any]]:
    """The meter rows after the correction: each register's usage set to ``after``, the
    closing point moved by the difference (the opening stays)."""
    out = []
    for m in meters:
        delta = {
            reg: after[reg] - Decimal(v)
            for reg, v in m["usage"].items()
            if reg in after and after[reg] != Decimal(v)
        }
        out.append(
            {
                **m,
                "usage": {reg: f"{after.get(reg, Decimal(v)):f}" for reg, v in m["usage"].items()},
                "closing": shifted_closing(m["closing"], delta) if delta else m["closing"],
                "usage_before": dict(m["usage"]),
            }
        )
    return out
