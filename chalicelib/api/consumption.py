"""Consumption area: monthly use and cost, season and yearly reports, exports, stored reports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Response

from chalicelib.api._http import Area, Ctx
from chalicelib.domain.principal import CUSTOMER_SCOPED
from chalicelib.lazy import lazy_module
from chalicelib.schemas import consumption as schemas

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import consumption, exports, reports, weather
else:
    consumption = lazy_module("chalicelib.services.consumption")
    exports = lazy_module("chalicelib.services.exports")
    reports = lazy_module("chalicelib.services.reports")
    weather = lazy_module("chalicelib.services.weather")

area = Area("consumption")
blueprint = area.blueprint


@area.route(
    "/customers/{customer_no}/consumption",
    "GET",
    summary="Use and cost of a contract per month, heating season or year (36 months by default; estimates marked)",
    query=schemas.SERIES_QUERY,
    response=schemas.SERIES,
    errors=(400, 401, 403, 404),
    roles=CUSTOMER_SCOPED,
)
def consumption_series(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return consumption.series(ctx.require_principal(), customer_no, ctx.query)


@area.route(
    "/customers/{customer_no}/consumption/season-report",
    "GET",
    summary="Heating-season report of a heat contract (Oct–Apr) against the season before: start vs end, fixed vs variable cost, CWU, degree-day normalisation, conclusions",
    query=schemas.SEASON_QUERY,
    response=schemas.REPORT,
    errors=(400, 401, 403, 404),
    roles=CUSTOMER_SCOPED,
)
def season_report(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return reports.season_report(ctx.require_principal(), customer_no, ctx.query, ctx.lang)


@area.route(
    "/customers/{customer_no}/consumption/year-report",
    "GET",
    summary="Electricity yearly report: kWh and cost per month against last year, G12 night share, capacity-charge band",
    query=schemas.YEAR_QUERY,
    response=schemas.REPORT,
    errors=(400, 401, 403, 404),
    roles=CUSTOMER_SCOPED,
)
def year_report(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return reports.year_report(ctx.require_principal(), customer_no, ctx.query, ctx.lang)


def _download(d: exports.Download) -> Response:
    return Response(
        body=d.body.decode("utf-8"),  # text: chalice encodes it as UTF-8 (BOM kept)
        status_code=200,
        headers={
            "Content-Type": d.content_type,
            "Content-Disposition": f'attachment; filename="{d.filename}"',
            "Cache-Control": "no-store",
        },
    )


@area.route(
    "/customers/{customer_no}/exports/consumption.csv",
    "GET",
    summary="Monthly use and cost as CSV (Polish spreadsheet: ';', decimal comma, UTF-8 with BOM)",
    query=schemas.EXPORT_QUERY,
    response_type="text/csv",
    errors=(400, 401, 403, 404),
    roles=CUSTOMER_SCOPED,
)
def consumption_csv(ctx: Ctx, customer_no: str) -> Response:
    return _download(exports.consumption_csv(ctx.require_principal(), customer_no, ctx.query))


@area.route(
    "/customers/{customer_no}/exports/invoices.csv",
    "GET",
    summary="The customer's invoices as CSV (Polish spreadsheet: ';', decimal comma, UTF-8 with BOM)",
    response_type="text/csv",
    errors=(401, 403, 404),
    roles=CUSTOMER_SCOPED,
)
def invoices_csv(ctx: Ctx, customer_no: str) -> Response:
    return _download(exports.invoices_csv(ctx.require_principal(), customer_no))


@area.route(
    "/customers/{customer_no}/exports/green-button.xml",
    "GET",
    summary="Usage as a Green Button (ESPI) Atom feed: UsagePoint, MeterReading, ReadingType, IntervalBlock",
    query=schemas.EXPORT_QUERY,
    response_type="application/atom+xml",
    errors=(400, 401, 403, 404),
    roles=CUSTOMER_SCOPED,
)
def green_button(ctx: Ctx, customer_no: str) -> Response:
    return _download(exports.espi_feed(ctx.require_principal(), customer_no, ctx.query))


@area.route(
    "/customers/{customer_no}/reports",
    "GET",
    summary="The customer's stored consumption reports (heating season, electricity year), newest first",
    response=schemas.REPORT_LIST,
    errors=(401, 403, 404),
    roles=CUSTOMER_SCOPED,
)
def stored_reports(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return reports.stored_reports(ctx.require_principal(), customer_no)


@area.route(
    "/customers/{customer_no}/reports/{report_id}",
    "GET",
    summary="A presigned download link (300 s) to a stored report's PDF or CSV",
    query=schemas.DOWNLOAD_QUERY,
    response=schemas.LINK,
    errors=(400, 401, 403, 404),
    roles=CUSTOMER_SCOPED,
)
def report_download(ctx: Ctx, customer_no: str, report_id: str) -> dict[str, Any]:
    return reports.report_link(
        ctx.require_principal(), customer_no, report_id, ctx.query.get("file", "pdf")
    )


@area.route(
    "/customers/{customer_no}/weather",
    "GET",
    summary="Today's temperature (IMGW-PIB synop) and air-quality index (GIOŚ) for the customer's city; null where a source is unavailable",
    response=schemas.WEATHER,
    errors=(401, 403, 404),
    roles=CUSTOMER_SCOPED,
)
def customer_weather(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return weather.customer_weather(ctx.require_principal(), customer_no)
