"""Demo consumption data: three heating seasons for the Wrocław heat customers, 36 months of
electricity, demo temperatures, nothing dated after today, and a rerun adds nothing."""

from __future__ import annotations

from chalicelib.domain import clock
from devstack import seed_consumption, seed_customers, seed_invoicing
from tests.support import demo_context


def test_demo_consumption(aws) -> None:
    from chalicelib.domain.principal import Principal
    from chalicelib.services import consumption, reports
    from chalicelib.store import readings

    today = clock.to_warsaw(clock.now()).date()
    ctx = demo_context(aws, today)
    seed_customers.seed(ctx)
    seed_invoicing.seed(ctx)
    seed_consumption.seed(ctx)
    jan = Principal(username="10000001", role="customer", customer_nos=("100001",))
    body = consumption.series(jan, "100001", {"group_by": "season"})
    heat = body["contracts"][0]
    seasons = [r["period"] for r in heat["rows"] if "/" in r["period"]]
    assert len(seasons) >= 2, seasons  # contract from 2024-01: 2023/24 (part), 2024/25, 2025/26
    inst = Principal(
        username="20000001", role="building_manager", customer_nos=("200001", "200002")
    )
    kindergarten = consumption.series(inst, "200002", {})["contracts"][0]["rows"]
    assert len(kindergarten) >= 35
    power = consumption.series(
        Principal(username="10000002", role="customer", customer_nos=("100002",)), "100002", {}
    )
    assert len(power["contracts"][0]["rows"]) >= 35
    assert all(r.read_on <= today.isoformat() for r in readings.history("HM-200002"))
    report = reports.season_report(inst, "200002", {}, "pl")
    assert report["data"]["temperature_source"] == "demo" and report["conclusions"]
    before = len(readings.history("HM-200002"))
    seed_consumption.seed(ctx)
    assert len(readings.history("HM-200002")) == before  # a rerun adds nothing
