"""Bank statements area (admin): upload camt.053 files, list imports, resolve the suspense list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.api._http import Area, Ctx
from chalicelib.domain.principal import ADMINS
from chalicelib.lazy import lazy_module
from chalicelib.schemas import payments as schemas
from chalicelib.schemas.paging import PAGE_QUERY

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import statements
    from chalicelib.services import suspense as suspense_service
else:
    statements = lazy_module("chalicelib.services.statements")
    suspense_service = lazy_module("chalicelib.services.suspense")

area = Area("statements")
blueprint = area.blueprint


@area.route(
    "/admin/statements",
    "POST",
    summary="Admin: upload a camt.053 bank statement; credits are matched and booked once",
    request=schemas.UPLOAD_STATEMENT,
    response=schemas.IMPORT_RESULT,
    status=201,
    errors=(401, 403),
    roles=ADMINS,
)
def upload_statement(ctx: Ctx) -> dict[str, Any]:
    return statements.upload(ctx.require_principal(), ctx.body["file_name"], ctx.body["content"])


@area.route(
    "/admin/statements",
    "GET",
    summary="Admin: recently imported bank statements",
    response=schemas.STATEMENTS,
    errors=(401, 403),
    roles=ADMINS,
)
def list_statements(ctx: Ctx) -> dict[str, Any]:
    return statements.statements()


@area.route(
    "/admin/suspense",
    "GET",
    summary="Admin: unmatched bank credits waiting to be resolved (suspense list)",
    query=PAGE_QUERY,
    response=schemas.SUSPENSE,
    errors=(400, 401, 403),
    roles=ADMINS,
    description=(
        "Paged, oldest booking date first: `limit` credits (default 20, at most 100) from "
        "`cursor`; the answer's `next` is the cursor of the following page (null after the "
        "last)."
    ),
)
def suspense(ctx: Ctx) -> dict[str, Any]:
    return suspense_service.suspense(ctx.query)


@area.route(
    "/admin/suspense/{ref}",
    "POST",
    summary="Admin: book an unmatched credit on a customer's account, or mark it returned",
    request=schemas.RESOLVE,
    response=schemas.RESOLVED,
    errors=(400, 401, 403, 404, 409, 422),
    roles=ADMINS,
    description=(
        "Above the approval threshold a booking is not made: the credit stays in suspense, "
        "`note` (the reason) is required and the answer's `request` waits for another "
        "administrator (`/admin/suspense/{ref}/requests/{request_id}/approve` or `/reject`). "
        "Asking again for the same account returns the same request."
    ),
)
def resolve(ctx: Ctx, ref: str) -> dict[str, Any]:
    b = ctx.body
    return suspense_service.resolve(
        ctx.require_principal(), ref, b["action"], b.get("customer_no"), b.get("note")
    )


@area.route(
    "/admin/suspense-requests",
    "GET",
    summary="Admin: suspense bookings waiting for a second person's approval (four-eyes)",
    response=schemas.SUSPENSE_REQUESTS,
    errors=(401, 403),
    roles=ADMINS,
)
def suspense_requests(ctx: Ctx) -> dict[str, Any]:
    return suspense_service.pending(ctx.require_principal())


@area.route(
    "/admin/suspense/{ref}/requests/{request_id}/approve",
    "POST",
    summary="Admin: approve a waiting suspense booking (another login than the requester's); books it once",
    response=schemas.RESOLVED,
    errors=(401, 403, 404, 409, 422),
    roles=ADMINS,
)
def approve_suspense_request(ctx: Ctx, ref: str, request_id: str) -> dict[str, Any]:
    return suspense_service.approve(ctx.require_principal(), ref, request_id)


@area.route(
    "/admin/suspense/{ref}/requests/{request_id}/reject",
    "POST",
    summary="Admin: reject a waiting suspense booking with a reason; nothing is booked",
    request=schemas.REJECT_REQUEST,
    response=schemas.SUSPENSE_REQUEST,
    errors=(400, 401, 403, 404, 409),
    roles=ADMINS,
)
def reject_suspense_request(ctx: Ctx, ref: str, request_id: str) -> dict[str, Any]:
    return suspense_service.reject(ctx.require_principal(), ref, request_id, ctx.body["reason"])
