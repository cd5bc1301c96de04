"""KSeF administration bodies: invoices KSeF rejected, parked for an administrator."""

from __future__ import annotations

from chalicelib.schemas.common import INT, STR, Schema, array, obj

REASON: Schema = obj(
    {"code": INT, "description": STR, "details": array(STR)},
    ["code", "description"],
)

REJECTED_ITEM: Schema = obj(
    {
        "customer_no": STR,
        "invoice_id": STR,
        "status": STR,
        "reason": REASON,
        "attempts": INT,
        "updated_at": STR,
    },
    ["customer_no", "invoice_id", "status", "reason", "attempts", "updated_at"],
)

REJECTED_LIST: Schema = obj({"rejected": array(REJECTED_ITEM)}, ["rejected"])
