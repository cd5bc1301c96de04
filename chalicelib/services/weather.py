"""Weather for the reports and the overview: daily means per city (IMGW or demo series).

Degree days come from the stored daily means; days missing there are taken from the demo
series built on the city's climate normals and the result is labelled ``demo``.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from chalicelib.domain import clock
from chalicelib.domain import weather as rules
from chalicelib.domain.principal import Principal
from chalicelib.observability import logger
from chalicelib.store import weather as store

NORMALS_FILE = Path(__file__).resolve().parents[1] / "data" / "weather" / "normals.json"
FALLBACK_CITY = "WROCŁAW"


@functools.cache
def normals() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(NORMALS_FILE.read_text(encoding="utf-8"))
    return data


def _monthly(city_key: str) -> list[float]:
    stations = normals()["stations"]
    return list((stations.get(city_key) or stations[FALLBACK_CITY])["monthly_mean_c"])


@dataclass(frozen=True)
class Temperatures:
    means: list[Decimal]
    source: str  # imgw | demo (any day from the demo series makes the whole demo)


def daily_means(city: str, first: date, last: date) -> Temperatures:
    """Daily means of ``first``..``last``: one Query; gaps from the demo series."""
    key = rules.city_key(city)
    stored = {i.day: i for i in store.daily_means(key, first.isoformat(), last.isoformat())}
    monthly = _monthly(key)
    means, demo = [], False
    for day in rules.days(first, last):
        item = stored.get(day.isoformat())
        if item is None:
            means.append(rules.demo_mean(key, day, monthly))
            demo = True
        else:
            means.append(item.mean_c)
            demo = demo or item.source == rules.DEMO
    return Temperatures(means, rules.DEMO if demo else rules.IMGW)


def seed_demo(city: str, first: date, last: date) -> int:
    """Store the demo series for a city (labelled ``demo``); rerun overwrites the same keys."""
    key = rules.city_key(city)
    monthly = _monthly(key)
    return store.put_days(
        store.daily_item(key, d.isoformat(), rules.demo_mean(key, d, monthly), rules.DEMO, None)
        for d in rules.days(first, last)
    )


# --- today's weather and air quality (IMGW synop, GIOŚ index), cached in the table --------


def _age_s(fetched_at: str | None, now: datetime) -> float:
    if not fetched_at:
        return float("inf")
    return (now - clock.parse_iso(fetched_at)).total_seconds()


def refresh_current(city_key: str, now: datetime) -> store.CurrentWeather | None:
    """Fetch the city's synop observation, keep it as NOW and as that hour's observation."""
    from chalicelib.adapters import imgw

    station = rules.STATIONS.get(city_key)
    if station is None:
        return None
    obs = imgw.by_id(str(station["imgw_id"]))
    item = store.CurrentWeather(
        city=city_key,
        temperature_c=obs.temperature_c,
        observed_at=clock.iso(obs.observed_at),
        station=obs.station_id,
        source=rules.IMGW,
        fetched_at=clock.iso(now),
    )
    store.save_current(item)
    store.save_observation(
        city_key,
        obs.observed_at.date().isoformat(),
        obs.observed_at.hour,
        obs.temperature_c,
        obs.station_id,
        now + timedelta(days=40),
    )
    return item


def refresh_air(city_key: str, now: datetime) -> store.AirQuality | None:
    from chalicelib.adapters import gios

    station = rules.STATIONS.get(city_key)
    if station is None:
        return None
    found = gios.index(int(station["gios_id"]))
    item = store.AirQuality(
        city=city_key,
        station=str(found.station_id),
        index_value=found.category,
        index_level=None if found.level is None else str(found.level),
        observed_at=found.calculated_at,
        fetched_at=clock.iso(now),
    )
    store.save_air(item)
    return item


def _cached(read: Any, refresh: Any, city_key: str, now: datetime, max_age_s: int) -> Any:
    """The cached item if fresh; else a refresh; a failing source leaves the stale item
    (or None): the caller shows what it has and never fails because of it."""
    item = read(city_key)
    if item is not None and _age_s(item.fetched_at, now) < max_age_s:
        return item
    try:
        return refresh(city_key, now) or item
    except Exception:  # noqa: BLE001 - an outside source; the overview must not fail
        logger.warning("weather source unavailable", extra={"city": city_key})
        return item


def today_for(city: str) -> dict[str, Any]:
    """Today's temperature and air-quality index for a city (two GetItems when cached)."""
    key = rules.city_key(city)
    now = clock.now()
    current = _cached(store.current, refresh_current, key, now, rules.WEATHER_CACHE_S)
    air = _cached(store.air, refresh_air, key, now, rules.AIR_CACHE_S)
    return {
        "city": city,
        "temperature": None
        if current is None
        else {
            "celsius": str(current.temperature_c),
            "observed_at": current.observed_at,
            "station": current.station,
            "source": "IMGW-PIB",
        },
        "air_quality": None
        if air is None or air.index_level is None
        else {
            "level": int(air.index_level),
            "category": air.index_value,
            "calculated_at": air.observed_at,
            "station": air.station,
            "source": "GIOŚ",
        },
    }


def customer_weather(principal: Principal, customer_no: str) -> dict[str, Any]:
    """The weather tile of the overview: the city of the customer's first premises."""
    from chalicelib.services.access import require_customer
    from chalicelib.store.customers import Premises, customer_collection

    require_customer(principal, customer_no)
    premises = sorted(
        (i for i in customer_collection(customer_no) if isinstance(i, Premises)),
        key=lambda p: p.premises_id,
    )
    city = str(premises[0].address.city) if premises else ""
    if not city:
        return {"city": None, "temperature": None, "air_quality": None}
    return today_for(city)


# --- the daily job ----------------------------------------------------------------------


def observe_all() -> dict[str, str]:
    """Hourly: every city's synop observation (NOW + that hour) and air index."""
    now = clock.now()
    out = {}
    for key in rules.STATIONS:
        try:
            refresh_current(key, now)
            out[key] = "ok"
        except Exception:  # noqa: BLE001 - one city's source failing skips that city
            logger.warning("synop unavailable", extra={"city": key})
            out[key] = "unavailable"
        try:
            refresh_air(key, now)
        except Exception:  # noqa: BLE001
            logger.warning("air index unavailable", extra={"city": key})
    return out


def store_daily_means(day: date | None = None) -> dict[str, str | None]:
    """Daily (after midnight): yesterday's mean temperature per city from its synop hours
    (source ``imgw``); a day with too few hours is left to the demo series."""
    day = day or (clock.now().date() - timedelta(days=1))
    out: dict[str, str | None] = {}
    for key, station in rules.STATIONS.items():
        mean = rules.daily_mean(store.observations(key, day.isoformat()))
        if mean is not None:
            store.put_days(
                [store.daily_item(key, day.isoformat(), mean, rules.IMGW, str(station["imgw_id"]))]
            )
        out[key] = None if mean is None else str(mean)
    return out
