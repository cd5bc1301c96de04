"""Recording successful sign-ins (time, source address, user agent) for "Moje dane": the
auth service calls ``record`` once a login has its tokens; ``history`` feeds the export."""

from __future__ import annotations

from chalicelib.domain import clock
from chalicelib.domain import signins as rules
from chalicelib.observability import logger
from chalicelib.store import signins as store

_TRIES = 3


def record(username: str, source: str, user_agent: str, via: str) -> bool:
    """Add one sign-in to the login's bounded history. Never fails the login: a store
    error is logged and False returned."""
    entry = rules.SignIn(clock.now_iso(), source or "unknown", rules.clean_agent(user_agent), via)
    try:
        for _ in range(_TRIES):
            found, version = store.history(username)
            try:
                store.save(username, rules.kept(found, entry), version)
                return True
            except store.StaleVersion:
                continue
    except Exception:
        logger.exception("sign-in not recorded")
        return False
    logger.warning("sign-in not recorded: history kept changing")
    return False


def history(username: str) -> list[dict[str, str]]:
    """The login's sign-ins, newest first (at most ``domain.signins.KEEP``)."""
    return [e.as_dict() for e in store.history(username)[0]]
