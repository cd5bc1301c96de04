"""Registration area: individuals online, institutions by documents (presigned uploads)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.api._http import Area, Ctx
from chalicelib.api.auth import source_address
from chalicelib.lazy import lazy_module
from chalicelib.schemas import registration as schemas

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import registration
else:
    registration = lazy_module("chalicelib.services.registration")

area = Area("registration")
blueprint = area.blueprint


@area.route(
    "/registrations/individual",
    "POST",
    summary="Register an individual online: verified against the customer records",
    auth=False,
    request=schemas.INDIVIDUAL,
    response=schemas.INDIVIDUAL_RESULT,
    status=201,
    errors=(409, 422, 429),
    description=(
        "A mismatch of any field answers 422 registration.mismatch, the same as an unknown "
        "customer number. On a match the user identifier and one-time PIN are e-mailed."
    ),
)
def register_individual(ctx: Ctx) -> dict[str, Any]:
    lang = ctx.body.get("lang") or ctx.lang
    return registration.register_individual(ctx.body, source_address(ctx), lang)


@area.route(
    "/registrations/regulations",
    "GET",
    summary="The current version of the e-BOK regulations (regulamin)",
    auth=False,
    response=schemas.REGULATIONS,
)
def regulations(ctx: Ctx) -> dict[str, Any]:
    return registration.regulations()


@area.route(
    "/registrations/institution",
    "POST",
    summary="Start an institutional registration: answers presigned uploads for the documents",
    auth=False,
    request=schemas.INSTITUTION,
    response=schemas.INSTITUTION_STARTED,
    status=201,
    errors=(413, 415, 429),
)
def start_institution(ctx: Ctx) -> dict[str, Any]:
    lang = ctx.body.get("lang") or ctx.lang
    return registration.start_institution(ctx.body, source_address(ctx), lang)


@area.route(
    "/registrations/institution/{registration_id}/submit",
    "POST",
    summary="Submit the registration after the uploads: documents are checked, status pending",
    auth=False,
    response=schemas.STATUS,
    errors=(400, 404, 409, 413, 415),
)
def submit_institution(ctx: Ctx, registration_id: str) -> dict[str, Any]:
    return registration.submit_institution(registration_id, ctx.lang)
