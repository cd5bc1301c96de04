"""The audit log of administrative actions: who, what, when, value before and after.

``AUDIT#<yyyy-mm> / <iso>#<id>`` lists a month newest first; GSI1 = (``AUDITOF#<target>``,
``<iso>#<id>``) gives the history of one customer, login or registration.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import TransactWriteError

from chalicelib.store.base import Item, transaction

# The audit target is the audited item's key; what it names, for people: kind and reference.
_TARGET_KINDS = {
    "CUST": "customer",
    "LOGIN": "login",
    "APP": "application",
    "INV": "invoice",
    "BANKENTRY": "bank_entry",
    "REG": "registration",
}


def target_subject(target: str) -> dict[str, str]:
    """``CUST#100003`` → ``{"kind": "customer", "ref": "100003"}``; an invoice's target
    (``INV#<customer>#<invoice>``) names the invoice and its customer."""
    prefix, _, rest = target.partition("#")
    kind = _TARGET_KINDS.get(prefix)
    if kind is None or not rest:
        return {"kind": "other", "ref": target}
    if kind == "invoice":
        customer_no, _, invoice_id = rest.partition("#")
        return {"kind": kind, "ref": invoice_id or rest, "customer_no": customer_no}
    return {"kind": kind, "ref": rest}


def month_pk(month: str) -> str:
    """The partition of one month's entries (``month`` is ``yyyy-mm``)."""
    return f"AUDIT#{month}"


def target_pk(target: str) -> str:
    """The GSI1 partition of one target's history (``target`` is the target's own key,
    e.g. ``customers.customer_target(no)``)."""
    return f"AUDITOF#{target}"


class ChangedMeanwhile(Exception):
    """The audited change lost its condition: the data changed since it was read."""


class AuditEntry(Item, discriminator="AuditEntry"):
    """Wpis dziennika zdarzeń. ``before``/``after`` are JSON documents (or null)."""

    entry_id = UnicodeAttribute()
    at = UnicodeAttribute()
    actor = UnicodeAttribute()
    action = UnicodeAttribute()  # e.g. registration.activate, customer.update, login.disable
    target = UnicodeAttribute()  # e.g. REG#<id>, CUST#<no>, LOGIN#<username>
    before = UnicodeAttribute(null=True)
    after = UnicodeAttribute(null=True)


def new_entry(
    *,
    entry_id: str,
    at: str,
    actor: str,
    action: str,
    target: str,
    before: str | None,
    after: str | None,
) -> AuditEntry:
    """An entry ready to be written, alone (``put_entry``) or in the transaction of the
    change it records. ``before``/``after`` are JSON documents."""
    sort = f"{at}#{entry_id}"
    return AuditEntry(
        month_pk(at[:7]),
        sort,
        GSI1PK=target_pk(target),
        GSI1SK=sort,
        entry_id=entry_id,
        at=at,
        actor=actor,
        action=action,
        target=target,
        before=before,
        after=after,
    )


def put_entry(entry: AuditEntry) -> None:
    entry.save(condition=Item.PK.does_not_exist())


def month_entries(
    month: str, limit: int, after_sk: str | None = None
) -> tuple[list[AuditEntry], str | None]:
    """Newest first; ``after_sk`` continues a previous page."""
    last_key = {"PK": {"S": month_pk(month)}, "SK": {"S": after_sk}} if after_sk else None
    result = Item.query(
        month_pk(month), scan_index_forward=False, limit=limit, last_evaluated_key=last_key
    )
    items = [i for i in result if isinstance(i, AuditEntry)]
    nxt = result.last_evaluated_key
    return items, (nxt["SK"]["S"] if nxt else None)


def target_entries(target: str, limit: int = 50) -> list[AuditEntry]:
    return [
        i
        for i in Item.gsi1.query(target_pk(target), scan_index_forward=False, limit=limit)
        if isinstance(i, AuditEntry)
    ]


def update_with_entry(item: Item, actions: list[Any], condition: Any, entry: AuditEntry) -> None:
    """A change and its audit entry in one transaction (both or neither); raises
    ChangedMeanwhile when ``condition`` (the values read) no longer holds."""
    try:
        with transaction() as tx:
            tx.update(item, actions=actions, condition=condition)
            tx.save(entry, condition=Item.PK.does_not_exist())
    except TransactWriteError as exc:
        if any(
            getattr(r, "code", None) == "ConditionalCheckFailed"
            for r in exc.cancellation_reasons or []
        ):
            raise ChangedMeanwhile() from None
        raise
