"""Registration bodies: individuals online, institutions by documents."""

from __future__ import annotations

from chalicelib.schemas.common import ADDRESS, BOOL, INT, NSTR, STR, Schema, array, obj

LANG: Schema = {"enum": ["pl", "en"]}

INDIVIDUAL: Schema = obj(
    {
        "customer_no": {
            "type": "string",
            "minLength": 1,
            "maxLength": 20,
            "pattern": r"^\s*[0-9A-Za-z-]+\s*$",
        },
        "pesel": {"type": "string", "minLength": 1, "maxLength": 20},
        "email": {"type": "string", "minLength": 3, "maxLength": 254},
        "verification_no": {
            "type": "string",
            "minLength": 1,
            "maxLength": 40,
            "description": "The contract number or the number of the latest invoice",
        },
        "lang": LANG,
    },
    ["customer_no", "pesel", "email", "verification_no"],
)

INDIVIDUAL_RESULT: Schema = obj(
    {"status": {"enum": ["registered"]}, "email_hint": STR}, ["status", "email_hint"]
)

DOCUMENT: Schema = obj(
    {
        "kind": {"enum": ["krs_extract", "regon_certificate", "power_of_attorney", "other"]},
        "filename": {"type": "string", "minLength": 1, "maxLength": 200},
        "content_type": {"type": "string", "minLength": 1, "maxLength": 100},
        "size": {"type": "integer", "minimum": 1},
    },
    ["kind", "filename", "content_type", "size"],
)

INSTITUTION: Schema = obj(
    {
        "nip": {"type": "string", "minLength": 1, "maxLength": 20},
        "regon": {"type": "string", "minLength": 1, "maxLength": 20},
        "krs": {"type": ["string", "null"], "maxLength": 20},
        "name": {"type": "string", "minLength": 2, "maxLength": 200},
        "address": ADDRESS,
        "email": {"type": "string", "minLength": 3, "maxLength": 254},
        "phone": {"type": ["string", "null"], "maxLength": 20},
        "contact": obj(
            {
                "name": {"type": "string", "minLength": 2, "maxLength": 120},
                "email": {"type": "string", "minLength": 3, "maxLength": 254},
                "phone": {"type": ["string", "null"], "maxLength": 20},
            },
            ["name", "email"],
        ),
        "signer_in_krs": BOOL,
        "accept_regulations": BOOL,
        "regulations_version": STR,
        "lang": LANG,
        "documents": {"type": "array", "items": DOCUMENT, "minItems": 1, "maxItems": 6},
    },
    [
        "nip",
        "regon",
        "name",
        "address",
        "email",
        "contact",
        "accept_regulations",
        "regulations_version",
        "documents",
    ],
)

UPLOAD: Schema = obj(
    {
        "document_id": STR,
        "kind": STR,
        "url": STR,
        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
        "max_bytes": INT,
    },
    ["document_id", "kind", "url", "fields", "max_bytes"],
)

INSTITUTION_STARTED: Schema = obj(
    {"registration_id": STR, "status": {"enum": ["draft"]}, "uploads": array(UPLOAD)},
    ["registration_id", "status", "uploads"],
)

STATUS: Schema = obj(
    {"registration_id": STR, "status": STR, "submitted_at": NSTR},
    ["registration_id", "status"],
)

REGULATIONS: Schema = obj({"version": STR}, ["version"])
