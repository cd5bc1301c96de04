"""Technical fault reports."""

from __future__ import annotations

from chalicelib.schemas.common import ADDRESS, INT, NSTR, STR, Schema, array, obj

STATUS: Schema = {"enum": ["received", "dispatched", "in_progress", "resolved"]}
PRODUCT: Schema = {"enum": ["heat", "electricity"]}

FAULT_IN: Schema = obj(
    {
        "product": PRODUCT,
        "premises_id": {"type": "string", "minLength": 1, "maxLength": 40},
        "address": ADDRESS,
        "description": {"type": "string", "minLength": 5, "maxLength": 2000},
        "contact_phone": {"type": "string", "minLength": 9, "maxLength": 20},
        "request_id": {"type": "string", "pattern": r"^[A-Za-z0-9_-]{8,64}$"},
    },
    ["product", "description", "contact_phone"],
)

PHOTO_IN: Schema = obj(
    {
        "content_type": {"type": "string", "minLength": 3, "maxLength": 100},
        "size": {"type": "integer", "minimum": 1},
    },
    ["content_type", "size"],
)

PHOTO_UPLOAD: Schema = obj(
    {
        "photo_id": STR,
        "upload": obj({"url": STR, "fields": {"type": "object"}}, ["url", "fields"]),
        "max_bytes": INT,
    },
    ["photo_id", "upload", "max_bytes"],
)

STATUS_IN: Schema = obj(
    {"status": STATUS, "note": {"type": "string", "maxLength": 1000}},
    ["status"],
)

TICKET: Schema = obj(
    {
        "ticket_no": STR,
        "customer_no": STR,
        "product": PRODUCT,
        "premises_id": NSTR,
        "address": ADDRESS,
        "description": STR,
        "contact_phone": STR,
        "status": STATUS,
        "photo_count": INT,
        "created_at": STR,
        "updated_at": STR,
        "emergency_phone": STR,
        "history": array(obj({"status": STATUS, "at": STR, "note": STR}, ["status", "at"])),
        "photos": array(
            obj({"photo_id": STR, "content_type": STR, "url": STR}, ["photo_id", "url"])
        ),
    },
    ["ticket_no", "customer_no", "product", "address", "description", "status", "created_at"],
)

TICKETS: Schema = obj({"tickets": array(TICKET)}, ["tickets"])

QUEUE: Schema = obj(
    {
        "tickets": array(
            obj(
                {
                    "ticket_no": STR,
                    "status": STATUS,
                    "product": PRODUCT,
                    "city": STR,
                    "summary": STR,
                    "created_at": STR,
                },
                ["ticket_no", "status", "product", "created_at"],
            )
        )
    },
    ["tickets"],
)
