"""Successful sign-ins kept for the customer ("Moje dane"): when, from which address, with
which browser; a bounded history (the newest ``KEEP``). Pure rules, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass

KEEP = 20  # sign-ins kept per login (older ones drop off)
AGENT_MAX = 256  # characters of the user agent kept
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class SignIn:
    at: str
    source: str
    user_agent: str
    via: str  # password | new_password | mfa

    def as_dict(self) -> dict[str, str]:
        return {
            "at": self.at,
            "source": self.source,
            "user_agent": self.user_agent,
            "via": self.via,
        }


def clean_agent(raw: str | None) -> str:
    """The User-Agent header as kept: control characters out, at most ``AGENT_MAX``."""
    return _CONTROL.sub(" ", raw or "").strip()[:AGENT_MAX]


def kept(history: list[SignIn], new: SignIn) -> list[SignIn]:
    """The history with ``new`` first and at most ``KEEP`` entries."""
    return [new, *history][:KEEP]
