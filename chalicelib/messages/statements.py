"""Messages of bank statements (camt.053 import, the suspense list)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "statements.invalid_file": (
        "Plik nie jest poprawnym wyciągiem camt.053: {reason}",
        "The file is not a valid camt.053 statement: {reason}",
    ),
    "statements.foreign_account": (
        "Wyciąg dotyczy rachunku, który nie należy do nas (…{account}).",
        "The statement is of an account that is not ours (…{account}).",
    ),
    "statements.already_resolved": (
        "Ta wpłata została już rozliczona.",
        "This credit has already been resolved.",
    ),
    "statements.unknown_customer": (
        "Nie ma klienta o tym numerze.",
        "No customer with this number.",
    ),
    "statements.currency": (
        "Wpłatę w walucie {currency} można tylko zwrócić.",
        "A credit in {currency} can only be returned.",
    ),
    "statements.reason_required": (
        "Podaj powód: wpłatę powyżej progu zatwierdza druga osoba.",
        "Give a reason: a credit above the threshold is approved by a second person.",
    ),
    "statements.request_waiting": (
        "Na tę wpłatę czeka już wniosek o zaksięgowanie na innym koncie.",
        "A request to book this credit on another account is already waiting.",
    ),
    "statements.request_open": (
        "Na tę wpłatę czeka wniosek o zaksięgowanie: najpierw go zatwierdź lub odrzuć.",
        "A request to book this credit is waiting: approve or reject it first.",
    ),
    "statements.request_decided": (
        "Ten wniosek został już rozpatrzony.",
        "This request has already been decided.",
    ),
    "statements.four_eyes_same_person": (
        "Zaksięgowanie musi zatwierdzić inna osoba niż ta, która o nie wnioskowała.",
        "The booking must be approved by someone other than the person who requested it.",
    ),
}
