"""Daily mean temperatures per city (IMGW synop or the demo series) and the air-quality cache.

- ``PK = WEATHER#<CITY>``, ``SK = D#<yyyy-mm-dd>``: DailyTemperature (mean °C, source,
  station); a season's degree days are ONE Query with ``SK BETWEEN``;
- ``PK = WEATHER#<CITY>``, ``SK = NOW``: CurrentWeather (last synop observation, TTL);
- ``PK = WEATHER#<CITY>``, ``SK = OBS#<yyyy-mm-dd>#<hh>``: WeatherObservation (one synop
  hour, the daily job's input; TTL);
- ``PK = AIR#<CITY>``, ``SK = NOW``: AirQuality (GIOŚ index of the nearest station, cached
  for an hour by ``fetched_at``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from pynamodb.attributes import UnicodeAttribute

from chalicelib.store.base import DecimalAttribute, Item


def weather_pk(city_key: str) -> str:
    return f"WEATHER#{city_key}"


def day_sk(day: str) -> str:
    return f"D#{day}"


def air_pk(city_key: str) -> str:
    return f"AIR#{city_key}"


NOW_SK = "NOW"


class DailyTemperature(Item, discriminator="DailyTemperature"):
    city = UnicodeAttribute()
    day = UnicodeAttribute()  # YYYY-MM-DD
    mean_c = DecimalAttribute()
    source = UnicodeAttribute()  # imgw | demo
    station = UnicodeAttribute(null=True)


class CurrentWeather(Item, discriminator="CurrentWeather"):
    city = UnicodeAttribute()
    temperature_c = DecimalAttribute()
    observed_at = UnicodeAttribute()
    station = UnicodeAttribute()
    source = UnicodeAttribute()
    fetched_at = UnicodeAttribute()


class AirQuality(Item, discriminator="AirQuality"):
    city = UnicodeAttribute()
    station = UnicodeAttribute()
    index_value = UnicodeAttribute(null=True)  # GIOŚ category name, e.g. "Dobry"
    index_level = UnicodeAttribute(null=True)  # 0..5
    observed_at = UnicodeAttribute(null=True)
    fetched_at = UnicodeAttribute()


def daily_item(
    city_key: str, day: str, mean_c: Decimal, source: str, station: str | None
) -> DailyTemperature:
    return DailyTemperature(
        weather_pk(city_key),
        day_sk(day),
        city=city_key,
        day=day,
        mean_c=mean_c,
        source=source,
        station=station,
    )


def put_days(items: Iterable[DailyTemperature]) -> int:
    """Write daily means (same key per city and day: a rerun overwrites, never duplicates)."""
    n = 0
    with DailyTemperature.batch_write() as batch:
        for item in items:
            batch.save(item)
            n += 1
    return n


def daily_means(city_key: str, first: str, last: str) -> list[DailyTemperature]:
    """Daily means of a city from ``first`` to ``last`` (ISO dates): one Query (paged)."""
    return [
        i
        for i in DailyTemperature.query(
            weather_pk(city_key), DailyTemperature.SK.between(day_sk(first), day_sk(last))
        )
        if isinstance(i, DailyTemperature)
    ]


def current(city_key: str) -> CurrentWeather | None:
    try:
        item = Item.get(weather_pk(city_key), NOW_SK)
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, CurrentWeather) else None


def save_current(item: CurrentWeather) -> None:
    item.PK, item.SK = weather_pk(item.city), NOW_SK
    item.save()


def air(city_key: str) -> AirQuality | None:
    try:
        item = Item.get(air_pk(city_key), NOW_SK)
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, AirQuality) else None


def save_air(item: AirQuality) -> None:
    item.PK, item.SK = air_pk(item.city), NOW_SK
    item.save()


class WeatherObservation(Item, discriminator="WeatherObservation"):
    """One synop hour of a city (``SK = OBS#<yyyy-mm-dd>#<hh>``, UTC); the day's mean is
    made from these. Same key per hour: a repeated fetch overwrites. TTL 40 days."""

    city = UnicodeAttribute()
    temperature_c = DecimalAttribute()
    station = UnicodeAttribute()


def obs_sk(day: str, hour: int) -> str:
    return f"OBS#{day}#{hour:02d}"


def save_observation(
    city_key: str, day: str, hour: int, temperature_c: Decimal, station: str, expires_at: datetime
) -> None:
    WeatherObservation(
        weather_pk(city_key),
        obs_sk(day, hour),
        city=city_key,
        temperature_c=temperature_c,
        station=station,
        expires_at=expires_at,
    ).save()


def observations(city_key: str, day: str) -> list[Decimal]:
    """A day's synop temperatures of a city (one Query)."""
    return [
        i.temperature_c
        for i in WeatherObservation.query(
            weather_pk(city_key), WeatherObservation.SK.startswith(f"OBS#{day}#")
        )
        if isinstance(i, WeatherObservation)
    ]
