"""Consents history (append-only) and its head.

Keys, in the customer's collection (history keys are letters: never read by the overview):
- ``CUST#<no> / CONSENTLOG#<at>#<id>``: ConsentRecord, one change (kind, granted, who, role,
  channel, clause version); never updated or deleted;
- ``CUST#<no> / CONSENTS``: ConsentHead, the history's version: every change is one
  transaction of the head (``version`` condition: two windows cannot interleave), the record
  and, for the e-invoice consent, the profile's ``einvoice_consent`` flag that billing reads.

The invoices page's e-invoice switch used to write its own ``CONSENT#<at>#<id>``
ConsentChange items (it records through this history now); ``einvoice_legacy`` still reads
those already stored, so the history shows every switch ever made.
"""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError

from chalicelib.domain.consents import Change
from chalicelib.store.base import Item, transaction
from chalicelib.store.customers import PROFILE_SK, Customer, customer_pk
from chalicelib.store.invoices import ConsentChange

HISTORY_LIMIT = 200  # changes shown (a customer changes a consent a few times a year)


def record_sk(at: str, change_id: str) -> str:
    return f"CONSENTLOG#{at}#{change_id}"


def head_sk() -> str:
    return "CONSENTS"


class ConsentRecord(Item, discriminator="ConsentRecord"):
    customer_no = UnicodeAttribute()
    kind = UnicodeAttribute()
    granted = BooleanAttribute()
    at = UnicodeAttribute()
    by = UnicodeAttribute()
    by_role = UnicodeAttribute()
    channel = UnicodeAttribute()
    clause_version = UnicodeAttribute(null=True)
    change_id = UnicodeAttribute()

    def change(self) -> Change:
        return Change(
            kind=self.kind,
            granted=bool(self.granted),
            at=self.at,
            by=self.by,
            by_role=self.by_role,
            channel=self.channel,
            clause_version=self.clause_version,
            change_id=self.change_id,
        )


class ConsentHead(Item, discriminator="ConsentHead"):
    customer_no = UnicodeAttribute()
    version = NumberAttribute(default=0)
    updated_at = UnicodeAttribute()


class StaleVersion(Exception):
    """The history changed since it was read (another window, another staff member)."""


def version_of(customer_no: str) -> int:
    try:
        return int(ConsentHead.get(customer_pk(customer_no), head_sk()).version)
    except ConsentHead.DoesNotExist:
        return 0


def history(customer_no: str, limit: int = HISTORY_LIMIT) -> list[Change]:
    """The customer's changes, newest first (one Query)."""
    return [
        r.change()
        for r in ConsentRecord.query(
            customer_pk(customer_no),
            Item.SK.startswith("CONSENTLOG#"),
            scan_index_forward=False,
            limit=limit,
        )
    ]


def einvoice_legacy(customer_no: str, limit: int = 50) -> list[Change]:
    """E-invoice switches made through the invoices page (no channel or clause recorded)."""
    return [
        Change(
            kind="einvoice",
            granted=bool(c.consent),
            at=c.at,
            by=c.by,
            by_role="",
            channel="unknown",
            clause_version=None,
            change_id=c.SK.rsplit("#", 1)[-1],
        )
        for c in ConsentChange.query(
            customer_pk(customer_no),
            Item.SK.startswith("CONSENT#"),
            scan_index_forward=False,
            limit=limit,
        )
    ]


def record(customer_no: str, change: Change, version: int, *, set_profile: bool) -> int:
    """Append ``change`` if the history is still at ``version``; ``set_profile`` also sets
    the profile's e-invoice flag in the same transaction. Returns the new version."""
    pk = customer_pk(customer_no)
    head = ConsentHead(pk, head_sk(), customer_no=customer_no, version=version + 1)
    head.updated_at = change.at
    item = ConsentRecord(
        pk,
        record_sk(change.at, change.change_id),
        customer_no=customer_no,
        kind=change.kind,
        granted=change.granted,
        at=change.at,
        by=change.by,
        by_role=change.by_role,
        channel=change.channel,
        clause_version=change.clause_version,
        change_id=change.change_id,
    )
    condition = Item.PK.does_not_exist() if version == 0 else ConsentHead.version == version
    try:
        with transaction() as tx:
            tx.save(head, condition=condition)
            tx.save(item, condition=Item.PK.does_not_exist())
            if set_profile:
                tx.update(
                    Customer(pk, PROFILE_SK),
                    actions=[
                        Customer.einvoice_consent.set(change.granted),
                        Customer.einvoice_consent_at.set(change.at),
                    ],
                    condition=Item.PK.exists(),
                )
    except TransactWriteError as exc:
        reasons = exc.cancellation_reasons or []
        if any(r is not None and r.code == "ConditionalCheckFailed" for r in reasons):
            raise StaleVersion() from exc
        raise
    return version + 1
