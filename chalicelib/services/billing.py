"""Building and committing invoices: the one place an invoice (regular, reconciliation of
an estimate, correction) is made from domain values and written with its number.

An issue is one transaction written by ``store.invoices.issue``: the number counter, the
invoice, its idempotency item (the billing mark of a contract and period, or the guard of
a correction), the estimated readings it made, the delivery item and the ledger debit, or
for a negative invoice the ledger credit. Numbers are taken optimistically: the counter is
written with a condition on the value this worker last saw, so two workers can never take
the same number and a failed transaction leaves no gap.

The PDF (``render_pdf``/``store_pdf``) and the document it is made from (``invoice_doc``)
live here too, so the invoicing job, corrections and delivery share them.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from chalicelib.config import settings
from chalicelib.domain import bank, clock
from chalicelib.domain import invoices as rules
from chalicelib.domain.pricing import Line, Priced, RateTotal, difference
from chalicelib.store import invoices as store
from chalicelib.store.customers import Contract, Customer, Premises
from chalicelib.store.invoices import Invoice, Issue
from chalicelib.store.readings import Reading

MAX_ATTEMPTS = 50


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


def known_counters(series: Sequence[str], month: str) -> None:
    """Read the counters this worker has not seen of a numbering batch's series in one
    BatchGetItem (a batch holds several series' message groups). Not read optimistically
    (first number, learn from the cancellation): a cancelled transaction per cold worker
    costs more than the read and pushed the bench's transactions per invoice to 1.45."""
    cache = _counters()
    unseen = [s for s in dict.fromkeys(series) if (s, month) not in cache]
    if len(unseen) > 1:
        for s, value in store.counter_values(unseen, month).items():
            cache[(s, month)] = value


def _remember_counter(series: str, month: str, value: int) -> None:
    cache = _counters()
    cache[(series, month)] = max(value, cache.get((series, month), 0))


def _forget_counter(series: str, month: str) -> None:
    _counters().pop((series, month), None)


def reset_counters() -> None:
    """Forget cached counter values (tests; a new mock AWS)."""
    _counters().clear()


# --- the parties and the document ----------------------------------------------------------


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
    if customer.buyer_nip:  # municipal VAT centralisation: the municipality buys
        return {
            "name": customer.buyer_name,
            "address": customer.buyer_address,
            "nip": customer.buyer_nip,
            "customer_no": customer.customer_no,
            "kind": "institution",
        }
    return {
        "name": customer.name,
        "address": customer.address.one_line(),
        "nip": customer.nip,
        "customer_no": customer.customer_no,
        "kind": customer.kind,
    }


def recipient(customer: Customer) -> dict[str, Any] | None:
    """The unit itself as the recipient (Odbiorca) when the municipality is the buyer."""
    if not customer.buyer_nip:
        return None
    return {
        "name": customer.name,
        "address": customer.address.one_line(),
        "nip": customer.nip,
        "customer_no": customer.customer_no,
        "jst": True,
    }


def pdf_key(issued: date, customer_no: str, invoice_id: str) -> str:
    """By issue day, so the print batch lists a day's PDFs in one request per thousand."""
    return f"invoices/{issued.isoformat()}/{customer_no}/{invoice_id}.pdf"


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
        "product": inv.product,
        "state_before": inv.state_before,
        "state_after": inv.state_after,
        "settlement": rules.settlement(int(inv.gross)),
    }
    if corrected is not None:
        doc["corrects_number"] = corrected.number
        doc["corrects_issue_date"] = corrected.issue_date
    return doc


def render_pdf(inv: Invoice, corrected: Invoice | None = None) -> bytes:
    from chalicelib.render.invoice_pdf import render_invoice
    from chalicelib.services.ksef_pdf import pdf_fields  # KOD I and the KSeF number

    doc = invoice_doc(inv, corrected)
    return render_invoice({**doc, **pdf_fields(doc, inv, corrected)})


def store_pdf(inv: Invoice, pdf: bytes) -> None:
    from chalicelib.adapters import s3

    s3.put_object(settings().invoices_bucket, inv.pdf_key, pdf, "application/pdf")


def hand_over(inv: Invoice, token: str | None) -> None:
    """Give the e-mail of an invoice to the delivery queue (with the claim's token)."""
    from chalicelib.adapters import sqs

    sqs.send_batch(
        settings().delivery_queue,
        [{"customer_no": inv.customer_no, "invoice_id": inv.invoice_id, "token": token}],
    )


# --- building ------------------------------------------------------------------------------


@dataclass
class Draft:
    """Everything a regular invoice needs, before it has a number."""

    customer: Customer
    contract: Contract
    premises: Premises | None
    period: rules.Period
    start: date
    end: date
    priced: Priced
    meters: list[dict[str, Any]]
    closing: dict[str, Any]
    estimates: list[Reading] = field(default_factory=list)
    estimated: bool = False
    yearly_kwh: Decimal | None = None


def _header(customer: Customer, series: str, seq: int, issued: date, now: str) -> dict[str, Any]:
    """The fields every invoice kind fills the same way: number, dates, buyer, payment."""
    inv_id = rules.invoice_id(series, issued, seq)
    customer_no = customer.customer_no
    return {
        "invoice_id": inv_id,
        "number": rules.invoice_number(series, issued, seq),
        "series": series,
        "seq": seq,
        "customer_no": customer_no,
        "issue_date": issued.isoformat(),
        "due_date": rules.due_date(issued).isoformat(),
        "buyer": buyer(customer),
        "recipient": recipient(customer),
        "bank_account": bank_account(customer_no),
        "pdf_key": pdf_key(issued, customer_no, inv_id),
        "channel": "email" if customer.einvoice_consent else "paper",
        "created_at": now,
    }


def regular_invoice(d: Draft, series: str, seq: int, issued: date, now: str) -> Invoice:
    """A period's invoice (negative when it reconciles an estimate that was too high)."""
    c = d.contract
    return store.new_invoice(
        {
            **_header(d.customer, series, seq, issued, now),
            "kind": "invoice",
            "contract_no": c.contract_no,
            "premises_id": c.premises_id,
            "product": c.product,
            "tariff_group": c.tariff_group,
            "period": d.period.key,
            "period_from": d.start.isoformat(),
            "period_to": d.end.isoformat(),
            "seller": seller(),
            "supply_address": (
                d.premises.address.one_line() if d.premises else d.customer.address.one_line()
            ),
            "lines": [ln.as_dict() for ln in d.priced.lines],
            "rates": [r.as_dict() for r in d.priced.rates],
            "net": d.priced.net,
            "vat": d.priced.vat,
            "gross": d.priced.gross,
            "meters": d.meters,
            "estimated": d.estimated,
            "ordered_capacity_mw": None
            if c.ordered_capacity_mw is None
            else str(c.ordered_capacity_mw),
            "yearly_kwh": None if d.yearly_kwh is None else str(d.yearly_kwh),
        }
    )


def correction_amounts(
    before: Mapping[str, Any], after: Priced
) -> tuple[tuple[Line, ...], list[RateTotal]]:
    """What a correction carries: the differences between the state before it (the
    original, or its last correction) and ``after``. Each side's values come from its
    unrounded quantities rounded once per line; the difference is after minus before, so
    before + difference = after to the grosz."""
    lines = difference([Line.from_dict(d) for d in before["lines"]], after.lines)
    before_rates = {Decimal(r["vat_rate"]): r for r in before["rates"]}
    rates = []
    for r in after.rates:
        b = before_rates.pop(r.vat_rate, {"net": 0, "vat": 0})
        rates.append(RateTotal(r.vat_rate, r.net - int(b["net"]), r.vat - int(b["vat"])))
    for rate, b in before_rates.items():  # a rate the correction removes entirely
        rates.append(RateTotal(rate, -int(b["net"]), -int(b["vat"])))
    return lines, rates


def state_of(priced: Priced, usage: Mapping[str, Decimal]) -> dict[str, Any]:
    """A correction's before/after document (przed korektą / po korekcie)."""
    return {
        "lines": [ln.as_dict() for ln in priced.lines],
        "rates": [r.as_dict() for r in priced.rates],
        "net": priced.net,
        "vat": priced.vat,
        "gross": priced.gross,
        "usage": {k: f"{v:f}" for k, v in usage.items()},
    }


@dataclass
class CorrectionDraft:
    """Everything a correcting invoice needs, before it has a number."""

    original: Invoice
    customer: Customer
    before: dict[str, Any]  # state_of the original or of its last correction
    after: Priced
    after_usage: dict[str, Decimal]
    meters: list[dict[str, Any]]  # the meter rows after the correction
    reason: str
    requested_by: str
    approved_by: str


def correction_invoice(d: CorrectionDraft, seq: int, issued: date, now: str) -> Invoice:
    """Faktura korygująca: the differences to ``after``, the state before and after,
    referencing the original (which stays as it was)."""
    original = d.original
    lines, rates = correction_amounts(d.before, d.after)
    net, vat = sum(r.net for r in rates), sum(r.vat for r in rates)
    return store.new_invoice(
        {
            **_header(d.customer, rules.CORRECTION_SERIES, seq, issued, now),
            "kind": "correction",
            "corrects": original.invoice_id,
            "correction_reason": d.reason,
            "contract_no": original.contract_no,
            "premises_id": original.premises_id,
            "product": original.product,
            "tariff_group": original.tariff_group,
            "period": original.period,
            "period_from": original.period_from,
            "period_to": original.period_to,
            "seller": original.seller,
            "supply_address": original.supply_address,
            "lines": [ln.as_dict() for ln in lines],
            "rates": [r.as_dict() for r in rates],
            "net": net,
            "vat": vat,
            "gross": net + vat,
            "meters": d.meters,
            "estimated": False,
            "ordered_capacity_mw": original.ordered_capacity_mw,
            "yearly_kwh": original.yearly_kwh,
            "state_before": d.before,
            "state_after": state_of(d.after, d.after_usage),
            "requested_by": d.requested_by,
            "created_by": d.approved_by,
        }
    )


def issue_month(issued: date) -> str:
    """The counter's month: numbers restart every month of issue."""
    return f"{issued.year:04d}-{issued.month:02d}"


# --- committing ------------------------------------------------------------------------------


def commit(make: Callable[[int], Issue], series: str, month: str) -> Issue | None:
    """Write an invoice with the next number: ``make(seq)`` builds everything the issue
    writes (``store.invoices.Issue``); one transaction per attempt. Returns None when the
    idempotency item already existed (a replay, or another worker issued it)."""
    value_date = clock.to_warsaw(clock.now()).date().isoformat()
    for attempt in range(MAX_ATTEMPTS):
        seq = _known_counter(series, month) + 1
        bundle = make(seq)
        result = store.issue(bundle, series, month, seq, now=clock.now_iso(), value_date=value_date)
        if result.status == "issued":
            _remember_counter(series, month, seq)
            return bundle
        if result.status == "exists":
            return None
        if result.status == "counter_moved":
            _remember_counter(series, month, result.counter or 0)
            continue
        time.sleep(random.uniform(0, min(0.2, 0.005 * 2 ** min(attempt, 6))))
        _forget_counter(series, month)
    raise InvoicingError("invoice counter busy")
