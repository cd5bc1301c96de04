"""Invoices area: list, detail, PDF link, e-invoice consent, correcting invoices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.api._http import Area, Ctx
from chalicelib.domain.principal import CUSTOMER_SCOPED, STAFF
from chalicelib.lazy import lazy_module
from chalicelib.schemas import invoices as schemas
from chalicelib.schemas.paging import PREMISES_PAGE_QUERY

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import invoices, ksef
else:
    invoices = lazy_module("chalicelib.services.invoices")
    ksef = lazy_module("chalicelib.services.ksef")

area = Area("invoices")
blueprint = area.blueprint


@area.route(
    "/customers/{customer_no}/invoices",
    "GET",
    summary="A customer's invoices, newest first: number, dates, amounts, payment and delivery status",
    query=PREMISES_PAGE_QUERY,
    response=schemas.INVOICE_LIST,
    errors=(400, 401, 403, 404),
    roles=CUSTOMER_SCOPED,
    description=(
        "Paged: `limit` invoices (default 20, at most 100) from `cursor`; the answer's "
        "`next` is the cursor of the following page (null after the last). `premises`: only "
        "that premises' invoices."
    ),
)
def invoice_list(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return invoices.list_invoices(ctx.require_principal(), customer_no, ctx.query)


@area.route(
    "/customers/{customer_no}/invoices/{invoice_id}",
    "GET",
    summary="Invoice detail: parties, lines, VAT per rate, readings used, bank account",
    response=schemas.INVOICE_DETAIL,
    errors=(401, 403, 404),
    roles=CUSTOMER_SCOPED,
)
def invoice_detail(ctx: Ctx, customer_no: str, invoice_id: str) -> dict[str, Any]:
    return invoices.invoice_detail(ctx.require_principal(), customer_no, invoice_id)


@area.route(
    "/customers/{customer_no}/invoices/{invoice_id}/pdf",
    "GET",
    summary="A download link for the invoice PDF (presigned, expires within minutes)",
    response=schemas.PDF_LINK,
    errors=(401, 403, 404),
    roles=CUSTOMER_SCOPED,
)
def invoice_pdf(ctx: Ctx, customer_no: str, invoice_id: str) -> dict[str, Any]:
    return invoices.pdf_link(ctx.require_principal(), customer_no, invoice_id)


@area.route(
    "/customers/{customer_no}/invoices/{invoice_id}/corrections",
    "POST",
    summary="Operators: a correcting invoice for a consumption error (references the original)",
    request=schemas.CORRECTION_REQUEST,
    response=schemas.CORRECTION_RESULT,
    status=201,
    errors=(401, 403, 404, 409, 422),
    roles=STAFF,
    description=(
        "Checked against the contract's history and tariff (no negative consumption, "
        "nothing beyond what the contract could use, no estimate already settled). Within "
        "the approval threshold the correcting invoice is issued (`status: issued`); above "
        "it a request waits for another staff login (`status: pending_approval`) and "
        "nothing is issued, booked or sent."
    ),
)
def correction(ctx: Ctx, customer_no: str, invoice_id: str) -> dict[str, Any]:
    return invoices.correct_usage(ctx.require_principal(), customer_no, invoice_id, ctx.body)


@area.route(
    "/correction-requests",
    "GET",
    summary="Staff: correction requests waiting for a second person's approval (four-eyes)",
    response=schemas.CORRECTION_REQUESTS,
    errors=(401, 403),
    roles=STAFF,
)
def correction_requests(ctx: Ctx) -> dict[str, Any]:
    return invoices.pending_corrections(ctx.require_principal())


@area.route(
    "/customers/{customer_no}/correction-requests/{request_id}/approve",
    "POST",
    summary="Staff: approve a pending correction (another login than the requester's); issues it",
    response=schemas.CORRECTION_RESULT,
    status=201,
    errors=(401, 403, 404, 409, 422),
    roles=STAFF,
)
def approve_correction(ctx: Ctx, customer_no: str, request_id: str) -> dict[str, Any]:
    return invoices.approve_correction(ctx.require_principal(), customer_no, request_id)


@area.route(
    "/customers/{customer_no}/correction-requests/{request_id}/reject",
    "POST",
    summary="Staff: reject a pending correction; nothing is issued",
    response=schemas.CORRECTION_REQUEST_STATE,
    errors=(401, 403, 404, 409),
    roles=STAFF,
)
def reject_correction(ctx: Ctx, customer_no: str, request_id: str) -> dict[str, Any]:
    return invoices.reject_correction(ctx.require_principal(), customer_no, request_id)


@area.route(
    "/customers/{customer_no}/invoices/{invoice_id}/xml",
    "GET",
    summary="A short-lived link to the invoice's structured form: FA(3) XML as sent to KSeF",
    response=schemas.PDF_LINK,
    errors=(401, 403, 404),
    roles=CUSTOMER_SCOPED,
)
def invoice_xml(ctx: Ctx, customer_no: str, invoice_id: str) -> dict[str, Any]:
    return ksef.xml_link(ctx.require_principal(), customer_no, invoice_id)


@area.route(
    "/customers/{customer_no}/einvoice-consent",
    "GET",
    summary="E-invoice consent (zgoda na e-fakturę) and when it was last switched",
    response=schemas.CONSENT,
    errors=(401, 403, 404),
    roles=CUSTOMER_SCOPED,
)
def consent(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return invoices.get_consent(ctx.require_principal(), customer_no)


@area.route(
    "/customers/{customer_no}/einvoice-consent",
    "PUT",
    summary="Switch e-invoice consent: invoices by e-mail (true) or on paper (false); time recorded",
    request=schemas.CONSENT_REQUEST,
    response=schemas.CONSENT,
    errors=(401, 403, 404, 409),
    roles={"customer", "building_manager", "admin"},
)
def set_consent(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return invoices.set_consent(ctx.require_principal(), customer_no, ctx.body["einvoice_consent"])
