"""Bank statements (wyciągi, camt.053): match credits to customers, book each exactly once.

Fan-out: each statement of a file is opened as an import and its credits are handed on in
pages of ``PAGE_SIZE`` (SQS, the statements queue) to workers that book them; a file that
is malformed, too large or of another account is recorded as ``rejected`` for the
administrators (and logged), never silently dropped.

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
from dataclasses import asdict
from datetime import timedelta
from typing import Any
from urllib.parse import unquote_plus

from chalicelib.adapters import s3, sqs
from chalicelib.config import settings
from chalicelib.domain import bank, camt053, clock
from chalicelib.domain.ids import new_id
from chalicelib.domain.principal import Principal
from chalicelib.errors import FieldError, ValidationFailed
from chalicelib.observability import logger, metrics
from chalicelib.services import ledger
from chalicelib.store import customers as customer_store
from chalicelib.store import ledger as store
from chalicelib.store import statements as statement_store

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
    seen = store.get_bank_entry(credit.ref)
    if seen is not None:
        _requeue_recent_notice(seen)
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


NOTICE_REPLAY_WINDOW = timedelta(days=2)
"""A statement imported again within this time re-queues its booked credits' "payment
booked" notices: a worker that died after booking and before queueing loses none (the
notices worker sends each once). Older bookings are left alone."""


def _requeue_recent_notice(entry: store.BankEntry) -> None:
    if entry.status != "booked" or not entry.customer_no or entry.matched_by == "admin":
        return
    if clock.parse_iso(entry.created_at) < clock.now() - NOTICE_REPLAY_WINDOW:
        return
    from chalicelib.services import preferences

    preferences.queue_payment_notice(entry.customer_no, "transfer", entry.ref)


PAGE_SIZE = 100
"""Credits per SQS page: a worker books one page well inside its timeout."""


def _statement_key(account: str | None, statement_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._/-]", "_", f"{account or 'ACCT'}/{statement_id}")[:200]


def _compact(account: str) -> str:
    """IBAN or NRB compared without spaces, case or the country prefix."""
    value = re.sub(r"\s+", "", account).upper()
    return value[2:] if value[:2].isalpha() else value


def _refuse(reason: str) -> ValidationFailed:
    return ValidationFailed(
        errors=[FieldError("content", "statements.invalid_file", {"reason": reason})]
    )


def read_file(data: bytes) -> camt053.StatementFile:
    """Parse and check a statement file before anything is stored: readable camt.053, and
    every statement in it of one of the utility's own accounts."""
    try:
        parsed = camt053.parse(data)
    except camt053.CamtError as exc:
        raise _refuse(str(exc)) from None
    own = {_compact(a) for a in settings().statement_accounts}
    for part in parsed.statements:
        if not part.account or _compact(part.account) not in own:
            raise ValidationFailed(
                errors=[
                    FieldError(
                        "content",
                        "statements.foreign_account",
                        {"account": (part.account or "?")[-4:]},
                    )
                ]
            )
    return parsed


def _credit_body(credit: camt053.Credit) -> dict[str, Any]:
    body = asdict(credit)
    body["references"] = list(credit.references)
    return body


def book_page(
    statement_id: str, import_no: int, page: int, credits: list[camt053.Credit]
) -> dict[str, int]:
    """Book one page of a statement's credits (idempotent: every credit by its bank
    reference, the page's counts once by its marker)."""
    counts = {BOOKED: 0, SUSPENSE: 0, DUPLICATE: 0}
    for credit in credits:
        counts[import_credit(credit, statement_id)] += 1
    if not statement_store.record_page(
        statement_id, import_no, page, counts[BOOKED], counts[SUSPENSE], counts[DUPLICATE]
    ):
        logger.info("statement page already counted", extra={"statement_id": statement_id})
    metrics.add_metric(name="StatementCreditsBooked", unit="Count", value=counts[BOOKED])
    metrics.add_metric(name="StatementCreditsSuspense", unit="Count", value=counts[SUSPENSE])
    return counts


def _import_statement(
    part: camt053.Statement, parsed: camt053.StatementFile, source_key: str | None
) -> dict[str, Any]:
    """Open the statement's import and hand its credits on in pages: a one-page statement
    is booked here at once, a longer one by the statement workers (SQS)."""
    key = _statement_key(part.account, part.statement_id)
    pages = [part.credits[i : i + PAGE_SIZE] for i in range(0, len(part.credits), PAGE_SIZE)]
    import_no = statement_store.begin_import(
        key,
        account=part.account,
        created=parsed.created,
        source_key=source_key,
        entries=len(part.credits),
        skipped=part.skipped,
        pages=len(pages),
        notes=[n for n in parsed.notes if n.startswith(part.statement_id + ":")][:50],
        now=clock.now_iso(),
    )
    counts = {BOOKED: 0, SUSPENSE: 0, DUPLICATE: 0}
    if len(pages) == 1:
        counts = book_page(key, import_no, 1, pages[0])
    elif pages:
        sqs.send_batch(
            settings().statements_queue,
            (
                {
                    "statement_page": {
                        "statement_id": key,
                        "import": import_no,
                        "page": n,
                        "credits": [_credit_body(c) for c in page],
                    }
                }
                for n, page in enumerate(pages, start=1)
            ),
        )
    return {
        "statement_id": key,
        "account": part.account,
        "entries": len(part.credits),
        "booked": counts[BOOKED],
        "suspense": counts[SUSPENSE],
        "duplicates": counts[DUPLICATE],
        "skipped": part.skipped,
        "pages": len(pages),
        "status": "booked" if len(pages) <= 1 else "queued",
    }


def import_file(data: bytes, source_key: str | None = None) -> dict[str, Any]:
    """Import a camt.053 file, every statement in it; the same file twice gives the same
    ledger as once."""
    parsed = read_file(data)
    parts = [_import_statement(part, parsed, source_key) for part in parsed.statements]
    first = parts[0]
    result = {
        "statement_id": first["statement_id"],
        "account": first["account"],
        "source_key": source_key,
        "statements": [p["statement_id"] for p in parts],
        "notes": parsed.notes[:50],
        "status": "queued" if any(p["status"] == "queued" for p in parts) else "booked",
        **{
            name: sum(int(p[name]) for p in parts)
            for name in ("entries", "booked", "suspense", "duplicates", "skipped", "pages")
        },
    }
    logger.info(
        "statement imported",
        extra={k: result[k] for k in ("statement_id", "entries", "booked", "suspense", "pages")},
    )
    return result


def upload(principal: Principal, file_name: str, content: str) -> dict[str, Any]:
    """An admin's upload: validated, kept in the statements bucket, imported at once.

    The text is turned back into the bytes its XML declaration names (ISO-8859-2 stays
    ISO-8859-2). The bucket's notification imports it once more through the queue: all
    duplicates."""
    data = camt053.as_bytes(content)
    read_file(data)
    today = clock.to_warsaw(clock.now()).date()
    safe = re.sub(r"[^\w.-]", "_", file_name)[:80]
    key = f"uploads/{today:%Y/%m}/{new_id()}-{safe}"
    s3.put_object(settings().statements_bucket, key, data, "application/xml")
    logger.info("statement uploaded", extra={"key": key, "by": principal.username})
    return import_file(data, key)


def _reject(key: str, reason: str, size: int | None) -> None:
    """A file that cannot be imported is recorded for the administrators (statement list,
    status ``rejected``, with the reason), logged as an error and counted; never dropped."""
    statement_store.reject_file(key, reason, size, clock.now_iso())
    metrics.add_metric(name="StatementRejected", unit="Count", value=1)
    logger.error("statement file rejected", extra={"key": key, "reason": reason[:200]})


def _import_object(record: dict[str, Any]) -> dict[str, Any] | None:
    bucket = record["s3"]["bucket"]["name"]
    key = unquote_plus(record["s3"]["object"]["key"])
    size = record["s3"]["object"].get("size")
    if isinstance(size, int) and size > camt053.MAX_BYTES:
        _reject(key, f"file too large (limit {camt053.MAX_BYTES} bytes)", size)
        return None
    data = s3.get_object(bucket, key)
    try:
        return import_file(data, key)
    except ValidationFailed as exc:
        reason = next((str(e.params.get("reason") or e.key) for e in exc.errors), exc.key)
        _reject(key, reason, len(data))
        return None


def handle_message(event: Any) -> list[dict[str, Any]]:
    """A statements-queue message: a page of credits to book, or an S3 event naming files."""
    if not isinstance(event, dict):
        logger.error("statements queue: message is not a JSON object")
        return []
    page = event.get("statement_page")
    if isinstance(page, dict):
        credits = [
            camt053.Credit(**{**c, "references": tuple(c.get("references") or ())})
            for c in page["credits"]
        ]
        counts = book_page(
            str(page["statement_id"]), int(page["import"]), int(page["page"]), credits
        )
        return [{"statement_id": page["statement_id"], "page": page["page"], **counts}]
    if event.get("Event") == "s3:TestEvent":
        return []
    results = []
    for record in event.get("Records", []):
        if str(record.get("eventName", "")).startswith("ObjectCreated"):
            result = _import_object(record)
            if result is not None:
                results.append(result)
    return results


def handle_queue_message(body: str) -> list[dict[str, Any]]:
    try:
        event = json.loads(body)
    except ValueError:
        logger.error("statements queue: message is not JSON")
        return []
    return handle_message(event)


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
                "status": s.status or "booked",
                "reason": s.reason,
                "pages": int(s.pages or 0),
                "pages_done": int(s.pages_done or 0),
                "notes": list(s.notes or []),
            }
            for s in store.recent_statements()
        ]
    }
