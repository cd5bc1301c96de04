"""Messages of the faults area (Polish, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "faults.transition": (
        "Nie można zmienić stanu zgłoszenia z „{from_status}” na „{to_status}”.",
        "A ticket cannot go from “{from_status}” to “{to_status}”.",
    ),
    "faults.address_required": (
        "Wybierz obiekt albo podaj adres awarii.",
        "Choose a premises or give the address of the fault.",
    ),
    "faults.premises_unknown": (
        "Nie ma takiego obiektu na tym koncie klienta.",
        "There is no such premises on this customer account.",
    ),
    "faults.photo_type": (
        "Zdjęcie musi być plikiem JPEG, PNG, WebP lub HEIC.",
        "A photo must be a JPEG, PNG, WebP or HEIC file.",
    ),
    "faults.photo_size": (
        "Zdjęcie może mieć najwyżej {mb} MB.",
        "A photo may be at most {mb} MB.",
    ),
    "faults.photo_limit": (
        "Do zgłoszenia można dołączyć najwyżej {n} zdjęć.",
        "At most {n} photos can be attached to a report.",
    ),
    "faults.resolved": (
        "Zgłoszenie jest już zamknięte.",
        "The report has already been resolved.",
    ),
}
