"""System area: health, the OpenAPI document, the portal's static files, the local outbox."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from chalice import Response

from chalicelib.api._http import Area, Ctx, json_response
from chalicelib.config import settings
from chalicelib.errors import NotFound
from chalicelib.lazy import lazy_module
from chalicelib.schemas.common import STR, Schema, array, obj

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import health
else:
    health = lazy_module("chalicelib.services.health")

area = Area("system")
blueprint = area.blueprint

WEB_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "web")
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
}

HEALTH: Schema = obj(
    {"status": {"enum": ["ok", "degraded"]}, "stage": STR, "checks": {"type": "object"}},
    ["status", "checks"],
)


@area.route(
    "/health",
    "GET",
    summary="Whether the table and buckets are reachable",
    auth=False,
    response=HEALTH,
    errors=(503,),
)
def get_health(ctx: Ctx) -> Response:
    healthy, body = health.check()
    if healthy:
        return json_response(body)
    problem = {
        "type": "https://ebok.example.pl/problems/health.degraded",
        "title": "Service degraded",
        "status": 503,
        "detail": "Nie wszystkie zasoby są dostępne. / Not every resource is reachable.",
        "code": "health.degraded",
        **body,
    }
    return Response(
        body=json.dumps(problem, ensure_ascii=False),
        status_code=503,
        headers={"Content-Type": "application/problem+json; charset=utf-8"},
    )


@area.route(
    "/openapi.json",
    "GET",
    summary="This API's OpenAPI 3.1 document",
    auth=False,
    response={"type": "object"},
)
def openapi_document(ctx: Ctx) -> dict[str, Any]:
    from chalicelib.api.openapi import document

    return document()


@lru_cache(maxsize=1)
def _web_files() -> frozenset[str]:
    return frozenset(n for n in os.listdir(WEB_DIR) if not n.startswith("."))


def _static(name: str) -> Response:
    if name not in _web_files():
        raise NotFound()
    ext = os.path.splitext(name)[1]
    with open(os.path.join(WEB_DIR, name), encoding="utf-8") as fh:
        body = fh.read()
    cache = "no-cache" if ext == ".html" else "public, max-age=300"
    return Response(
        body=body,
        status_code=200,
        headers={
            "Content-Type": _TYPES.get(ext, "text/plain; charset=utf-8"),
            "Cache-Control": cache,
        },
    )


@area.route(
    "/",
    "GET",
    summary="The customer portal (single page)",
    auth=False,
    response_type="text/html",
    response={"type": "string"},
)
def portal(ctx: Ctx) -> Response:
    return _static("index.html")


@area.route(
    "/static/{name}",
    "GET",
    summary="A static file of the portal",
    auth=False,
    response_type="text/plain",
    response={"type": "string"},
    errors=(404,),
)
def static_file(ctx: Ctx, name: str) -> Response:
    return _static(name)


OUTBOX: Schema = obj(
    {
        "emails": array({"type": "object"}),
        "sms": array({"type": "object"}),
    },
    ["emails", "sms"],
)


@area.route(
    "/dev/outbox",
    "GET",
    summary="Local stack only: e-mails and SMS captured by the embedded AWS",
    auth=False,
    response=OUTBOX,
    errors=(404,),
    local_only=True,
)
def dev_outbox(ctx: Ctx) -> dict[str, Any]:
    import urllib.request  # local only: not on the cold path of the API

    cfg = settings()
    if not cfg.is_local or not cfg.dev_outbox_url:
        raise NotFound()
    with urllib.request.urlopen(cfg.dev_outbox_url.rstrip("/") + "/outbox.json", timeout=5) as r:  # noqa: S310
        return dict(json.loads(r.read()))
