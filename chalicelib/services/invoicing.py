"""Monthly invoicing (fakturowanie): find the contracts due, fan out through SQS, and issue
one invoice per contract and period.

The invoice is built and written by ``services.billing`` in one transaction (number
counter, invoice, billing mark as the idempotency key, the estimated readings it made, the
delivery item, the ledger debit or, for a negative reconciliation, the ledger credit).
Running the job again finds the billing mark and creates and sends nothing.

After the transaction the PDF goes to S3 and, for customers with e-invoice consent, the
e-mail is sent at once by the worker that issued the invoice (it holds the delivery claim
written in the transaction). A failed or throttled send is handed to the delivery queue
(``services.delivery``), retried there and finally parked in its dead-letter queue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain import invoices as rules
from chalicelib.domain import readings as rd
from chalicelib.domain.ids import new_id
from chalicelib.domain.pricing import Usage, price_period
from chalicelib.domain.tariffs import TariffError
from chalicelib.observability import logger, metrics
from chalicelib.services import usage_months
from chalicelib.services.billing import (
    Draft,
    InvoicingError,
    commit,
    hand_over,
    issue_month,
    known_counters,
    pdf_key,
    regular_invoice,
    render_pdf,
    reset_counters,
    store_pdf,
)
from chalicelib.store import invoices as store
from chalicelib.store import invoicing_runs as runs
from chalicelib.store import readings as readings_store
from chalicelib.store.customers import (
    Contract,
    Customer,
    Meter,
    Premises,
    all_contracts,
    contracts_page,
)
from chalicelib.store.invoices import BillingMark, Invoice, InvoiceDelivery, Issue

__all__ = [
    "InvoicingError",
    "Outcome",
    "fan_out",
    "issue",
    "number",
    "process",
    "reconcile",
    "reset_counters",
]

# A delivery claimed by a worker that never finished (a crashed Lambda) is handed to the
# delivery queue after this long; a live worker sends within seconds.
STALE_CLAIM = timedelta(minutes=15)
# Contracts one fan-out (or reconciliation) page reads: one GSI Query and 20 SendMessageBatch
# calls, about a second of a worker's 360 s timeout (bench/scale_invoicing.py).
PAGE_SIZE = 200
CREDIT_TITLE = "rozliczenie odczytu szacunkowego"


# --- what is due -------------------------------------------------------------------------


def contracts_due(period: rules.Period) -> list[Contract]:
    """Contracts in force for at least one day of the period (GSI1 CONTRACTS, paged)."""
    return [c for c in all_contracts() if rules.billing_window(period, c.start_date, c.end_date)]


def fan_out(period_key: str | None = None) -> dict[str, Any]:
    """The scheduled job: a new run of the period; its first page of contracts is queued
    here, the rest page by page by the worker (``fan_out_page``)."""
    period = rules.Period.parse(period_key) if period_key else rules.previous_month()
    try:  # a month that has not ended is refused before anything is read or queued
        rules.require_ended(period, clock.to_warsaw(clock.now()).date())
    except rules.PeriodNotEnded as exc:
        logger.error("invoicing refused", extra={"period": period.key, "reason": str(exc)})
        return {"period": period.key, "refused": str(exc), "contracts": 0, "queued": 0}
    run_id = new_id()
    first = fan_out_page({"period": period.key, "run_id": run_id, "page": 0, "cursor": None})
    logger.info("invoicing fan-out", extra={"period": period.key, "run_id": run_id, **first})
    return {
        "period": period.key,
        "run_id": run_id,
        "contracts": first["due"],
        "queued": first["queued"],
        "more_pages": first["more_pages"],
    }


def fan_out_page(body: Mapping[str, Any], size: int | None = None) -> dict[str, Any]:
    """One page of the contract index (GSI1 CONTRACTS): a message per contract due and,
    when the index goes on, the message of the next page with its cursor. Bounded work
    whatever the number of contracts; a page already counted for this run (a redelivered
    message) queues nothing again."""
    from chalicelib.adapters import sqs

    period = rules.Period.parse(str(body["period"]))
    run_id, page_no = str(body["run_id"]), int(body["page"])
    if page_no and runs.page_counted("fan", period.key, run_id, page_no):
        return {"page": page_no, "due": 0, "queued": 0, "more_pages": False, "status": "exists"}
    contracts, cursor = contracts_page(size or PAGE_SIZE, body.get("cursor"))
    due = [c for c in contracts if rules.billing_window(period, c.start_date, c.end_date)]
    messages: list[dict[str, Any]] = [
        {"customer_no": c.customer_no, "contract_no": c.contract_no, "period": period.key}
        for c in due
    ]
    if cursor is not None:
        messages.append(
            {
                "kind": "page",
                "period": period.key,
                "run_id": run_id,
                "page": page_no + 1,
                "cursor": cursor,
            }
        )
    sqs.send_batch(settings().invoicing_queue, messages)
    if page_no == 0:  # the scheduled invocation: a new run id, nothing to repeat
        runs.start_run(period.key, run_id, len(contracts), len(due))
    else:
        runs.count_fan_out_page(period.key, run_id, page_no, len(contracts), len(due))
    metrics.add_metric(name="InvoicesQueued", unit="Count", value=len(due))
    return {
        "page": page_no,
        "due": len(due),
        "queued": len(due),
        "more_pages": cursor is not None,
        "status": "paged",
    }


# --- drafting an invoice -----------------------------------------------------------------


@dataclass
class Outcome:
    status: str  # issued | exists | skipped | priced | published | paged | checked
    invoice_id: str | None = None
    reason: str | None = None
    delivery: str | None = None  # sent | queued | paper | None
    sent: InvoiceDelivery | None = None  # e-mailed now (already recorded as sent)
    customer_no: str | None = None  # published: whose use and cost to project again
    contract_no: str | None = None


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


def usable_history(serial: str) -> list[rd.Point]:
    """Accepted readings of a meter, oldest first (one Query)."""
    return [
        readings_store.point_of(r)
        for r in readings_store.history(serial)
        if r.status == rd.ACCEPTED
    ]


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
                readings_store.new_reading(
                    meter.serial,
                    est.key,
                    customer_no=contract.customer_no,
                    contract_no=contract.contract_no,
                    read_on=est.read_on.isoformat(),
                    kind=rd.ESTIMATE,
                    status=rd.ACCEPTED,
                    values=dict(est.values),
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


# --- issuing ---------------------------------------------------------------------------


@dataclass
class _Contract:
    """What the customer's collection says about one contract (one Query)."""

    customer: Customer
    contract: Contract
    meters: list[Meter]
    premises: Premises | None
    marks: list[BillingMark]


# The customers read by one worker batch: a customer with several contracts in the batch
# (an institution, a building manager) is read once (``process`` opens and closes it).
_batch_reads: ContextVar[dict[str, list[Any]] | None] = ContextVar("batch_reads", default=None)


def _customer_items(customer_no: str) -> list[Any]:
    reads = _batch_reads.get()
    if reads is None:
        return list(store.billing_collection(customer_no))
    if customer_no not in reads:
        reads[customer_no] = list(store.billing_collection(customer_no))
    return reads[customer_no]


def _collection(customer_no: str, contract_no: str) -> _Contract | None:
    items = _customer_items(customer_no)
    customer = next((i for i in items if isinstance(i, Customer)), None)
    contract = next(
        (i for i in items if isinstance(i, Contract) and i.contract_no == contract_no), None
    )
    if customer is None or contract is None:
        return None
    return _Contract(
        customer=customer,
        contract=contract,
        meters=[i for i in items if isinstance(i, Meter) and i.contract_no == contract_no],
        premises=next(
            (i for i in items if isinstance(i, Premises) and i.premises_id == contract.premises_id),
            None,
        ),
        marks=store.contract_marks(items, contract_no),
    )


def _invoiced_already(c: _Contract, period: rules.Period) -> Outcome | None:
    """The outcome when the period cannot be billed now: invoiced, or a later one is."""
    existing = next((m for m in c.marks if m.period == period.key), None)
    if existing is not None:
        return recover(c.customer, existing)
    if any(m.period > period.key for m in c.marks):
        # Bills chain reading to reading: a skipped month is corrected, not billed after.
        logger.warning(
            "later period already invoiced", extra={"contract_no": c.contract.contract_no}
        )
        return Outcome("skipped", reason="a later period is already invoiced")
    return None


def _maker(d: Draft, series: str, issued: date) -> Callable[[int], Issue]:
    """Builds everything the issue writes, for a number."""
    token, now = new_id(), clock.now_iso()

    def make(seq: int) -> Issue:
        inv = regular_invoice(d, series, seq, issued, now)
        mark = store.billing_mark(
            d.customer.customer_no,
            d.contract.contract_no,
            d.period.key,
            inv.invoice_id,
            d.closing,
            now,
        )
        for est in d.estimates:
            est.invoice_id = inv.invoice_id
        return Issue(
            invoice=inv,
            delivery=store.new_delivery(inv, d.customer.email, token, now),
            mark=mark,
            extras=list(d.estimates),
            credit_title=CREDIT_TITLE,
            projections=[usage_months.after_invoicing(inv, now)],
        )

    return make


def issue(
    customer_no: str,
    contract_no: str,
    period_key: str,
    issue_date: date | None = None,
    deliver: bool = True,
) -> Outcome:
    """Issue (at most) one invoice for a contract and a billing period."""
    period = rules.Period.parse(period_key)
    c = _collection(customer_no, contract_no)
    if c is None:
        return Outcome("skipped", reason="unknown contract")
    done = _invoiced_already(c, period)
    if done is not None:
        return done
    previous = next((m for m in reversed(c.marks) if m.period < period.key), None)
    d = draft(c.customer, c.contract, c.meters, c.premises, period, previous)
    if d is None:
        return Outcome("skipped", reason="contract not in force in the period")
    issued = issue_date or clock.to_warsaw(clock.now()).date()
    series = rules.SERIES[c.contract.product]
    written = commit(_maker(d, series, issued), series, issue_month(issued))
    if written is None:
        metrics.add_metric(name="InvoicesAlreadyIssued", unit="Count", value=1)
        return Outcome("exists", reason="issued by another worker")
    inv, dlv = written.invoice, written.delivery
    metrics.add_metric(name="InvoicesIssued", unit="Count", value=1)
    logger.info("invoice issued", extra={"invoice_id": inv.invoice_id, "contract_no": contract_no})
    outcome = Outcome("issued", inv.invoice_id)
    outcome.delivery, outcome.sent = _deliver(inv, dlv, deliver)
    _queue_notices([inv])
    return outcome


def _deliver(
    inv: Invoice, dlv: InvoiceDelivery, deliver: bool
) -> tuple[str, InvoiceDelivery | None]:
    """The PDF, then the e-mail at once (this worker holds the claim) or the queue.
    Returns how it went (sent | queued | paper) and the delivery to record as sent."""
    try:
        pdf = render_pdf(inv)
        store_pdf(inv, pdf)
    except Exception:
        # The invoice stands; whoever delivers it (the delivery queue, the print batch)
        # renders the same PDF again.
        logger.exception(
            "invoice PDF failed; delivery renders it", extra={"invoice_id": inv.invoice_id}
        )
        if inv.channel != "email":
            return "paper", None
        hand_over(inv, dlv.token)
        return "queued", None
    if inv.channel == "paper":
        return "paper", None
    from chalicelib.services import delivery

    sent = delivery.send_now(inv, dlv, pdf) if deliver else None
    if sent is None:
        hand_over(inv, dlv.token)
        return "queued", None
    # Recorded at once, not with the batch: a worker that dies later in its batch leaves
    # only the e-mail it was sending unrecorded (the sweeper's one possible repeat), never
    # every e-mail the batch had sent before.
    store.save_sent_batch([sent])
    return "sent", sent


def _queue_notices(invoices: Sequence[Any]) -> None:
    """Hand the issued invoices' notices (the "new invoice" SMS, the high-bill alert:
    ``services.preferences.invoice_issued``) to the notices queue, one call per batch; the
    worker sends each once per invoice. The invoices stand whatever happens here."""
    from chalicelib.adapters import sqs
    from chalicelib.domain import preferences

    if not invoices:
        return
    try:
        sqs.send_batch(
            settings().notices_queue,
            [preferences.invoice_notice(i.customer_no, i.invoice_id) for i in invoices],
            preferences.INVOICE_NOTICE_DELAY_S,
        )
    except Exception:
        logger.exception("invoice notices not queued", extra={"count": len(invoices)})
        metrics.add_metric(name="InvoiceNoticeFailures", unit="Count", value=len(invoices))


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
        hand_over(inv, dlv.token)
        outcome.delivery = "queued"
    return outcome


# --- the pipeline: price (parallel) → number (one ordered stage per series) → publish -------
#
# Numbers are taken by one consumer per series (an SQS FIFO group per series), so the
# counter's conditional write never meets another worker: one transaction per invoice
# whatever the number of pricing workers. A commit that cannot succeed now leaves its
# message on the queue (FIFO keeps the series' order) and is retried; nothing is
# acknowledged un-invoiced.


def numbering_queue() -> str:
    """The FIFO queue of the numbering stage (infra: InvoiceNumberingQueue)."""
    return f"{settings().invoicing_queue}-numbering.fifo"


def _today() -> date:
    return clock.to_warsaw(clock.now()).date()


def price(customer_no: str, contract_no: str, period_key: str) -> tuple[Outcome, dict | None]:
    """Price a contract's period (reads and pricing only, no write): the draft for the
    numbering stage, or why there is none (invoiced already, not in force)."""
    period = rules.Period.parse(period_key)
    c = _collection(customer_no, contract_no)
    if c is None:
        return Outcome("skipped", reason="unknown contract"), None
    done = _invoiced_already(c, period)
    if done is not None:
        return done, None
    previous = next((m for m in reversed(c.marks) if m.period < period.key), None)
    d = draft(c.customer, c.contract, c.meters, c.premises, period, previous)
    if d is None:
        return Outcome("skipped", reason="contract not in force in the period"), None
    series = rules.SERIES[c.contract.product]
    now = clock.now_iso()
    unnumbered = regular_invoice(d, series, 0, _today(), now)
    message = {
        "kind": "draft",
        "series": series,
        "customer_no": customer_no,
        "contract_no": contract_no,
        "period": period.key,
        "invoice": runs.to_wire(unnumbered),
        "email": d.customer.email,
        "closing": d.closing,
        "estimates": [runs.to_wire(e) for e in d.estimates],
        "priced_at": now,
    }
    return Outcome("priced", customer_no=customer_no, contract_no=contract_no), message


def renumber(inv: Invoice, seq: int, issued: date, now: str) -> Invoice:
    """A priced invoice with its number: the fields that depend on the number and the day
    of issue are set exactly as ``billing.regular_invoice`` sets them."""
    skip = ("PK", "SK", "type", "GSI1PK", "GSI1SK", "expires_at")
    fields = {k: v for k, v in inv.attribute_values.items() if k not in skip}
    inv_id = rules.invoice_id(str(inv.series), issued, seq)
    fields.update(
        invoice_id=inv_id,
        number=rules.invoice_number(str(inv.series), issued, seq),
        seq=seq,
        issue_date=issued.isoformat(),
        due_date=rules.due_date(issued).isoformat(),
        pdf_key=pdf_key(issued, str(inv.customer_no), inv_id),
        created_at=now,
    )
    return store.new_invoice(fields)


def _draft_maker(body: Mapping[str, Any], issued: date) -> Callable[[int], Issue]:
    """Everything the issue writes, for a number, from a draft message."""
    base = runs.from_wire(body["invoice"])
    if not isinstance(base, Invoice):
        raise InvoicingError("draft without an invoice")
    estimates = [runs.from_wire(e) for e in body.get("estimates") or []]
    token, now = new_id(), clock.now_iso()

    def make(seq: int) -> Issue:
        inv = renumber(base, seq, issued, now)
        mark = store.billing_mark(
            str(inv.customer_no),
            str(inv.contract_no),
            str(inv.period),
            inv.invoice_id,
            body.get("closing") or {},
            now,
        )
        for est in estimates:
            est.invoice_id = inv.invoice_id  # type: ignore[attr-defined]
        return Issue(
            invoice=inv,
            delivery=store.new_delivery(inv, body.get("email"), token, now),
            mark=mark,
            extras=list(estimates),
            credit_title=CREDIT_TITLE,
            projections=[usage_months.after_invoicing(inv, now)],
        )

    return make


def number_one(body: Mapping[str, Any]) -> tuple[Outcome, dict | None]:
    """Number and issue one draft (the numbering stage, in the series' order): one
    transaction; the publish message for the workers that render and send it."""
    issued = _today()
    series = str(body["series"])
    written = commit(_draft_maker(body, issued), series, issue_month(issued))
    if written is None:
        metrics.add_metric(name="InvoicesAlreadyIssued", unit="Count", value=1)
        return Outcome("exists", reason="issued already"), None
    inv = written.invoice
    metrics.add_metric(name="InvoicesIssued", unit="Count", value=1)
    logger.info(
        "invoice issued", extra={"invoice_id": inv.invoice_id, "contract_no": inv.contract_no}
    )
    publish_message = {
        "kind": "publish",
        "invoice": runs.to_wire(inv),
        "delivery": runs.to_wire(written.delivery),
    }
    return Outcome("issued", inv.invoice_id), publish_message


@dataclass
class Numbered:
    """A numbering batch: the outcomes of the first ``done`` messages, in order; ``error``
    stopped the rest (they stay on the queue and keep the series' order)."""

    outcomes: list[Outcome]
    done: int = 0
    error: BaseException | None = None


def number(bodies: Sequence[Mapping[str, Any]]) -> Numbered:
    """One batch of the numbering stage. The invoices issued are handed to the publishing
    workers even when a later draft fails; a draft that cannot be committed now stops the
    batch there (``error``): the caller acknowledges only the first ``done`` messages."""
    from chalicelib.adapters import sqs

    result = Numbered(outcomes=[])
    publish: list[dict[str, Any]] = []
    known_counters([str(b.get("series")) for b in bodies if b.get("series")], issue_month(_today()))
    for body in bodies:
        try:
            outcome, message = number_one(body)
        except Exception as exc:  # the commit waits on the queue; never acknowledged
            logger.exception("draft not numbered; retried later", extra={"n": result.done})
            metrics.add_metric(name="NumberingRetries", unit="Count", value=1)
            result.error = exc
            break
        result.outcomes.append(outcome)
        result.done += 1
        if message is not None:
            publish.append(message)
    sqs.send_batch(settings().invoicing_queue, publish)
    _queue_notices([runs.from_wire(m["invoice"]) for m in publish])
    return result


def publish(body: Mapping[str, Any]) -> Outcome:
    """An issued invoice: the PDF, then the e-mail (or the print batch). The issuing
    token is taken again with a condition, so a redelivered message sends nothing twice."""
    inv, dlv = runs.from_wire(body["invoice"]), runs.from_wire(body["delivery"])
    if not isinstance(inv, Invoice) or not isinstance(dlv, InvoiceDelivery):
        raise InvoicingError("publish message without an invoice")
    out = Outcome(
        "published", inv.invoice_id, customer_no=inv.customer_no, contract_no=inv.contract_no
    )
    if inv.channel == "email" and not runs.retake_claim(
        dlv, str(dlv.token), new_id(), clock.now_iso()
    ):
        out.status = "exists"
        return out
    out.delivery, out.sent = _deliver(inv, dlv, True)
    return out


# --- reconciliation: contracts due against invoices issued -----------------------------------


def reconcile(period_key: str | None = None) -> dict[str, Any]:
    """Start the check of a period (after the run): page by page over the contract index,
    every contract due must have the period's billing mark. Counts and a sample of the
    missing contracts go on the run record (``InvoicingRun``) for the administrator."""
    period = rules.Period.parse(period_key) if period_key else rules.previous_month()
    check_id = new_id()
    runs.start_reconcile(period.key, check_id)
    return reconcile_page({"period": period.key, "check_id": check_id, "page": 0})


def reconcile_page(body: Mapping[str, Any], size: int | None = None) -> dict[str, Any]:
    from chalicelib.adapters import sqs

    period = rules.Period.parse(str(body["period"]))
    check_id, page_no = str(body["check_id"]), int(body["page"])
    contracts, cursor = contracts_page(size or PAGE_SIZE, body.get("cursor"))
    due = [c for c in contracts if rules.billing_window(period, c.start_date, c.end_date)]
    have = runs.invoiced_contracts(((c.customer_no, c.contract_no) for c in due), period.key)
    missing = [f"{c.customer_no}/{c.contract_no}" for c in due if c.contract_no not in have]
    if cursor is not None:
        nxt = {"kind": "reconcile", "period": period.key, "check_id": check_id}
        sqs.send_batch(settings().invoicing_queue, [{**nxt, "page": page_no + 1, "cursor": cursor}])
    counted = runs.count_reconcile_page(
        period.key, check_id, page_no, len(due), missing, last=cursor is None
    )
    if missing and counted:
        logger.error(
            "contracts due without an invoice",
            extra={"period": period.key, "missing": len(missing), "sample": missing[:10]},
        )
        metrics.add_metric(name="InvoicesMissing", unit="Count", value=len(missing))
    if cursor is None and counted:
        record = runs.run_record(period.key)
        logger.info(
            "invoicing reconciled",
            extra={
                "period": period.key,
                "due": int(record.checked) if record else None,
                "missing": int(record.missing) if record else None,
            },
        )
    return {"page": page_no, "checked": len(due), "missing": len(missing), "last": cursor is None}


# --- the worker (invoicing queue: pages, contracts to price, invoices to publish) -------------


def _body_keys(body: Mapping[str, Any]) -> tuple[str, str, str] | None:
    try:
        return (
            str(body["customer_no"]),
            str(body["contract_no"]),
            rules.Period.parse(str(body["period"])).key,
        )
    except (KeyError, TypeError, rules.PeriodError):
        return None


def _price_message(body: Mapping[str, Any], drafts: list[dict[str, Any]]) -> Outcome:
    keys = _body_keys(body)
    if keys is None:
        logger.error("malformed invoicing message dropped", extra={"body": str(body)[:200]})
        return Outcome("skipped", reason="malformed message")
    try:
        outcome, message = price(*keys)
    except InvoicingError as exc:  # bad data (no tariff): the reconciliation reports it
        logger.error(
            "contract cannot be invoiced", extra={"contract_no": keys[1], "error": str(exc)}
        )
        metrics.add_metric(name="InvoicingErrors", unit="Count", value=1)
        return Outcome("skipped", reason=str(exc))
    if message is not None:
        drafts.append(message)
    return outcome


def _handle(body: Mapping[str, Any], drafts: list[dict[str, Any]]) -> Outcome:
    kind = body.get("kind") if isinstance(body, Mapping) else None
    if kind == "page":
        return Outcome(str(fan_out_page(body)["status"]))
    if kind == "reconcile":
        reconcile_page(body)
        return Outcome("checked")
    if kind == "publish":
        return publish(body)
    return _price_message(body, drafts)


def _send_drafts(drafts: Sequence[Mapping[str, Any]]) -> None:
    from chalicelib.adapters.sqs_fifo import Ordered, send_ordered

    send_ordered(
        numbering_queue(),
        (
            Ordered(d, group=str(d["series"]), dedup_id=f"{d['contract_no']}#{d['period']}")
            for d in drafts
        ),
    )


class WorkerBatch:
    """One batch of the invoicing queue, handled record by record (``jobs._sqs.each_record``:
    a failing message is redelivered alone, the others are acknowledged)."""

    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []
        self.drafts: list[dict[str, Any]] = []

    def handle(self, body: Any) -> str:
        if not isinstance(body, Mapping):
            raise InvoicingError("an invoicing message must be a JSON object")
        outcome = _handle(body, self.drafts)
        self.outcomes.append(outcome)
        return outcome.status


@contextmanager
def worker_batch(bodies: Iterable[Any]) -> Iterator[WorkerBatch]:
    """The batch's shared work around its messages: every tariff group read once before,
    drafts handed to the numbering stage together after, even when a message failed (every
    message is idempotent: contract + period, a page marker, the delivery claim). E-mails
    sent are recorded one by one as they go (``_deliver``)."""
    if any(_body_keys(b) for b in bodies if isinstance(b, Mapping) and not b.get("kind")):
        from chalicelib.services import tariffs

        tariffs.preload()  # every tariff group in one Query (cached per container)
    batch = WorkerBatch()
    reads = _batch_reads.set({})
    try:
        yield batch
    finally:
        _batch_reads.reset(reads)
        _send_drafts(batch.drafts)


def process(bodies: Iterable[Mapping[str, Any]]) -> list[Outcome]:
    """A batch of the invoicing queue in one call; a failure raises after the others are
    done (the queue's handler uses ``worker_batch`` with per-record acknowledgement)."""
    bodies = list(bodies)
    failed = 0
    with worker_batch(bodies) as batch:
        for body in bodies:
            try:
                batch.handle(body)
            except Exception:
                logger.exception("invoicing message failed", extra={"kind": str(body.get("kind"))})
                failed += 1
    if failed:
        raise RuntimeError(f"{failed} invoicing message(s) failed; the batch will be retried")
    return batch.outcomes
