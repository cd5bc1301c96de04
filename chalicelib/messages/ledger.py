"""Messages of the ledger (balances, corrections, refunds)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "ledger.busy": (
        "Konto jest właśnie aktualizowane. Spróbuj ponownie za chwilę.",
        "The account is being updated. Please try again shortly.",
    ),
    "ledger.refund_too_large": (
        "Kwota zwrotu przekracza nadpłatę ({overpayment}).",
        "The refund exceeds the overpayment ({overpayment}).",
    ),
    "ledger.duplicate_reference": (
        "Operacja o tym numerze została już zaksięgowana.",
        "An operation with this reference has already been booked.",
    ),
    "ledger.four_eyes_same_person": (
        "Operację musi zatwierdzić inna osoba niż ta, która o nią wnioskowała.",
        "The booking must be approved by someone other than the person who requested it.",
    ),
    "ledger.request_decided": (
        "Ten wniosek został już rozpatrzony.",
        "This request has already been decided.",
    ),
}
