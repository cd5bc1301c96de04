"""Readings rules (consumption, meter change, plausibility, estimates) and invoice rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from chalicelib.domain import invoices as inv
from chalicelib.domain import readings as rd


def p(day: str, kind: str = rd.REMOTE, old: dict | None = None, **values: str) -> rd.Point:
    d = date.fromisoformat(day)
    return rd.Point(
        d,
        {k: D(v) for k, v in values.items()},
        kind,
        {k: D(v) for k, v in (old or {}).items()} or None,
        rd.point_key(d, kind),
    )


def monthly(start_value: int, per_month: int, months: int, year: int = 2025) -> list[rd.Point]:
    out = []
    for i in range(months):
        y, m = year + (i // 12), i % 12 + 1
        out.append(p(f"{y:04d}-{m:02d}-28", total=str(start_value + per_month * i)))
    return out


def test_consumption_walks_through_a_meter_change() -> None:
    chain = [
        p("2026-01-31", total="1000"),
        p("2026-02-10", total="1100"),  # final reading of the old meter on the change day
        p("2026-02-10", rd.CHANGE, old={"total": "1120"}, total="5"),  # old meter ended at 1120
        p("2026-02-28", total="105"),
    ]
    assert rd.consumption(chain, ["total"]) == {
        "total": D("220")
    }  # 120 on the old + 100 on the new


def test_below_previous_is_refused_unless_a_meter_change() -> None:
    history = [p("2026-10-31", total="1000")]
    check = rd.check_new(history, p("2026-11-30", rd.CUSTOMER, total="999.9"), ["total"])
    assert check.refused and check.below == {"total": D("1000")}
    assert not rd.check_new(history, p("2026-11-30", rd.CHANGE, total="3"), ["total"]).refused
    after_change = [*history, p("2026-11-10", rd.CHANGE, total="3")]
    assert not rd.check_new(
        after_change, p("2026-11-30", rd.CUSTOMER, total="50"), ["total"]
    ).refused


def test_estimates_do_not_count_as_previous_reading() -> None:
    history = [p("2026-09-30", total="1000"), p("2026-10-31", rd.ESTIMATE, total="1300")]
    # the estimate was too high: a real 1200 is accepted
    assert not rd.check_new(history, p("2026-11-05", rd.CUSTOMER, total="1200"), ["total"]).refused


def test_implausible_reading_is_flagged_not_refused() -> None:
    history = monthly(1000, 100, 12)  # ~3.3 kWh a day, last 2100 on 2025-12-28
    normal = rd.check_new(history, p("2026-01-28", rd.CUSTOMER, total="2230"), ["total"])
    assert not normal.refused and not normal.implausible
    spike = rd.check_new(history, p("2026-01-28", rd.CUSTOMER, total="9000"), ["total"])
    assert not spike.refused and set(spike.implausible) == {"total"}


def test_no_history_means_no_plausibility_flag() -> None:
    history = [p("2026-10-31", total="10")]
    assert not rd.check_new(
        history, p("2026-11-30", rd.CUSTOMER, total="99999"), ["total"]
    ).implausible


def test_billing_with_actual_closing_reading() -> None:
    history = [p("2026-10-31", total="1000"), p("2026-11-30", total="1250")]
    b = rd.billing_usage(history, ["total"], date(2026, 11, 1), date(2026, 11, 30), None)
    assert (
        b is not None
        and not b.estimated
        and b.usage == {"total": D("250")}
        and b.new_estimate is None
    )


def test_missing_reading_is_estimated_and_then_reconciled() -> None:
    history = monthly(1000, 100, 11)  # 2025-01-28 .. 2025-11-28, nothing after
    opening = history[-1]
    b = rd.billing_usage(history, ["total"], date(2025, 12, 1), date(2025, 12, 31), opening)
    assert b is not None and b.estimated and b.new_estimate is not None
    assert b.closing.kind == rd.ESTIMATE and b.closing.read_on == date(2025, 12, 31)
    # ~100 kWh per 30-31 days continues: 33 days from 28.11 → about 110 kWh
    assert D("100") < b.usage["total"] < D("120")
    # The next actual reading settles it: the next bill runs from the estimate to the actual.
    est = b.closing
    actual = p("2026-01-31", total="2150")
    b2 = rd.billing_usage(
        [*history, est, actual], ["total"], date(2026, 1, 1), date(2026, 1, 31), est
    )
    assert b2 is not None and not b2.estimated
    assert b2.usage["total"] == D("2150") - est.values["total"]
    assert b.usage["total"] + b2.usage["total"] == D("2150") - D("2000")


def test_no_reading_at_all_means_no_usage() -> None:
    assert rd.billing_usage([], ["total"], date(2026, 11, 1), date(2026, 11, 30), None) is None


def test_yearly_use_from_history() -> None:
    history = monthly(0, 150, 13)  # 150 kWh a month
    yearly = rd.yearly_use(history, ["total"], date(2026, 1, 28), D(0))
    assert D("1750") < yearly < D("1900")


def test_periods_and_numbers() -> None:
    period = inv.Period.parse("2026-11")
    assert (period.first, period.last) == (date(2026, 11, 1), date(2026, 11, 30))
    assert inv.Period.parse("2026-01").previous().key == "2025-12"
    assert inv.billing_window(period, "2026-11-16", None) == (
        date(2026, 11, 16),
        date(2026, 11, 30),
    )
    assert inv.billing_window(period, "2024-01-01", "2026-10-31") is None
    assert inv.invoice_number("FC", date(2026, 12, 1), 5) == "FC/2026/12/000005"
    assert inv.parse_invoice_id("FC-2026-12-000005") == ("FC", "2026-12", 5)
    assert inv.parse_invoice_id("../etc") is None
    assert inv.due_date(date(2026, 12, 1)) == date(2026, 12, 15)
    for bad in ("2026-13", "26-11", "", "2026-1"):
        try:
            inv.Period.parse(bad)
        except inv.PeriodError:
            continue
        raise AssertionError(bad)


def test_previous_month_in_warsaw_time() -> None:
    from datetime import UTC, datetime

    # 2026-11-30 23:30 UTC is already 1 December in Warsaw: the previous month is November.
    assert inv.previous_month(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)).key == "2026-11"
    assert inv.previous_month(datetime(2026, 11, 30, 22, 30, tzinfo=UTC)).key == "2026-10"


def test_amount_in_words() -> None:
    assert inv.amount_in_words(46854) == "czterysta sześćdziesiąt osiem złotych 54/100"
    assert inv.amount_in_words(100) == "jeden złoty 00/100"
    assert inv.amount_in_words(2200) == "dwadzieścia dwa złote 00/100"
    assert inv.amount_in_words(1200) == "dwanaście złotych 00/100"
    assert inv.amount_in_words(123456789) == (
        "milion dwieście trzydzieści cztery tysiące pięćset sześćdziesiąt siedem złotych 89/100"
    )
    assert inv.amount_in_words(100100) == "tysiąc jeden złotych 00/100"
