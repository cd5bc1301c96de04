"""Messages of the applications area (wnioski) (Polish, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "applications.unknown_type": (
        "Nie ma takiego rodzaju wniosku.",
        "There is no such type of application.",
    ),
    "applications.attachment_kind": ("Nieznany rodzaj załącznika.", "Unknown kind of attachment."),
    "applications.attachment_type": (
        "Załącznik musi być plikiem PDF, JPEG lub PNG (zgodnym z deklarowanym typem).",
        "An attachment must be a PDF, JPEG or PNG file (matching the declared type).",
    ),
    "applications.attachment_size": (
        "Załącznik może mieć najwyżej {mb} MB.",
        "An attachment may be at most {mb} MB.",
    ),
    "applications.attachment_limit": (
        "Do wniosku można dołączyć najwyżej {n} plików.",
        "At most {n} files can be attached.",
    ),
    "applications.attachment_missing": (
        "Brakuje wymaganego załącznika — prześlij plik przed złożeniem wniosku.",
        "A required attachment is missing — upload the file before submitting.",
    ),
    "applications.closed_for_files": (
        "Do tego wniosku nie można już dołączać plików.",
        "Files can no longer be added to this application.",
    ),
    "applications.changed_meanwhile": (
        "Wniosek zmienił się w międzyczasie — odśwież stronę.",
        "The application changed meanwhile — reload the page.",
    ),
    "applications.not_waiting": (
        "Wniosek nie czeka na uzupełnienie.",
        "The application is not waiting for more information.",
    ),
    "applications.note_required": (
        "Napisz, czego brakuje albo dlaczego wniosek jest odrzucony.",
        "Say what is missing or why the application is rejected.",
    ),
    "applications.transition": (
        "Wniosku w stanie „{from_status}” nie można teraz {action}.",
        "An application in the status “{from_status}” cannot be given “{action}” now.",
    ),
    "applications.contract_unknown": (
        "Nie ma takiej umowy na tym koncie.",
        "There is no such contract on this account.",
    ),
    "applications.contract_not_heat": (
        "Ten wniosek dotyczy umowy na ciepło.",
        "This application is for a heat contract.",
    ),
    "applications.contract_not_electricity": (
        "Ten wniosek dotyczy umowy na energię elektryczną.",
        "This application is for an electricity contract.",
    ),
    "applications.capacity_positive": (
        "Moc zamówiona musi być większa od zera.",
        "The ordered capacity must be above zero.",
    ),
    "applications.date_past": (
        "Data nie może być wcześniejsza niż dziś.",
        "The date cannot be before today.",
    ),
    "applications.after_contract_end": (
        "Data wypada po końcu umowy.",
        "The date falls after the end of the contract.",
    ),
    "applications.renewal_not_later": (
        "Nowa data końca musi być późniejsza niż obecna.",
        "The new end date must be later than the current one.",
    ),
    "applications.notice_period": (
        "Okres wypowiedzenia to {months} mies.: najwcześniej {date}.",
        "The notice period is {months} months: {date} at the earliest.",
    ),
    "applications.tariff_same": (
        "To jest obecna grupa taryfowa.",
        "This is the current tariff group.",
    ),
    "applications.iban": (
        "Nieprawidłowy numer rachunku (IBAN).",
        "Invalid bank account number (IBAN).",
    ),
    "applications.refund_too_large": (
        "Kwota przekracza nadpłatę ({overpayment}).",
        "The amount exceeds the overpayment ({overpayment}).",
    ),
    "applications.refund_no_longer": (
        "Nadpłata zmalała w międzyczasie (teraz {overpayment}) — zwrot nie jest możliwy.",
        "The overpayment has shrunk meanwhile (now {overpayment}) — no refund is possible.",
    ),
    "applications.no_arrears": (
        "Na koncie nie ma zaległości.",
        "There are no arrears on the account.",
    ),
    "applications.arrears_gone": (
        "Zaległości zostały już spłacone.",
        "The arrears have been paid meanwhile.",
    ),
    "applications.meter_unknown": (
        "Nie ma takiego licznika na tym koncie.",
        "There is no such meter on this account.",
    ),
    "applications.premises_unknown": (
        "Nie ma takiego obiektu na tym koncie.",
        "There is no such premises on this account.",
    ),
}
