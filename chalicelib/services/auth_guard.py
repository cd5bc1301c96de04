"""Login lockout and rate limits, enforced by the application itself.

Five failed logins within 15 minutes lock the user identifier for 15 minutes (Cognito's own
protections in AWS come on top). Registration and password-reset attempts are counted per
customer number / user identifier and per source address in fixed windows. Every counter is
an item with a TTL, changed only by conditional writes; time comes from ``clock.now`` so the
tests can move it.
"""

from __future__ import annotations

from typing import Any, cast

from chalicelib.domain import clock
from chalicelib.domain import credentials as rules
from chalicelib.errors import AppError, TooManyRequests
from chalicelib.observability import logger, metrics
from chalicelib.store import auth as store


class Locked(AppError):
    """423 Locked: the login is locked after repeated failures."""

    status = 423
    default_key = "auth.locked"


def _now() -> int:
    return int(clock.now().timestamp())


def _locked_error(seconds: int) -> Locked:
    return Locked(headers={"Retry-After": str(seconds)}, minutes=max(1, (seconds + 59) // 60))


def _state(guard: store.LoginGuard | None) -> rules.LockState:
    if guard is None:
        return rules.LockState(failures=(), locked_until=0)
    return rules.LockState(
        failures=tuple(int(cast(float, t)) for t in guard.failures or []),
        locked_until=int(guard.locked_until or 0),
    )


def ensure_not_locked(username: str) -> None:
    now = _now()
    state = _state(store.get_guard(username))
    if state.locked(now):
        raise _locked_error(state.retry_after(now))


def record_failure(username: str) -> bool:
    """Count one failed login; True when this failure locked the login."""
    for _ in range(5):  # optimistic concurrency: re-read and retry when another request won
        now = _now()
        guard = store.get_guard(username)
        state = rules.after_failure(_state(guard), now)
        if guard is None:
            guard = store.new_guard(username)
        guard.failures = cast(Any, list(state.failures))
        guard.locked_until = state.locked_until
        store.set_expiry(guard, max(state.locked_until, now + rules.LOCKOUT_WINDOW_S) + 60)
        try:
            store.save_guard(guard)
        except store.Conflict:
            continue
        if state.locked(now):
            metrics.add_metric(name="LoginLocked", unit="Count", value=1)
            logger.info("login locked", extra={"failures": rules.LOCKOUT_FAILURES})
            return True
        return False
    return False


def clear_failures(username: str) -> None:
    store.clear_guard(username)


def check_rate(scope: str, *key_parts: str) -> None:
    """Count one attempt; 429 with Retry-After when the window's limit is reached."""
    limit, window = rules.RATE_LIMITS[scope]
    now = _now()
    start = rules.window_start(now, window)
    key = rules.opaque_key(scope, *key_parts)
    if not store.count_attempt(scope, key, start, limit, start + window + 3600):
        retry = max(1, start + window - now)
        metrics.add_metric(name="RateLimited", unit="Count", value=1)
        raise TooManyRequests(
            "auth.rate_limited",
            headers={"Retry-After": str(retry)},
            minutes=max(1, (retry + 59) // 60),
        )
