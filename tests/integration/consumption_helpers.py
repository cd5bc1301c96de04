"""Readings histories for the consumption tests (cumulative values at month ends)."""

from __future__ import annotations

from decimal import Decimal

from chalicelib.domain import consumption as c
from tests.integration.invoicing_helpers import put_reading
from tests.support import World

# GJ per month for the individual's heat meter: Jan..Dec (heating season + 1 GJ of CWU).
HEAT = ["9", "8", "6", "4", "1", "1", "1", "1", "1", "3", "6", "8"]


def heat_history(w: World, first: str = "2023-09", last: str = "2026-10") -> None:
    """Month-end readings of the individual's heat meter from ``first`` to ``last``."""
    value = Decimal(100)
    for month in c.month_range(first, last):
        value += Decimal(HEAT[int(month[5:]) - 1])
        day = f"{month}-{c.month_days(month):02d}"
        put_reading(
            w.meters["individual_heat"],
            w.individual,
            w.contracts["individual_heat"],
            day,
            heat_gj=f"{value:.3f}",
            water_m3=f"{value / 10:.3f}",
        )


def power_history(w: World, first: str = "2023-09", last: str = "2026-10") -> None:
    value = Decimal(5000)
    for month in c.month_range(first, last):
        value += Decimal(150 if int(month[5:]) in (11, 12, 1, 2) else 120)
        day = f"{month}-{c.month_days(month):02d}"
        put_reading(
            w.meters["other_power"],
            w.other_individual,
            w.contracts["other_power"],
            day,
            total=str(value),
        )
