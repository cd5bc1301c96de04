"""Today's weather and air quality beside the account: cached for an hour, degrading quietly
when IMGW or GIOŚ fail; the daily job's mean temperature."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest


def _fail_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.config import settings

    monkeypatch.setenv("IMGW_URL", "http://127.0.0.1:9/api/data/synop")
    monkeypatch.setenv("GIOS_URL", "http://127.0.0.1:9/pjp-api/v1/rest")
    settings.cache_clear()


def test_weather_for_the_customers_city(api, world, login_as) -> None:
    r = api.get(
        f"/customers/{world.individual}/weather", headers=login_as("customer", [world.individual])
    )
    assert r.status == 200, r.body
    assert r.json["city"] == "Wrocław"
    assert r.json["temperature"]["celsius"] == "3.4"
    assert r.json["air_quality"]["level"] == 1 and r.json["air_quality"]["category"] == "Dobry"
    maria = api.get(
        f"/customers/{world.other_individual}/weather",
        headers=login_as("customer", [world.other_individual]),
    )
    assert maria.json["temperature"]["celsius"] == "1.9"
    assert maria.json["air_quality"]["category"] == "Umiarkowany"


def test_cached_for_an_hour(api, world, login_as, monkeypatch) -> None:
    from devstack.metering import count_calls

    headers = login_as("customer", [world.individual])
    assert api.get(f"/customers/{world.individual}/weather", headers=headers).status == 200
    _fail_sources(monkeypatch)  # within the hour the sources are not asked again
    with count_calls() as log:
        again = api.get(f"/customers/{world.individual}/weather", headers=headers)
    assert again.json["temperature"]["celsius"] == "3.4"
    assert again.json["air_quality"]["level"] == 1
    assert log.of("dynamodb").count("GetItem") >= 2


def test_both_sources_failing_leave_overview_and_route_working(
    api, world, login_as, monkeypatch
) -> None:
    _fail_sources(monkeypatch)
    headers = login_as("customer", [world.individual])
    r = api.get(f"/customers/{world.individual}/weather", headers=headers)
    assert r.status == 200, r.body
    assert r.json["temperature"] is None and r.json["air_quality"] is None
    overview = api.get(f"/customers/{world.individual}/overview", headers=headers)
    assert overview.status == 200 and overview.json["customer"]["name"] == "Jan Kowalski"


def test_another_customers_weather_is_404(api, world, login_as) -> None:
    r = api.get(
        f"/customers/{world.individual}/weather",
        headers=login_as("customer", [world.other_individual]),
    )
    assert r.status in (403, 404)


def test_daily_job_stores_the_mean_of_the_synop_hours(aws) -> None:
    from chalicelib.domain import clock
    from chalicelib.services import weather
    from chalicelib.store import weather as store
    from tests.integration.invoicing_helpers import run_schedule

    day = clock.now().date() - timedelta(days=1)
    for hour, t in ((0, "1.0"), (6, "2.0"), (12, "5.0"), (18, "3.0")):
        store.save_observation(
            "WROCŁAW", day.isoformat(), hour, Decimal(t), "12424", clock.now() + timedelta(days=40)
        )
    store.save_observation(
        "ŁÓDŹ", day.isoformat(), 12, Decimal("4.0"), "12465", clock.now() + timedelta(days=40)
    )
    result = run_schedule("weather_daily", {})
    assert result == {"WROCŁAW": "2.8", "ŁÓDŹ": None}  # (1 + 2 + 5 + 3) / 4; Łódź: 1 hour only
    temps = weather.daily_means("Wrocław", day, day)
    assert temps.means == [Decimal("2.8")] and temps.source == "imgw"
    assert run_schedule("weather_daily", {}) == result  # a rerun overwrites the same day
    assert len(store.daily_means("WROCŁAW", day.isoformat(), day.isoformat())) == 1
    observed = run_schedule("weather_observe", {})
    assert observed == {"WROCŁAW": "ok", "ŁÓDŹ": "ok"}
    assert store.current("WROCŁAW") is not None and date.fromisoformat("2026-11-18")
