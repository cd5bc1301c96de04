"""Technical fault reports (zgłoszenia awarii): tickets, status history, photos.

``PK = FAULT#<ticket_no>`` holds the ticket (``SK = TICKET``), its status changes
(``HIST#<step>-<status>``, in the order of the steps) and photos (``PHOTO#<photo_id>``): a ticket page is one Query.
GSI1 = (``FAULTS#CUST#<no>``, ``<created_at>#<ticket_no>``) lists a customer's tickets.
Operators' queue of unresolved tickets is ``PK = FAULTS#OPEN`` (one small entry per ticket,
written and removed in the same transaction as the status change).
Ticket numbers come from an atomic counter per year (``PK = COUNTER#FAULT``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError

from chalicelib.store.base import Item, transaction
from chalicelib.store.customers import Address
from chalicelib.store.request_keys import RequestKey

OPEN_QUEUE = "FAULTS#OPEN"


def fault_pk(ticket_no: str) -> str:
    return f"FAULT#{ticket_no}"


def customer_faults_pk(customer_no: str) -> str:
    return f"FAULTS#CUST#{customer_no}"


def history_sk(step: int, status: str) -> str:
    return f"HIST#{step}-{status}"


def photo_sk(photo_id: str) -> str:
    return f"PHOTO#{photo_id}"


class FaultTicket(Item, discriminator="FaultTicket"):
    """Zgłoszenie awarii. SK=TICKET."""

    ticket_no = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    reported_by = UnicodeAttribute()
    product = UnicodeAttribute()  # heat | electricity
    premises_id = UnicodeAttribute(null=True)
    address = Address()
    description = UnicodeAttribute()
    contact_phone = UnicodeAttribute()
    status = UnicodeAttribute()  # received | dispatched | in_progress | resolved
    photo_count = NumberAttribute(default=0)
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class FaultChange(Item, discriminator="FaultChange"):
    """A status change. SK=HIST#<step>-<status>: each step is reached at most once (the
    status only goes forward), so the key is unique and sorts in the order of the steps."""

    ticket_no = UnicodeAttribute()
    status = UnicodeAttribute()
    at = UnicodeAttribute()
    by = UnicodeAttribute()
    note = UnicodeAttribute(default="")


class FaultPhoto(Item, discriminator="FaultPhoto"):
    """A photo slot handed out for a presigned upload. SK=PHOTO#<photo_id>."""

    ticket_no = UnicodeAttribute()
    photo_id = UnicodeAttribute()
    key = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size = NumberAttribute()
    created_at = UnicodeAttribute()


class FaultQueueEntry(Item, discriminator="FaultQueueEntry"):
    """An unresolved ticket in the operators' queue. PK=FAULTS#OPEN, SK=<created_at>#<no>."""

    ticket_no = UnicodeAttribute()
    status = UnicodeAttribute()
    product = UnicodeAttribute()
    city = UnicodeAttribute()
    summary = UnicodeAttribute()
    created_at = UnicodeAttribute()


class FaultCounter(Item, discriminator="FaultCounter"):
    """Last ticket number issued in a year. PK=COUNTER#FAULT, SK=<year>."""

    last = NumberAttribute(default=0)


# --- records (every key of a ticket's items is set here) --------------------------------


def new_ticket(ticket_no: str, customer_no: str, created_at: str, **fields: Any) -> FaultTicket:
    """A new ticket, listed under its customer (newest first)."""
    return FaultTicket(
        fault_pk(ticket_no),
        "TICKET",
        GSI1PK=customer_faults_pk(customer_no),
        GSI1SK=f"{created_at}#{ticket_no}",
        ticket_no=ticket_no,
        customer_no=customer_no,
        created_at=created_at,
        updated_at=created_at,
        **fields,
    )


def history_entry(
    ticket_no: str, step: int, status: str, at: str, by: str, note: str
) -> FaultChange:
    """The change that reached ``status`` (``step`` is its position in the status order)."""
    return FaultChange(
        fault_pk(ticket_no),
        history_sk(step, status),
        ticket_no=ticket_no,
        status=status,
        at=at,
        by=by,
        note=note,
    )


def photo_slot(ticket_no: str, photo_id: str, **fields: Any) -> FaultPhoto:
    return FaultPhoto(
        fault_pk(ticket_no), photo_sk(photo_id), ticket_no=ticket_no, photo_id=photo_id, **fields
    )


@dataclass
class TicketRecords:
    """A ticket with its status changes (in the order of the steps) and photos."""

    ticket: FaultTicket
    changes: list[FaultChange] = field(default_factory=list)
    photos: list[FaultPhoto] = field(default_factory=list)


# --- repository functions -------------------------------------------------------------


def next_number(year: int) -> int:
    """Atomic increment (ADD): concurrent reports never share a number."""
    counter = FaultCounter("COUNTER#FAULT", str(year))
    counter.update(actions=[FaultCounter.last.add(1), FaultCounter.type.set(FaultCounter)])
    return int(counter.last)


def queue_entry(ticket: FaultTicket) -> FaultQueueEntry:
    return FaultQueueEntry(
        OPEN_QUEUE,
        f"{ticket.created_at}#{ticket.ticket_no}",
        ticket_no=ticket.ticket_no,
        status=ticket.status,
        product=ticket.product,
        city=ticket.address.city,
        summary=ticket.description[:120],
        created_at=ticket.created_at,
    )


def create_ticket(ticket: FaultTicket, change: FaultChange, request: RequestKey | None) -> bool:
    """Ticket, first history entry, queue entry (and request key) together; False when the
    request id was used already."""
    try:
        with transaction() as tx:
            tx.save(ticket, condition=Item.PK.does_not_exist())
            tx.save(change, condition=Item.PK.does_not_exist())
            tx.save(queue_entry(ticket), condition=Item.PK.does_not_exist())
            if request is not None:
                tx.save(request, condition=Item.PK.does_not_exist())
    except TransactWriteError:
        return False
    return True


def get_ticket(ticket_no: str) -> FaultTicket | None:
    try:
        item = Item.get(fault_pk(ticket_no), "TICKET")
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, FaultTicket) else None


def ticket_records(ticket_no: str) -> TicketRecords | None:
    """The ticket, its history and photos: one Query (None when there is no ticket)."""
    items = list(Item.query(fault_pk(ticket_no)))
    ticket = next((i for i in items if isinstance(i, FaultTicket)), None)
    if ticket is None:
        return None
    return TicketRecords(
        ticket,
        [i for i in items if isinstance(i, FaultChange)],
        [i for i in items if isinstance(i, FaultPhoto)],
    )


def customer_tickets(customer_no: str) -> list[FaultTicket]:
    return [
        i
        for i in Item.gsi1.query(customer_faults_pk(customer_no), scan_index_forward=False)
        if isinstance(i, FaultTicket)
    ]


def open_tickets() -> list[FaultQueueEntry]:
    return [i for i in Item.query(OPEN_QUEUE) if isinstance(i, FaultQueueEntry)]


def change_status(ticket: FaultTicket, new_status: str, change: FaultChange) -> bool:
    """Conditional on the status the caller read; the queue entry follows the status."""
    old_status = ticket.status
    entry_sk = f"{ticket.created_at}#{ticket.ticket_no}"
    try:
        with transaction() as tx:
            tx.update(
                ticket,
                actions=[FaultTicket.status.set(new_status), FaultTicket.updated_at.set(change.at)],
                condition=FaultTicket.status == old_status,
            )
            tx.save(change, condition=Item.PK.does_not_exist())
            if new_status == "resolved":
                tx.delete(FaultQueueEntry(OPEN_QUEUE, entry_sk))
            else:
                tx.update(
                    FaultQueueEntry(OPEN_QUEUE, entry_sk),
                    actions=[FaultQueueEntry.status.set(new_status)],
                )
    except TransactWriteError:
        return False
    ticket.status = new_status
    ticket.updated_at = change.at
    return True


def add_photo(ticket: FaultTicket, photo: FaultPhoto, limit: int) -> bool:
    """Count the photo on the ticket (at most ``limit``) and record its slot together."""
    try:
        with transaction() as tx:
            tx.update(
                ticket,
                actions=[FaultTicket.photo_count.add(1)],
                condition=FaultTicket.photo_count < limit,
            )
            tx.save(photo, condition=Item.PK.does_not_exist())
    except TransactWriteError:
        return False
    return True
