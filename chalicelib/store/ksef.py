"""KSeF submissions: one item per invoice sent to KSeF, right after the invoice and its
delivery in the customer's collection (``PK = CUST#<no>``, ``SK = INV#<yyyy-mm>#<series>-<seq>#KSEF``).

The invoice item never changes; what KSeF assigns after the issue (the KSeF number, the UPO's
S3 key, the session and invoice references, a rejection's reason) lives here.

status: ``queued`` → ``submitting`` (claimed with a token) → ``sent`` (KSeF has the file,
status polled) → ``accepted`` | ``rejected``. While not final the item is in the sweeper's
index ``GSI1 = (KSEF#OPEN#<shard>, <since>#<customer>#<invoice>)``; a rejected one waits for
an administrator under ``GSI1 = (KSEF#REJECTED, <at>#<customer>#<invoice>)``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.store.base import Item
from chalicelib.store.customers import customer_pk
from chalicelib.store.invoices import JsonText, invoice_sk

SHARDS = 4
REJECTED = "KSEF#REJECTED"
FINAL = ("accepted", "rejected")


def submission_sk(invoice_id: str) -> str:
    return invoice_sk(invoice_id) + "#KSEF"


def open_pk(invoice_id: str) -> str:
    shard = int(hashlib.sha256(invoice_id.encode()).hexdigest(), 16) % SHARDS
    return f"KSEF#OPEN#{shard}"


class KsefSubmission(Item, discriminator="KsefSubmission"):
    invoice_id = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    status = UnicodeAttribute()
    xml_sha256 = UnicodeAttribute()
    token = UnicodeAttribute(null=True)
    claimed_at = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    session_ref = UnicodeAttribute(null=True)
    invoice_ref = UnicodeAttribute(null=True)
    ksef_number = UnicodeAttribute(null=True)
    upo_key = UnicodeAttribute(null=True)
    reason = JsonText(null=True)  # {code, description, details}: KSeF's words
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    accepted_at = UnicodeAttribute(null=True)
    resolved_by = UnicodeAttribute(null=True)


def _conditional(fn: Any) -> bool:
    try:
        fn()
    except (UpdateError, PutError) as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def get(customer_no: str, invoice_id: str) -> KsefSubmission | None:
    try:
        item = Item.get(customer_pk(customer_no), submission_sk(invoice_id), consistent_read=True)
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, KsefSubmission) else None


def create(customer_no: str, invoice_id: str, xml_sha256: str, now: str) -> KsefSubmission | None:
    """The submission of an invoice, once (None: it existed already)."""
    sub = KsefSubmission(
        customer_pk(customer_no),
        submission_sk(invoice_id),
        invoice_id=invoice_id,
        customer_no=customer_no,
        status="queued",
        xml_sha256=xml_sha256,
        attempts=0,
        created_at=now,
        updated_at=now,
        GSI1PK=open_pk(invoice_id),
        GSI1SK=f"{now}#{customer_no}#{invoice_id}",
    )
    ok = _conditional(lambda: sub.save(condition=Item.PK.does_not_exist()))
    return sub if ok else None


def claim(sub: KsefSubmission, token: str, now: str, stale_before: str) -> bool:
    """Take a queued submission (or one whose submitter died before ``stale_before``)."""
    cond = (KsefSubmission.status == "queued") | (
        (KsefSubmission.status == "submitting") & (KsefSubmission.claimed_at < stale_before)
    )
    return _conditional(
        lambda: sub.update(
            actions=[
                KsefSubmission.status.set("submitting"),
                KsefSubmission.token.set(token),
                KsefSubmission.claimed_at.set(now),
                KsefSubmission.attempts.add(1),
                KsefSubmission.updated_at.set(now),
                KsefSubmission.GSI1SK.set(f"{now}#{sub.customer_no}#{sub.invoice_id}"),
            ],
            condition=cond,
        )
    )


def release(sub: KsefSubmission, token: str, now: str) -> bool:
    """A submit that could not reach KSeF: back to ``queued`` for the retry."""
    return _conditional(
        lambda: sub.update(
            actions=[
                KsefSubmission.status.set("queued"),
                KsefSubmission.token.remove(),
                KsefSubmission.updated_at.set(now),
            ],
            condition=(KsefSubmission.status == "submitting") & (KsefSubmission.token == token),
        )
    )


def record_sent(
    sub: KsefSubmission, token: str, session_ref: str, invoice_ref: str, now: str
) -> bool:
    return _conditional(
        lambda: sub.update(
            actions=[
                KsefSubmission.status.set("sent"),
                KsefSubmission.session_ref.set(session_ref),
                KsefSubmission.invoice_ref.set(invoice_ref),
                KsefSubmission.token.remove(),
                KsefSubmission.updated_at.set(now),
                KsefSubmission.GSI1SK.set(f"{now}#{sub.customer_no}#{sub.invoice_id}"),
            ],
            condition=(KsefSubmission.status == "submitting") & (KsefSubmission.token == token),
        )
    )


def record_accepted(sub: KsefSubmission, ksef_number: str, upo_key: str | None, now: str) -> bool:
    """``sent`` → ``accepted`` once (a replayed poll finds it final and changes nothing)."""
    actions: list[Action] = [
        KsefSubmission.status.set("accepted"),
        KsefSubmission.ksef_number.set(ksef_number),
        KsefSubmission.accepted_at.set(now),
        KsefSubmission.updated_at.set(now),
        KsefSubmission.GSI1PK.remove(),
        KsefSubmission.GSI1SK.remove(),
    ]
    if upo_key:
        actions.append(KsefSubmission.upo_key.set(upo_key))
    return _conditional(
        lambda: sub.update(actions=actions, condition=KsefSubmission.status == "sent")
    )


def record_rejected(sub: KsefSubmission, reason: dict[str, Any], now: str) -> bool:
    """Parked for an administrator with KSeF's reason."""
    return _conditional(
        lambda: sub.update(
            actions=[
                KsefSubmission.status.set("rejected"),
                KsefSubmission.reason.set(reason),
                KsefSubmission.token.remove(),
                KsefSubmission.updated_at.set(now),
                KsefSubmission.GSI1PK.set(REJECTED),
                KsefSubmission.GSI1SK.set(f"{now}#{sub.customer_no}#{sub.invoice_id}"),
            ],
            condition=KsefSubmission.status.is_in("sent", "submitting"),
        )
    )


def requeue(sub: KsefSubmission, now: str, by: str | None, from_status: str) -> bool:
    """Back to ``queued`` (an administrator's resubmission of a rejected invoice, or KSeF
    cancelled the processing): the earlier references are dropped, the reason kept."""
    actions: list[Action] = [
        KsefSubmission.status.set("queued"),
        KsefSubmission.session_ref.remove(),
        KsefSubmission.invoice_ref.remove(),
        KsefSubmission.token.remove(),
        KsefSubmission.updated_at.set(now),
        KsefSubmission.GSI1PK.set(open_pk(sub.invoice_id)),
        KsefSubmission.GSI1SK.set(f"{now}#{sub.customer_no}#{sub.invoice_id}"),
    ]
    if by:
        actions.append(KsefSubmission.resolved_by.set(by))
    return _conditional(
        lambda: sub.update(actions=actions, condition=KsefSubmission.status == from_status)
    )


def rejected(limit: int = 50) -> list[KsefSubmission]:
    """Rejected submissions, oldest first (the administrator's list)."""
    return [i for i in Item.gsi1.query(REJECTED, limit=limit) if isinstance(i, KsefSubmission)][
        :limit
    ]


def open_before(cutoff: str, limit: int = 100) -> list[KsefSubmission]:
    """Submissions not final whose last step is older than ``cutoff`` (the sweeper)."""
    out: list[KsefSubmission] = []
    for shard in range(SHARDS):
        out += [
            i
            for i in Item.gsi1.query(f"KSEF#OPEN#{shard}", cutoff > Item.GSI1SK, limit=limit)
            if isinstance(i, KsefSubmission)
        ]
    return out[: limit * SHARDS]
