"""Invoices in the portal: list, detail, PDF download link, e-invoice consent; correcting
invoices (faktury korygujące) issued by operators.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.config import settings
from chalicelib.domain import invoices as rules
from chalicelib.domain.principal import Principal
from chalicelib.errors import NotFound
from chalicelib.services import billing, corrections, paging
from chalicelib.services.access import require_customer
from chalicelib.store import invoices as store
from chalicelib.store.customers import Customer, get_customer
from chalicelib.store.invoices import Invoice, InvoiceDelivery

PDF_LINK_SECONDS = 300  # presigned download links expire within minutes


def _payment_statuses(customer_no: str, numbers: list[str]) -> dict[str, dict[str, Any]]:
    if not numbers:
        return {}
    from chalicelib.services import ledger

    return ledger.invoice_statuses(customer_no, numbers)


def _summary(
    inv: Invoice,
    dlv: InvoiceDelivery | None,
    pay: Mapping[str, Any] | None,
    corrected_by: list[str],
) -> dict[str, Any]:
    return {
        "invoice_id": inv.invoice_id,
        "number": inv.number,
        "kind": inv.kind,
        "corrects": inv.corrects,
        "corrected_by": corrected_by,
        "contract_no": inv.contract_no,
        "premises_id": inv.premises_id,  # which building (a building manager has several)
        "product": inv.product,
        "period": inv.period,
        "period_from": inv.period_from,
        "period_to": inv.period_to,
        "issue_date": inv.issue_date,
        "due_date": inv.due_date,
        "net": int(inv.net),
        "vat": int(inv.vat),
        "gross": int(inv.gross),
        "estimated": bool(inv.estimated),
        "status": (pay or {}).get("status", "unpaid"),
        "outstanding": int((pay or {}).get("outstanding_grosze", inv.gross)),
        "delivery": {
            "channel": inv.channel,
            "status": _delivery_status(dlv),
            "at": dlv.sent_at if dlv else None,
        },
    }


def _delivery_status(dlv: Any) -> str | None:
    """The delivery's state; an e-mail the sender skipped (switched off in the preferences,
    or the address suppressed: ``skipped:`` message ids) is ``not_sent``, never "sent"."""
    if dlv is None:
        return None
    if dlv.status == "sent" and str(dlv.message_id or "").startswith("skipped:"):
        return "not_sent"
    return str(dlv.status)


def list_invoices(
    principal: Principal, customer_no: str, query: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """One page, newest first (``limit``, ``cursor``; ``next`` names the following page):
    one Query for the page's invoices and their deliveries, one GetItem for the payment
    status (the ledger's balance). A page of the newest invoices whatever the history."""
    require_customer(principal, customer_no)
    page = paging.paged(
        lambda: store.invoices_page(
            customer_no,
            paging.limit_of(query),
            paging.cursor_of(query),
            paging.premises_of(query),
        )
    )
    items = page.items
    invoices = [i for i in items if isinstance(i, Invoice)]
    deliveries = {i.invoice_id: i for i in items if isinstance(i, InvoiceDelivery)}
    corrections: dict[str, list[str]] = {}
    for inv in invoices:
        if inv.corrects:
            corrections.setdefault(inv.corrects, []).append(inv.invoice_id)
    statuses = _payment_statuses(customer_no, [i.number for i in invoices])
    return {
        "customer_no": customer_no,
        "invoices": [
            _summary(
                i,
                deliveries.get(i.invoice_id),
                statuses.get(i.number),
                corrections.get(i.invoice_id, []),
            )
            for i in invoices
        ],
        "next": page.cursor,
    }


def _owned_invoice(
    principal: Principal, customer_no: str, invoice_id: str, staff: bool = False
) -> tuple[Invoice, InvoiceDelivery | None]:
    """The invoice if the caller may see it (404 otherwise); ``staff``: operators too."""
    if not (staff and principal.role in ("operator", "admin")):
        require_customer(principal, customer_no)
    if rules.parse_invoice_id(invoice_id) is None:
        raise NotFound()
    inv, dlv = store.invoice_with_delivery(customer_no, invoice_id)
    if inv is None:
        raise NotFound()
    return inv, dlv


def invoice_detail(principal: Principal, customer_no: str, invoice_id: str) -> dict[str, Any]:
    inv, dlv = _owned_invoice(principal, customer_no, invoice_id)
    return _detail(inv, dlv, customer_no)


def _detail(inv: Invoice, dlv: InvoiceDelivery | None, customer_no: str) -> dict[str, Any]:
    pay = _payment_statuses(customer_no, [inv.number]).get(inv.number)
    corrected_by = store.corrections_of(customer_no, inv.invoice_id)  # by key
    return {
        **_summary(inv, dlv, pay, corrected_by),
        "seller": inv.seller,
        "buyer": inv.buyer,
        "supply_address": inv.supply_address,
        "tariff_group": inv.tariff_group,
        "ordered_capacity_mw": inv.ordered_capacity_mw,
        "bank_account": inv.bank_account,
        "lines": inv.lines,
        "rates": inv.rates,
        "meters": inv.meters,
        "amount_in_words": rules.amount_in_words(int(inv.gross)),
        "correction_reason": inv.correction_reason,
        **_correction_fields(inv),
    }


def _correction_fields(inv: Invoice) -> dict[str, Any]:
    """A correction's state before and after; how a negative amount is settled (zwrot)."""
    return {
        "state_before": inv.state_before,
        "state_after": inv.state_after,
        "settlement": rules.settlement(int(inv.gross)),
    }


def pdf_link(principal: Principal, customer_no: str, invoice_id: str) -> dict[str, Any]:
    """A presigned S3 link that expires within minutes (the API never streams the PDF)."""
    from chalicelib.adapters import s3

    inv, _ = _owned_invoice(principal, customer_no, invoice_id)
    url = s3.presigned_get(
        settings().invoices_bucket,
        inv.pdf_key,
        expires_s=PDF_LINK_SECONDS,
        filename=f"Faktura_{inv.invoice_id}.pdf",
    )
    return {"url": url, "expires_in": PDF_LINK_SECONDS, "filename": f"Faktura_{inv.invoice_id}.pdf"}


def consent_public(c: Customer) -> dict[str, Any]:
    return {
        "customer_no": c.customer_no,
        "einvoice_consent": bool(c.einvoice_consent),
        "einvoice_consent_at": c.einvoice_consent_at,
        "email": c.email,
    }


def get_consent(principal: Principal, customer_no: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    customer = get_customer(customer_no)
    if customer is None:
        raise NotFound()
    return consent_public(customer)


def set_consent(principal: Principal, customer_no: str, consent: bool) -> dict[str, Any]:
    """Zgoda na e-fakturę: recorded in the append-only consents history (who, when, the
    portal, the clause's version) with the profile flag billing reads, in one transaction
    (``services.consents.change``); setting the value it already has records nothing."""
    from chalicelib.domain import consents as consent_rules
    from chalicelib.services import consents

    body = {
        "kind": "einvoice",
        "granted": consent,
        "channel": "portal",
        "clause_version": consent_rules.clause_version("einvoice"),
    }
    consents.change(principal, customer_no, body)
    customer = get_customer(customer_no)
    if customer is None:
        raise NotFound()
    return consent_public(customer)


# --- correcting invoices -----------------------------------------------------------------


def _correction_answer(outcome: corrections.Outcome, customer_no: str) -> dict[str, Any]:
    invoice = None
    if outcome.invoice is not None:
        invoice = _detail(outcome.invoice, outcome.delivery, customer_no)
    return {"status": outcome.status, "invoice": invoice, "request": outcome.request}


def correct_usage(
    principal: Principal, customer_no: str, invoice_id: str, body: Mapping[str, Any]
) -> dict[str, Any]:
    """Faktura korygująca for a consumption error (``services.corrections`` checks, bounds
    and, above the threshold, waits for a second person's approval). The original stays
    as it was; replaying the same correction creates nothing."""
    outcome = corrections.request(principal, customer_no, invoice_id, body)
    _deliver_issued(outcome)
    return _correction_answer(outcome, customer_no)


def approve_correction(principal: Principal, customer_no: str, request_id: str) -> dict[str, Any]:
    """Four-eyes: another staff login issues a correction waiting for approval."""
    outcome = corrections.approve(principal, customer_no, request_id)
    _deliver_issued(outcome)
    return _correction_answer(outcome, customer_no)


def reject_correction(principal: Principal, customer_no: str, request_id: str) -> dict[str, Any]:
    return corrections.reject(principal, customer_no, request_id)


def pending_corrections(principal: Principal) -> dict[str, Any]:
    return {"requests": corrections.pending(principal)}


def _deliver_issued(outcome: corrections.Outcome) -> None:
    inv, dlv = outcome.invoice, outcome.delivery
    if inv is None or dlv is None or inv.corrects is None:
        return
    original = store.get_invoice(inv.customer_no, inv.corrects)
    pdf = billing.render_pdf(inv, original)
    billing.store_pdf(inv, pdf)
    if inv.channel != "email":
        return
    from chalicelib.services import delivery

    sent = delivery.send_now(inv, dlv, pdf)
    if sent is not None:
        store.save_sent_batch([sent])
    else:
        billing.hand_over(inv, dlv.token)
