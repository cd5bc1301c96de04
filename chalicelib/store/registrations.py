"""Institutional registrations (rejestracja na podstawie dokumentów) and their documents.

``REG#<id> / REG`` holds the form, the regulations acceptance, the document list and the
decision. GSI1 = (``REGS#<status>``, ``<submitted_at>#<id>``) lists registrations by status
for the administrators. ``REGNIP#<nip> / PENDING`` allows one pending registration per NIP.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.store.base import Item, transaction
from chalicelib.store.customers import Address


def registration_pk(registration_id: str) -> str:
    return f"REG#{registration_id}"


def status_pk(status: str) -> str:
    return f"REGS#{status}"


def registration_target(registration_id: str) -> str:
    """How the audit log names a registration (its key)."""
    return registration_pk(registration_id)


class RegistrationDocument(MapAttribute[str, object]):
    document_id = UnicodeAttribute()
    kind = UnicodeAttribute()  # krs_extract | regon_certificate | power_of_attorney | other
    filename = UnicodeAttribute()
    content_type = UnicodeAttribute()
    declared_size = NumberAttribute()
    key = UnicodeAttribute()  # S3 key under registrations/<id>/
    size = NumberAttribute(null=True)  # checked on submission
    verified = BooleanAttribute(default=False)


class Registration(Item, discriminator="Registration"):
    """Rejestracja instytucji. PK=REG#<id>, SK=REG. Status: draft → pending → active | rejected.
    A draft expires (TTL) when it is never submitted."""

    registration_id = UnicodeAttribute()
    status = UnicodeAttribute()
    nip = UnicodeAttribute()
    regon = UnicodeAttribute()
    krs = UnicodeAttribute(null=True)
    name = UnicodeAttribute()
    address = Address()
    email = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)
    contact_name = UnicodeAttribute()
    contact_email = UnicodeAttribute()
    contact_phone = UnicodeAttribute(null=True)
    signer_in_krs = BooleanAttribute(default=True)
    lang = UnicodeAttribute(default="pl")
    regulations_version = UnicodeAttribute()
    regulations_accepted_at = UnicodeAttribute()
    documents = ListAttribute(of=RegistrationDocument, default=list)
    created_at = UnicodeAttribute()
    submitted_at = UnicodeAttribute(null=True)
    decided_at = UnicodeAttribute(null=True)
    decided_by = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    customer_no = UnicodeAttribute(null=True)
    username = UnicodeAttribute(null=True)
    activating_at = UnicodeAttribute(null=True)


class PendingNip(Item, discriminator="PendingNip"):
    """One pending registration per NIP. PK=REGNIP#<nip>, SK=PENDING."""

    registration_id = UnicodeAttribute()


class StateChanged(Exception):
    """The registration was not in the expected status (a replay or a concurrent decision)."""


def put_draft(registration_id: str, expires_at: int, **form: Any) -> Registration:
    """A new draft (status ``draft``) that expires at ``expires_at`` (epoch seconds) unless
    it is submitted."""
    reg = Registration(
        registration_pk(registration_id),
        "REG",
        registration_id=registration_id,
        status="draft",
        **form,
    )
    reg.expires_at = datetime.fromtimestamp(expires_at, tz=UTC)
    reg.save(condition=Item.PK.does_not_exist())
    return reg


def get_registration(registration_id: str) -> Registration | None:
    try:
        item = Item.get(registration_pk(registration_id), "REG", consistent_read=True)
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, Registration) else None


def list_by_status(status: str, limit: int = 100) -> list[Registration]:
    return [
        i
        for i in Item.gsi1.query(status_pk(status), scan_index_forward=False, limit=limit)
        if isinstance(i, Registration)
    ]


def submit(reg: Registration, documents: list[RegistrationDocument], submitted_at: str) -> None:
    """draft → pending, with the NIP marker; raises StateChanged when not a draft and
    ``PendingNip`` conflicts as StateChanged("nip")."""
    marker = PendingNip(f"REGNIP#{reg.nip}", "PENDING", registration_id=reg.registration_id)
    try:
        with transaction() as tx:
            tx.update(
                reg,
                actions=[
                    Registration.status.set("pending"),
                    Registration.submitted_at.set(submitted_at),
                    Registration.documents.set(documents),
                    Registration.GSI1PK.set(status_pk("pending")),
                    Registration.GSI1SK.set(f"{submitted_at}#{reg.registration_id}"),
                    Registration.expires_at.remove(),
                ],
                condition=Registration.status == "draft",
            )
            tx.save(marker, condition=Item.PK.does_not_exist())
    except TransactWriteError as exc:
        # PynamoDB sends deletes, then puts, then updates: [marker put, registration update].
        reasons = [getattr(r, "code", None) for r in (exc.cancellation_reasons or [])]
        if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
            raise StateChanged("status") from None
        if reasons and reasons[0] == "ConditionalCheckFailed":
            raise StateChanged("nip") from None
        raise


def decide(
    reg: Registration,
    status: str,
    decided_at: str,
    decided_by: str,
    audit: Item,
    from_status: str = "pending",
    reason: str | None = None,
    customer_no: str | None = None,
    username: str | None = None,
) -> None:
    """pending/activating → active | rejected, releasing the NIP marker, with the audit
    entry in the same transaction."""
    actions: list[Action] = [
        Registration.status.set(status),
        Registration.decided_at.set(decided_at),
        Registration.decided_by.set(decided_by),
        Registration.GSI1PK.set(status_pk(status)),
    ]
    if reason is not None:
        actions.append(Registration.reason.set(reason))
    if customer_no is not None:
        actions.append(Registration.customer_no.set(customer_no))
    if username is not None:
        actions.append(Registration.username.set(username))
    try:
        with transaction() as tx:
            tx.update(reg, actions=actions, condition=Registration.status == from_status)
            tx.delete(PendingNip(f"REGNIP#{reg.nip}", "PENDING"))
            tx.save(audit, condition=Item.PK.does_not_exist())
    except TransactWriteError as exc:
        # Order sent: marker delete, audit put, registration update.
        reasons = [getattr(r, "code", None) for r in (exc.cancellation_reasons or [])]
        if "ConditionalCheckFailed" in reasons:
            raise StateChanged("status") from None
        raise


def claim(reg: Registration, now: str, stale_before: str) -> None:
    """pending → activating (or take over an activation abandoned before ``stale_before``),
    so two administrators cannot activate the same registration at once."""
    condition = (Registration.status == "pending") | (
        (Registration.status == "activating") & (Registration.activating_at < stale_before)
    )
    try:
        reg.update(
            actions=[Registration.status.set("activating"), Registration.activating_at.set(now)],
            condition=condition,
        )
    except UpdateError as exc:
        if getattr(exc, "cause_response_code", None) == "ConditionalCheckFailedException":
            raise StateChanged("status") from None
        raise


def release(reg: Registration) -> None:
    """activating → pending after a failed activation."""
    with contextlib.suppress(UpdateError):
        reg.update(
            actions=[Registration.status.set("pending")],
            condition=Registration.status == "activating",
        )


def remember_customer(reg: Registration, customer_no: str) -> None:
    """Keep the customer created during an activation, so a retried one reuses it."""
    reg.update(actions=[Registration.customer_no.set(customer_no)])


class CustomerNumberSequence(Item, discriminator="CustomerNumberSequence"):
    """Numbers for customers created by activating a registration. PK=SEQ#CUSTOMER_NO, SK=SEQ."""

    value = NumberAttribute(default=0)


def next_customer_serial() -> int:
    """Atomically the next value (1, 2, 3, ...): an ADD update, never a read-modify-write."""
    seq = CustomerNumberSequence("SEQ#CUSTOMER_NO", "SEQ")
    seq.update(
        actions=[
            CustomerNumberSequence.value.add(1),
            CustomerNumberSequence.type.set(CustomerNumberSequence),
        ]
    )
    return int(seq.value)
