"""The suspense list (konto przejściowe, admin): unmatched bank credits booked on a
customer's account or returned to the payer, and four-eyes on the large ones.

An administrator assigns a credit to a customer's account. Within the approval threshold
(``settings().correction_approval_grosze``, the one threshold of staff money actions) it
is booked at once. Above it nothing is booked: the assignment becomes a request
(``store.approvals.SuspenseRequest``, with the reason) that a *different* administrator
approves (then the credit is booked, once: the entry leaves suspense, the ledger entry is
written and the request turns ``booked`` in one transaction) or rejects with a reason
(nothing booked; the credit stays in suspense). One request waits per credit at a time;
asking again for the same account is a replay. Requesting, approving and rejecting are
audited under the bank entry (who, why, before/after).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain.principal import Principal
from chalicelib.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    Unprocessable,
    ValidationFailed,
)
from chalicelib.observability import logger, metrics
from chalicelib.services import audit, four_eyes, ledger, paging
from chalicelib.store import approvals as requests_store
from chalicelib.store import customers as customer_store
from chalicelib.store import ledger as store
from chalicelib.store.approvals import SuspenseRequest
from chalicelib.store.ledger import BankEntry, Guard

SUSPENSE = store.IN_SUSPENSE


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
        "needs_approval": e.status == SUSPENSE and _above_threshold(e),
    }


def _above_threshold(e: BankEntry) -> bool:
    """Booking this credit on an account needs a second administrator's approval."""
    return int(e.amount_grosze) > settings().correction_approval_grosze


def request_public(r: SuspenseRequest) -> dict[str, Any]:
    return {
        "request_id": r.request_id,
        "ref": r.ref,
        "customer_no": r.customer_no,
        "amount_grosze": int(r.amount_grosze),
        "currency": r.currency,
        "reason": r.reason,
        "requested_by": r.requested_by,
        "requested_at": r.requested_at,
        "status": r.status,
        "decided_by": r.decided_by,
        "decided_at": r.decided_at,
        "decision_reason": r.decision_reason,
    }


def suspense(query: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One page of the suspense list, oldest first (``limit``, ``cursor``; ``next``)."""
    page = paging.paged(
        lambda: store.suspense_page(paging.limit_of(query), paging.cursor_of(query))
    )
    return {"entries": [bank_entry_public(e) for e in page.items], "next": page.cursor}


def _actor(principal: Principal) -> str:
    if not principal.username:
        raise Forbidden()
    return principal.username


def _in_suspense(ref: str) -> BankEntry:
    entry = store.get_bank_entry(ref)
    if entry is None:
        raise NotFound()
    if entry.status != SUSPENSE:
        raise Conflict("statements.already_resolved")
    return entry


def resolve(
    principal: Principal, ref: str, action: str, customer_no: str | None, note: str | None
) -> dict[str, Any]:
    """Book a suspense credit on a customer's account (above the approval threshold: ask
    another administrator), or mark it returned to the payer."""
    actor = _actor(principal)
    entry = _in_suspense(ref)
    now = clock.now_iso()
    if action == "return":
        if _waiting(ref):  # the four-eyes process holds the credit until it decides
            raise Conflict("statements.request_open")
        if not store.return_suspense_entry(entry, by=actor, note=note or None, now=now):
            raise Conflict("statements.already_resolved")
    else:
        target = _bookable(entry, customer_no)
        if _above_threshold(entry):
            return _ask(entry, actor, target, (note or "").strip())
        _book(entry, actor, target, note, now)
    logger.info("suspense resolved", extra={"ref": ref, "action": action, "by": actor})
    updated = store.get_bank_entry(ref)
    assert updated is not None
    _audit_resolution(actor, entry, updated, action)
    return bank_entry_public(updated)


def _audit_resolution(
    actor: str,
    before: BankEntry,
    after: BankEntry,
    action: str,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Who booked a suspense credit on which account (or returned it), why, before/after."""
    audit.record(
        actor,
        "statements.suspense_returned" if action == "return" else "statements.suspense_booked",
        store.bank_entry_target(before.ref),
        {"status": before.status, "amount_grosze": int(before.amount_grosze)},
        {
            "status": after.status,
            "amount_grosze": int(after.amount_grosze),
            "customer_no": after.customer_no,
            "note": after.note,
            **(extra or {}),
        },
    )


def _bookable(entry: BankEntry, customer_no: str | None) -> str:
    """The account a credit can be booked on (checked before anything is stored)."""
    if not customer_no or customer_store.get_customer(customer_no) is None:
        raise ValidationFailed(errors=[FieldError("customer_no", "statements.unknown_customer")])
    if entry.currency != "PLN":
        raise Unprocessable("statements.currency", currency=entry.currency)
    return customer_no


def _book(
    entry: BankEntry,
    by: str,
    customer_no: str,
    note: str | None,
    now: str,
    approval: Guard | None = None,
) -> None:
    """Book a suspense credit on the chosen customer's account (once); ``approval`` adds
    the approved request's guard to the same transaction."""
    ref = entry.ref
    resolved = store.book_suspense_entry(
        ref, customer_no=customer_no, by=by, note=note or None, now=now
    )

    def guard(tx: Any) -> None:
        resolved(tx)
        if approval is not None:
            approval(tx)

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
        guard=guard,
        already_done=already_done,
    )
    if not booking.booked:
        raise Conflict("statements.already_resolved")


# --- four-eyes: a large credit assigned waits for another administrator -------------------


def request_id(ref: str, customer_no: str) -> str:
    return hashlib.sha256(f"{ref}|{customer_no}".encode()).hexdigest()[:20]


def _waiting(ref: str) -> list[SuspenseRequest]:
    return [
        r
        for r in requests_store.requests_of(SuspenseRequest, ref)
        if r.status == requests_store.PENDING
    ]


def _ask(entry: BankEntry, actor: str, customer_no: str, reason: str) -> dict[str, Any]:
    """A pending request to book ``entry`` on ``customer_no`` (nothing booked); the same
    request again returns it; another account while one waits is refused."""
    if not reason:
        raise ValidationFailed(errors=[FieldError("note", "statements.reason_required")])
    rid = request_id(entry.ref, customer_no)
    if any(r.request_id != rid for r in _waiting(entry.ref)):
        raise Conflict("statements.request_waiting")
    req = requests_store.new_request(
        SuspenseRequest,
        entry.ref,
        {
            "request_id": rid,
            "ref": entry.ref,
            "customer_no": customer_no,
            "amount_grosze": int(entry.amount_grosze),
            "currency": entry.currency,
            "reason": reason,
            "requested_by": actor,
            "requested_at": clock.now_iso(),
        },
    )
    if requests_store.save_request(req):
        audit.record(
            actor,
            "statements.suspense_requested",
            store.bank_entry_target(entry.ref),
            {"status": entry.status, "amount_grosze": int(entry.amount_grosze)},
            {"status": "pending", "customer_no": customer_no, "reason": reason, "request": rid},
        )
        metrics.add_metric(name="SuspenseBookingsAwaitingApproval", unit="Count", value=1)
    else:  # a replay: the same request, unless it was decided meanwhile
        existing = requests_store.get_request(SuspenseRequest, entry.ref, rid)
        if existing is None or existing.status != "pending":
            raise Conflict("statements.request_decided")
        req = existing
    return {**bank_entry_public(entry), "request": request_public(req)}


MESSAGES = four_eyes.Messages("statements.request_decided", "statements.four_eyes_same_person")


def approve(principal: Principal, ref: str, rid: str) -> dict[str, Any]:
    """The second pair of eyes: another administrator books the credit as requested."""
    actor = _actor(principal)
    req = four_eyes.waiting(SuspenseRequest, ref, rid, MESSAGES)
    four_eyes.second_person(req, actor, MESSAGES)
    entry = _in_suspense(ref)
    now = clock.now_iso()
    guard = requests_store.approved_guard(req, "booked", actor, now)
    _book(entry, actor, req.customer_no, req.reason, now, guard)
    logger.info("suspense request approved", extra={"ref": ref, "request": rid, "by": actor})
    updated = store.get_bank_entry(ref)
    assert updated is not None
    extra = {"request": rid, "requested_by": req.requested_by, "approved_by": actor}
    _audit_resolution(actor, entry, updated, "book", extra)
    fresh = requests_store.get_request(SuspenseRequest, ref, rid)
    return {**bank_entry_public(updated), "request": request_public(fresh or req)}


def reject(principal: Principal, ref: str, rid: str, reason: str) -> dict[str, Any]:
    """Nothing is booked; the credit stays in suspense and the reason is recorded."""
    actor = _actor(principal)
    req = four_eyes.waiting(SuspenseRequest, ref, rid, MESSAGES)
    decided = four_eyes.reject(SuspenseRequest, req, ref, actor, MESSAGES, reason)
    audit.record(
        actor,
        "statements.suspense_request_rejected",
        store.bank_entry_target(ref),
        {"status": "pending", "request": rid, "customer_no": req.customer_no},
        {"status": "rejected", "reason": reason.strip()},
    )
    return request_public(decided)


def pending(principal: Principal) -> dict[str, Any]:
    """What waits for a second administrator, oldest first."""
    _actor(principal)
    return {"requests": [request_public(r) for r in requests_store.pending(SuspenseRequest)]}
