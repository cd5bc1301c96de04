"""Balances, ledger history, online payments, operator notifications, bank statements."""

from __future__ import annotations

from chalicelib.schemas.common import (
    DATE,
    GROSZE,
    INT,
    NSTR,
    STR,
    Schema,
    array,
    obj,
)
from chalicelib.schemas.paging import NEXT

NDATE_OR_NULL: Schema = {"type": ["string", "null"]}
NGROSZE: Schema = {"type": ["integer", "null"]}
STATUS: Schema = {"enum": ["unpaid", "partially_paid", "paid", "overdue"]}
INVOICE_NO: Schema = {"type": "string", "minLength": 1, "maxLength": 60, "pattern": r"^[^#\s]+$"}
REFERENCE: Schema = {
    "type": "string",
    "minLength": 3,
    "maxLength": 60,
    "pattern": r"^[A-Za-z0-9/_.:-]+$",
}

VIRTUAL_ACCOUNT: Schema = obj(
    {"nrb": STR, "iban": STR, "formatted": STR}, ["nrb", "iban", "formatted"]
)

SUMMARY_FIELDS: dict[str, Schema] = {
    "balance_grosze": {**GROSZE, "description": "What the customer owes (negative: overpayment)"},
    "overpayment_grosze": GROSZE,
    "arrears_grosze": {**GROSZE, "description": "Overdue debt (zaległość)"},
    "due_grosze": GROSZE,
    "next_due_date": NDATE_OR_NULL,
    "next_due_grosze": GROSZE,
    "open_invoices": INT,
    "virtual_account": {"anyOf": [VIRTUAL_ACCOUNT, {"type": "null"}]},
}
SUMMARY_REQUIRED = [
    "balance_grosze",
    "overpayment_grosze",
    "arrears_grosze",
    "next_due_date",
    "virtual_account",
]

# The ``balance`` block added to the customer overview.
OVERVIEW_BALANCE: Schema = obj(SUMMARY_FIELDS, SUMMARY_REQUIRED)

OPEN_ITEM: Schema = obj(
    {
        "invoice_no": STR,
        "issue_date": DATE,
        "due_date": DATE,
        "gross_grosze": GROSZE,
        "paid_grosze": GROSZE,
        "outstanding_grosze": GROSZE,
        "status": STATUS,
        "premises_id": {**NSTR, "description": "the invoice's premises"},
    },
    ["invoice_no", "due_date", "gross_grosze", "paid_grosze", "outstanding_grosze", "status"],
)

BALANCE: Schema = obj(
    {"customer_no": STR, **SUMMARY_FIELDS, "open_items": array(OPEN_ITEM)},
    ["customer_no", *SUMMARY_REQUIRED, "open_items"],
)

ENTRY: Schema = obj(
    {
        "kind": {"enum": ["invoice", "payment", "transfer", "correction", "refund"]},
        "ref": STR,
        "amount_grosze": {**GROSZE, "description": "+ debit (invoice, refund), - credit (payment)"},
        "booked_at": STR,
        "value_date": STR,
        "invoice_no": NSTR,
        "due_date": NSTR,
        "title": NSTR,
        "source": NSTR,
        "allocations": array(
            obj({"invoice_no": STR, "amount_grosze": GROSZE}, ["invoice_no", "amount_grosze"])
        ),
        "balance_after_grosze": NGROSZE,
        "premises_ids": {
            **array(STR),
            "description": "the premises of the entry's invoices (none: the whole account)",
        },
    },
    ["kind", "ref", "amount_grosze", "booked_at", "value_date", "allocations"],
)

HISTORY: Schema = obj(
    {"customer_no": STR, "entries": array(ENTRY), "next": NEXT}, ["customer_no", "entries", "next"]
)

START_PAYMENT: Schema = {
    "type": "object",
    "properties": {
        "invoice_nos": {
            "type": "array",
            "items": INVOICE_NO,
            "minItems": 1,
            "maxItems": 50,
            "uniqueItems": True,
        },
        "amount_grosze": {"type": "integer", "minimum": 100, "maximum": 100_000_000},
    },
    "additionalProperties": False,
    "anyOf": [{"required": ["invoice_nos"]}, {"required": ["amount_grosze"]}],
}

PAYMENT: Schema = obj(
    {
        "payment_id": STR,
        "customer_no": STR,
        "amount_grosze": GROSZE,
        "currency": STR,
        "invoice_nos": array(STR),
        "status": {"enum": ["pending", "paid", "failed"]},
        "created_at": STR,
        "settled_at": NSTR,
        "redirect_url": NSTR,
    },
    [
        "payment_id",
        "customer_no",
        "amount_grosze",
        "currency",
        "invoice_nos",
        "status",
        "created_at",
    ],
)

PAYMENTS: Schema = obj({"payments": array(PAYMENT), "next": NEXT}, ["payments", "next"])

NOTIFICATION: Schema = obj(
    {
        "merchant_id": STR,
        "payment_id": {"type": "string", "minLength": 1, "maxLength": 64},
        "operator_ref": {"type": "string", "maxLength": 128},
        "amount": {"type": "integer", "minimum": 1},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "status": {"enum": ["completed", "failed"]},
        "at": STR,
    },
    ["merchant_id", "payment_id", "amount", "currency", "status"],
)

NOTIFICATION_RESULT: Schema = obj(
    {"result": {"enum": ["booked", "duplicate", "failed", "ignored"]}, "payment_id": STR},
    ["result", "payment_id"],
)

CORRECTION: Schema = obj(
    {
        "reference": REFERENCE,
        "amount_grosze": {"type": "integer", "minimum": 1, "maximum": 100_000_000},
        "invoice_no": INVOICE_NO,
        "reason": {"type": "string", "minLength": 3, "maxLength": 200},
    },
    ["reference", "amount_grosze", "reason"],
)

REFUND: Schema = obj(
    {
        "reference": REFERENCE,
        "amount_grosze": {"type": "integer", "minimum": 1, "maximum": 100_000_000},
        "reason": {"type": "string", "minLength": 3, "maxLength": 200},
    },
    ["reference", "amount_grosze", "reason"],
)

# What every four-eyes request shows of its decision (store.approvals).
_DECISION: dict[str, Schema] = {
    "requested_by": STR,
    "requested_at": STR,
    "status": {"enum": ["pending", "booked", "rejected"]},
    "decided_by": NSTR,
    "decided_at": NSTR,
}

LEDGER_REQUEST: Schema = obj(
    {
        "request_id": STR,
        "customer_no": STR,
        "kind": {"enum": ["correction", "refund"]},
        "reference": STR,
        "amount_grosze": GROSZE,
        "invoice_no": NSTR,
        "reason": STR,
        **_DECISION,
    },
    ["request_id", "customer_no", "kind", "reference", "amount_grosze", "status"],
)

LEDGER_REQUESTS: Schema = obj({"requests": array(LEDGER_REQUEST)}, ["requests"])

BOOKING: Schema = obj(
    {
        "customer_no": STR,
        "balance_grosze": GROSZE,
        "allocations": array(
            obj({"invoice_no": STR, "amount_grosze": GROSZE}, ["invoice_no", "amount_grosze"])
        ),
        "status": {
            "enum": ["booked", "pending_approval"],
            "description": "pending_approval: above the approval threshold nothing is booked "
            "until another administrator approves the request",
        },
        "request": {**LEDGER_REQUEST, "type": ["object", "null"]},
    },
    ["customer_no", "balance_grosze", "allocations"],
)

# --- bank statements (admin) -----------------------------------------------------------

UPLOAD_STATEMENT: Schema = obj(
    {
        "file_name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 120,
            "pattern": r"^[\w.() -]+$",
        },
        "content": {"type": "string", "minLength": 20, "maxLength": 5_000_000},
    },
    ["file_name", "content"],
)

IMPORT_RESULT: Schema = obj(
    {
        "statement_id": STR,
        "account": NSTR,
        "entries": INT,
        "booked": INT,
        "suspense": INT,
        "duplicates": INT,
        "skipped": INT,
        "source_key": NSTR,
        "pages": INT,
        "status": {"enum": ["queued", "booked", "rejected"]},
        "statements": array(STR),
        "notes": array(STR),
    },
    ["statement_id", "entries", "booked", "suspense", "duplicates", "skipped"],
)

BANK_ENTRY: Schema = obj(
    {
        "ref": STR,
        "amount_grosze": GROSZE,
        "currency": STR,
        "booking_date": STR,
        "value_date": STR,
        "account": NSTR,
        "debtor_name": NSTR,
        "debtor_account": NSTR,
        "title": NSTR,
        "status": {"enum": ["booked", "suspense", "returned"]},
        "matched_by": NSTR,
        "customer_no": NSTR,
        "statement_id": NSTR,
        "resolved_by": NSTR,
        "resolved_at": NSTR,
        "note": NSTR,
        "needs_approval": {
            "type": "boolean",
            "description": "booking it on an account needs a reason and a second "
            "administrator's approval (above the approval threshold)",
        },
    },
    ["ref", "amount_grosze", "currency", "booking_date", "status"],
)

SUSPENSE: Schema = obj({"entries": array(BANK_ENTRY), "next": NEXT}, ["entries", "next"])

SUSPENSE_REQUEST: Schema = obj(
    {
        "request_id": STR,
        "ref": STR,
        "customer_no": STR,
        "amount_grosze": GROSZE,
        "currency": STR,
        "reason": STR,
        **_DECISION,
        "decision_reason": NSTR,
    },
    ["request_id", "ref", "customer_no", "amount_grosze", "reason", "requested_by", "status"],
)

SUSPENSE_REQUESTS: Schema = obj({"requests": array(SUSPENSE_REQUEST)}, ["requests"])

RESOLVED: Schema = obj(
    {
        **BANK_ENTRY["properties"],
        "request": {
            **SUSPENSE_REQUEST,
            "type": ["object", "null"],
            "description": "Above the approval threshold the credit is not booked: it stays "
            "in suspense and this request waits for another administrator",
        },
    },
    BANK_ENTRY["required"],
)

REJECT_REQUEST: Schema = obj(
    {"reason": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"\S"}},
    ["reason"],
)

P24_NOTIFICATION: Schema = obj(
    {
        "merchantId": INT,
        "posId": INT,
        "sessionId": {"type": "string", "minLength": 1, "maxLength": 100},
        "amount": INT,
        "originAmount": INT,
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "orderId": INT,
        "methodId": INT,
        "statement": {"type": "string", "maxLength": 200},
        "sign": {"type": "string", "pattern": "^[0-9a-f]{96}$"},
    },
    list(
        ("merchantId", "posId", "sessionId", "amount", "originAmount", "currency", "orderId")
        + ("methodId", "statement", "sign")
    ),
    extra=True,
)

STATEMENTS: Schema = obj(
    {"statements": array(IMPORT_RESULT | {"additionalProperties": True})}, ["statements"]
)

RESOLVE: Schema = {
    "type": "object",
    "properties": {
        "action": {"enum": ["book", "return"]},
        "customer_no": {"type": "string", "pattern": r"^\d{1,12}$"},
        "note": {"type": "string", "maxLength": 200},
    },
    "required": ["action"],
    "additionalProperties": False,
    "if": {"properties": {"action": {"const": "book"}}},
    "then": {"required": ["customer_no"]},
}
