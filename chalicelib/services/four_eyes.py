"""The decisions every four-eyes request shares (invoice corrections, ledger corrections and
refunds, suspense bookings; kept by ``store.approvals``): the request must exist (404) and
still wait (409), the approver must not be the requester (403), a rejection happens once
(409 when decided meanwhile). Each area names its own messages (``Messages``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from chalicelib.domain import clock
from chalicelib.errors import Conflict, Forbidden, NotFound
from chalicelib.store import approvals as store
from chalicelib.store.approvals import ApprovalRequest

R = TypeVar("R", bound=ApprovalRequest)


@dataclass(frozen=True)
class Messages:
    """The area's message keys: a request already decided, an approval by its requester."""

    decided: str
    same_person: str


def waiting(cls: type[R], owner: str, request_id: str, messages: Messages) -> R:
    """The request, still pending (``owner``: its customer number or bank reference)."""
    req = store.get_request(cls, owner, request_id)
    if req is None:
        raise NotFound()
    if req.status != store.PENDING:
        raise Conflict(messages.decided)
    return req


def second_person(req: ApprovalRequest, actor: str, messages: Messages) -> None:
    """Nobody approves their own request."""
    if req.requested_by == actor:
        raise Forbidden(messages.same_person)


def reject(
    cls: type[R], req: R, owner: str, actor: str, messages: Messages, reason: str | None = None
) -> R:
    """pending → rejected (with the reason, if given); the request as it is now."""
    if not store.reject(req, actor, clock.now_iso(), (reason or "").strip() or None):
        raise Conflict(messages.decided)
    return store.get_request(cls, owner, req.request_id) or req
