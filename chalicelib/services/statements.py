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

from pynamodb.exceptions import PutError, UpdateError

from chalicelib import i18n
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
from chalicelib.store.base import Item
from chalicelib.store.ledger import BankEntry, Statement

i18n.register(
    {
        "statements.invalid_file": (
            "Plik nie jest poprawnym wyciągiem camt.053: {reason}",
            "The file is not a valid camt.053 statement: {reason}",
        ),
        "statements.already_resolved": (
            "Ta wpłata została już rozliczona.",
            "This credit has already been resolved.",
        ),
        "statements.unknown_customer": (
            "Nie ma klienta o tym numerze.",
            "No customer with this number.",
        ),
        "statements.currency": (
            "Wpłatę w walucie {currency} można tylko zwrócić.",
            "A credit in {currency} can only be returned.",
        ),
    }
)

BOOKED, SUSPENSE, DUPLICATE = "booked", "suspense", "duplicate"


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


def _bank_entry(credit: camt053.Credit, statement_id: str, now: str) -> BankEntry:
    return BankEntry(
        store.bank_entry_pk(credit.ref),
        "ENTRY",
        ref=credit.ref,
        amount_grosze=credit.amount_grosze,
        currency=credit.currency,
        booking_date=credit.booking_date,
        value_date=credit.value_date,
        account=credit.account,
        debtor_name=credit.debtor_name,
        debtor_account=credit.debtor_account,
        title=credit.title[:500] or None,
        status=SUSPENSE,
        statement_id=statement_id,
        created_at=now,
    )


def import_credit(credit: camt053.Credit, statement_id: str) -> str:
    """Book one credit or put it in suspense; ``duplicate`` when seen before."""
    if store.get_bank_entry(credit.ref) is not None:
        return DUPLICATE
    now = clock.now_iso()
    entry = _bank_entry(credit, statement_id, now)
    customer_no, matched_by = match(credit) if credit.currency == "PLN" else (None, None)
    if customer_no:
        entry.status = BOOKED
        entry.customer_no = customer_no
        entry.matched_by = matched_by
        booking = ledger.book_credit(
            customer_no,
            credit.amount_grosze,
            kind="transfer",
            ref=credit.ref,
            value_date=credit.value_date,
            title=credit.title[:200] or None,
            source="bank",
            guard=lambda tx: tx.save(entry, condition=Item.PK.does_not_exist()),
            already_done=lambda: store.get_bank_entry(credit.ref) is not None,
        )
        return BOOKED if booking.booked else DUPLICATE
    entry.GSI1PK = store.SUSPENSE
    entry.GSI1SK = f"{credit.booking_date}#{credit.ref}"
    try:
        entry.save(condition=Item.PK.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return DUPLICATE
        raise
    return SUSPENSE


def _set_or_remove(attribute: Any, value: str | None) -> list[Any]:
    """An update action for a nullable attribute (DynamoDB has no SET to null)."""
    return [attribute.remove() if value is None else attribute.set(value)]


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
    now = clock.now_iso()
    Statement(f"STATEMENT#{statement_id}", "STATEMENT").update(
        actions=[
            Statement.type.set(Statement),  # type: ignore[arg-type]
            Statement.statement_id.set(statement_id),
            *_set_or_remove(Statement.account, parsed.account),
            *_set_or_remove(Statement.created, parsed.created),
            *_set_or_remove(Statement.source_key, source_key),
            Statement.entries.set(len(parsed.credits)),
            Statement.booked.set(counts[BOOKED]),
            Statement.suspense.set(counts[SUSPENSE]),
            Statement.duplicates.set(counts[DUPLICATE]),
            Statement.skipped.set(parsed.skipped),
            Statement.imports.add(1),
            Statement.imported_at.set(now),
            Statement.GSI1PK.set(store.STATEMENTS),
            Statement.GSI1SK.set(f"{now}#{statement_id}"),
        ]
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
    resolved = [
        BankEntry.resolved_by.set(principal.username),
        BankEntry.resolved_at.set(now),
        *_set_or_remove(BankEntry.note, note or None),
        BankEntry.GSI1PK.remove(),
        BankEntry.GSI1SK.remove(),
    ]
    if action == "return":
        try:
            entry.update(
                actions=[BankEntry.status.set("returned"), *resolved],
                condition=BankEntry.status == SUSPENSE,
            )
        except UpdateError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                raise Conflict("statements.already_resolved") from None
            raise
    else:
        if not customer_no or customer_store.get_customer(customer_no) is None:
            raise ValidationFailed(
                errors=[FieldError("customer_no", "statements.unknown_customer")]
            )
        if entry.currency != "PLN":
            raise Unprocessable("statements.currency", currency=entry.currency)
        target = customer_no

        def guard(tx: Any) -> None:
            tx.update(
                BankEntry(store.bank_entry_pk(ref), "ENTRY"),
                actions=[
                    BankEntry.status.set(BOOKED),
                    BankEntry.customer_no.set(target),
                    BankEntry.matched_by.set("admin"),
                    *resolved,
                ],
                condition=BankEntry.status == SUSPENSE,
            )

        def already_done() -> bool:
            current = store.get_bank_entry(ref)
            return current is None or current.status != SUSPENSE

        booking = ledger.book_credit(
            target,
            int(entry.amount_grosze),
            kind="transfer",
            ref=ref,
            value_date=entry.value_date,
            title=(entry.title or "")[:200] or None,
            source="bank",
            guard=guard,
            already_done=already_done,
        )
        if not booking.booked:
            raise Conflict("statements.already_resolved")
    logger.info("suspense resolved", extra={"ref": ref, "action": action, "by": principal.username})
    updated = store.get_bank_entry(ref)
    assert updated is not None
    return bank_entry_public(updated)
