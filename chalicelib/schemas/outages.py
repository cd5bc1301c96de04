"""Outages: operator input, the public GeoJSON FeatureCollection, a customer's outages."""

from __future__ import annotations

from chalicelib.schemas.common import INT, NSTR, STR, Schema, array, obj

KIND: Schema = {"enum": ["planned", "failure"]}
PRODUCT: Schema = {"enum": ["heat", "electricity"]}
REQUEST_ID: Schema = {"type": "string", "pattern": r"^[A-Za-z0-9_-]{8,64}$"}
POSITION: Schema = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 3}
WHEN: Schema = {
    "type": "string",
    "minLength": 10,
    "maxLength": 40,
    "description": "ISO 8601; without an offset it is Europe/Warsaw time",
}

STREET_IN: Schema = obj(
    {
        "name": {"type": "string", "minLength": 1, "maxLength": 120},
        "buildings": {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": 20},
            "maxItems": 300,
        },
        "line": {
            "type": "array",
            "items": POSITION,
            "minItems": 2,
            "maxItems": 2000,
            "description": "GeoJSON LineString coordinates of the street (optional)",
        },
    },
    ["name"],
)

_FIELDS: dict[str, Schema] = {
    "kind": KIND,
    "product": PRODUCT,
    "city": {"type": "string", "minLength": 1, "maxLength": 80},
    "streets": {"type": "array", "items": STREET_IN, "minItems": 1, "maxItems": 60},
    "area": {
        "type": ["object", "null"],
        "description": "GeoJSON Polygon or MultiPolygon (a geometry or a Feature)",
    },
    "starts_at": WHEN,
    "expected_end_at": WHEN,
    "description": {"type": "string", "maxLength": 2000},
}

OUTAGE_IN: Schema = obj(
    {**_FIELDS, "request_id": REQUEST_ID},
    ["kind", "product", "city", "streets", "starts_at", "expected_end_at"],
)

OUTAGE_PATCH: Schema = {
    **obj({**_FIELDS, "version": {"type": "integer", "minimum": 1}}),
    "minProperties": 1,
}

OUTAGE_CLOSE: Schema = obj(
    {"ended_at": WHEN, "note": {"type": "string", "maxLength": 1000}},
)

STREET_OUT: Schema = obj(
    {"name": STR, "buildings": {"type": "array", "items": STR}}, ["name", "buildings"]
)

PROPERTIES: Schema = obj(
    {
        "outage_id": STR,
        "kind": KIND,
        "product": PRODUCT,
        "city": STR,
        "streets": array(STREET_OUT),
        "starts_at": STR,
        "expected_end_at": STR,
        "ended_at": NSTR,
        "status": {"enum": ["open", "closed"]},
        "phase": {"enum": ["upcoming", "ongoing", "ended"]},
        "planned_duration_minutes": INT,
        "description": STR,
        "version": INT,
        "updated_at": STR,
    },
    [
        "outage_id",
        "kind",
        "product",
        "city",
        "streets",
        "starts_at",
        "expected_end_at",
        "status",
        "phase",
        "planned_duration_minutes",
    ],
)

GEOMETRY: Schema = {
    "anyOf": [
        {"type": "null"},
        obj(
            {"type": {"const": "GeometryCollection"}, "geometries": array({"type": "object"})},
            ["type", "geometries"],
        ),
    ]
}

FEATURE: Schema = obj(
    {"type": {"const": "Feature"}, "id": STR, "geometry": GEOMETRY, "properties": PROPERTIES},
    ["type", "id", "geometry", "properties"],
)

FEATURE_COLLECTION: Schema = obj(
    {
        "type": {"const": "FeatureCollection"},
        "features": array(FEATURE),
        "window": obj({"from": STR, "to": NSTR}, ["from", "to"]),
    },
    ["type", "features"],
)

LIST_QUERY: Schema = obj(
    {
        "city": STR,
        "street": STR,
        "date": {"type": "string", "description": "one day (YYYY-MM-DD, Warsaw)"},
        "from": {"type": "string", "description": "ISO date or date-time (default: now)"},
        "to": {"type": "string", "description": "ISO date or date-time"},
        "product": PRODUCT,
        "kind": KIND,
    }
)

CITIES: Schema = obj({"cities": array(STR)}, ["cities"])

HISTORY: Schema = obj(
    {
        "outage": FEATURE,
        "history": array(
            obj(
                {
                    "version": INT,
                    "at": STR,
                    "by": STR,
                    "action": {"enum": ["created", "updated", "closed"]},
                    "changes": {"type": "object"},
                },
                ["version", "at", "by", "action", "changes"],
            )
        ),
        "notices": array(
            obj(
                {"event_id": STR, "event": STR, "due_at": STR, "status": STR},
                ["event_id", "event", "due_at", "status"],
            )
        ),
    },
    ["outage", "history", "notices"],
)

CUSTOMER_OUTAGES: Schema = obj(
    {
        "outages": array(
            {
                **PROPERTIES,
                "properties": {**PROPERTIES["properties"], "premises_ids": array(STR)},
                "required": [*PROPERTIES["required"], "premises_ids"],
            }
        )
    },
    ["outages"],
)
