"""Staff bookings (ledger corrections, refunds) above the approval threshold, waiting for a
second person's approval (four-eyes, zasada dwóch par oczu).

In the customer's item collection: ``PK = CUST#<no>, SK = LEDGERREQ#<request id>`` (the id is
derived from the kind and the booking's reference, so a repeated request finds the same
item); while pending also under ``GSI1 = (LEDGERREQ#PENDING, <requested at>#<customer>#<id>)``
so administrators list the waiting requests in one Query. A request changes state once, with
a condition on ``pending``: booked (in the booking's own transaction) or rejected.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, UpdateError

from chalicelib.store.base import Item, TransactWrite
from chalicelib.store.customers import customer_pk

PENDING_INDEX = "LEDGERREQ#PENDING"


def request_sk(request_id: str) -> str:
    return f"LEDGERREQ#{request_id}"


class LedgerRequest(Item, discriminator="LedgerRequest"):
    """A correction or refund above the approval threshold: nothing booked yet."""

    request_id = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    kind = UnicodeAttribute()  # correction | refund
    reference = UnicodeAttribute()
    amount_grosze = NumberAttribute()
    invoice_no = UnicodeAttribute(null=True)
    reason = UnicodeAttribute()
    requested_by = UnicodeAttribute()
    requested_at = UnicodeAttribute()
    status = UnicodeAttribute()  # pending | booked | rejected
    decided_by = UnicodeAttribute(null=True)
    decided_at = UnicodeAttribute(null=True)


def new_request(fields: Mapping[str, Any]) -> LedgerRequest:
    req = LedgerRequest(
        customer_pk(fields["customer_no"]), request_sk(fields["request_id"]), **fields
    )
    req.status = "pending"
    req.GSI1PK = PENDING_INDEX
    req.GSI1SK = f"{fields['requested_at']}#{fields['customer_no']}#{fields['request_id']}"
    return req


def save_request(req: LedgerRequest) -> bool:
    """Write a new request; False when one with its id exists (a repeated request)."""
    try:
        req.save(condition=Item.PK.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def get_request(customer_no: str, request_id: str) -> LedgerRequest | None:
    try:
        item = Item.get(customer_pk(customer_no), request_sk(request_id))
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, LedgerRequest) else None


def pending(limit: int = 50) -> list[LedgerRequest]:
    """Oldest first: what waits for a second pair of eyes."""
    return [i for i in Item.gsi1.query(PENDING_INDEX, limit=limit) if isinstance(i, LedgerRequest)]


def reject(req: LedgerRequest, by: str, at: str) -> bool:
    """pending → rejected; False when it was decided meanwhile."""
    try:
        req.update(
            actions=_decided("rejected", by, at),
            condition=LedgerRequest.status == "pending",
        )
    except UpdateError:
        return False
    return True


def _decided(status: str, by: str, at: str) -> list[Any]:
    return [
        LedgerRequest.status.set(status),
        LedgerRequest.decided_by.set(by),
        LedgerRequest.decided_at.set(at),
        LedgerRequest.GSI1PK.remove(),
        LedgerRequest.GSI1SK.remove(),
    ]


def booked_guard(req: LedgerRequest, by: str, at: str) -> Any:
    """pending → booked inside the booking's transaction (both or neither)."""

    def add(tx: TransactWrite) -> None:
        tx.update(
            req,
            actions=_decided("booked", by, at),
            condition=LedgerRequest.status == "pending",
        )

    return add


def is_decided(customer_no: str, request_id: str) -> bool:
    current = get_request(customer_no, request_id)
    return current is None or current.status != "pending"
