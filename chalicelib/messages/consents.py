"""Messages of the consents area (zgody)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "consents.channel": (
        "Kanał to portal, telefon albo formularz papierowy.",
        "The channel is the portal, a phone call or a paper form.",
    ),
    "consents.channel_customer": (
        "W portalu zgodę zmienia się tylko kanałem „portal”.",
        "In the portal a consent changes only through the channel 'portal'.",
    ),
    "consents.changed_meanwhile": (
        "Zgody zmieniły się w międzyczasie. Odśwież stronę i spróbuj ponownie.",
        "The consents changed meanwhile. Reload the page and try again.",
    ),
}
