"""Applications area (wnioski): the catalogue, filing with attachments, the workflow with
the account manager, and the proxy's view of its premises."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Response

from chalicelib.api._http import Area, Ctx, json_response
from chalicelib.domain.principal import CUSTOMERS
from chalicelib.lazy import lazy_module
from chalicelib.schemas import applications as schemas

if TYPE_CHECKING:
    from chalicelib.services import applications, proxies
else:
    applications = lazy_module("chalicelib.services.applications")
    proxies = lazy_module("chalicelib.services.proxies")

area = Area("applications")
blueprint = area.blueprint
MANAGERS = frozenset({"account_manager", "admin"})


@area.route(
    "/application-types",
    "GET",
    summary="The catalogue of applications: each type's JSON Schema, attachments, due days",
    auth=False,
    response=schemas.CATALOGUE,
)
def catalogue(ctx: Ctx) -> dict[str, Any]:
    return applications.catalogue()


@area.route(
    "/customers/{customer_no}/applications",
    "POST",
    summary="File an application (a draft) and get presigned uploads for its attachments",
    roles=CUSTOMERS,
    request=schemas.APPLICATION_IN,
    response=schemas.DRAFT,
    status=201,
    errors=(401, 403, 404, 409),
    description="Upload each file to its form, then POST .../submit. A repeated request_id "
    "answers the draft it created.",
)
def create(ctx: Ctx, customer_no: str) -> Response:
    body, _ = applications.create(ctx.require_principal(), customer_no, ctx.body)
    return json_response(body, 201)


@area.route(
    "/customers/{customer_no}/applications",
    "GET",
    summary="The customer's applications, newest first",
    response=schemas.APPLICATIONS,
    errors=(401, 403, 404),
)
def list_for(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return applications.list_for(ctx.require_principal(), customer_no)


@area.route(
    "/customers/{customer_no}/applications/{application_id}",
    "GET",
    summary="One application with its history and attachments",
    response=schemas.APPLICATION,
    errors=(401, 403, 404),
)
def detail(ctx: Ctx, customer_no: str, application_id: str) -> dict[str, Any]:
    return applications.detail(ctx.require_principal(), customer_no, application_id)


@area.route(
    "/customers/{customer_no}/applications/{application_id}/attachments",
    "POST",
    summary="More attachments (draft, or when the manager asked for information)",
    roles=CUSTOMERS,
    request=schemas.ATTACHMENTS_IN,
    response=schemas.DRAFT,
    status=201,
    errors=(401, 403, 404, 409),
)
def add_attachments(ctx: Ctx, customer_no: str, application_id: str) -> Response:
    body = applications.add_attachments(
        ctx.require_principal(), customer_no, application_id, ctx.body
    )
    return json_response(body, 201)


@area.route(
    "/customers/{customer_no}/applications/{application_id}/submit",
    "POST",
    summary="Submit the draft once its required attachments are uploaded",
    roles=CUSTOMERS,
    response=schemas.APPLICATION,
    errors=(400, 401, 403, 404, 409),
)
def submit(ctx: Ctx, customer_no: str, application_id: str) -> dict[str, Any]:
    return applications.submit(ctx.require_principal(), customer_no, application_id)


@area.route(
    "/customers/{customer_no}/applications/{application_id}/answer",
    "POST",
    summary="Answer the account manager's request for information",
    roles=CUSTOMERS,
    request=schemas.ANSWER_IN,
    response=schemas.APPLICATION,
    errors=(401, 403, 404, 409),
)
def answer(ctx: Ctx, customer_no: str, application_id: str) -> dict[str, Any]:
    return applications.answer(ctx.require_principal(), customer_no, application_id, ctx.body)


@area.route(
    "/applications/{application_id}",
    "GET",
    summary="One application (the customer's account manager)",
    roles=MANAGERS,
    response=schemas.APPLICATION,
    errors=(401, 403, 404),
)
def manager_detail(ctx: Ctx, application_id: str) -> dict[str, Any]:
    return applications.manager_detail(ctx.require_principal(), application_id)


@area.route(
    "/applications/{application_id}/decision",
    "POST",
    summary="Review, ask for information, approve (the effect follows) or reject",
    roles=MANAGERS,
    request=schemas.DECISION_IN,
    response=schemas.APPLICATION,
    errors=(401, 403, 404, 409),
)
def decide(ctx: Ctx, application_id: str) -> dict[str, Any]:
    return applications.decide(ctx.require_principal(), application_id, ctx.body)


@area.route(
    "/proxy/premises",
    "GET",
    summary="The premises this login is a proxy (pełnomocnik) for",
    roles=CUSTOMERS,
    response=schemas.PROXY_PREMISES,
    errors=(401, 403),
)
def proxy_premises(ctx: Ctx) -> dict[str, Any]:
    return proxies.my_premises(ctx.require_principal())


@area.route(
    "/proxy/premises/{customer_no}/{premises_id}",
    "GET",
    summary="A premises this login is a proxy for: its contracts and meters",
    roles=CUSTOMERS,
    response=schemas.PROXY_ONE,
    errors=(401, 403, 404),
)
def proxy_one(ctx: Ctx, customer_no: str, premises_id: str) -> dict[str, Any]:
    return proxies.premises_view(ctx.require_principal(), customer_no, premises_id)
