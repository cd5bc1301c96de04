"""Ledger use cases: invoice debits, payment credits, corrections, refunds, balances.

Contract with invoicing: ``record_invoice_in(tx, ...)`` adds the debit entry and the
atomic balance update (2 items) to the invoicing worker's own transaction, so an invoice,
its number and its debit are written together or not at all.

Every other change to a balance (``store.ledger.book``) is a read-modify-write of the ``BALANCE`` item with a
``version`` condition, inside one transaction with the ledger entry (whose key is the
booking's natural key) and the caller's idempotency item (a payment's status, a bank
entry). A lost race retries on fresh data; a replay fails the idempotency condition and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from chalicelib.domain import clock
from chalicelib.domain import ledger as rules
from chalicelib.domain.ledger import Booking as Booking  # re-exported: the routes type it
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.services import paging
from chalicelib.services.access import require_customer
from chalicelib.services.balance import open_item_public, summary_public
from chalicelib.services.balance import today as today  # re-exported: notices use them
from chalicelib.services.balance import virtual_account as virtual_account
from chalicelib.services.balance import virtual_account_or_none as virtual_account_or_none
from chalicelib.store import customers as customer_store
from chalicelib.store import invoices as invoice_store
from chalicelib.store import ledger as store
from chalicelib.store.ledger import Guard, LedgerEntry, Transaction

# --- contract with invoicing ----------------------------------------------------------


def _check_invoice_args(invoice_no: str, gross_grosze: int, issue_date: str, due_date: str) -> None:
    if not invoice_no or "#" in invoice_no:
        raise ValueError("invoice_no must be a non-empty printable invoice number without '#'")
    if not isinstance(gross_grosze, int) or isinstance(gross_grosze, bool) or gross_grosze < 0:
        raise ValueError(
            "gross_grosze must be a non-negative int (use record_correction to lower a debt)"
        )
    if date.fromisoformat(due_date) < date.fromisoformat(issue_date):
        raise ValueError("due_date before issue_date")


def record_invoice_in(
    tx: Transaction,
    *,
    customer_no: str,
    invoice_no: str,
    gross_grosze: int,
    issue_date: str,
    due_date: str,
) -> None:
    """Add the invoice's debit to ``tx`` (2 items: ledger entry + balance update).

    The ledger entry is conditional on not existing, so issuing the same invoice twice
    cancels the whole transaction. Unapplied credit (overpayment) is set against the new
    invoice by the next booking or the daily notices job; reads apply it at once."""
    _check_invoice_args(invoice_no, gross_grosze, issue_date, due_date)
    store.add_invoice_debit(
        tx,
        customer_no=customer_no,
        invoice_no=invoice_no,
        gross_grosze=gross_grosze,
        issue_date=issue_date,
        due_date=due_date,
        now=clock.now_iso(),
    )


def record_invoice(
    *, customer_no: str, invoice_no: str, gross_grosze: int, issue_date: str, due_date: str
) -> bool:
    """``record_invoice_in`` in a transaction of its own; False when already recorded."""
    _check_invoice_args(invoice_no, gross_grosze, issue_date, due_date)
    return store.book_invoice_debit(
        customer_no=customer_no,
        invoice_no=invoice_no,
        gross_grosze=gross_grosze,
        issue_date=issue_date,
        due_date=due_date,
        now=clock.now_iso(),
    )


# --- booking with optimistic concurrency (the store reads, writes and retries) ---------


def book(
    customer_no: str,
    *,
    kind: str,
    ref: str,
    amount: int,
    change: rules.Change,
    value_date: str,
    title: str | None = None,
    source: str | None = None,
    invoice_no: str | None = None,
    guard: Guard | None = None,
    already_done: Callable[[], bool] | None = None,
) -> Booking:
    """Apply ``change`` to the balance and write the ledger entry, exactly once.

    ``amount`` is the signed ledger amount (+ debit, - credit). ``guard`` adds the caller's
    idempotency item to the transaction; ``already_done`` tells a replay from a lost race
    after a cancelled transaction (by default: the ledger entry exists)."""
    return store.book(
        customer_no,
        kind=kind,
        ref=ref,
        amount=amount,
        change=change,
        value_date=value_date,
        title=title,
        source=source,
        invoice_no=invoice_no,
        guard=guard,
        already_done=already_done,
    )


def book_credit(
    customer_no: str,
    amount_grosze: int,
    *,
    kind: str,
    ref: str,
    value_date: str,
    title: str | None = None,
    source: str | None = None,
    invoice_nos: Sequence[str] = (),
    guard: Guard | None = None,
    already_done: Callable[[], bool] | None = None,
) -> Booking:
    """A payment or transfer received: named invoices first, then the oldest. Its
    "payment booked" notice is queued (again on a replay: the worker sends it once)."""
    if amount_grosze <= 0:
        raise ValueError("a credit must be positive")
    booking = book(
        customer_no,
        kind=kind,
        ref=ref,
        amount=-amount_grosze,
        change=lambda s: rules.credit(s, amount_grosze, invoice_nos),
        value_date=value_date,
        title=title,
        source=source,
        guard=guard,
        already_done=already_done,
    )
    from chalicelib.services import preferences

    preferences.queue_payment_notice(customer_no, kind, ref)
    return booking


def settle(customer_no: str) -> bool:
    """Persist the setting of unapplied credit against open invoices (after new invoices).

    Conditional on the version read; returns True when something changed."""
    return store.settle_credit(customer_no)


# --- admin: corrections and refunds ---------------------------------------------------


def _require_customer_exists(customer_no: str) -> None:
    if customer_store.get_customer(customer_no) is None:
        raise NotFound()


@dataclass(frozen=True)
class Approval:
    """A booking approved by a second person (``services.ledger_approvals``): its request
    turns ``booked`` in the booking's own transaction."""

    by: str
    guard: Guard
    already_done: Callable[[], bool]


def _approval_args(approval: Approval | None) -> dict[str, Any]:
    if approval is None:
        return {}
    return {"guard": approval.guard, "already_done": approval.already_done}


def _audit_money(
    actor: str | None, action: str, customer_no: str, before: int, result: Booking, **what: Any
) -> None:
    """A staff member's booking in the audit log: who, what, why (``reason``), the balance
    before and after (issue 13: every money-changing staff action is accountable)."""
    if actor is None:
        return  # not a staff action (an invoice's own correction is audited by its request)
    from chalicelib.services import audit
    from chalicelib.store.customers import customer_target

    audit.record(
        actor,
        action,
        customer_target(customer_no),
        {"balance_grosze": before},
        {"balance_grosze": result.balance, **{k: v for k, v in what.items() if v is not None}},
    )


def record_correction(
    customer_no: str,
    *,
    reference: str,
    amount_grosze: int,
    invoice_no: str | None = None,
    reason: str | None = None,
    source: str = "admin",
    actor: str | None = None,
    approval: Approval | None = None,
) -> Booking:
    """Korekta: lowers what is due (a correcting invoice, a goodwill credit). Booked by a
    staff member (``actor``), it is audited with the balance before and after.

    A correction that raises what is due is a new invoice (``record_invoice``)."""
    if amount_grosze <= 0:
        raise ValidationFailed(errors=[FieldError("amount_grosze", "field.invalid")])
    _require_customer_exists(customer_no)
    before = store.current_balance(customer_no) if actor is not None else 0
    result = book(
        customer_no,
        kind="correction",
        ref=reference,
        amount=-amount_grosze,
        change=lambda s: rules.correct(s, amount_grosze, invoice_no),
        value_date=clock.to_warsaw(clock.now()).date().isoformat(),
        title=reason,
        source=source,
        invoice_no=invoice_no,
        **_approval_args(approval),
    )
    if not result.booked:
        raise Conflict("ledger.duplicate_reference")
    _audit_money(
        actor,
        "ledger.correction",
        customer_no,
        before,
        result,
        amount_grosze=-amount_grosze,
        reference=reference,
        invoice_no=invoice_no,
        reason=reason,
        approved_by=approval.by if approval else None,
    )
    return result


def record_refund(
    customer_no: str,
    *,
    reference: str,
    amount_grosze: int,
    reason: str | None = None,
    actor: str | None = None,
    approval: Approval | None = None,
) -> Booking:
    """Zwrot nadpłaty: pays credit back; refused above the current overpayment. Audited
    with who booked it, why, and the balance before and after."""
    if amount_grosze <= 0:
        raise ValidationFailed(errors=[FieldError("amount_grosze", "field.invalid")])
    _require_customer_exists(customer_no)
    before = store.current_balance(customer_no)
    overpayment = max(0, -before)
    if amount_grosze > overpayment:
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

    def change(state: rules.AccountState) -> rules.Outcome:
        try:
            return rules.Outcome(rules.refund(state, amount_grosze))
        except ValueError:
            raise ValidationFailed(
                errors=[
                    FieldError("amount_grosze", "ledger.refund_too_large", {"overpayment": "0"})
                ]
            ) from None

    result = book(
        customer_no,
        kind="refund",
        ref=reference,
        amount=amount_grosze,
        change=change,
        value_date=clock.to_warsaw(clock.now()).date().isoformat(),
        title=reason,
        source="admin",
        **_approval_args(approval),
    )
    if not result.booked:
        raise Conflict("ledger.duplicate_reference")
    _audit_money(
        actor,
        "ledger.refund",
        customer_no,
        before,
        result,
        amount_grosze=amount_grosze,
        reference=reference,
        reason=reason,
        approved_by=approval.by if approval else None,
    )
    return result


# --- reading --------------------------------------------------------------------------


def balance_view(principal: Principal, customer_no: str) -> dict[str, Any]:
    """Balance, open invoices (each with its premises: one BatchGetItem) and the summary."""
    require_customer(principal, customer_no)
    _require_customer_exists(customer_no)
    balance = store.get_balance(customer_no)
    day = today()
    state = rules.settle(balance.state()).state if balance else rules.AccountState()
    premises = invoice_store.premises_of_numbers(customer_no, [i.invoice_no for i in state.open])
    return {
        "customer_no": customer_no,
        **summary_public(balance, customer_no, day),
        "open_items": [
            {**open_item_public(i, day), "premises_id": premises.get(i.invoice_no)}
            for i in state.open
        ],
    }


def entry_public(e: LedgerEntry) -> dict[str, Any]:
    return {
        "kind": e.kind,
        "ref": e.ref,
        "amount_grosze": int(e.amount_grosze),
        "booked_at": e.booked_at,
        "value_date": e.value_date,
        "invoice_no": e.invoice_no,
        "due_date": e.due_date,
        "title": e.title,
        "source": e.source,
        "allocations": [
            {"invoice_no": a.invoice_no, "amount_grosze": int(a.amount_grosze)}
            for a in (e.allocations or [])
        ],
        "balance_after_grosze": None if e.balance_after is None else int(e.balance_after),
    }


PREMISES_ROUNDS = 10  # reads of a premises-filtered page before it answers what it found


def history(
    principal: Principal, customer_no: str, query: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """One page of the ledger, newest first (``limit``, ``cursor``; ``next``), each entry
    with the balance after it in value-date order and the premises of its invoices: a
    GetItem of the balance (first page), one Query of the page and one BatchGetItem of its
    invoices, whatever the length of the history.

    ``premises``: only the entries of that premises' invoices; it reads on, each read no
    more than the page still lacks, for at most ``PREMISES_ROUNDS`` reads (a page may then
    be short, ``next`` goes on from there)."""
    require_customer(principal, customer_no)
    _require_customer_exists(customer_no)
    limit, cursor, wanted = (
        paging.limit_of(query),
        paging.cursor_of(query),
        paging.premises_of(query),
    )
    out: list[dict[str, Any]] = []
    for _ in range(PREMISES_ROUNDS if wanted else 1):
        entries, cursor = paging.paged(
            partial(store.history_page, customer_no, limit - len(out), cursor)
        )
        premises = invoice_store.premises_of_numbers(
            customer_no, [no for e, _ in entries for no in _invoice_nos(e)]
        )
        for e, after in entries:
            public = entry_public(e)
            public["balance_after_grosze"] = after
            public["premises_ids"] = sorted({premises[n] for n in _invoice_nos(e) if n in premises})
            if wanted is None or wanted in public["premises_ids"]:
                out.append(public)
        if cursor is None or len(out) >= limit:
            break
    return {"customer_no": customer_no, "entries": out, "next": cursor}


def _invoice_nos(e: LedgerEntry) -> list[str]:
    """The invoices an entry is about: its own, or those a payment was allocated to."""
    nos = [e.invoice_no] if e.invoice_no else []
    return nos + [a.invoice_no for a in (e.allocations or [])]


def invoice_statuses(
    customer_no: str, invoice_nos: Sequence[str], day: date | None = None
) -> dict[str, dict[str, Any]]:
    """Payment status of the given recorded invoices (one GetItem): for the invoice list.

    An invoice that is no longer open has been paid (or corrected to zero)."""
    day = day or today()
    balance = store.get_balance(customer_no)
    state = rules.settle(balance.state()).state if balance else rules.AccountState()
    open_by_no = {i.invoice_no: i for i in state.open}
    out: dict[str, dict[str, Any]] = {}
    for no in invoice_nos:
        inv = open_by_no.get(no)
        if inv is None:
            out[no] = {"status": rules.PAID, "outstanding_grosze": 0}
        else:
            out[no] = {
                "status": inv.status(day),
                "outstanding_grosze": inv.outstanding,
                "paid_grosze": inv.paid,
            }
    return out


def open_invoices(customer_no: str) -> list[rules.OpenInvoice]:
    return store.open_invoices(customer_no)


# --- migration ------------------------------------------------------------------------


@dataclass(frozen=True)
class BackfillStep:
    seen: int
    moved: int
    cursor: str | None


def backfill_history(
    cursor: str | None, page: int = 500, segment: int = 0, segments: int = 1
) -> BackfillStep:
    """One step of the ledger-history migration (``devstack.backfill_ledger``): a Scan page,
    every entry written before the time-ordered key given it; ``cursor`` resumes."""
    seen, moved, following = store.backfill_history_page(cursor, page, segment, segments)
    return BackfillStep(seen, moved, following)
