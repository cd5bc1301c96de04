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

import json
from typing import Any

from pynamodb.attributes import Attribute, BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.constants import STRING
from pynamodb.exceptions import UpdateError

from chalicelib.store.base import Item, transaction
from chalicelib.store.customers import Contract, Customer, Meter, Premises, customer_pk

PRINT_PENDING = "PRINT#PENDING"


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
    """Profile, premises, contracts, meters and billing marks: one Query."""
    types = (Customer, Premises, Contract, Meter, BillingMark)
    return list(Item.query(customer_pk(customer_no), filter_condition=Item.type.is_in(*types)))


def invoices_and_deliveries(customer_no: str) -> list[Item]:
    """Every invoice of a customer with its delivery item, newest first: one Query."""
    return list(
        Item.query(customer_pk(customer_no), Item.SK.startswith("INV#"), scan_index_forward=False)
    )


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


def counter_value(series: str, month: str) -> int:
    try:
        item = Item.get(counter_pk(series, month), "COUNTER")
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


def claim_delivery(dlv: InvoiceDelivery, handed_token: str | None, token: str, at: str) -> bool:
    """Take a delivery for one send attempt: a ``pending`` one, or one still claimed with
    the token its issuer handed over with the queue message. False if someone else holds
    it or it was sent."""
    condition = InvoiceDelivery.status == "pending"
    if handed_token:
        condition = condition | (
            (InvoiceDelivery.status == "sending") & (InvoiceDelivery.token == handed_token)
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


def set_consent(customer: Customer, consent: bool, at: str, by: str, change_id: str) -> bool:
    """Switch e-invoice consent and record the change; False if it already had that value."""
    from pynamodb.exceptions import TransactWriteError

    change = ConsentChange(
        customer_pk(customer.customer_no),
        f"CONSENT#{at}#{change_id}",
        customer_no=customer.customer_no,
        consent=consent,
        at=at,
        by=by,
    )
    try:
        with transaction() as tx:
            tx.update(
                customer,
                actions=[
                    Customer.einvoice_consent.set(consent),
                    Customer.einvoice_consent_at.set(at),
                ],
                condition=Customer.einvoice_consent != consent,
            )
            tx.save(change, condition=Item.PK.does_not_exist())
    except TransactWriteError as exc:
        reasons = exc.cancellation_reasons or []
        if any(r is not None and r.code == "ConditionalCheckFailed" for r in reasons):
            return False
        raise
    return True
