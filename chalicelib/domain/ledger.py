"""Ledger math (rozrachunki): open invoices, allocation of payments, statuses, reminders.

Pure functions over integer grosze. An account's state is its open invoices (not yet fully
paid) and its unapplied credit (nadpłata not yet set against an invoice). The balance is
what the customer owes: positive = debt, negative = overpayment.

Allocation rule: a payment first pays the invoices the customer named (oldest due first),
then the oldest open invoices; what is left is unapplied credit, set against the next
invoices as they are issued.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

UNPAID = "unpaid"
PARTIALLY_PAID = "partially_paid"
PAID = "paid"
OVERDUE = "overdue"
STATUSES = (UNPAID, PARTIALLY_PAID, PAID, OVERDUE)

# Arrears reminders (wezwania do zapłaty): days after the due date.
REMINDER_STAGES: tuple[int, ...] = (7, 21)


@dataclass(frozen=True)
class OpenInvoice:
    """An invoice with money still due (pozycja rozrachunkowa)."""

    invoice_no: str
    issue_date: str
    due_date: str
    gross: int
    paid: int = 0

    @property
    def outstanding(self) -> int:
        return self.gross - self.paid

    def status(self, today: date) -> str:
        return invoice_status(self.gross, self.paid, self.due_date, today)

    @property
    def order(self) -> tuple[str, str, str]:
        return (self.due_date, self.issue_date, self.invoice_no)


def invoice_status(gross: int, paid: int, due_date: str, today: date) -> str:
    """unpaid, partially paid, paid or overdue (overdue wins over partially paid)."""
    if paid >= gross:
        return PAID
    if date.fromisoformat(due_date) < today:
        return OVERDUE
    return PARTIALLY_PAID if paid > 0 else UNPAID


@dataclass(frozen=True)
class Allocation:
    invoice_no: str
    amount: int


@dataclass(frozen=True)
class AccountState:
    """Open invoices plus unapplied credit; ``balance`` is derived, never stored alone."""

    open: tuple[OpenInvoice, ...] = ()
    unapplied: int = 0

    @property
    def balance(self) -> int:
        return sum(i.outstanding for i in self.open) - self.unapplied

    @property
    def overpayment(self) -> int:
        return max(0, -self.balance)


@dataclass(frozen=True)
class Outcome:
    state: AccountState
    allocations: tuple[Allocation, ...] = field(default_factory=tuple)


Change = Callable[[AccountState], Outcome]
"""A booking's effect on an account (``credit``, ``correct``, a refund...)."""


@dataclass(frozen=True)
class Booking:
    """The result of a booking: ``booked`` False when it had already been made (a replay)."""

    booked: bool
    balance: int
    allocations: tuple[Allocation, ...] = ()


def credit_ref_after(
    before: AccountState, after: AccountState, current: str | None, ref: str
) -> str | None:
    """The booking that made the account overpaid: ``ref`` when this booking leaves credit
    on an account that had none (or no recorded source), else the recorded one."""
    if after.unapplied > 0 and (settle(before).state.unapplied == 0 or not current):
        return ref
    return current


def _sorted(items: Iterable[OpenInvoice]) -> list[OpenInvoice]:
    return sorted(items, key=lambda i: i.order)


def _pay(
    items: list[OpenInvoice], amount: int, preferred: Sequence[str] = ()
) -> tuple[list[OpenInvoice], list[Allocation], int]:
    """Pay ``amount`` into ``items``: named invoices first, then oldest due first.

    Returns the invoices still open, the allocations and the amount left over."""
    wanted = set(preferred)
    order = [i for i in _sorted(items) if i.invoice_no in wanted] + [
        i for i in _sorted(items) if i.invoice_no not in wanted
    ]
    paid: dict[str, OpenInvoice] = {}
    allocations: list[Allocation] = []
    left = amount
    for inv in order:
        if left <= 0:
            break
        part = min(left, inv.outstanding)
        if part <= 0:
            continue
        paid[inv.invoice_no] = replace(inv, paid=inv.paid + part)
        allocations.append(Allocation(inv.invoice_no, part))
        left -= part
    remaining = [paid.get(i.invoice_no, i) for i in _sorted(items)]
    return [i for i in remaining if i.outstanding > 0], allocations, left


def settle(state: AccountState) -> Outcome:
    """Set unapplied credit against open invoices (oldest first)."""
    if state.unapplied <= 0 or not state.open:
        return Outcome(state)
    still_open, allocations, left = _pay(list(state.open), state.unapplied)
    return Outcome(AccountState(tuple(still_open), left), tuple(allocations))


def add_invoice(state: AccountState, invoice: OpenInvoice) -> AccountState:
    if any(i.invoice_no == invoice.invoice_no for i in state.open):
        raise ValueError(f"invoice {invoice.invoice_no} is already open")
    if invoice.gross <= 0:
        return state
    return AccountState(tuple(_sorted([*state.open, invoice])), state.unapplied)


def credit(state: AccountState, amount: int, preferred: Sequence[str] = ()) -> Outcome:
    """A payment (wpłata) of ``amount`` grosze; named invoices are paid first."""
    if amount <= 0:
        raise ValueError("a payment must be positive")
    settled = settle(state)
    still_open, allocations, left = _pay(list(settled.state.open), amount, preferred)
    return Outcome(
        AccountState(tuple(still_open), settled.state.unapplied + left),
        settled.allocations + tuple(allocations),
    )


def correct(state: AccountState, amount: int, invoice_no: str | None = None) -> Outcome:
    """A correction (korekta) lowering what is due by ``amount`` grosze.

    Against a named open invoice it lowers that invoice's gross (what exceeds the
    outstanding amount becomes credit); otherwise it is a credit paid oldest first."""
    if amount <= 0:
        raise ValueError("a correction lowers what is due by a positive amount")
    target = next((i for i in state.open if i.invoice_no == invoice_no), None)
    if target is None:
        return credit(state, amount)
    cut = min(amount, target.outstanding)
    lowered = replace(target, gross=target.gross - cut)
    others = [i for i in state.open if i.invoice_no != invoice_no]
    still_open = _sorted([*others, lowered] if lowered.outstanding > 0 else others)
    first = Outcome(
        AccountState(tuple(still_open), state.unapplied), (Allocation(target.invoice_no, cut),)
    )
    if amount - cut == 0:
        return first
    rest = credit(first.state, amount - cut)
    return Outcome(rest.state, first.allocations + rest.allocations)


def refund(state: AccountState, amount: int) -> AccountState:
    """Pay back overpayment (zwrot nadpłaty); never more than the overpayment."""
    settled = settle(state).state
    if amount <= 0 or amount > settled.overpayment:
        raise ValueError("a refund must be positive and at most the overpayment")
    return AccountState(settled.open, settled.unapplied - amount)


@dataclass(frozen=True)
class Summary:
    balance: int
    overpayment: int
    arrears: int
    due_total: int
    next_due_date: str | None
    next_due_amount: int
    open: tuple[OpenInvoice, ...]


def summary(state: AccountState, today: date) -> Summary:
    """What the overview shows; unapplied credit is set against open invoices first."""
    settled = settle(state).state
    iso_today = today.isoformat()
    overdue = [i for i in settled.open if i.due_date < iso_today]
    upcoming = [i for i in settled.open if i.due_date >= iso_today]
    next_due = min((i.due_date for i in upcoming), default=None)
    return Summary(
        balance=settled.balance,
        overpayment=settled.overpayment,
        arrears=sum(i.outstanding for i in overdue),
        due_total=sum(i.outstanding for i in settled.open),
        next_due_date=next_due,
        next_due_amount=sum(i.outstanding for i in upcoming if i.due_date == next_due),
        open=settled.open,
    )


def reminder_stage(
    due_date: str, today: date, stages: Sequence[int] = REMINDER_STAGES
) -> int | None:
    """The highest reminder stage reached (days after due), or None before the first."""
    late = (today - date.fromisoformat(due_date)).days
    reached = [s for s in stages if late >= s]
    return max(reached) if reached else None


def reminders_due(
    state: AccountState, today: date, stages: Sequence[int] = REMINDER_STAGES
) -> list[tuple[OpenInvoice, int]]:
    """Open invoices whose reminder stage has been reached (one stage per invoice)."""
    out = []
    for inv in settle(state).state.open:
        stage = reminder_stage(inv.due_date, today, stages)
        if stage is not None and inv.outstanding > 0:
            out.append((inv, stage))
    return out
