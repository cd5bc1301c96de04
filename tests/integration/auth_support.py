"""Helpers of the registration and login tests: e-mails as moto's SES captured them, fake
time, the codes inside the e-mails."""

from __future__ import annotations

import email
import email.policy
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

ACCOUNT = "123456789012"
REGION = "eu-central-1"


@dataclass
class Mail:
    to: list[str]
    subject: str
    text: str


def sent_mails() -> list[Mail]:
    """Every e-mail sent through SES in this test (raw MIME parsed, oldest first)."""
    from moto.ses.models import ses_backends

    out = []
    for m in ses_backends[ACCOUNT][REGION].sent_messages:
        raw = getattr(m, "raw_data", None)
        if raw is None:
            dest = getattr(m, "destinations", {}) or {}
            out.append(Mail(list(dest.get("ToAddresses", [])), str(m.subject), str(m.body)))
            continue
        msg = email.message_from_bytes(
            raw.encode() if isinstance(raw, str) else raw, policy=email.policy.default
        )
        body = msg.get_body(preferencelist=("plain",))
        text = str(body.get_content()) if body is not None else ""
        to = [a.strip() for a in str(msg.get("To", "")).split(",") if a.strip()]
        out.append(Mail(to, str(msg.get("Subject", "")), text))
    return out


def access_codes(mail: Mail) -> tuple[str, str]:
    """(user identifier, PIN) from an access-codes e-mail, Polish or English."""
    user = re.search(r"(?:Identyfikator użytkownika|User identifier):\s*(\d{8,})", mail.text)
    pin = re.search(r"(?:Jednorazowy PIN|One-time PIN):\s*(\S+)", mail.text)
    assert user and pin, mail.text
    return user.group(1), pin.group(1)


def reset_code(mail: Mail) -> str:
    found = re.search(r"(?:Kod|Code):\s*(\d{6})", mail.text)
    assert found, mail.text
    return found.group(1)


class FakeClock:
    """Moves ``chalicelib.domain.clock.now`` (the one place the application reads time).

    It starts one second after the next instant where every rate-limit window begins (their
    least common multiple, a whole hour today): the limits count in fixed windows aligned to
    multiples of their length (``domain.credentials.RATE_LIMITS``), and a burst of attempts
    that straddled a window's edge would be split between two counters (about one run in a
    hundred, whenever the suite's clock happened to be there)."""

    def __init__(self, monkeypatch: Any) -> None:
        from chalicelib.domain import clock, credentials

        span = math.lcm(*(window for _, window in credentials.RATE_LIMITS.values()))
        self._real = clock.now
        self.offset = timedelta(seconds=span - self._real().timestamp() % span + 1)
        monkeypatch.setattr(clock, "now", self.now)

    def now(self) -> datetime:
        return self._real() + self.offset

    def advance(self, **kw: float) -> None:
        self.offset += timedelta(**kw)


def cognito_users(prov: Any) -> list[str]:
    import boto3

    idp = boto3.client("cognito-idp", region_name=REGION)
    return [u["Username"] for u in idp.list_users(UserPoolId=prov.user_pool_id)["Users"]]
