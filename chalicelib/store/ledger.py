"""Ledger (rozrachunki): balances, ledger entries, online payments, bank entries, notices.

* ``AccountBalance`` lives in the customer's collection (``PK=CUST#<no>, SK=BALANCE``) so the
  overview Query returns it. It holds the open invoices and unapplied credit and a
  ``version``; every change is a conditional write (version) or an atomic ``ADD``.
* ``LedgerEntry`` items are the history (``PK=LEDGER#<no>``), keyed by their natural key
  (``ENTRY#INV#<invoice>``, ``ENTRY#PAY#<payment>``, ``ENTRY#BANK#<bank ref>``...), so a
  replayed booking fails its ``attribute_not_exists`` condition.
* ``Payment`` (``PAYMENT#<id>``) is an online payment; ``BankEntry`` (``BANKENTRY#<ref>``) is a
  credit from a bank statement, booked or waiting in the suspense list (GSI1 ``SUSPENSE``).
"""

from __future__ import annotations

import zlib
from typing import Any

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.domain.ledger import AccountState, Allocation, OpenInvoice
from chalicelib.store.base import Item
from chalicelib.store.customers import customer_pk

BALANCE_SK = "BALANCE"
ACCOUNT_SHARDS = 8  # GSI1 partitions of accounts with open items or credit (daily notices)
SUSPENSE = "SUSPENSE"
STATEMENTS = "STATEMENTS"


def ledger_pk(customer_no: str) -> str:
    return f"LEDGER#{customer_no}"


def entry_sk(kind: str, ref: str) -> str:
    return f"ENTRY#{kind}#{ref}"


def payment_pk(payment_id: str) -> str:
    return f"PAYMENT#{payment_id}"


def bank_entry_pk(ref: str) -> str:
    return f"BANKENTRY#{ref}"


def account_shard(customer_no: str) -> str:
    n = int(customer_no) if customer_no.isdigit() else zlib.crc32(customer_no.encode())
    return f"ACCOUNTS#{n % ACCOUNT_SHARDS}"


def invoice_gsi(invoice_no: str) -> str:
    return f"LEDGERINV#{invoice_no.upper()}"


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
    Invoice debits: GSI1 = (LEDGERINV#<invoice no>, CUST#<no>) finds the customer by the
    invoice number written in a transfer title."""

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
    """Two items: the debit entry (once per invoice) and an atomic balance update that
    appends the open item without reading (``list_append`` + ``ADD``; bumps ``version``
    so a concurrent read-modify-write of the balance retries)."""
    entry = LedgerEntry(
        ledger_pk(customer_no),
        entry_sk("INV", invoice_no),
        GSI1PK=invoice_gsi(invoice_no),
        GSI1SK=customer_pk(customer_no),
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
        AccountBalance.GSI1SK.set(AccountBalance.GSI1SK | f"DUE#{due_date}"),
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
        item.GSI1SK = "DUE#" + min(i.due_date for i in state.open)
    elif state.unapplied > 0:
        item.GSI1PK = account_shard(customer_no)
        item.GSI1SK = f"CREDIT#{now[:10]}"
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


def customer_of_invoice(invoice_no: str) -> str | None:
    for item in Item.gsi1.query(invoice_gsi(invoice_no), limit=1):
        if isinstance(item, LedgerEntry):
            return item.customer_no
    return None


def accounts_to_review(shard: int, due_before: str) -> list[AccountBalance]:
    """Accounts whose earliest open invoice fell due before ``due_before`` or that hold
    credit (GSI1, one shard)."""
    pk = f"ACCOUNTS#{shard}"
    found = list(Item.gsi1.query(pk, Item.GSI1SK.between("DUE#", f"DUE#{due_before}")))
    found += list(Item.gsi1.query(pk, Item.GSI1SK.startswith("CREDIT#")))
    return [i for i in found if isinstance(i, AccountBalance)]


def get_payment(payment_id: str) -> Payment | None:
    try:
        item = Item.get(payment_pk(payment_id), "PAYMENT", consistent_read=True)
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, Payment) else None


def put_payment(payment: Payment) -> None:
    payment.save(condition=Item.PK.does_not_exist())


def customer_payments(customer_no: str, limit: int = 50) -> list[Payment]:
    return [
        i
        for i in Item.gsi1.query(f"PAYMENTS#{customer_no}", scan_index_forward=False, limit=limit)
        if isinstance(i, Payment)
    ]


def get_bank_entry(ref: str) -> BankEntry | None:
    try:
        item = Item.get(bank_entry_pk(ref), "ENTRY", consistent_read=True)
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, BankEntry) else None


def suspense_entries(limit: int = 200) -> list[BankEntry]:
    return [i for i in Item.gsi1.query(SUSPENSE, limit=limit) if isinstance(i, BankEntry)]


def put_statement(statement: Statement) -> None:
    statement.save()


def get_statement(statement_id: str) -> Statement | None:
    try:
        item = Item.get(f"STATEMENT#{statement_id}", "STATEMENT")
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
    from pynamodb.exceptions import PutError

    marker = NoticeSent(
        ledger_pk(customer_no),
        f"NOTICE#{notice}",
        customer_no=customer_no,
        notice=notice,
        sent_at=now,
    )
    try:
        marker.save(condition=Item.PK.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def release_notice(customer_no: str, notice: str) -> None:
    """Forget a marker whose e-mail could not be sent, so the next run tries again."""
    NoticeSent(ledger_pk(customer_no), f"NOTICE#{notice}").delete()


def cancellation_codes(exc: TransactWriteError) -> list[str | None]:
    return [r.code if r else None for r in exc.cancellation_reasons]
