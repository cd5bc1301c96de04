"""Online applications (wnioski), their history and attachments, and what approvals made.

- ``PK = APP#<id>``: ``APP`` Application (GSI1 = ``APPS#<customer_no>`` / ``<created_at>#<id>``:
  a customer's applications, newest first), ``HIST#<at>#<n>`` ApplicationChange (every
  transition and answer), ``ATT#<id>`` ApplicationAttachment (presigned upload slot),
  ``EFFECT#<name>`` ApplicationEffect (marker: an approval's effect happened once).
- ``PK = PAYOUT#<application id>, SK = PAYOUT``: PayoutOrder (refund to a bank account;
  GSI1 = ``PAYOUTS`` / ``<created_at>#<id>`` for the treasury), written in the ledger
  booking's transaction (``store.ledger.book`` guard).
- ``PK = PLAN#<customer_no>``: ``INST#<due_date>#<n>`` Instalment of an instalment plan
  (układ ratalny) and ``HEAD#<application id>`` InstalmentPlan.
- ``PK = CUST#<no>, SK = MANDATE``: DirectDebitMandate (polecenie zapłaty; one per customer).
- ``PK = PROXY#<username>, SK = PREM#<customer_no>#<premises_id>``: ProxyGrant (a proxy's
  login may see that premises only; GSI1 = ``PROXIES#<customer_no>`` / ``<premises>#<user>``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pynamodb.attributes import (
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.domain import applications as rules
from chalicelib.store.audit import AuditEntry
from chalicelib.store.base import Item, transaction
from chalicelib.store.customers import customer_pk
from chalicelib.store.request_keys import RequestKey
from chalicelib.store.workspace import ManagerQueueEntry, queue_key


def app_pk(application_id: str) -> str:
    return f"APP#{application_id}"


def application_target(application_id: str) -> str:
    """How the audit log names an application (its key)."""
    return app_pk(application_id)


def customer_apps_pk(customer_no: str) -> str:
    return f"APPS#{customer_no}"


def change_sk(at: str, n: int) -> str:
    return f"HIST#{at}#{n:03d}"


def attachment_sk(attachment_id: str) -> str:
    return f"ATT#{attachment_id}"


def effect_sk(name: str) -> str:
    return f"EFFECT#{name}"


def payout_pk(application_id: str) -> str:
    return f"PAYOUT#{application_id}"


def plan_pk(customer_no: str) -> str:
    return f"PLAN#{customer_no}"


def instalment_sk(due_date: str, n: int) -> str:
    return f"INST#{due_date}#{n:02d}"


def proxy_pk(username: str) -> str:
    return f"PROXY#{username}"


def grant_sk(customer_no: str, premises_id: str) -> str:
    return f"PREM#{customer_no}#{premises_id}"


class Application(Item, discriminator="Application"):
    application_id = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    manager_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # a code of domain.applications.CATALOGUE
    fields = UnicodeAttribute()  # JSON of the validated fields
    status = UnicodeAttribute()
    filed_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
    submitted_at = UnicodeAttribute(null=True)
    due_date = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()
    steps = NumberAttribute(default=0)  # history entries written (their sort order)
    result = UnicodeAttribute(null=True)  # what the approval made (annex, payout, login...)


class ApplicationChange(Item, discriminator="ApplicationChange"):
    application_id = UnicodeAttribute()
    at = UnicodeAttribute()
    by = UnicodeAttribute()
    by_role = UnicodeAttribute()
    from_status = UnicodeAttribute()
    to_status = UnicodeAttribute()
    note = UnicodeAttribute(default="")


class ApplicationAttachment(Item, discriminator="ApplicationAttachment"):
    application_id = UnicodeAttribute()
    attachment_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    filename = UnicodeAttribute()
    key = UnicodeAttribute()
    content_type = UnicodeAttribute()
    size = NumberAttribute()
    created_at = UnicodeAttribute()


class ApplicationEffect(Item, discriminator="ApplicationEffect"):
    application_id = UnicodeAttribute()
    name = UnicodeAttribute()
    at = UnicodeAttribute()
    detail = UnicodeAttribute(null=True)


class PayoutOrder(Item, discriminator="PayoutOrder"):
    application_id = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    amount = NumberAttribute()  # grosze
    iban = UnicodeAttribute()
    account_holder = UnicodeAttribute()
    status = UnicodeAttribute()  # ordered | paid
    created_at = UnicodeAttribute()


class InstalmentPlan(Item, discriminator="InstalmentPlan"):
    customer_no = UnicodeAttribute()
    application_id = UnicodeAttribute()
    total = NumberAttribute()
    instalment_count = NumberAttribute()
    invoices = ListAttribute(of=UnicodeAttribute, default=list)
    created_at = UnicodeAttribute()


class Instalment(Item, discriminator="Instalment"):
    customer_no = UnicodeAttribute()
    application_id = UnicodeAttribute()
    n = NumberAttribute()
    due_date = UnicodeAttribute()
    amount = NumberAttribute()


class DirectDebitMandate(Item, discriminator="DirectDebitMandate"):
    customer_no = UnicodeAttribute()
    iban = UnicodeAttribute()
    account_holder = UnicodeAttribute()
    application_id = UnicodeAttribute()
    granted_at = UnicodeAttribute()


class ProxyGrant(Item, discriminator="ProxyGrant"):
    username = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    premises_id = UnicodeAttribute()
    proxy_name = UnicodeAttribute()
    application_id = UnicodeAttribute()
    granted_at = UnicodeAttribute()


@dataclass
class ApplicationRecords:
    application: Application
    changes: list[ApplicationChange] = field(default_factory=list)
    attachments: list[ApplicationAttachment] = field(default_factory=list)
    effects: list[ApplicationEffect] = field(default_factory=list)


def condition_failed(exc: TransactWriteError | PutError) -> bool:
    if isinstance(exc, PutError):
        return exc.cause_response_code == "ConditionalCheckFailedException"
    return any(
        r is not None and r.code == "ConditionalCheckFailed" for r in exc.cancellation_reasons
    )


# --- records -----------------------------------------------------------------------------


def new_application(
    application_id: str, customer_no: str, created_at: str, **fields: Any
) -> Application:
    return Application(
        app_pk(application_id),
        "APP",
        GSI1PK=customer_apps_pk(customer_no),
        GSI1SK=f"{created_at}#{application_id}",
        application_id=application_id,
        customer_no=customer_no,
        created_at=created_at,
        updated_at=created_at,
        **fields,
    )


def new_change(app: Application, n: int, at: str, **fields: Any) -> ApplicationChange:
    return ApplicationChange(
        app_pk(app.application_id),
        change_sk(at, n),
        application_id=app.application_id,
        at=at,
        **fields,
    )


def attachment_slot(
    application_id: str, attachment_id: str, **fields: Any
) -> ApplicationAttachment:
    return ApplicationAttachment(
        app_pk(application_id),
        attachment_sk(attachment_id),
        application_id=application_id,
        attachment_id=attachment_id,
        **fields,
    )


# --- reads -------------------------------------------------------------------------------


def get_application(application_id: str, consistent: bool = False) -> Application | None:
    try:
        item = Item.get(app_pk(application_id), "APP", consistent_read=consistent)
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, Application) else None


def application_records(application_id: str) -> ApplicationRecords | None:
    items = list(Item.query(app_pk(application_id), consistent_read=True))
    app = next((i for i in items if isinstance(i, Application)), None)
    if app is None:
        return None
    return ApplicationRecords(
        app,
        [i for i in items if isinstance(i, ApplicationChange)],
        [i for i in items if isinstance(i, ApplicationAttachment)],
        [i for i in items if isinstance(i, ApplicationEffect)],
    )


def customer_applications(customer_no: str, limit: int = 100) -> list[Application]:
    return [
        i
        for i in Item.gsi1.query(
            customer_apps_pk(customer_no), scan_index_forward=False, limit=limit
        )
        if isinstance(i, Application)
    ]


# --- writes ------------------------------------------------------------------------------


def create(app: Application, request: RequestKey | None) -> bool:
    """The draft (and the request key of a client's request id); False on a replay."""
    try:
        with transaction() as tx:
            tx.save(app, condition=Item.PK.does_not_exist())
            if request is not None:
                tx.save(request, condition=Item.PK.does_not_exist())
    except TransactWriteError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


def add_attachment(app: Application, slot: ApplicationAttachment, limit: int) -> bool:
    """Record an upload slot while the application takes files (at most ``limit`` slots)."""
    count = sum(1 for _ in Item.query(app_pk(app.application_id), Item.SK.startswith("ATT#")))
    if count >= limit:
        return False
    slot.save(condition=Item.PK.does_not_exist())
    return True


@dataclass
class Transition:
    """One status change: conditional on the status read; the queue entry follows."""

    app: Application
    to_status: str
    change: ApplicationChange
    entry: AuditEntry
    set_fields: dict[str, Any] = field(default_factory=dict)
    queue_add: ManagerQueueEntry | None = None
    queue_remove: bool = False


def transition(t: Transition) -> bool:
    """Apply a status change with its history line, audit entry and queue entry in one
    transaction, on condition that the status is still the one read; False otherwise."""
    app = t.app
    actions: list[Any] = [
        Application.status.set(t.to_status),
        Application.updated_at.set(t.change.at),
        Application.steps.add(1),
    ]
    for name, value in t.set_fields.items():
        attr = getattr(Application, name)
        actions.append(attr.remove() if value is None else attr.set(value))
    try:
        with transaction() as tx:
            tx.update(app, actions=actions, condition=Application.status == app.status)
            tx.save(t.change, condition=Item.PK.does_not_exist())
            tx.save(t.entry)
            if t.queue_remove and app.due_date:
                tx.delete(queue_key(app.manager_id, "app", app.application_id, app.due_date))
            if t.queue_add is not None:
                tx.save(t.queue_add)
    except TransactWriteError as exc:
        if condition_failed(exc):
            return False
        raise
    app.status = t.to_status
    app.updated_at = t.change.at
    app.steps = int(app.steps or 0) + 1
    for name, value in t.set_fields.items():
        setattr(app, name, value)
    return True


def effect_marker(
    application_id: str, name: str, at: str, detail: str | None = None
) -> ApplicationEffect:
    return ApplicationEffect(
        app_pk(application_id),
        effect_sk(name),
        application_id=application_id,
        name=name,
        at=at,
        detail=detail,
    )


def effect_done(application_id: str, name: str) -> ApplicationEffect | None:
    try:
        item = Item.get(app_pk(application_id), effect_sk(name), consistent_read=True)
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, ApplicationEffect) else None


def save_with_marker(marker: ApplicationEffect, *items: Item) -> bool:
    """The effect's items and its marker in one transaction; False when the marker exists."""
    try:
        with transaction() as tx:
            tx.save(marker, condition=Item.PK.does_not_exist())
            for item in items:
                tx.save(item)
    except TransactWriteError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


def put_marker(marker: ApplicationEffect) -> bool:
    try:
        marker.save(condition=Item.PK.does_not_exist())
    except PutError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


# --- refund: payout order in the ledger booking's transaction ------------------------------


def payout_guard(order: PayoutOrder, marker: ApplicationEffect) -> Callable[[TransactWrite], None]:
    def guard(tx: TransactWrite) -> None:
        tx.save(marker, condition=Item.PK.does_not_exist())
        tx.save(order, condition=Item.PK.does_not_exist())

    return guard


def plan_guard(
    marker: ApplicationEffect, make_items: Callable[[], list[Item]]
) -> Callable[[TransactWrite], None]:
    """The plan's items (made from the booking's computed state) with the effect marker."""

    def guard(tx: TransactWrite) -> None:
        tx.save(marker, condition=Item.PK.does_not_exist())
        for item in make_items():
            tx.save(item)

    return guard


def new_payout(
    application_id: str, customer_no: str, created_at: str, **fields: Any
) -> PayoutOrder:
    return PayoutOrder(
        payout_pk(application_id),
        "PAYOUT",
        GSI1PK="PAYOUTS",
        GSI1SK=f"{created_at}#{application_id}",
        application_id=application_id,
        customer_no=customer_no,
        created_at=created_at,
        status="ordered",
        **fields,
    )


def get_payout(application_id: str) -> PayoutOrder | None:
    try:
        item = Item.get(payout_pk(application_id), "PAYOUT", consistent_read=True)
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, PayoutOrder) else None


def payouts(limit: int = 100) -> list[PayoutOrder]:
    return [
        i
        for i in Item.gsi1.query("PAYOUTS", scan_index_forward=False, limit=limit)
        if isinstance(i, PayoutOrder)
    ]


# --- instalment plans ----------------------------------------------------------------------


def plan_items(
    customer_no: str,
    application_id: str,
    plan: Sequence[rules.Instalment],
    invoices: list[str],
    created_at: str,
) -> list[Item]:
    head = InstalmentPlan(
        plan_pk(customer_no),
        f"HEAD#{application_id}",
        customer_no=customer_no,
        application_id=application_id,
        total=sum(i.amount for i in plan),
        instalment_count=len(plan),
        invoices=invoices,
        created_at=created_at,
    )
    rows: list[Item] = [
        Instalment(
            plan_pk(customer_no),
            instalment_sk(i.due_date.isoformat(), i.n),
            customer_no=customer_no,
            application_id=application_id,
            n=i.n,
            due_date=i.due_date.isoformat(),
            amount=i.amount,
        )
        for i in plan
    ]
    return [head, *rows]


def instalments(customer_no: str) -> list[Instalment]:
    return [
        i
        for i in Item.query(plan_pk(customer_no), Item.SK.startswith("INST#"))
        if isinstance(i, Instalment)
    ]


def plans(customer_no: str) -> list[InstalmentPlan]:
    return [
        i
        for i in Item.query(plan_pk(customer_no), Item.SK.startswith("HEAD#"))
        if isinstance(i, InstalmentPlan)
    ]


def instalments_due(customer_no: str, day: date) -> list[Instalment]:
    """Instalments falling due on or before ``day`` (one Query, sort-key condition)."""
    return [
        i
        for i in Item.query(
            plan_pk(customer_no), Item.SK.between("INST#", f"INST#{day.isoformat()}#99")
        )
        if isinstance(i, Instalment)
    ]


# --- direct debit and proxies --------------------------------------------------------------


def new_mandate(customer_no: str, **fields: Any) -> DirectDebitMandate:
    return DirectDebitMandate(
        customer_pk(customer_no), "MANDATE", customer_no=customer_no, **fields
    )


def mandate_of(customer_no: str) -> DirectDebitMandate | None:
    """The customer's direct-debit mandate (for the invoice: 'zapłata poleceniem zapłaty')."""
    try:
        item = Item.get(customer_pk(customer_no), "MANDATE")
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, DirectDebitMandate) else None


def new_grant(username: str, customer_no: str, premises_id: str, **fields: Any) -> ProxyGrant:
    return ProxyGrant(
        proxy_pk(username),
        grant_sk(customer_no, premises_id),
        GSI1PK=f"PROXIES#{customer_no}",
        GSI1SK=f"{premises_id}#{username}",
        username=username,
        customer_no=customer_no,
        premises_id=premises_id,
        **fields,
    )


def grants_of(username: str) -> list[ProxyGrant]:
    return [i for i in Item.query(proxy_pk(username)) if isinstance(i, ProxyGrant)]


def grant(username: str, customer_no: str, premises_id: str) -> ProxyGrant | None:
    try:
        item = Item.get(proxy_pk(username), grant_sk(customer_no, premises_id))
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, ProxyGrant) else None
