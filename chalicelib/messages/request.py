"""Messages of the request guard: bodies refused before or while they are parsed."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "request.too_large": (
        "Treść żądania jest za duża (najwyżej {limit} bajtów).",
        "The request body is too large (at most {limit} bytes).",
    ),
    "request.too_deep": (
        "Dokument JSON jest zbyt głęboko zagnieżdżony (najwyżej {limit} poziomów).",
        "The JSON document is nested too deeply (at most {limit} levels).",
    ),
    "request.bad_text": (
        "Tekst zawiera niedozwolone znaki (znaki sterujące lub niesparowane surogaty).",
        "The text contains characters that are not allowed (control characters or lone surrogates).",
    ),
    "request.bad_number": (
        "Liczba jest nieskończona, nieokreślona lub poza zakresem.",
        "The number is infinite, not a number or out of range.",
    ),
    "request.bad_date": (
        "Nieprawidłowa data lub data spoza zakresu {first}–{last}.",
        "Not a valid date, or a date outside {first}–{last}.",
    ),
    "request.unsupported_media": (
        "Nieobsługiwany typ treści: {content_type}.",
        "Unsupported media type: {content_type}.",
    ),
    "request.method_not_allowed": (
        "Ta metoda nie jest obsługiwana pod tym adresem.",
        "This method is not supported at this address.",
    ),
    "request.too_large_title": ("Treść żądania jest za duża.", "The request body is too large."),
    "request.unsupported_media_title": (
        "Nieobsługiwany typ treści.",
        "Unsupported media type.",
    ),
}
