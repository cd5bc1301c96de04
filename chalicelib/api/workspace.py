"""The account manager's workspace: customers, a customer view, the queue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.api._http import Area, Ctx
from chalicelib.domain.principal import ACCOUNT_MANAGERS
from chalicelib.lazy import lazy_module
from chalicelib.schemas import workspace as schemas

if TYPE_CHECKING:
    from chalicelib.services import workspace
else:
    workspace = lazy_module("chalicelib.services.workspace")

area = Area("workspace")
blueprint = area.blueprint


@area.route(
    "/workspace/customers",
    "GET",
    summary="The account manager's customers; q searches number, name, NIP or address",
    roles=ACCOUNT_MANAGERS,
    query=schemas.SEARCH_QUERY,
    response=schemas.CUSTOMERS,
    errors=(400, 401, 403),
)
def customers(ctx: Ctx) -> dict[str, Any]:
    return workspace.customers(ctx.require_principal(), ctx.query.get("q"))


@area.route(
    "/workspace/customers/{customer_no}",
    "GET",
    summary="A customer of the manager: contracts, balance, invoices, applications, faults, messages",
    roles=ACCOUNT_MANAGERS,
    response=schemas.CUSTOMER_VIEW,
    errors=(401, 403, 404),
)
def customer_view(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return workspace.customer_view(ctx.require_principal(), customer_no)


@area.route(
    "/workspace/queue",
    "GET",
    summary="Applications and messages waiting for the manager, earliest due first",
    roles=ACCOUNT_MANAGERS,
    response=schemas.QUEUE,
    errors=(401, 403),
)
def queue(ctx: Ctx) -> dict[str, Any]:
    return workspace.queue(ctx.require_principal())
