"""The account manager's queue: applications and message threads waiting for the manager,
ordered by due date.

``PK = MGRQUEUE#<manager_id>, SK = <due_date>#<APP|THREAD>#<id>``: ManagerQueueEntry,
written and removed in the same transactions as the application's status or the thread's
new message (sparse: only what waits for the manager is there).
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import UnicodeAttribute

from chalicelib.store.base import Item


def queue_pk(manager_id: str) -> str:
    return f"MGRQUEUE#{manager_id}"


def queue_sk(due_date: str, kind: str, ref: str) -> str:
    return f"{due_date}#{kind.upper()}#{ref}"


class ManagerQueueEntry(Item, discriminator="ManagerQueueEntry"):
    manager_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # app | thread
    ref = UnicodeAttribute()  # application or thread id
    customer_no = UnicodeAttribute()
    due_date = UnicodeAttribute()
    title = UnicodeAttribute()
    status = UnicodeAttribute()
    since = UnicodeAttribute()


def queue_entry(
    manager_id: str, kind: str, ref: str, due_date: str, **fields: Any
) -> ManagerQueueEntry:
    return ManagerQueueEntry(
        queue_pk(manager_id),
        queue_sk(due_date, kind, ref),
        manager_id=manager_id,
        kind=kind,
        ref=ref,
        due_date=due_date,
        **fields,
    )


def queue_key(manager_id: str, kind: str, ref: str, due_date: str) -> ManagerQueueEntry:
    """The entry's keys only (to delete it in a transaction)."""
    return ManagerQueueEntry(queue_pk(manager_id), queue_sk(due_date, kind, ref))


def queue(manager_id: str, limit: int = 200) -> list[ManagerQueueEntry]:
    """What waits for the manager, earliest due first."""
    return [
        i for i in Item.query(queue_pk(manager_id), limit=limit) if isinstance(i, ManagerQueueEntry)
    ]
