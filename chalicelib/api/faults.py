"""Faults area: technical fault reports with a ticket to follow; operators move the status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Response

from chalicelib.api._http import Area, Ctx, json_response
from chalicelib.domain.principal import CUSTOMERS, OPERATORS, STAFF
from chalicelib.lazy import lazy_module
from chalicelib.schemas import faults as schemas

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import faults
else:
    faults = lazy_module("chalicelib.services.faults")

area = Area("faults")
blueprint = area.blueprint


@area.route(
    "/customers/{customer_no}/faults",
    "POST",
    summary="Report a technical fault (zgłoszenie awarii); answers the ticket",
    roles=CUSTOMERS,
    request=schemas.FAULT_IN,
    response=schemas.TICKET,
    status=201,
    errors=(401, 403, 404, 409),
    description="Give premises_id or an address. A repeated request_id answers the "
    "ticket it created (nothing new is stored). In an emergency call 993 (heat) or 991 (electricity).",
)
def report(ctx: Ctx, customer_no: str) -> Response:
    body, _created = faults.report(ctx.require_principal(), customer_no, ctx.body)
    return json_response(body, 201)


@area.route(
    "/customers/{customer_no}/faults",
    "GET",
    summary="The customer's fault tickets, newest first",
    response=schemas.TICKETS,
    errors=(401, 403, 404),
)
def customer_tickets(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return faults.customer_tickets(ctx.require_principal(), customer_no)


@area.route(
    "/customers/{customer_no}/faults/{ticket_no}",
    "GET",
    summary="One fault ticket with its status history and photos",
    response=schemas.TICKET,
    errors=(401, 403, 404),
)
def customer_ticket(ctx: Ctx, customer_no: str, ticket_no: str) -> dict[str, Any]:
    return faults.customer_ticket(ctx.require_principal(), customer_no, ticket_no)


@area.route(
    "/customers/{customer_no}/faults/{ticket_no}/photos",
    "POST",
    summary="A presigned upload for one photo of the fault (JPEG/PNG/WebP/HEIC, ≤10 MB, ≤5)",
    roles=CUSTOMERS,
    request=schemas.PHOTO_IN,
    response=schemas.PHOTO_UPLOAD,
    status=201,
    errors=(401, 403, 404, 409),
)
def add_photo(ctx: Ctx, customer_no: str, ticket_no: str) -> Response:
    body = faults.add_photo(ctx.require_principal(), customer_no, ticket_no, ctx.body)
    return json_response(body, 201)


@area.route(
    "/faults",
    "GET",
    summary="Unresolved fault tickets, oldest first (operators)",
    roles=STAFF,
    response=schemas.QUEUE,
    errors=(401, 403),
)
def open_tickets(ctx: Ctx) -> dict[str, Any]:
    return faults.open_tickets()


@area.route(
    "/faults/{ticket_no}",
    "GET",
    summary="One fault ticket (operators)",
    roles=STAFF,
    response=schemas.TICKET,
    errors=(401, 403, 404),
)
def operator_ticket(ctx: Ctx, ticket_no: str) -> dict[str, Any]:
    return faults.operator_ticket(ticket_no)


@area.route(
    "/faults/{ticket_no}",
    "PATCH",
    summary="Move a fault ticket forward: dispatched, in progress, resolved (operators)",
    roles=OPERATORS,
    request=schemas.STATUS_IN,
    response=schemas.TICKET,
    errors=(401, 403, 404, 409),
)
def change_status(ctx: Ctx, ticket_no: str) -> dict[str, Any]:
    return faults.change_status(ctx.require_principal(), ticket_no, ctx.body)
