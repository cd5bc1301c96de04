"""Payments area: balance, ledger history, online payments, operator notifications, the
local sandbox operator, and admin corrections and refunds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Response

from chalicelib.api._http import Area, Ctx
from chalicelib.domain.principal import ADMINS, CUSTOMER_SCOPED, CUSTOMERS
from chalicelib.lazy import lazy_module
from chalicelib.schemas import payments as schemas
from chalicelib.schemas.paging import PAGE_QUERY, PREMISES_PAGE_QUERY

if TYPE_CHECKING:
    from chalicelib.services.ledger_approvals import StaffBooking

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import ledger, payments
    from chalicelib.services import ledger_approvals as approvals
else:
    ledger = lazy_module("chalicelib.services.ledger")
    payments = lazy_module("chalicelib.services.payments")
    approvals = lazy_module("chalicelib.services.ledger_approvals")

area = Area("payments")
blueprint = area.blueprint


@area.route(
    "/customers/{customer_no}/balance",
    "GET",
    summary="Balance, overpayment, arrears, next due date, open invoices and the virtual account",
    response=schemas.BALANCE,
    errors=(401, 403, 404),
    roles=CUSTOMER_SCOPED,
)
def balance(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return ledger.balance_view(ctx.require_principal(), customer_no)


@area.route(
    "/customers/{customer_no}/ledger",
    "GET",
    summary="Ledger history: invoices, payments, transfers, corrections, refunds (newest first)",
    query=PREMISES_PAGE_QUERY,
    response=schemas.HISTORY,
    errors=(400, 401, 403, 404),
    roles=CUSTOMER_SCOPED,
    description=(
        "Paged, newest value date first: `limit` entries (default 20, at most 100) from "
        "`cursor`; the answer's `next` is the cursor of the following page (null after the "
        "last). `balance_after_grosze` is the balance after each entry in that order. "
        "`premises_ids`: the premises of an entry's invoices; `premises`: only the entries of "
        "that premises' invoices (a page may then hold fewer than `limit`)."
    ),
)
def history(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return ledger.history(ctx.require_principal(), customer_no, ctx.query)


@area.route(
    "/customers/{customer_no}/payments",
    "GET",
    summary="Online payments started for the customer (pending, paid, failed), newest first",
    query=PAGE_QUERY,
    response=schemas.PAYMENTS,
    errors=(400, 401, 403, 404),
    roles=CUSTOMER_SCOPED,
    description=(
        "Paged: `limit` payments (default 20, at most 100) from `cursor`; the answer's "
        "`next` is the cursor of the following page (null after the last)."
    ),
)
def list_payments(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return payments.list_payments(ctx.require_principal(), customer_no, ctx.query)


@area.route(
    "/customers/{customer_no}/payments",
    "POST",
    summary="Start an online payment for chosen invoices or an amount; answers the operator's redirect",
    request=schemas.START_PAYMENT,
    response=schemas.PAYMENT,
    status=201,
    errors=(401, 403, 404),
    roles=CUSTOMERS,
)
def start_payment(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return payments.start(ctx.require_principal(), customer_no, ctx.body)


@area.route(
    "/customers/{customer_no}/payments/{payment_id}",
    "GET",
    summary="One online payment and its status",
    response=schemas.PAYMENT,
    errors=(401, 403, 404),
    roles=CUSTOMER_SCOPED,
)
def get_payment(ctx: Ctx, customer_no: str, payment_id: str) -> dict[str, Any]:
    return payments.get(ctx.require_principal(), customer_no, payment_id)


@area.route(
    "/payments/notifications/przelewy24",
    "POST",
    summary="Przelewy24's notification (urlStatus): sign checked, verified with P24, booked once",
    auth=False,
    request=schemas.P24_NOTIFICATION,
    response=schemas.NOTIFICATION_RESULT,
    errors=(403, 404, 422),
    description=(
        "P24 posts merchantId, posId, sessionId, amount, originAmount, currency, orderId, methodId,"
        " statement and sign (SHA-384 of those fields' JSON with the CRC key). A bad sign answers"
        " 403; the payment is booked only after P24's verify call confirms it (else 422, and P24"
        " repeats the notification)."
    ),
)
def p24_notification(ctx: Ctx) -> dict[str, Any]:
    return payments.handle_p24_notification(ctx.body)


@area.route(
    "/payments/notifications",
    "POST",
    summary="Payment operator's server-to-server notification (HMAC-signed; booked once)",
    auth=False,
    request=schemas.NOTIFICATION,
    response=schemas.NOTIFICATION_RESULT,
    errors=(403, 404, 422),
    description=(
        "The body is signed with HMAC-SHA256 under the shared secret; the signature of the raw "
        "body is sent as `X-Operator-Signature: sha256=<hex>`. Forged signatures answer 403, "
        "unknown payments 404, a wrong merchant, amount or currency 422. A repeated notification "
        "answers 200 with result `duplicate` and changes nothing."
    ),
)
def notification(ctx: Ctx) -> dict[str, Any]:
    """The sandbox's (and any HMAC-signing operator's) notification."""
    raw = _raw(ctx)
    return payments.handle_notification(
        raw, ctx.request.headers.get("x-operator-signature"), ctx.body
    )


@area.route(
    "/sandbox/pay/{payment_id}",
    "GET",
    summary="Local stack only: the sandbox payment operator's page (pay or reject)",
    auth=False,
    response_type="text/html",
    response={"type": "string"},
    errors=(404,),
    local_only=True,
)
def sandbox_page(ctx: Ctx, payment_id: str) -> Response:
    return Response(
        body=payments.sandbox_page(payment_id, ctx.lang),
        status_code=200,
        headers={"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"},
    )


@area.route(
    "/sandbox/pay/{payment_id}",
    "POST",
    summary="Local stack only: the sandbox completes or fails the payment and notifies the app",
    auth=False,
    status=302,
    content_types=("application/x-www-form-urlencoded",),
    errors=(400, 404, 422),
    description="Form field `outcome` = completed | failed.",
    local_only=True,
)
def sandbox_complete(ctx: Ctx, payment_id: str) -> Response:
    target = payments.sandbox_complete(payment_id, _raw(ctx), ctx.request.headers.get("host"))
    return Response(
        body="", status_code=302, headers={"Location": target, "Cache-Control": "no-store"}
    )


_FOUR_EYES = (
    "Above the approval threshold nothing is booked: the answer is `status: "
    "pending_approval` with the request, which another administrator approves "
    "(`/customers/{customer_no}/ledger-requests/{request_id}/approve`) or rejects."
)


@area.route(
    "/customers/{customer_no}/ledger/corrections",
    "POST",
    summary="Admin: book a correction lowering what the customer owes (once per reference)",
    request=schemas.CORRECTION,
    response=schemas.BOOKING,
    status=201,
    errors=(401, 403, 404, 409),
    roles=ADMINS,
    description=_FOUR_EYES,
)
def correction(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    result = approvals.book(ctx.require_principal(), customer_no, "correction", ctx.body)
    return _booking(customer_no, result)


@area.route(
    "/customers/{customer_no}/ledger/refunds",
    "POST",
    summary="Admin: refund overpayment to the customer (at most the overpayment; once per reference)",
    request=schemas.REFUND,
    response=schemas.BOOKING,
    status=201,
    errors=(401, 403, 404, 409),
    roles=ADMINS,
    description=_FOUR_EYES,
)
def refund(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    result = approvals.book(ctx.require_principal(), customer_no, "refund", ctx.body)
    return _booking(customer_no, result)


@area.route(
    "/ledger-requests",
    "GET",
    summary="Admin: corrections and refunds waiting for a second person's approval (four-eyes)",
    response=schemas.LEDGER_REQUESTS,
    errors=(401, 403),
    roles=ADMINS,
)
def ledger_requests(ctx: Ctx) -> dict[str, Any]:
    return approvals.pending(ctx.require_principal())


@area.route(
    "/customers/{customer_no}/ledger-requests/{request_id}/approve",
    "POST",
    summary="Admin: approve a pending correction or refund (another login than the requester's); books it",
    response=schemas.BOOKING,
    status=201,
    errors=(401, 403, 404, 409),
    roles=ADMINS,
)
def approve_ledger_request(ctx: Ctx, customer_no: str, request_id: str) -> dict[str, Any]:
    result = approvals.approve(ctx.require_principal(), customer_no, request_id)
    return _booking(customer_no, result)


@area.route(
    "/customers/{customer_no}/ledger-requests/{request_id}/reject",
    "POST",
    summary="Admin: reject a pending correction or refund; nothing is booked",
    response=schemas.LEDGER_REQUEST,
    errors=(401, 403, 404, 409),
    roles=ADMINS,
)
def reject_ledger_request(ctx: Ctx, customer_no: str, request_id: str) -> dict[str, Any]:
    return approvals.reject(ctx.require_principal(), customer_no, request_id)


def _raw(ctx: Ctx) -> bytes:
    """The request body as sent (signatures are over these exact bytes)."""
    raw = ctx.request.raw_body or b""
    return raw if isinstance(raw, bytes) else raw.encode("utf-8")


def _booking(customer_no: str, result: StaffBooking) -> dict[str, Any]:
    return {
        "customer_no": customer_no,
        "balance_grosze": result.balance,
        "allocations": [
            {"invoice_no": a.invoice_no, "amount_grosze": a.amount} for a in result.allocations
        ],
        "status": result.status,
        "request": result.request,
    }
