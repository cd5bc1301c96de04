"""SMS Alert subscriptions."""

from __future__ import annotations

from chalicelib.schemas.common import NSTR, STR, Schema, array, obj

ALERT_IN: Schema = obj(
    {
        "premises_id": {"type": "string", "minLength": 1, "maxLength": 40},
        "channel": {"enum": ["sms", "email"]},
        "phone": {"type": "string", "minLength": 9, "maxLength": 20},
        "lang": {"enum": ["pl", "en"]},
    },
    ["premises_id"],
)

ALERT: Schema = obj(
    {
        "alert_id": STR,
        "customer_no": STR,
        "premises_id": STR,
        "address": STR,
        "channel": {"enum": ["sms", "email"]},
        "phone": NSTR,
        "email": NSTR,
        "lang": STR,
        "products": array(STR),
        "status": {"enum": ["pending", "active", "off", "rejected"]},
        "requested_at": STR,
        "decided_at": NSTR,
        "switched_off_at": NSTR,
    },
    ["alert_id", "customer_no", "premises_id", "channel", "status", "requested_at"],
)

ALERTS: Schema = obj({"alerts": array(ALERT), "cities": array(STR)}, ["alerts"])
