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
    "preferences.mobile_bad": (
        "Podaj polski numer telefonu komórkowego, np. 600 100 200.",
        "Give a Polish mobile number, e.g. 600 100 200.",
    ),
    "preferences.code_wrong": (
        "Kod jest nieprawidłowy. Pozostałe próby: {left}.",
        "The code is wrong. Attempts left: {left}.",
    ),
    "preferences.code_expired": (
        "Kod wygasł albo wykorzystano wszystkie próby. Poproś o nowy kod.",
        "The code has expired or every attempt was used. Ask for a new code.",
    ),
    "preferences.too_many_codes": (
        "Wysłaliśmy już dziś najwięcej kodów, ile można. Spróbuj jutro.",
        "We have sent as many codes today as allowed. Try again tomorrow.",
    ),
    "preferences.sms_opted_out": (
        "Ten numer zrezygnował z SMS-ów. Wyślij START na numer nadawcy i spróbuj ponownie.",
        "This number opted out of SMS. Send START to the sender and try again.",
    ),
    "preferences.city_not_served": (
        "Tej miejscowości nie obsługujemy.",
        "We do not serve this city.",
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
