"""Online payments: start a payment, take the operator's notification, the local sandbox.

A payment is registered with the operator and stored as ``pending``; the payer is sent to
the operator's page. Only the operator's signed server-to-server notification books it:
the signature (HMAC over the raw body), merchant, amount, currency and the payment itself
are checked first, and the booking is idempotent by payment id (the payment's status
changes from pending in the same transaction as the ledger entry).
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from chalicelib.adapters import payment_operator as gateway
from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain.ids import new_id
from chalicelib.domain.money import format_pln
from chalicelib.domain.principal import Principal
from chalicelib.errors import FieldError, Forbidden, NotFound, Unprocessable, ValidationFailed
from chalicelib.observability import logger, metrics
from chalicelib.services import ledger, paging
from chalicelib.services.access import require_customer
from chalicelib.store import customers as customer_store
from chalicelib.store import ledger as store
from chalicelib.store.ledger import Payment

CURRENCY = "PLN"


def payment_public(p: Payment) -> dict[str, Any]:
    return {
        "payment_id": p.payment_id,
        "customer_no": p.customer_no,
        "amount_grosze": int(p.amount_grosze),
        "currency": p.currency,
        "invoice_nos": list(p.invoice_nos or []),
        "status": p.status,
        "created_at": p.created_at,
        "settled_at": p.settled_at,
        "redirect_url": p.redirect_url if p.status == "pending" else None,
    }


def start(principal: Principal, customer_no: str, body: dict[str, Any]) -> dict[str, Any]:
    """Register a payment for chosen open invoices or an amount (paid oldest first)."""
    require_customer(principal, customer_no)
    customer = customer_store.get_customer(customer_no)
    if customer is None:
        raise NotFound()
    invoice_nos: list[str] = list(body.get("invoice_nos") or [])
    amount: int | None = body.get("amount_grosze")
    if invoice_nos:
        open_by_no = {i.invoice_no: i for i in ledger.open_invoices(customer_no)}
        for no in invoice_nos:
            if no not in open_by_no:
                raise ValidationFailed(
                    errors=[
                        FieldError("invoice_nos", "payments.invoice_not_open", {"invoice_no": no})
                    ]
                )
        due = sum(open_by_no[n].outstanding for n in invoice_nos)
        if amount is None:
            amount = due
        elif amount > due:
            raise ValidationFailed(
                errors=[
                    FieldError(
                        "amount_grosze", "payments.amount_too_large", {"due": format_pln(due)}
                    )
                ]
            )
    if amount is None or amount < 100:
        raise ValidationFailed(errors=[FieldError("amount_grosze", "field.invalid")])

    payment_id = new_id()
    cfg = settings()
    registered = gateway.operator().register(
        payment_id=payment_id,
        amount_grosze=amount,
        currency=CURRENCY,
        description=f"eBOK {customer_no} " + (", ".join(invoice_nos) if invoice_nos else "wpłata"),
        email=customer.email,
        return_url=f"{cfg.portal_url.rstrip('/')}/#/payments?payment={payment_id}",
        notify_url=cfg.payment_notify_url,
    )
    payment = store.create_payment(
        payment_id=payment_id,
        customer_no=customer_no,
        amount_grosze=amount,
        currency=CURRENCY,
        invoice_nos=invoice_nos,
        created_by=principal.username,
        redirect_url=registered.redirect_url,
        operator_ref=registered.operator_ref,
        now=clock.now_iso(),
    )
    logger.info("payment started", extra={"payment_id": payment_id, "amount_grosze": amount})
    return payment_public(payment)


def get(principal: Principal, customer_no: str, payment_id: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    payment = store.get_payment(payment_id)
    if payment is None or payment.customer_no != customer_no:
        raise NotFound()
    return payment_public(payment)


def list_payments(
    principal: Principal, customer_no: str, query: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """One page of the customer's online payments, newest first (``limit``, ``cursor``)."""
    require_customer(principal, customer_no)
    page = paging.paged(
        lambda: store.payments_page(customer_no, paging.limit_of(query), paging.cursor_of(query))
    )
    return {"payments": [payment_public(p) for p in page.items], "next": page.cursor}


# --- the operator's notification -------------------------------------------------------


def handle_notification(
    raw_body: bytes, signature: str | None, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Verify and book an operator notification; a repeated one changes nothing."""
    if not gateway.verify(raw_body, signature):
        metrics.add_metric(name="PaymentNotificationForged", unit="Count", value=1)
        logger.warning("payment notification refused: bad signature")
        raise Forbidden("payments.bad_signature")
    if data is None:
        try:
            data = gateway.parse(raw_body)
        except ValueError:
            raise ValidationFailed("error.bad_json") from None
    payment_id = str(data.get("payment_id", ""))
    payment = store.get_payment(payment_id) if payment_id else None
    if payment is None:
        raise NotFound("payments.unknown_payment")
    expected = {
        "merchant_id": settings().payment_merchant_id,
        "amount": int(payment.amount_grosze),
        "currency": payment.currency,
    }
    if payment.operator_ref and data.get("operator_ref") not in (None, payment.operator_ref):
        raise Unprocessable("payments.mismatch")
    for key, value in expected.items():
        if data.get(key) != value:
            logger.warning(
                "payment notification mismatch", extra={"payment_id": payment_id, "field": key}
            )
            raise Unprocessable("payments.mismatch")

    if data.get("status") == "failed":
        if payment.status != "pending":
            return {"result": "ignored", "payment_id": payment_id}
        return {
            "result": "failed"
            if store.fail_pending_payment(payment, clock.now_iso())
            else "ignored",
            "payment_id": payment_id,
        }

    return _book_paid(payment)


def _book_paid(payment: Payment) -> dict[str, Any]:
    """Book a payment the operator confirmed, once (its status changes from pending in the
    same transaction as the ledger entry)."""
    payment_id = payment.payment_id
    if payment.status == "paid":
        return {"result": "duplicate", "payment_id": payment_id}

    invoice_nos = [str(n) for n in payment.invoice_nos or []]

    def already_done() -> bool:
        current = store.get_payment(payment_id)
        return current is not None and current.status == "paid"

    booking = ledger.book_credit(
        payment.customer_no,
        int(payment.amount_grosze),
        kind="payment",
        ref=payment_id,
        value_date=clock.to_warsaw(clock.now()).date().isoformat(),
        title=", ".join(invoice_nos) or payment_id,  # the kind names it in the reader's language
        source="operator",
        invoice_nos=invoice_nos,
        guard=store.mark_payment_paid(payment_id),
        already_done=already_done,
    )
    if booking.booked:
        metrics.add_metric(name="PaymentBooked", unit="Count", value=1)
        logger.info("payment booked", extra={"payment_id": payment_id})
    return {"result": "booked" if booking.booked else "duplicate", "payment_id": payment_id}


def handle_p24_notification(data: dict[str, Any]) -> dict[str, Any]:
    """Przelewy24's notification: its ``sign`` checked, the payment's merchant, POS, amount
    and currency compared, then P24's verify call; only a verified payment is booked."""
    from chalicelib.adapters.przelewy24 import Przelewy24

    op = gateway.operator()
    if not isinstance(op, Przelewy24):
        raise NotFound()
    note = op.read_notification(data)
    if note is None:
        metrics.add_metric(name="PaymentNotificationForged", unit="Count", value=1)
        logger.warning("P24 notification refused: bad sign")
        raise Forbidden("payments.bad_signature")
    payment = store.get_payment(note.session_id)
    if payment is None:
        raise NotFound("payments.unknown_payment")
    cfg = op.config
    if (note.merchant_id, note.pos_id, note.amount, note.currency) != (
        cfg.merchant_id,
        cfg.pos_id,
        int(payment.amount_grosze),
        payment.currency,
    ):
        logger.warning("P24 notification mismatch", extra={"payment_id": payment.payment_id})
        raise Unprocessable("payments.mismatch")
    if payment.status == "paid":
        return {"result": "duplicate", "payment_id": payment.payment_id}
    if not op.verify(note):
        # Not booked; P24 repeats the notification, so a later verify can still succeed.
        raise Unprocessable("payments.not_verified")
    return _book_paid(payment)


# --- the local sandbox operator --------------------------------------------------------

_SANDBOX_TEXT = {
    "title": ("Sandbox operatora płatności", "Payment operator sandbox"),
    "intro": (
        "To jest lokalna strona testowa operatora płatności. Żadne pieniądze nie są pobierane.",
        "This is the payment operator's local test page. No money is taken.",
    ),
    "merchant": ("Odbiorca", "Payee"),
    "amount": ("Kwota", "Amount"),
    "payment": ("Płatność", "Payment"),
    "pay": ("Zapłać", "Pay"),
    "reject": ("Odrzuć", "Reject"),
    "done": ("Ta płatność ma już status: {status}.", "This payment's status is already: {status}."),
    "back": ("Wróć do eBOK", "Back to eBOK"),
}


def _s(key: str, lang: str, **kw: str) -> str:
    pl, en = _SANDBOX_TEXT[key]
    text = en if lang == "en" else pl
    return text.format(**kw) if kw else text


def _require_sandbox() -> None:
    if not settings().is_local or settings().payment_operator != "sandbox":
        raise NotFound()


def sandbox_page(payment_id: str, lang: str) -> str:
    _require_sandbox()
    payment = store.get_payment(payment_id)
    if payment is None:
        raise NotFound()
    e = html.escape
    amount = format_pln(int(payment.amount_grosze)).replace("\u00a0", " ")
    back = f"/#/payments?payment={e(payment_id)}"
    if payment.status == "pending":
        action = (
            f'<form method="post" action="/sandbox/pay/{e(payment_id)}">'
            f'<button type="submit" name="outcome" value="completed" id="sandbox-pay">{e(_s("pay", lang))}</button> '
            f'<button type="submit" name="outcome" value="failed" id="sandbox-reject" class="secondary">{e(_s("reject", lang))}</button>'
            "</form>"
        )
    else:
        action = f'<p>{e(_s("done", lang, status=payment.status))}</p><p><a href="{back}">{e(_s("back", lang))}</a></p>'
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{e(_s("title", lang))}</title><link rel="stylesheet" href="/static/styles.css"></head>'
        f'<body><main id="main" class="sandbox"><h1>{e(_s("title", lang))}</h1>'
        f'<p class="warn">{e(_s("intro", lang))}</p>'
        f"<dl><dt>{e(_s('merchant', lang))}</dt><dd>{e(settings().seller_name)}</dd>"
        f'<dt>{e(_s("amount", lang))}</dt><dd id="sandbox-amount">{e(amount)}</dd>'
        f"<dt>{e(_s('payment', lang))}</dt><dd>{e(payment_id)}</dd></dl>"
        f"{action}</main></body></html>"
    )


def sandbox_complete(payment_id: str, raw_form: bytes, host: str | None) -> str:
    """The payer pressed a button: the sandbox posts its signed notification to the app's
    notification route and sends the payer back to the portal. Returns the redirect URL."""
    _require_sandbox()
    form = parse_qs(raw_form.decode("utf-8", "replace"))
    outcome = (form.get("outcome") or [""])[0]
    if outcome not in ("completed", "failed"):
        raise ValidationFailed(errors=[FieldError("outcome", "field.invalid")])
    payment = store.get_payment(payment_id)
    if payment is None:
        raise NotFound()
    back = f"/#/payments?payment={payment_id}"
    if payment.status != "pending":
        return back
    op = gateway.operator()
    if not isinstance(op, gateway.SandboxOperator):
        raise NotFound()
    body = op.notification(
        payment_id=payment_id,
        operator_ref=payment.operator_ref or "",
        amount_grosze=int(payment.amount_grosze),
        currency=payment.currency,
        status=outcome,
        at=clock.now_iso(),
    )
    headers = {gateway.SIGNATURE_HEADER: gateway.sign(body)}
    # Where the notification goes comes from configuration only, never from the request's
    # Host header (a forged Host would send the signed notification anywhere).
    url = settings().payment_notify_url
    if url:
        status = gateway.deliver(url, body, headers)
        if status >= 300:
            raise Unprocessable("payments.delivery_failed", status=str(status))
    else:  # no server to post to (in-process test client): the same handler, directly
        handle_notification(body, headers[gateway.SIGNATURE_HEADER], json.loads(body))
    return back
