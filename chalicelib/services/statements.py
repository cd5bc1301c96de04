"""Bank statements (wyciągi, camt.053): match credits to customers, book each exactly once.

A statement arrives in the statements bucket (S3 → SQS → ``jobs.statements``) or is uploaded
by an admin. Each credit is matched by the virtual account it was paid into, then by an
invoice number in the transfer title. Matched credits are booked on the customer's ledger;
the rest wait in the suspense list (konto przejściowe) until an admin books or returns
them. The bank's entry reference is the idempotency key: the ``BANKENTRY#<ref>`` item is
created in the same transaction as the booking, so importing a file again changes nothing.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote_plus

from chalicelib.adapters import s3
from chalicelib.config import settings
from chalicelib.domain import bank, camt053, clock
from chalicelib.domain.ids import new_id
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, FieldError, NotFound, Unprocessable, ValidationFailed
from chalicelib.observability import logger, metrics
from chalicelib.services import ledger
from chalicelib.store import customers as customer_store
from chalicelib.store import ledger as store
from chalicelib.store.ledger import BankEntry

BOOKED, SUSPENSE, DUPLICATE = store.BOOKED, store.IN_SUSPENSE, "duplicate"


def match(credit: camt053.Credit) -> tuple[str | None, str | None]:
    """(customer number, how) for a credit: its virtual account, then an invoice number."""
    cfg = settings()
    if credit.account:
        customer_no = bank.customer_no_from_nrb(
            credit.account, cfg.bank_sort_code, cfg.payee_prefix
        )
        if customer_no and customer_store.get_customer(customer_no) is not None:
            return customer_no, "virtual_account"
    for candidate in camt053.invoice_candidates(credit.title):
        customer_no = store.customer_of_invoice(candidate)
        if customer_no:
            return customer_no, "invoice_no"
    return None, None


def import_credit(credit: camt053.Credit, statement_id: str) -> str:
    """Book one credit or put it in suspense; ``duplicate`` when seen before."""
    if store.get_bank_entry(credit.ref) is not None:
        return DUPLICATE
    now = clock.now_iso()
    customer_no, matched_by = match(credit) if credit.currency == "PLN" else (None, None)
    if customer_no:
        booking = ledger.book_credit(
            customer_no,
            credit.amount_grosze,
            kind="transfer",
            ref=credit.ref,
            value_date=credit.value_date,
            title=credit.title[:200] or None,
            source="bank",
            guard=store.add_booked_bank_entry(
                credit, statement_id, now, customer_no=customer_no, matched_by=matched_by
            ),
            already_done=lambda: store.get_bank_entry(credit.ref) is not None,
        )
        return BOOKED if booking.booked else DUPLICATE
    return SUSPENSE if store.park_in_suspense(credit, statement_id, now) else DUPLICATE


def _statement_key(parsed: camt053.StatementFile) -> str:
    return re.sub(r"[^A-Za-z0-9._/-]", "_", f"{parsed.account or 'ACCT'}/{parsed.statement_id}")[
        :200
    ]


def import_file(data: bytes, source_key: str | None = None) -> dict[str, Any]:
    """Import a camt.053 file; the same file twice gives the same ledger as once."""
    try:
        parsed = camt053.parse(data)
    except camt053.CamtError as exc:
        raise ValidationFailed(
            errors=[FieldError("content", "statements.invalid_file", {"reason": str(exc)})]
        ) from None
    counts = {BOOKED: 0, SUSPENSE: 0, DUPLICATE: 0}
    for credit in parsed.credits:
        counts[import_credit(credit, parsed.statement_id)] += 1
    statement_id = _statement_key(parsed)
    store.record_statement_import(
        statement_id,
        account=parsed.account,
        created=parsed.created,
        source_key=source_key,
        entries=len(parsed.credits),
        booked=counts[BOOKED],
        suspense=counts[SUSPENSE],
        duplicates=counts[DUPLICATE],
        skipped=parsed.skipped,
        now=clock.now_iso(),
    )
    metrics.add_metric(name="StatementCreditsBooked", unit="Count", value=counts[BOOKED])
    metrics.add_metric(name="StatementCreditsSuspense", unit="Count", value=counts[SUSPENSE])
    logger.info("statement imported", extra={"statement_id": statement_id, **counts})
    return {
        "statement_id": statement_id,
        "account": parsed.account,
        "entries": len(parsed.credits),
        "booked": counts[BOOKED],
        "suspense": counts[SUSPENSE],
        "duplicates": counts[DUPLICATE],
        "skipped": parsed.skipped,
        "source_key": source_key,
    }


def upload(principal: Principal, file_name: str, content: str) -> dict[str, Any]:
    """An admin's upload: validated, kept in the statements bucket, imported at once.

    The bucket's notification imports it once more through the queue: all duplicates."""
    data = content.encode("utf-8")
    try:
        camt053.parse(data)
    except camt053.CamtError as exc:
        raise ValidationFailed(
            errors=[FieldError("content", "statements.invalid_file", {"reason": str(exc)})]
        ) from None
    today = clock.to_warsaw(clock.now()).date()
    safe = re.sub(r"[^\w.-]", "_", file_name)[:80]
    key = f"uploads/{today:%Y/%m}/{new_id()}-{safe}"
    s3.put_object(settings().statements_bucket, key, data, "application/xml")
    logger.info("statement uploaded", extra={"key": key, "by": principal.username})
    return import_file(data, key)


def handle_queue_message(body: str) -> list[dict[str, Any]]:
    """An S3 event delivered through SQS: import every created object it names.

    A file that is not camt.053 is logged and dropped (retrying cannot fix it)."""
    try:
        event = json.loads(body)
    except ValueError:
        logger.error("statements queue: message is not JSON")
        return []
    if event.get("Event") == "s3:TestEvent":
        return []
    results = []
    for record in event.get("Records", []):
        if not str(record.get("eventName", "")).startswith("ObjectCreated"):
            continue
        bucket = record["s3"]["bucket"]["name"]
        key = unquote_plus(record["s3"]["object"]["key"])
        data = s3.get_object(bucket, key)
        try:
            results.append(import_file(data, key))
        except ValidationFailed:
            metrics.add_metric(name="StatementRejected", unit="Count", value=1)
            logger.error("statements queue: not a camt.053 file", extra={"key": key})
    return results


# --- suspense list (admin) ----------------------------------------------------------


def bank_entry_public(e: BankEntry) -> dict[str, Any]:
    return {
        "ref": e.ref,
        "amount_grosze": int(e.amount_grosze),
        "currency": e.currency,
        "booking_date": e.booking_date,
        "value_date": e.value_date,
        "account": e.account,
        "debtor_name": e.debtor_name,
        "debtor_account": e.debtor_account,
        "title": e.title,
        "status": e.status,
        "matched_by": e.matched_by,
        "customer_no": e.customer_no,
        "statement_id": e.statement_id,
        "resolved_by": e.resolved_by,
        "resolved_at": e.resolved_at,
        "note": e.note,
    }


def suspense() -> dict[str, Any]:
    return {"entries": [bank_entry_public(e) for e in store.suspense_entries()]}


def statements() -> dict[str, Any]:
    return {
        "statements": [
            {
                "statement_id": s.statement_id,
                "account": s.account,
                "entries": int(s.entries),
                "booked": int(s.booked),
                "suspense": int(s.suspense),
                "duplicates": int(s.duplicates),
                "skipped": int(s.skipped),
                "source_key": s.source_key,
                "imports": int(s.imports),
                "imported_at": s.imported_at,
            }
            for s in store.recent_statements()
        ]
    }


def resolve(
    principal: Principal, ref: str, action: str, customer_no: str | None, note: str | None
) -> dict[str, Any]:
    """Book a suspense credit on a customer's account, or mark it returned to the payer."""
    entry = store.get_bank_entry(ref)
    if entry is None:
        raise NotFound()
    if entry.status != SUSPENSE:
        raise Conflict("statements.already_resolved")
    now = clock.now_iso()
    if action == "return":
        if not store.return_suspense_entry(
            entry, by=principal.username, note=note or None, now=now
        ):
            raise Conflict("statements.already_resolved")
    else:
        _book_suspense(entry, principal.username, customer_no, note, now)
    logger.info("suspense resolved", extra={"ref": ref, "action": action, "by": principal.username})
    updated = store.get_bank_entry(ref)
    assert updated is not None
    return bank_entry_public(updated)


def _book_suspense(
    entry: BankEntry, by: str, customer_no: str | None, note: str | None, now: str
) -> None:
    """Book a suspense credit on the chosen customer's account (once)."""
    if not customer_no or customer_store.get_customer(customer_no) is None:
        raise ValidationFailed(errors=[FieldError("customer_no", "statements.unknown_customer")])
    if entry.currency != "PLN":
        raise Unprocessable("statements.currency", currency=entry.currency)
    ref = entry.ref

    def already_done() -> bool:
        current = store.get_bank_entry(ref)
        return current is None or current.status != SUSPENSE

    booking = ledger.book_credit(
        customer_no,
        int(entry.amount_grosze),
        kind="transfer",
        ref=ref,
        value_date=entry.value_date,
        title=(entry.title or "")[:200] or None,
        source="bank",
        guard=store.book_suspense_entry(
            ref, customer_no=customer_no, by=by, note=note or None, now=now
        ),
        already_done=already_done,
    )
    if not booking.booked:
        raise Conflict("statements.already_resolved")
