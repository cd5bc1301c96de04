"""The heating-season report computed by hand for the individual's heat contract (0.015 MW,
Wrocław, W-1), and the electricity yearly report."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from chalicelib.domain import consumption as c
from tests.integration.consumption_helpers import power_history
from tests.integration.invoicing_helpers import load_tariffs, put_reading

# GJ per month (cumulative readings at month ends); water m³ = GJ / 10.
USE = {
    # summer before the previous season: CWU 1.2 GJ a month
    **{f"2024-{m:02d}": "1.2" for m in (5, 6, 7, 8, 9)},
    # previous season 2024/2025: 51 GJ
    "2024-10": "4", "2024-11": "7", "2024-12": "9", "2025-01": "10", "2025-02": "9", "2025-03": "7", "2025-04": "5",
    # summer 2025: CWU base 1 GJ a month
    **{f"2025-{m:02d}": "1" for m in (5, 6, 7, 8, 9)},
    # season 2025/2026: 44 GJ
    "2025-10": "3", "2025-11": "6", "2025-12": "8", "2026-01": "9", "2026-02": "8", "2026-03": "6", "2026-04": "4",
}  # fmt: skip


def _temps(city: str, first: date, last: date, mean: str) -> None:
    from chalicelib.store import weather as store

    store.put_days(
        store.daily_item(city, (first + timedelta(days=i)).isoformat(), D(mean), "imgw", "12424")
        for i in range((last - first).days + 1)
    )


@pytest.fixture
def season_world(world):
    from chalicelib.services import consumption

    load_tariffs()
    value = D(100)
    put_reading(
        "HM-100001",
        world.individual,
        "C-100001-H",
        "2024-04-30",
        heat_gj="100.000",
        water_m3="10.000",
    )
    for month, use in USE.items():
        value += D(use)
        day = f"{month}-{c.month_days(month):02d}"
        put_reading(
            "HM-100001",
            world.individual,
            "C-100001-H",
            day,
            heat_gj=f"{value:.3f}",
            water_m3=f"{value / 10:.3f}",
        )
    _temps("WROCŁAW", date(2024, 10, 1), date(2025, 4, 30), "3.0")  # colder: 15 HDD a day
    _temps("WROCŁAW", date(2025, 10, 1), date(2026, 4, 30), "5.0")  # milder: 13 HDD a day
    consumption.project(world.individual)
    power_history(world)
    consumption.project(world.other_individual)
    return world


def test_season_report_by_hand(api, season_world, login_as) -> None:
    w = season_world
    r = api.get(
        f"/customers/{w.individual}/consumption/season-report?contract=C-100001-H&season=2025/2026",
        headers=login_as("customer", [w.individual]),
    )
    assert r.status == 200, r.body
    d = r.json["data"]
    now, prev = d["season"], d["previous"]
    assert now["heat_gj"] == "44.000" and prev["heat_gj"] == "51.000"
    assert d["change_pct"] == "-13.7"  # (44 − 51) / 51
    # start of season (Oct + Nov) against its end (Mar + Apr)
    assert (now["start_gj"], now["end_gj"]) == ("9.000", "10.000")
    # CWU estimated from the summer base: 1 GJ a month → 7 GJ in the season, 12 in a year
    assert now["cwu"] == {
        "monthly_gj": "1.000",
        "season_gj": "7.000",
        "year_gj": "12.000",
        "estimated": True,
        "basis_months": ["2025-05", "2025-06", "2025-07", "2025-08", "2025-09"],
    }
    assert prev["cwu"]["season_gj"] == "8.400"  # 1.2 × 7
    # HDD: 212 days × (18 − 5) = 2756 and 212 × (18 − 3) = 3180
    assert (now["hdd"], prev["hdd"]) == ("2756.00", "3180.00")
    assert now["space_heating_gj"] == "37.000" and prev["space_heating_gj"] == "42.600"
    # 37 / 2756 = 0.01343 and 42.6 / 3180 = 0.01340 GJ per degree day: the same, +0.2 %
    assert (now["gj_per_hdd"], prev["gj_per_hdd"]) == ("0.01343", "0.01340")
    assert d["normalised_change_pct"] == "0.2"
    keys = [x["key"] for x in r.json["conclusions"]]
    assert keys[0] == "consumption.conclusion.same_normalised"  # 13.7 % less, but a milder winter
    # coldest month January: 9 GJ / (31 days × 86 400 s) = 0.0034 MW, 23 % of 0.015 MW
    assert "consumption.conclusion.capacity_low" in keys
    assert "consumption.conclusion.cwu_estimated" in keys
    # Cost from the W-1 tariff (not invoiced): fixed 0.015 MW × (9668.69 + 865.89) a month =
    # 145.03 + 12.99 = 158.02 zł × 7; variable (56.98 + 4.15) zł/GJ + 13.70 zł/m³ × 0.1 = 62.50 zł/GJ × 44
    assert now["cost"]["fixed_net"] == 15802 * 7 and now["cost"]["variable_net"] == 6250 * 44
    assert now["cost"]["gross"] == now["cost"]["net"] + now["cost"]["vat"]
    en = api.get(
        f"/customers/{w.individual}/consumption/season-report?contract=C-100001-H&season=2025/2026",
        headers={**login_as("customer", [w.individual]), "Accept-Language": "en"},
    )
    assert "degree days" in en.json["conclusions"][0]["text"]


def test_electricity_year_report(api, season_world, login_as) -> None:
    w = season_world
    r = api.get(
        f"/customers/{w.other_individual}/consumption/year-report?contract=C-100002-E&year=2025",
        headers=login_as("customer", [w.other_individual]),
    )
    assert r.status == 200, r.body
    d = r.json["data"]
    assert d["total_kwh"] == "1560.000"  # 4 × 150 + 8 × 120
    assert d["band"]["index"] == 2 and d["band"]["from_kwh"] == "1200"
    assert len(d["months"]) == 12 and d["months"][0]["usage_last_year"] == {"total": "150.000"}
    assert d["night_share_pct"] is None


def test_report_bad_input_and_other_customer(api, season_world, login_as) -> None:
    w = season_world
    mine = login_as("customer", [w.individual])
    base = f"/customers/{w.individual}/consumption"
    assert (
        api.get(f"{base}/season-report?contract=C-100001-H&season=2025/2027", headers=mine).status
        == 400
    )
    assert (
        api.get(f"{base}/season-report?contract=C-100001-H&season=abc", headers=mine).status == 400
    )
    assert api.get(f"{base}/year-report?contract=C-100001-H", headers=mine).status == 400  # heat
    assert api.get(f"{base}/season-report?contract=C-100002-E", headers=mine).status == 404
    other = f"/customers/{w.other_individual}/consumption/year-report?contract=C-100002-E"
    assert api.get(other, headers=mine).status == 404
