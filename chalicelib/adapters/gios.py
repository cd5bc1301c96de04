"""GIOŚ air-quality index (Polski Indeks Jakości Powietrza), pjp-api v1.

``GET {base}/aqindex/getIndex/{stationId}`` answers ``{"AqIndex": {...}}`` with Polish field
names: ``Identyfikator stacji pomiarowej``, ``Data wykonania obliczeń indeksu``,
``Wartość indeksu`` (0 bardzo dobry … 5 bardzo zły, -1 no index), ``Nazwa kategorii
indeksu``, ``Data danych źródłowych, z których policzono wartość indeksu dla wskaźnika st``,
``Status indeksu ogólnego dla stacji pomiarowej``, ``Kod zanieczyszczenia krytycznego`` and
the same per pollutant. Base URL from settings (the local stage reads ``data/gios``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib.adapters._http_json import SourceUnavailable, get_json
from chalicelib.config import settings

TIMEOUT_S = 3.0
LEVELS = ("Bardzo dobry", "Dobry", "Umiarkowany", "Dostateczny", "Zły", "Bardzo zły")

__all__ = ["AirIndex", "SourceUnavailable", "index", "parse"]


@dataclass(frozen=True)
class AirIndex:
    station_id: int
    level: int | None  # 0..5; None when the station has no index now
    category: str | None
    calculated_at: str | None  # as GIOŚ gives it (Warsaw local time)
    critical: str | None


def parse(raw: Any) -> AirIndex:
    try:
        aq = raw["AqIndex"]
        station = int(aq["Identyfikator stacji pomiarowej"])
    except (KeyError, TypeError, ValueError) as exc:
        raise SourceUnavailable(f"unexpected aqindex answer: {exc}") from exc
    value = aq.get("Wartość indeksu")
    level = value if isinstance(value, int) and 0 <= value < len(LEVELS) else None
    if aq.get("Status indeksu ogólnego dla stacji pomiarowej") is False:
        level = None
    return AirIndex(
        station_id=station,
        level=level,
        category=aq.get("Nazwa kategorii indeksu") if level is not None else None,
        calculated_at=aq.get("Data wykonania obliczeń indeksu"),
        critical=aq.get("Kod zanieczyszczenia krytycznego"),
    )


def index(station_id: int) -> AirIndex:
    return parse(get_json(settings().gios_url, f"/aqindex/getIndex/{station_id}", TIMEOUT_S))
