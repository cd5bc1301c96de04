"""Technical fault reports (zgłoszenia awarii): a numbered ticket the reporter can follow.

Status goes forward only: received → dispatched → in progress → resolved (a step may be
skipped, never undone). Photos are uploaded straight to S3 with a presigned POST whose
content type and size are checked here as well (moto does not enforce the policy).
"""

from __future__ import annotations

from typing import Any

from chalicelib.adapters import s3
from chalicelib.config import settings
from chalicelib.domain import clock, identifiers
from chalicelib.domain.ids import new_id
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.observability import logger
from chalicelib.services.access import require_customer
from chalicelib.services.customers import address_from
from chalicelib.store import faults as store
from chalicelib.store import outages as outage_store
from chalicelib.store.customers import Address, Premises
from chalicelib.store.faults import FaultChange, FaultPhoto, FaultTicket, TicketRecords
from chalicelib.store.request_keys import find_request, new_request_key

STATUSES = ("received", "dispatched", "in_progress", "resolved")
PHOTO_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
}
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_LIMIT = 5
EMERGENCY = {"heat": "993", "electricity": "991", "general": "112"}


def _history_entry(ticket_no: str, status: str, at: str, by: str, note: str) -> FaultChange:
    return store.history_entry(ticket_no, STATUSES.index(status), status, at, by, note)


def _photo_url(photo: FaultPhoto) -> str:
    return s3.presigned_get(settings().documents_bucket, photo.key, expires_s=300)


def public(ticket: FaultTicket, records: TicketRecords | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ticket_no": ticket.ticket_no,
        "customer_no": ticket.customer_no,
        "product": ticket.product,
        "premises_id": ticket.premises_id,
        "address": ticket.address.as_dict(),
        "description": ticket.description,
        "contact_phone": ticket.contact_phone,
        "status": ticket.status,
        "photo_count": int(ticket.photo_count or 0),
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "emergency_phone": EMERGENCY[ticket.product],
    }
    if records is not None:
        body["history"] = [
            {"status": c.status, "at": c.at, "note": c.note or ""} for c in records.changes
        ]
        body["photos"] = [
            {"photo_id": p.photo_id, "content_type": p.content_type, "url": _photo_url(p)}
            for p in records.photos
        ]
    return body


def _replayed(scope_user: str, request_id: str | None) -> FaultTicket | None:
    earlier = find_request("fault", request_id, scope_user) if request_id else None
    return store.get_ticket(earlier) if earlier else None


def _place(
    customer_no: str, data: dict[str, Any], errors: list[FieldError]
) -> tuple[Premises | None, Address | None]:
    """The premises the fault is at (one of the customer's) or the address given instead."""
    if data.get("premises_id"):
        premises = outage_store.get_premises(customer_no, data["premises_id"])
        if premises is None:
            errors.append(FieldError("premises_id", "faults.premises_unknown"))
            return None, None
        return premises, premises.address
    if data.get("address"):
        try:
            return None, address_from(data["address"])
        except ValidationFailed as exc:
            errors.extend(exc.errors)
            return None, None
    errors.append(FieldError("premises_id", "faults.address_required"))
    return None, None


def report(
    principal: Principal, customer_no: str, data: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """(ticket, created). A repeated ``request_id`` answers the ticket it created."""
    require_customer(principal, customer_no)
    request_id = data.get("request_id")
    existing = _replayed(principal.username, request_id)
    if existing is not None:
        return public(existing), False
    errors: list[FieldError] = []
    phone = identifiers.clean_phone(data["contact_phone"])
    if phone is None:
        errors.append(FieldError("contact_phone", "field.phone"))
    premises, address = _place(customer_no, data, errors)
    description = " ".join(str(data["description"]).split())
    if not description:
        errors.append(FieldError("description", "field.required"))
    if errors:
        raise ValidationFailed(errors=errors)
    assert address is not None and phone is not None
    now = clock.now()
    local = clock.to_warsaw(now)
    ticket_no = f"AW-{local.year}-{store.next_number(local.year):06d}"
    at = clock.iso(now)
    ticket = store.new_ticket(
        ticket_no,
        customer_no,
        at,
        reported_by=principal.username,
        product=data["product"],
        premises_id=premises.premises_id if premises else None,
        address=address,
        description=description,
        contact_phone=phone,
        status="received",
        photo_count=0,
    )
    change = _history_entry(ticket_no, "received", at, principal.username, "")
    key = (
        new_request_key("fault", request_id, ticket_no, principal.username, now)
        if request_id
        else None
    )
    if not store.create_ticket(ticket, change, key):
        existing = _replayed(principal.username, request_id)
        if existing is None:
            raise Conflict()
        return public(existing), False
    logger.info("fault reported", extra={"ticket": ticket_no, "product": ticket.product})
    return public(ticket, TicketRecords(ticket, [change])), True


def _ticket_of(customer_no: str, ticket_no: str) -> TicketRecords:
    records = store.ticket_records(ticket_no)
    if records is None or records.ticket.customer_no != customer_no:
        raise NotFound()
    return records


def customer_tickets(principal: Principal, customer_no: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    return {"tickets": [public(t) for t in store.customer_tickets(customer_no)]}


def customer_ticket(principal: Principal, customer_no: str, ticket_no: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    records = _ticket_of(customer_no, ticket_no)
    return public(records.ticket, records)


def add_photo(
    principal: Principal, customer_no: str, ticket_no: str, data: dict[str, Any]
) -> dict[str, Any]:
    """A presigned POST for one photo: JPEG/PNG/WebP/HEIC, at most 10 MB, at most 5."""
    require_customer(principal, customer_no)
    ticket = _ticket_of(customer_no, ticket_no).ticket
    content_type = str(data["content_type"]).lower()
    errors = []
    if content_type not in PHOTO_TYPES:
        errors.append(FieldError("content_type", "faults.photo_type"))
    if not 0 < int(data["size"]) <= PHOTO_MAX_BYTES:
        errors.append(FieldError("size", "faults.photo_size", {"mb": PHOTO_MAX_BYTES // 2**20}))
    if errors:
        raise ValidationFailed(errors=errors)
    if ticket.status == "resolved":
        raise Conflict("faults.resolved")
    photo_id = new_id()
    key = f"faults/{ticket_no}/{photo_id}.{PHOTO_TYPES[content_type]}"
    photo = store.photo_slot(
        ticket_no,
        photo_id,
        key=key,
        content_type=content_type,
        size=int(data["size"]),
        created_at=clock.now_iso(),
    )
    if not store.add_photo(ticket, photo, PHOTO_LIMIT):
        raise Conflict("faults.photo_limit", n=PHOTO_LIMIT)
    upload = s3.presigned_post(
        settings().documents_bucket, key, content_type, min(int(data["size"]), PHOTO_MAX_BYTES)
    )
    return {"photo_id": photo_id, "upload": upload, "max_bytes": PHOTO_MAX_BYTES}


# --- operators ----------------------------------------------------------------------------


def open_tickets() -> dict[str, Any]:
    return {
        "tickets": [
            {
                "ticket_no": e.ticket_no,
                "status": e.status,
                "product": e.product,
                "city": e.city,
                "summary": e.summary,
                "created_at": e.created_at,
            }
            for e in store.open_tickets()
        ]
    }


def operator_ticket(ticket_no: str) -> dict[str, Any]:
    records = store.ticket_records(ticket_no)
    if records is None:
        raise NotFound()
    return public(records.ticket, records)


def change_status(principal: Principal, ticket_no: str, data: dict[str, Any]) -> dict[str, Any]:
    ticket = store.get_ticket(ticket_no)
    if ticket is None:
        raise NotFound()
    target = data["status"]
    if target == ticket.status:
        return operator_ticket(ticket_no)  # a replay changes nothing
    if STATUSES.index(target) < STATUSES.index(ticket.status):
        raise Conflict("faults.transition", from_status=ticket.status, to_status=target)
    at = clock.now_iso()
    change = _history_entry(
        ticket_no, target, at, principal.username, str(data.get("note") or "").strip()
    )
    if not store.change_status(ticket, target, change):
        raise Conflict("faults.transition", from_status=ticket.status, to_status=target)
    logger.info("fault status changed", extra={"ticket": ticket_no, "status": target})
    return operator_ticket(ticket_no)
