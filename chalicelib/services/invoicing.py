"""Monthly invoicing (fakturowanie): find the contracts due, fan out through SQS, and issue
one invoice per contract and period.

Issuing is one DynamoDB transaction: the number counter, the invoice, the billing mark (the
idempotency key: contract + period), the estimated readings it made, the delivery item and
the ledger debit (``services.ledger.record_invoice_in``). Numbers are taken optimistically:
the counter is written with a condition on the value this worker last saw, so two workers
can never take the same number and a failed transaction leaves no gap. Running the job
again finds the billing mark and creates and sends nothing.

After the transaction the PDF goes to S3 and, for customers with e-invoice consent, the
e-mail is sent at once by the worker that issued the invoice (it holds the delivery claim
written in the transaction). A failed or throttled send is handed to the delivery queue
(``services.delivery``), retried there and finally parked in its dead-letter queue.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pynamodb.exceptions import TransactWriteError

from chalicelib.config import settings
from chalicelib.domain import bank, clock
from chalicelib.domain import invoices as rules
from chalicelib.domain import readings as rd
from chalicelib.domain.ids import new_id
from chalicelib.domain.pricing import Priced, Usage, price_period
from chalicelib.domain.tariffs import TariffError
from chalicelib.observability import logger, metrics
from chalicelib.store import invoices as store
from chalicelib.store import readings as readings_store
from chalicelib.store.base import Item, transaction
from chalicelib.store.customers import (
    Contract,
    Customer,
    Meter,
    Premises,
    all_contracts,
    customer_pk,
)
from chalicelib.store.invoices import BillingMark, Invoice, InvoiceCounter, InvoiceDelivery

MAX_ATTEMPTS = 50
# A delivery claimed by a worker that never finished (a crashed Lambda) is handed to the
# delivery queue after this long; a live worker sends within seconds.
STALE_CLAIM = timedelta(minutes=15)


class InvoicingError(Exception):
    """A contract that cannot be priced (no tariff, bad data): logged, not retried forever."""


# --- counters ----------------------------------------------------------------------------

# The last number this worker saw per (series, month). One Lambda container runs one
# invocation at a time; threads (tests, the local CLI) each keep their own, like workers.
_local = threading.local()


def _counters() -> dict[tuple[str, str], int]:
    cache: dict[tuple[str, str], int] | None = getattr(_local, "counters", None)
    if cache is None:
        cache = {}
        _local.counters = cache
    return cache


def _known_counter(series: str, month: str) -> int:
    cache = _counters()
    if (series, month) not in cache:
        cache[(series, month)] = store.counter_value(series, month)
    return cache[(series, month)]


def _remember_counter(series: str, month: str, value: int) -> None:
    cache = _counters()
    cache[(series, month)] = max(value, cache.get((series, month), 0))


def _forget_counter(series: str, month: str) -> None:
    _counters().pop((series, month), None)


def reset_counters() -> None:
    """Forget cached counter values (tests; a new mock AWS)."""
    _counters().clear()


def counter_item(series: str, month: str, value: int) -> InvoiceCounter:
    return InvoiceCounter(
        store.counter_pk(series, month), "COUNTER", series=series, month=month, value=value
    )


# --- what is due -------------------------------------------------------------------------


def contracts_due(period: rules.Period) -> list[Contract]:
    """Contracts in force for at least one day of the period (GSI1 CONTRACTS, paged)."""
    return [c for c in all_contracts() if rules.billing_window(period, c.start_date, c.end_date)]


def fan_out(period_key: str | None = None) -> dict[str, Any]:
    """The scheduled job: one message per contract due, to the invoicing queue."""
    from chalicelib.adapters import sqs

    period = rules.Period.parse(period_key) if period_key else rules.previous_month()
    due = contracts_due(period)
    bodies = [
        {"customer_no": c.customer_no, "contract_no": c.contract_no, "period": period.key}
        for c in due
    ]
    queued = sqs.send_batch(settings().invoicing_queue, bodies)
    logger.info("invoicing fan-out", extra={"period": period.key, "contracts": len(due)})
    metrics.add_metric(name="InvoicesQueued", unit="Count", value=queued)
    return {"period": period.key, "contracts": len(due), "queued": queued}


# --- building an invoice -----------------------------------------------------------------


@dataclass
class Outcome:
    status: str  # issued | exists | skipped
    invoice_id: str | None = None
    reason: str | None = None
    delivery: str | None = None  # sent | queued | paper | None
    sent: InvoiceDelivery | None = None  # e-mailed now; recorded with the batch


def point_dict(p: rd.Point) -> dict[str, Any]:
    return {
        "read_on": p.read_on.isoformat(),
        "kind": p.kind,
        "key": p.key,
        "values": {k: str(v) for k, v in p.values.items()},
    }


def point_from(d: Mapping[str, Any]) -> rd.Point:
    return rd.Point(
        read_on=date.fromisoformat(d["read_on"]),
        values={k: Decimal(v) for k, v in d["values"].items()},
        kind=d["kind"],
        key=d["key"],
    )


def reading_point(r: readings_store.Reading) -> rd.Point:
    return rd.Point(
        read_on=date.fromisoformat(r.read_on),
        values=r.values,
        kind=r.kind,
        old_values=r.old_values,
        key=r.key,
    )


def usable_history(serial: str) -> list[rd.Point]:
    """Accepted readings of a meter, oldest first (one Query)."""
    return [reading_point(r) for r in readings_store.history(serial) if r.status == rd.ACCEPTED]


@dataclass
class Draft:
    """Everything an invoice needs, before it has a number."""

    customer: Customer
    contract: Contract
    premises: Premises | None
    period: rules.Period
    start: date
    end: date
    priced: Priced
    meters: list[dict[str, Any]]
    closing: dict[str, Any]
    estimates: list[readings_store.Reading] = field(default_factory=list)
    estimated: bool = False
    yearly_kwh: Decimal | None = None


def _billing_for(
    contract: Contract, meters: Sequence[Meter], opening: Mapping[str, Any], start: date, end: date
) -> tuple[
    dict[str, Decimal],
    list[dict[str, Any]],
    dict[str, Any],
    list[readings_store.Reading],
    bool,
    Decimal | None,
]:
    usage: dict[str, Decimal] = {}
    rows: list[dict[str, Any]] = []
    closing: dict[str, Any] = {}
    estimates: list[readings_store.Reading] = []
    estimated = False
    energy_history: list[rd.Point] = []
    now = clock.now_iso()
    for meter in meters:
        registers = readings_store.registers_of(meter)
        history = usable_history(meter.serial)
        if contract.product == "electricity":
            energy_history = history
        start_point = point_from(opening[meter.serial]) if meter.serial in opening else None
        billing = rd.billing_usage(history, registers, start, end, start_point)
        for reg in registers:
            usage.setdefault(reg, Decimal(0))
        if billing is None:
            continue  # a meter with no reading yet: fixed charges only
        for reg in registers:
            usage[reg] += billing.usage[reg]
        estimated = estimated or billing.estimated
        closing[meter.serial] = point_dict(billing.closing)
        rows.append(
            {
                "serial": meter.serial,
                "opening": point_dict(billing.opening),
                "closing": point_dict(billing.closing),
                "usage": {k: str(v) for k, v in billing.usage.items()},
                "estimated": billing.estimated,
            }
        )
        if billing.new_estimate is not None:
            est = billing.new_estimate
            estimates.append(
                readings_store.Reading(
                    readings_store.meter_pk(meter.serial),
                    readings_store.reading_sk(est.key),
                    serial=meter.serial,
                    customer_no=contract.customer_no,
                    contract_no=contract.contract_no,
                    read_on=est.read_on.isoformat(),
                    kind=rd.ESTIMATE,
                    status=rd.ACCEPTED,
                    values_text=readings_store.values_json(dict(est.values)) or "{}",
                    created_at=now,
                )
            )
    yearly = None
    if contract.product == "electricity":
        days = (end - start).days + 1
        this_period = sum(
            (v for k, v in usage.items() if k in ("total", "day", "night")), Decimal(0)
        )
        fallback = (this_period * 365 / days).quantize(Decimal(1))
        energy_regs = [r for m in meters for r in readings_store.registers_of(m)]
        yearly = rd.yearly_use(energy_history, energy_regs, end, fallback)
    return usage, rows, closing, estimates, estimated, yearly


def draft(
    customer: Customer,
    contract: Contract,
    meters: Sequence[Meter],
    premises: Premises | None,
    period: rules.Period,
    previous: BillingMark | None,
) -> Draft | None:
    window = rules.billing_window(period, contract.start_date, contract.end_date)
    if window is None:
        return None
    start, end = window
    from chalicelib.services import tariffs

    versions = tariffs.versions(contract.tariff_group)
    if not versions:
        raise InvoicingError(f"no tariff for group {contract.tariff_group}")
    opening = dict(previous.closing) if previous else {}
    usage, rows, closing, estimates, estimated, yearly = _billing_for(
        contract, meters, opening, start, end
    )
    for v in versions:  # a contract without a meter (yet) pays its fixed charges
        for comp in v.components:
            if comp.register:
                usage.setdefault(comp.register, Decimal(0))
    try:
        priced = price_period(
            versions,
            start,
            end,
            Usage(usage, estimated),
            capacity_mw=contract.ordered_capacity_mw,
            yearly_kwh=yearly,
        )
    except TariffError as exc:
        raise InvoicingError(str(exc)) from None
    return Draft(
        customer=customer,
        contract=contract,
        premises=premises,
        period=period,
        start=start,
        end=end,
        priced=priced,
        meters=rows,
        closing=closing,
        estimates=estimates,
        estimated=estimated,
        yearly_kwh=yearly,
    )


def seller() -> dict[str, str]:
    s = settings()
    return {"name": s.seller_name, "nip": s.seller_nip, "address": s.seller_address}


def place_of_issue() -> str:
    tail = settings().seller_address.rsplit(",", 1)[-1].strip()
    parts = tail.split(" ", 1)
    return parts[1] if len(parts) == 2 and parts[0][:2].isdigit() else tail


def bank_account(customer_no: str) -> str:
    s = settings()
    return bank.format_nrb(bank.virtual_nrb(s.bank_sort_code, s.payee_prefix, customer_no))


def buyer(customer: Customer) -> dict[str, Any]:
    return {
        "name": customer.name,
        "address": customer.address.one_line(),
        "nip": customer.nip,
        "customer_no": customer.customer_no,
        "kind": customer.kind,
    }


def pdf_key(issued: date, customer_no: str, invoice_id: str) -> str:
    """By issue day, so the print batch lists a day's PDFs in one request per thousand."""
    return f"invoices/{issued.isoformat()}/{customer_no}/{invoice_id}.pdf"


def build_invoice(d: Draft, series: str, seq: int, issued: date) -> Invoice:
    inv_id = rules.invoice_id(series, issued, seq)
    customer_no = d.customer.customer_no
    return Invoice(
        customer_pk(customer_no),
        store.invoice_sk(inv_id),
        invoice_id=inv_id,
        number=rules.invoice_number(series, issued, seq),
        series=series,
        seq=seq,
        kind="invoice",
        customer_no=customer_no,
        contract_no=d.contract.contract_no,
        premises_id=d.contract.premises_id,
        product=d.contract.product,
        tariff_group=d.contract.tariff_group,
        period=d.period.key,
        period_from=d.start.isoformat(),
        period_to=d.end.isoformat(),
        issue_date=issued.isoformat(),
        due_date=rules.due_date(issued).isoformat(),
        seller=seller(),
        buyer=buyer(d.customer),
        supply_address=(
            d.premises.address.one_line() if d.premises else d.customer.address.one_line()
        ),
        bank_account=bank_account(customer_no),
        lines=[ln.as_dict() for ln in d.priced.lines],
        rates=[r.as_dict() for r in d.priced.rates],
        net=d.priced.net,
        vat=d.priced.vat,
        gross=d.priced.gross,
        meters=d.meters,
        estimated=d.estimated,
        ordered_capacity_mw=None
        if d.contract.ordered_capacity_mw is None
        else str(d.contract.ordered_capacity_mw),
        yearly_kwh=None if d.yearly_kwh is None else str(d.yearly_kwh),
        pdf_key=pdf_key(issued, customer_no, inv_id),
        channel="email" if d.customer.einvoice_consent else "paper",
        created_at=clock.now_iso(),
    )


def delivery_item(inv: Invoice, email: str | None, token: str, now: str) -> InvoiceDelivery:
    dlv = InvoiceDelivery(
        inv.PK,
        store.delivery_sk(inv.invoice_id),
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
    else:
        dlv.status = "paper_pending"
        dlv.GSI1PK = store.PRINT_PENDING
        dlv.GSI1SK = f"{inv.issue_date}#{inv.customer_no}#{inv.invoice_id}"
    return dlv


def invoice_doc(inv: Invoice, corrected: Invoice | None = None) -> dict[str, Any]:
    """The plain document the PDF and the e-mail are made from."""
    doc = {
        "invoice_id": inv.invoice_id,
        "number": inv.number,
        "kind": inv.kind,
        "issue_date": inv.issue_date,
        "place": place_of_issue(),
        "period_from": inv.period_from,
        "period_to": inv.period_to,
        "due_date": inv.due_date,
        "seller": inv.seller,
        "buyer": inv.buyer,
        "supply_address": inv.supply_address,
        "contract_no": inv.contract_no,
        "tariff_group": inv.tariff_group,
        "ordered_capacity_mw": inv.ordered_capacity_mw,
        "lines": inv.lines,
        "rates": inv.rates,
        "net": int(inv.net),
        "vat": int(inv.vat),
        "gross": int(inv.gross),
        "bank_account": inv.bank_account,
        "meters": inv.meters,
        "estimated": bool(inv.estimated),
        "correction_reason": inv.correction_reason,
    }
    if corrected is not None:
        doc["corrects_number"] = corrected.number
        doc["corrects_issue_date"] = corrected.issue_date
    return doc


def render_pdf(inv: Invoice, corrected: Invoice | None = None) -> bytes:
    from chalicelib.render.invoice_pdf import render_invoice

    return render_invoice(invoice_doc(inv, corrected))


def store_pdf(inv: Invoice, pdf: bytes) -> None:
    from chalicelib.adapters import s3

    s3.put_object(settings().invoices_bucket, inv.pdf_key, pdf, "application/pdf")


# --- the transaction ---------------------------------------------------------------------


def _commit(
    make: Any,
    series: str,
    month: str,
    extra: Any,
) -> tuple[Invoice | None, InvoiceDelivery | None]:
    """Write an invoice with the next number. ``make(seq)`` builds the invoice and delivery;
    ``extra(tx, inv)`` adds the caller's other items (puts, its idempotency item first).
    The ledger debit goes into the same transaction (a negative correction is booked by the
    caller as a ledger correction instead).

    Returns (None, None) when the caller's idempotency item already existed."""
    from chalicelib.services import ledger

    for attempt in range(MAX_ATTEMPTS):
        seq = _known_counter(series, month) + 1
        inv, dlv = make(seq)
        counter = counter_item(series, month, seq)
        cond = Item.PK.does_not_exist() if seq == 1 else (InvoiceCounter.value == seq - 1)
        try:
            with transaction() as tx:
                tx.save(counter, condition=cond, return_values="ALL_OLD")  # put 0
                tx.save(inv, condition=Item.PK.does_not_exist())  # put 1
                extra(tx, inv)  # puts 2..: idempotency item first
                tx.save(dlv, condition=Item.PK.does_not_exist())
                if int(inv.gross) >= 0:
                    ledger.record_invoice_in(
                        tx,
                        customer_no=inv.customer_no,
                        invoice_no=inv.number,
                        gross_grosze=int(inv.gross),
                        issue_date=inv.issue_date,
                        due_date=inv.due_date,
                    )
        except TransactWriteError as exc:
            # Reasons come in request order: condition checks, deletes, puts, updates.
            offset = len(getattr(tx, "_condition_check_items", [])) + len(
                getattr(tx, "_delete_items", [])
            )
            reasons = list(exc.cancellation_reasons or [])[offset:]
            codes = [r.code if r else None for r in reasons]
            if len(codes) > 2 and codes[2] == "ConditionalCheckFailed":
                return None, None  # issued already (another worker, or a replay)
            if codes and codes[0] == "ConditionalCheckFailed":
                current = None
                raw = reasons[0].raw_item if reasons[0] else None
                if raw and "value" in raw:
                    current = int(raw["value"]["N"])
                if current is None:
                    current = store.counter_value(series, month)
                _remember_counter(series, month, current)
                continue
            if "TransactionConflict" in codes or not codes:
                time.sleep(random.uniform(0, min(0.2, 0.005 * 2 ** min(attempt, 6))))
                _forget_counter(series, month)
                continue
            raise
        _remember_counter(series, month, seq)
        return inv, dlv
    raise InvoicingError("invoice counter busy")


def issue(
    customer_no: str,
    contract_no: str,
    period_key: str,
    issue_date: date | None = None,
    deliver: bool = True,
    record_sent: bool = True,
) -> Outcome:
    """Issue (at most) one invoice for a contract and a billing period."""
    period = rules.Period.parse(period_key)
    items = store.billing_collection(customer_no)
    customer = next((i for i in items if isinstance(i, Customer)), None)
    contract = next(
        (i for i in items if isinstance(i, Contract) and i.contract_no == contract_no), None
    )
    if customer is None or contract is None:
        return Outcome("skipped", reason="unknown contract")
    marks = sorted(
        (
            i
            for i in items
            if isinstance(i, BillingMark)
            and i.contract_no == contract_no
            and str(i.SK).startswith("BILL#")
        ),
        key=lambda m: m.period,
    )
    existing = next((m for m in marks if m.period == period.key), None)
    if existing is not None:
        return recover(customer, existing)
    if any(m.period > period.key for m in marks):
        # Bills chain reading to reading: a skipped month is corrected, not billed after.
        logger.warning("later period already invoiced", extra={"contract_no": contract_no})
        return Outcome("skipped", reason="a later period is already invoiced")
    previous = next((m for m in reversed(marks) if m.period < period.key), None)
    meters = [i for i in items if isinstance(i, Meter) and i.contract_no == contract_no]
    premises = next(
        (i for i in items if isinstance(i, Premises) and i.premises_id == contract.premises_id),
        None,
    )
    d = draft(customer, contract, meters, premises, period, previous)
    if d is None:
        return Outcome("skipped", reason="contract not in force in the period")
    issued = issue_date or clock.to_warsaw(clock.now()).date()
    series = rules.SERIES[contract.product]
    month = f"{issued.year:04d}-{issued.month:02d}"
    token = new_id()
    now = clock.now_iso()

    def make(seq: int) -> tuple[Invoice, InvoiceDelivery]:
        inv = build_invoice(d, series, seq, issued)
        return inv, delivery_item(inv, customer.email, token, now)

    def extra(tx: Any, inv: Invoice) -> None:
        mark = BillingMark(
            customer_pk(customer_no),
            store.mark_sk(contract_no, period.key),
            contract_no=contract_no,
            period=period.key,
            invoice_id=inv.invoice_id,
            closing=d.closing,
            created_at=now,
        )
        tx.save(mark, condition=Item.PK.does_not_exist())
        for est in d.estimates:
            est.invoice_id = inv.invoice_id
            tx.save(est, condition=Item.PK.does_not_exist())

    inv, dlv = _commit(make, series, month, extra)
    if inv is None or dlv is None:
        metrics.add_metric(name="InvoicesAlreadyIssued", unit="Count", value=1)
        return Outcome("exists", reason="issued by another worker")
    metrics.add_metric(name="InvoicesIssued", unit="Count", value=1)
    logger.info("invoice issued", extra={"invoice_id": inv.invoice_id, "contract_no": contract_no})
    if int(inv.gross) < 0:
        _book_credit_note(inv)
    outcome = Outcome("issued", inv.invoice_id)
    try:
        pdf = render_pdf(inv)
        store_pdf(inv, pdf)
    except Exception:
        # The invoice stands; whoever delivers it (the delivery queue, the print batch)
        # renders the same PDF again.
        logger.exception(
            "invoice PDF failed; delivery renders it", extra={"invoice_id": inv.invoice_id}
        )
        if inv.channel == "email":
            _hand_over(inv, dlv.token)
            outcome.delivery = "queued"
        else:
            outcome.delivery = "paper"
        return outcome
    if inv.channel == "paper":
        outcome.delivery = "paper"
        return outcome
    if not deliver:
        _hand_over(inv, dlv.token)
        outcome.delivery = "queued"
        return outcome
    from chalicelib.services import delivery

    sent = delivery.send_now(inv, dlv, pdf)
    if sent is None:
        _hand_over(inv, dlv.token)
        outcome.delivery = "queued"
        return outcome
    outcome.delivery = "sent"
    outcome.sent = sent
    if record_sent:
        store.save_sent_batch([sent])
    return outcome


def _book_credit_note(inv: Invoice) -> None:
    """An invoice whose estimate reconciliation leaves the customer owed money: the ledger
    books it as a correction (it takes no negative debit). Idempotent by the number."""
    from contextlib import suppress

    from chalicelib.errors import Conflict
    from chalicelib.services import ledger

    with suppress(Conflict):  # booked already (a replay)
        ledger.record_correction(
            inv.customer_no,
            reference=inv.number,
            amount_grosze=-int(inv.gross),
            reason="rozliczenie odczytu szacunkowego",
            source="invoicing",
        )


def _hand_over(inv: Invoice, token: str | None) -> None:
    from chalicelib.adapters import sqs

    sqs.send_batch(
        settings().delivery_queue,
        [{"customer_no": inv.customer_no, "invoice_id": inv.invoice_id, "token": token}],
    )


def recover(customer: Customer, mark: BillingMark) -> Outcome:
    """The period was invoiced already. Nothing is created or sent, unless the worker that
    issued it died holding the delivery claim: then the delivery queue takes over."""
    outcome = Outcome("exists", mark.invoice_id, reason="already invoiced")
    claimed = None
    inv, dlv = store.invoice_with_delivery(customer.customer_no, mark.invoice_id)
    if inv is None or dlv is None:
        return outcome
    if dlv.status == "sending" and dlv.claimed_at:
        claimed = clock.parse_iso(dlv.claimed_at)
    if claimed is not None and clock.now() - claimed > STALE_CLAIM:
        logger.warning("stale delivery claim handed over", extra={"invoice_id": inv.invoice_id})
        _hand_over(inv, dlv.token)
        outcome.delivery = "queued"
    return outcome


# --- the worker --------------------------------------------------------------------------


def process(bodies: Iterable[Mapping[str, Any]]) -> list[Outcome]:
    """One SQS batch: issue each message's invoice; e-mails sent now are recorded together
    (one BatchWriteItem) even when a later message fails; then a failure fails the batch so
    SQS retries it (every message is idempotent)."""
    outcomes: list[Outcome] = []
    sent: list[InvoiceDelivery] = []
    failed = 0
    try:
        for body in bodies:
            try:
                customer_no = str(body["customer_no"])
                contract_no = str(body["contract_no"])
                period = rules.Period.parse(str(body["period"])).key
            except (KeyError, TypeError, rules.PeriodError):
                logger.error("malformed invoicing message dropped", extra={"body": str(body)[:200]})
                outcomes.append(Outcome("skipped", reason="malformed message"))
                continue
            try:
                outcome = issue(customer_no, contract_no, period, record_sent=False)
            except InvoicingError as exc:
                logger.error(
                    "contract cannot be invoiced",
                    extra={"contract_no": contract_no, "error": str(exc)},
                )
                metrics.add_metric(name="InvoicingErrors", unit="Count", value=1)
                outcomes.append(Outcome("skipped", reason=str(exc)))
                continue
            except Exception:
                logger.exception("invoicing failed", extra={"contract_no": contract_no})
                failed += 1
                continue
            if outcome.sent is not None:
                sent.append(outcome.sent)
            outcomes.append(outcome)
    finally:
        store.save_sent_batch(sent)
    if failed:
        raise RuntimeError(f"{failed} invoice(s) failed; the batch will be retried")
    return outcomes
