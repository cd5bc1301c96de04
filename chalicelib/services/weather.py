"""Weather for the reports and the overview: daily means per city (IMGW or demo series).

Degree days come from the stored daily means; days missing there are taken from the demo
series built on the city's climate normals and the result is labelled ``demo``.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from chalicelib.domain import weather as rules
from chalicelib.store import weather as store

NORMALS_FILE = Path(__file__).resolve().parents[2] / "data" / "weather" / "normals.json"
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
