"""Language negotiation and the message catalogue (Polish first, English second).

Every user-facing message has a key. The common keys live here; each area's keys live in
its catalogue module ``chalicelib/messages/<area>.py``, and all catalogues are loaded before
the first message is rendered (``catalogue()``). A message is a (Polish, English) pair with
``str.format`` fields.
"""

from __future__ import annotations

import importlib
import pkgutil

LANGS = ("pl", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    "error.validation": ("Nieprawidłowe dane w żądaniu.", "The request contains invalid data."),
    "error.bad_json": (
        "Treść żądania nie jest poprawnym dokumentem JSON.",
        "The request body is not valid JSON.",
    ),
    "error.not_found": ("Nie znaleziono zasobu.", "The resource was not found."),
    "error.forbidden": (
        "Nie masz dostępu do tego zasobu.",
        "You do not have access to this resource.",
    ),
    "error.unauthorized": (
        "Zaloguj się, aby kontynuować.",
        "Please log in to continue.",
    ),
    "error.conflict": ("Operacja koliduje z bieżącym stanem.", "The operation conflicts."),
    "error.too_many": (
        "Zbyt wiele prób. Spróbuj ponownie później.",
        "Too many attempts. Please try again later.",
    ),
    "error.internal": (
        "Wystąpił błąd po naszej stronie. Spróbuj ponownie za chwilę.",
        "Something went wrong on our side. Please try again shortly.",
    ),
    "field.required": ("Pole jest wymagane.", "This field is required."),
    "field.invalid": ("Nieprawidłowa wartość.", "Invalid value."),
    "field.unknown": ("Nieznany parametr.", "Unknown parameter."),
    "field.pesel": ("Nieprawidłowy numer PESEL.", "Invalid PESEL number."),
    "field.nip": ("Nieprawidłowy numer NIP.", "Invalid NIP (tax id)."),
    "field.regon": ("Nieprawidłowy numer REGON.", "Invalid REGON number."),
    "field.krs": ("Numer KRS to 10 cyfr.", "A KRS number has 10 digits."),
    "field.email": ("Nieprawidłowy adres e-mail.", "Invalid e-mail address."),
    "field.phone": ("Nieprawidłowy numer telefonu.", "Invalid phone number."),
    "field.postal_code": ("Kod pocztowy ma postać 00-000.", "Postal code must be 00-000."),
}


_loaded = False


def register(messages: dict[str, tuple[str, str]]) -> None:
    """Add messages; a key defined twice is a programming error."""
    clash = MESSAGES.keys() & messages.keys()
    if clash:
        raise ValueError(f"message keys defined twice: {sorted(clash)}")
    MESSAGES.update(messages)


def catalogue() -> dict[str, tuple[str, str]]:
    """Every message of every area (the catalogue modules are pure dicts: cheap to load)."""
    global _loaded
    if not _loaded:
        from chalicelib import messages

        for info in sorted(pkgutil.iter_modules(messages.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"chalicelib.messages.{info.name}")
            register(module.MESSAGES)
        _loaded = True
    return MESSAGES


def negotiate(accept_language: str | None) -> str:
    """Pick 'pl' or 'en' from an Accept-Language header; Polish is the default."""
    if not accept_language:
        return "pl"
    best, best_q = "pl", -1.0
    for part in accept_language.split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGS and q > best_q:
            best, best_q = primary, q
    return best


def t(key: str, lang: str = "pl", **params: object) -> str:
    pl, en = catalogue().get(key, (key, key))
    text = en if lang == "en" else pl
    return text.format(**params) if params else text
