"""SNS: transactional SMS, and the account's opt-out list.

moto accepts a publish to an opted-out number, and AWS silently drops it; either way the
project checks first, so an opted-out number gets nothing and the log says why.
"""

from __future__ import annotations

import time

from chalicelib.adapters.aws import client

# An opt-out answer is kept for a short while per container: an outage's notices reach
# the same phone minutes apart at most once per event, and a stale "not opted out" costs
# nothing (AWS itself drops SMS to opted-out numbers).
_OPT_OUT_TTL_S = 300.0
_opted_out: dict[str, tuple[bool, float]] = {}


def is_opted_out(phone: str) -> bool:
    cached = _opted_out.get(phone)
    now = time.monotonic()
    if cached is not None and now - cached[1] < _OPT_OUT_TTL_S:
        return cached[0]
    answer = bool(client("sns").check_if_phone_number_is_opted_out(phoneNumber=phone)["isOptedOut"])
    _opted_out[phone] = (answer, now)
    return answer


def reset() -> None:
    _opted_out.clear()


def publish_sms(phone: str, text: str, sender_id: str = "EBOK") -> str:
    """One transactional SMS; returns the SNS message id."""
    resp = client("sns").publish(
        PhoneNumber=phone,
        Message=text,
        MessageAttributes={
            "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
            "AWS.SNS.SMS.SenderID": {"DataType": "String", "StringValue": sender_id},
        },
    )
    return str(resp["MessageId"])
