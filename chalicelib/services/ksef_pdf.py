"""What an invoice's PDF carries beyond the frozen invoice document: for a KSeF invoice its
FA(3) XML's KOD I link and the label under the QR code (the KSeF number, or OFFLINE while
none is assigned; ``kody-qr.md``) and the recipient; for a household electricity invoice the
meter point code (PPE) and the consumption of the same period a year before (art. 5 ust. 6c
Prawa energetycznego; docs/invoicing.md).

Kept apart from ``services.ksef`` so that ``services.billing`` (which renders every PDF) can
use it: this module builds on the plain invoice document and never imports billing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from chalicelib.config import settings
from chalicelib.domain import ksef as ksef_rules
from chalicelib.domain import ksef_fa3
from chalicelib.store import ksef as ksef_store
from chalicelib.store.invoices import Invoice


def needs_ksef(inv: Invoice) -> bool:
    """Invoices to a buyer with a NIP go to KSeF (consumers get PDF or paper)."""
    return bool((inv.buyer or {}).get("nip"))


def accepted_number(inv: Invoice) -> str | None:
    if not settings().ksef_api_url:
        return None  # no KSeF here (a local stack without the stand-in): never submitted
    sub = ksef_store.get(inv.customer_no, inv.invoice_id)
    return sub.ksef_number if sub is not None and sub.status == "accepted" else None


def xml_of(doc: dict[str, Any], inv: Invoice, corrected: Invoice | None) -> bytes:
    """The FA(3) XML from the invoice's plain document (``billing.invoice_doc``): the same
    bytes every time (created at the invoice's creation), so the same KOD I hash."""
    doc = dict(doc)
    if corrected is not None:
        doc["corrects_ksef_number"] = accepted_number(corrected)
    recipient = getattr(inv, "recipient", None)
    if recipient:
        doc["recipient"] = recipient
    return ksef_fa3.build(doc, inv.created_at)


def household_electricity(inv: Invoice) -> bool:
    return inv.product == "electricity" and (inv.buyer or {}).get("kind") == "individual"


def _year_before(month: str) -> str:
    year, mm = month.split("-")
    return f"{int(year) - 1:04d}-{mm}"


def _usage(meters: Any) -> Decimal:
    total = Decimal(0)
    for m in meters or []:
        for value in (m.get("usage") or {}).values():
            total += Decimal(str(value))
    return total


def household_fields(inv: Invoice) -> dict[str, Any]:
    """PPE and the comparison with the same period of the previous year (kWh)."""
    from chalicelib.store import consumption
    from chalicelib.store import contracts as contract_store

    terms = contract_store.get_terms(inv.customer_no, inv.contract_no)
    first = _year_before(inv.period_from[:7])
    last = _year_before(inv.period_to[:7])
    before = consumption.months(inv.customer_no, inv.contract_no, first, last)
    previous = sum((sum(m.registers.values(), Decimal(0)) for m in before), Decimal(0))
    return {
        "ppe": terms.ppe if terms is not None else None,
        "comparison": {
            "unit": "kWh",
            "current": str(_usage(inv.meters)),
            "previous": str(previous) if before else None,
            "previous_from": _year_before(inv.period_from[:7]),
            "previous_to": _year_before(inv.period_to[:7]),
        },
    }


def pdf_fields(doc: dict[str, Any], inv: Invoice, corrected: Invoice | None) -> dict[str, Any]:
    """``{"ksef": {"number", "link", "label"}, "recipient"}`` for the PDF of a KSeF invoice;
    ``{"ppe", "comparison"}`` for a household electricity invoice; a correcting invoice's
    heading in the customer's language (``lang``); else ``{}``."""
    extra: dict[str, Any] = {}
    if inv.kind == "correction":
        from chalicelib.store import preferences

        extra["lang"] = preferences.choices_of(inv.customer_no).language
    if household_electricity(inv) and inv.kind == "invoice":
        return household_fields(inv)
    if not needs_ksef(inv):
        return extra
    return {**extra, **_ksef_fields(doc, inv, corrected)}


def _ksef_fields(doc: dict[str, Any], inv: Invoice, corrected: Invoice | None) -> dict[str, Any]:
    xml = xml_of(doc, inv, corrected)
    number = accepted_number(inv)
    link = ksef_rules.kod_i_link(
        settings().ksef_qr_url, inv.seller["nip"], date.fromisoformat(inv.issue_date), xml
    )
    out: dict[str, Any] = {
        "ksef": {"number": number, "link": link, "label": ksef_rules.qr_label(number)}
    }
    if getattr(inv, "recipient", None):
        out["recipient"] = inv.recipient
    return out
