"""Time: stored as UTC ISO-8601, shown in Europe/Warsaw. ``now`` is the one place to fake."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")


def now() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime) -> str:
    """UTC ISO-8601 with seconds and a Z suffix (sorts as text)."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_iso() -> str:
    return iso(now())


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def to_warsaw(dt: datetime) -> datetime:
    return dt.astimezone(WARSAW)
