"""Weather for the reports and the overview (services.weather).

- ``weather_observe`` (hourly at :10): every city's IMGW synop observation (the overview's
  "now" and that hour's temperature) and its GIOŚ air-quality index;
- ``weather_daily`` (00:20 UTC): yesterday's mean temperature per city from its synop
  hours, stored for degree days (``detail.date`` YYYY-MM-DD for another day).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Cron

from chalicelib.lazy import lazy_module

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import weather
else:
    weather = lazy_module("chalicelib.services.weather")

blueprint = Blueprint(__name__)


@blueprint.schedule(Cron(10, "*", "*", "*", "?", "*"), name="weather_observe")
def weather_observe(event: Any) -> dict[str, Any]:
    return dict(weather.observe_all())


@blueprint.schedule(Cron(20, 0, "*", "*", "?", "*"), name="weather_daily")
def weather_daily(event: Any) -> dict[str, Any]:
    day = (event.to_dict().get("detail", {}) or {}).get("date")
    return dict(weather.store_daily_means(date.fromisoformat(day) if day else None))
