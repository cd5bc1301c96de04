"""SMS Alert subscriptions (one per customer, premises, channel and recipient).

The subscription lives in the customer's collection (``PK = CUST#<no>``,
``SK = ALERT#<alert_id>``). Its GSI1 entry follows its status:

* pending: (``MGR#<manager_id>``, ``ALERTREQ#<requested_at>#<customer>#<alert_id>``) — the
  account manager's queue of requests to switch on;
* active: (``ALERTS#<CITY>``, ``STREET#<STREET>#<BUILDING>#<customer>#<alert_id>``) — who to
  tell about an outage on a street;
* off / rejected: no GSI1 entry.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import ListAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.store.base import Item
from chalicelib.store.customers import customer_pk, manager_pk

CONDITION_FAILED = "ConditionalCheckFailedException"


def alert_sk(alert_id: str) -> str:
    return f"ALERT#{alert_id}"


def active_gsi(
    city_key: str, street_key: str, building_key: str, customer_no: str, alert_id: str
) -> tuple[str, str]:
    return f"ALERTS#{city_key}", f"STREET#{street_key}#{building_key}#{customer_no}#{alert_id}"


def pending_gsi(
    manager_id: str, requested_at: str, customer_no: str, alert_id: str
) -> tuple[str, str]:
    return manager_pk(manager_id), f"ALERTREQ#{requested_at}#{customer_no}#{alert_id}"


class AlertSubscription(Item, discriminator="AlertSubscription"):
    """SMS Alert (or its e-mail twin) for one premises."""

    alert_id = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    premises_id = UnicodeAttribute()
    channel = UnicodeAttribute()  # sms | email
    phone = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    lang = UnicodeAttribute(default="pl")
    products = ListAttribute(of=UnicodeAttribute, default=list)  # empty: every product
    city = UnicodeAttribute()
    city_key = UnicodeAttribute()
    street = UnicodeAttribute()
    street_key = UnicodeAttribute()
    building = UnicodeAttribute()
    building_key = UnicodeAttribute()
    address = UnicodeAttribute()  # one line, for the manager's console
    manager_id = UnicodeAttribute()
    status = UnicodeAttribute()  # pending | active | off | rejected
    requested_at = UnicodeAttribute()
    requested_by = UnicodeAttribute()
    decided_at = UnicodeAttribute(null=True)
    decided_by = UnicodeAttribute(null=True)
    switched_off_at = UnicodeAttribute(null=True)

    @property
    def to(self) -> str:
        return str(self.phone if self.channel == "sms" else self.email)


# --- records ----------------------------------------------------------------------------


def new_request(
    customer_no: str, alert_id: str, manager_id: str, requested_at: str, **fields: Any
) -> AlertSubscription:
    """A pending request, in its account manager's queue (GSI1) until it is decided."""
    gsi = pending_gsi(manager_id, requested_at, customer_no, alert_id)
    return AlertSubscription(
        customer_pk(customer_no),
        alert_sk(alert_id),
        GSI1PK=gsi[0],
        GSI1SK=gsi[1],
        alert_id=alert_id,
        customer_no=customer_no,
        manager_id=manager_id,
        status="pending",
        requested_at=requested_at,
        **fields,
    )


# --- repository functions -------------------------------------------------------------


def get_alert(customer_no: str, alert_id: str) -> AlertSubscription | None:
    try:
        item = Item.get(customer_pk(customer_no), alert_sk(alert_id))
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, AlertSubscription) else None


def customer_alerts(customer_no: str) -> list[AlertSubscription]:
    return [
        i
        for i in Item.query(customer_pk(customer_no), Item.SK.startswith("ALERT#"))
        if isinstance(i, AlertSubscription)
    ]


def pending_for_manager(manager_id: str) -> list[AlertSubscription]:
    return [
        i
        for i in Item.gsi1.query(manager_pk(manager_id), Item.GSI1SK.startswith("ALERTREQ#"))
        if isinstance(i, AlertSubscription)
    ]


def active_on_street(
    city_key: str, street_key: str, limit: int, cursor: dict[str, Any] | None = None
) -> tuple[list[AlertSubscription], dict[str, Any] | None]:
    """One page (at most ``limit`` items) of the active subscriptions for premises on a
    street, and the cursor of the next page (None after the last)."""
    result = Item.gsi1.query(
        f"ALERTS#{city_key}",
        Item.GSI1SK.startswith(f"STREET#{street_key}#"),
        limit=limit,
        last_evaluated_key=cursor,
    )
    page = [i for i in result if isinstance(i, AlertSubscription)]
    return page, result.last_evaluated_key


def active_in_building(
    city_key: str,
    street_key: str,
    building_key: str,
    limit: int,
    cursor: dict[str, Any] | None = None,
) -> tuple[list[AlertSubscription], dict[str, Any] | None]:
    """One page of the active subscriptions for premises in one building (the sort key's
    ``STREET#<street>#<building>#`` prefix: an outage on one building reads only it)."""
    result = Item.gsi1.query(
        f"ALERTS#{city_key}",
        Item.GSI1SK.startswith(f"STREET#{street_key}#{building_key}#"),
        limit=limit,
        last_evaluated_key=cursor,
    )
    page = [i for i in result if isinstance(i, AlertSubscription)]
    return page, result.last_evaluated_key


def create_request(alert: AlertSubscription) -> bool:
    """Store a new request; False when the same subscription already exists."""
    try:
        alert.save(condition=Item.PK.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == CONDITION_FAILED:
            return False
        raise
    return True


def renew_request(alert: AlertSubscription, previous_status: str) -> bool:
    """Ask again after an alert was switched off or rejected (conditional on that state)."""
    try:
        alert.save(condition=AlertSubscription.status == previous_status)
    except PutError as exc:
        if exc.cause_response_code == CONDITION_FAILED:
            return False
        raise
    return True


def set_status(
    alert: AlertSubscription,
    status: str,
    expected: str,
    at: str,
    by: str,
) -> bool:
    """Move an alert from ``expected`` to ``status`` and its GSI1 entry with it: an active
    alert is listed under its street, any other status leaves the index."""
    gsi = (
        active_gsi(
            alert.city_key, alert.street_key, alert.building_key, alert.customer_no, alert.alert_id
        )
        if status == "active"
        else None
    )
    actions: list[Action] = [AlertSubscription.status.set(status)]
    if status == "off":
        actions.append(AlertSubscription.switched_off_at.set(at))
    else:
        actions += [AlertSubscription.decided_at.set(at), AlertSubscription.decided_by.set(by)]
    if gsi:
        actions += [Item.GSI1PK.set(gsi[0]), Item.GSI1SK.set(gsi[1])]
    else:
        actions += [Item.GSI1PK.remove(), Item.GSI1SK.remove()]
    try:
        alert.update(actions=actions, condition=AlertSubscription.status == expected)
    except UpdateError as exc:
        if exc.cause_response_code == CONDITION_FAILED:
            return False
        raise
    return True
