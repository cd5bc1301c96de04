"""SNS: transactional SMS at the configured rate, and the account's opt-out list.

An SMS costs one SNS call: the opt-out list is read whole (``ListPhoneNumbersOptedOut``,
page by page) once per container and again every ``OPT_OUT_REFRESH_S``, and every number
is checked against that copy. A number that opted out since the last read is at worst
published to: AWS itself drops SMS to opted-out numbers, so staleness costs nothing.

Sending is paced per container at ``SMS_SEND_RATE / SMS_SENDERS`` per second; a throttling
answer backs off briefly, then raises ``pacing.Throttled`` so that the queue handler hands
the message back to its queue for later.
"""

from __future__ import annotations

import threading
import time

from chalicelib.adapters import pacing
from chalicelib.adapters.aws import client
from chalicelib.config import settings
from chalicelib.observability import logger

OPT_OUT_REFRESH_S = 900.0
MAX_OPT_OUT_PAGES = 10_000  # 100 numbers a page: a million opted-out numbers at most
MAX_WAIT_S = 5.0

_lock = threading.Lock()
_opted_out: dict[str, object] = {}
_bucket: dict[str, pacing.TokenBucket | None] = {}


def reset() -> None:
    with _lock:
        _opted_out.clear()
        _bucket.clear()


def _read_opted_out() -> frozenset[str]:
    sns = client("sns")
    numbers: set[str] = set()
    token = ""
    for _ in range(MAX_OPT_OUT_PAGES):
        answer = sns.list_phone_numbers_opted_out(**({"nextToken": token} if token else {}))
        numbers.update(str(n) for n in answer.get("phoneNumbers", []))
        token = str(answer.get("nextToken") or "")
        if not token:
            break
    return frozenset(numbers)


def opted_out_numbers() -> frozenset[str]:
    """The account's opted-out numbers as of at most ``OPT_OUT_REFRESH_S`` ago. When a
    refresh fails, the previous copy is kept (and the next SMS tries again)."""
    with _lock:
        numbers = _opted_out.get("numbers")
        read_at = float(_opted_out.get("read_at", 0.0))  # type: ignore[arg-type]
        if isinstance(numbers, frozenset) and time.monotonic() - read_at < OPT_OUT_REFRESH_S:
            return numbers
        try:
            fresh = _read_opted_out()
        except pacing.service_errors() as exc:
            if not isinstance(numbers, frozenset):
                raise
            logger.warning("opt-out list not refreshed", extra={"error": type(exc).__name__})
            return numbers
        _opted_out.update(numbers=fresh, read_at=time.monotonic())
        return fresh


def is_opted_out(phone: str) -> bool:
    return phone in opted_out_numbers()


def bucket() -> pacing.TokenBucket | None:
    """This container's share of the account's SMS rate (None: not paced)."""
    with _lock:
        if "sms" not in _bucket:
            cfg = settings()
            rate = cfg.sms_send_rate
            _bucket["sms"] = (
                None if rate == "off" else pacing.TokenBucket(float(rate) / cfg.sms_senders)
            )
        return _bucket["sms"]


def publish_sms(phone: str, text: str, sender_id: str = "EBOK") -> str:
    """One transactional SMS; returns the SNS message id."""

    def publish() -> str:
        resp = client("sns").publish(
            PhoneNumber=phone,
            Message=text,
            MessageAttributes={
                "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
                "AWS.SNS.SMS.SenderID": {"DataType": "String", "StringValue": sender_id},
            },
        )
        return str(resp["MessageId"])

    return pacing.call_paced(bucket(), "Publish", publish, MAX_WAIT_S, metric="Sms")
