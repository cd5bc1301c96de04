"""Account area: who am I, and a customer's overview."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.api._http import Area, Ctx
from chalicelib.lazy import lazy_module
from chalicelib.schemas import account as schemas

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import account
else:
    account = lazy_module("chalicelib.services.account")

area = Area("account")
blueprint = area.blueprint


@area.route(
    "/me",
    "GET",
    summary="The logged-in user: role and customer accounts",
    response=schemas.ME,
    errors=(401, 403),
)
def me(ctx: Ctx) -> dict[str, Any]:
    p = ctx.require_principal()
    return {"username": p.username, "role": p.role, "customers": list(p.customer_nos)}


@area.route(
    "/customers/{customer_no}/overview",
    "GET",
    summary="Customer overview: profile, account manager, premises, contracts, meters",
    response=schemas.OVERVIEW,
    errors=(401, 403, 404),
)
def overview(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return dict(account.overview(ctx.require_principal(), customer_no))
