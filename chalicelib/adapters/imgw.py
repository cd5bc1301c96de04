"""IMGW-PIB public data: current synoptic observations (``/api/data/synop``).

``GET {base}/id/{id}`` and ``{base}/station/{name}`` answer one observation: ``id_stacji``,
``stacja``, ``data_pomiaru`` (YYYY-MM-DD, UTC), ``godzina_pomiaru`` (hour, UTC),
``temperatura`` (°C as text), ``predkosc_wiatru``, ``kierunek_wiatru``,
``wilgotnosc_wzgledna``, ``suma_opadu``, ``cisnienie``. Base URL from settings (the local
stage reads recorded responses in ``data/imgw``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from chalicelib.adapters._http_json import SourceUnavailable, get_json
from chalicelib.config import settings

TIMEOUT_S = 3.0

__all__ = ["Observation", "SourceUnavailable", "by_id", "by_name", "parse"]


@dataclass(frozen=True)
class Observation:
    station_id: str
    station: str
    observed_at: datetime  # UTC
    temperature_c: Decimal


def parse(raw: Any) -> Observation:
    """One synop record → Observation; anything malformed is SourceUnavailable."""
    try:
        hour = int(raw["godzina_pomiaru"])
        day = datetime.strptime(raw["data_pomiaru"], "%Y-%m-%d")
        return Observation(
            station_id=str(raw["id_stacji"]),
            station=str(raw["stacja"]),
            observed_at=day.replace(hour=hour, tzinfo=UTC),
            temperature_c=Decimal(str(raw["temperatura"])).quantize(Decimal("0.1")),
        )
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise SourceUnavailable(f"unexpected synop record: {exc}") from exc


def by_id(station_id: str) -> Observation:
    return parse(get_json(settings().imgw_url, f"/id/{station_id}", TIMEOUT_S))


def by_name(name: str) -> Observation:
    """``name`` as IMGW spells it in URLs: lower case, no diacritics (``wroclaw``)."""
    return parse(get_json(settings().imgw_url, f"/station/{name}", TIMEOUT_S))
