"""The daily notices run, a page at a time: which accounts to review, and who lists a page.

Accounts to review sit in GSI1 under ``ACCOUNTS#<shard>`` (``store.ledger``): with open
invoices (``DUE#<earliest due>``) or with credit only (``CREDIT#<day>``). A run walks
shard 0..N-1, each with the "due" then the "credit" range, with DynamoDB's page keys as its
cursor, so no invocation reads more than one page.

A page of a run (``PK = NOTICERUN#<day>#<run>``, ``SK = PAGE#<page id>``) is owned by the
SQS message that lists it: a redelivery of that message (same message id) may list it
again, a duplicate message (another id) does nothing, so a run's chain of pages never
forks into two.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import PutError

from chalicelib.store.base import Item
from chalicelib.store.ledger import ACCOUNT_SHARDS, AccountBalance, credit_sk, due_sk, shard_pk

PHASES = ("due", "credit")


def run_pk(day: str, run_id: str) -> str:
    return f"NOTICERUN#{day}#{run_id}"


def page_sk(page_id: str) -> str:
    return f"PAGE#{page_id}"


class NoticePage(Item, discriminator="NoticePage"):
    """A page of a notices run, claimed by the SQS message that lists it."""

    owner = UnicodeAttribute()
    claimed_at = UnicodeAttribute()


def accounts_page(
    shard: int, phase: str, due_before: str, limit: int, key: dict[str, Any] | None
) -> tuple[list[str], dict[str, Any] | None]:
    """Customer numbers of one page (at most ``limit``) of a shard's accounts to review,
    and DynamoDB's key of the next page (None after the last)."""
    pk = shard_pk(shard)
    condition = (
        Item.GSI1SK.between(due_sk(""), due_sk(due_before))
        if phase == "due"
        else Item.GSI1SK.startswith(credit_sk(""))
    )
    result = Item.gsi1.query(pk, condition, limit=limit, last_evaluated_key=key)
    found = [i.customer_no for i in result if isinstance(i, AccountBalance)]
    return found, result.last_evaluated_key


def shards() -> int:
    return ACCOUNT_SHARDS


def claim_page(day: str, run_id: str, page_id: str, owner: str, at: str, ttl: int) -> bool:
    """True when ``owner`` may list this page (first claim, or the owner's redelivery)."""
    marker = NoticePage(
        run_pk(day, run_id),
        page_sk(page_id),
        owner=owner,
        claimed_at=at,
        expires_at=datetime.fromtimestamp(ttl, UTC),
    )
    try:
        marker.save(condition=Item.PK.does_not_exist() | (NoticePage.owner == owner))
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True
