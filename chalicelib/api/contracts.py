"""Contracts area: the contract page and list, the renew action."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Response

from chalicelib.api._http import Area, Ctx, json_response
from chalicelib.domain.principal import CUSTOMERS
from chalicelib.lazy import lazy_module
from chalicelib.schemas import applications as app_schemas
from chalicelib.schemas import contracts as schemas

if TYPE_CHECKING:
    from chalicelib.services import contract_actions, contracts
else:
    contracts = lazy_module("chalicelib.services.contracts")
    contract_actions = lazy_module("chalicelib.services.contract_actions")

area = Area("contracts")
blueprint = area.blueprint


@area.route(
    "/customers/{customer_no}/contracts",
    "GET",
    summary="The customer's contracts with the terms in force today",
    response=schemas.CONTRACTS,
    errors=(401, 403, 404),
)
def list_contracts(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return contracts.list_contracts(ctx.require_principal(), customer_no)


@area.route(
    "/customers/{customer_no}/contract",
    "GET",
    summary="A contract: parties, premises (PPE), product, tariff group, ordered capacity, "
    "start and end, notice period, price list in force, documents, history",
    query=schemas.CONTRACT_QUERY,
    response=schemas.PAGE,
    errors=(400, 401, 403, 404),
    description="Contract numbers may hold slashes (C/2024/0001): they go in the query; "
    "without one, the customer's first contract.",
)
def contract_page(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return contracts.contract_page(ctx.require_principal(), customer_no, ctx.query.get("contract"))


@area.route(
    "/customers/{customer_no}/contracts/renew",
    "POST",
    summary="Renew the contract: files (or answers the open) renewal application",
    roles=CUSTOMERS,
    request=schemas.RENEW_IN,
    response=app_schemas.APPLICATION,
    status=201,
    errors=(401, 403, 404, 409),
    description="Without new_end_date the contract is renewed for a year from its end.",
)
def renew(ctx: Ctx, customer_no: str) -> Response:
    body = contract_actions.renew(
        ctx.require_principal(), customer_no, ctx.body["contract_no"], ctx.body
    )
    return json_response(body, 201)
