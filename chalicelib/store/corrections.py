"""Correction requests awaiting a second person's approval (four-eyes, zasada dwóch par oczu).

In the customer's item collection: ``PK = CUST#<no>, SK = CORRREQ#<request id>``; while
pending also under ``GSI1 = (CORRREQ#PENDING, <requested at>#<customer>#<id>)`` so staff
list the waiting requests in one Query. A request changes state once, with a condition on
``pending``: approved-and-issued (in the invoice's own transaction) or rejected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, UpdateError

from chalicelib.store.base import Item
from chalicelib.store.customers import customer_pk
from chalicelib.store.invoices import JsonText

PENDING_INDEX = "CORRREQ#PENDING"


def request_sk(request_id: str) -> str:
    return f"CORRREQ#{request_id}"


class CorrectionRequest(Item, discriminator="CorrectionRequest"):
    """A correction above the approval threshold: nothing issued, booked or sent yet."""

    request_id = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    invoice_id = UnicodeAttribute()
    usage = JsonText()  # {register: "value"} after the correction
    usage_before = JsonText()
    reason = UnicodeAttribute()
    state = UnicodeAttribute()  # the correction state it was computed from (its version)
    difference_grosze = NumberAttribute()
    requested_by = UnicodeAttribute()
    requested_at = UnicodeAttribute()
    status = UnicodeAttribute()  # pending | issued | rejected
    decided_by = UnicodeAttribute(null=True)
    decided_at = UnicodeAttribute(null=True)
    correction_id = UnicodeAttribute(null=True)


def new_request(fields: Mapping[str, Any]) -> CorrectionRequest:
    req = CorrectionRequest(
        customer_pk(fields["customer_no"]), request_sk(fields["request_id"]), **fields
    )
    req.status = "pending"
    req.GSI1PK = PENDING_INDEX
    req.GSI1SK = f"{fields['requested_at']}#{fields['customer_no']}#{fields['request_id']}"
    return req


def save_request(req: CorrectionRequest) -> None:
    try:
        req.save(condition=Item.PK.does_not_exist())
    except PutError as exc:  # a request id is new: a clash is a bug, not a replay
        raise RuntimeError("correction request id taken") from exc


def get_request(customer_no: str, request_id: str) -> CorrectionRequest | None:
    try:
        item = Item.get(customer_pk(customer_no), request_sk(request_id))
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, CorrectionRequest) else None


def pending(limit: int = 50) -> list[CorrectionRequest]:
    """Oldest first: what waits for a second pair of eyes."""
    return [
        i for i in Item.gsi1.query(PENDING_INDEX, limit=limit) if isinstance(i, CorrectionRequest)
    ]


def reject(req: CorrectionRequest, by: str, at: str) -> bool:
    """pending → rejected; False when it was decided meanwhile."""
    try:
        req.update(
            actions=[
                CorrectionRequest.status.set("rejected"),
                CorrectionRequest.decided_by.set(by),
                CorrectionRequest.decided_at.set(at),
                CorrectionRequest.GSI1PK.remove(),
                CorrectionRequest.GSI1SK.remove(),
            ],
            condition=CorrectionRequest.status == "pending",
        )
    except UpdateError:
        return False
    return True


def issued_guard(
    req: CorrectionRequest, by: str, at: str, correction_id: str
) -> Callable[[Any], None]:
    """pending → issued inside the correcting invoice's transaction (both or neither)."""

    def add(tx: Any) -> None:
        tx.update(
            req,
            actions=[
                CorrectionRequest.status.set("issued"),
                CorrectionRequest.decided_by.set(by),
                CorrectionRequest.decided_at.set(at),
                CorrectionRequest.correction_id.set(correction_id),
                CorrectionRequest.GSI1PK.remove(),
                CorrectionRequest.GSI1SK.remove(),
            ],
            condition=CorrectionRequest.status == "pending",
        )

    return add


def invoice_target(customer_no: str, invoice_id: str) -> str:
    """The audit target of an invoice (its corrections are audited under it)."""
    return f"INV#{customer_no}#{invoice_id}"
