"""Notification preferences (centrum powiadomień), dunning order and unsubscribe tokens.

Pure rules: which topics exist, which channels each may use, which notices are mandatory
(arrears and legal notices cannot be switched off), when a due-date reminder or a high-bill
alert is due, when a demand for payment may follow a reminder, and the HMAC token of a
one-click unsubscribe link (RFC 8058). No I/O.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

CHANNELS: tuple[str, ...] = ("email", "sms")
LANGUAGES: tuple[str, ...] = ("pl", "en")

# topic -> channels it may use; the order is the page's order.
TOPICS: dict[str, tuple[str, ...]] = {
    "invoice_new": ("email", "sms"),
    "due_reminder": ("email", "sms"),
    "payment_booked": ("email", "sms"),
    "high_bill": ("email", "sms"),
    "outage": ("email",),
    "contract_expiry": ("email", "sms"),
    "document_new": ("email",),
    "message_new": ("email", "sms"),
}
# Sent whatever the preferences say (arrears, demands, legal notices): the law and the
# contract require them; the page says so.
MANDATORY: tuple[str, ...] = ("arrears", "legal")
# What a customer gets before choosing anything: e-mail for the service topics.
DEFAULT_ON: dict[str, tuple[str, ...]] = {
    "invoice_new": ("email",),
    "due_reminder": ("email",),
    "payment_booked": ("email",),
    "high_bill": (),
    "outage": ("email",),
    "contract_expiry": ("email",),
    "document_new": ("email",),
    "message_new": ("email",),
}
REMINDER_DAYS_DEFAULT = 3
REMINDER_DAYS_MAX = 14
DEMAND_TERM_DAYS = 7  # a demand only this many days after the reminder was sent


@dataclass(frozen=True)
class Choices:
    """What one customer chose: channels per topic, reminder lead time, high-bill threshold
    and the language of every message (watched addresses are items of their own)."""

    channels: dict[str, tuple[str, ...]]
    reminder_days: int = REMINDER_DAYS_DEFAULT
    high_bill_amount: int | None = None  # grosze
    high_bill_percent: int | None = None  # over the same month last year
    language: str = "pl"
    sms_number: str | None = None  # a mobile number confirmed with a code (the SMS channel)

    def wants(self, topic: str, channel: str, sms_verified: bool = False) -> bool:
        if topic in MANDATORY:
            return channel == "email" or (channel == "sms" and sms_verified)
        if channel not in TOPICS.get(topic, ()):
            return False
        if channel == "sms" and not sms_verified:
            return False
        return channel in self.channels.get(topic, ())


def defaults(language: str = "pl") -> Choices:
    return Choices(channels=dict(DEFAULT_ON), language=language)


def normalise_channels(wanted: dict[str, Any]) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """The requested channels per topic, and the names of fields that are not allowed."""
    out: dict[str, tuple[str, ...]] = {}
    bad: list[str] = []
    for topic, channels in wanted.items():
        allowed = TOPICS.get(topic)
        if allowed is None:
            bad.append(f"channels.{topic}")
            continue
        chosen = tuple(c for c in CHANNELS if c in channels)
        if len(chosen) != len(set(channels)) or any(c not in allowed for c in chosen):
            bad.append(f"channels.{topic}")
            continue
        out[topic] = chosen
    return out, bad


# --- addresses watched for outage e-mails ------------------------------------------------------

MAX_WATCHED = 10  # watched addresses per customer account


def watch_keys(city: str, street: str, building: str) -> tuple[str, str, str] | None:
    """(city, street, building) keys as an outage names them (``domain.outages``), or None
    for an address that cannot be watched (no city or street, a ``#`` anywhere)."""
    # Imported here: the preferences schemas import this module for its topics and channels
    # while the API registers its routes (cold start), and outages' rules are not needed then.
    from chalicelib.domain.outages import building_key, city_key, street_key

    keys = (city_key(city), street_key(street), building_key(building))
    if not keys[0] or not keys[1] or any("#" in k for k in keys):
        return None
    return keys


def watch_id(keys: tuple[str, str, str]) -> str:
    """Derived from the address: the same address added twice is one watch."""
    return hashlib.sha256("|".join(keys).encode()).hexdigest()[:16]


# --- due-date reminder and high-bill alert -------------------------------------------------


def due_reminder_due(due_date: str, today: date, days_before: int, outstanding: int) -> bool:
    """A reminder goes once the due date is at most ``days_before`` days away and not yet
    passed, while money is still due (a missed daily run catches up the next day)."""
    left = (date.fromisoformat(due_date) - today).days
    return outstanding > 0 and 0 <= left <= days_before


def high_bill(
    gross: int, last_year_gross: int | None, amount: int | None, percent: int | None
) -> str | None:
    """Why an invoice is a high bill ("amount" or "percent"), or None."""
    if amount is not None and gross >= amount:
        return "amount"
    grew = (
        percent is not None
        and bool(last_year_gross)
        and gross * 100 >= (last_year_gross or 0) * (100 + (percent or 0))
    )
    return "percent" if grew else None


def same_month_last_year(period_from: str) -> str:
    """``YYYY-MM`` of the same billing month a year earlier."""
    y, m, _ = period_from.split("-")
    return f"{int(y) - 1:04d}-{m}"


# --- dunning that tells the truth -----------------------------------------------------------


def dunning_step(
    late_days: int,
    reminder_sent_on: date | None,
    demand_sent: bool,
    today: date,
    stages: tuple[int, int],
) -> str | None:
    """ "reminder", "demand" or None for one overdue invoice.

    The reminder goes once the invoice is ``stages[0]`` days late. The demand only when a
    reminder was actually sent, ``DEMAND_TERM_DAYS`` have passed since (the reminder's
    term) and the invoice is at least ``stages[1]`` days late. Whatever the order or the
    gaps of job runs, a demand never comes first nor in the reminder's run.
    """
    first, second = stages
    if reminder_sent_on is None:
        return "reminder" if late_days >= first else None
    if demand_sent or late_days < second:
        return None
    if today < reminder_sent_on + timedelta(days=DEMAND_TERM_DAYS):
        return None
    return "demand"


# --- one-click unsubscribe token (RFC 8058) -------------------------------------------------


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_token(secret: str, customer_no: str, topic: str, token_id: str) -> str:
    """``<payload>.<HMAC-SHA256>``: the customer, the topic and a one-time id."""
    if not secret:
        raise ValueError("no unsubscribe secret configured")
    payload = _b64(json.dumps({"c": customer_no, "t": topic, "i": token_id}).encode())
    mac = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()
    return f"{payload}.{_b64(mac)}"


def read_token(secret: str, token: str) -> tuple[str, str, str] | None:
    """(customer_no, topic, token_id) of a genuine token, None for anything else."""
    if not secret or token.count(".") != 1 or len(token) > 512:
        return None
    payload, mac = token.split(".")
    expected = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()
    try:
        if not hmac.compare_digest(_unb64(mac), expected):
            return None
        data = json.loads(_unb64(payload))
    except (ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("t") not in TOPICS:
        return None
    return str(data.get("c")), str(data["t"]), str(data.get("i"))


# --- the SMS channel: a mobile number confirmed with a one-time code ------------------------

MOBILE = re.compile(r"^\+48(45|50|51|53|57|60|66|69|72|73|78|79|88)\d{7}$")  # mobile ranges (UKE)
CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=10)
CODE_ATTEMPTS = 5  # wrong codes before the code is void
RESEND_AFTER = timedelta(seconds=60)  # a repeated request sooner sends nothing (a replay)
CODES_PER_DAY = 5  # codes sent to one account in 24 hours


def normalise_mobile(raw: str) -> str | None:
    """``+48XXXXXXXXX`` for a Polish mobile number however typed (spaces, dashes, with or
    without +48); None for anything else (landlines cannot receive SMS)."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    if re.fullmatch(r"\d{9}", digits):
        digits = "+48" + digits
    elif re.fullmatch(r"0048\d{9}", digits):
        digits = "+" + digits[2:]
    return digits if MOBILE.match(digits) else None


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_digest(secret: str, customer_no: str, phone: str, code: str) -> str:
    """What is stored instead of the code (HMAC-SHA256 bound to the account and number)."""
    message = f"{customer_no}|{phone}|{code}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def code_matches(secret: str, customer_no: str, phone: str, code: str, digest: str) -> bool:
    return hmac.compare_digest(code_digest(secret, customer_no, phone, code), digest)


# The notices queue's message of one issued invoice (``services.preferences.invoice_issued``).
# It waits this long on the queue, so that the invoice (its PDF, its e-mail) is out before
# the SMS or the high-bill alert about it.
INVOICE_NOTICE_DELAY_S = 60


def invoice_notice(customer_no: str, invoice_id: str) -> dict[str, str]:
    """The notices-queue message of one issued invoice (``invoice_issued``)."""
    return {"kind": "invoice_issued", "customer_no": customer_no, "invoice_id": invoice_id}
