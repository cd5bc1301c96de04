"""Invoices (faktury), their delivery, billing marks, number counters and e-invoice consent.

In the customer's item collection (``PK = CUST#<no>``):

- ``INV#<yyyy-mm>#<series>-<seq>``: Invoice, never modified once written;
- ``INV#<yyyy-mm>#<series>-<seq>#DLV``: InvoiceDelivery (e-mail or paper) right after it, so
  the invoice list with delivery states is one Query; a paper one waiting for the print batch
  is also under ``GSI1 = (PRINT#PENDING, <issue date>#<customer>#<invoice id>)``;
- ``BILL#<contract>#<yyyy-mm>``: BillingMark, the idempotency key of the invoicing job (one
  invoice per contract and period) and where the next bill starts reading from;
- ``CONSENT#<at>``: ConsentChange, the history of e-invoice consent.

Counters: ``PK = COUNTER#INV#<series>#<yyyy-mm>, SK = COUNTER`` — changed only inside the
transaction that writes the invoice, so numbers are gapless.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pynamodb.attributes import Attribute, BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.constants import STRING
from pynamodb.exceptions import TransactWriteError, UpdateError

from chalicelib.domain import invoices as invoice_rules
from chalicelib.domain import ledger as ledger_rules
from chalicelib.store import ledger as ledger_store
from chalicelib.store import paging
from chalicelib.store.base import Item, transaction
from chalicelib.store.customers import (
    CURRENT,
    Contract,
    Customer,
    Meter,
    Premises,
    customer_pk,
)

PRINT_PENDING = "PRINT#PENDING"


OPEN_DELIVERY_SHARDS = 4


def open_delivery_pk(invoice_id: str) -> str:
    """The sweeper's index of e-mail deliveries not sent yet, in a few shards (no hot key)."""
    shard = int(hashlib.sha256(invoice_id.encode()).hexdigest(), 16) % OPEN_DELIVERY_SHARDS
    return f"DLV#OPEN#{shard}"


def invoice_sk(invoice_id: str) -> str:
    """``FC-2026-12-000005`` → ``INV#2026-12#FC-000005``."""
    series, year, month, seq = invoice_id.split("-")
    return f"INV#{year}-{month}#{series}-{seq}"


def delivery_sk(invoice_id: str) -> str:
    return invoice_sk(invoice_id) + "#DLV"


def counter_pk(series: str, month: str) -> str:
    return f"COUNTER#INV#{series}#{month}"


def mark_sk(contract_no: str, period: str) -> str:
    return f"BILL#{contract_no}#{period}"


def correction_guard_sk(original_id: str, fingerprint: str) -> str:
    """The idempotency key of a correction: one per original and corrected usage."""
    return f"CORR#{original_id}#{fingerprint}"


def latest_sk(contract_no: str) -> str:
    """The latest invoice of a contract, among the customer's current items (``@``)."""
    return f"{CURRENT}LATEST#{contract_no}"


COUNTER_SK = "COUNTER"


class JsonText(Attribute[Any]):
    """A JSON document kept as text (Decimals written as strings before dumping)."""

    attr_type = STRING

    def serialize(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def deserialize(self, value: str) -> Any:
        return json.loads(value)


class Invoice(Item, discriminator="Invoice"):
    """Faktura VAT (or korygująca): every field of art. 106e, frozen at issue."""

    invoice_id = UnicodeAttribute()
    number = UnicodeAttribute()
    series = UnicodeAttribute()
    seq = NumberAttribute()
    kind = UnicodeAttribute()  # invoice | correction
    corrects = UnicodeAttribute(null=True)  # id of the corrected invoice
    correction_reason = UnicodeAttribute(null=True)
    customer_no = UnicodeAttribute()
    contract_no = UnicodeAttribute()
    premises_id = UnicodeAttribute()
    product = UnicodeAttribute()
    tariff_group = UnicodeAttribute()
    period = UnicodeAttribute()  # YYYY-MM
    period_from = UnicodeAttribute()
    period_to = UnicodeAttribute()
    issue_date = UnicodeAttribute()
    due_date = UnicodeAttribute()
    seller = JsonText()
    buyer = JsonText()
    supply_address = UnicodeAttribute()
    bank_account = UnicodeAttribute()  # NRB, 26 digits
    lines = JsonText()
    rates = JsonText()
    net = NumberAttribute()
    vat = NumberAttribute()
    gross = NumberAttribute()
    meters = JsonText()  # [{serial, opening, closing, usage, estimated}]
    estimated = BooleanAttribute(default=False)
    ordered_capacity_mw = UnicodeAttribute(null=True)
    yearly_kwh = UnicodeAttribute(null=True)
    pdf_key = UnicodeAttribute()
    channel = UnicodeAttribute()  # email | paper
    created_at = UnicodeAttribute()
    # A correction: the state before and after it ({lines, rates, net, vat, gross, usage}).
    state_before = JsonText(null=True)
    state_after = JsonText(null=True)
    requested_by = UnicodeAttribute(null=True)  # four-eyes: who asked; created_by approved
    # The recipient (Odbiorca, FA(3) Podmiot3) when it is not the buyer: a municipal unit
    # under VAT centralisation ({name, address, nip, customer_no, jst}).
    recipient = JsonText(null=True)
    created_by = UnicodeAttribute(null=True)


class InvoiceDelivery(Item, discriminator="InvoiceDelivery"):
    """How an invoice reaches the customer; the only item about an invoice that changes.

    status: ``sending`` (claimed by a sender, ``token``) → ``sent``; ``pending`` (queued for
    a retry); ``paper_pending`` → ``printed`` (in a print batch)."""

    invoice_id = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    channel = UnicodeAttribute()
    status = UnicodeAttribute()
    token = UnicodeAttribute(null=True)
    claimed_at = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    sent_at = UnicodeAttribute(null=True)
    message_id = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    print_batch = UnicodeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)


class BillingMark(Item, discriminator="BillingMark"):
    """One per contract and billing period: the invoicing job's idempotency key."""

    contract_no = UnicodeAttribute()
    period = UnicodeAttribute()
    invoice_id = UnicodeAttribute()
    closing = JsonText()  # {serial: point} where the next bill starts
    created_at = UnicodeAttribute()


class LatestInvoice(Item, discriminator="LatestInvoice"):
    """The latest invoice issued for a contract (SK=@LATEST#<contract>): rewritten by every
    issue transaction, so the overview shows it without reading the invoice history."""

    contract_no = UnicodeAttribute()
    invoice_id = UnicodeAttribute()
    number = UnicodeAttribute()
    kind = UnicodeAttribute()
    product = UnicodeAttribute()
    period = UnicodeAttribute()
    issue_date = UnicodeAttribute()
    due_date = UnicodeAttribute()
    gross = NumberAttribute()


def latest_of(inv: Invoice) -> LatestInvoice:
    return LatestInvoice(
        customer_pk(inv.customer_no),
        latest_sk(inv.contract_no),
        contract_no=inv.contract_no,
        invoice_id=inv.invoice_id,
        number=inv.number,
        kind=inv.kind,
        product=inv.product,
        period=inv.period,
        issue_date=inv.issue_date,
        due_date=inv.due_date,
        gross=int(inv.gross),
    )


class InvoiceCounter(Item, discriminator="InvoiceCounter"):
    series = UnicodeAttribute()
    month = UnicodeAttribute()
    value = NumberAttribute()


class ConsentChange(Item, discriminator="ConsentChange"):
    """Zgoda na e-fakturę: who switched it, to what, when."""

    customer_no = UnicodeAttribute()
    consent = BooleanAttribute()
    at = UnicodeAttribute()
    by = UnicodeAttribute()


# --- reads ---------------------------------------------------------------------------


def billing_collection(customer_no: str) -> list[Item]:
    """Profile, premises, contracts, meters and billing marks: one Query over the current
    items (``@``) and the marks (``BILL#``), which sort together; the invoices, deliveries
    and the rest of the history (after ``BILL#~``) are never read."""
    types = (Customer, Premises, Contract, Meter, BillingMark)
    return list(
        Item.query(
            customer_pk(customer_no),
            Item.SK.between(CURRENT, mark_sk("~", "")),
            filter_condition=Item.type.is_in(*types),
        )
    )


def invoices_and_deliveries(customer_no: str) -> list[Item]:
    """Every invoice of a customer with its delivery item, newest first: one Query."""
    return list(
        Item.query(customer_pk(customer_no), Item.SK.startswith("INV#"), scan_index_forward=False)
    )


def invoices_page(
    customer_no: str, limit: int, cursor: str | None, premises_id: str | None = None
) -> paging.Page[Item]:
    """At most ``limit`` invoices, newest first, each with the items sorted beside it (its
    delivery, KSeF submission): one Query of ``3 * limit`` items. A page ends after a whole
    invoice; the cursor names that invoice's key. ``BadCursor`` for a cursor of another
    customer or list.

    ``premises_id``: only that premises' invoices (a filter on the Query, which reads on
    until the page is full; the items beside other invoices may come along and are unused)."""
    pk = customer_pk(customer_no)
    start = paging.decode(cursor)
    if start is not None and (start["PK"]["S"] != pk or not start["SK"]["S"].startswith("INV#")):
        raise paging.BadCursor("cursor of another list")
    condition = None
    if premises_id is not None:
        condition = (Invoice.premises_id == premises_id) | Invoice.premises_id.does_not_exist()
    result = Item.query(
        pk,
        Item.SK.startswith("INV#"),
        scan_index_forward=False,
        limit=3 * limit,
        last_evaluated_key=start,
        filter_condition=condition,
    )
    read = list(result)
    whole, count = 0, 0
    for n, item in enumerate(read):  # newest first: an invoice comes after its #DLV, #KSEF
        if isinstance(item, Invoice):
            count, whole = count + 1, n + 1
            if count == limit:
                break
    more = whole < len(read) or result.last_evaluated_key is not None
    page = paging.Page(items=read[:whole])
    if more and whole:
        page.cursor = paging.encode(paging.key_of(read[whole - 1]))
    elif whole == 0 and result.last_evaluated_key is not None:
        # only other premises' deliveries in this read: go on from where it stopped
        page.cursor = paging.encode(result.last_evaluated_key)
    return page


def premises_of_numbers(customer_no: str, numbers: Sequence[str]) -> dict[str, str]:
    """Invoice number -> premises id for a customer's invoices (one BatchGetItem; numbers
    that are not this customer's invoices are left out)."""
    ids = {n: n.replace("/", "-") for n in set(numbers)}
    ids = {n: i for n, i in ids.items() if invoice_rules.parse_invoice_id(i) is not None}
    keys = [(customer_pk(customer_no), invoice_sk(i)) for i in ids.values()]
    found = Invoice.batch_get(keys) if keys else []
    return {str(i.number): str(i.premises_id) for i in found if isinstance(i, Invoice)}


def corrections_of(customer_no: str, invoice_id: str) -> list[str]:
    """Ids of the correcting invoices of an invoice, by key (its ``CORR#<id>#`` guards):
    one Query of a few small items, never the invoice history."""
    return [
        str(m.invoice_id)
        for m in Item.query(
            customer_pk(customer_no), Item.SK.startswith(correction_guard_sk(invoice_id, ""))
        )
        if isinstance(m, BillingMark)
    ]


def invoice_with_delivery(
    customer_no: str, invoice_id: str
) -> tuple[Invoice | None, InvoiceDelivery | None]:
    inv, dlv = None, None
    for item in Item.query(customer_pk(customer_no), Item.SK.startswith(invoice_sk(invoice_id))):
        if isinstance(item, Invoice) and item.invoice_id == invoice_id:
            inv = item
        elif isinstance(item, InvoiceDelivery) and item.invoice_id == invoice_id:
            dlv = item
    return inv, dlv


def get_invoice(customer_no: str, invoice_id: str) -> Invoice | None:
    try:
        item = Item.get(customer_pk(customer_no), invoice_sk(invoice_id))
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, Invoice) else None


def contract_marks(items: Sequence[Item], contract_no: str) -> list[BillingMark]:
    """The billing marks of a contract among ``items`` (a billing collection), oldest
    period first; correction guards are not billing marks of a period."""
    prefix = mark_sk(contract_no, "")
    return sorted(
        (i for i in items if isinstance(i, BillingMark) and str(i.SK).startswith(prefix)),
        key=lambda m: m.period,
    )


def invoices_of(deliveries: Sequence[InvoiceDelivery]) -> list[Invoice]:
    """The invoices of some deliveries (BatchGetItem)."""
    keys = [(customer_pk(d.customer_no), invoice_sk(d.invoice_id)) for d in deliveries]
    return [i for i in Invoice.batch_get(keys) if isinstance(i, Invoice)]


def counter_values(series: Sequence[str], month: str) -> dict[str, int]:
    """The counters of several series of a month in one BatchGetItem (0 where none)."""
    wanted = list(dict.fromkeys(series))
    found = {
        str(i.series): int(i.value)
        for i in InvoiceCounter.batch_get([(counter_pk(s, month), COUNTER_SK) for s in wanted])
        if isinstance(i, InvoiceCounter)
    }
    return {s: found.get(s, 0) for s in wanted}


def counter_value(series: str, month: str) -> int:
    try:
        item = Item.get(counter_pk(series, month), COUNTER_SK)
    except Item.DoesNotExist:
        return 0
    return int(item.value) if isinstance(item, InvoiceCounter) else 0


def pending_prints(until_date: str) -> list[InvoiceDelivery]:
    return [
        i
        for i in Item.gsi1.query(PRINT_PENDING, f"{until_date}#~" >= Item.GSI1SK)
        if isinstance(i, InvoiceDelivery)
    ]


# --- writes --------------------------------------------------------------------------


def claim_delivery(
    dlv: InvoiceDelivery,
    handed_token: str | None,
    token: str,
    at: str,
    stale_before: str | None = None,
) -> bool:
    """Take a delivery for one send attempt: a ``pending`` one, one still claimed with the
    token its issuer handed over with the queue message, or (``stale_before``) one whose
    claimer died: claimed before that instant. False if someone else holds it or it was
    sent."""
    condition = InvoiceDelivery.status == "pending"
    if handed_token:
        condition = condition | (
            (InvoiceDelivery.status == "sending") & (InvoiceDelivery.token == handed_token)
        )
    if stale_before:
        condition = condition | (
            (InvoiceDelivery.status == "sending") & (InvoiceDelivery.claimed_at < stale_before)
        )
    try:
        dlv.update(
            actions=[
                InvoiceDelivery.status.set("sending"),
                InvoiceDelivery.token.set(token),
                InvoiceDelivery.claimed_at.set(at),
                InvoiceDelivery.attempts.add(1),
            ],
            condition=condition,
        )
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def release_delivery(dlv: InvoiceDelivery, token: str, error: str) -> None:
    """A send failed before the message left: back to ``pending`` for the retry."""
    try:
        dlv.update(
            actions=[
                InvoiceDelivery.status.set("pending"),
                InvoiceDelivery.token.remove(),
                InvoiceDelivery.last_error.set(error[:500]),
            ],
            condition=(InvoiceDelivery.status == "sending") & (InvoiceDelivery.token == token),
        )
    except UpdateError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise


def mark_sent(dlv: InvoiceDelivery, token: str, message_id: str, at: str) -> None:
    dlv.update(
        actions=[
            InvoiceDelivery.status.set("sent"),
            InvoiceDelivery.sent_at.set(at),
            InvoiceDelivery.message_id.set(message_id),
            InvoiceDelivery.token.remove(),
            InvoiceDelivery.GSI1PK.remove(),
            InvoiceDelivery.GSI1SK.remove(),
        ],
        condition=(InvoiceDelivery.status == "sending") & (InvoiceDelivery.token == token),
    )


def save_sent_batch(deliveries: list[InvoiceDelivery]) -> None:
    """Record e-mails sent by the invoicing worker itself (it holds their claims): one
    BatchWriteItem per 25 deliveries."""
    if not deliveries:
        return
    with InvoiceDelivery.batch_write() as batch:
        for d in deliveries:
            batch.save(d)


def mark_printed(deliveries: list[InvoiceDelivery], batch_key: str) -> None:
    with InvoiceDelivery.batch_write() as batch:
        for d in deliveries:
            d.status = "printed"
            d.print_batch = batch_key
            d.GSI1PK = None
            d.GSI1SK = None
            batch.save(d)


# --- issuing: one transaction ----------------------------------------------------------


def new_invoice(fields: Mapping[str, Any]) -> Invoice:
    """An invoice item from its fields (``customer_no`` and ``invoice_id`` give the keys)."""
    return Invoice(customer_pk(fields["customer_no"]), invoice_sk(fields["invoice_id"]), **fields)


def new_delivery(inv: Invoice, email: str | None, token: str, now: str) -> InvoiceDelivery:
    """The delivery of a new invoice: an e-mail claimed by the issuing worker (``token``),
    or a paper invoice waiting for the print batch."""
    dlv = InvoiceDelivery(
        inv.PK,
        delivery_sk(inv.invoice_id),
        invoice_id=inv.invoice_id,
        customer_no=inv.customer_no,
        channel=inv.channel,
        attempts=0,
    )
    if inv.channel == "email":
        dlv.status = "sending"
        dlv.token = token
        dlv.claimed_at = now
        dlv.email = email
        # In the sweeper's index until sent: a worker that dies holding it is found there.
        dlv.GSI1PK = open_delivery_pk(inv.invoice_id)
        dlv.GSI1SK = f"{now}#{inv.customer_no}#{inv.invoice_id}"
    else:
        dlv.status = "paper_pending"
        dlv.GSI1PK = PRINT_PENDING
        dlv.GSI1SK = f"{inv.issue_date}#{inv.customer_no}#{inv.invoice_id}"
    return dlv


def billing_mark(
    customer_no: str,
    contract_no: str,
    period: str,
    invoice_id: str,
    closing: Mapping[str, Any],
    now: str,
) -> BillingMark:
    """The invoicing job's idempotency item: one invoice per contract and period."""
    return BillingMark(
        customer_pk(customer_no),
        mark_sk(contract_no, period),
        contract_no=contract_no,
        period=period,
        invoice_id=invoice_id,
        closing=dict(closing),
        created_at=now,
    )


def correction_guard(original: Invoice, fingerprint: str, invoice_id: str, now: str) -> BillingMark:
    """A correction's idempotency item: one per original and corrected usage."""
    return BillingMark(
        customer_pk(original.customer_no),
        correction_guard_sk(original.invoice_id, fingerprint),
        contract_no=original.contract_no,
        period=original.period,
        invoice_id=invoice_id,
        closing={},
        created_at=now,
    )


class IssueFailed(RuntimeError):
    """The issuing transaction was cancelled for a reason other than a lost race or a
    replay; nothing of it was written."""


@dataclass
class Issue:
    """Everything one issue writes besides the number: the invoice, its delivery, the
    idempotency item (billing mark or correction guard) and other new items (estimated
    readings). A negative invoice is booked as a ledger credit (``credit_title``; against
    ``credit_invoice_no`` when it corrects one), a non-negative one as a debit."""

    invoice: Invoice
    delivery: InvoiceDelivery
    mark: BillingMark
    extras: Sequence[Item] = field(default_factory=list)
    credit_title: str | None = None
    credit_invoice_no: str | None = None
    # Further conditional writes of the same transaction (built by store functions, e.g.
    # the corrected billing mark, a correction request's pending → issued).
    guards: Sequence[Callable[[Any], None]] = field(default_factory=list)
    # Projections rewritten whole with the invoice (no condition, never a cancellation
    # reason): the month's use and cost (UsageMonth), so the worker spends no extra call.
    projections: Sequence[Item] = field(default_factory=list)


@dataclass(frozen=True)
class Attempt:
    """How one issue transaction ended: ``issued``; ``exists`` (the idempotency item was
    there: a replay or another worker); ``counter_moved`` (``counter`` is the value seen);
    ``retry`` (a transaction conflict or a balance changed meanwhile)."""

    status: str
    counter: int | None = None


def ledger_credit_items(
    current: ledger_store.AccountBalance | None,
    *,
    customer_no: str,
    ref: str,
    amount_grosze: int,
    invoice_no: str | None,
    title: str | None,
    now: str,
    value_date: str,
) -> tuple[ledger_store.LedgerEntry, ledger_store.AccountBalance]:
    """The two ledger items of a correction lowering what is due by ``amount_grosze``
    (the ledger's correction booking), from the balance read (pure)."""
    state = current.state() if current else ledger_rules.AccountState()
    outcome = ledger_rules.correct(state, amount_grosze, invoice_no)
    credit_ref = ledger_rules.credit_ref_after(
        state, outcome.state, current.credit_ref if current else None, ref
    )
    entry = ledger_store.new_entry(
        customer_no,
        "correction",
        ref,
        -amount_grosze,
        now=now,
        value_date=value_date,
        allocations=outcome.allocations,
        invoice_no=invoice_no,
        title=title,
        source="invoicing",
        balance_after=outcome.state.balance,
    )
    balance = ledger_store.balance_item(
        customer_no, outcome.state, int(current.version) if current else 0, now, credit_ref
    )
    return entry, balance


def _add_ledger(tx: Any, bundle: Issue, now: str, value_date: str) -> int | None:
    """The ledger debit (or credit) of the invoice; returns the index of the balance put
    when the credit is conditional on the balance version read."""
    inv = bundle.invoice
    gross = int(inv.gross)
    if gross >= 0:
        ledger_store.add_invoice_debit(
            tx,
            customer_no=inv.customer_no,
            invoice_no=inv.number,
            gross_grosze=gross,
            issue_date=inv.issue_date,
            due_date=inv.due_date,
            now=now,
        )
        return None
    current = ledger_store.get_balance(inv.customer_no)
    entry, balance = ledger_credit_items(
        current,
        customer_no=inv.customer_no,
        ref=inv.number,
        amount_grosze=-gross,
        invoice_no=bundle.credit_invoice_no,
        title=bundle.credit_title,
        now=now,
        value_date=value_date,
    )
    tx.save(entry, condition=Item.PK.does_not_exist())
    ledger_store.save_balance(tx, balance, int(current.version) if current else None)
    return 5 + len(bundle.extras)  # counter, invoice, mark, extras, delivery, entry


def _counter_item(series: str, month: str, value: int) -> InvoiceCounter:
    return InvoiceCounter(
        counter_pk(series, month), COUNTER_SK, series=series, month=month, value=value
    )


def _attempt_from(
    exc: TransactWriteError, balance_at: int | None, series: str, month: str
) -> Attempt:
    reasons = list(exc.cancellation_reasons or [])
    codes = [r.code if r else None for r in reasons]
    if len(codes) > 2 and codes[2] == "ConditionalCheckFailed":
        return Attempt("exists")  # issued already (another worker, or a replay)
    if codes and codes[0] == "ConditionalCheckFailed":
        raw = reasons[0].raw_item if reasons[0] else None
        current = int(raw["value"]["N"]) if raw and "value" in raw else None
        return Attempt(
            "counter_moved", current if current is not None else counter_value(series, month)
        )
    balance_moved = (
        balance_at is not None
        and len(codes) > balance_at
        and codes[balance_at] == "ConditionalCheckFailed"
    )
    if balance_moved or "TransactionConflict" in codes or not codes:
        return Attempt("retry")
    raise IssueFailed(f"invoice transaction cancelled: {codes}") from exc


def issue(
    bundle: Issue, series: str, month: str, seq: int, *, now: str, value_date: str
) -> Attempt:
    """Write an invoice numbered ``seq`` in one transaction: the counter (conditional on
    ``seq - 1``, so numbers are gapless), the invoice, the idempotency item, the extras,
    the delivery and the ledger debit, or for a negative invoice the ledger credit with
    the balance (conditional on the version read). All of it or nothing."""
    first = seq == 1
    cond = Item.PK.does_not_exist() if first else (InvoiceCounter.value == seq - 1)
    balance_at = None
    try:
        with transaction() as tx:  # puts in this order, then the debit's balance update
            tx.save(_counter_item(series, month, seq), condition=cond, return_values="ALL_OLD")
            tx.save(bundle.invoice, condition=Item.PK.does_not_exist())
            tx.save(bundle.mark, condition=Item.PK.does_not_exist())
            for item in bundle.extras:
                tx.save(item, condition=Item.PK.does_not_exist())
            tx.save(bundle.delivery, condition=Item.PK.does_not_exist())
            balance_at = _add_ledger(tx, bundle, now, value_date)
            for add in bundle.guards:  # after the ledger: the indexes above stay as they are
                add(tx)
            for item in bundle.projections:
                tx.save(item)
            tx.save(latest_of(bundle.invoice))  # the overview's latest invoice, no condition
    except TransactWriteError as exc:
        return _attempt_from(exc, balance_at, series, month)
    return Attempt("issued")


# --- corrections: the billing basis follows -----------------------------------------------


def corrected_mark(mark: BillingMark, closing: Mapping[str, Any]) -> Callable[[Any], None]:
    """The billing mark's closing points moved by a correction (the next invoice starts
    there), on condition that they are still what the correction was computed from."""

    def add(tx: Any) -> None:
        tx.update(
            mark,
            actions=[BillingMark.closing.set(dict(closing))],
            condition=BillingMark.closing == mark.closing,
        )

    return add


def no_mark_for(customer_no: str, contract_no: str, period: str) -> Callable[[Any], None]:
    """A condition of the transaction: the contract has no invoice for ``period`` (a
    correction of the closing reading must come before the next invoice starts from it)."""

    def add(tx: Any) -> None:
        tx.condition_check(
            BillingMark,
            customer_pk(customer_no),
            mark_sk(contract_no, period),
            condition=Item.PK.does_not_exist(),
        )

    return add


def find_mark(items: Sequence[Item], contract_no: str, period: str) -> BillingMark | None:
    return next((m for m in contract_marks(items, contract_no) if m.period == period), None)


# --- delivery hand-overs: KSeF gate and the sweeper (services.delivery) ----------------------


def await_ksef(dlv: InvoiceDelivery, token: str, at: str) -> bool:
    """A claimed e-mail of an invoice KSeF has not accepted yet: ``awaiting_ksef`` (it stays
    in the sweeper's index); False if the claim was lost meanwhile."""
    try:
        dlv.update(
            actions=[
                InvoiceDelivery.status.set("awaiting_ksef"),
                InvoiceDelivery.token.remove(),
                InvoiceDelivery.claimed_at.set(at),
            ],
            condition=(InvoiceDelivery.status == "sending") & (InvoiceDelivery.token == token),
        )
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def release_after_ksef(dlv: InvoiceDelivery, at: str) -> bool:
    """KSeF accepted the invoice: its e-mail goes ``pending`` for the delivery queue once."""
    try:
        dlv.update(
            actions=[InvoiceDelivery.status.set("pending"), InvoiceDelivery.claimed_at.set(at)],
            condition=InvoiceDelivery.status == "awaiting_ksef",
        )
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def open_deliveries(cutoff: str, limit: int = 100) -> list[InvoiceDelivery]:
    """E-mail deliveries not sent whose hand-over began before ``cutoff`` (the sweeper; the
    caller checks each one's state)."""
    out: list[InvoiceDelivery] = []
    for shard in range(OPEN_DELIVERY_SHARDS):
        out += [
            i
            for i in Item.gsi1.query(f"DLV#OPEN#{shard}", cutoff > Item.GSI1SK, limit=limit)
            if isinstance(i, InvoiceDelivery)
        ]
    return out
