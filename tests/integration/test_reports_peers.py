"""Comparison with similar homes: the report job's anonymous group summary, shown only with
at least 10 other homes in the group (city, product, tariff group), never another's figure."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.integration.consumption_helpers import heat_history
from tests.integration.invoicing_helpers import drain, load_tariffs, run_schedule

SEASON_MONTHS = ["2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04"]


def _neighbours(n: int) -> list[str]:
    """``n`` other heat customers in Wrocław (W-1) with a season of use; their GJ per MW."""
    from chalicelib.services import customers as svc
    from chalicelib.store import consumption as usage

    figures = []
    for i in range(n):
        no = f"{400000 + i}"
        addr = {
            "street": "ul. Legnicka",
            "building": str(50 + i),
            "postal_code": "53-674",
            "city": "Wrocław",
        }
        svc.create_customer(
            svc.NewCustomer(
                customer_no=no,
                kind="individual",
                name=f"Sąsiad {i}",
                pesel="44051401359",
                address=addr,
                email=f"sasiad{i}@example.pl",
                manager_id="M1",
            )
        )
        p = svc.add_premises(no, "Mieszkanie", addr, f"P-{no}-1")
        svc.add_contract(
            no, f"C-{no}-H", p.premises_id, "heat", "W-1", "2024-01-01", None, Decimal("0.010")
        )
        per_month = Decimal(3 + i) + Decimal("0.123")  # distinct, recognisable figures
        usage.put_months(
            usage.usage_month(
                no,
                f"C-{no}-H",
                m,
                product="heat",
                tariff_group="W-1",
                registers={"heat_gj": per_month},
                estimated=False,
                days=30,
                cost=None,
                at="x",
            )
            for m in SEASON_MONTHS
        )
        figures.append(str((per_month * 7 / Decimal("0.010")).quantize(Decimal("0.001"))))
    return figures


def _season(api, w, login_as) -> dict:
    r = api.get(
        f"/customers/{w.individual}/consumption/season-report?contract=C-100001-H&season=2025/2026",
        headers=login_as("customer", [w.individual]),
    )
    assert r.status == 200, r.body
    return r.json


@pytest.fixture
def heat_world(world):
    from chalicelib.services import consumption

    load_tariffs()
    heat_history(world)
    consumption.project(world.individual)
    return world


def test_position_shown_with_ten_others_and_no_other_figure(api, heat_world, login_as) -> None:
    others = _neighbours(10)
    run_schedule("reports_run", {"season": "2025/2026"})
    drain("ebok-local-reports", "reports_worker", batch=5)
    body = _season(api, heat_world, login_as)
    peers = body["peers"]
    assert peers is not None and peers["peers"] == 10
    # Jan: 44 GJ / 0.015 MW = 2933.333 GJ/MW; the others (3.123 + i) GJ x 7 / 0.010 MW =
    # 2186.1, 2886.1, 3586.1 ... 8486.1: Jan is third of 11, in the second tenth.
    assert peers["value"] == "2933.333" and peers["decile"] == 2
    assert (peers["from_pct"], peers["to_pct"]) == (10, 20)
    assert "10" in peers["text"] and "Wrocław" in peers["text"]
    text = json.dumps(body)
    assert not [f for f in others if f in text or f.rstrip("0").rstrip(".") in text]
    # The job keeps the count and the cut points (internal); none of them reaches the answer.
    from chalicelib.store import reports as store

    summary = store.get_summary("heat_season", "2025/2026", "WROCŁAW#heat#W-1")
    assert summary is not None and int(summary.samples) == 11 and len(summary.cuts) == 9
    assert not [c for c in map(str, summary.cuts) if c != peers["value"] and c in text]


def test_hidden_with_fewer_than_ten_others(api, heat_world, login_as) -> None:
    _neighbours(9)
    run_schedule("reports_run", {"season": "2025/2026"})
    drain("ebok-local-reports", "reports_worker", batch=5)
    assert _season(api, heat_world, login_as)["peers"] is None


def test_no_summary_means_no_comparison(api, heat_world, login_as) -> None:
    _neighbours(12)  # no job run yet: nothing to compare with
    assert _season(api, heat_world, login_as)["peers"] is None
