"""Consumption analytics worked out by hand: proration, grouping, HDD, CWU, season report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from chalicelib.domain import consumption as c
from chalicelib.domain import readings as rd


def _p(day: str, kind: str = rd.REMOTE, **values: str) -> rd.Point:
    return rd.Point(date.fromisoformat(day), {k: D(v) for k, v in values.items()}, kind, key=day)


def test_proration_across_month_boundaries() -> None:
    # 2026-01-15 → 2026-03-10: 54 days (16 in Jan, 28 in Feb, 10 in Mar), 54 GJ.
    months = c.prorate(
        [_p("2026-01-15", heat_gj="100"), _p("2026-03-10", heat_gj="154")], ["heat_gj"]
    )
    assert {k: m.registers["heat_gj"] for k, m in months.items()} == {
        "2026-01": D("16.000"),
        "2026-02": D("28.000"),
        "2026-03": D("10.000"),
    }
    assert [m.days for m in months.values()] == [16, 28, 10]
    assert not any(m.estimated for m in months.values())


def test_proration_remainder_and_estimates() -> None:
    # 10 kWh over 3 days across a boundary: 3.333 + 3.333 ... the last month takes the rest.
    months = c.prorate(
        [_p("2026-01-30", total="0"), _p("2026-02-02", rd.ESTIMATE, total="10")], ["total"]
    )
    assert months["2026-01"].registers["total"] == D("3.333")  # 1 day (31 Jan)
    assert months["2026-02"].registers["total"] == D("6.667")  # 2 days, remainder
    assert sum(m.registers["total"] for m in months.values()) == D(10)
    assert all(m.estimated for m in months.values())


def test_month_end_readings_give_whole_months_and_group_by() -> None:
    pts = [_p("2025-09-30", heat_gj="0")]
    total = D(0)
    for key, use in (
        ("2025-10-31", "5"),
        ("2025-11-30", "8"),
        ("2025-12-31", "10"),
        ("2026-01-31", "12"),
    ):
        total += D(use)
        pts.append(_p(key, heat_gj=str(total)))
    months = c.prorate(pts, ["heat_gj"])
    rows = [
        c.Row(k, m.registers, m.estimated, c.MonthCost(100, 23, 123, 60, 40, ["x"]))
        for k, m in months.items()
    ]
    seasons = c.group(rows, "season")
    assert [(r.key, r.registers["heat_gj"], r.months) for r in seasons] == [("2025/2026", D(35), 4)]
    assert seasons[0].cost is not None and seasons[0].cost.gross == 4 * 123
    years = c.group(rows, "year")
    assert [(r.key, r.registers["heat_gj"]) for r in years] == [("2025", D(23)), ("2026", D(12))]
    assert c.season_of("2026-07") == "2026-lato"


def test_hdd_eurostat() -> None:
    # 18 − Tm on days with Tm <= 15: 10 → 8, 15 → 3, 15.1 → 0, −2 → 20.
    assert c.hdd([D(10), D(15), D("15.1"), D(-2)]) == D("31.00")


def test_invoice_cost_split_fixed_and_variable() -> None:
    lines = [
        {"code": "capacity", "net": 14503},
        {"code": "heat", "net": 5698},
        {"code": "transmission_fixed", "net": 1299},
    ]
    cost = c.invoice_cost(lines, 21500, 4945, 26445, "FC-2026-10-000001")
    assert (cost.fixed_net, cost.variable_net) == (15802, 5698)


def test_band_position() -> None:
    bands = [
        (D(500), "do 500", "<500"),
        (D(1200), "500-1200", ""),
        (D(2800), "1200-2800", ""),
        (None, ">2800", ""),
    ]
    assert c.band_position(D(1900), bands) == c.BandInfo(2, D(2800), D(1200), "1200-2800", "")
    assert (
        c.band_position(D(3000), bands) is not None and c.band_position(D(3000), bands).index == 3
    )  # type: ignore[union-attr]
