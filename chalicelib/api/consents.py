"""Consents area (zgody): the customer's consents and their history, for the customer and
for staff (account manager, admin), and a change recorded with who, when, channel and clause."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.api._http import Area, Ctx
from chalicelib.lazy import lazy_module
from chalicelib.schemas import consents as schemas

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import consents
else:
    consents = lazy_module("chalicelib.services.consents")

area = Area("consents")
blueprint = area.blueprint


@area.route(
    "/customers/{customer_no}/consents",
    "GET",
    summary="Consents (e-invoice, correspondence, marketing by e-mail/SMS/phone): state and history",
    response=schemas.VIEW,
    errors=(401, 403, 404),
)
def get_consents(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return dict(consents.view(ctx.require_principal(), customer_no, ctx.lang))


@area.route(
    "/customers/{customer_no}/consents",
    "POST",
    summary="Give or withdraw one consent (recorded: who, when, channel, clause version)",
    request=schemas.CHANGE,
    response=schemas.VIEW,
    errors=(400, 401, 403, 404, 409),
)
def change_consent(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return dict(consents.change(ctx.require_principal(), customer_no, ctx.body, ctx.lang))
