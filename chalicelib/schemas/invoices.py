"""Invoices: list, detail, PDF link, e-invoice consent, correcting invoice."""

from __future__ import annotations

from chalicelib.schemas.common import BOOL, DATE, GROSZE, NSTR, STR, Schema, array, obj

DELIVERY: Schema = obj(
    {"channel": {"enum": ["email", "paper"]}, "status": NSTR, "at": NSTR},
    ["channel", "status"],
)

SUMMARY_PROPS: dict[str, Schema] = {
    "invoice_id": STR,
    "number": STR,
    "kind": {"enum": ["invoice", "correction"]},
    "corrects": NSTR,
    "corrected_by": array(STR),
    "contract_no": STR,
    "premises_id": STR,
    "product": STR,
    "period": STR,
    "period_from": DATE,
    "period_to": DATE,
    "issue_date": DATE,
    "due_date": DATE,
    "net": GROSZE,
    "vat": GROSZE,
    "gross": GROSZE,
    "estimated": BOOL,
    "status": {"enum": ["unpaid", "partially_paid", "paid", "overdue"]},
    "outstanding": GROSZE,
    "delivery": DELIVERY,
}
SUMMARY_REQUIRED = [
    "invoice_id",
    "number",
    "kind",
    "period_from",
    "period_to",
    "issue_date",
    "due_date",
    "net",
    "vat",
    "gross",
    "status",
    "delivery",
]

INVOICE_LIST: Schema = obj(
    {
        "customer_no": STR,
        "invoices": array(obj(SUMMARY_PROPS, SUMMARY_REQUIRED)),
        "next": {"type": ["string", "null"]},  # cursor of the next page (None: the last)
    },
    ["customer_no", "invoices"],
)

LINE: Schema = obj(
    {
        "code": STR,
        "name_pl": STR,
        "name_en": STR,
        "unit": STR,
        "quantity": STR,
        "unit_price": STR,
        "price_unit": STR,
        "net": GROSZE,
        "vat_rate": STR,
        "period_from": DATE,
        "period_to": DATE,
        "estimated": BOOL,
    },
    ["code", "name_pl", "unit", "quantity", "unit_price", "net", "vat_rate"],
)

RATE: Schema = obj(
    {"vat_rate": STR, "net": GROSZE, "vat": GROSZE, "gross": GROSZE},
    ["vat_rate", "net", "vat", "gross"],
)

PARTY: Schema = obj(
    {"name": STR, "address": STR, "nip": NSTR, "customer_no": STR, "kind": STR}, ["name", "address"]
)

CORRECTION_STATE: Schema = {
    "type": ["object", "null"],
    "properties": {
        "lines": array(LINE),
        "rates": array(RATE),
        "net": GROSZE,
        "vat": GROSZE,
        "gross": GROSZE,
        "usage": {"type": "object", "additionalProperties": STR},
    },
}

INVOICE_DETAIL: Schema = obj(
    {
        **SUMMARY_PROPS,
        "seller": PARTY,
        "buyer": PARTY,
        "supply_address": STR,
        "tariff_group": STR,
        "ordered_capacity_mw": NSTR,
        "bank_account": STR,
        "lines": array(LINE),
        "rates": array(RATE),
        "meters": array({"type": "object"}),
        "amount_in_words": STR,
        "correction_reason": NSTR,
        "state_before": CORRECTION_STATE,
        "state_after": CORRECTION_STATE,
        "settlement": NSTR,
    },
    [*SUMMARY_REQUIRED, "seller", "buyer", "bank_account", "lines", "rates"],
)

PDF_LINK: Schema = obj(
    {"url": STR, "expires_in": {"type": "integer", "maximum": 900}, "filename": STR},
    ["url", "expires_in"],
)

CONSENT: Schema = obj(
    {"customer_no": STR, "einvoice_consent": BOOL, "einvoice_consent_at": NSTR, "email": STR},
    ["customer_no", "einvoice_consent", "einvoice_consent_at"],
)

CONSENT_REQUEST: Schema = obj({"einvoice_consent": BOOL}, ["einvoice_consent"])

CORRECTION_REQUEST: Schema = obj(
    {
        "reason": {"type": "string", "minLength": 3, "maxLength": 300},
        "usage": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {"type": "string", "pattern": r"^-?\d+([.,]\d{1,3})?$"},
        },
    },
    ["reason", "usage"],
)

CORRECTION_REQUEST_STATE: Schema = obj(
    {
        "request_id": STR,
        "customer_no": STR,
        "invoice_id": STR,
        "usage_before": {"type": "object", "additionalProperties": STR},
        "usage": {"type": "object", "additionalProperties": STR},
        "reason": STR,
        "difference": GROSZE,
        "requested_by": STR,
        "requested_at": STR,
        "status": {"enum": ["pending", "issued", "rejected"]},
        "decided_by": NSTR,
        "correction_id": NSTR,
    },
    ["request_id", "customer_no", "invoice_id", "usage", "difference", "status"],
)

CORRECTION_RESULT: Schema = obj(
    {
        "status": {"enum": ["issued", "pending_approval"]},
        "invoice": {**INVOICE_DETAIL, "type": ["object", "null"]},
        "request": {**CORRECTION_REQUEST_STATE, "type": ["object", "null"]},
    },
    ["status", "invoice", "request"],
)

CORRECTION_REQUESTS: Schema = obj({"requests": array(CORRECTION_REQUEST_STATE)}, ["requests"])

RUN_REQUEST: Schema = obj(
    {"period": {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}}, ["period"]
)
RUN_RESULT: Schema = obj(
    {"period": STR, "contracts": {"type": "integer"}, "queued": {"type": "integer"}},
    ["period", "contracts", "queued"],
)
