"""The streets an operator can pick when announcing an outage (issue 16): street centre lines
and building points per served city, shipped as files in ``chalicelib/data/streets`` (in the Lambda bundle) (the demo streets;
a deployment replaces them with its city's gazetteer, e.g. from PRG address points)."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, TypedDict

STREETS_DIR = Path(
    os.environ.get("EBOK_STREETS_DIR") or Path(__file__).resolve().parents[1] / "data" / "streets"
)


class Building(TypedDict):
    number: str
    at: list[float]


class Street(TypedDict):
    name: str
    line: list[list[float]]
    buildings: list[Building]


class CityStreets(TypedDict):
    city: str
    cities: list[str]
    streets: list[Street]


@lru_cache(maxsize=1)
def _all() -> dict[str, list[Street]]:
    out: dict[str, list[Street]] = {}
    if not STREETS_DIR.is_dir():
        return out
    for path in sorted(STREETS_DIR.glob("*.json")):
        doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        out[str(doc["city"])] = sorted(doc["streets"], key=lambda s: str(s["name"]))
    return out


def cities() -> list[str]:
    return sorted(_all())


def streets_of(city: str) -> CityStreets:
    """The city's streets (an unknown city has none: the operator then types names)."""
    return {"city": city, "cities": cities(), "streets": list(_all().get(city.strip(), []))}
