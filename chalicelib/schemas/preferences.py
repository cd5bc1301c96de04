"""Preference centre (Powiadomienia): request and response bodies."""

from __future__ import annotations

from chalicelib.domain.preferences import CHANNELS, LANGUAGES, MANDATORY, REMINDER_DAYS_MAX, TOPICS
from chalicelib.schemas.common import BOOL, INT, NSTR, STR, Schema, array, obj

CHANNEL_LIST: Schema = {"type": "array", "items": {"enum": list(CHANNELS)}, "maxItems": 2}
ADDRESS: Schema = obj(
    {
        "city": {"type": "string", "minLength": 1, "maxLength": 80},
        "street": {"type": "string", "minLength": 1, "maxLength": 120},
        "building": {"type": "string", "maxLength": 20},
    },
    ["city", "street"],
)
WATCH: Schema = obj(
    {"watch_id": STR, "city": STR, "street": STR, "building": STR},
    ["watch_id", "city", "street", "building"],
)

UPDATE: Schema = obj(
    {
        "language": {"enum": list(LANGUAGES)},
        "channels": obj({t: CHANNEL_LIST for t in TOPICS}),
        "reminder_days": {"type": "integer", "minimum": 1, "maximum": REMINDER_DAYS_MAX},
        "high_bill_amount": {"type": ["integer", "null"], "minimum": 100, "maximum": 100_000_000},
        "high_bill_percent": {"type": ["integer", "null"], "minimum": 5, "maximum": 500},
        "version": {"type": "integer", "minimum": 0},
    }
)

VIEW: Schema = obj(
    {
        "customer_no": STR,
        "language": {"enum": list(LANGUAGES)},
        "sms_available": BOOL,
        "topics": array(
            obj(
                {"topic": {"enum": list(TOPICS)}, "channels": CHANNEL_LIST, "chosen": CHANNEL_LIST},
                ["topic", "channels", "chosen"],
            )
        ),
        "mandatory": array({"enum": list(MANDATORY)}),
        "reminder_days": INT,
        "high_bill_amount": {"type": ["integer", "null"]},
        "high_bill_percent": {"type": ["integer", "null"]},
        "outage_addresses": array(WATCH),
        "version": INT,
        "sms_number": NSTR,
        "sms_pending": NSTR,
    },
    ["customer_no", "language", "topics", "mandatory", "version"],
)

MOBILE_START: Schema = obj(
    {"phone": {"type": "string", "minLength": 9, "maxLength": 20}},
    ["phone"],
)
MOBILE_CONFIRM: Schema = obj(
    {"code": {"type": "string", "pattern": "^[0-9]{6}$"}},
    ["code"],
)
MOBILE_STATE: Schema = obj(
    {
        "status": {"enum": ["none", "code_sent", "verified"]},
        "phone": NSTR,
        "expires_at": STR,
        "resend_after": STR,
    },
    ["status", "phone"],
)

UNSUBSCRIBED: Schema = obj({"unsubscribed": BOOL, "message": STR}, ["unsubscribed", "message"])

SUPPRESSIONS: Schema = obj(
    {
        "items": array(
            obj(
                {"email": STR, "reason": STR, "detail": NSTR, "at": STR},
                ["email", "reason", "at"],
            )
        )
    },
    ["items"],
)

FLAGS_QUERY: Schema = obj(
    {
        "manager_id": {"type": "string", "maxLength": 40},
        "cursor": {"type": "string", "maxLength": 1024},
    }
)

ADDRESS_FLAGS: Schema = obj(
    {
        "items": array(
            obj(
                {
                    "customer_no": STR,
                    "name": STR,
                    "email": STR,
                    "reason": STR,
                    "detail": NSTR,
                    "at": STR,
                },
                ["customer_no", "name", "email", "reason", "at"],
            )
        ),
        "cursor": NSTR,
    },
    ["items", "cursor"],
)
