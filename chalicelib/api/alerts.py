"""Alerts area: SMS Alert requests by customers, switched on by their account manager."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Response

from chalicelib.api._http import Area, Ctx, json_response
from chalicelib.domain.principal import ACCOUNT_MANAGERS, CUSTOMERS
from chalicelib.lazy import lazy_module
from chalicelib.schemas import alerts as schemas
from chalicelib.schemas.common import obj

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import alerts
else:
    alerts = lazy_module("chalicelib.services.alerts")

area = Area("alerts")
blueprint = area.blueprint


@area.route(
    "/customers/{customer_no}/alerts",
    "GET",
    summary="The customer's SMS Alert subscriptions and the cities where it is offered",
    response=schemas.ALERTS,
    errors=(401, 403, 404),
)
def list_alerts(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return alerts.list_alerts(ctx.require_principal(), customer_no)


@area.route(
    "/customers/{customer_no}/alerts",
    "POST",
    summary="Ask for SMS Alert (or e-mail) about outages at one premises",
    roles=CUSTOMERS,
    request=schemas.ALERT_IN,
    response=schemas.ALERT,
    status=201,
    errors=(401, 403, 404, 409, 422),
    description="Waits for the account manager to switch it on. Premises outside the "
    "configured cities answer 422. Asking again for the same premises and number answers "
    "the existing subscription (nothing new is stored).",
)
def request_alert(ctx: Ctx, customer_no: str) -> Response:
    body, _created = alerts.request_alert(ctx.require_principal(), customer_no, ctx.body, ctx.lang)
    return json_response(body, 201)


@area.route(
    "/customers/{customer_no}/alerts/{alert_id}",
    "DELETE",
    summary="Switch an SMS Alert off (at any time)",
    roles=CUSTOMERS,
    response=schemas.ALERT,
    errors=(401, 403, 404, 409),
)
def switch_off(ctx: Ctx, customer_no: str, alert_id: str) -> dict[str, Any]:
    return alerts.switch_off(ctx.require_principal(), customer_no, alert_id)


@area.route(
    "/customers/{customer_no}/alerts/{alert_id}/approve",
    "POST",
    summary="Switch a requested SMS Alert on (the customer's own account manager)",
    roles=ACCOUNT_MANAGERS,
    response=schemas.ALERT,
    errors=(401, 403, 404, 409),
)
def approve(ctx: Ctx, customer_no: str, alert_id: str) -> dict[str, Any]:
    return alerts.approve(ctx.require_principal(), customer_no, alert_id)


@area.route(
    "/customers/{customer_no}/alerts/{alert_id}/reject",
    "POST",
    summary="Refuse a requested SMS Alert (the customer's own account manager)",
    roles=ACCOUNT_MANAGERS,
    response=schemas.ALERT,
    errors=(401, 403, 404, 409),
)
def reject(ctx: Ctx, customer_no: str, alert_id: str) -> dict[str, Any]:
    return alerts.reject(ctx.require_principal(), customer_no, alert_id)


@area.route(
    "/manager/alerts",
    "GET",
    summary="SMS Alert requests of the account manager's customers waiting to be switched on",
    roles=ACCOUNT_MANAGERS,
    response=obj({"alerts": schemas.ALERTS["properties"]["alerts"]}, ["alerts"]),
    errors=(401, 403),
)
def pending(ctx: Ctx) -> dict[str, Any]:
    return alerts.pending_requests(ctx.require_principal())
