"""Messages of invoices and corrections (Polish, English)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "invoices.not_correctable": (
        "Tej faktury nie można skorygować w ten sposób.",
        "This invoice cannot be corrected this way.",
    ),
    "invoices.no_change": (
        "Korekta nic nie zmienia: podane zużycie jest takie samo jak na fakturze.",
        "The correction changes nothing: the usage given equals the invoice's.",
    ),
    "invoices.correction_exists": (
        "Ta korekta została już wystawiona.",
        "This correction has already been issued.",
    ),
}
