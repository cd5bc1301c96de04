"""Tariffs: loading the data files into the table, the public price list, and the versions
the invoicing worker prices with (cached per container; tariffs change a few times a year).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from chalicelib.domain import clock
from chalicelib.domain.tariffs import (
    Component,
    TariffError,
    TariffGroup,
    TariffVersion,
    chain_versions,
    parse_component,
    parse_group,
)
from chalicelib.store import tariffs as store

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "tariffs"
CACHE_TTL_S = 300.0

_cache: dict[str, tuple[float, tuple[TariffVersion, ...]]] = {}
_lock = threading.Lock()


def read_files(directory: Path = DATA_DIR) -> list[TariffGroup]:
    groups = []
    for path in sorted(directory.glob("*.json")):
        try:
            groups.append(parse_group(json.loads(path.read_text(encoding="utf-8"))))
        except (TariffError, ValueError) as exc:
            raise TariffError(f"{path.name}: {exc}") from None
    names = [g.group for g in groups]
    if len(set(names)) != len(names):
        raise TariffError("two files define the same tariff group")
    return groups


def load_tariffs(directory: Path = DATA_DIR) -> list[str]:
    """Validate every data file, then write its versions (re-loading is harmless: the same
    keys get the same content). Returns the groups loaded."""
    groups = read_files(directory)
    items = []
    for g in groups:
        for v in g.versions:
            items.append(
                store.version_item(
                    g.group,
                    g.product,
                    g.name_pl,
                    g.name_en,
                    g.source,
                    v.valid_from.isoformat(),
                    [c.as_dict() for c in v.components],
                )
            )
    store.put_versions(items)
    clear_cache()
    return [g.group for g in groups]


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _versions_of(items: Iterable[store.TariffVersionItem]) -> tuple[TariffVersion, ...]:
    ordered = sorted(items, key=lambda i: i.valid_from)
    if not ordered:
        return ()
    parsed: list[tuple[date, tuple[Component, ...]]] = [
        (
            date.fromisoformat(i.valid_from),
            tuple(parse_component(c, f"{i.group}/{i.valid_from}") for c in i.components),
        )
        for i in ordered
    ]
    return chain_versions(ordered[0].group, ordered[0].product, parsed)


def versions(group: str) -> tuple[TariffVersion, ...]:
    """The versions of a tariff group (one Query, then cached for ``CACHE_TTL_S``)."""
    now = time.monotonic()
    with _lock:
        hit = _cache.get(group)
    if hit and now - hit[0] < CACHE_TTL_S:
        return hit[1]
    found = _versions_of(store.group_versions(group))
    with _lock:
        _cache[group] = (now, found)
    return found


def preload() -> None:
    """Every group's versions in one Query over the index (GSI1 TARIFFS), for a worker that
    prices contracts of many groups: one read instead of one per group. Nothing is read
    while every cached group is fresh."""
    now = time.monotonic()
    with _lock:
        if _cache and all(now - at < CACHE_TTL_S for at, _ in _cache.values()):
            return
    by_group: dict[str, list[store.TariffVersionItem]] = {}
    for item in store.all_versions():
        by_group.setdefault(item.group, []).append(item)
    found = {group: _versions_of(items) for group, items in by_group.items()}
    with _lock:
        for group, versions_of_group in found.items():
            _cache[group] = (now, versions_of_group)


def price_list(on: date | None = None) -> dict[str, Any]:
    """Every tariff group with every version (one Query over the index); ``current`` marks
    the version in force today (Europe/Warsaw)."""
    today = on or clock.to_warsaw(clock.now()).date()
    by_group: dict[str, list[store.TariffVersionItem]] = {}
    for item in store.all_versions():
        by_group.setdefault(item.group, []).append(item)
    out = []
    for group in sorted(by_group):
        items = by_group[group]
        head = items[0]
        vs = _versions_of(items)
        out.append(
            {
                "group": group,
                "product": head.product,
                "name_pl": head.name_pl,
                "name_en": head.name_en,
                "versions": [
                    {
                        "valid_from": v.valid_from.isoformat(),
                        "valid_to": None if v.valid_to is None else v.valid_to.isoformat(),
                        "current": v.covers(today),
                        "components": [c.as_dict() for c in v.components],
                    }
                    for v in vs
                ],
            }
        )
    return {"as_of": today.isoformat(), "tariffs": out}
