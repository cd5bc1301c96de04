"""KSeF (Krajowy System e-Faktur): the FA(3) XML of an invoice, its submission to KSeF API
2.0 (``adapters.ksef``), and the customer's download of the XML.

Every invoice and correcting invoice whose buyer has a NIP has its FA(3) XML; a consumer
gets it on request (the download). The XML is built from the frozen invoice only (its
creation time is the invoice's), so building it again gives the same bytes and the same
SHA-256: the hash the KOD I link carries (``services.ksef_pdf``).

Submission (``ksef`` queue, ``jobs.ksef``): ``{"kind": "submit"|"poll", customer_no,
invoice_id}``. ``submit`` claims the submission item (``store.ksef``), authenticates with
the KSeF token, opens an online session, sends the encrypted file and records the
references; ``poll`` asks for the invoice's status: 200 stores the KSeF number and the UPO
(S3, beside the PDF) and releases the invoice's e-mail (rendered again with the number);
a rejection (4xx status) parks the submission for an administrator with KSeF's reason and
the e-mail waits (``delivery.awaiting_ksef``); still processing (100/150) asks again later.
A replayed message finds the item's state and changes nothing. KSeF unreachable: the
message fails and SQS retries it (then its DLQ); the sweeper re-queues what is stuck.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain import invoices as rules
from chalicelib.domain.ids import new_id
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, NotFound
from chalicelib.observability import logger, metrics
from chalicelib.services import billing
from chalicelib.services.access import require_customer
from chalicelib.services.ksef_pdf import needs_ksef, xml_of
from chalicelib.store import invoices as store
from chalicelib.store import ksef as ksef_store
from chalicelib.store.invoices import Invoice
from chalicelib.store.ksef import KsefSubmission

__all__ = ["needs_ksef"]

# A submitter that died holding its claim is replaced after this long (< the ksef queue's
# visibility timeout, 180 s, so SQS's redelivery finds the claim free).
STALE_CLAIM = timedelta(seconds=120)
POLL_DELAY_S = 5
XML_LINK_SECONDS = 300


def fa3_xml(inv: Invoice) -> bytes:
    corrected = store.get_invoice(inv.customer_no, inv.corrects) if inv.corrects else None
    return xml_of(billing.invoice_doc(inv, corrected), inv, corrected)


def xml_key(inv: Invoice) -> str:
    return inv.pdf_key.removesuffix(".pdf") + ".xml"


def stored_xml(inv: Invoice) -> bytes:
    """The XML in the invoices bucket, written the first time it is needed."""
    from chalicelib.adapters import s3

    bucket = settings().invoices_bucket
    xml = s3.get_object_or_none(bucket, xml_key(inv))
    if xml is None:
        xml = fa3_xml(inv)
        s3.put_object(bucket, xml_key(inv), xml, "application/xml")
    return xml


def xml_link(principal: Principal, customer_no: str, invoice_id: str) -> dict[str, Any]:
    """A presigned link to the invoice's FA(3) XML (another customer's invoice: 404)."""
    from chalicelib.adapters import s3

    require_customer(principal, customer_no)
    if rules.parse_invoice_id(invoice_id) is None:
        raise NotFound()
    inv = store.get_invoice(customer_no, invoice_id)
    if inv is None:
        raise NotFound()
    stored_xml(inv)
    name = f"Faktura_{inv.invoice_id}.xml"
    url = s3.presigned_get(
        settings().invoices_bucket, xml_key(inv), expires_s=XML_LINK_SECONDS, filename=name
    )
    return {"url": url, "expires_in": XML_LINK_SECONDS, "filename": name}


# --- submission ---------------------------------------------------------------------------------


def enabled() -> bool:
    return bool(settings().ksef_api_url)


def client() -> Any:
    from chalicelib.adapters.ksef import KsefClient

    s = settings()
    return KsefClient(s.ksef_api_url, s.ksef_token, s.seller_nip)


def _message(kind: str, customer_no: str, invoice_id: str) -> dict[str, str]:
    return {"kind": kind, "customer_no": customer_no, "invoice_id": invoice_id}


def _queue(kind: str, customer_no: str, invoice_id: str, delay_s: int = 0) -> None:
    from chalicelib.adapters import sqs

    sqs.send_batch(settings().ksef_queue, [_message(kind, customer_no, invoice_id)], delay_s)


def state(inv: Invoice) -> str:
    """Where a KSeF invoice stands for its delivery: ``accepted``, ``rejected``, ``pending``
    (submitted or not yet); ``not_needed`` for a consumer or with KSeF off."""
    if not enabled() or not needs_ksef(inv):
        return "not_needed"
    sub = ksef_store.get(inv.customer_no, inv.invoice_id)
    if sub is None:
        return "pending"
    return sub.status if sub.status in ksef_store.FINAL else "pending"


def ensure_submitted(inv: Invoice) -> str:
    """The invoice's submission exists and a message for it is queued; idempotent (a second
    call only queues again what is not final, which the claim makes harmless)."""
    sub = ksef_store.get(inv.customer_no, inv.invoice_id)
    if sub is None:
        from chalicelib.domain.ksef import xml_hash_b64url

        xml = stored_xml(inv)
        sub = ksef_store.create(
            inv.customer_no, inv.invoice_id, xml_hash_b64url(xml), clock.now_iso()
        )
        sub = sub or ksef_store.get(inv.customer_no, inv.invoice_id)
    if sub is None or sub.status in ksef_store.FINAL:
        return sub.status if sub else "pending"
    _queue("poll" if sub.status == "sent" else "submit", inv.customer_no, inv.invoice_id)
    return "queued"


def handle(body: Any) -> str:
    """One ``ksef`` queue message."""
    if not isinstance(body, dict) or body.get("kind") not in ("submit", "poll"):
        logger.error("malformed ksef message dropped")
        return "dropped"
    customer_no, invoice_id = str(body.get("customer_no", "")), str(body.get("invoice_id", ""))
    inv = store.get_invoice(customer_no, invoice_id) if rules.parse_invoice_id(invoice_id) else None
    sub = ksef_store.get(customer_no, invoice_id) if inv is not None else None
    if inv is None or sub is None:
        logger.error("ksef message for an unknown submission", extra={"invoice_id": invoice_id})
        return "unknown"
    if sub.status in ksef_store.FINAL:
        return sub.status  # a replay: nothing changes
    if sub.status == "sent":
        return poll(inv, sub)
    return submit(inv, sub)


def submit(inv: Invoice, sub: KsefSubmission) -> str:
    from chalicelib.adapters.ksef import KsefRefused, refusal_reason

    now = clock.now()
    token = new_id()
    if not ksef_store.claim(sub, token, clock.iso(now), clock.iso(now - STALE_CLAIM)):
        return "held"
    xml = stored_xml(inv)
    api = client()
    try:
        session = api.open_session()
        invoice_ref = api.send_invoice(session, xml)
    except KsefRefused as exc:
        # The request itself was refused (e.g. the token has no right to send): parked.
        ksef_store.record_rejected(sub, refusal_reason(exc), clock.now_iso())
        metrics.add_metric(name="KsefRejected", unit="Count", value=1)
        logger.error("KSeF refused the submission", extra={"invoice_id": inv.invoice_id})
        return "rejected"
    except Exception:
        ksef_store.release(sub, token, clock.now_iso())
        raise
    ksef_store.record_sent(sub, token, session.reference, invoice_ref, clock.now_iso())
    try:
        api.close_session(session.reference)
    except Exception:  # the session closes itself at validUntil; the invoice is in
        logger.warning("KSeF session not closed", extra={"invoice_id": inv.invoice_id})
    _queue("poll", inv.customer_no, inv.invoice_id, POLL_DELAY_S)
    metrics.add_metric(name="KsefSubmitted", unit="Count", value=1)
    return "sent"


def poll(inv: Invoice, sub: KsefSubmission) -> str:
    status = client().invoice_status(str(sub.session_ref), str(sub.invoice_ref))
    if status.in_progress:
        _queue("poll", inv.customer_no, inv.invoice_id, POLL_DELAY_S * 2)
        return "processing"
    if status.code == 200 and status.ksef_number:
        return _accepted(inv, sub, status.ksef_number, fetch_upo=True)
    if status.code == 440 and (status.extensions or {}).get("originalKsefNumber"):
        # KSeF has this very file already (an earlier attempt whose answer was lost).
        return _accepted(inv, sub, str(status.extensions["originalKsefNumber"]), fetch_upo=False)  # type: ignore[index]
    if status.code in (500, 550):
        ksef_store.requeue(sub, clock.now_iso(), None, "sent")
        _queue("submit", inv.customer_no, inv.invoice_id, POLL_DELAY_S)
        return "requeued"
    reason = {
        "code": status.code,
        "description": status.description,
        "details": list(status.details),
    }
    if ksef_store.record_rejected(sub, reason, clock.now_iso()):
        metrics.add_metric(name="KsefRejected", unit="Count", value=1)
        logger.error(
            "KSeF rejected an invoice; parked for an administrator",
            extra={"invoice_id": inv.invoice_id, "code": status.code},
        )
    return "rejected"


def _accepted(inv: Invoice, sub: KsefSubmission, number: str, fetch_upo: bool) -> str:
    from chalicelib.adapters import s3

    upo_key = None
    if fetch_upo:
        upo = client().invoice_upo(str(sub.session_ref), str(sub.invoice_ref))
        upo_key = inv.pdf_key.removesuffix(".pdf") + ".upo.xml"
        s3.put_object(settings().invoices_bucket, upo_key, upo, "application/xml")
    if ksef_store.record_accepted(sub, number, upo_key, clock.now_iso()):
        metrics.add_metric(name="KsefAccepted", unit="Count", value=1)
        logger.info("KSeF accepted an invoice", extra={"invoice_id": inv.invoice_id})
    after_acceptance(inv)
    return "accepted"


def after_acceptance(inv: Invoice) -> bool:
    """The PDF again with the KSeF number, then the e-mail waiting for it to the delivery
    queue (once: the delivery's ``awaiting_ksef`` → ``pending`` is conditional). Called
    again by the sweeper after a crash between the two."""
    corrected = store.get_invoice(inv.customer_no, inv.corrects) if inv.corrects else None
    billing.store_pdf(inv, billing.render_pdf(inv, corrected))
    _, dlv = store.invoice_with_delivery(inv.customer_no, inv.invoice_id)
    if dlv is None or not store.release_after_ksef(dlv, clock.now_iso()):
        return False
    billing.hand_over(inv, None)
    return True


# --- administration: rejected invoices ------------------------------------------------------


def _rejected_view(sub: KsefSubmission) -> dict[str, Any]:
    return {
        "customer_no": sub.customer_no,
        "invoice_id": sub.invoice_id,
        "status": sub.status,
        "reason": sub.reason or {},
        "attempts": int(sub.attempts or 0),
        "updated_at": sub.updated_at,
    }


def rejected_list() -> dict[str, Any]:
    return {"rejected": [_rejected_view(s) for s in ksef_store.rejected()]}


def resubmit(admin: Principal, customer_no: str, invoice_id: str) -> dict[str, Any]:
    """An administrator sends a rejected invoice again (after fixing what KSeF named); the
    audit log has who did it. A second call finds it queued already (409)."""
    from chalicelib.services import audit

    sub = ksef_store.get(customer_no, invoice_id) if rules.parse_invoice_id(invoice_id) else None
    if sub is None:
        raise NotFound()
    if sub.status != "rejected" or not ksef_store.requeue(
        sub, clock.now_iso(), admin.username, "rejected"
    ):
        raise Conflict("ksef.not_rejected")
    audit.record(
        admin.username,
        "ksef.resubmit",
        f"invoice:{customer_no}/{invoice_id}",
        {"status": "rejected", "reason": sub.reason},
        {"status": "queued"},
    )
    _queue("submit", customer_no, invoice_id)
    return _rejected_view(ksef_store.get(customer_no, invoice_id) or sub)


def sweep(cutoff_age: timedelta, limit: int = 100) -> int:
    """Submissions stuck past their deadline are queued again (the claim keeps it safe)."""
    cutoff = clock.iso(clock.now() - cutoff_age)
    n = 0
    for sub in ksef_store.open_before(cutoff, limit):
        if sub.status in ksef_store.FINAL:
            continue
        _queue("poll" if sub.status == "sent" else "submit", sub.customer_no, sub.invoice_id)
        n += 1
    return n
