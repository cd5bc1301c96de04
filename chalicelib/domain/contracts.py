"""Contract rules: expiry reminder stages, notice periods, terms in force on a day.

A contract's terms change by annexes (aneksy) that take effect from a date: ordered heat
capacity (moc zamówiona), electricity tariff group, end date. The terms in force on a day are
the base contract's, overridden by every annex effective on or before that day, in order.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

REMINDER_STAGES = (90, 30)
"""Days before the end of a contract when its holder is reminded (once per stage)."""

DEFAULT_NOTICE_MONTHS = {"heat": 3, "electricity": 1}
"""Okres wypowiedzenia when the contract names none (heat: 3 months, electricity: 1)."""


def reminder_stage(end: date, today: date) -> int | None:
    """The reminder due today: 30 when at most 30 days are left, 90 when at most 90, else
    None (and None after the end). A missed 90-day run is not sent late once 30 is due."""
    left = (end - today).days
    if left < 0:
        return None
    for stage in sorted(REMINDER_STAGES):
        if left <= stage:
            return stage
    return None


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_month(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def earliest_termination(filed: date, notice_months: int) -> date:
    """Notice runs to the end of the month after ``notice_months`` full months from filing."""
    return end_of_month(add_months(filed, notice_months))


@dataclass(frozen=True)
class Annex:
    """A change of terms from ``effective_from``; None fields are unchanged."""

    effective_from: date
    ref: str
    capacity_mw: Decimal | None = None
    tariff_group: str | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class Terms:
    capacity_mw: Decimal | None
    tariff_group: str
    end_date: date | None


def terms_on(base: Terms, annexes: Iterable[Annex], day: date) -> Terms:
    """The terms in force on ``day`` (annexes applied in order of their effective date)."""
    capacity, group, end = base.capacity_mw, base.tariff_group, base.end_date
    for annex in sorted(annexes, key=lambda a: (a.effective_from, a.ref)):
        if annex.effective_from > day:
            break
        capacity = annex.capacity_mw if annex.capacity_mw is not None else capacity
        group = annex.tariff_group or group
        end = annex.end_date or end
    return Terms(capacity, group, end)


def capacity_changes(annexes: Iterable[Annex]) -> list[tuple[date, Decimal]]:
    """(effective from, MW) of every capacity annex, in date order: what
    ``domain.pricing.price_period(capacity_changes=...)`` takes."""
    return sorted((a.effective_from, a.capacity_mw) for a in annexes if a.capacity_mw is not None)


def valid_ppe(code: str) -> bool:
    """Kod PPE (punkt poboru energii): 'PL' and 16 more letters or digits, 18 in all."""
    return len(code) == 18 and code[:2] == "PL" and code[2:].isalnum() and code.isupper()
