"""Technical fault reports (zgłoszenia awarii): a numbered ticket the reporter can follow.

Status goes forward only: received → dispatched → in progress → resolved (a step may be
skipped, never undone). Photos are uploaded straight to S3 with a presigned POST whose
content type and size are checked here as well (moto does not enforce the policy).
"""

from __future__ import annotations

from typing import Any

from chalicelib import i18n
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
from chalicelib.store.base import Item
from chalicelib.store.customers import Premises, customer_pk
from chalicelib.store.faults import FaultChange, FaultPhoto, FaultTicket
from chalicelib.store.request_keys import find_request, new_request_key

i18n.register(
    {
        "faults.transition": (
            "Nie można zmienić stanu zgłoszenia z „{from_status}” na „{to_status}”.",
            "A ticket cannot go from “{from_status}” to “{to_status}”.",
        ),
        "faults.address_required": (
            "Wybierz obiekt albo podaj adres awarii.",
            "Choose a premises or give the address of the fault.",
        ),
        "faults.premises_unknown": (
            "Nie ma takiego obiektu na tym koncie klienta.",
            "There is no such premises on this customer account.",
        ),
        "faults.photo_type": (
            "Zdjęcie musi być plikiem JPEG, PNG, WebP lub HEIC.",
            "A photo must be a JPEG, PNG, WebP or HEIC file.",
        ),
        "faults.photo_size": (
            "Zdjęcie może mieć najwyżej {mb} MB.",
            "A photo may be at most {mb} MB.",
        ),
        "faults.photo_limit": (
            "Do zgłoszenia można dołączyć najwyżej {n} zdjęć.",
            "At most {n} photos can be attached to a report.",
        ),
        "faults.resolved": (
            "Zgłoszenie jest już zamknięte.",
            "The report has already been resolved.",
        ),
    }
)

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


def history_sk(status: str) -> str:
    return f"HIST#{STATUSES.index(status)}-{status}"


def _photo_url(photo: FaultPhoto) -> str:
    return s3.presigned_get(settings().documents_bucket, photo.key, expires_s=300)


def public(ticket: FaultTicket, items: list[Item] | None = None) -> dict[str, Any]:
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
    if items is not None:
        body["history"] = [
            {"status": c.status, "at": c.at, "note": c.note or ""}
            for c in items
            if isinstance(c, FaultChange)
        ]
        body["photos"] = [
            {"photo_id": p.photo_id, "content_type": p.content_type, "url": _photo_url(p)}
            for p in items
            if isinstance(p, FaultPhoto)
        ]
    return body


def report(
    principal: Principal, customer_no: str, data: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """(ticket, created). A repeated ``request_id`` answers the ticket it created."""
    require_customer(principal, customer_no)
    request_id = data.get("request_id")
    if request_id:
        earlier = find_request("fault", request_id, principal.username)
        existing = store.get_ticket(earlier) if earlier else None
        if existing is not None:
            return public(existing), False
    errors: list[FieldError] = []
    phone = identifiers.clean_phone(data["contact_phone"])
    if phone is None:
        errors.append(FieldError("contact_phone", "field.phone"))
    premises = None
    address = None
    if data.get("premises_id"):
        try:
            found = Item.get(customer_pk(customer_no), f"PREM#{data['premises_id']}")
        except Item.DoesNotExist:
            found = None
        if isinstance(found, Premises):
            premises = found
            address = found.address
        else:
            errors.append(FieldError("premises_id", "faults.premises_unknown"))
    elif data.get("address"):
        try:
            address = address_from(data["address"])
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    else:
        errors.append(FieldError("premises_id", "faults.address_required"))
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
    ticket = FaultTicket(
        store.fault_pk(ticket_no),
        "TICKET",
        GSI1PK=store.customer_faults_pk(customer_no),
        GSI1SK=f"{at}#{ticket_no}",
        ticket_no=ticket_no,
        customer_no=customer_no,
        reported_by=principal.username,
        product=data["product"],
        premises_id=premises.premises_id if premises else None,
        address=address,
        description=description,
        contact_phone=phone,
        status="received",
        photo_count=0,
        created_at=at,
        updated_at=at,
    )
    change = FaultChange(
        store.fault_pk(ticket_no),
        history_sk("received"),
        ticket_no=ticket_no,
        status="received",
        at=at,
        by=principal.username,
        note="",
    )
    key = (
        new_request_key("fault", request_id, ticket_no, principal.username, now)
        if request_id
        else None
    )
    if not store.create_ticket(ticket, change, key):
        earlier = find_request("fault", request_id, principal.username) if request_id else None
        existing = store.get_ticket(earlier) if earlier else None
        if existing is None:
            raise Conflict()
        return public(existing), False
    logger.info("fault reported", extra={"ticket": ticket_no, "product": ticket.product})
    return public(ticket, [change]), True


def _ticket_of(customer_no: str, ticket_no: str) -> list[Item]:
    items = store.ticket_collection(ticket_no)
    ticket = next((i for i in items if isinstance(i, FaultTicket)), None)
    if ticket is None or ticket.customer_no != customer_no:
        raise NotFound()
    return items


def customer_tickets(principal: Principal, customer_no: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    return {"tickets": [public(t) for t in store.customer_tickets(customer_no)]}


def customer_ticket(principal: Principal, customer_no: str, ticket_no: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    items = _ticket_of(customer_no, ticket_no)
    ticket = next(i for i in items if isinstance(i, FaultTicket))
    return public(ticket, items)


def add_photo(
    principal: Principal, customer_no: str, ticket_no: str, data: dict[str, Any]
) -> dict[str, Any]:
    """A presigned POST for one photo: JPEG/PNG/WebP/HEIC, at most 10 MB, at most 5."""
    require_customer(principal, customer_no)
    items = _ticket_of(customer_no, ticket_no)
    ticket = next(i for i in items if isinstance(i, FaultTicket))
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
    photo = FaultPhoto(
        store.fault_pk(ticket_no),
        f"PHOTO#{photo_id}",
        ticket_no=ticket_no,
        photo_id=photo_id,
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
    items = store.ticket_collection(ticket_no)
    ticket = next((i for i in items if isinstance(i, FaultTicket)), None)
    if ticket is None:
        raise NotFound()
    return public(ticket, items)


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
    change = FaultChange(
        store.fault_pk(ticket_no),
        history_sk(target),
        ticket_no=ticket_no,
        status=target,
        at=at,
        by=principal.username,
        note=str(data.get("note") or "").strip(),
    )
    if not store.change_status(ticket, target, change):
        raise Conflict("faults.transition", from_status=ticket.status, to_status=target)
    logger.info("fault status changed", extra={"ticket": ticket_no, "status": target})
    return operator_ticket(ticket_no)
