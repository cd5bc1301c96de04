"""Secure messages between a customer and the account manager."""

from __future__ import annotations

from chalicelib.schemas.common import BOOL, INT, NSTR, STR, Schema, array, obj

FILE_IN: Schema = obj(
    {
        "filename": {"type": "string", "minLength": 1, "maxLength": 200},
        "content_type": {"type": "string", "minLength": 3, "maxLength": 100},
        "size": {"type": "integer", "minimum": 1},
    },
    ["content_type", "size"],
)

MESSAGE_IN: Schema = obj(
    {
        "text": {"type": "string", "minLength": 1, "maxLength": 8000},
        "attachments": {"type": "array", "items": FILE_IN, "maxItems": 10},
        "request_id": {"type": "string", "pattern": r"^[A-Za-z0-9_-]{8,64}$"},
    },
    ["text"],
)

THREAD_IN: Schema = obj(
    {
        "subject": {"type": "string", "minLength": 1, "maxLength": 200},
        "text": {"type": "string", "minLength": 1, "maxLength": 8000},
        "attachments": {"type": "array", "items": FILE_IN, "maxItems": 10},
        "request_id": {"type": "string", "pattern": r"^[A-Za-z0-9_-]{8,64}$"},
    },
    ["subject", "text"],
)

POSTED: Schema = obj(
    {
        "thread_id": STR,
        "message_id": NSTR,
        "cursor": NSTR,
        "uploads": array({"type": "object"}),
    },
    ["thread_id", "uploads"],
)

THREAD: Schema = obj(
    {
        "thread_id": STR,
        "customer_no": STR,
        "subject": STR,
        "created_at": STR,
        "last_at": STR,
        "messages": INT,
        "unread": INT,
        "waiting_for_manager": BOOL,
    },
    ["thread_id", "subject", "unread"],
)

THREADS: Schema = obj({"threads": array(THREAD), "unread": INT}, ["threads", "unread"])

THREAD_READ: Schema = {
    **THREAD,
    "properties": {**THREAD["properties"], "items": array({"type": "object"})},
    "required": ["thread_id", "items"],
}

READ_QUERY: Schema = obj({"after": {"type": "string", "minLength": 4, "maxLength": 200}})

UNREAD: Schema = obj({"unread": INT}, ["unread"])
