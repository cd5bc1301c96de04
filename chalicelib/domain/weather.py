"""Weather for consumption analytics: city keys and the deterministic demo temperature series.

The demo series (labelled ``demo`` wherever it is shown) follows the published climate
normals of a city (monthly means, interpolated between mid-months) plus a per-season
anomaly and a day-to-day swing derived from a hash of the date, so it is the same on every
machine and every run, and a season can be milder or colder than the one before.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

DEMO = "demo"
IMGW = "imgw"
_FOLD = str.maketrans("ĄĆĘŁŃÓŚŹŻ", "ACELNOSZZ")


def city_key(city: str) -> str:
    """``Wrocław`` → ``WROCŁAW`` (upper case, spaces collapsed): one key per city."""
    return " ".join(city.split()).upper()


def ascii_key(city: str) -> str:
    """``Łódź`` → ``LODZ`` (to match IMGW's station names without diacritics)."""
    return city_key(city).translate(_FOLD)


def _unit(text: str) -> float:
    """A stable number in [-1, 1) from text (not random: the same everywhere)."""
    h = hashlib.sha256(text.encode()).digest()
    return int.from_bytes(h[:4], "big") / 2**31 - 1


def _normal_on(day: date, monthly: Sequence[float]) -> float:
    """Linear interpolation between mid-month normals."""
    mid = date(day.year, day.month, 15)
    if day >= mid:
        nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 15)
        a, b = monthly[day.month - 1], monthly[day.month % 12]
        frac = (day - mid).days / (nxt - mid).days
    else:
        prev_month = 12 if day.month == 1 else day.month - 1
        prev = date(day.year - (day.month == 1), prev_month, 15)
        a, b = monthly[prev_month - 1], monthly[day.month - 1]
        frac = (day - prev).days / (mid - prev).days
    return a + (b - a) * frac


def demo_mean(city: str, day: date, monthly: Sequence[float]) -> Decimal:
    """Demo daily mean temperature (°C, 1 place) for a city on a day."""
    season = day.year if day.month >= 7 else day.year - 1
    anomaly = 1.6 * _unit(f"{city_key(city)}:{season}")
    swing = 3.5 * _unit(f"{city_key(city)}:{day.isoformat()}")
    value = Decimal(str(_normal_on(day, monthly) + anomaly + swing))
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def month_last(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# Sources per city: the IMGW synoptic station and the GIOŚ station the overview shows
# (premises carry a city, not coordinates: the city's station stands for "the nearest").
STATIONS: dict[str, dict[str, str | int]] = {
    "WROCŁAW": {"imgw_id": "12424", "imgw_name": "wroclaw", "gios_id": 114},
    "ŁÓDŹ": {"imgw_id": "12465", "imgw_name": "lodz", "gios_id": 10139},
}
AIR_CACHE_S = 3600  # GIOŚ recomputes the index hourly
WEATHER_CACHE_S = 3600  # synop observations are hourly
MIN_OBSERVATIONS = 4  # a day's mean needs at least this many synop hours


def daily_mean(temps: Sequence[Decimal]) -> Decimal | None:
    """Mean of a day's observations (°C, 1 place); None below ``MIN_OBSERVATIONS``."""
    if len(temps) < MIN_OBSERVATIONS:
        return None
    return (sum(temps, Decimal(0)) / len(temps)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
