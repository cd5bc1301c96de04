"""Administration bodies: registration review, customer edits, logins, audit log."""

from __future__ import annotations

from chalicelib.schemas.account import CUSTOMER
from chalicelib.schemas.common import ADDRESS, BOOL, INT, NSTR, STR, Schema, array, obj

AUDIT_ENTRY: Schema = obj(
    {
        "entry_id": STR,
        "at": STR,
        "actor": STR,
        "action": STR,
        "target": STR,
        # what the target names, for people: customer, login, application, invoice (with
        # its customer_no), bank_entry, registration or other
        "subject": obj({"kind": STR, "ref": STR, "customer_no": STR}, ["kind", "ref"]),
        "before": {},
        "after": {},
    },
    ["entry_id", "at", "actor", "action", "target"],
)

REGISTRATION_SUMMARY: Schema = obj(
    {
        "registration_id": STR,
        "status": STR,
        "name": STR,
        "nip": STR,
        "regon": STR,
        "krs": NSTR,
        "city": STR,
        "submitted_at": NSTR,
        "documents": INT,
    },
    ["registration_id", "status", "name", "nip", "regon"],
)

REGISTRATIONS: Schema = obj(
    {"status": STR, "registrations": array(REGISTRATION_SUMMARY)}, ["status", "registrations"]
)

REGISTRATION_QUERY: Schema = obj({"status": {"enum": ["pending", "active", "rejected"]}})

REGISTRATION_DETAIL: Schema = {
    **REGISTRATION_SUMMARY,
    "additionalProperties": True,
    "required": ["registration_id", "status", "document_list", "history"],
}

ACTIVATE: Schema = obj(
    {
        "customer_no": {"type": ["string", "null"], "maxLength": 20},
        "manager_id": {"type": ["string", "null"], "maxLength": 40},
        "building_manager": BOOL,
    }
)

ACTIVATED: Schema = obj(
    {"registration_id": STR, "status": STR, "customer_no": STR, "username": STR},
    ["registration_id", "status", "customer_no", "username"],
)

REJECT: Schema = obj({"reason": {"type": "string", "minLength": 3, "maxLength": 1000}}, ["reason"])

REJECTED: Schema = obj(
    {"registration_id": STR, "status": STR, "reason": STR}, ["registration_id", "status", "reason"]
)

PORTAL_LOGIN: Schema = {
    "anyOf": [
        obj(
            {"username": STR, "via": STR, "created_at": STR, "enabled": BOOL},
            ["username", "enabled"],
        ),
        {"type": "null"},
    ]
}

ADMIN_CUSTOMER: Schema = {
    **CUSTOMER,
    "properties": {
        **CUSTOMER["properties"],
        "pesel": NSTR,
        "manager_id": NSTR,
        "buyer_name": NSTR,
        "buyer_nip": NSTR,
        "buyer_address": NSTR,
    },
}

CUSTOMER_DETAIL: Schema = obj(
    {
        "customer": ADMIN_CUSTOMER,
        "portal_login": PORTAL_LOGIN,
        "history": array(AUDIT_ENTRY),
        "changed": array(STR),
    },
    ["customer", "portal_login", "history"],
)

CUSTOMER_CHANGES: Schema = {
    **obj(
        {
            "name": {"type": "string", "minLength": 2, "maxLength": 200},
            "email": {"type": "string", "minLength": 3, "maxLength": 254},
            "phone": {"type": ["string", "null"], "maxLength": 20},
            "address": ADDRESS,
            "pesel": {"type": "string", "maxLength": 20},
            "nip": {"type": "string", "maxLength": 20},
            "regon": {"type": "string", "maxLength": 20},
            "krs": {"type": ["string", "null"], "maxLength": 20},
            "building_manager": BOOL,
            "einvoice_consent": BOOL,
            # the municipality as buyer (VAT centralisation); null clears
            "buyer_name": {"type": ["string", "null"], "maxLength": 200},
            "buyer_nip": {"type": ["string", "null"], "maxLength": 20},
            "buyer_address": {"type": ["string", "null"], "maxLength": 200},
        }
    ),
    "minProperties": 1,
}

LOGIN_DETAIL: Schema = obj(
    {
        "username": STR,
        "role": STR,
        "customers": array(STR),
        "manager_id": NSTR,
        "enabled": BOOL,
        "created_at": STR,
        "history": array(AUDIT_ENTRY),
    },
    ["username", "role", "customers", "enabled", "history"],
)

LOGIN_CUSTOMERS: Schema = obj(
    {
        "customer_nos": {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": 20},
            "minItems": 1,
            "maxItems": 500,
        }
    },
    ["customer_nos"],
)

AUDIT_QUERY: Schema = obj(
    {
        "month": {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"},
        "cursor": STR,
        "limit": {"type": "string", "pattern": r"^([1-9]\d?|[1-4]\d\d|500)$"},
    }
)

AUDIT_PAGE: Schema = obj(
    {"month": STR, "entries": array(AUDIT_ENTRY), "next": NSTR}, ["month", "entries", "next"]
)
