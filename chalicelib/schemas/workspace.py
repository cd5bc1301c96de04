"""The account manager's workspace."""

from __future__ import annotations

from chalicelib.schemas.common import Schema, array, obj

SEARCH_QUERY: Schema = obj({"q": {"type": "string", "minLength": 1, "maxLength": 100}})

CUSTOMERS: Schema = obj({"customers": array({"type": "object"})}, ["customers"])

CUSTOMER_VIEW: Schema = obj(
    {
        "customer": {"type": "object"},
        "contracts": array({"type": "object"}),
        "balance": {"type": "object"},
        "invoices": array({"type": "object"}),
        "applications": array({"type": "object"}),
        "faults": array({"type": "object"}),
        "threads": array({"type": "object"}),
    },
    ["customer", "contracts", "balance", "invoices", "applications", "faults", "threads"],
)

QUEUE: Schema = obj({"items": array({"type": "object"})}, ["items"])
