"""Builds the OpenAPI 3.1 document from the operations the areas declared."""

from __future__ import annotations

import re
from typing import Any

from chalicelib.api._http import OPERATIONS, Operation
from chalicelib.schemas.common import PROBLEM

_STATUS_TEXT = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    302: "Found",
    400: "Bad request (problem+json)",
    401: "Not logged in (problem+json)",
    403: "Forbidden (problem+json)",
    404: "Not found (problem+json)",
    409: "Conflict (problem+json)",
    413: "Too large (problem+json)",
    415: "Unsupported media type (problem+json)",
    422: "Unprocessable (problem+json)",
    423: "Locked (problem+json)",
    429: "Too many requests (problem+json)",
    503: "Unavailable (problem+json)",
}


def _operation(op: Operation) -> dict[str, Any]:
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", op.path)
    ]
    for name, schema in (op.query or {}).get("properties", {}).items():
        params.append(
            {
                "name": name,
                "in": "query",
                "required": name in (op.query or {}).get("required", []),
                "schema": schema,
            }
        )
    responses: dict[str, Any] = {}
    ok: dict[str, Any] = {"description": _STATUS_TEXT.get(op.status, "OK")}
    if op.response is not None:
        ok["content"] = {op.response_type: {"schema": op.response}}
    responses[str(op.status)] = ok
    for code in sorted(set(op.errors) | {500}):
        responses[str(code)] = {
            "description": _STATUS_TEXT.get(code, "Error (problem+json)"),
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
    body: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "tags": [op.area],
        "responses": responses,
    }
    if op.description:
        body["description"] = op.description
    if params:
        body["parameters"] = params
    if op.request is not None:
        body["requestBody"] = {
            "required": True,
            "content": {op.content_types[0]: {"schema": op.request}},
        }
    if op.auth:
        body["security"] = [{"cognito": []}]
    return body


def document(server_url: str = "/") -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for op in sorted(OPERATIONS, key=lambda o: (o.path, o.method)):
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "eBOK API",
            "version": "1.0.0",
            "description": "Elektroniczne Biuro Obsługi Klienta: heat and electricity customers.",
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "schemas": {"Problem": PROBLEM},
            "securitySchemes": {
                "cognito": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT (Cognito access token)",
                }
            },
        },
    }
