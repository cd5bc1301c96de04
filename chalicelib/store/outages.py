"""Outages, their history and notices, and the delivery log of alerts.

``PK = OUTAGE#<id>`` holds the outage (``SK = OUTAGE``), every change (``HIST#<version>``)
and the notices it raised (``NOTICE#<event>``), so an outage with its history is one Query.
GSI1 = (``OUTAGES#<CITY>``, ``END#<end>#<id>``) lists a city's outages that end after a
given time; pending notices sit in the sparse (``NOTICES#PENDING``, ``DUE#<due>#...``).
A delivery marker per (outage, event, recipient) makes sending idempotent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError

from chalicelib.store.base import Item, transaction
from chalicelib.store.customers import Premises, customer_pk, premises_sk
from chalicelib.store.request_keys import RequestKey

CONDITION_FAILED = "ConditionalCheckFailedException"
PENDING_NOTICES = "NOTICES#PENDING"
CITIES_PK = "OUTAGE_CITIES"


def outage_pk(outage_id: str) -> str:
    return f"OUTAGE#{outage_id}"


def outages_gsi_pk(city_key: str) -> str:
    return f"OUTAGES#{city_key}"


def end_sort_key(end_iso: str, outage_id: str) -> str:
    return f"END#{end_iso}#{outage_id}"


def history_sk(version: int) -> str:
    return f"HIST#{version:06d}"


def city_sk(city_key: str) -> str:
    return f"CITY#{city_key}"


class StreetAttr(MapAttribute[str, object]):
    name = UnicodeAttribute()
    key = UnicodeAttribute()
    buildings = ListAttribute(of=UnicodeAttribute, default=list)
    line = UnicodeAttribute(null=True)  # GeoJSON LineString coordinates as JSON


class Outage(Item, discriminator="Outage"):
    """Wyłączenie: planned or failure, heat or electricity. SK=OUTAGE."""

    outage_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # planned | failure
    product = UnicodeAttribute()  # heat | electricity
    city = UnicodeAttribute()
    city_key = UnicodeAttribute()
    streets = ListAttribute(of=StreetAttr, default=list)
    area = UnicodeAttribute(null=True)  # GeoJSON geometry as JSON
    starts_at = UnicodeAttribute()
    expected_end_at = UnicodeAttribute()
    ended_at = UnicodeAttribute(null=True)
    status = UnicodeAttribute()  # open | closed
    description = UnicodeAttribute(default="")
    version = NumberAttribute()
    created_at = UnicodeAttribute()
    created_by = UnicodeAttribute()
    updated_at = UnicodeAttribute()


class OutageChange(Item, discriminator="OutageChange"):
    """One entry of an outage's history. SK=HIST#<version:06d>."""

    outage_id = UnicodeAttribute()
    version = NumberAttribute()
    at = UnicodeAttribute()
    by = UnicodeAttribute()
    action = UnicodeAttribute()  # created | updated | closed
    changes = UnicodeAttribute()  # JSON {field: {"from": .., "to": ..}}


class OutageNotice(Item, discriminator="OutageNotice"):
    """An event to tell subscribers about. SK=NOTICE#<event_id>; while pending it is in
    GSI1 (NOTICES#PENDING, DUE#<due>#<outage>#<event>) for the release job."""

    outage_id = UnicodeAttribute()
    event_id = UnicodeAttribute()  # created | end-v<version> | closed
    event = UnicodeAttribute()  # created | end_changed | closed
    due_at = UnicodeAttribute()
    status = UnicodeAttribute()  # pending | queued
    created_at = UnicodeAttribute()
    queued_at = UnicodeAttribute(null=True)
    # What the notice says, frozen when the event happened.
    expected_end_at = UnicodeAttribute()
    ended_at = UnicodeAttribute(null=True)


class OutageCity(Item, discriminator="OutageCity"):
    """A city that has had outages (the map's city filter). PK=OUTAGE_CITIES, SK=CITY#<key>."""

    city = UnicodeAttribute()
    city_key = UnicodeAttribute()


class NoticeDelivery(Item, discriminator="NoticeDelivery"):
    """Delivery marker: PK=SENT#<outage>#<event>#<channel>#<to>, SK=SENT. Written before
    sending with a does-not-exist condition, so a redelivered message sends nothing.
    ``status``: ``sending`` while a sender holds it (taken over when older than the stale
    instant: its sender died), ``sent`` (or absent, for markers written before) once sent."""

    outage_id = UnicodeAttribute()
    event_id = UnicodeAttribute()
    channel = UnicodeAttribute()
    sent_at = UnicodeAttribute()
    status = UnicodeAttribute(null=True)


def notice_sk(event_id: str) -> str:
    return f"NOTICE#{event_id}"


def pending_sort_key(due_at: str, outage_id: str, event_id: str) -> str:
    return f"DUE#{due_at}#{outage_id}#{event_id}"


# --- records (every key of an outage's items is set here) -------------------------------


def new_outage(outage_id: str, **fields: Any) -> Outage:
    """A new outage record (``version`` 1 is the caller's), indexed by city and end."""
    outage = Outage(outage_pk(outage_id), "OUTAGE", outage_id=outage_id, **fields)
    reindex(outage)
    return outage


def reindex(outage: Outage) -> None:
    """Place the outage in GSI1 under its city and its (actual or expected) end."""
    outage.GSI1PK = outages_gsi_pk(outage.city_key)
    outage.GSI1SK = end_sort_key(outage.ended_at or outage.expected_end_at, outage.outage_id)


def history_entry(outage: Outage, at: str, by: str, action: str, changes: str) -> OutageChange:
    """The history entry of the outage's current version (``changes`` is JSON)."""
    version = int(outage.version)
    return OutageChange(
        outage_pk(outage.outage_id),
        history_sk(version),
        outage_id=outage.outage_id,
        version=version,
        at=at,
        by=by,
        action=action,
        changes=changes,
    )


def new_notice(outage: Outage, event: str, event_id: str, due_at: str, at: str) -> OutageNotice:
    """A pending notice (in the sparse pending index until it is queued)."""
    return OutageNotice(
        outage_pk(outage.outage_id),
        notice_sk(event_id),
        GSI1PK=PENDING_NOTICES,
        GSI1SK=pending_sort_key(due_at, outage.outage_id, event_id),
        outage_id=outage.outage_id,
        event_id=event_id,
        event=event,
        due_at=due_at,
        status="pending",
        created_at=at,
        expected_end_at=outage.expected_end_at,
        ended_at=outage.ended_at,
    )


def city_entry(city: str, city_key: str) -> OutageCity:
    return OutageCity(CITIES_PK, city_sk(city_key), city=city, city_key=city_key)


@dataclass
class OutageRecords:
    """An outage with its history (oldest first) and the notices it raised."""

    outage: Outage
    changes: list[OutageChange] = field(default_factory=list)
    notices: list[OutageNotice] = field(default_factory=list)

    def notice(self, event_id: str) -> OutageNotice | None:
        return next((n for n in self.notices if n.event_id == event_id), None)


# --- repository functions -------------------------------------------------------------


def get_outage(outage_id: str) -> Outage | None:
    try:
        item = Item.get(outage_pk(outage_id), "OUTAGE")
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, Outage) else None


def outage_records(outage_id: str) -> OutageRecords | None:
    """The outage, its history and notices: one Query (None when there is no outage)."""
    items = list(Item.query(outage_pk(outage_id)))
    outage = next((i for i in items if isinstance(i, Outage)), None)
    if outage is None:
        return None
    return OutageRecords(
        outage,
        [i for i in items if isinstance(i, OutageChange)],
        [i for i in items if isinstance(i, OutageNotice)],
    )


def outages_ending_after(city_key: str, since_iso: str) -> Iterator[Outage]:
    """A city's outages whose (expected or actual) end is at or after ``since_iso``."""
    for item in Item.gsi1.query(
        outages_gsi_pk(city_key), Item.GSI1SK.between(f"END#{since_iso}", "END#~")
    ):
        if isinstance(item, Outage):
            yield item


def outage_cities() -> list[OutageCity]:
    return [i for i in Item.query(CITIES_PK) if isinstance(i, OutageCity)]


def premises_of(customer_no: str) -> list[Premises]:
    """A customer's premises (their collection, ``SK`` begins with the premises prefix)."""
    return [
        p
        for p in Item.query(customer_pk(customer_no), Item.SK.startswith(premises_sk("")))
        if isinstance(p, Premises)
    ]


def get_premises(customer_no: str, premises_id: str) -> Premises | None:
    """One of the customer's premises (GetItem), None when the customer has no such one."""
    try:
        item = Item.get(customer_pk(customer_no), premises_sk(premises_id))
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, Premises) else None


def write_change(
    outage: Outage,
    change: OutageChange,
    notice: OutageNotice | None,
    expected_version: int | None,
    city: OutageCity | None = None,
    request: RequestKey | None = None,
) -> bool:
    """Outage + history entry (+ notice, city, request key) in one transaction, conditional
    on the version the caller read. False when someone else changed the outage first (or
    the request id was used already)."""
    try:
        with transaction() as tx:
            if expected_version is None:
                tx.save(outage, condition=Item.PK.does_not_exist())
            else:
                tx.save(outage, condition=Outage.version == expected_version)
            tx.save(change, condition=Item.PK.does_not_exist())
            if notice is not None:
                tx.save(notice, condition=Item.PK.does_not_exist())
            if city is not None:
                tx.save(city)
            if request is not None:
                tx.save(request, condition=Item.PK.does_not_exist())
    except TransactWriteError:
        return False
    return True


def due_notices(now_iso: str) -> Iterator[OutageNotice]:
    for item in Item.gsi1.query(PENDING_NOTICES, Item.GSI1SK.between("DUE#", f"DUE#{now_iso}~")):
        if isinstance(item, OutageNotice):
            yield item


def get_notice(outage_id: str, event_id: str) -> OutageNotice | None:
    try:
        item = Item.get(outage_pk(outage_id), notice_sk(event_id))
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, OutageNotice) else None


def mark_queued(notice: OutageNotice, at: str) -> bool:
    """Take a notice out of the pending index; False when already taken."""
    try:
        notice.update(
            actions=[
                OutageNotice.status.set("queued"),
                OutageNotice.queued_at.set(at),
                Item.GSI1PK.remove(),
                Item.GSI1SK.remove(),
            ],
            condition=OutageNotice.status == "pending",
        )
    except UpdateError as exc:
        if exc.cause_response_code == CONDITION_FAILED:
            return False
        raise
    return True


def delivery_pk(outage_id: str, event_id: str, channel: str, to: str) -> str:
    return f"SENT#{outage_id}#{event_id}#{channel}#{to}"


def claim_delivery(
    outage_id: str,
    event_id: str,
    channel: str,
    to: str,
    at: str,
    ttl: int,
    stale_before: str | None = None,
) -> bool:
    """True for the first claim of (outage, event, recipient), or for taking over a claim
    still ``sending`` since before ``stale_before`` (its sender died); False otherwise."""
    marker = NoticeDelivery(
        delivery_pk(outage_id, event_id, channel, to),
        "SENT",
        outage_id=outage_id,
        event_id=event_id,
        channel=channel,
        sent_at=at,
        status="sending",
        expires_at=datetime.fromtimestamp(ttl, UTC),
    )
    condition = Item.PK.does_not_exist()
    if stale_before:
        condition = condition | (
            (NoticeDelivery.status == "sending") & (NoticeDelivery.sent_at < stale_before)
        )
    try:
        marker.save(condition=condition)
    except PutError as exc:
        if exc.cause_response_code == CONDITION_FAILED:
            return False
        raise
    return True


def confirm_delivery(outage_id: str, event_id: str, channel: str, to: str, at: str) -> None:
    """The notice left: the marker is final (no later claim takes it over)."""
    NoticeDelivery(delivery_pk(outage_id, event_id, channel, to), "SENT").update(
        actions=[NoticeDelivery.status.set("sent"), NoticeDelivery.sent_at.set(at)]
    )


def release_delivery(outage_id: str, event_id: str, channel: str, to: str) -> None:
    """Undo a claim after a failed send so that SQS's redelivery retries it."""
    NoticeDelivery(delivery_pk(outage_id, event_id, channel, to), "SENT").delete()
