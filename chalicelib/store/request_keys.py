"""Client request ids: a form submitted twice creates one record.

``PK = REQ#<scope>#<request_id>``, ``SK = REQ`` names what the first submission created; it
is written in the same transaction as that record and expires after a week (TTL).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pynamodb.attributes import UnicodeAttribute

from chalicelib.store.base import Item

KEEP_FOR = timedelta(days=7)


def request_pk(scope: str, request_id: str) -> str:
    return f"REQ#{scope}#{request_id}"


class RequestKey(Item, discriminator="RequestKey"):
    scope = UnicodeAttribute()
    result_id = UnicodeAttribute()
    principal = UnicodeAttribute()
    created_at = UnicodeAttribute()


def new_request_key(
    scope: str, request_id: str, result_id: str, principal: str, now: datetime
) -> RequestKey:
    return RequestKey(
        request_pk(scope, request_id),
        "REQ",
        scope=scope,
        result_id=result_id,
        principal=principal,
        created_at=now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        expires_at=now + KEEP_FOR,
    )


def find_request(scope: str, request_id: str, principal: str) -> str | None:
    """What an earlier submission with this id created (only the same caller's)."""
    try:
        item = Item.get(request_pk(scope, request_id), "REQ")
    except Item.DoesNotExist:
        return None
    if not isinstance(item, RequestKey) or item.principal != principal:
        return None
    return str(item.result_id)
