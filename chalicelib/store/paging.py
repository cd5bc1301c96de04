"""Cursors of paged reads: DynamoDB's ``LastEvaluatedKey`` as an opaque URL-safe string.

A list route answers one page and the cursor of the next (``None`` after the last); a job
hands the cursor on in its SQS message. The cursor only names where the next Query starts
(keys of the last item read); a cursor forged for another partition reads nothing of it,
because every Query also fixes its partition key.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")

MAX_CURSOR = 1024


class BadCursor(ValueError):
    """A cursor that is not one of ours (tampered, truncated, from another list)."""


def encode(key: dict[str, Any] | None) -> str | None:
    if not key:
        return None
    raw = json.dumps(key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None, names: tuple[str, ...] = ("PK", "SK")) -> dict[str, Any] | None:
    """The key a cursor names; ``names`` are the key attributes it must carry."""
    if not cursor:
        return None
    if len(cursor) > MAX_CURSOR:
        raise BadCursor("cursor too long")
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError) as exc:
        raise BadCursor("cursor unreadable") from exc
    if not isinstance(key, dict) or set(key) != set(names):
        raise BadCursor("cursor of another list")
    for value in key.values():
        if not (isinstance(value, dict) and set(value) == {"S"} and isinstance(value["S"], str)):
            raise BadCursor("cursor of another list")
    return key


def key_of(item: Any, names: tuple[str, ...] = ("PK", "SK")) -> dict[str, Any]:
    """The cursor key of an item (the next page starts after it)."""
    return {n: {"S": str(getattr(item, n))} for n in names}


@dataclass
class Page(Generic[T]):
    items: list[T] = field(default_factory=list)
    cursor: str | None = None
