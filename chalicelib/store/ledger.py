"""Ledger (rozrachunki): balances, ledger entries, online payments, bank entries, notices.

* ``AccountBalance`` lives in the customer's collection (``PK=CUST#<no>, SK=BALANCE``) so the
  overview Query returns it. It holds the open invoices and unapplied credit and a
  ``version``; every change is a conditional write (version) or an atomic ``ADD``.
* ``LedgerEntry`` items are the history (``PK=LEDGER#<no>``), keyed by their natural key
  (``ENTRY#INV#<invoice>``, ``ENTRY#PAY#<payment>``, ``ENTRY#BANK#<bank ref>``...), so a
  replayed booking fails its ``attribute_not_exists`` condition. Their time order is
  ``GSI1 = (LEDGERAT#<no>, <value date>#<booked at>#<SK>)``: the paged history.
* ``InvoiceOwner`` (``PK=LEDGERINV#<invoice no>, SK=CUST#<no>``) finds the customer by the
  invoice number written in a transfer title (written with the invoice's debit).
* ``Payment`` (``PAYMENT#<id>``) is an online payment; ``BankEntry`` (``BANKENTRY#<ref>``) is a
  credit from a bank statement, booked or waiting in the suspense list (GSI1 ``SUSPENSE``).
"""

from __future__ import annotations

import random
import re
import time
import zlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.domain import clock
from chalicelib.domain import ledger as rules
from chalicelib.domain.ledger import AccountState, Allocation, Booking, OpenInvoice
from chalicelib.errors import Conflict
from chalicelib.observability import logger
from chalicelib.store import paging
from chalicelib.store.base import Item, save_new, transaction
from chalicelib.store.customers import CURRENT, customer_pk

if TYPE_CHECKING:
    from chalicelib.domain.camt053 import Credit

Transaction = TransactWrite
"""A write transaction on the table (the invoicing worker passes its own to
``add_invoice_debit``)."""

Guard = Callable[[TransactWrite], None]
"""Adds a booking's idempotency item (a payment's status, a bank entry) to its transaction."""

BALANCE_SK = CURRENT + "BALANCE"  # among the current items: the overview reads it
ACCOUNT_SHARDS = 8  # GSI1 partitions of accounts with open items or credit (daily notices)
SUSPENSE = "SUSPENSE"
STATEMENTS = "STATEMENTS"
PAYMENT_SK = "PAYMENT"
BANK_ENTRY_SK = "ENTRY"
STATEMENT_SK = "STATEMENT"
MAX_ATTEMPTS = 60  # read-modify-write attempts of one booking before "busy"


def ledger_pk(customer_no: str) -> str:
    return f"LEDGER#{customer_no}"


def entry_sk(kind: str, ref: str) -> str:
    return f"ENTRY#{kind}#{ref}"


def payment_pk(payment_id: str) -> str:
    return f"PAYMENT#{payment_id}"


def bank_entry_pk(ref: str) -> str:
    return f"BANKENTRY#{ref}"


def bank_entry_target(ref: str) -> str:
    """How the audit log names a bank entry (its key)."""
    return bank_entry_pk(ref)


def payments_gsi(customer_no: str) -> str:
    return f"PAYMENTS#{customer_no}"


def statement_pk(statement_id: str) -> str:
    return f"STATEMENT#{statement_id}"


def notice_sk(notice: str) -> str:
    return f"NOTICE#{notice}"


def arrears_notice(invoice_no: str, stage: int) -> str:
    """The marker name of an arrears reminder (once per invoice and stage)."""
    return f"ARREARS#{invoice_no}#{stage}"


def overpayment_notice(credit_ref: str) -> str:
    """The marker name of an overpayment notice (once per booking that made it)."""
    return f"OVERPAY#{credit_ref}"


def shard_pk(shard: int) -> str:
    return f"ACCOUNTS#{shard}"


def due_sk(due_date: str) -> str:
    """GSI1 sort key of an account with open invoices: its earliest due date."""
    return f"DUE#{due_date}"


def credit_sk(day: str) -> str:
    """GSI1 sort key of an account that only holds credit (overpaid since ``day``)."""
    return f"CREDIT#{day}"


def account_shard(customer_no: str) -> str:
    n = int(customer_no) if customer_no.isdigit() else zlib.crc32(customer_no.encode())
    return shard_pk(n % ACCOUNT_SHARDS)


def invoice_gsi(invoice_no: str) -> str:
    """Partition of an invoice's owner marker (and GSI1 partition of a legacy debit)."""
    return f"LEDGERINV#{invoice_no.upper()}"


def history_gsi(customer_no: str) -> str:
    return f"LEDGERAT#{customer_no}"


def history_sk(value_date: str, booked_at: str, natural_sk: str) -> str:
    """GSI1 sort key of a ledger entry: value date, then booking time, then its own sort
    key (unique): the order of the history and of its running balance."""
    return f"{value_date}#{booked_at}#{natural_sk}"


class OpenItemMap(MapAttribute[str, Any]):
    """An invoice not yet fully paid (inside the balance item)."""

    invoice_no = UnicodeAttribute()
    issue_date = UnicodeAttribute()
    due_date = UnicodeAttribute()
    gross_grosze = NumberAttribute()
    paid_grosze = NumberAttribute(default=0)

    def to_domain(self) -> OpenInvoice:
        return OpenInvoice(
            self.invoice_no,
            self.issue_date,
            self.due_date,
            int(self.gross_grosze),
            int(self.paid_grosze),
        )

    @classmethod
    def from_domain(cls, inv: OpenInvoice) -> OpenItemMap:
        return cls(
            invoice_no=inv.invoice_no,
            issue_date=inv.issue_date,
            due_date=inv.due_date,
            gross_grosze=inv.gross,
            paid_grosze=inv.paid,
        )


class AccountBalance(Item, discriminator="AccountBalance"):
    """Saldo klienta. PK=CUST#<no>, SK=BALANCE. While anything is open or overpaid:
    GSI1 = (ACCOUNTS#<shard>, DUE#<earliest due> | CREDIT#<date>) for the daily notices."""

    customer_no = UnicodeAttribute()
    balance_grosze = NumberAttribute(default=0)
    unapplied_grosze = NumberAttribute(default=0)
    open_items = ListAttribute(of=OpenItemMap, default=list)
    version = NumberAttribute(default=0)
    credit_ref = UnicodeAttribute(null=True)  # the booking that made the account overpaid
    updated_at = UnicodeAttribute(null=True)

    def state(self) -> AccountState:
        return AccountState(
            tuple(sorted((o.to_domain() for o in self.open_items or []), key=lambda i: i.order)),
            int(self.unapplied_grosze or 0),
        )


class AllocationMap(MapAttribute[str, Any]):
    invoice_no = UnicodeAttribute()
    amount_grosze = NumberAttribute()


class LedgerEntry(Item, discriminator="LedgerEntry"):
    """Zapis na koncie. PK=LEDGER#<no>, SK=ENTRY#<kind>#<ref>. ``amount_grosze`` is signed:
    + debit (invoice, refund paid out), - credit (payment, transfer, correction).
    GSI1 = (LEDGERAT#<no>, <value date>#<booked at>#<SK>): the history in time
    order, one page per Query. Entries written before that key existed carry no GSI1 (or,
    invoice debits, the old ``LEDGERINV#`` one) until ``backfill_history_page`` adds it."""

    customer_no = UnicodeAttribute()
    kind = UnicodeAttribute()  # invoice | payment | transfer | correction | refund
    ref = UnicodeAttribute()
    amount_grosze = NumberAttribute()
    booked_at = UnicodeAttribute()
    value_date = UnicodeAttribute()
    invoice_no = UnicodeAttribute(null=True)
    due_date = UnicodeAttribute(null=True)
    title = UnicodeAttribute(null=True)
    source = UnicodeAttribute(null=True)  # operator | bank | admin | invoicing
    allocations = ListAttribute(of=AllocationMap, default=list)
    balance_after = NumberAttribute(null=True)


class InvoiceOwner(Item, discriminator="InvoiceOwner"):
    """Whose invoice a number is: PK=LEDGERINV#<invoice no>, SK=CUST#<no> (bank matching
    by the invoice number in a transfer title). Written with the invoice's debit."""

    customer_no = UnicodeAttribute()
    invoice_no = UnicodeAttribute()


def _owner_of(invoice_no: str, customer_no: str) -> InvoiceOwner:
    return InvoiceOwner(
        invoice_gsi(invoice_no),
        customer_pk(customer_no),
        customer_no=customer_no,
        invoice_no=invoice_no,
    )


class Payment(Item, discriminator="Payment"):
    """Płatność online. PK=PAYMENT#<id>, SK=PAYMENT; GSI1 = (PAYMENTS#<customer>, <created_at>)."""

    payment_id = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    amount_grosze = NumberAttribute()
    currency = UnicodeAttribute(default="PLN")
    invoice_nos = ListAttribute(of=UnicodeAttribute, default=list)
    status = UnicodeAttribute()  # pending | paid | failed
    created_at = UnicodeAttribute()
    created_by = UnicodeAttribute(null=True)
    redirect_url = UnicodeAttribute(null=True)
    operator_ref = UnicodeAttribute(null=True)
    settled_at = UnicodeAttribute(null=True)


class BankEntry(Item, discriminator="BankEntry"):
    """Uznanie z wyciągu (camt.053). PK=BANKENTRY#<bank ref>, SK=ENTRY. Status booked,
    suspense (GSI1 = (SUSPENSE, <booking date>#<ref>) until resolved) or returned."""

    ref = UnicodeAttribute()
    amount_grosze = NumberAttribute()
    currency = UnicodeAttribute()
    booking_date = UnicodeAttribute()
    value_date = UnicodeAttribute()
    account = UnicodeAttribute(null=True)  # the (virtual) account credited
    debtor_name = UnicodeAttribute(null=True)
    debtor_account = UnicodeAttribute(null=True)
    title = UnicodeAttribute(null=True)
    status = UnicodeAttribute()
    matched_by = UnicodeAttribute(null=True)  # virtual_account | invoice_no | admin
    customer_no = UnicodeAttribute(null=True)
    statement_id = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    resolved_by = UnicodeAttribute(null=True)
    resolved_at = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)


class Statement(Item, discriminator="Statement"):
    """An imported camt.053 statement. PK=STATEMENT#<id>, SK=STATEMENT;
    GSI1 = (STATEMENTS, <imported_at>)."""

    statement_id = UnicodeAttribute()
    account = UnicodeAttribute(null=True)
    created = UnicodeAttribute(null=True)
    source_key = UnicodeAttribute(null=True)
    entries = NumberAttribute(default=0)
    booked = NumberAttribute(default=0)
    suspense = NumberAttribute(default=0)
    duplicates = NumberAttribute(default=0)
    skipped = NumberAttribute(default=0)
    imports = NumberAttribute(default=0)
    imported_at = UnicodeAttribute()
    # Fan-out booking (store.statements): queued -> booked; rejected files keep the reason.
    status = UnicodeAttribute(null=True)
    pages = NumberAttribute(null=True)
    pages_done = NumberAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    notes = ListAttribute(of=UnicodeAttribute, null=True)


class NoticeSent(Item, discriminator="NoticeSent"):
    """Marker of a notice e-mail: PK=LEDGER#<no>, SK=NOTICE#ARREARS#<invoice>#<stage> or
    NOTICE#OVERPAY#<ref>. Written before sending (at most once)."""

    customer_no = UnicodeAttribute()
    notice = UnicodeAttribute()
    sent_at = UnicodeAttribute()


# --- repository functions -------------------------------------------------------------


def get_balance(customer_no: str) -> AccountBalance | None:
    try:
        item = AccountBalance.get(customer_pk(customer_no), BALANCE_SK, consistent_read=True)
    except AccountBalance.DoesNotExist:
        return None
    return item if isinstance(item, AccountBalance) else None


def add_invoice_debit(
    tx: TransactWrite,
    *,
    customer_no: str,
    invoice_no: str,
    gross_grosze: int,
    issue_date: str,
    due_date: str,
    now: str,
) -> None:
    """Three items: the debit entry (once per invoice), an atomic balance update that
    appends the open item without reading (``list_append`` + ``ADD``; bumps ``version``
    so a concurrent read-modify-write of the balance retries), and the invoice number's
    owner marker (bank matching)."""
    entry = LedgerEntry(
        ledger_pk(customer_no),
        entry_sk("INV", invoice_no),
        GSI1PK=history_gsi(customer_no),
        GSI1SK=history_sk(issue_date, now, entry_sk("INV", invoice_no)),
        customer_no=customer_no,
        kind="invoice",
        ref=invoice_no,
        amount_grosze=gross_grosze,
        booked_at=now,
        value_date=issue_date,
        invoice_no=invoice_no,
        due_date=due_date,
        source="invoicing",
        allocations=[],
    )
    tx.save(entry, condition=Item.PK.does_not_exist())
    actions: list[Action] = [
        AccountBalance.type.set(AccountBalance),  # type: ignore[arg-type]
        AccountBalance.customer_no.set(customer_no),
        AccountBalance.balance_grosze.add(gross_grosze),
        AccountBalance.version.add(1),
        AccountBalance.updated_at.set(now),
        AccountBalance.GSI1PK.set(account_shard(customer_no)),
        AccountBalance.GSI1SK.set(AccountBalance.GSI1SK | due_sk(due_date)),
    ]
    if gross_grosze > 0:
        item = OpenItemMap(
            invoice_no=invoice_no,
            issue_date=issue_date,
            due_date=due_date,
            gross_grosze=gross_grosze,
            paid_grosze=0,
        )
        actions.append(
            AccountBalance.open_items.set((AccountBalance.open_items | []).append([item]))
        )
    tx.update(AccountBalance(customer_pk(customer_no), BALANCE_SK), actions=actions)
    tx.save(_owner_of(invoice_no, customer_no))  # after the balance: callers index the items


def balance_item(
    customer_no: str, state: AccountState, version: int, now: str, credit_ref: str | None
) -> AccountBalance:
    """The whole balance item after a read-modify-write (saved with a version condition)."""
    item = AccountBalance(
        customer_pk(customer_no),
        BALANCE_SK,
        customer_no=customer_no,
        balance_grosze=state.balance,
        unapplied_grosze=state.unapplied,
        open_items=[OpenItemMap.from_domain(i) for i in state.open],
        version=version + 1,
        credit_ref=credit_ref if state.unapplied > 0 else None,
        updated_at=now,
    )
    if state.open:
        item.GSI1PK = account_shard(customer_no)
        item.GSI1SK = due_sk(min(i.due_date for i in state.open))
    elif state.unapplied > 0:
        item.GSI1PK = account_shard(customer_no)
        item.GSI1SK = credit_sk(now[:10])
    return item


def save_balance(tx: TransactWrite, item: AccountBalance, read_version: int | None) -> None:
    """``read_version`` None: the item did not exist when read."""
    condition = (
        Item.PK.does_not_exist() if read_version is None else AccountBalance.version == read_version
    )
    tx.save(item, condition=condition)


def new_entry(
    customer_no: str,
    kind: str,
    ref: str,
    amount: int,
    *,
    now: str,
    value_date: str,
    allocations: tuple[Allocation, ...] = (),
    invoice_no: str | None = None,
    title: str | None = None,
    source: str | None = None,
    balance_after: int | None = None,
) -> LedgerEntry:
    return LedgerEntry(
        ledger_pk(customer_no),
        entry_sk(kind.upper(), ref),
        GSI1PK=history_gsi(customer_no),
        GSI1SK=history_sk(value_date, now, entry_sk(kind.upper(), ref)),
        customer_no=customer_no,
        kind=kind,
        ref=ref,
        amount_grosze=amount,
        booked_at=now,
        value_date=value_date,
        invoice_no=invoice_no,
        title=title,
        source=source,
        allocations=[
            AllocationMap(invoice_no=a.invoice_no, amount_grosze=a.amount) for a in allocations
        ],
        balance_after=balance_after,
    )


def ledger_entries(customer_no: str) -> list[LedgerEntry]:
    """A customer's ledger, newest first by value date (one Query over LEDGER#<no>)."""
    items = [
        i
        for i in Item.query(ledger_pk(customer_no), Item.SK.startswith("ENTRY#"))
        if isinstance(i, LedgerEntry)
    ]
    return sorted(items, key=lambda e: (e.value_date, e.booked_at, e.SK), reverse=True)


RUNNING = "RUN"  # the history cursor's running balance (grosze) after the page's last entry


def history_page(
    customer_no: str, limit: int, cursor: str | None
) -> tuple[list[tuple[LedgerEntry, int]], str | None]:
    """One page of a customer's ledger, newest first by value date then booking time (GSI1
    ``LEDGERAT#<no>``, one Query of ``limit + 1``), each entry with the balance after it,
    and the cursor of the next page (``None`` after the last).

    The running balance starts from the balance now (GetItem) on the first page and goes
    back entry by entry; the cursor carries where it stopped, so no page reads the entries
    before it. ``BadCursor`` for a cursor of another list."""
    start = paging.decode(cursor, (*GSI_CURSOR, RUNNING))
    if start is None:
        running = current_balance(customer_no)
    else:
        raw = start.pop(RUNNING)["S"]
        if start["GSI1PK"]["S"] != history_gsi(customer_no) or not _is_int(raw):
            raise paging.BadCursor("cursor of another list")
        running = int(raw)
    result = Item.gsi1.query(
        history_gsi(customer_no),
        scan_index_forward=False,
        limit=limit + 1,
        last_evaluated_key=start,
    )
    read = [i for i in result if isinstance(i, LedgerEntry)]
    page: list[tuple[LedgerEntry, int]] = []
    for entry in read[:limit]:
        page.append((entry, running))
        running -= int(entry.amount_grosze)
    following = None
    if len(read) > limit:
        following = paging.encode(
            {**paging.key_of(read[limit - 1], GSI_CURSOR), RUNNING: {"S": str(running)}}
        )
    return page, following


def _is_int(text: str) -> bool:
    return re.fullmatch(r"-?[0-9]{1,15}", text) is not None


def customer_of_invoice(invoice_no: str) -> str | None:
    """The customer an invoice number belongs to: its owner marker; for a debit written
    before the marker existed, the debit's old GSI1 entry (until the backfill moved it)."""
    for item in Item.query(invoice_gsi(invoice_no), limit=1):
        if isinstance(item, InvoiceOwner):
            return item.customer_no
    for found in Item.gsi1.query(invoice_gsi(invoice_no), limit=1):
        if isinstance(found, LedgerEntry):
            return found.customer_no
    return None


def accounts_to_review(shard: int, due_before: str) -> list[AccountBalance]:
    """Accounts whose earliest open invoice fell due before ``due_before`` or that hold
    credit (GSI1, one shard)."""
    pk = shard_pk(shard)
    found = list(Item.gsi1.query(pk, Item.GSI1SK.between(due_sk(""), due_sk(due_before))))
    found += list(Item.gsi1.query(pk, Item.GSI1SK.startswith(credit_sk(""))))
    return [i for i in found if isinstance(i, AccountBalance)]


def get_payment(payment_id: str) -> Payment | None:
    try:
        item = Item.get(payment_pk(payment_id), PAYMENT_SK, consistent_read=True)
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, Payment) else None


def put_payment(payment: Payment) -> None:
    payment.save(condition=Item.PK.does_not_exist())


def customer_payments(customer_no: str, limit: int = 50) -> list[Payment]:
    return [
        i
        for i in Item.gsi1.query(payments_gsi(customer_no), scan_index_forward=False, limit=limit)
        if isinstance(i, Payment)
    ]


def get_bank_entry(ref: str) -> BankEntry | None:
    try:
        item = Item.get(bank_entry_pk(ref), BANK_ENTRY_SK, consistent_read=True)
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, BankEntry) else None


def suspense_entries(limit: int = 200) -> list[BankEntry]:
    return [i for i in Item.gsi1.query(SUSPENSE, limit=limit) if isinstance(i, BankEntry)]


GSI_CURSOR = ("PK", "SK", "GSI1PK", "GSI1SK")


def _gsi_page(
    gsi_pk: str, limit: int, cursor: str | None, *, newest_first: bool, kind: type[Any]
) -> paging.Page[Any]:
    """One page of a GSI1 partition from ``cursor`` (its four keys): one Query of
    ``limit + 1`` items, so ``next`` is null on the last page. ``BadCursor`` for a cursor
    of another partition."""
    start = paging.decode(cursor, GSI_CURSOR)
    if start is not None and start["GSI1PK"]["S"] != gsi_pk:
        raise paging.BadCursor("cursor of another list")
    result = Item.gsi1.query(
        gsi_pk, scan_index_forward=not newest_first, limit=limit + 1, last_evaluated_key=start
    )
    read = [i for i in result if isinstance(i, kind)]
    page: paging.Page[Any] = paging.Page(items=read[:limit])
    if len(read) > limit:  # one more than the page: the next page is not empty
        page.cursor = paging.encode(paging.key_of(read[limit - 1], GSI_CURSOR))
    return page


def suspense_page(limit: int, cursor: str | None) -> paging.Page[BankEntry]:
    """The suspense list, oldest booking date first, one page (GSI1 ``SUSPENSE``)."""
    return _gsi_page(SUSPENSE, limit, cursor, newest_first=False, kind=BankEntry)


def payments_page(customer_no: str, limit: int, cursor: str | None) -> paging.Page[Payment]:
    """A customer's online payments, newest first, one page (GSI1 ``PAYMENTS#<no>``)."""
    return _gsi_page(payments_gsi(customer_no), limit, cursor, newest_first=True, kind=Payment)


def put_statement(statement: Statement) -> None:
    statement.save()


def get_statement(statement_id: str) -> Statement | None:
    try:
        item = Item.get(statement_pk(statement_id), STATEMENT_SK)
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, Statement) else None


def recent_statements(limit: int = 20) -> list[Statement]:
    return [
        i
        for i in Item.gsi1.query(STATEMENTS, scan_index_forward=False, limit=limit)
        if isinstance(i, Statement)
    ]


def claim_notice(customer_no: str, notice: str, now: str) -> bool:
    """Write the marker of a notice; False when it was already sent."""
    marker = NoticeSent(
        ledger_pk(customer_no),
        notice_sk(notice),
        customer_no=customer_no,
        notice=notice,
        sent_at=now,
    )
    return save_new(marker)


def release_notice(customer_no: str, notice: str) -> None:
    """Forget a marker whose e-mail could not be sent, so the next run tries again."""
    NoticeSent(ledger_pk(customer_no), notice_sk(notice)).delete()


def cancellation_codes(exc: TransactWriteError) -> list[str | None]:
    return [r.code if r else None for r in exc.cancellation_reasons]


def balance_in(items: Sequence[object]) -> AccountBalance | None:
    """The balance item among a customer's collection (the overview's one Query)."""
    return next((i for i in items if isinstance(i, AccountBalance)), None)


def current_balance(customer_no: str) -> int:
    """What the customer owes now (unapplied credit set against open invoices)."""
    current = get_balance(customer_no)
    return rules.settle(current.state()).state.balance if current else 0


def open_invoices(customer_no: str) -> list[OpenInvoice]:
    current = get_balance(customer_no)
    return list(rules.settle(current.state()).state.open) if current else []


# --- booking: read, change, conditional transaction, retry ------------------------------


def book_invoice_debit(
    *,
    customer_no: str,
    invoice_no: str,
    gross_grosze: int,
    issue_date: str,
    due_date: str,
    now: str,
) -> bool:
    """``add_invoice_debit`` in a transaction of its own; False when already recorded."""
    try:
        with transaction() as tx:
            add_invoice_debit(
                tx,
                customer_no=customer_no,
                invoice_no=invoice_no,
                gross_grosze=gross_grosze,
                issue_date=issue_date,
                due_date=due_date,
                now=now,
            )
    except TransactWriteError as exc:
        if "ConditionalCheckFailed" in cancellation_codes(exc):
            return False
        raise
    return True


def entry_exists(customer_no: str, kind: str, ref: str) -> bool:
    try:
        Item.get(ledger_pk(customer_no), entry_sk(kind.upper(), ref), consistent_read=True)
    except Item.DoesNotExist:
        return False
    return True


def _lost_race(exc: TransactWriteError) -> bool:
    """Cancelled by a condition (version, idempotency item) or a concurrent transaction."""
    return bool({"ConditionalCheckFailed", "TransactionConflict"} & set(cancellation_codes(exc)))


def _backoff(attempt: int) -> None:
    time.sleep(random.uniform(0, min(0.2, 0.004 * 2 ** min(attempt, 6))))


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

    Read the balance, compute, then one transaction: the caller's ``guard`` item, the
    ledger entry (``attribute_not_exists``: its key is the booking's natural key) and the
    balance item conditional on the ``version`` read. A lost race retries on fresh data;
    ``already_done`` tells a replay from a lost race (default: the ledger entry exists).
    Raises ``Conflict("ledger.busy")`` after ``MAX_ATTEMPTS`` lost races."""
    done = already_done or (lambda: entry_exists(customer_no, kind, ref))
    for attempt in range(MAX_ATTEMPTS):
        current = get_balance(customer_no)
        state = current.state() if current else AccountState()
        outcome = change(state)
        read_version = int(current.version) if current else None
        credit_ref = rules.credit_ref_after(
            state, outcome.state, current.credit_ref if current else None, ref
        )
        now = clock.now_iso()
        entry = new_entry(
            customer_no,
            kind,
            ref,
            amount,
            now=now,
            value_date=value_date,
            allocations=outcome.allocations,
            invoice_no=invoice_no,
            title=title,
            source=source,
            balance_after=outcome.state.balance,
        )
        balance = balance_item(customer_no, outcome.state, read_version or 0, now, credit_ref)
        try:
            with transaction() as tx:
                if guard:
                    guard(tx)
                tx.save(entry, condition=Item.PK.does_not_exist())
                save_balance(tx, balance, read_version)
        except TransactWriteError as exc:
            if not _lost_race(exc):
                raise
            if done():
                return Booking(False, current_balance(customer_no))
            _backoff(attempt)
            continue
        return Booking(True, outcome.state.balance, outcome.allocations)
    logger.warning("ledger busy", extra={"customer_no": customer_no, "kind": kind})
    raise Conflict("ledger.busy")


def settle_credit(customer_no: str) -> bool:
    """Persist the setting of unapplied credit against open invoices (after new invoices).

    Conditional on the version read; returns True when something changed."""
    for _ in range(MAX_ATTEMPTS):
        current = get_balance(customer_no)
        if current is None:
            return False
        outcome = rules.settle(current.state())
        if not outcome.allocations:
            return False
        item = balance_item(
            customer_no, outcome.state, int(current.version), clock.now_iso(), current.credit_ref
        )
        try:
            with transaction() as tx:
                save_balance(tx, item, int(current.version))
        except TransactWriteError:
            time.sleep(random.uniform(0, 0.05))
            continue
        return True
    raise Conflict("ledger.busy")


# --- online payments --------------------------------------------------------------------


def create_payment(
    *,
    payment_id: str,
    customer_no: str,
    amount_grosze: int,
    currency: str,
    invoice_nos: Sequence[str],
    created_by: str | None,
    redirect_url: str | None,
    operator_ref: str | None,
    now: str,
) -> Payment:
    """Store a new ``pending`` payment (once per id)."""
    payment = Payment(
        payment_pk(payment_id),
        PAYMENT_SK,
        GSI1PK=payments_gsi(customer_no),
        GSI1SK=f"{now}#{payment_id}",
        payment_id=payment_id,
        customer_no=customer_no,
        amount_grosze=amount_grosze,
        currency=currency,
        invoice_nos=list(invoice_nos),
        status="pending",
        created_at=now,
        created_by=created_by,
        redirect_url=redirect_url,
        operator_ref=operator_ref,
    )
    put_payment(payment)
    return payment


def fail_pending_payment(payment: Payment, now: str) -> bool:
    """Mark a pending payment failed; False when it is no longer pending."""
    try:
        payment.update(
            actions=[Payment.status.set("failed"), Payment.settled_at.set(now)],
            condition=Payment.status == "pending",
        )
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def mark_payment_paid(payment_id: str) -> Guard:
    """The booking's idempotency item: the payment turns ``paid`` (from pending or failed)
    in the same transaction as its ledger entry."""

    def guard(tx: TransactWrite) -> None:
        tx.update(
            Payment(payment_pk(payment_id), PAYMENT_SK),
            actions=[Payment.status.set("paid"), Payment.settled_at.set(clock.now_iso())],
            condition=Payment.status.is_in("pending", "failed"),
        )

    return guard


# --- bank statements ----------------------------------------------------------------------

BOOKED, IN_SUSPENSE, RETURNED = "booked", "suspense", "returned"


def _bank_entry(credit: Credit, statement_id: str, now: str) -> BankEntry:
    return BankEntry(
        bank_entry_pk(credit.ref),
        BANK_ENTRY_SK,
        ref=credit.ref,
        amount_grosze=credit.amount_grosze,
        currency=credit.currency,
        booking_date=credit.booking_date,
        value_date=credit.value_date,
        account=credit.account,
        debtor_name=credit.debtor_name,
        debtor_account=credit.debtor_account,
        title=credit.title[:500] or None,
        status=IN_SUSPENSE,
        statement_id=statement_id,
        created_at=now,
    )


def add_booked_bank_entry(
    credit: Credit, statement_id: str, now: str, *, customer_no: str, matched_by: str | None
) -> Guard:
    """The booking's idempotency item: the bank entry, created booked (once per bank ref)."""
    entry = _bank_entry(credit, statement_id, now)
    entry.status = BOOKED
    entry.customer_no = customer_no
    entry.matched_by = matched_by

    def guard(tx: TransactWrite) -> None:
        tx.save(entry, condition=Item.PK.does_not_exist())

    return guard


def park_in_suspense(credit: Credit, statement_id: str, now: str) -> bool:
    """Keep an unmatched credit in the suspense list; False when the bank ref is known."""
    entry = _bank_entry(credit, statement_id, now)
    entry.GSI1PK = SUSPENSE
    entry.GSI1SK = f"{credit.booking_date}#{credit.ref}"
    return save_new(entry)


def _set_or_remove(attribute: Any, value: str | None) -> list[Action]:
    """An update action for a nullable attribute (DynamoDB has no SET to null)."""
    return [attribute.remove() if value is None else attribute.set(value)]


def _resolved(by: str, note: str | None, now: str) -> list[Action]:
    """Who resolved a suspense entry and when; it leaves the suspense index."""
    return [
        BankEntry.resolved_by.set(by),
        BankEntry.resolved_at.set(now),
        *_set_or_remove(BankEntry.note, note),
        BankEntry.GSI1PK.remove(),
        BankEntry.GSI1SK.remove(),
    ]


def return_suspense_entry(entry: BankEntry, *, by: str, note: str | None, now: str) -> bool:
    """Mark a suspense credit returned to the payer; False when no longer in suspense."""
    try:
        entry.update(
            actions=[BankEntry.status.set(RETURNED), *_resolved(by, note, now)],
            condition=BankEntry.status == IN_SUSPENSE,
        )
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def book_suspense_entry(
    ref: str, *, customer_no: str, by: str, note: str | None, now: str
) -> Guard:
    """The booking's idempotency item: the suspense entry turns booked (if still in
    suspense) in the same transaction as its ledger entry."""
    resolved = _resolved(by, note, now)

    def guard(tx: TransactWrite) -> None:
        tx.update(
            BankEntry(bank_entry_pk(ref), BANK_ENTRY_SK),
            actions=[
                BankEntry.status.set(BOOKED),
                BankEntry.customer_no.set(customer_no),
                BankEntry.matched_by.set("admin"),
                *resolved,
            ],
            condition=BankEntry.status == IN_SUSPENSE,
        )

    return guard


def record_statement_import(
    statement_id: str,
    *,
    account: str | None,
    created: str | None,
    source_key: str | None,
    entries: int,
    booked: int,
    suspense: int,
    duplicates: int,
    skipped: int,
    now: str,
) -> None:
    """Upsert the statement's record with the counts of its latest import."""
    Statement(statement_pk(statement_id), STATEMENT_SK).update(
        actions=[
            Statement.type.set(Statement),  # type: ignore[arg-type]
            Statement.statement_id.set(statement_id),
            *_set_or_remove(Statement.account, account),
            *_set_or_remove(Statement.created, created),
            *_set_or_remove(Statement.source_key, source_key),
            Statement.entries.set(entries),
            Statement.booked.set(booked),
            Statement.suspense.set(suspense),
            Statement.duplicates.set(duplicates),
            Statement.skipped.set(skipped),
            Statement.imports.add(1),
            Statement.imported_at.set(now),
            Statement.GSI1PK.set(STATEMENTS),
            Statement.GSI1SK.set(f"{now}#{statement_id}"),
        ]
    )


# --- migration: the history's time-ordered key for entries written before it -------------


def _legacy(entry: LedgerEntry) -> bool:
    return not str(entry.GSI1PK or "").startswith(history_gsi(""))


def _backfill_entry(entry: LedgerEntry) -> bool:
    """Give one legacy entry its history key (an invoice debit first gets its owner marker,
    in the same transaction, because the key replaces its old ``LEDGERINV#`` GSI1 entry).
    Conditional on the GSI1 read, so a rerun or a concurrent writer changes nothing."""
    old = entry.GSI1PK
    condition = Item.GSI1PK.does_not_exist() if old is None else Item.GSI1PK.is_in(old)
    actions: list[Action] = [
        Item.GSI1PK.set(history_gsi(entry.customer_no)),
        Item.GSI1SK.set(history_sk(entry.value_date, entry.booked_at, str(entry.SK))),
    ]
    try:
        with transaction() as tx:
            tx.update(entry, actions=actions, condition=condition)
            if entry.kind == "invoice" and entry.invoice_no:
                tx.save(_owner_of(entry.invoice_no, entry.customer_no))
    except TransactWriteError as exc:
        if "ConditionalCheckFailed" in cancellation_codes(exc):
            return False
        raise
    return True


def backfill_history_page(
    cursor: str | None, limit: int = 100, segment: int = 0, segments: int = 1
) -> tuple[int, int, str | None]:
    """One bounded step of the migration: a Scan page of ``limit`` items of the table (of
    one parallel ``segment``), every legacy ledger entry among them given its history key.
    Returns (entries seen, entries moved, cursor of the next page or None at the end)."""
    start = paging.decode(cursor)
    result = Item.scan(
        filter_condition=Item.type.is_in(LedgerEntry),  # type: ignore[arg-type]
        page_size=limit,
        last_evaluated_key=start,
        segment=segment if segments > 1 else None,
        total_segments=segments if segments > 1 else None,
    )
    raw = next(result.page_iter, None) or {}  # exactly one Scan request, however few match
    seen = moved = 0
    for data in raw.get("Items", []):
        item = Item.from_raw_data(data)
        if isinstance(item, LedgerEntry):
            seen += 1
            if _legacy(item) and _backfill_entry(item):
                moved += 1
    return seen, moved, paging.encode(result.page_iter.last_evaluated_key)
