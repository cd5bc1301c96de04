"""Audit log of administrative actions: who, what, when, the value before and after."""

from __future__ import annotations

import base64
import json
from typing import Any

from chalicelib.domain import clock
from chalicelib.domain.ids import new_id
from chalicelib.errors import FieldError, ValidationFailed
from chalicelib.store import audit as store
from chalicelib.store.audit import AuditEntry


def entry(actor: str, action: str, target: str, before: Any, after: Any) -> AuditEntry:
    """An entry ready to be written (alone or in the transaction of the change it records)."""
    return store.new_entry(
        entry_id=new_id(),
        at=clock.now_iso(),
        actor=actor,
        action=action,
        target=target,
        before=_document(before),
        after=_document(after),
    )


def _document(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(actor: str, action: str, target: str, before: Any, after: Any) -> AuditEntry:
    item = entry(actor, action, target, before, after)
    store.put_entry(item)
    return item


def public(e: AuditEntry) -> dict[str, Any]:
    return {
        "entry_id": e.entry_id,
        "at": e.at,
        "actor": e.actor,
        "action": e.action,
        "target": e.target,
        "subject": store.target_subject(e.target),
        "before": json.loads(e.before) if e.before else None,
        "after": json.loads(e.after) if e.after else None,
    }


def month(month_key: str, limit: int = 100, cursor: str | None = None) -> dict[str, Any]:
    """A page of a month, newest first; ``next`` is an opaque cursor (URL-safe)."""
    after = None
    if cursor:
        try:
            after = base64.urlsafe_b64decode(cursor.encode() + b"==").decode()
        except (ValueError, UnicodeDecodeError):
            raise ValidationFailed(errors=[FieldError("cursor", "field.invalid")]) from None
        if not after.startswith(month_key):
            raise ValidationFailed(errors=[FieldError("cursor", "field.invalid")])
    items, nxt = store.month_entries(month_key, limit, after)
    token = base64.urlsafe_b64encode(nxt.encode()).decode().rstrip("=") if nxt else None
    return {"month": month_key, "entries": [public(e) for e in items], "next": token}


def of_target(target: str, limit: int = 50) -> list[dict[str, Any]]:
    return [public(e) for e in store.target_entries(target, limit)]
