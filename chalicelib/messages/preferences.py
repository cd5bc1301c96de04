"""Messages of the preference centre, consents and personal data."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "preferences.bad_channel": (
        "Ten temat nie może korzystać z wybranego kanału.",
        "This topic cannot use the chosen channel.",
    ),
    "preferences.sms_unverified": (
        "SMS-y wysyłamy tylko na zweryfikowany numer telefonu komórkowego.",
        "SMS messages go only to a verified mobile number.",
    ),
    "preferences.bad_address": (
        "Podaj miejscowość i ulicę.",
        "Give the city and the street.",
    ),
    "preferences.too_many_addresses": (
        "Można obserwować najwyżej 10 adresów.",
        "At most 10 addresses can be watched.",
    ),
    "preferences.changed_meanwhile": (
        "Ustawienia zmieniły się w międzyczasie. Odśwież stronę i spróbuj ponownie.",
        "The settings changed meanwhile. Reload the page and try again.",
    ),
    "preferences.unsubscribed": (
        "Wypisano z powiadomień tego rodzaju.",
        "You were unsubscribed from notifications of this kind.",
    ),
    "preferences.token_invalid": (
        "Link wypisania jest nieprawidłowy albo został już użyty.",
        "The unsubscribe link is invalid or was already used.",
    ),
    "consents.unknown": ("Nieznany rodzaj zgody.", "Unknown kind of consent."),
    "consents.stale_clause": (
        "Treść klauzuli zmieniła się. Odśwież stronę i zapoznaj się z aktualną wersją.",
        "The clause changed. Reload the page and read the current version.",
    ),
    "privacy.request_open": (
        "Wniosek tego rodzaju jest już w toku.",
        "A request of this kind is already in progress.",
    ),
    "privacy.export_not_ready": (
        "Eksport danych nie jest jeszcze gotowy albo wygasł.",
        "The data export is not ready yet or has expired.",
    ),
    "preferences.manager_needed": (
        "Wskaż opiekuna klienta.",
        "Name the account manager.",
    ),
    "preferences.bad_cursor": (
        "Nieprawidłowy znacznik strony.",
        "Invalid page marker.",
    ),
    "privacy.case_closed": ("Sprawa została już rozpatrzona.", "The case was already decided."),
}
