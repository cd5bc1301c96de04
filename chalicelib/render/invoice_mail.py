"""The e-invoice e-mail (in the customer's language) and the paper-print batch file."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from chalicelib.render.mail import Mail, compose, day, lang_of, pln


def invoice_mail(doc: dict[str, Any], lang: str = "pl", unsubscribe_url: str | None = None) -> Mail:
    """An invoice sent as an attachment, in one language ("przesyłamy fakturę")."""
    correction = doc.get("kind") == "correction"
    period = f"{day(doc['period_from'])} – {day(doc['period_to'])}"
    number, issued, due = doc["number"], day(doc["issue_date"]), day(doc["due_date"])
    if lang_of(lang) == "en":
        kind = "Correcting invoice" if correction else "Invoice"
        estimated = (
            [
                "This period's consumption was estimated. Submit a meter reading in e-BOK and it "
                "will be settled on the next invoice."
            ]
            if doc.get("estimated")
            else []
        )
        return compose(
            "en",
            f"{kind} {number} for {period}",
            [
                "Hello,",
                f"please find attached {kind.lower()} {number} of {issued} for {period} "
                f"(contract {doc['contract_no']}).\n"
                f"Amount due: {pln(doc['gross'], 'en')}, due date: {due}.\n"
                f"Bank account: {doc['bank_account']}",
                *estimated,
                "You will also find the invoice and your billing history in e-BOK.",
            ],
            unsubscribe_url=unsubscribe_url,
        )
    subject_kind = "Faktura korygująca" if correction else "Faktura"
    accusative = "fakturę korygującą" if correction else "fakturę"
    estimated = (
        [
            "Zużycie w tym okresie ustalono szacunkowo. Podaj odczyt licznika w e-BOK, a "
            "rozliczymy je w następnej fakturze."
        ]
        if doc.get("estimated")
        else []
    )
    return compose(
        "pl",
        f"{subject_kind} {number} za okres {period}",
        [
            "Dzień dobry,",
            f"w załączniku przesyłamy {accusative} nr {number} z dnia {issued} za okres "
            f"{period} (umowa {doc['contract_no']}).\n"
            f"Kwota do zapłaty: {pln(doc['gross'])}, termin płatności: {due}.\n"
            f"Numer rachunku: {doc['bank_account']}",
            *estimated,
            "Fakturę i historię rozliczeń znajdziesz też w e-BOK.",
        ],
        unsubscribe_url=unsubscribe_url,
    )


def invoice_email(
    doc: dict[str, Any], lang: str = "pl", unsubscribe_url: str | None = None
) -> tuple[str, str, str]:
    """(subject, text, html) of ``invoice_mail`` (the delivery's call)."""
    return invoice_mail(doc, lang, unsubscribe_url).parts()


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
