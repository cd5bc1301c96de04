"""SES: outgoing e-mail (plain text, optional HTML and attachments) as one raw MIME message.

Raw messages carry attachments and are what moto records in full (``sent_messages``), so the
local outbox shows exactly what a customer would receive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from chalicelib.adapters.aws import client
from chalicelib.config import settings


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
) -> str:
    """Send one message through the stage's configuration set; returns the SES message id."""
    cfg = settings()
    msg = build_message(to, subject, text, html, attachments, reply_to=reply_to)
    kwargs = {
        "Source": cfg.sender_email,
        "Destinations": list(to),
        "RawMessage": {"Data": msg.as_bytes()},
    }
    if cfg.ses_configuration_set:
        kwargs["ConfigurationSetName"] = cfg.ses_configuration_set
    return str(client("ses").send_raw_email(**kwargs)["MessageId"])
