"""Time: stored as UTC ISO-8601, shown in Europe/Warsaw. ``now`` is the one place to read it.

The product's clock is the wall clock plus an offset, so the local stack and the tests can run
"as if" at any instant while time still flows:

- ``EBOK_CLOCK_OFFSET_S``: seconds added to the wall clock. Launchers (``devstack run``, the
  e2e fixture) set it for every process they start, so the seeding, ``chalice local`` and the
  job CLI all agree on one clock.
- ``EBOK_NOW``: an ISO-8601 instant (``2026-11-30T21:50:00+01:00``); the clock starts there
  when this process first reads it. Used when no offset is given.

Token expiry (``exp``/``iat`` of Cognito's JWTs) is compared with the wall clock on purpose:
those are set by the identity provider, not by this clock.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")
ENV_NOW = "EBOK_NOW"
ENV_OFFSET = "EBOK_CLOCK_OFFSET_S"

_offset: timedelta | None = None


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def parse_instant(value: str) -> datetime:
    """An ISO instant; a value without a zone is Warsaw time (how a person types it)."""
    dt = parse_iso(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=WARSAW)


def offset_for(instant: datetime) -> float:
    """Seconds to add to the wall clock so that it reads ``instant`` now."""
    return (instant - datetime.now(UTC)).total_seconds()


def _current_offset() -> timedelta:
    global _offset
    if _offset is None:
        raw = os.environ.get(ENV_OFFSET)
        if raw:
            _offset = timedelta(seconds=float(raw))
        elif os.environ.get(ENV_NOW):
            _offset = timedelta(seconds=offset_for(parse_instant(os.environ[ENV_NOW])))
        else:
            _offset = timedelta(0)
    return _offset


def offset_seconds() -> float:
    """This process's offset from the wall clock (launchers hand it to their children)."""
    return _current_offset().total_seconds()


def reset() -> None:
    """Read the environment again on the next ``now`` (tests that change it)."""
    global _offset
    _offset = None


def wall_now() -> datetime:
    """The machine's real time: only for what another system stamps (token ``iat``/``exp``)."""
    return datetime.now(UTC)


def now() -> datetime:
    return datetime.now(UTC) + _current_offset()


def iso(dt: datetime) -> str:
    """UTC ISO-8601 with seconds and a Z suffix (sorts as text)."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_iso() -> str:
    return iso(now())


def to_warsaw(dt: datetime) -> datetime:
    return dt.astimezone(WARSAW)
