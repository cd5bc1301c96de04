"""Readings area: meter history, self-reading (podaj odczyt), CSV import and review."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.api._http import Area, Ctx
from chalicelib.domain.principal import STAFF
from chalicelib.i18n import t
from chalicelib.lazy import lazy_module
from chalicelib.schemas import readings as schemas
from chalicelib.schemas.paging import PREMISES_PAGE_QUERY

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import readings
else:
    readings = lazy_module("chalicelib.services.readings")

area = Area("readings")
blueprint = area.blueprint


@area.route(
    "/customers/{customer_no}/meters/{serial}/readings",
    "GET",
    summary="A meter's current reading and its history (newest first, estimates marked)",
    query=PREMISES_PAGE_QUERY,
    response=schemas.METER_READINGS,
    errors=(400, 401, 403, 404),
    description=(
        "Paged: `limit` readings (default 20, at most 100) from `cursor`; the answer's "
        "`next` is the cursor of the following page (null after the last). `current` is "
        "the newest accepted actual reading, whatever page is asked for. `premises`: only "
        "if the meter is at that premises (else no readings)."
    ),
)
def meter_readings(ctx: Ctx, customer_no: str, serial: str) -> dict[str, Any]:
    return readings.meter_readings(ctx.require_principal(), customer_no, serial, ctx.query)


@area.route(
    "/customers/{customer_no}/meters/{serial}/readings",
    "POST",
    summary="Submit a meter reading (podaj odczyt); refused below the previous reading",
    request=schemas.SELF_READING,
    response=schemas.SUBMITTED,
    status=201,
    errors=(401, 403, 404, 409, 422),
    description=(
        "Values per register as decimal strings (comma or dot). Stored with status "
        "`accepted`, or `review` when implausible against the customer's history; submitting "
        "the same reading again stores nothing (`replayed`: true). 422 below the previous "
        "reading: nothing stored."
    ),
)
def submit_reading(ctx: Ctx, customer_no: str, serial: str) -> dict[str, Any]:
    reading, created = readings.submit_self_reading(
        ctx.require_principal(), customer_no, serial, ctx.body
    )
    return {**reading, "replayed": not created, "message": t(reading["message_key"], ctx.lang)}


@area.route(
    "/readings/import",
    "POST",
    summary="Operators: import remote readings from CSV; a report lists the rejected rows",
    response=schemas.IMPORT_REPORT,
    content_types=("text/csv",),
    errors=(400, 401, 403),
    roles=STAFF,
    description=(
        "Body: CSV (UTF-8, `;` or `,`), header `serial;read_on;<registers>` with register "
        "columns heat_gj, water_m3, total, day, night; optional `meter_change` (1) and "
        "`old_<register>` for a meter change. Good rows are stored, bad rows reported; "
        "importing the same file again stores nothing new."
    ),
)
def import_readings(ctx: Ctx) -> dict[str, Any]:
    return readings.import_csv(ctx.require_principal(), ctx.request.raw_body or b"", ctx.lang)


@area.route(
    "/readings/review",
    "GET",
    summary="Operators: readings flagged as implausible, waiting for a decision",
    response=schemas.REVIEW_QUEUE,
    errors=(401, 403),
    roles=STAFF,
)
def review_queue(ctx: Ctx) -> dict[str, Any]:
    return readings.review_queue()


@area.route(
    "/meters/{serial}/readings/{reading_id}/decision",
    "POST",
    summary="Operators: accept or reject a reading under review",
    request=schemas.DECISION,
    response=schemas.READING,
    errors=(401, 403, 404, 409),
    roles=STAFF,
)
def decide(ctx: Ctx, serial: str, reading_id: str) -> dict[str, Any]:
    return readings.decide(ctx.require_principal(), serial, reading_id, ctx.body["decision"])
