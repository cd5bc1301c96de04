"""Pricing with totals worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from chalicelib.domain.pricing import Line, Usage, difference, price_period, split_usage, vat_totals
from chalicelib.domain.tariffs import Segment, TariffError, parse_group, segments


def heat_component(code: str, basis: str, price: str, register: str | None = None) -> dict:
    c = {
        "code": code,
        "name_pl": code,
        "name_en": code,
        "basis": basis,
        "unit": "u",
        "price_unit": "zł/u",
        "price": price,
    }
    if register:
        c["register"] = register
    return c


def heat_versions(change_on: str | None = None):
    v1 = [
        heat_component("capacity", "capacity_month", "9668.69"),
        heat_component("heat", "register", "56.98", "heat_gj"),
        heat_component("carrier", "register", "13.70", "water_m3"),
        heat_component("transmission_fixed", "capacity_month", "865.89"),
        heat_component("transmission_variable", "register", "4.15", "heat_gj"),
    ]
    versions = [{"valid_from": "2021-06-01", "components": v1}]
    if change_on:
        v2 = [
            heat_component("capacity", "capacity_month", "10249.81"),
            heat_component("heat", "register", "60.41", "heat_gj"),
            heat_component("carrier", "register", "14.52", "water_m3"),
            heat_component("transmission_fixed", "capacity_month", "917.84"),
            heat_component("transmission_variable", "register", "4.40", "heat_gj"),
        ]
        versions.append({"valid_from": change_on, "components": v2})
    return parse_group({"group": "W-1", "product": "heat", "versions": versions}).versions


def g11_versions(change_on: str | None = None):
    def comps(energy, nv, nf, quality, sub, bands):
        return [
            heat_component("energy", "register", energy, "total"),
            heat_component("network_variable", "register", nv, "total"),
            heat_component("network_fixed", "month", nf),
            heat_component("quality", "consumption", quality),
            heat_component("oze", "consumption", "0.0090"),
            heat_component("cogeneration", "consumption", "0.0040"),
            {
                "code": "capacity_charge",
                "name_pl": "Opłata mocowa",
                "name_en": "Capacity charge",
                "basis": "band_month",
                "unit": "mc",
                "price_unit": "zł/mc",
                "bands": [
                    {
                        "up_to_kwh": "500",
                        "price": bands[0],
                        "label_pl": "do 500 kWh",
                        "label_en": "up to 500 kWh",
                    },
                    {"up_to_kwh": "1200", "price": bands[1]},
                    {"up_to_kwh": "2800", "price": bands[2]},
                    {"up_to_kwh": None, "price": bands[3]},
                ],
            },
            heat_component("subscription", "month", sub),
        ]

    versions = [
        {
            "valid_from": "2025-01-01",
            "components": comps(
                "0.5000", "0.3496", "5.50", "0.0400", "0.75", ["2.63", "6.14", "10.52", "14.90"]
            ),
        }
    ]
    if change_on:
        versions.append(
            {
                "valid_from": change_on,
                "components": comps(
                    "0.5350", "0.3650", "5.80", "0.0420", "0.80", ["2.85", "6.65", "11.40", "16.14"]
                ),
            }
        )
    return parse_group({"group": "G11", "product": "electricity", "versions": versions}).versions


def nets(priced) -> dict[tuple[str, date], int]:
    return {(ln.code, ln.period_from): ln.net for ln in priced.lines}


def test_heat_contract_one_month_by_hand() -> None:
    priced = price_period(
        heat_versions(),
        date(2026, 11, 1),
        date(2026, 11, 30),
        Usage({"heat_gj": D("3.456"), "water_m3": D("0.85")}),
        capacity_mw=D("0.015"),
    )
    start = date(2026, 11, 1)
    assert nets(priced) == {
        ("capacity", start): 14503,  # 0.015 MW × 1 mc × 9668.69 = 145.03035 → 145.03
        ("heat", start): 19692,  # 3.456 GJ × 56.98 = 196.92288 → 196.92
        ("carrier", start): 1165,  # 0.85 m³ × 13.70 = 11.645 → 11.65 (half up)
        ("transmission_fixed", start): 1299,  # 0.015 × 865.89 = 12.98835 → 12.99
        ("transmission_variable", start): 1434,  # 3.456 × 4.15 = 14.3424 → 14.34
    }
    assert priced.net == 38093  # 145.03 + 196.92 + 11.65 + 12.99 + 14.34 = 380.93
    assert priced.vat == 8761  # 380.93 × 23% = 87.6139 → 87.61
    assert priced.gross == 46854  # 468.54
    assert [(r.vat_rate, r.net, r.vat) for r in priced.rates] == [(D("23"), 38093, 8761)]
    cap = next(ln for ln in priced.lines if ln.code == "capacity")
    assert cap.quantity == D("0.015000") and cap.unit_price == D("9668.69")


def test_heat_price_change_mid_period_is_split_by_days() -> None:
    # 2026-09: 1-10 old prices (10 days), 11-30 new prices (20 days).
    priced = price_period(
        heat_versions("2026-09-11"),
        date(2026, 9, 1),
        date(2026, 9, 30),
        Usage({"heat_gj": D("30.000"), "water_m3": D("2.000")}),
        capacity_mw=D("0.250"),
    )
    a, b = date(2026, 9, 1), date(2026, 9, 11)
    assert priced.segments == ((a, date(2026, 9, 10), date(2021, 6, 1)), (b, date(2026, 9, 30), b))
    q = {(ln.code, ln.period_from): ln.quantity for ln in priced.lines}
    # months 10/30 = 0.333333 and 20/30 = 0.666667; MW·mc = 0.25 × months (6 places)
    assert q[("capacity", a)] == D("0.083333") and q[("capacity", b)] == D("0.166667")
    # usage split by days: 30 GJ → 10 + 20; 2 m³ → 0.667 + 1.333 (remainder)
    assert q[("heat", a)] == D("10.000") and q[("heat", b)] == D("20.000")
    assert q[("carrier", a)] == D("0.667") and q[("carrier", b)] == D("1.333")
    assert nets(priced) == {
        ("capacity", a): 80572,  # 0.083333 × 9668.69 = 805.72094… → 805.72
        ("heat", a): 56980,  # 10 × 56.98
        ("carrier", a): 914,  # 0.667 × 13.70 = 9.1379 → 9.14
        ("transmission_fixed", a): 7216,  # 0.083333 × 865.89 = 72.15721… → 72.16
        ("transmission_variable", a): 4150,  # 10 × 4.15
        ("capacity", b): 170831,  # 0.166667 × 10249.81 = 1708.30508… → 1708.31
        ("heat", b): 120820,  # 20 × 60.41
        ("carrier", b): 1936,  # 1.333 × 14.52 = 19.35516 → 19.36
        ("transmission_fixed", b): 15297,  # 0.166667 × 917.84 = 152.97363… → 152.97
        ("transmission_variable", b): 8800,  # 20 × 4.40
    }
    assert priced.net == 467516  # 4675.16
    assert priced.vat == 107529  # 4675.16 × 23% = 1075.2868 → 1075.29
    assert priced.gross == 575045


def test_g11_contract_one_month_by_hand() -> None:
    priced = price_period(
        g11_versions(),
        date(2026, 11, 1),
        date(2026, 11, 30),
        Usage({"total": D("250")}),
        yearly_kwh=D("1800"),
    )
    by_code = {ln.code: ln.net for ln in priced.lines}
    assert by_code == {
        "energy": 12500,  # 250 kWh × 0.5000
        "network_variable": 8740,  # 250 × 0.3496 = 87.40
        "network_fixed": 550,  # 1 mc × 5.50
        "quality": 1000,  # 250 × 0.0400
        "oze": 225,  # 250 × 0.0090
        "cogeneration": 100,  # 250 × 0.0040
        "capacity_charge": 1052,  # band 1200-2800 kWh: 10.52
        "subscription": 75,  # 0.75
    }
    assert priced.net == 24242  # 242.42
    assert priced.vat == 5576  # 242.42 × 23% = 55.7566 → 55.76
    assert priced.gross == 29818


def test_g11_price_change_mid_month_prorates_monthly_charges() -> None:
    # October 2026 (31 days): 1-15 old prices, 16-31 new prices; yearly use 3000 kWh.
    priced = price_period(
        g11_versions("2026-10-16"),
        date(2026, 10, 1),
        date(2026, 10, 31),
        Usage({"total": D("310")}),
        yearly_kwh=D("3000"),
    )
    a, b = date(2026, 10, 1), date(2026, 10, 16)
    n = nets(priced)
    # months: 15/31 = 0.483871, 16/31 = 0.516129; usage 310 → 150 + 160
    assert n[("network_fixed", a)] == 266  # 0.483871 × 5.50 = 2.66129 → 2.66
    assert n[("network_fixed", b)] == 299  # 0.516129 × 5.80 = 2.99355 → 2.99
    assert n[("capacity_charge", a)] == 721  # 0.483871 × 14.90 = 7.20968 → 7.21
    assert n[("capacity_charge", b)] == 833  # 0.516129 × 16.14 = 8.33032 → 8.33
    assert n[("subscription", a)] == 36  # 0.483871 × 0.75 = 0.36290 → 0.36
    assert n[("subscription", b)] == 41  # 0.516129 × 0.80 = 0.41290 → 0.41
    assert n[("energy", a)] == 7500 and n[("energy", b)] == 8560  # 150 × 0.50; 160 × 0.535
    # A: 75 + 52.44 + 2.66 + 6.00 + 1.35 + 0.60 + 7.21 + 0.36 = 145.62
    # B: 85.60 + 58.40 + 2.99 + 6.72 + 1.44 + 0.64 + 8.33 + 0.41 = 164.53
    assert priced.net == 31015
    assert priced.vat == 7133  # 310.15 × 23% = 71.3345 → 71.33
    assert priced.gross == 38148


def test_vat_is_rounded_half_up_on_the_total_per_rate() -> None:
    def line(net: int, rate: str = "23") -> Line:
        return Line(
            "x", "x", "x", "u", D(1), D(0), "zł", net, D(rate), date(2026, 1, 1), date(2026, 1, 31)
        )

    assert vat_totals([line(50)])[0].vat == 12  # 0.115 → 0.12 (half up, not banker's 0.12/0.11)
    assert vat_totals([line(150)])[0].vat == 35  # 0.345 → 0.35
    assert vat_totals([line(250)])[0].vat == 58  # 0.575 → 0.58
    # On the total, not per line: 2 × (0.50 → 0.12) would be 0.24; 1.00 × 23% = 0.23
    assert vat_totals([line(50), line(50)])[0].vat == 23
    rates = vat_totals([line(1000), line(1000, "8")])
    assert [(r.vat_rate, r.net, r.vat) for r in rates] == [(D("23"), 1000, 230), (D("8"), 1000, 80)]


def test_line_values_round_half_up_to_the_grosz() -> None:
    priced = price_period(
        heat_versions(),
        date(2026, 11, 1),
        date(2026, 11, 30),
        Usage({"heat_gj": D("0.125"), "water_m3": D("0.125")}),
        capacity_mw=D("0"),
    )
    n = {ln.code: ln.net for ln in priced.lines}
    assert n["heat"] == 712  # 0.125 × 56.98 = 7.1225 → 7.12
    assert n["carrier"] == 171  # 0.125 × 13.70 = 1.7125 → 1.71
    assert n["transmission_variable"] == 52  # 0.125 × 4.15 = 0.51875 → 0.52


def test_capacity_band_edges() -> None:
    comp = next(c for c in g11_versions()[0].components if c.code == "capacity_charge")
    assert comp.band_for(D("500")).price == D("2.63")
    assert comp.band_for(D("500.01")).price == D("6.14")
    assert comp.band_for(D("1200")).price == D("6.14")
    assert comp.band_for(D("2800")).price == D("10.52")
    assert comp.band_for(D("99999")).price == D("14.90")


def test_split_usage_keeps_the_total() -> None:
    v = heat_versions()[0]
    segs = [
        Segment(date(2026, 1, 1), date(2026, 1, 10), v),
        Segment(date(2026, 1, 11), date(2026, 1, 20), v),
        Segment(date(2026, 1, 21), date(2026, 1, 31), v),
    ]
    parts = split_usage(D("100"), segs)
    assert parts == [D("32.258"), D("32.258"), D("35.484")]
    assert sum(parts) == D("100")


def test_contract_starting_mid_month_pays_fixed_charges_for_its_days() -> None:
    priced = price_period(
        heat_versions(),
        date(2026, 11, 16),
        date(2026, 11, 30),
        Usage({"heat_gj": D("0"), "water_m3": D("0")}),
        capacity_mw=D("0.015"),
    )
    cap = next(ln for ln in priced.lines if ln.code == "capacity")
    assert cap.quantity == D("0.007500")  # 0.015 × 15/30
    assert cap.net == 7252  # 0.0075 × 9668.69 = 72.515175 → 72.52


def test_missing_tariff_or_register_is_an_error() -> None:
    with pytest.raises(TariffError):
        segments(heat_versions(), date(2020, 1, 1), date(2020, 1, 31))
    with pytest.raises(TariffError):
        price_period(
            heat_versions(),
            date(2026, 11, 1),
            date(2026, 11, 30),
            Usage({"total": D(1)}),
            capacity_mw=D("0.1"),
        )


def test_tariff_files_refuse_floats_and_gaps() -> None:
    with pytest.raises(TariffError):
        parse_group(
            {
                "group": "X",
                "product": "heat",
                "versions": [
                    {"valid_from": "2026-01-01", "components": [heat_component("a", "month", 1.5)]}
                ],
            }
        )
    with pytest.raises(TariffError):
        parse_group({"group": "X", "product": "gas", "versions": []})


def test_correction_lines_are_differences() -> None:
    before = price_period(
        heat_versions(),
        date(2026, 11, 1),
        date(2026, 11, 30),
        Usage({"heat_gj": D("3.456"), "water_m3": D("0.85")}, True),
        capacity_mw=D("0.015"),
    )
    after = price_period(
        heat_versions(),
        date(2026, 11, 1),
        date(2026, 11, 30),
        Usage({"heat_gj": D("2.456"), "water_m3": D("0.85")}),
        capacity_mw=D("0.015"),
    )
    diff = {ln.code: (ln.quantity, ln.net) for ln in difference(before.lines, after.lines)}
    # -1 GJ: heat 2.456 × 56.98 = 139.94288 → 139.94 (was 196.92): -56.98; transmission 10.19 - 14.34
    assert diff == {"heat": (D("-1.000"), -5698), "transmission_variable": (D("-1.000"), -415)}
