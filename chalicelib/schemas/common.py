"""Schemas shared by several areas."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def obj(
    properties: dict[str, Schema], required: list[str] | None = None, extra: bool = False
) -> Schema:
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if not extra:
        schema["additionalProperties"] = False
    return schema


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


STR: Schema = {"type": "string"}
NSTR: Schema = {"type": ["string", "null"]}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
DATE: Schema = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
NDATE: Schema = {"type": ["string", "null"], "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
DATETIME: Schema = {"type": "string"}
GROSZE: Schema = {"type": "integer", "description": "Amount in grosze (1/100 zł)"}
DECIMAL_STR: Schema = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}

ADDRESS: Schema = obj(
    {
        "street": {"type": "string", "minLength": 1, "maxLength": 120},
        "building": {"type": "string", "minLength": 1, "maxLength": 20},
        "apartment": {"type": ["string", "null"], "maxLength": 20},
        "postal_code": {"type": "string", "pattern": r"^\d{2}-\d{3}$"},
        "city": {"type": "string", "minLength": 1, "maxLength": 80},
    },
    ["street", "building", "postal_code", "city"],
)

PROBLEM: Schema = obj(
    {
        "type": STR,
        "title": STR,
        "status": INT,
        "detail": STR,
        "code": STR,
        "instance": STR,
        "errors": array(
            obj({"field": STR, "code": STR, "message": STR}, ["field", "code", "message"])
        ),
    },
    ["type", "title", "status", "detail", "code"],
)
