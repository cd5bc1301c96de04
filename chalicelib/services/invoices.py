"""Invoices in the portal: list, detail, PDF download link, e-invoice consent; correcting
invoices (faktury korygujące) issued by operators.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from chalicelib import i18n
from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain import invoices as rules
from chalicelib.domain.ids import new_id
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.services.access import require_customer
from chalicelib.store import invoices as store
from chalicelib.store.base import Item
from chalicelib.store.customers import Customer, customer_pk, get_customer
from chalicelib.store.invoices import Invoice, InvoiceDelivery

i18n.register(
    {
        "invoices.not_correctable": (
            "Tej faktury nie można skorygować w ten sposób.",
            "This invoice cannot be corrected this way.",
        ),
        "invoices.no_change": (
            "Korekta nic nie zmienia: podane zużycie jest takie samo jak na fakturze.",
            "The correction changes nothing: the usage given equals the invoice's.",
        ),
        "invoices.correction_exists": (
            "Ta korekta została już wystawiona.",
            "This correction has already been issued.",
        ),
    }
)

PDF_LINK_SECONDS = 300  # presigned download links expire within minutes


def _payment_statuses(customer_no: str, numbers: list[str]) -> dict[str, dict[str, Any]]:
    if not numbers:
        return {}
    from chalicelib.services import ledger

    return ledger.invoice_statuses(customer_no, numbers)


def _summary(
    inv: Invoice,
    dlv: InvoiceDelivery | None,
    pay: Mapping[str, Any] | None,
    corrected_by: list[str],
) -> dict[str, Any]:
    return {
        "invoice_id": inv.invoice_id,
        "number": inv.number,
        "kind": inv.kind,
        "corrects": inv.corrects,
        "corrected_by": corrected_by,
        "contract_no": inv.contract_no,
        "product": inv.product,
        "period": inv.period,
        "period_from": inv.period_from,
        "period_to": inv.period_to,
        "issue_date": inv.issue_date,
        "due_date": inv.due_date,
        "net": int(inv.net),
        "vat": int(inv.vat),
        "gross": int(inv.gross),
        "estimated": bool(inv.estimated),
        "status": (pay or {}).get("status", "unpaid"),
        "outstanding": int((pay or {}).get("outstanding_grosze", inv.gross)),
        "delivery": {
            "channel": inv.channel,
            "status": dlv.status if dlv else None,
            "at": dlv.sent_at if dlv else None,
        },
    }


def list_invoices(principal: Principal, customer_no: str) -> dict[str, Any]:
    """Newest first: one Query for invoices and their deliveries, one GetItem for the
    payment status (the ledger's balance)."""
    require_customer(principal, customer_no)
    items = store.invoices_and_deliveries(customer_no)
    invoices = [i for i in items if isinstance(i, Invoice)]
    deliveries = {i.invoice_id: i for i in items if isinstance(i, InvoiceDelivery)}
    corrections: dict[str, list[str]] = {}
    for inv in invoices:
        if inv.corrects:
            corrections.setdefault(inv.corrects, []).append(inv.invoice_id)
    statuses = _payment_statuses(customer_no, [i.number for i in invoices])
    return {
        "customer_no": customer_no,
        "invoices": [
            _summary(
                i,
                deliveries.get(i.invoice_id),
                statuses.get(i.number),
                corrections.get(i.invoice_id, []),
            )
            for i in invoices
        ],
    }


def _owned_invoice(
    principal: Principal, customer_no: str, invoice_id: str, staff: bool = False
) -> tuple[Invoice, InvoiceDelivery | None]:
    """The invoice if the caller may see it (404 otherwise); ``staff``: operators too."""
    if not (staff and principal.role in ("operator", "admin")):
        require_customer(principal, customer_no)
    if rules.parse_invoice_id(invoice_id) is None:
        raise NotFound()
    inv, dlv = store.invoice_with_delivery(customer_no, invoice_id)
    if inv is None:
        raise NotFound()
    return inv, dlv


def invoice_detail(principal: Principal, customer_no: str, invoice_id: str) -> dict[str, Any]:
    inv, dlv = _owned_invoice(principal, customer_no, invoice_id)
    return _detail(inv, dlv, customer_no)


def _detail(inv: Invoice, dlv: InvoiceDelivery | None, customer_no: str) -> dict[str, Any]:
    pay = _payment_statuses(customer_no, [inv.number]).get(inv.number)
    corrected_by = [
        i.invoice_id
        for i in store.invoices_and_deliveries(customer_no)
        if isinstance(i, Invoice) and i.corrects == inv.invoice_id
    ]
    return {
        **_summary(inv, dlv, pay, corrected_by),
        "seller": inv.seller,
        "buyer": inv.buyer,
        "supply_address": inv.supply_address,
        "tariff_group": inv.tariff_group,
        "ordered_capacity_mw": inv.ordered_capacity_mw,
        "bank_account": inv.bank_account,
        "lines": inv.lines,
        "rates": inv.rates,
        "meters": inv.meters,
        "amount_in_words": rules.amount_in_words(int(inv.gross)),
        "correction_reason": inv.correction_reason,
    }


def pdf_link(principal: Principal, customer_no: str, invoice_id: str) -> dict[str, Any]:
    """A presigned S3 link that expires within minutes (the API never streams the PDF)."""
    from chalicelib.adapters import s3

    inv, _ = _owned_invoice(principal, customer_no, invoice_id)
    url = s3.presigned_get(
        settings().invoices_bucket,
        inv.pdf_key,
        expires_s=PDF_LINK_SECONDS,
        filename=f"Faktura_{inv.invoice_id}.pdf",
    )
    return {"url": url, "expires_in": PDF_LINK_SECONDS, "filename": f"Faktura_{inv.invoice_id}.pdf"}


def consent_public(c: Customer) -> dict[str, Any]:
    return {
        "customer_no": c.customer_no,
        "einvoice_consent": bool(c.einvoice_consent),
        "einvoice_consent_at": c.einvoice_consent_at,
        "email": c.email,
    }


def get_consent(principal: Principal, customer_no: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    customer = get_customer(customer_no)
    if customer is None:
        raise NotFound()
    return consent_public(customer)


def set_consent(principal: Principal, customer_no: str, consent: bool) -> dict[str, Any]:
    """Zgoda na e-fakturę: switched by the customer, time and login recorded; setting the
    value it already has changes nothing."""
    require_customer(principal, customer_no)
    customer = get_customer(customer_no)
    if customer is None:
        raise NotFound()
    if bool(customer.einvoice_consent) != consent:
        at = clock.now_iso()
        if store.set_consent(customer, consent, at, principal.username, new_id()):
            customer.einvoice_consent = consent
            customer.einvoice_consent_at = at
        else:
            customer = get_customer(customer_no) or customer
    return consent_public(customer)


# --- correcting invoices -----------------------------------------------------------------


def correct_usage(
    principal: Principal, customer_no: str, invoice_id: str, body: Mapping[str, Any]
) -> dict[str, Any]:
    """Faktura korygująca for a consumption error: the original period priced again with the
    corrected usage; the correction carries the differences and references the original,
    which stays as it was. Replaying the same correction creates nothing."""
    from chalicelib.domain.pricing import Line, RateTotal, Usage, difference, price_period
    from chalicelib.domain.tariffs import TariffError
    from chalicelib.services import ledger, tariffs
    from chalicelib.services.invoicing import (
        _commit,
        bank_account,
        buyer,
        delivery_item,
        pdf_key,
        render_pdf,
        store_pdf,
    )

    original, _ = _owned_invoice(principal, customer_no, invoice_id, staff=True)
    if original.kind != "invoice":
        raise ValidationFailed("invoices.not_correctable")
    reason = str(body.get("reason", "")).strip()
    usage: dict[str, Decimal] = {}
    errors: list[FieldError] = []
    billed: dict[str, Decimal] = {}
    for m in original.meters or []:
        for reg, value in m["usage"].items():
            billed[reg] = billed.get(reg, Decimal(0)) + Decimal(value)
    for reg, raw in (body.get("usage") or {}).items():
        if reg not in billed:
            errors.append(FieldError(f"usage.{reg}", "readings.unknown_register"))
            continue
        try:
            usage[reg] = Decimal(str(raw).replace(",", "."))
        except ArithmeticError:
            errors.append(FieldError(f"usage.{reg}", "field.invalid"))
    if errors:
        raise ValidationFailed(errors=errors)
    corrected_usage = {**billed, **usage}
    if corrected_usage == billed:
        raise ValidationFailed("invoices.no_change")
    start, end = date.fromisoformat(original.period_from), date.fromisoformat(original.period_to)
    try:
        after = price_period(
            tariffs.versions(original.tariff_group),
            start,
            end,
            Usage(corrected_usage, False),
            capacity_mw=Decimal(original.ordered_capacity_mw)
            if original.ordered_capacity_mw
            else None,
            yearly_kwh=Decimal(original.yearly_kwh) if original.yearly_kwh else None,
        )
    except TariffError:
        raise ValidationFailed("invoices.not_correctable") from None
    before_lines = [Line.from_dict(d) for d in original.lines]
    lines = difference(before_lines, after.lines)
    before_rates = {Decimal(r["vat_rate"]): r for r in original.rates}
    rates = []
    for r in after.rates:
        b = before_rates.get(r.vat_rate, {"net": 0, "vat": 0})
        rates.append(RateTotal(r.vat_rate, r.net - int(b["net"]), r.vat - int(b["vat"])))
    net, vat = sum(r.net for r in rates), sum(r.vat for r in rates)
    customer = get_customer(customer_no)
    if customer is None:
        raise NotFound()
    issued = clock.to_warsaw(clock.now()).date()
    month = f"{issued.year:04d}-{issued.month:02d}"
    series = rules.CORRECTION_SERIES
    # Idempotency: one correction per original and corrected usage.
    fingerprint = ",".join(f"{k}={v}" for k, v in sorted(corrected_usage.items()))
    guard_sk = f"CORR#{original.invoice_id}#{fingerprint}"
    token, now = new_id(), clock.now_iso()

    def make(seq: int) -> tuple[Invoice, InvoiceDelivery]:
        inv_id = rules.invoice_id(series, issued, seq)
        inv = Invoice(
            customer_pk(customer_no),
            store.invoice_sk(inv_id),
            invoice_id=inv_id,
            number=rules.invoice_number(series, issued, seq),
            series=series,
            seq=seq,
            kind="correction",
            corrects=original.invoice_id,
            correction_reason=reason or "korekta zużycia",
            customer_no=customer_no,
            contract_no=original.contract_no,
            premises_id=original.premises_id,
            product=original.product,
            tariff_group=original.tariff_group,
            period=original.period,
            period_from=original.period_from,
            period_to=original.period_to,
            issue_date=issued.isoformat(),
            due_date=rules.due_date(issued).isoformat(),
            seller=original.seller,
            buyer=buyer(customer),
            supply_address=original.supply_address,
            bank_account=bank_account(customer_no),
            lines=[ln.as_dict() for ln in lines],
            rates=[r.as_dict() for r in rates],
            net=net,
            vat=vat,
            gross=net + vat,
            meters=[],
            estimated=False,
            ordered_capacity_mw=original.ordered_capacity_mw,
            yearly_kwh=original.yearly_kwh,
            pdf_key=pdf_key(issued, customer_no, inv_id),
            channel="email" if customer.einvoice_consent else "paper",
            created_at=now,
        )
        return inv, delivery_item(inv, customer.email, token, now)

    def extra(tx: Any, inv: Invoice) -> None:
        guard = store.BillingMark(
            customer_pk(customer_no),
            guard_sk,
            contract_no=original.contract_no,
            period=original.period,
            invoice_id=inv.invoice_id,
            closing={},
            created_at=now,
        )
        tx.save(guard, condition=Item.PK.does_not_exist())

    inv, dlv = _commit(make, series, month, extra)
    if inv is None or dlv is None:
        raise Conflict("invoices.correction_exists")
    if int(inv.gross) < 0:
        # A correction lowering what is due: booked by the ledger as a correction.
        ledger.record_correction(
            customer_no,
            reference=inv.number,
            amount_grosze=-int(inv.gross),
            invoice_no=original.number,
            reason=inv.correction_reason,
            source="invoicing",
        )
    pdf = render_pdf(inv, original)
    store_pdf(inv, pdf)
    if inv.channel == "email":
        from chalicelib.services import delivery

        sent = delivery.send_now(inv, dlv, pdf)
        if sent is not None:
            store.save_sent_batch([sent])
        else:
            from chalicelib.services.invoicing import _hand_over

            _hand_over(inv, dlv.token)
    return _detail(inv, dlv, customer_no)
