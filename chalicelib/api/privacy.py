"""Personal data area ("Moje dane", RODO): the customer's export, erasure and restriction
requests, the log of staff reads, and the administrators' cases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.api._http import Area, Ctx
from chalicelib.domain.principal import ADMINS
from chalicelib.lazy import lazy_module
from chalicelib.schemas import privacy as schemas

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import privacy
else:
    privacy = lazy_module("chalicelib.services.privacy")

area = Area("privacy")
blueprint = area.blueprint


@area.route(
    "/customers/{customer_no}/privacy",
    "GET",
    summary="Moje dane: data requests and who at the utility read the customer's data, when",
    response=schemas.OVERVIEW,
    errors=(401, 403, 404),
)
def overview(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return privacy.overview(ctx.require_principal(), customer_no)


@area.route(
    "/customers/{customer_no}/privacy/requests",
    "POST",
    summary="Request an export of the data held (ZIP by e-mail link), its erasure or restriction",
    request=schemas.NEW_REQUEST,
    response=schemas.REQUEST,
    status=202,
    errors=(400, 401, 403, 404, 409),
)
def new_request(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    """202 for a new request and for a replay (the open request of that kind, unchanged)."""
    body, _created = privacy.request(
        ctx.require_principal(), customer_no, ctx.body["kind"], ctx.body.get("note")
    )
    return body


@area.route(
    "/customers/{customer_no}/privacy/requests/{request_id}/download",
    "GET",
    summary="A short-lived link (300 s) to the export's ZIP",
    response=schemas.LINK,
    errors=(401, 403, 404, 409),
)
def download(ctx: Ctx, customer_no: str, request_id: str) -> dict[str, Any]:
    return privacy.download(ctx.require_principal(), customer_no, request_id)


@area.route(
    "/admin/privacy/cases",
    "GET",
    summary="Open erasure and restriction cases",
    roles=ADMINS,
    response=schemas.CASES,
    errors=(401, 403),
)
def cases(ctx: Ctx) -> dict[str, Any]:
    return privacy.open_cases(ctx.require_principal())


@area.route(
    "/admin/privacy/cases/{customer_no}/{request_id}",
    "GET",
    summary="A case: what must be kept and until when, what an approval erases",
    roles=ADMINS,
    response=schemas.CASE,
    errors=(401, 403, 404),
)
def case(ctx: Ctx, customer_no: str, request_id: str) -> dict[str, Any]:
    return privacy.case(ctx.require_principal(), customer_no, request_id)


@area.route(
    "/admin/privacy/cases/{customer_no}/{request_id}/decision",
    "POST",
    summary="Approve (anonymise what need not be kept; idempotent) or reject a case",
    roles=ADMINS,
    request=schemas.DECISION,
    response=schemas.CASE,
    errors=(400, 401, 403, 404, 409),
)
def decide(ctx: Ctx, customer_no: str, request_id: str) -> dict[str, Any]:
    return privacy.decide(
        ctx.require_principal(),
        customer_no,
        request_id,
        bool(ctx.body["approve"]),
        ctx.body.get("note"),
    )
