"""Corrections of billed consumption (faktury korygujące), bounded and accountable.

A staff member asks for a correction of an invoice's consumption. Before anything is
written the request is checked: the register belongs to one meter of the invoice, the
quantity is a finite non-negative number within what the contract could have used
(``domain.corrections.usage_bounds``), the estimate it corrects has not already been
settled by a later actual reading, no later period of the contract is invoiced yet, and
the amount is within ``correction_max_grosze``. Above ``correction_approval_grosze`` the
correction waits (a ``CorrectionRequest``) until another staff login approves it: nothing
is issued, booked or sent before that.

The correcting invoice is written in the invoicing transaction (``services.billing``):
the invoice with its state before and after, the ledger booking, the delivery, the audit
entry, the billing mark's closing reading moved by the corrected difference (the next
invoice starts from it) and, when approved, the request's pending → issued.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain import corrections as rules
from chalicelib.domain import invoices as inv_rules
from chalicelib.domain import readings as rd
from chalicelib.domain.ids import new_id
from chalicelib.domain.pricing import Priced
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
from chalicelib.services import audit, billing, four_eyes
from chalicelib.store import approvals as requests_store
from chalicelib.store import invoices as store
from chalicelib.store import readings as readings_store
from chalicelib.store.approvals import CorrectionRequest
from chalicelib.store.customers import Customer
from chalicelib.store.invoices import BillingMark, Invoice, InvoiceDelivery, Issue

STAFF = ("operator", "admin")
MESSAGES = four_eyes.Messages("invoices.request_decided", "invoices.four_eyes_same_person")


@dataclass
class Plan:
    """A validated correction, priced, before anything is written."""

    original: Invoice
    customer: Customer
    reason: str
    version: int  # corrections of the original so far
    before: dict[str, Any]
    meters: list[dict[str, Any]]  # meter rows after the correction
    after_usage: dict[str, Decimal]
    after: Priced
    difference: int  # gross grosze, after minus before
    mark: BillingMark | None


@dataclass
class Outcome:
    status: str  # issued | pending_approval
    invoice: Invoice | None = None
    delivery: InvoiceDelivery | None = None
    request: dict[str, Any] | None = None


# --- the state a correction starts from --------------------------------------------------


def _state(original: Invoice, items: list[Any]) -> tuple[int, dict[str, Any], list[dict[str, Any]]]:
    """(corrections so far, the state before this one, its meter rows)."""
    done = sorted(
        (i for i in items if isinstance(i, Invoice) and i.corrects == original.invoice_id),
        key=lambda i: (i.created_at, i.number),
    )
    if done:
        last = done[-1]
        return len(done), dict(last.state_after), list(last.meters)
    meters = list(original.meters or [])
    before = {
        "lines": original.lines,
        "rates": original.rates,
        "net": int(original.net),
        "vat": int(original.vat),
        "gross": int(original.gross),
        "usage": {k: f"{v:f}" for k, v in rules.meter_usage(meters).items()},
    }
    return 0, before, meters


def _settled(original: Invoice, meters: list[dict[str, Any]], items: list[Any]) -> None:
    """Refuse a correction the billing basis has moved past: an estimate already
    reconciled by an actual reading, or a later period already invoiced from it."""
    later = any(
        m.period > original.period for m in store.contract_marks(items, original.contract_no)
    )
    for m in meters:
        closing = m["closing"]
        if closing.get("kind") != rd.ESTIMATE:
            continue
        est = readings_store.get_reading(m["serial"], closing["key"])
        if later or (est is not None and est.reconciled_by):
            raise Unprocessable("invoices.estimate_settled", number=original.number)
    if later:
        raise Unprocessable("invoices.later_period_invoiced", number=original.number)


# --- validation ----------------------------------------------------------------------------


def _given_usage(meters: list[dict[str, Any]], given: Mapping[str, Any]) -> dict[str, Decimal]:
    billed = rules.meter_usage(meters)
    usage: dict[str, Decimal] = {}
    errors: list[FieldError] = []
    for reg, raw in given.items():
        if reg not in billed:
            errors.append(FieldError(f"usage.{reg}", "readings.unknown_register"))
        elif rules.owner_of(meters, reg) is None:
            errors.append(FieldError(f"usage.{reg}", "invoices.ambiguous_register"))
        else:
            value = rules.parse_quantity(raw)
            if value is None:
                errors.append(FieldError(f"usage.{reg}", "field.invalid"))
            else:
                usage[reg] = value
    if errors:
        raise ValidationFailed(errors=errors)
    return {**billed, **usage}


def _daily_average(original: Invoice, meters: list[dict[str, Any]]) -> dict[str, Decimal] | None:
    """The contract's own daily use per register (its actual readings of the last year)."""
    total: dict[str, Decimal] = {}
    until = date.fromisoformat(original.period_to)
    for m in meters:
        regs = list(m["usage"])
        points = [readings_store.point_of(r) for r in readings_store.history(m["serial"])]
        avg = rd.daily_average([p for p in points if p.read_on <= until], regs, until)
        for reg, v in (avg or {}).items():
            total[reg] = total.get(reg, Decimal(0)) + v
    return total or None


def _bounded(original: Invoice, meters: list[dict[str, Any]], after: dict[str, Decimal]) -> None:
    days = (
        date.fromisoformat(original.period_to) - date.fromisoformat(original.period_from)
    ).days + 1
    capacity = Decimal(original.ordered_capacity_mw) if original.ordered_capacity_mw else None
    bounds = rules.usage_bounds(
        list(after), days, capacity, _daily_average(original, meters), rules.meter_usage(meters)
    )
    problems = rules.check_usage(after, bounds)
    if problems:
        metrics.add_metric(name="CorrectionsRefused", unit="Count", value=1)
        raise Unprocessable(
            "invoices.correction_refused",
            errors=[FieldError(f"usage.{p.register}", p.key, dict(p.params)) for p in problems],
        )


def _priced_again(original: Invoice, usage: Mapping[str, Decimal]) -> Priced:
    """The original period priced with the corrected usage (unrounded quantities)."""
    from chalicelib.domain.pricing import Usage, price_period
    from chalicelib.domain.tariffs import TariffError
    from chalicelib.services import tariffs

    start, end = date.fromisoformat(original.period_from), date.fromisoformat(original.period_to)
    try:
        return price_period(
            tariffs.versions(original.tariff_group),
            start,
            end,
            Usage(dict(usage), False),
            capacity_mw=Decimal(original.ordered_capacity_mw)
            if original.ordered_capacity_mw
            else None,
            yearly_kwh=Decimal(original.yearly_kwh) if original.yearly_kwh else None,
        )
    except TariffError:
        raise ValidationFailed("invoices.not_correctable") from None


def plan(customer_no: str, invoice_id: str, usage: Mapping[str, Any], reason: str) -> Plan:
    """Everything checked and priced; nothing written."""
    if inv_rules.parse_invoice_id(invoice_id) is None:
        raise NotFound()
    items = store.billing_collection(customer_no)
    original = store.get_invoice(customer_no, invoice_id)
    customer = next((i for i in items if isinstance(i, Customer)), None)
    if original is None or customer is None:
        raise NotFound()
    if original.kind != "invoice":
        raise ValidationFailed("invoices.not_correctable")
    items = items + store.invoices_and_deliveries(customer_no)
    version, before, meters = _state(original, items)
    after_usage = _given_usage(meters, usage)
    if after_usage == {k: Decimal(v) for k, v in before["usage"].items()}:
        if version:
            raise Conflict("invoices.correction_exists")
        raise ValidationFailed("invoices.no_change")
    _settled(original, meters, items)
    _bounded(original, meters, after_usage)
    after = _priced_again(original, after_usage)
    difference = after.gross - int(before["gross"])
    if abs(difference) > settings().correction_max_grosze:
        raise Unprocessable("invoices.correction_too_large")
    return Plan(
        original=original,
        customer=customer,
        reason=reason,
        version=version,
        before=before,
        meters=rules.corrected_meters(meters, after_usage),
        after_usage=after_usage,
        after=after,
        difference=difference,
        mark=store.find_mark(items, original.contract_no, original.period),
    )


# --- requesting, approving, issuing ------------------------------------------------------


def _staff(principal: Principal) -> str:
    if principal.role not in STAFF or not principal.username:
        raise Forbidden()
    return principal.username


def request(
    principal: Principal, customer_no: str, invoice_id: str, body: Mapping[str, Any]
) -> Outcome:
    """Issue at once within the approval threshold, else wait for a second person."""
    actor = _staff(principal)
    reason = str(body.get("reason", "")).strip() or "korekta zużycia"
    p = plan(customer_no, invoice_id, body.get("usage") or {}, reason)
    if rules.needs_approval(p.difference, settings().correction_approval_grosze):
        return Outcome("pending_approval", request=_ask(p, actor))
    return _issue(p, actor, actor, None)


def _fingerprint(p: Plan) -> str:
    text = ",".join(f"{k}={v:f}" for k, v in sorted(p.after_usage.items()))
    return hashlib.sha256(f"{p.original.invoice_id}|{p.version}|{text}".encode()).hexdigest()[:20]


def request_public(r: CorrectionRequest) -> dict[str, Any]:
    return {
        "request_id": r.request_id,
        "customer_no": r.customer_no,
        "invoice_id": r.invoice_id,
        "usage_before": r.usage_before,
        "usage": r.usage,
        "reason": r.reason,
        "difference": int(r.difference_grosze),
        "requested_by": r.requested_by,
        "requested_at": r.requested_at,
        "status": r.status,
        "decided_by": r.decided_by,
        "correction_id": r.correction_id,
    }


def _ask(p: Plan, actor: str) -> dict[str, Any]:
    """A pending request (a replay of the same one returns it again), audited."""
    request_id = _fingerprint(p)
    existing = requests_store.get_request(CorrectionRequest, p.customer.customer_no, request_id)
    if existing is not None:
        return request_public(existing)
    req = requests_store.new_request(
        CorrectionRequest,
        p.customer.customer_no,
        {
            "request_id": request_id,
            "customer_no": p.customer.customer_no,
            "invoice_id": p.original.invoice_id,
            "usage": {k: f"{v:f}" for k, v in p.after_usage.items()},
            "usage_before": p.before["usage"],
            "reason": p.reason,
            "state": str(p.version),
            "difference_grosze": p.difference,
            "requested_by": actor,
            "requested_at": clock.now_iso(),
        },
    )
    if not requests_store.save_request(req):  # a request id is new: a clash is a bug
        raise RuntimeError("correction request id taken")
    audit.record(
        actor,
        "invoice.correction_requested",
        requests_store.invoice_target(p.customer.customer_no, p.original.invoice_id),
        {"usage": p.before["usage"], "gross": int(p.before["gross"])},
        {"usage": req.usage, "difference": p.difference, "reason": p.reason, "request": request_id},
    )
    metrics.add_metric(name="CorrectionsAwaitingApproval", unit="Count", value=1)
    return request_public(req)


def approve(principal: Principal, customer_no: str, request_id: str) -> Outcome:
    """The second pair of eyes: another staff login issues the requested correction,
    computed again from the current state (which must not have moved)."""
    actor = _staff(principal)
    req = four_eyes.waiting(CorrectionRequest, customer_no, request_id, MESSAGES)
    four_eyes.second_person(req, actor, MESSAGES)
    p = plan(customer_no, req.invoice_id, req.usage, req.reason)
    if str(p.version) != req.state:
        raise Conflict("invoices.request_stale")
    return _issue(p, req.requested_by, actor, req)


def reject(principal: Principal, customer_no: str, request_id: str) -> dict[str, Any]:
    actor = _staff(principal)
    req = four_eyes.waiting(CorrectionRequest, customer_no, request_id, MESSAGES)
    decided = four_eyes.reject(CorrectionRequest, req, customer_no, actor, MESSAGES)
    audit.record(
        actor,
        "invoice.correction_rejected",
        requests_store.invoice_target(customer_no, req.invoice_id),
        {"status": "pending", "request": request_id},
        {"status": "rejected"},
    )
    return request_public(decided)


def pending(principal: Principal) -> list[dict[str, Any]]:
    _staff(principal)
    return [request_public(r) for r in requests_store.pending(CorrectionRequest)]


def _issue(p: Plan, requested_by: str, approved_by: str, req: CorrectionRequest | None) -> Outcome:
    customer, original = p.customer, p.original
    issued = clock.to_warsaw(clock.now()).date()
    token, now = new_id(), clock.now_iso()
    draft = billing.CorrectionDraft(
        original=original,
        customer=customer,
        before=p.before,
        after=p.after,
        after_usage=p.after_usage,
        meters=p.meters,
        reason=p.reason,
        requested_by=requested_by,
        approved_by=approved_by,
    )
    next_period = inv_rules.Period.parse(original.period).next().key

    def make(seq: int) -> Issue:
        inv = billing.correction_invoice(draft, seq, issued, now)
        entry = audit.entry(
            approved_by,
            "invoice.correction_issued",
            requests_store.invoice_target(customer.customer_no, original.invoice_id),
            {"usage": p.before["usage"], "gross": int(p.before["gross"])},
            {
                "usage": {k: f"{v:f}" for k, v in p.after_usage.items()},
                "gross": p.after.gross,
                "difference": p.difference,
                "reason": p.reason,
                "correction": inv.invoice_id,
                "requested_by": requested_by,
                "approved_by": approved_by,
            },
        )
        guards = [store.no_mark_for(customer.customer_no, original.contract_no, next_period)]
        if p.mark is not None:
            closing = {**p.mark.closing, **{m["serial"]: m["closing"] for m in p.meters}}
            guards.append(store.corrected_mark(p.mark, closing))
        if req is not None:
            done = requests_store.correction_id_set(inv.invoice_id)
            guards.append(requests_store.approved_guard(req, "issued", approved_by, now, [done]))
        return Issue(
            invoice=inv,
            delivery=store.new_delivery(inv, customer.email, token, now),
            mark=store.correction_guard(original, f"{p.version + 1:03d}", inv.invoice_id, now),
            extras=[entry],
            credit_title=p.reason,  # a correction lowering what is due is a ledger credit
            credit_invoice_no=original.number,
            guards=guards,
        )

    try:
        written = billing.commit(make, inv_rules.CORRECTION_SERIES, billing.issue_month(issued))
    except store.IssueFailed:
        # A guard failed: the next period was invoiced, the mark or the request moved.
        raise Conflict("invoices.request_stale") from None
    if written is None:
        raise Conflict("invoices.correction_exists")
    metrics.add_metric(name="CorrectionsIssued", unit="Count", value=1)
    logger.info("correction issued", extra={"invoice_id": written.invoice.invoice_id})
    return Outcome("issued", written.invoice, written.delivery)
