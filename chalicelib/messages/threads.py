"""Messages of the secure messages area (Polish, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "threads.no_manager": (
        "To konto nie ma przypisanego opiekuna klienta.",
        "This account has no account manager assigned.",
    ),
    "threads.replayed": (
        "Ta wiadomość została już wysłana.",
        "This message has been sent already.",
    ),
    "threads.too_many_files": (
        "Do wiadomości można dołączyć najwyżej {n} plików.",
        "At most {n} files can be attached to a message.",
    ),
}
