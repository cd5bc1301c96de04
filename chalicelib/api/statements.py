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
else:
    statements = lazy_module("chalicelib.services.statements")

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
    return statements.suspense(ctx.query)


@area.route(
    "/admin/suspense/{ref}",
    "POST",
    summary="Admin: book an unmatched credit on a customer's account, or mark it returned",
    request=schemas.RESOLVE,
    response=schemas.BANK_ENTRY,
    errors=(401, 403, 404, 409, 422),
    roles=ADMINS,
)
def resolve(ctx: Ctx, ref: str) -> dict[str, Any]:
    b = ctx.body
    return statements.resolve(
        ctx.require_principal(), ref, b["action"], b.get("customer_no"), b.get("note")
    )
