"""What every payment operator adapter answers (shared by the sandbox and Przelewy24)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Registered:
    """What the operator answers to a new payment: its reference and where to send the payer."""

    operator_ref: str
    redirect_url: str
