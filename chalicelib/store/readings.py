"""Meter readings (odczyty): ``PK = METER#<serial>, SK = READ#<date>#<kind code>``.

One partition per meter, so its current reading and history are one Query (newest first).
Readings flagged for review are also under ``GSI1 = (READREVIEW, <created_at>#<serial>)``
until an operator decides. A meter is found by its serial through the ``Meter`` item's
``GSI1 = (METER#<serial>, CUST#<no>)`` (remote-reading import).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import TransactWriteError

from chalicelib.domain import readings as rd
from chalicelib.store import paging
from chalicelib.store.base import Item, save_new, transaction
from chalicelib.store.customers import Meter, customer_pk, meter_sk

REVIEW_INDEX_PK = "READREVIEW"


def meter_pk(serial: str) -> str:
    return f"METER#{serial}"


def values_json(values: dict[str, Decimal] | None) -> str | None:
    if values is None:
        return None
    return json.dumps({k: str(v) for k, v in sorted(values.items())})


def values_from(text: str | None) -> dict[str, Decimal] | None:
    if not text:
        return None
    return {k: Decimal(v) for k, v in json.loads(text).items()}


class Reading(Item, discriminator="Reading"):
    """Odczyt licznika: every register's value on ``read_on``."""

    serial = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    contract_no = UnicodeAttribute()
    read_on = UnicodeAttribute()  # YYYY-MM-DD
    kind = UnicodeAttribute()  # customer | remote | change | estimate
    status = UnicodeAttribute()  # accepted | review | rejected
    values_text = UnicodeAttribute()  # {"heat_gj": "123.456", ...}
    old_values_text = UnicodeAttribute(null=True)  # meter change: old meter's final values
    submitted_by = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    review_reason = UnicodeAttribute(null=True)  # JSON {register: daily use}
    reviewed_by = UnicodeAttribute(null=True)
    reviewed_at = UnicodeAttribute(null=True)
    reconciled_by = UnicodeAttribute(null=True)  # estimate: the actual reading that settled it
    invoice_id = UnicodeAttribute(null=True)  # estimate: the invoice it was made for
    entry_reason = UnicodeAttribute(null=True)  # staff-entered: why (who: submitted_by)

    @property
    def values(self) -> dict[str, Decimal]:
        return values_from(self.values_text) or {}

    @property
    def old_values(self) -> dict[str, Decimal] | None:
        return values_from(self.old_values_text)

    @property
    def key(self) -> str:
        return str(self.SK).removeprefix("READ#")

    def public(self) -> dict[str, Any]:
        return {
            "reading_id": self.key.replace("#", "-"),
            "read_on": self.read_on,
            "kind": self.kind,
            "status": self.status,
            "values": {k: str(v) for k, v in self.values.items()},
            "old_values": None
            if self.old_values is None
            else {k: str(v) for k, v in self.old_values.items()},
            "created_at": self.created_at,
            "reconciled_by": self.reconciled_by,
            "reason": self.entry_reason,
        }


def registers_of(meter: Meter) -> list[str]:
    """A meter's register names (typed: PynamoDB's list attribute is not)."""
    return [str(r) for r in meter.registers]


def reading_sk(key: str) -> str:
    return f"READ#{key}"


def history(serial: str, newest_first: bool = False) -> list[Reading]:
    return [
        i
        for i in Item.query(
            meter_pk(serial), Item.SK.startswith("READ#"), scan_index_forward=not newest_first
        )
        if isinstance(i, Reading)
    ]


def readings_page(serial: str, limit: int, cursor: str | None) -> paging.Page[Reading]:
    """At most ``limit`` readings of a meter, newest first, from ``cursor``: one Query of
    ``limit + 1`` items (the keys sort by day; the extra one tells whether more follow). ``BadCursor`` for a cursor of another list."""
    pk = meter_pk(serial)
    start = paging.decode(cursor)
    if start is not None and (start["PK"]["S"] != pk or not start["SK"]["S"].startswith("READ#")):
        raise paging.BadCursor("cursor of another list")
    result = Item.query(
        pk,
        Item.SK.startswith("READ#"),
        scan_index_forward=False,
        limit=limit + 1,
        last_evaluated_key=start,
    )
    read = [i for i in result if isinstance(i, Reading)]
    page = paging.Page(items=read[:limit])
    if len(read) > limit:  # one more than the page: the next page is not empty
        page.cursor = paging.encode(paging.key_of(read[limit - 1]))
    return page


def latest_actual(serial: str) -> Reading | None:
    """The newest accepted actual reading (customer, remote, meter change, staff): a Query
    newest first that stops at the first match, so it reads only the estimates and
    readings under review made since (pages of 20)."""
    found = Item.query(
        meter_pk(serial),
        Item.SK.startswith("READ#"),
        scan_index_forward=False,
        filter_condition=(Reading.status == rd.ACCEPTED) & Reading.kind.is_in(*rd.ACTUAL_KINDS),
        page_size=20,
    )
    return next((i for i in found if isinstance(i, Reading)), None)


def get_reading(serial: str, key: str) -> Reading | None:
    try:
        item = Item.get(meter_pk(serial), reading_sk(key))
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, Reading) else None


def find_meter(serial: str) -> Meter | None:
    """The meter with this serial, wherever it is (GSI1 = METER#<serial>)."""
    for item in Item.gsi1.query(meter_pk(serial)):
        if isinstance(item, Meter):
            return item
    return None


def customer_meter(customer_no: str, serial: str) -> Meter | None:
    try:
        item = Item.get(customer_pk(customer_no), meter_sk(serial))
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, Meter) else None


def add_reading(reading: Reading, settle: list[Reading] | None = None) -> bool:
    """Store a new reading (refusing a second one with the same key) and mark the estimates
    it settles as reconciled, in one transaction. False if the key exists already."""
    if not settle:
        return save_new(reading)
    try:
        with transaction() as tx:
            tx.save(reading, condition=Item.PK.does_not_exist())
            for est in settle:
                tx.update(
                    est,
                    actions=[Reading.reconciled_by.set(reading.key)],
                    condition=Reading.reconciled_by.does_not_exist(),
                )
    except TransactWriteError as exc:
        reasons = exc.cancellation_reasons or []
        if reasons and reasons[0] is not None and reasons[0].code == "ConditionalCheckFailed":
            return False
        raise
    return True


def new_reading(
    serial: str,
    key: str,
    *,
    customer_no: str,
    contract_no: str,
    read_on: str,
    kind: str,
    status: str,
    values: dict[str, Decimal],
    created_at: str,
    **extra: Any,
) -> Reading:
    """A reading item with its keys (``METER#<serial>``, ``READ#<key>``), not yet written;
    one waiting for review is also on the review index."""
    reading = Reading(
        meter_pk(serial),
        reading_sk(key),
        serial=serial,
        customer_no=customer_no,
        contract_no=contract_no,
        read_on=read_on,
        kind=kind,
        status=status,
        values_text=values_json(values) or "{}",
        created_at=created_at,
        **extra,
    )
    if status == rd.REVIEW:
        reading.GSI1PK = REVIEW_INDEX_PK
        reading.GSI1SK = f"{created_at}#{serial}"
    return reading


def point_of(r: Reading) -> rd.Point:
    """A stored reading as the domain's point."""
    return rd.Point(
        read_on=date.fromisoformat(r.read_on),
        values=r.values,
        kind=r.kind,
        old_values=r.old_values,
        key=r.key,
    )


def readings_for_review() -> list[Reading]:
    return [i for i in Item.gsi1.query(REVIEW_INDEX_PK) if isinstance(i, Reading)]


def decide(reading: Reading, status: str, by: str, at: str) -> bool:
    """Accept or reject a reading under review; False if someone decided already."""
    from pynamodb.exceptions import UpdateError

    try:
        reading.update(
            actions=[
                Reading.status.set(status),
                Reading.reviewed_by.set(by),
                Reading.reviewed_at.set(at),
                Item.GSI1PK.remove(),
                Item.GSI1SK.remove(),
            ],
            condition=Reading.status == "review",
        )
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True
