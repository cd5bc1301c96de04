"""SES feedback (bounces and complaints) as SES documents it, read from the SQS body that SNS
delivered. Pure: no I/O.

Two documented shapes reach the queue: configuration-set event publishing
(``{"eventType": "Bounce", "bounce": {...}, "mail": {...}}``, docs: "Contents of event data
that Amazon SES publishes to Amazon SNS") and identity notifications
(``{"notificationType": "Bounce", ...}``, "Amazon SNS notification contents for Amazon
SES"). Either may come wrapped in the SNS envelope (``{"Type": "Notification", "Message":
"<json>"}``) or raw (raw message delivery).

What it means here: a permanent bounce and a complaint suppress the address (nothing more is
sent to it); a transient bounce (mailbox full, message too large) is only counted; an
``Undetermined`` bounce is counted like a transient one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Feedback:
    kind: str  # bounce | complaint | other
    feedback_id: str
    addresses: tuple[str, ...]
    permanent: bool
    detail: str  # e.g. "Permanent/General: smtp; 550 5.1.1 user unknown" or "abuse"
    at: str

    @property
    def suppresses(self) -> bool:
        return self.kind == "complaint" or (self.kind == "bounce" and self.permanent)


class NotFeedback(ValueError):
    """A message that is neither an SES bounce nor a complaint (logged and dropped)."""


def _unwrap(body: Any) -> dict[str, Any]:
    if isinstance(body, str):
        body = json.loads(body)
    if not isinstance(body, dict):
        raise NotFeedback("not an object")
    if body.get("Type") == "Notification" and isinstance(body.get("Message"), str):
        inner = json.loads(body["Message"])
        if not isinstance(inner, dict):
            raise NotFeedback("SNS message is not an object")
        return inner
    return body


def _bounce(doc: dict[str, Any]) -> Feedback:
    bounce = doc.get("bounce") or {}
    recipients = bounce.get("bouncedRecipients") or []
    addresses = tuple(
        str(r["emailAddress"]).strip().lower() for r in recipients if r.get("emailAddress")
    )
    kind_of = str(bounce.get("bounceType") or "Undetermined")
    codes = "; ".join(str(r["diagnosticCode"]) for r in recipients if r.get("diagnosticCode"))
    detail = f"{kind_of}/{bounce.get('bounceSubType') or ''}" + (f": {codes}" if codes else "")
    return Feedback(
        kind="bounce",
        feedback_id=str(bounce.get("feedbackId") or ""),
        addresses=addresses,
        permanent=kind_of == "Permanent",
        detail=detail[:300],
        at=str(bounce.get("timestamp") or ""),
    )


def _complaint(doc: dict[str, Any]) -> Feedback:
    complaint = doc.get("complaint") or {}
    recipients = complaint.get("complainedRecipients") or []
    return Feedback(
        kind="complaint",
        feedback_id=str(complaint.get("feedbackId") or ""),
        addresses=tuple(
            str(r["emailAddress"]).strip().lower() for r in recipients if r.get("emailAddress")
        ),
        permanent=True,
        detail=str(complaint.get("complaintFeedbackType") or "complaint")[:300],
        at=str(complaint.get("timestamp") or ""),
    )


def parse(body: Any) -> Feedback:
    """The feedback an SQS body carries; raises ``NotFeedback`` for anything else (a
    delivery event, SNS's subscription confirmation, garbage)."""
    try:
        doc = _unwrap(body)
    except (ValueError, TypeError) as exc:
        raise NotFeedback("unreadable") from exc
    kind = str(doc.get("eventType") or doc.get("notificationType") or "")
    if kind == "Bounce":
        found = _bounce(doc)
    elif kind == "Complaint":
        found = _complaint(doc)
    else:
        raise NotFeedback(kind or "no type")
    if not found.feedback_id or not found.addresses:
        raise NotFeedback("no feedback id or recipients")
    return found
