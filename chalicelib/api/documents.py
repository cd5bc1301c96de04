"""Documents area: the customer's documents, the public ones, the e-BOK regulations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Response

from chalicelib.api._http import Area, Ctx, json_response
from chalicelib.domain.principal import ADMINS
from chalicelib.lazy import lazy_module
from chalicelib.schemas import documents as schemas

if TYPE_CHECKING:
    from chalicelib.services import documents
else:
    documents = lazy_module("chalicelib.services.documents")

area = Area("documents")
blueprint = area.blueprint


@area.route(
    "/customers/{customer_no}/documents",
    "GET",
    summary="The customer's documents (contracts, annexes, letters, reports), newest first",
    query=schemas.KIND_QUERY,
    response=schemas.CUSTOMER_DOCUMENTS,
    errors=(400, 401, 403, 404),
)
def customer_documents(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return documents.customer_documents(ctx.require_principal(), customer_no, ctx.query.get("kind"))


@area.route(
    "/customers/{customer_no}/documents/{document_id}",
    "GET",
    summary="One document of the customer with a short-lived download link",
    response=schemas.CUSTOMER_DOCUMENT,
    errors=(401, 403, 404),
)
def customer_document(ctx: Ctx, customer_no: str, document_id: str) -> dict[str, Any]:
    return documents.customer_document(ctx.require_principal(), customer_no, document_id)


@area.route(
    "/public/documents",
    "GET",
    summary="Public documents: e-BOK regulations (versions), tariff, price lists, forms",
    auth=False,
    response=schemas.PUBLIC_DOCUMENTS,
    description="The e-BOK is free of charge (free_of_charge, statement_pl/en).",
)
def public_documents(ctx: Ctx) -> dict[str, Any]:
    return documents.public_documents()


@area.route(
    "/regulations/current",
    "GET",
    summary="The e-BOK regulations in force (version, link); the e-BOK is free of charge",
    auth=False,
    response=schemas.REGULATIONS,
)
def regulations(ctx: Ctx) -> dict[str, Any]:
    return documents.current_regulations()


@area.route(
    "/me/regulations",
    "GET",
    summary="Whether this login accepted the regulations in force (asked after login)",
    response=schemas.MY_REGULATIONS,
    errors=(401,),
)
def my_regulations(ctx: Ctx) -> dict[str, Any]:
    return documents.my_regulations(ctx.require_principal())


@area.route(
    "/me/regulations",
    "POST",
    summary="Accept the regulations in force (the time is recorded once)",
    request=schemas.ACCEPT_IN,
    response=schemas.MY_REGULATIONS,
    errors=(401, 409),
)
def accept_regulations(ctx: Ctx) -> dict[str, Any]:
    return documents.accept_regulations(ctx.require_principal(), ctx.body)


@area.route(
    "/regulations",
    "POST",
    summary="Publish a new version of the regulations (administrators)",
    roles=ADMINS,
    request=schemas.PUBLISH_IN,
    response=schemas.PUBLIC_DOCUMENT,
    status=201,
    errors=(401, 403, 409),
)
def publish_regulations(ctx: Ctx) -> Response:
    return json_response(documents.publish_regulations(ctx.require_principal(), ctx.body), 201)
