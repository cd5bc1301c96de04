"""Requests waiting for a second person's approval (four-eyes, zasada dwóch par oczu): one
store for every staff money action that needs it (issue 13, "what to build" 1).

Every request has the same shape and life: created ``pending`` (nothing issued or booked),
listed oldest first under its kind's pending index, then decided once, with a condition on
``pending``: approved (in the transaction of what it approves: the request's new status
and the invoice or booking commit together, or neither) or rejected (with an optional
reason). Ids are derived from what is asked for, so a replayed request finds its item.

| kind | item (``PK``, ``SK``) | pending index (``GSI1PK``) | approved status |
|---|---|---|---|
| ``CorrectionRequest`` (an invoice correction) | ``CUST#<no>``, ``CORRREQ#<id>`` | ``CORRREQ#PENDING`` | ``issued`` |
| ``LedgerRequest`` (ledger correction, refund) | ``CUST#<no>``, ``LEDGERREQ#<id>`` | ``LEDGERREQ#PENDING`` | ``booked`` |
| ``SuspenseRequest`` (a suspense credit assigned) | ``BANKENTRY#<ref>``, ``SUSPREQ#<id>`` | ``SUSPREQ#PENDING`` | ``booked`` |

``GSI1SK = <requested at>#<partition id>#<id>``. The first two kinds keep the keys and
attributes they had in their own modules (``store.corrections``, ``store.ledger_requests``
before), so items written then read unchanged; ``decision_reason`` is new and optional.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import UpdateError

from chalicelib.store.base import Item, TransactWrite, save_new
from chalicelib.store.customers import customer_pk
from chalicelib.store.invoices import JsonText
from chalicelib.store.ledger import bank_entry_pk

PENDING = "pending"


class ApprovalRequest(Item):
    """What every four-eyes request has (no ``type`` of its own: its kinds below have)."""

    request_id = UnicodeAttribute()
    customer_no = UnicodeAttribute()  # whose account it changes
    reason = UnicodeAttribute()
    requested_by = UnicodeAttribute()
    requested_at = UnicodeAttribute()
    status = UnicodeAttribute()  # pending | issued / booked | rejected
    decided_by = UnicodeAttribute(null=True)
    decided_at = UnicodeAttribute(null=True)
    decision_reason = UnicodeAttribute(null=True)  # why it was rejected


class CorrectionRequest(ApprovalRequest, discriminator="CorrectionRequest"):
    """A correction above the approval threshold: nothing issued, booked or sent yet."""

    invoice_id = UnicodeAttribute()
    usage = JsonText()  # {register: "value"} after the correction
    usage_before = JsonText()
    state = UnicodeAttribute()  # the correction state it was computed from (its version)
    difference_grosze = NumberAttribute()
    correction_id = UnicodeAttribute(null=True)


class LedgerRequest(ApprovalRequest, discriminator="LedgerRequest"):
    """A ledger correction or refund above the approval threshold: nothing booked yet."""

    kind = UnicodeAttribute()  # correction | refund
    reference = UnicodeAttribute()
    amount_grosze = NumberAttribute()
    invoice_no = UnicodeAttribute(null=True)


class SuspenseRequest(ApprovalRequest, discriminator="SuspenseRequest"):
    """An unmatched bank credit to be booked on a customer's account, above the approval
    threshold: the credit stays in suspense until another administrator approves."""

    ref = UnicodeAttribute()  # the bank entry's reference
    amount_grosze = NumberAttribute()
    currency = UnicodeAttribute()
    note = UnicodeAttribute(null=True)


R = TypeVar("R", bound=ApprovalRequest)

# kind -> (SK prefix, partition key of the request's owner id)
_KEYS: dict[type[ApprovalRequest], tuple[str, Callable[[str], str]]] = {
    CorrectionRequest: ("CORRREQ", customer_pk),
    LedgerRequest: ("LEDGERREQ", customer_pk),
    SuspenseRequest: ("SUSPREQ", bank_entry_pk),
}


def request_key(cls: type[ApprovalRequest], owner: str, request_id: str) -> tuple[str, str]:
    """(PK, SK) of a request: ``owner`` is the customer number (corrections, ledger
    requests) or the bank reference (suspense)."""
    prefix, pk = _KEYS[cls]
    return pk(owner), f"{prefix}#{request_id}"


def pending_index(cls: type[ApprovalRequest]) -> str:
    return f"{_KEYS[cls][0]}#PENDING"


def new_request(cls: type[R], owner: str, fields: Mapping[str, Any]) -> R:
    """A pending request (not saved): ``fields`` are the kind's attributes."""
    req = cls(*request_key(cls, owner, fields["request_id"]), **fields)
    req.status = PENDING
    req.GSI1PK = pending_index(cls)
    req.GSI1SK = f"{fields['requested_at']}#{owner}#{fields['request_id']}"
    return req


def save_request(req: ApprovalRequest) -> bool:
    """Write a new request; False when one with its key exists (a repeated request)."""
    return save_new(req)


def get_request(cls: type[R], owner: str, request_id: str) -> R | None:
    try:
        item = Item.get(*request_key(cls, owner, request_id))
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, cls) else None


def requests_of(cls: type[R], owner: str) -> list[R]:
    """Every request of one owner (a bank entry has a few at most)."""
    pk, sk = request_key(cls, owner, "")
    return [i for i in Item.query(pk, Item.SK.startswith(sk)) if isinstance(i, cls)]


def pending(cls: type[R], limit: int = 50) -> list[R]:
    """Oldest first: what waits for a second pair of eyes."""
    return [i for i in Item.gsi1.query(pending_index(cls), limit=limit) if isinstance(i, cls)]


def _decided(status: str, by: str, at: str, reason: str | None = None) -> list[Any]:
    actions = [
        ApprovalRequest.status.set(status),
        ApprovalRequest.decided_by.set(by),
        ApprovalRequest.decided_at.set(at),
        ApprovalRequest.GSI1PK.remove(),
        ApprovalRequest.GSI1SK.remove(),
    ]
    if reason:
        actions.append(ApprovalRequest.decision_reason.set(reason))
    return actions


def reject(req: ApprovalRequest, by: str, at: str, reason: str | None = None) -> bool:
    """pending → rejected; False when it was decided meanwhile."""
    try:
        req.update(
            actions=_decided("rejected", by, at, reason),
            condition=ApprovalRequest.status == PENDING,
        )
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def approved_guard(
    req: ApprovalRequest, status: str, by: str, at: str, extra: Sequence[Any] = ()
) -> Callable[[TransactWrite], None]:
    """pending → ``status`` (issued, booked) inside the transaction of what it approves
    (both or neither); ``extra`` are the kind's own update actions."""

    def add(tx: TransactWrite) -> None:
        tx.update(
            req,
            actions=[*_decided(status, by, at), *extra],
            condition=ApprovalRequest.status == PENDING,
        )

    return add


def is_decided(cls: type[ApprovalRequest], owner: str, request_id: str) -> bool:
    current = get_request(cls, owner, request_id)
    return current is None or current.status != PENDING


def correction_id_set(correction_id: str) -> Any:
    """The extra action of an approved correction: the correcting invoice it issued."""
    return CorrectionRequest.correction_id.set(correction_id)


def invoice_target(customer_no: str, invoice_id: str) -> str:
    """The audit target of an invoice (its corrections are audited under it)."""
    return f"INV#{customer_no}#{invoice_id}"
