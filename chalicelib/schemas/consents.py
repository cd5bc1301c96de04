"""Consents (zgody): the state, the history and a change."""

from __future__ import annotations

from chalicelib.domain.consents import KINDS, STAFF_CHANNELS
from chalicelib.schemas.common import BOOL, INT, NSTR, STR, Schema, array, obj

KIND: Schema = {"enum": list(KINDS)}

CHANGE: Schema = obj(
    {
        "kind": {"type": "string", "maxLength": 40},
        "granted": BOOL,
        "clause_version": {"type": "string", "maxLength": 20},
        "channel": {
            "type": "string",
            "maxLength": 20,
            "description": "staff: portal, phone or paper",
        },
        "version": {"type": "integer", "minimum": 0},
    },
    ["kind", "granted"],
)

VIEW: Schema = obj(
    {
        "customer_no": STR,
        "consents": array(
            obj(
                {
                    "kind": KIND,
                    "granted": BOOL,
                    "since": NSTR,
                    "clause_version": STR,
                    "clause": STR,
                    "given_version": NSTR,
                },
                ["kind", "granted", "since", "clause_version", "clause"],
            )
        ),
        "history": array(
            obj(
                {
                    "kind": KIND,
                    "granted": BOOL,
                    "at": STR,
                    "by": STR,
                    "by_role": STR,
                    "staff": BOOL,
                    "channel": {"enum": [*STAFF_CHANNELS, "unknown"]},
                    "clause_version": NSTR,
                },
                ["kind", "granted", "at", "by", "channel", "clause_version"],
            )
        ),
        "version": INT,
        "email_suppressed": BOOL,
    },
    ["customer_no", "consents", "history", "version", "email_suppressed"],
)
