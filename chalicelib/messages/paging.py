"""Messages of paged lists (a cursor that is not one of ours)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "paging.bad_cursor": (
        "Nieprawidłowy znacznik strony; wczytaj listę od początku.",
        "The page cursor is not valid; load the list from the start.",
    ),
}
