"""Preference centre (Powiadomienia i zgody): choices, one-click unsubscribe, suppressions."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from chalice import Response

from chalicelib.api._http import Area, Ctx
from chalicelib.errors import NotFound
from chalicelib.i18n import t
from chalicelib.lazy import lazy_module
from chalicelib.schemas import preferences as schemas

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import preferences
else:
    preferences = lazy_module("chalicelib.services.preferences")

area = Area("preferences")
blueprint = area.blueprint
STAFF = {"account_manager", "operator", "admin"}
FORM = "application/x-www-form-urlencoded"


@area.route(
    "/customers/{customer_no}/preferences",
    "GET",
    summary="Notification preferences: topics × channels, language, thresholds",
    response=schemas.VIEW,
    errors=(401, 403, 404),
)
def get_preferences(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return preferences.view(ctx.require_principal(), customer_no)


@area.route(
    "/customers/{customer_no}/preferences",
    "PATCH",
    summary="Change notification preferences (mandatory notices cannot be switched off)",
    request=schemas.UPDATE,
    response=schemas.VIEW,
    errors=(401, 403, 404, 409),
)
def patch_preferences(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return preferences.update(ctx.require_principal(), customer_no, ctx.body)


@area.route(
    "/customers/{customer_no}/preferences/outage-addresses",
    "POST",
    summary="Watch an address (any city served) for outage e-mails; the same address again is one watch",
    request=schemas.ADDRESS,
    response=schemas.WATCH,
    status=201,
    errors=(400, 401, 403, 404, 409),
)
def add_outage_address(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    watch, _created = preferences.add_outage_address(ctx.require_principal(), customer_no, ctx.body)
    return watch


@area.route(
    "/customers/{customer_no}/preferences/outage-addresses/{watch_id}",
    "DELETE",
    summary="Stop watching an address for outage e-mails (again: nothing changes)",
    status=204,
    errors=(401, 403, 404),
)
def remove_outage_address(ctx: Ctx, customer_no: str, watch_id: str) -> Response:
    preferences.remove_outage_address(ctx.require_principal(), customer_no, watch_id)
    return Response(body="", status_code=204)


@area.route(
    "/customers/{customer_no}/preferences/mobile",
    "POST",
    summary="Send a 6-digit code by SMS to confirm a mobile number for the SMS channel",
    request=schemas.MOBILE_START,
    response=schemas.MOBILE_STATE,
    errors=(400, 401, 403, 404, 409, 429),
)
def start_mobile(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return preferences.start_mobile(ctx.require_principal(), customer_no, ctx.body)


@area.route(
    "/customers/{customer_no}/preferences/mobile/confirm",
    "POST",
    summary="Confirm the mobile number with the code from the SMS (attempts and time bounded)",
    request=schemas.MOBILE_CONFIRM,
    response=schemas.MOBILE_STATE,
    errors=(400, 401, 403, 404, 409),
)
def confirm_mobile(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return preferences.confirm_mobile(ctx.require_principal(), customer_no, ctx.body)


@area.route(
    "/customers/{customer_no}/preferences/mobile",
    "DELETE",
    summary="Forget the confirmed mobile number (no more SMS)",
    response=schemas.MOBILE_STATE,
    errors=(401, 403, 404, 409),
)
def remove_mobile(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return preferences.remove_mobile(ctx.require_principal(), customer_no)


@area.route(
    "/unsubscribe/{token}",
    "GET",
    summary="The page behind an e-mail's unsubscribe link (confirms with a POST)",
    auth=False,
    response_type="text/html",
)
def unsubscribe_page(ctx: Ctx, token: str) -> Response:
    """A GET never unsubscribes (link scanners follow links): it shows a button."""
    title = "Wypisz się z powiadomień" if ctx.lang == "pl" else "Unsubscribe"
    button = "Wypisz mnie" if ctx.lang == "pl" else "Unsubscribe me"
    body = (
        f"<!doctype html><html lang='{ctx.lang}'><head><meta charset='utf-8'><title>{title}"
        f"</title></head><body><h1>{title}</h1><form method='post' action='/unsubscribe/"
        f"{html.escape(token)}'><input type='hidden' name='List-Unsubscribe' value='One-Click'>"
        f"<button type='submit'>{button}</button></form></body></html>"
    )
    return Response(body, status_code=200, headers={"Content-Type": "text/html; charset=utf-8"})


@area.route(
    "/unsubscribe/{token}",
    "POST",
    summary="One-click unsubscribe (RFC 8058): a valid token switches its topic off once",
    auth=False,
    response=schemas.UNSUBSCRIBED,
    content_types=(FORM, "application/json"),
    errors=(404,),
)
def unsubscribe(ctx: Ctx, token: str) -> dict[str, Any]:
    if not preferences.unsubscribe(token):
        raise NotFound("preferences.token_invalid")
    return {"unsubscribed": True, "message": t("preferences.unsubscribed", ctx.lang)}


@area.route(
    "/admin/suppressions",
    "GET",
    summary="E-mail addresses SES reported as bouncing or complaining (collect a new one)",
    roles=STAFF,
    response=schemas.SUPPRESSIONS,
    errors=(401, 403),
)
def suppressions(ctx: Ctx) -> dict[str, Any]:
    return preferences.suppressions(ctx.require_principal())


@area.route(
    "/admin/address-flags",
    "GET",
    summary="The account manager's customers whose e-mail bounces or complained: collect a new address",
    roles={"account_manager", "admin"},
    query=schemas.FLAGS_QUERY,
    response=schemas.ADDRESS_FLAGS,
    errors=(400, 401, 403, 404),
)
def address_flags(ctx: Ctx) -> dict[str, Any]:
    q = ctx.query
    return preferences.address_flags(ctx.require_principal(), q.get("manager_id"), q.get("cursor"))
