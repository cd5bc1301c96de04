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
    from chalicelib.services import gazetteer, health
else:
    health = lazy_module("chalicelib.services.health")
    gazetteer = lazy_module("chalicelib.services.gazetteer")

area = Area("system")
blueprint = area.blueprint

WEB_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "web")
VENDOR_DIR = os.path.join(WEB_DIR, "vendor")
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


@lru_cache(maxsize=2)
def _web_files(folder: str = WEB_DIR) -> frozenset[str]:
    if not os.path.isdir(folder):
        return frozenset()
    return frozenset(
        n
        for n in os.listdir(folder)
        if not n.startswith(".") and os.path.isfile(os.path.join(folder, n))
    )


def _static(name: str, folder: str = WEB_DIR) -> Response:
    if name not in _web_files(folder):
        raise NotFound()
    ext = os.path.splitext(name)[1]
    with open(os.path.join(folder, name), encoding="utf-8") as fh:
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


@area.route(
    "/static/vendor/{name}",
    "GET",
    summary="A vendored library of the portal (Leaflet), with its licence",
    auth=False,
    response_type="text/plain",
    response={"type": "string"},
    errors=(404,),
)
def vendor_file(ctx: Ctx, name: str) -> Response:
    return _static(name, VENDOR_DIR)


@area.route(
    "/favicon.ico",
    "GET",
    summary="The portal's icon (SVG; browsers read it whatever the name says)",
    auth=False,
    response_type="image/svg+xml",
    response={"type": "string"},
)
def favicon(ctx: Ctx) -> Response:
    return _static("favicon.svg")


PORTAL_CONFIG: Schema = obj(
    {
        "map": obj(
            {
                "tiles_url": {
                    "type": ["string", "null"],
                    "description": "XYZ tile template; null: no tiles (plain background)",
                },
                "attribution": STR,
            },
            ["tiles_url", "attribution"],
        )
    },
    ["map"],
)


@area.route(
    "/portal/config",
    "GET",
    summary="What the portal needs from the stage's settings (the map's tile source)",
    auth=False,
    response=PORTAL_CONFIG,
)
def portal_config(ctx: Ctx) -> dict[str, Any]:
    cfg = settings()
    return {
        "map": {
            "tiles_url": cfg.map_tiles_url or None,
            "attribution": cfg.map_tiles_attribution,
        }
    }


BUILDING: Schema = obj(
    {"number": STR, "at": array({"type": "number"})},
    ["number", "at"],
)
STREETS: Schema = obj(
    {
        "city": STR,
        "cities": array(STR),
        "streets": array(
            obj(
                {
                    "name": STR,
                    "line": array(array({"type": "number"})),
                    "buildings": array(BUILDING),
                },
                ["name", "line", "buildings"],
            )
        ),
    },
    ["city", "cities", "streets"],
)
STREETS_QUERY: Schema = obj({"city": {"type": "string", "minLength": 1, "maxLength": 80}}, ["city"])


@area.route(
    "/streets",
    "GET",
    summary="Streets and building numbers with coordinates of a served city (outage picker)",
    auth=False,
    query=STREETS_QUERY,
    response=STREETS,
    errors=(400,),
)
def streets(ctx: Ctx) -> dict[str, Any]:
    return dict(gazetteer.streets_of(str(ctx.query["city"])))


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
