"""Online applications (wnioski)."""

from __future__ import annotations

from chalicelib.schemas.common import INT, NSTR, STR, Schema, array, obj

STATUS: Schema = {
    "enum": ["draft", "submitted", "in_review", "needs_info", "approved", "rejected", "done"]
}

ATTACHMENT_IN: Schema = obj(
    {
        "kind": {"type": "string", "minLength": 1, "maxLength": 40},
        "filename": {"type": "string", "minLength": 1, "maxLength": 200},
        "content_type": {"type": "string", "minLength": 3, "maxLength": 100},
        "size": {"type": "integer", "minimum": 1},
    },
    ["kind", "content_type", "size"],
)

APPLICATION_IN: Schema = obj(
    {
        "type": {"type": "string", "minLength": 1, "maxLength": 40},
        "fields": {"type": "object"},
        "attachments": {"type": "array", "items": ATTACHMENT_IN, "maxItems": 10},
        "request_id": {"type": "string", "pattern": r"^[A-Za-z0-9_-]{8,64}$"},
    },
    ["type", "fields"],
)

ATTACHMENTS_IN: Schema = obj(
    {"attachments": {"type": "array", "items": ATTACHMENT_IN, "minItems": 1, "maxItems": 10}},
    ["attachments"],
)

ANSWER_IN: Schema = obj({"text": {"type": "string", "minLength": 1, "maxLength": 4000}}, ["text"])

DECISION_IN: Schema = obj(
    {
        "action": {"enum": ["review", "ask", "approve", "reject"]},
        "note": {"type": "string", "maxLength": 4000},
    },
    ["action"],
)

APPLICATION: Schema = obj(
    {
        "application_id": STR,
        "customer_no": STR,
        "type": STR,
        "name_pl": STR,
        "name_en": STR,
        "fields": {"type": "object"},
        "status": STATUS,
        "created_at": STR,
        "submitted_at": NSTR,
        "due_date": NSTR,
        "updated_at": STR,
        "result": {"type": ["object", "null"]},
        "required_attachments": array(STR),
        "history": array({"type": "object"}),
        "attachments": array({"type": "object"}),
    },
    ["application_id", "customer_no", "type", "status", "fields"],
)

UPLOADS: Schema = array(
    obj(
        {
            "attachment_id": STR,
            "kind": STR,
            "upload": obj({"url": STR, "fields": {"type": "object"}}, ["url", "fields"]),
        },
        ["attachment_id", "upload"],
    )
)

DRAFT: Schema = obj({"application": APPLICATION, "uploads": UPLOADS}, ["application", "uploads"])

APPLICATIONS: Schema = obj({"applications": array(APPLICATION)}, ["applications"])

CATALOGUE: Schema = obj(
    {
        "types": array(
            obj({"code": STR, "schema": {"type": "object"}}, ["code", "schema"], extra=True)
        ),
        "attachment_kinds": array(STR),
        "max_attachment_bytes": INT,
        "content_types": array(STR),
    },
    ["types"],
)

PROXY_PREMISES: Schema = obj(
    {"premises": array({"type": "object"})},
    ["premises"],
)

PROXY_ONE: Schema = obj(
    {
        "customer_no": STR,
        "premises_id": STR,
        "label": STR,
        "address": STR,
        "contracts": array({"type": "object"}),
        "meters": array({"type": "object"}),
    },
    ["customer_no", "premises_id", "contracts"],
)
