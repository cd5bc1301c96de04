"""Query string of every paged list: ``limit`` (1-100) and the opaque ``cursor`` of the
next page that the previous answer returned as ``next``; a customer's invoices, ledger and
readings also take ``premises`` (only that premises' rows)."""

from __future__ import annotations

from chalicelib.schemas.common import Schema, obj

LIMIT: Schema = {"type": "string", "pattern": r"^([1-9]\d?|100)$"}
CURSOR: Schema = {
    "type": "string",
    "minLength": 1,
    "maxLength": 1024,
    "pattern": r"^[A-Za-z0-9_-]+$",
}
PAGE_QUERY: Schema = obj({"limit": LIMIT, "cursor": CURSOR})
PREMISES: Schema = {
    "type": "string",
    "minLength": 1,
    "maxLength": 40,
    "pattern": r"^[A-Za-z0-9_-]+$",
    "description": "Only the rows of this premises (a building manager's filter)",
}
PREMISES_PAGE_QUERY: Schema = obj({"limit": LIMIT, "cursor": CURSOR, "premises": PREMISES})
NEXT: Schema = {"type": ["string", "null"]}
