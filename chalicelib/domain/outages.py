"""Outages (wyłączenia): addresses they touch, GeoJSON areas, night quiet hours, durations.

Pure rules, no I/O. Streets are compared by a key without the ``ul.``/``al.``/``pl.``
prefix, so an operator typing "Legnicka" matches a premises at "ul. Legnicka".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.clock import WARSAW
from chalicelib.domain.sms import is_quiet, quiet_ends

KINDS = ("planned", "failure")
PRODUCTS = ("heat", "electricity")

_PREFIX = re.compile(
    r"^(UL\.?|ULICA|AL\.?|ALEJA|ALEJE|PL\.?|PLAC|OS\.?|OSIEDLE|RYNEK\s+-)\s+", re.IGNORECASE
)


def city_key(city: str) -> str:
    """Upper case, single spaces, Polish letters kept (as Premises' GSI1 ``CITY#``)."""
    return " ".join((city or "").split()).upper()


_POLISH = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"
_POLISH_ORDER = {c: i for i, c in enumerate(_POLISH)}


def polish_order(text: str) -> tuple[int, ...]:
    """Sort key in Polish alphabetical order (Ł after L, Ś after S...)."""
    return tuple(_POLISH_ORDER.get(c, 100 + ord(c)) for c in text.lower())


def street_key(street: str) -> str:
    """Upper case, single spaces, without the street-type prefix."""
    text = " ".join((street or "").split()).upper()
    return _PREFIX.sub("", text).strip()


def building_key(building: str) -> str:
    return "".join((building or "").split()).upper()


@dataclass(frozen=True)
class Street:
    """An affected street; no buildings means the whole street."""

    name: str
    buildings: tuple[str, ...] = ()
    line: tuple[tuple[float, float], ...] | None = None  # GeoJSON LineString coordinates

    @property
    def key(self) -> str:
        return street_key(self.name)

    def covers(self, street: str, building: str) -> bool:
        if street_key(street) != self.key:
            return False
        if not self.buildings:
            return True
        return building_key(building) in {building_key(b) for b in self.buildings}


@dataclass(frozen=True)
class Place:
    """Where an outage is: a city and its streets."""

    city: str
    streets: tuple[Street, ...] = field(default_factory=tuple)

    def touches(self, city: str, street: str, building: str) -> bool:
        if city_key(city) != city_key(self.city):
            return False
        return any(s.covers(street, building) for s in self.streets)


# --- time -----------------------------------------------------------------------------


def parse_time(value: str) -> datetime | None:
    """ISO-8601 date-time; without an offset it is Warsaw wall-clock time (what an
    operator types). Returns an aware datetime or None when unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    if not 2000 <= dt.year <= 2099:  # an outage in 1900 is a typo, never a date to store
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=WARSAW)
    return dt.astimezone(UTC)


def is_night(at: datetime) -> bool:
    return is_quiet(at)


def next_morning(at: datetime) -> datetime:
    """07:00 Warsaw time following ``at`` (same day before 07:00, next day after 22:00)."""
    return quiet_ends(at)


def notice_due_at(kind: str, at: datetime) -> datetime:
    """Failure notices go at once; planned-outage notices wait out the night."""
    if kind == "planned" and is_night(at):
        return next_morning(at)
    return at.astimezone(UTC)


def duration_minutes(starts_at: datetime, ends_at: datetime) -> int:
    return max(0, int((ends_at - starts_at).total_seconds() // 60))


def overlaps(
    starts_at: datetime, ends_at: datetime, since: datetime | None, until: datetime | None
) -> bool:
    if since is not None and ends_at < since:
        return False
    return not (until is not None and starts_at > until)


# --- GeoJSON --------------------------------------------------------------------------

MAX_POSITIONS = 2000


def _position(p: Any) -> bool:
    return (
        isinstance(p, list | tuple)
        and len(p) in (2, 3)
        and all(isinstance(c, int | float) and not isinstance(c, bool) for c in p)
        and all(math.isfinite(c) for c in p)
        and -180 <= p[0] <= 180
        and -90 <= p[1] <= 90
    )


def _ring(ring: Any) -> bool:
    return (
        isinstance(ring, list)
        and len(ring) >= 4
        and all(_position(p) for p in ring)
        and list(ring[0][:2]) == list(ring[-1][:2])
    )


def _count(coords: Any) -> int:
    if isinstance(coords, list) and coords and isinstance(coords[0], int | float):
        return 1
    return sum(_count(c) for c in coords) if isinstance(coords, list) else 0


def area_problem(area: Any) -> str | None:
    """None when ``area`` is a valid GeoJSON Polygon or MultiPolygon (a bare geometry or a
    Feature holding one), else a message key."""
    if isinstance(area, dict) and area.get("type") == "Feature":
        area = area.get("geometry")
    if not isinstance(area, dict) or area.get("type") not in ("Polygon", "MultiPolygon"):
        return "outages.area_type"
    coords = area.get("coordinates")
    if area["type"] == "Polygon":
        ok = isinstance(coords, list) and bool(coords) and all(_ring(r) for r in coords)
    else:
        ok = (
            isinstance(coords, list)
            and bool(coords)
            and all(isinstance(p, list) and p and all(_ring(r) for r in p) for p in coords)
        )
    if not ok:
        return "outages.area_coordinates"
    if _count(coords) > MAX_POSITIONS:
        return "outages.area_too_big"
    return None


def area_geometry(area: dict[str, Any]) -> dict[str, Any]:
    """The geometry of a validated area (unwraps a Feature)."""
    if area.get("type") == "Feature":
        return dict(area["geometry"])
    return {"type": area["type"], "coordinates": area["coordinates"]}


def line_problem(line: Any) -> str | None:
    if not isinstance(line, list) or len(line) < 2 or not all(_position(p) for p in line):
        return "outages.line_coordinates"
    if len(line) > MAX_POSITIONS:
        return "outages.area_too_big"
    return None


def geometry(area: dict[str, Any] | None, streets: Sequence[Street]) -> dict[str, Any] | None:
    """A GeometryCollection of the area and the street lines, or None with neither."""
    parts: list[dict[str, Any]] = []
    if area:
        parts.append(area)
    for s in streets:
        if s.line:
            parts.append({"type": "LineString", "coordinates": [list(p) for p in s.line]})
    if not parts:
        return None
    return {"type": "GeometryCollection", "geometries": parts}


def affected_premises(place: Place, premises: Iterable[tuple[str, str, str, str]]) -> list[str]:
    """Ids of the premises (id, city, street, building) that the outage touches."""
    return [
        pid for pid, city, street, building in premises if place.touches(city, street, building)
    ]
