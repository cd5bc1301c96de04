"""Four-eyes on staff bookings (issue 13, "what to build" 1): a ledger correction or a refund
above the approval threshold (``settings().correction_approval_grosze``, the same as an
invoice correction's) is not booked: it waits as a request (``LedgerRequest``) until
another administrator approves it; the requester cannot. The request is checked as the
booking would be (the customer, the reference not booked yet, a refund within the
overpayment) and again when approved. Requesting, approving and rejecting are audited; the
booking itself is audited by ``services.ledger`` (who asked, who approved, why, the balance
before and after). Replays: the same request (kind + reference) finds the same item."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from chalicelib.observability import metrics
from chalicelib.services import audit, four_eyes, ledger
from chalicelib.store import approvals as store
from chalicelib.store import customers as customer_store
from chalicelib.store import ledger as ledger_store
from chalicelib.store.approvals import LedgerRequest

KINDS = ("correction", "refund")
MESSAGES = four_eyes.Messages("ledger.request_decided", "ledger.four_eyes_same_person")


@dataclass(frozen=True)
class StaffBooking:
    """What a staff booking came to: ``booked`` (with the balance after) or
    ``pending_approval`` (nothing booked; ``request`` says what waits)."""

    status: str
    balance: int
    allocations: tuple[Any, ...] = ()
    request: dict[str, Any] | None = field(default=None)


def _actor(principal: Principal) -> str:
    if not principal.username:
        raise Forbidden()
    return principal.username


def request_id(kind: str, reference: str) -> str:
    return hashlib.sha256(f"{kind}|{reference}".encode()).hexdigest()[:20]


def request_public(r: LedgerRequest) -> dict[str, Any]:
    return {
        "request_id": r.request_id,
        "customer_no": r.customer_no,
        "kind": r.kind,
        "reference": r.reference,
        "amount_grosze": int(r.amount_grosze),
        "invoice_no": r.invoice_no,
        "reason": r.reason,
        "requested_by": r.requested_by,
        "requested_at": r.requested_at,
        "status": r.status,
        "decided_by": r.decided_by,
        "decided_at": r.decided_at,
    }


def book(
    principal: Principal, customer_no: str, kind: str, body: Mapping[str, Any]
) -> StaffBooking:
    """A correction or refund by an administrator: booked at once within the threshold,
    else a request for another administrator's approval."""
    actor = _actor(principal)
    amount = int(body["amount_grosze"])
    if amount <= settings().correction_approval_grosze:
        result = _book(customer_no, kind, body, actor, None)
        return StaffBooking("booked", result.balance, result.allocations)
    return _ask(customer_no, kind, body, actor)


def _book(
    customer_no: str,
    kind: str,
    body: Mapping[str, Any],
    actor: str,
    approval: ledger.Approval | None,
) -> ledger.Booking:
    if kind == "refund":
        return ledger.record_refund(
            customer_no,
            reference=str(body["reference"]),
            amount_grosze=int(body["amount_grosze"]),
            reason=body.get("reason"),
            actor=actor,
            approval=approval,
        )
    return ledger.record_correction(
        customer_no,
        reference=str(body["reference"]),
        amount_grosze=int(body["amount_grosze"]),
        invoice_no=body.get("invoice_no"),
        reason=body.get("reason"),
        actor=actor,
        approval=approval,
    )


def _check(customer_no: str, kind: str, reference: str, amount: int) -> None:
    """What the booking would refuse, refused when it is asked for (nothing stored)."""
    if customer_store.get_customer(customer_no) is None:
        raise NotFound()
    if ledger_store.entry_exists(customer_no, kind, reference):
        raise Conflict("ledger.duplicate_reference")
    if kind == "refund":
        overpayment = max(0, -ledger_store.current_balance(customer_no))
        if amount > overpayment:
            from chalicelib.domain.money import format_pln

            raise ValidationFailed(
                errors=[
                    FieldError(
                        "amount_grosze",
                        "ledger.refund_too_large",
                        {"overpayment": format_pln(overpayment)},
                    )
                ]
            )


def _ask(customer_no: str, kind: str, body: Mapping[str, Any], actor: str) -> StaffBooking:
    reference, amount = str(body["reference"]), int(body["amount_grosze"])
    _check(customer_no, kind, reference, amount)
    rid = request_id(kind, reference)
    fields = {
        "request_id": rid,
        "customer_no": customer_no,
        "kind": kind,
        "reference": reference,
        "amount_grosze": amount,
        "invoice_no": body.get("invoice_no"),
        "reason": str(body.get("reason") or ""),
        "requested_by": actor,
        "requested_at": clock.now_iso(),
    }
    req = store.new_request(LedgerRequest, customer_no, fields)
    if not store.save_request(req):
        existing = store.get_request(LedgerRequest, customer_no, rid)
        same = existing is not None and (
            int(existing.amount_grosze),
            existing.invoice_no,
            existing.status,
        ) == (amount, fields["invoice_no"], "pending")
        if not same or existing is None:
            raise Conflict("ledger.duplicate_reference")
        req = existing  # a replay of the same request
    else:
        audit.record(
            actor,
            f"ledger.{kind}_requested",
            customer_store.customer_target(customer_no),
            None,
            {k: v for k, v in request_public(req).items() if v is not None},
        )
        metrics.add_metric(name="LedgerBookingsAwaitingApproval", unit="Count", value=1)
    balance = ledger_store.current_balance(customer_no)
    return StaffBooking("pending_approval", balance, (), request_public(req))


def approve(principal: Principal, customer_no: str, rid: str) -> StaffBooking:
    """The second pair of eyes: another administrator books the requested correction or
    refund (checked again on the current balance); the request turns ``booked`` in the
    booking's own transaction."""
    actor = _actor(principal)
    req = four_eyes.waiting(LedgerRequest, customer_no, rid, MESSAGES)
    four_eyes.second_person(req, actor, MESSAGES)
    approval = ledger.Approval(
        by=actor,
        guard=store.approved_guard(req, "booked", actor, clock.now_iso()),
        already_done=lambda: store.is_decided(LedgerRequest, customer_no, rid),
    )
    body = {
        "reference": req.reference,
        "amount_grosze": int(req.amount_grosze),
        "invoice_no": req.invoice_no,
        "reason": req.reason,
    }
    result = _book(customer_no, req.kind, body, req.requested_by, approval)
    fresh = store.get_request(LedgerRequest, customer_no, rid)
    return StaffBooking("booked", result.balance, result.allocations, request_public(fresh or req))


def reject(principal: Principal, customer_no: str, rid: str) -> dict[str, Any]:
    actor = _actor(principal)
    req = four_eyes.waiting(LedgerRequest, customer_no, rid, MESSAGES)
    decided = four_eyes.reject(LedgerRequest, req, customer_no, actor, MESSAGES)
    audit.record(
        actor,
        f"ledger.{req.kind}_rejected",
        customer_store.customer_target(customer_no),
        {"status": "pending", "request_id": rid},
        {"status": "rejected"},
    )
    return request_public(decided)


def pending(principal: Principal) -> dict[str, Any]:
    _actor(principal)
    return {"requests": [request_public(r) for r in store.pending(LedgerRequest)]}
