"""Consumption series API: 36 months in one Query, estimates, invoiced cost, ownership, replay."""

from __future__ import annotations

import pytest

from chalicelib.domain.principal import Principal
from devstack.metering import count_calls
from tests.integration.consumption_helpers import heat_history, power_history
from tests.integration.invoicing_helpers import load_tariffs, put_reading

# Its data and expectations are dated around 18.11.2026 (the suite's default instant).
pytestmark = pytest.mark.usefixtures("at_tests_instant")


@pytest.fixture
def projected(world):
    from chalicelib.services import consumption, invoicing

    load_tariffs()
    heat_history(world, last="2026-09")
    put_reading(
        world.meters["individual_heat"],
        world.individual,
        world.contracts["individual_heat"],
        "2026-10-31",
        heat_gj="280.000",
        water_m3="28.000",
    )
    power_history(world)
    assert (
        invoicing.issue(world.individual, world.contracts["individual_heat"], "2026-10").status
        == "issued"
    )
    consumption.project(world.individual)
    consumption.project(world.other_individual)
    return world


def _months():
    from chalicelib.store.consumption import UsageMonth

    return sorted((i.PK, i.SK) for i in UsageMonth.scan())


def test_series_36_months_in_one_query(api, projected, login_as) -> None:
    from chalicelib.services import consumption

    w = projected
    principal = Principal(username="u", role="customer", customer_nos=(w.individual,))
    with count_calls() as log:
        body = consumption.series(
            principal, w.individual, {"contract": w.contracts["individual_heat"]}
        )
    assert [op for svc, op in log.calls if svc == "dynamodb"] == ["Query"]
    assert body["from"] == "2023-12" and body["to"] == "2026-11"
    assert len(body["contracts"]) == 1 and len(body["contracts"][0]["rows"]) == 35
    rows = {r["period"]: r for r in body["contracts"][0]["rows"]}
    assert rows["2026-01"]["usage"]["heat_gj"] == "9.000" and rows["2026-01"]["estimated"] is False
    october = rows["2026-10"]
    assert october["cost"]["source"] == "invoice" and len(october["cost"]["invoices"]) == 1
    cost = october["cost"]
    assert (
        cost["fixed_net"] + cost["variable_net"] == cost["net"]
        and cost["gross"] == cost["net"] + cost["vat"]
    )
    assert rows["2026-09"]["cost"]["source"] == "tariff"  # priced, not invoiced: labelled

    r = api.get(
        f"/customers/{w.individual}/consumption?contract={w.contracts['individual_heat']}&group_by=season",
        headers=login_as("customer", [w.individual]),
    )
    assert r.status == 200, r.body
    seasons = {row["period"]: row for row in r.json["contracts"][0]["rows"]}
    assert (
        seasons["2025/2026"]["usage"]["heat_gj"] == "44.000" and seasons["2025/2026"]["months"] == 7
    )


def test_estimates_are_marked(api, world, login_as) -> None:
    from chalicelib.services import consumption

    heat_history(world, first="2026-07", last="2026-08")
    put_reading(
        world.meters["individual_heat"],
        world.individual,
        world.contracts["individual_heat"],
        "2026-09-15",
        kind="estimate",
        heat_gj="103.000",
        water_m3="10.300",
    )
    consumption.project(world.individual)
    r = api.get(
        f"/customers/{world.individual}/consumption?contract={world.contracts['individual_heat']}&from=2026-08&to=2026-09",
        headers=login_as("customer", [world.individual]),
    )
    assert r.status == 200, r.body
    rows = {row["period"]: row for row in r.json["contracts"][0]["rows"]}
    assert rows["2026-08"]["estimated"] is False and rows["2026-09"]["estimated"] is True
    assert rows["2026-09"]["usage"]["heat_gj"] == "1.000"  # 15 days, half a month's reading


@pytest.mark.parametrize(
    "query",
    ["from=2026-05&to=2026-01", "group_by=week", "from=2026-13", "from=2020-01&to=2026-01", "x=1"],
)
def test_bad_input_is_400_and_stores_nothing(api, projected, login_as, query) -> None:
    w = projected
    before = _months()
    contract = f"contract={w.contracts['individual_heat']}&"
    r = api.get(
        f"/customers/{w.individual}/consumption?{contract}{query}",
        headers=login_as("customer", [w.individual]),
    )
    assert r.status == 400, r.body
    assert r.json["status"] == 400 and r.json["errors"]
    assert _months() == before


def test_another_customers_consumption_is_404(api, projected, login_as) -> None:
    w = projected
    mine = login_as("customer", [w.individual])
    other = w.contracts["other_power"]
    assert (
        api.get(
            f"/customers/{w.other_individual}/consumption?contract={other}", headers=mine
        ).status
        == 404
    )
    # through one's own number: the other's contract is not in this customer's partition
    assert (
        api.get(f"/customers/{w.individual}/consumption?contract={other}", headers=mine).status
        == 404
    )
    assert (
        api.get(f"/customers/{w.individual}/consumption?contract=C-NOPE", headers=mine).status
        == 404
    )


def test_projection_replay_makes_no_duplicates(projected) -> None:
    from chalicelib.services import consumption

    before = _months()
    consumption.project(projected.individual)
    consumption.project(projected.individual)
    assert _months() == before
