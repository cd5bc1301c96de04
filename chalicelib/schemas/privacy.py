"""Personal data ("Moje dane"): requests, downloads, staff reads, administrators' cases."""

from __future__ import annotations

from chalicelib.domain.privacy import KINDS
from chalicelib.schemas.common import BOOL, INT, NSTR, STR, Schema, array, obj

NEW_REQUEST: Schema = obj(
    {"kind": {"enum": list(KINDS)}, "note": {"type": "string", "maxLength": 1000}},
    ["kind"],
)

REQUEST: Schema = obj(
    {
        "request_id": STR,
        "kind": {"enum": list(KINDS)},
        "status": STR,
        "created_at": STR,
        "ready_at": NSTR,
        "available_until": NSTR,
        "decided_at": NSTR,
        "decision_note": NSTR,
        "downloadable": BOOL,
    },
    ["request_id", "kind", "status", "created_at", "downloadable"],
)

OVERVIEW: Schema = obj(
    {
        "customer_no": STR,
        "requests": array(REQUEST),
        "staff_reads": array(
            obj({"at": STR, "username": STR, "role": STR}, ["at", "username", "role"])
        ),
    },
    ["customer_no", "requests", "staff_reads"],
)

LINK: Schema = obj(
    {"url": STR, "expires_in": INT, "filename": STR}, ["url", "expires_in", "filename"]
)

CASE: Schema = obj(
    {
        **REQUEST["properties"],
        "customer_no": STR,
        "note": NSTR,
        "keep": array(obj({"what": STR, "count": INT, "until": STR}, ["what", "count", "until"])),
        "erase": array(STR),
    },
    ["request_id", "kind", "status", "customer_no"],
)

CASES: Schema = obj({"items": array(CASE)}, ["items"])

DECISION: Schema = obj(
    {"approve": BOOL, "note": {"type": "string", "maxLength": 1000}}, ["approve"]
)
