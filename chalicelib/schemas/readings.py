"""Meter readings: self-reading, history, CSV import report, review."""

from __future__ import annotations

from chalicelib.schemas.common import DATE, INT, NSTR, STR, Schema, array, obj
from chalicelib.schemas.paging import NEXT

VALUES: Schema = {"type": "object", "additionalProperties": STR}

SELF_READING: Schema = obj(
    {
        "read_on": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "values": {
            "type": "object",
            "minProperties": 1,
            "maxProperties": 5,
            "additionalProperties": {"type": "string", "maxLength": 20},
        },
        # Staff only (and required for them): why the reading is entered for the customer.
        "reason": {"type": "string", "minLength": 3, "maxLength": 300},
    },
    ["values"],
)

READING: Schema = obj(
    {
        "reading_id": STR,
        "read_on": DATE,
        "kind": {"enum": ["customer", "remote", "change", "estimate", "staff"]},
        "status": {"enum": ["accepted", "review", "rejected"]},
        "values": VALUES,
        "old_values": {"anyOf": [VALUES, {"type": "null"}]},
        "created_at": STR,
        "reconciled_by": NSTR,
        "serial": STR,
        "customer_no": STR,
        "reason": NSTR,
        "message_key": STR,
    },
    ["reading_id", "read_on", "kind", "status", "values"],
)

SUBMITTED: Schema = obj(
    {**READING["properties"], "message": STR, "replayed": {"type": "boolean"}},
    ["reading_id", "read_on", "kind", "status", "values", "message"],
)

METER_READINGS: Schema = obj(
    {
        "meter": obj(
            {"serial": STR, "contract_no": STR, "product": STR, "registers": array(STR)},
            ["serial", "contract_no", "product", "registers"],
        ),
        "current": {"anyOf": [READING, {"type": "null"}]},
        "readings": array(READING),
        "next": NEXT,
    },
    ["meter", "current", "readings", "next"],
)

IMPORT_REPORT: Schema = obj(
    {
        "rows": INT,
        "accepted": INT,
        "review": INT,
        "duplicates": INT,
        "rejected": array(
            obj(
                {
                    "line": INT,
                    "serial": STR,
                    "errors": array(
                        obj(
                            {"field": STR, "code": STR, "message": STR},
                            ["field", "code", "message"],
                        )
                    ),
                },
                ["line", "serial", "errors"],
            )
        ),
    },
    ["rows", "accepted", "review", "duplicates", "rejected"],
)

REVIEW_QUEUE: Schema = obj({"readings": array(READING)}, ["readings"])

DECISION: Schema = obj({"decision": {"enum": ["accept", "reject"]}}, ["decision"])
