"""SES: outgoing e-mail (plain text, optional HTML and attachments) as one raw MIME message.

Raw messages carry attachments and are what moto records in full (``sent_messages``), so the
local outbox shows exactly what a customer would receive.

Every sender (invoices, notices, alerts, log-in mail) is paced here: the account's quota is
read from SES once per container (``GetSendQuota``), each container sends at its share of
the maximum rate (``SES_SENDERS`` containers at once) and stops at the daily quota; a
throttling answer backs off briefly, then raises ``pacing.Throttled`` so that the queue
handler hands the message back to its queue for later (never to the DLQ).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from chalicelib.adapters import pacing
from chalicelib.adapters.aws import client
from chalicelib.config import settings

MAX_WAIT_S = 5.0  # the longest a send waits for its token before the queue takes over
DAILY_RECHECK_S = 300.0  # how often a container out of daily quota asks SES again
DAILY_RETRY_S = 900.0  # SQS's longest delay: when the daily quota is spent


@dataclass
class Quota:
    """The account's sending limits as SES reported them to this container."""

    max_send_rate: float
    max_24h: float
    sent_24h: float
    read_at: float
    sent_here: int = 0

    @property
    def daily_left(self) -> float:
        return self.max_24h - self.sent_24h - self.sent_here


_lock = threading.Lock()
_state: dict[str, object] = {}


def reset() -> None:
    """Forget the quota and the bucket (tests; a new moto session)."""
    with _lock:
        _state.clear()


def _read_quota() -> Quota:
    answer = client("ses").get_send_quota()
    return Quota(
        max_send_rate=float(answer["MaxSendRate"]),
        max_24h=float(answer["Max24HourSend"]),
        sent_24h=float(answer["SentLast24Hours"]),
        read_at=time.monotonic(),
    )


def quota() -> Quota | None:
    """The account's quota (read once per container), or None when sending is not paced.
    ``SES_SEND_RATE`` as a number means that rate and no daily limit."""
    mode = settings().ses_send_rate
    if mode == "off":
        return None
    with _lock:
        found = _state.get("quota")
        if isinstance(found, Quota):
            return found
        if mode == "quota":
            found = _read_quota()
        else:
            found = Quota(float(mode), float("inf"), 0.0, time.monotonic())
        _state["quota"] = found
        _state["bucket"] = pacing.TokenBucket(found.max_send_rate / settings().ses_senders)
        return found


def bucket() -> pacing.TokenBucket | None:
    found = quota()
    if found is None:
        return None
    held = _state.get("bucket")
    return held if isinstance(held, pacing.TokenBucket) else None


def _check_daily(found: Quota) -> None:
    if found.daily_left > 0:
        return
    if time.monotonic() - found.read_at >= DAILY_RECHECK_S and settings().ses_send_rate == "quota":
        fresh = _read_quota()  # the 24-hour window moves on
        with _lock:
            found.max_24h, found.sent_24h = fresh.max_24h, fresh.sent_24h
            found.read_at, found.sent_here = fresh.read_at, 0
        if found.daily_left > 0:
            return
    raise pacing.Throttled("SendRawEmail", DAILY_RETRY_S, "daily sending quota used up")


SKIPPED = "skipped:suppressed"


def was_skipped(message_id: str) -> bool:
    """True when ``send_email`` sent nothing because every address is suppressed."""
    return message_id == SKIPPED


def _deliverable(to: Sequence[str], subject: str) -> list[str]:
    """The addresses not suppressed; each suppressed one gets a skipped-send record.
    (The suppression list lives in the table: the store is its only reader.)"""
    from chalicelib.domain import clock
    from chalicelib.domain.ids import new_id
    from chalicelib.store import preferences as suppressions

    blocked = suppressions.suppressed_among(to)
    for address in to:
        if address.strip().lower() in blocked:
            suppressions.record_skipped(address, subject, clock.now_iso(), new_id())
    return [a for a in to if a.strip().lower() not in blocked]


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    body: bytes


def build_message(
    to: Sequence[str],
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Sequence[Attachment] = (),
    sender: str | None = None,
    sender_name: str | None = None,
    reply_to: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    cfg = settings()
    msg = EmailMessage()
    address = sender or cfg.sender_email
    msg["From"] = formataddr((sender_name or cfg.seller_name, address))
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain=address.split("@")[-1])
    if reply_to:
        msg["Reply-To"] = reply_to
    for name, value in (headers or {}).items():
        msg[name] = value  # List-Unsubscribe, List-Unsubscribe-Post (render.mail)
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    for att in attachments:
        maintype, _, subtype = att.content_type.partition("/")
        msg.add_attachment(att.body, maintype=maintype, subtype=subtype, filename=att.filename)
    return msg


def send_email(
    to: Sequence[str],
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Sequence[Attachment] = (),
    reply_to: str | None = None,
    headers: Mapping[str, str] | None = None,
    checked: bool = False,
) -> str:
    """Send one message through the stage's configuration set; returns the SES message id.

    Addresses SES reported as bouncing or complaining (jobs.bounces) are never sent to: the
    send is recorded as skipped and the answer is a ``SKIPPED`` id (``was_skipped``).
    ``checked``: the caller read the suppression list just now and the address is not on
    it (``services.preferences.mail_gate``, one read with the preferences)."""
    cfg = settings()
    to = list(to) if checked else _deliverable(to, subject)
    if not to:
        return SKIPPED
    msg = build_message(to, subject, text, html, attachments, reply_to=reply_to, headers=headers)
    kwargs = {
        "Source": cfg.sender_email,
        "Destinations": list(to),
        "RawMessage": {"Data": msg.as_bytes()},
    }
    if cfg.ses_configuration_set:
        kwargs["ConfigurationSetName"] = cfg.ses_configuration_set
    found = quota()
    if found is not None:
        _check_daily(found)
    message_id = pacing.call_paced(
        bucket(),
        "SendRawEmail",
        lambda: str(client("ses").send_raw_email(**kwargs)["MessageId"]),
        MAX_WAIT_S,
        metric="Emails",
    )
    if found is not None:
        with _lock:
            found.sent_here += 1
    return message_id
