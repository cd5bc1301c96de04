"""Delivering invoices: e-mail (SES raw message with the PDF) for customers with e-invoice
consent, a daily paper-print batch file in S3 for the others.

At most one send per invoice: a sender first holds the delivery claim (a token written with
a condition), sends, then records ``sent``. A send that fails releases the claim and fails
its SQS message alone (``jobs._sqs.each_record``): a throttled one comes back with a growing
delay, any other is redelivered by SQS and after ``maxReceiveCount`` parked in the
dead-letter queue; an operator can redrive it from there. Nothing is lost (the
message or the delivery item says what is left to do) and nothing is sent twice (a replay
finds ``sent``, or a claim it cannot take).

After a crash (timings in ``infra/template.yaml``, checked by ``tests/unit/test_delivery_crash_timings.py``):
a claim is stale after ``STALE_CLAIM`` (300 s) < the delivery queue's visibility timeout
(360 s), so SQS's redelivery of a message whose worker died finds the claim free; 5 receives
× 360 s < the DLQ's 14-day retention. A worker that died before handing the e-mail to the
queue at all (nothing in any queue) is found by ``sweep`` (every 10 minutes): an e-mail
delivery is in the sweeper's index until it is sent.

An invoice to a buyer with a NIP is e-mailed only after KSeF accepted it (its PDF then
carries the KSeF number): until then the delivery waits as ``awaiting_ksef``; a rejected
invoice stays there until an administrator resolves it (``services.ksef``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from chalicelib.adapters import s3
from chalicelib.adapters.aws import service_errors
from chalicelib.adapters.ses import Attachment, send_email
from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain.ids import new_id
from chalicelib.observability import logger, metrics
from chalicelib.services.billing import invoice_doc, render_pdf, store_pdf
from chalicelib.store import invoices as store
from chalicelib.store.invoices import Invoice, InvoiceDelivery

# A claim whose worker died is taken over after this long: above the worker's 30 s Lambda
# timeout, below the delivery queue's 360 s visibility timeout.
STALE_CLAIM = timedelta(seconds=300)
# The sweeper re-queues a claimed e-mail after this long with no progress, and a pending one
# (whose queue message should have been done with by now: 5 receives x 360 s) after
# ``PENDING_DEADLINE``; at most ``MAX_ATTEMPTS`` sends, then it is left for an operator.
SENDING_DEADLINE = timedelta(minutes=10)
PENDING_DEADLINE = timedelta(minutes=35)
MAX_ATTEMPTS = 10


class DeliveryFailed(Exception):
    """A send that did not leave; the message is retried by SQS."""


def _email(inv: Invoice, to: str, pdf: bytes) -> str:
    """The invoice e-mail in the customer's language with the one-click unsubscribe
    headers; not sent (``preferences.UNWANTED``, recorded) when the customer switched the
    "new invoice" e-mail off: the invoice stays in e-BOK."""
    from chalicelib.render.invoice_mail import invoice_mail
    from chalicelib.services import preferences

    gate = preferences.mail_gate(inv.customer_no, "invoice_new", inv.invoice_id, to)
    if not gate.wanted:
        return preferences.UNWANTED
    mail = invoice_mail(invoice_doc(inv), gate.language, gate.unsubscribe_url)
    attachment = Attachment(f"Faktura_{inv.invoice_id}.pdf", "application/pdf", pdf)
    return send_email(
        [to],
        mail.subject,
        mail.text,
        mail.html,
        [attachment],
        headers=mail.headers,
        checked=not gate.suppressed,  # a suppressed address: the adapter skips and records
    )


def send_now(inv: Invoice, dlv: InvoiceDelivery, pdf: bytes) -> InvoiceDelivery | None:
    """The issuing worker's own attempt (it holds the claim from the invoice transaction).
    Returns the delivery to record as sent, or None when it must go through the queue."""
    if not dlv.email:
        return None
    from chalicelib.services import ksef

    if ksef.state(inv) not in ("accepted", "not_needed"):
        return None  # handed to the delivery queue, which waits for KSeF
    try:
        message_id = _email(inv, dlv.email, pdf)
    except service_errors() as exc:
        logger.warning(
            "e-invoice send failed; queued for retry",
            extra={"invoice_id": inv.invoice_id, "error": type(exc).__name__},
        )
        metrics.add_metric(name="EmailRetries", unit="Count", value=1)
        return None
    metrics.add_metric(name="InvoicesEmailed", unit="Count", value=1)
    dlv.status = "sent"
    dlv.sent_at = clock.now_iso()
    dlv.message_id = message_id
    dlv.token = None
    dlv.attempts = int(dlv.attempts or 0) + 1
    dlv.GSI1PK = None  # out of the sweeper's index
    dlv.GSI1SK = None
    return dlv


def _pdf_for(inv: Invoice) -> bytes:
    """The stored PDF, or the same PDF rendered again if its upload never happened."""
    stored = s3.get_object_or_none(settings().invoices_bucket, inv.pdf_key)
    if stored is not None:
        return stored
    corrected = store.get_invoice(inv.customer_no, inv.corrects) if inv.corrects else None
    pdf = render_pdf(inv, corrected)
    store_pdf(inv, pdf)
    return pdf


def deliver(body: Mapping[str, Any]) -> str:
    """One delivery-queue message: ``{customer_no, invoice_id, token}``."""
    customer_no, invoice_id = str(body.get("customer_no", "")), str(body.get("invoice_id", ""))
    inv, dlv = store.invoice_with_delivery(customer_no, invoice_id)
    if inv is None or dlv is None:
        logger.error("delivery for an unknown invoice dropped", extra={"invoice_id": invoice_id})
        return "unknown"
    if dlv.channel != "email" or dlv.status in ("sent", "paper_pending", "printed"):
        return "done"
    token = new_id()
    now = clock.now()
    stale_before = clock.iso(now - STALE_CLAIM)
    if not store.claim_delivery(dlv, body.get("token"), token, clock.iso(now), stale_before):
        logger.info("delivery held elsewhere or done", extra={"invoice_id": invoice_id})
        return "held"
    from chalicelib.services import ksef

    if ksef.state(inv) not in ("accepted", "not_needed"):
        # Sent only once KSeF has accepted the invoice; its acceptance hands it back.
        store.await_ksef(dlv, token, clock.now_iso())
        ksef.ensure_submitted(inv)
        return "awaiting_ksef"
    try:
        pdf = _pdf_for(inv)
        message_id = _email(inv, str(dlv.email), pdf)
    except Exception as exc:
        store.release_delivery(dlv, token, type(exc).__name__)
        metrics.add_metric(name="EmailRetries", unit="Count", value=1)
        raise DeliveryFailed(f"{invoice_id}: {type(exc).__name__}") from exc
    store.mark_sent(dlv, token, message_id, clock.now_iso())
    metrics.add_metric(name="InvoicesEmailed", unit="Count", value=1)
    return "sent"


def print_batch(day: date | None = None) -> dict[str, Any]:
    """Paper invoices issued up to ``day`` and not printed yet → one CSV for the print
    house in the invoices bucket (``print/<day>/<run>.csv``); they are then ``printed``."""
    from chalicelib.render.invoice_mail import print_batch_csv

    today = day or clock.to_warsaw(clock.now()).date()
    pending = store.pending_prints(today.isoformat())
    if not pending:
        return {"date": today.isoformat(), "printed": 0, "key": None}
    invoices = {i.invoice_id: i for i in store.invoices_of(pending)}
    rows = []
    bucket = settings().invoices_bucket
    stored: set[str] = set()
    for issued in sorted({i.issue_date for i in invoices.values()}):
        stored |= s3.list_keys(bucket, f"invoices/{issued}/")
    from chalicelib.services import ksef

    held: set[str] = set()
    for d in sorted(pending, key=lambda x: str(x.GSI1SK)):
        inv = invoices.get(d.invoice_id)
        if inv is None:
            continue
        ksef_state = ksef.state(inv)
        if ksef_state not in ("accepted", "not_needed"):
            # Printed once KSeF has numbered it (a rejected one waits for the administrator).
            if ksef_state == "pending":
                ksef.ensure_submitted(inv)
            held.add(d.invoice_id)
            continue
        if inv.pdf_key not in stored:  # its upload failed: render it again
            _pdf_for(inv)
        street, _, rest = inv.buyer["address"].rpartition(", ")
        postal, _, city = rest.partition(" ")
        rows.append(
            {
                "invoice_number": inv.number,
                "customer_no": inv.customer_no,
                "name": inv.buyer["name"],
                "street": street,
                "postal_code": postal,
                "city": city,
                "issue_date": inv.issue_date,
                "due_date": inv.due_date,
                "gross_pln": f"{int(inv.gross) / 100:.2f}",
                "pdf_key": inv.pdf_key,
            }
        )
    if not rows:
        return {"date": today.isoformat(), "printed": 0, "key": None, "held": len(held)}
    key = f"print/{today.isoformat()}/{new_id()}.csv"
    s3.put_object(bucket, key, print_batch_csv(rows), "text/csv; charset=utf-8")
    store.mark_printed([d for d in pending if d.invoice_id not in held], key)
    metrics.add_metric(name="InvoicesForPrint", unit="Count", value=len(rows))
    return {"date": today.isoformat(), "printed": len(rows), "key": key}


# --- the sweeper: hand-overs stuck past their deadline -------------------------------------------


def _sweep_one(dlv: InvoiceDelivery, now: Any) -> str | None:
    """What the sweeper does with one open delivery (None: leave it)."""
    from chalicelib.adapters import sqs

    claimed = clock.parse_iso(dlv.claimed_at) if dlv.claimed_at else None
    age = now - claimed if claimed is not None else timedelta.max
    if int(dlv.attempts or 0) >= MAX_ATTEMPTS:
        return None  # an operator's case (the DLQ and the metric say so)
    if dlv.status == "awaiting_ksef":
        inv = store.get_invoice(dlv.customer_no, dlv.invoice_id)
        from chalicelib.services import ksef

        if inv is None:
            return None
        ksef_state = ksef.state(inv)
        if ksef_state in ("accepted", "not_needed"):
            return "released" if ksef.after_acceptance(inv) else None
        if ksef_state == "pending" and age > SENDING_DEADLINE:
            ksef.ensure_submitted(inv)
            return "ksef_requeued"
        return None
    due = (dlv.status == "sending" and age > SENDING_DEADLINE) or (
        dlv.status == "pending" and age > PENDING_DEADLINE
    )
    if not due:
        return None
    body = {"customer_no": dlv.customer_no, "invoice_id": dlv.invoice_id, "token": dlv.token}
    sqs.send_batch(settings().delivery_queue, [body])
    return "requeued"


def sweep(limit: int = 100) -> dict[str, int]:
    """Deliveries (and KSeF submissions) stuck past their deadline are handed to their queue
    again. Idempotent: a re-queued message meets the delivery's claim, so an e-mail is sent
    once however often it is queued."""
    from chalicelib.services import ksef

    now = clock.now()
    counts: dict[str, int] = {}
    cutoff = clock.iso(now - min(SENDING_DEADLINE, PENDING_DEADLINE))
    for dlv in store.open_deliveries(cutoff, limit):
        if dlv.status not in ("sending", "pending", "awaiting_ksef"):
            continue
        outcome = _sweep_one(dlv, now)
        if outcome:
            counts[outcome] = counts.get(outcome, 0) + 1
    if ksef.enabled():
        counts["ksef_submissions"] = ksef.sweep(ksef.STALE_CLAIM * 2, limit)
    if counts.get("requeued"):
        logger.warning("stuck deliveries re-queued", extra={"count": counts["requeued"]})
        metrics.add_metric(name="DeliveriesSwept", unit="Count", value=counts["requeued"])
    return counts
