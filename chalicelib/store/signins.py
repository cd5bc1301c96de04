"""Successful sign-ins of a portal login: one item holding the newest ``KEEP`` (a bounded
history), written with a version condition (two sign-ins at once both stay).

Key: ``LOGIN#<username> / SIGNINS`` (in the login's partition, beside ``LOGIN``).
"""

from __future__ import annotations

import json
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError

from chalicelib.domain.signins import SignIn
from chalicelib.store.base import Item
from chalicelib.store.customers import login_pk

SIGNINS_SK = "SIGNINS"


class SignInHistory(Item, discriminator="SignInHistory"):
    username = UnicodeAttribute()
    entries = UnicodeAttribute()  # JSON list, newest first
    version = NumberAttribute(default=1)


class StaleVersion(Exception):
    """Another sign-in was recorded meanwhile."""


def _decode(raw: str | None) -> list[SignIn]:
    out: list[SignIn] = []
    for e in json.loads(raw or "[]"):
        if isinstance(e, dict):
            out.append(
                SignIn(
                    str(e.get("at", "")),
                    str(e.get("source", "")),
                    str(e.get("user_agent", "")),
                    str(e.get("via", "")),
                )
            )
    return out


def history(username: str) -> tuple[list[SignIn], int]:
    """The sign-ins (newest first) and the stored version (0: none yet)."""
    try:
        found = SignInHistory.get(login_pk(username), SIGNINS_SK)
    except SignInHistory.DoesNotExist:
        return [], 0
    return _decode(found.entries), int(found.version)


def save(username: str, entries: list[SignIn], version: int) -> None:
    """Write the history if it is still at ``version``; ``StaleVersion`` otherwise."""
    item = SignInHistory(
        login_pk(username),
        SIGNINS_SK,
        username=username,
        entries=json.dumps([e.as_dict() for e in entries], ensure_ascii=False),
        version=version + 1,
    )
    condition: Any = Item.PK.does_not_exist() if version == 0 else SignInHistory.version == version
    try:
        item.save(condition=condition)
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            raise StaleVersion() from exc
        raise
