"""Outages area: the public outage list (GeoJSON), operators' changes, a customer's outages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Response

from chalicelib.api._http import Area, Ctx, json_response
from chalicelib.domain.principal import OPERATORS, STAFF
from chalicelib.lazy import lazy_module
from chalicelib.schemas import outages as schemas

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import outages
else:
    outages = lazy_module("chalicelib.services.outages")

area = Area("outages")
blueprint = area.blueprint

GEOJSON = "application/geo+json"


@area.route(
    "/outages",
    "GET",
    summary="Outages by city, street and time as a GeoJSON FeatureCollection (public)",
    auth=False,
    query=schemas.LIST_QUERY,
    response=schemas.FEATURE_COLLECTION,
    response_type=GEOJSON,
    errors=(400,),
    description="Without a time window: outages that are under way or to come.",
)
def list_outages(ctx: Ctx) -> Response:
    body = outages.list_outages(ctx.query)
    return json_response(
        body,
        headers={
            "Content-Type": f"{GEOJSON}; charset=utf-8",
            "Cache-Control": "public, max-age=60",
        },
    )


@area.route(
    "/outages/cities",
    "GET",
    summary="Cities that have had outages (the map's filter)",
    auth=False,
    response=schemas.CITIES,
)
def cities(ctx: Ctx) -> dict[str, Any]:
    return outages.list_cities()


@area.route(
    "/outages/{outage_id}",
    "GET",
    summary="One outage as a GeoJSON Feature (public)",
    auth=False,
    response=schemas.FEATURE,
    errors=(404,),
)
def get_outage(ctx: Ctx, outage_id: str) -> dict[str, Any]:
    return outages.get_outage(outage_id)


@area.route(
    "/outages/{outage_id}/history",
    "GET",
    summary="An outage with every change and the notices it raised (operators)",
    roles=STAFF,
    response=schemas.HISTORY,
    errors=(401, 403, 404),
)
def history(ctx: Ctx, outage_id: str) -> dict[str, Any]:
    return outages.outage_history(outage_id)


@area.route(
    "/outages",
    "POST",
    summary="Announce an outage (operators)",
    roles=OPERATORS,
    request=schemas.OUTAGE_IN,
    response=schemas.FEATURE,
    status=201,
    errors=(401, 403, 409),
    description="A repeated request_id answers the outage it created (nothing new is stored).",
)
def create_outage(ctx: Ctx) -> Response:
    body, _created = outages.create_outage(ctx.require_principal(), ctx.body)
    return json_response(body, 201)


@area.route(
    "/outages/{outage_id}",
    "PATCH",
    summary="Change an outage: streets, area, times, description (operators)",
    roles=OPERATORS,
    request=schemas.OUTAGE_PATCH,
    response=schemas.FEATURE,
    errors=(401, 403, 404, 409),
    description="A changed expected end notifies subscribers; give `version` to refuse "
    "a change made on stale data (409).",
)
def update_outage(ctx: Ctx, outage_id: str) -> dict[str, Any]:
    return outages.update_outage(ctx.require_principal(), outage_id, ctx.body)


@area.route(
    "/outages/{outage_id}/close",
    "POST",
    summary="Close an outage: supply restored (operators)",
    roles=OPERATORS,
    request=schemas.OUTAGE_CLOSE,
    response=schemas.FEATURE,
    errors=(401, 403, 404, 409),
)
def close_outage(ctx: Ctx, outage_id: str) -> dict[str, Any]:
    return outages.close_outage(ctx.require_principal(), outage_id, ctx.body)


@area.route(
    "/customers/{customer_no}/outages",
    "GET",
    summary="Current and coming outages that touch the customer's premises",
    response=schemas.CUSTOMER_OUTAGES,
    errors=(401, 403, 404),
)
def customer_outages(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return outages.customer_outages(ctx.require_principal(), customer_no)
