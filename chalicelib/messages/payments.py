"""Messages of online payments (starting a payment, the operator's notification)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "payments.invoice_not_open": (
        "Faktura {invoice_no} nie czeka na zapłatę.",
        "Invoice {invoice_no} is not awaiting payment.",
    ),
    "payments.amount_too_large": (
        "Kwota przekracza należność za wybrane faktury ({due}).",
        "The amount exceeds what is due on the chosen invoices ({due}).",
    ),
    "payments.bad_signature": (
        "Podpis powiadomienia jest nieprawidłowy.",
        "The notification signature is invalid.",
    ),
    "payments.unknown_payment": ("Nieznana płatność.", "Unknown payment."),
    "payments.not_verified": (
        "Operator płatności nie potwierdził transakcji; płatność nie została zaksięgowana.",
        "The payment operator did not confirm the transaction; the payment was not booked.",
    ),
    "payments.mismatch": (
        "Dane powiadomienia nie zgadzają się z płatnością.",
        "The notification does not match the payment.",
    ),
    "payments.delivery_failed": (
        "Operator nie mógł dostarczyć powiadomienia (HTTP {status}).",
        "The operator could not deliver the notification (HTTP {status}).",
    ),
}
