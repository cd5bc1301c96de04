"""Personal-data requests ("Moje dane": export, erasure, restriction) and the log of staff
reads of a customer's data.

Keys, in the customer's collection:
- ``CUST#<no> / PRIVREQ#<request id>``: PrivacyRequest (export: queued → building → ready →
  mailed; erasure/restriction: open → approved → done | rejected); an open case is on GSI1
  ``PRIVACY#OPEN / <created at>#<no>#<id>`` for administrators (sparse: removed on decision);
- ``CUST#<no> / PRIVOPEN#<kind>``: PrivacyOpen, one open request per kind (written with the
  request, ``attribute_not_exists``: a replayed request creates nothing; deleted when the
  export is ready or the case decided);
- ``CUST#<no> / SEEN#<hour>#<login>``: StaffRead, a staff login read this customer's data in
  that hour (one conditional Put per staff read; TTL two years).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError

from chalicelib.store.base import Item, transaction
from chalicelib.store.customers import customer_pk

OPEN_CASES = "PRIVACY#OPEN"


def request_sk(request_id: str) -> str:
    return f"PRIVREQ#{request_id}"


def open_sk(kind: str) -> str:
    return f"PRIVOPEN#{kind}"


def seen_sk(hour: str, username: str) -> str:
    return f"SEEN#{hour}#{username}"


class PrivacyRequest(Item, discriminator="PrivacyRequest"):
    customer_no = UnicodeAttribute()
    request_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # export | erasure | restriction
    status = UnicodeAttribute()
    created_at = UnicodeAttribute()
    created_by = UnicodeAttribute()
    note = UnicodeAttribute(null=True)  # the customer's reason (erasure, restriction)
    claimed_at = UnicodeAttribute(null=True)
    zip_key = UnicodeAttribute(null=True)
    ready_at = UnicodeAttribute(null=True)
    available_until = UnicodeAttribute(null=True)
    decided_at = UnicodeAttribute(null=True)
    decided_by = UnicodeAttribute(null=True)
    decision_note = UnicodeAttribute(null=True)
    done_at = UnicodeAttribute(null=True)


class PrivacyOpen(Item, discriminator="PrivacyOpen"):
    request_id = UnicodeAttribute()


class StaffRead(Item, discriminator="StaffRead"):
    customer_no = UnicodeAttribute()
    username = UnicodeAttribute()
    role = UnicodeAttribute()
    at = UnicodeAttribute()


class AlreadyOpen(Exception):
    def __init__(self, request_id: str) -> None:
        super().__init__(request_id)
        self.request_id = request_id


def _failed(exc: Exception) -> bool:
    if isinstance(exc, TransactWriteError):
        reasons = exc.cancellation_reasons or []
        return any(r is not None and r.code == "ConditionalCheckFailed" for r in reasons)
    return getattr(exc, "cause_response_code", "") == "ConditionalCheckFailedException"


def new_request(customer_no: str, request_id: str, kind: str, **fields: Any) -> PrivacyRequest:
    return PrivacyRequest(
        customer_pk(customer_no),
        request_sk(request_id),
        customer_no=customer_no,
        request_id=request_id,
        kind=kind,
        **fields,
    )


def open_request(req: PrivacyRequest) -> None:
    """Store a new request with its one-open-per-kind guard; ``AlreadyOpen`` names the open
    one (a replay or a double click creates nothing)."""
    if req.status == "open":
        req.GSI1PK = OPEN_CASES
        req.GSI1SK = f"{req.created_at}#{req.customer_no}#{req.request_id}"
    guard = PrivacyOpen(req.PK, open_sk(req.kind), request_id=req.request_id)
    try:
        with transaction() as tx:
            tx.save(guard, condition=Item.PK.does_not_exist())
            tx.save(req, condition=Item.PK.does_not_exist())
    except TransactWriteError as exc:
        if not _failed(exc):
            raise
        try:
            found = PrivacyOpen.get(req.PK, open_sk(req.kind))
        except PrivacyOpen.DoesNotExist:
            raise exc from None
        raise AlreadyOpen(found.request_id) from None


def get_request(customer_no: str, request_id: str) -> PrivacyRequest | None:
    try:
        return PrivacyRequest.get(customer_pk(customer_no), request_sk(request_id))
    except PrivacyRequest.DoesNotExist:
        return None


def requests_of(customer_no: str, limit: int = 20) -> list[PrivacyRequest]:
    """The customer's requests, newest first (request ids are sortable)."""
    return list(
        PrivacyRequest.query(
            customer_pk(customer_no),
            Item.SK.startswith("PRIVREQ#"),
            scan_index_forward=False,
            limit=limit,
        )
    )


def open_cases(limit: int = 100) -> list[PrivacyRequest]:
    return [i for i in Item.gsi1.query(OPEN_CASES, limit=limit) if isinstance(i, PrivacyRequest)]


def claim_build(req: PrivacyRequest, now: str, stale_before: str) -> bool:
    """queued → building, or take over a building claim older than ``stale_before``."""
    try:
        req.update(
            actions=[PrivacyRequest.status.set("building"), PrivacyRequest.claimed_at.set(now)],
            condition=(PrivacyRequest.status == "queued")
            | ((PrivacyRequest.status == "building") & (PrivacyRequest.claimed_at < stale_before)),
        )
    except UpdateError as exc:
        if _failed(exc):
            return False
        raise
    return True


def mark_ready(req: PrivacyRequest, zip_key: str, at: str, until: str) -> bool:
    """building → ready (and the kind open again for a new export), once."""
    try:
        with transaction() as tx:
            tx.update(
                req,
                actions=[
                    PrivacyRequest.status.set("ready"),
                    PrivacyRequest.zip_key.set(zip_key),
                    PrivacyRequest.ready_at.set(at),
                    PrivacyRequest.available_until.set(until),
                ],
                condition=PrivacyRequest.status == "building",
            )
            tx.delete(PrivacyOpen(req.PK, open_sk(req.kind)))
    except TransactWriteError as exc:
        if _failed(exc):
            return False
        raise
    req.refresh()
    return True


def mark_mailed(req: PrivacyRequest) -> bool:
    try:
        req.update(
            actions=[PrivacyRequest.status.set("mailed")],
            condition=PrivacyRequest.status == "ready",
        )
    except UpdateError as exc:
        if _failed(exc):
            return False
        raise
    return True


def decide(req: PrivacyRequest, status: str, by: str, at: str, note: str | None) -> bool:
    """open → approved | rejected, once; the case leaves the administrators' queue and the
    kind is open to a new request."""
    actions: list[Any] = [
        PrivacyRequest.status.set(status),
        PrivacyRequest.decided_at.set(at),
        PrivacyRequest.decided_by.set(by),
        PrivacyRequest.GSI1PK.remove(),
        PrivacyRequest.GSI1SK.remove(),
    ]
    if note:
        actions.append(PrivacyRequest.decision_note.set(note))
    try:
        with transaction() as tx:
            tx.update(req, actions=actions, condition=PrivacyRequest.status == "open")
            tx.delete(PrivacyOpen(req.PK, open_sk(req.kind)))
    except TransactWriteError as exc:
        if _failed(exc):
            return False
        raise
    req.refresh()
    return True


def mark_done(req: PrivacyRequest, at: str) -> bool:
    """approved → done after its effects (anonymisation) were applied."""
    try:
        req.update(
            actions=[PrivacyRequest.status.set("done"), PrivacyRequest.done_at.set(at)],
            condition=PrivacyRequest.status == "approved",
        )
    except UpdateError as exc:
        if _failed(exc):
            return False
        raise
    return True


def record_staff_read(
    customer_no: str, username: str, role: str, at: str, hour: str, expires: datetime
) -> bool:
    """One conditional Put: the first read of this login in this hour is kept."""
    item = StaffRead(
        customer_pk(customer_no),
        seen_sk(hour, username),
        customer_no=customer_no,
        username=username,
        role=role,
        at=at,
    )
    item.expires_at = expires
    try:
        item.save(condition=Item.PK.does_not_exist())
    except PutError as exc:
        if _failed(exc):
            return False
        raise
    return True


def staff_reads(customer_no: str, limit: int = 100) -> list[StaffRead]:
    return list(
        StaffRead.query(
            customer_pk(customer_no),
            Item.SK.startswith("SEEN#"),
            scan_index_forward=False,
            limit=limit,
        )
    )
