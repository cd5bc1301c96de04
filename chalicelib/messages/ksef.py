"""Messages of KSeF administration."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "ksef.not_rejected": (
        "Ta faktura nie czeka na decyzję: KSeF jej nie odrzucił albo została już wysłana ponownie.",
        "This invoice is not waiting for a decision: KSeF did not reject it or it was resent already.",
    ),
}
