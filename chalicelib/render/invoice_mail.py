"""The e-invoice e-mail (Polish first, English second) and the paper-print batch file."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from typing import Any

from chalicelib.config import settings
from chalicelib.domain.money import format_pln


def _pln(grosze: int) -> str:
    return format_pln(grosze).replace("\u00a0", " ")


def _d(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}.{m}.{y}"


def invoice_email(doc: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, text, html) for an invoice sent as an attachment."""
    s = settings()
    correction = doc.get("kind") == "correction"
    kind_pl = "Faktura korygująca" if correction else "Faktura"
    kind_en = "Correcting invoice" if correction else "Invoice"
    period = f"{_d(doc['period_from'])} – {_d(doc['period_to'])}"
    subject = f"{kind_pl} {doc['number']} za okres {period} / {kind_en} {doc['number']}"
    estimated_pl = (
        "\nZużycie w tym okresie ustalono szacunkowo. Podaj odczyt licznika w eBOK, a rozliczymy je "
        "przy następnej fakturze."
        if doc.get("estimated")
        else ""
    )
    estimated_en = (
        "\nThis period's consumption was estimated. Submit a meter reading in eBOK and it will be "
        "settled on the next invoice."
        if doc.get("estimated")
        else ""
    )
    text = (
        f"Dzień dobry,\n\n"
        f"w załączniku przesyłamy {kind_pl.lower()} nr {doc['number']} z dnia {_d(doc['issue_date'])} "
        f"za okres {period} (umowa {doc['contract_no']}).\n"
        f"Kwota do zapłaty: {_pln(doc['gross'])}, termin płatności: {_d(doc['due_date'])}.\n"
        f"Numer rachunku: {doc['bank_account']}{estimated_pl}\n\n"
        f"Fakturę i historię rozliczeń znajdziesz też w eBOK.\n\n"
        f"---\n"
        f"Hello,\n\n"
        f"attached is {kind_en.lower()} {doc['number']} of {_d(doc['issue_date'])} for {period} "
        f"(contract {doc['contract_no']}).\n"
        f"Amount due: {_pln(doc['gross'])}, due date: {_d(doc['due_date'])}.\n"
        f"Bank account: {doc['bank_account']}{estimated_en}\n\n"
        f"Zespół e-BOK / The e-BOK team\n{s.seller_name}, {s.seller_address}\n"
        "To jest wiadomość automatyczna. / This is an automatic message.\n"
    )
    e = html.escape
    body = "".join(
        f"<p>{e(p).replace(chr(10), '<br>')}</p>" for p in text.split("\n\n") if p.strip()
    )
    return subject, text, f"<html><body>{body}</body></html>"


PRINT_COLUMNS = [
    "invoice_number",
    "customer_no",
    "name",
    "street",
    "postal_code",
    "city",
    "issue_date",
    "due_date",
    "gross_pln",
    "pdf_key",
]


def print_batch_csv(rows: Sequence[dict[str, Any]]) -> bytes:
    """The print house's manifest: one envelope per row, the PDF to print at ``pdf_key``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=PRINT_COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in PRINT_COLUMNS})
    return out.getvalue().encode("utf-8-sig")
