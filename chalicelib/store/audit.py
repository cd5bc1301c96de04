"""The audit log of administrative actions: who, what, when, value before and after.

``AUDIT#<yyyy-mm> / <iso>#<id>`` lists a month newest first; GSI1 = (``AUDITOF#<target>``,
``<iso>#<id>``) gives the history of one customer, login or registration.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import UnicodeAttribute

from chalicelib.store.base import Item, transaction


class AuditEntry(Item, discriminator="AuditEntry"):
    """Wpis dziennika zdarzeń. ``before``/``after`` are JSON documents (or null)."""

    entry_id = UnicodeAttribute()
    at = UnicodeAttribute()
    actor = UnicodeAttribute()
    action = UnicodeAttribute()  # e.g. registration.activate, customer.update, login.disable
    target = UnicodeAttribute()  # e.g. REG#<id>, CUST#<no>, LOGIN#<username>
    before = UnicodeAttribute(null=True)
    after = UnicodeAttribute(null=True)


def put_entry(entry: AuditEntry) -> None:
    entry.save(condition=Item.PK.does_not_exist())


def month_entries(
    month: str, limit: int, after_sk: str | None = None
) -> tuple[list[AuditEntry], str | None]:
    """Newest first; ``after_sk`` continues a previous page."""
    last_key = {"PK": {"S": f"AUDIT#{month}"}, "SK": {"S": after_sk}} if after_sk else None
    result = Item.query(
        f"AUDIT#{month}", scan_index_forward=False, limit=limit, last_evaluated_key=last_key
    )
    items = [i for i in result if isinstance(i, AuditEntry)]
    nxt = result.last_evaluated_key
    return items, (nxt["SK"]["S"] if nxt else None)


def target_entries(target: str, limit: int = 50) -> list[AuditEntry]:
    return [
        i
        for i in Item.gsi1.query(f"AUDITOF#{target}", scan_index_forward=False, limit=limit)
        if isinstance(i, AuditEntry)
    ]


def update_with_entry(item: Item, actions: list[Any], condition: Any, entry: AuditEntry) -> None:
    """A change and its audit entry in one transaction (both or neither)."""
    with transaction() as tx:
        tx.update(item, actions=actions, condition=condition)
        tx.save(entry, condition=Item.PK.does_not_exist())
