"""Consents (zgody) as an append-only history: the kinds, the clause texts with their
versions, the channels a change can come through, and the current state derived from the
history. Pure rules, no I/O.

Each kind is separate and never pre-ticked: a kind without a recorded grant is not given
(marketing by e-mail, SMS and phone are three consents: electronic communications law).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# kind -> (clause version, Polish text, English text). A new text gets a new version; a
# grant records the version the customer saw.
CLAUSES: dict[str, tuple[str, str, str]] = {
    "einvoice": (
        "2026-01",
        "Zgadzam się na otrzymywanie faktur w formie elektronicznej (e-faktura) na mój adres "
        "e-mail zamiast faktur papierowych.",
        "I agree to receive invoices electronically (e-invoice) at my e-mail address instead "
        "of paper invoices.",
    ),
    "correspondence": (
        "2026-01",
        "Zgadzam się na prowadzenie korespondencji dotyczącej umowy drogą elektroniczną "
        "(e-mail i e-BOK).",
        "I agree to correspondence about my contract by electronic means (e-mail and e-BOK).",
    ),
    "marketing_email": (
        "2026-01",
        "Zgadzam się na otrzymywanie informacji handlowych o produktach i usługach "
        "sprzedawcy pocztą elektroniczną.",
        "I agree to receive commercial information about the seller's products and services "
        "by e-mail.",
    ),
    "marketing_sms": (
        "2026-01",
        "Zgadzam się na otrzymywanie informacji handlowych o produktach i usługach "
        "sprzedawcy SMS-em.",
        "I agree to receive commercial information about the seller's products and services "
        "by SMS.",
    ),
    "marketing_phone": (
        "2026-01",
        "Zgadzam się na kontakt telefoniczny w celach marketingowych sprzedawcy.",
        "I agree to be contacted by phone for the seller's marketing.",
    ),
}
KINDS: tuple[str, ...] = tuple(CLAUSES)
MARKETING: tuple[str, ...] = ("marketing_email", "marketing_sms", "marketing_phone")
# Through which channel a change came: the portal (the customer's own login or staff in the
# console), a phone call or a paper form taken by staff; "unknown" marks changes recorded
# before the channel was (e-invoice switches of the invoices page, console edits).
CHANNELS: tuple[str, ...] = ("portal", "phone", "paper")
STAFF_CHANNELS: tuple[str, ...] = ("portal", "phone", "paper")


@dataclass(frozen=True)
class Change:
    """One entry of the history."""

    kind: str
    granted: bool
    at: str  # UTC ISO
    by: str  # login (customer or staff)
    by_role: str
    channel: str
    clause_version: str | None
    change_id: str


def clause_version(kind: str) -> str:
    return CLAUSES[kind][0]


def clause_text(kind: str, lang: str) -> str:
    _, pl, en = CLAUSES[kind]
    return en if lang == "en" else pl


def order_key(change: Change) -> tuple[str, bool, str]:
    """Oldest first: by time, a registration entry before anything of the same second, then
    by the id (sortable: ULID)."""
    return (change.at, change.by_role != "registration", change.change_id)


def current(history: Iterable[Change]) -> dict[str, Change | None]:
    """Kind -> the latest change (None: never given, which means not given)."""
    out: dict[str, Change | None] = dict.fromkeys(KINDS)
    for change in sorted(history, key=order_key):
        if change.kind in out:
            out[change.kind] = change
    return out


def is_granted(state: dict[str, Change | None], kind: str) -> bool:
    found = state.get(kind)
    return bool(found and found.granted)
