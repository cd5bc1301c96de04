"""The monthly invoicing run's own records: page markers of the fan-out, the run's counts
and its reconciliation, and the wire form of items handed from one stage to the next.

``RUN#INV#<period>``:

- ``RUN``: InvoicingRun, the counts of the run (contracts read, due, queued pages) and of
  its last reconciliation (contracts checked, contracts due without an invoice, a sample of
  them for the administrator);
- ``PAGE#<stage>#<run id>#<page no>``: RunPage, the marker of one page of the fan-out or of
  the reconciliation, written before the counts it adds, so a redelivered
  page message adds nothing twice (TTL 90 days).

The stages of the pipeline hand items to each other through SQS in their DynamoDB JSON form
(``to_wire``/``from_wire``): a priced draft to the numbering stage, an issued invoice with
its delivery to the publishing workers; nothing is read back that the sender already had.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import size

from chalicelib.domain import clock
from chalicelib.store.base import Item, save_new
from chalicelib.store.customers import customer_pk
from chalicelib.store.invoices import BillingMark, mark_sk

RUN_SK = "RUN"
MISSING_SAMPLE = 100  # contract numbers kept on the run record for the administrator
PAGE_TTL = timedelta(days=90)


def run_pk(period: str) -> str:
    return f"RUN#INV#{period}"


def page_sk(stage: str, run_id: str, page_no: int) -> str:
    return f"PAGE#{stage}#{run_id}#{page_no:06d}"


class InvoicingRun(Item, discriminator="InvoicingRun"):
    """Przebieg fakturowania of one billing period: what the fan-out found and what the
    reconciliation found missing."""

    period = UnicodeAttribute()
    run_id = UnicodeAttribute(null=True)  # the latest fan-out of the period
    pages = NumberAttribute(default=0)
    contracts = NumberAttribute(default=0)  # read from the contract index
    due = NumberAttribute(default=0)  # in force in the period: one message each
    started_at = UnicodeAttribute(null=True)
    reconcile_id = UnicodeAttribute(null=True)
    reconcile_started_at = UnicodeAttribute(null=True)
    checked = NumberAttribute(default=0)
    missing = NumberAttribute(default=0)
    missing_sample = ListAttribute(of=UnicodeAttribute, default=list)  # customer/contract
    reconciled_at = UnicodeAttribute(null=True)  # the last page of the check was counted


class RunPage(Item, discriminator="InvoicingRunPage"):
    """One page of a stage counted (its marker)."""

    stage = UnicodeAttribute()
    page_no = NumberAttribute()


def run_record(period: str) -> InvoicingRun | None:
    try:
        item = Item.get(run_pk(period), RUN_SK, consistent_read=True)
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, InvoicingRun) else None


def _counted(stage: str, period: str, run_id: str, page_no: int, actions: Sequence[Any]) -> bool:
    """Mark a page counted, then apply ``actions`` to the run record; False (nothing
    changed) when the page was counted before (a redelivered message). Not one
    transaction: the counts are for people (a crash between the two writes undercounts
    one page); the reconciliation's verdict comes from the billing marks themselves."""
    marker = RunPage(
        run_pk(period),
        page_sk(stage, run_id, page_no),
        stage=stage,
        page_no=page_no,
        expires_at=clock.now() + PAGE_TTL,
    )
    if not save_new(marker):
        return False
    InvoicingRun(run_pk(period), RUN_SK).update(actions=list(actions))
    return True


def page_counted(stage: str, period: str, run_id: str, page_no: int) -> bool:
    """Was this page of the stage's run counted already (its work done)?"""
    try:
        Item.get(run_pk(period), page_sk(stage, run_id, page_no))
    except Item.DoesNotExist:
        return False
    return True


def start_run(period: str, run_id: str, contracts: int, due: int) -> None:
    """A new fan-out of the period (the monthly run, or a rerun) with the counts of its
    first page (queued by the scheduled invocation itself, under a new run id)."""
    InvoicingRun(run_pk(period), RUN_SK).update(
        actions=[
            InvoicingRun.type.set(InvoicingRun),  # type: ignore[arg-type]
            InvoicingRun.period.set(period),
            InvoicingRun.run_id.set(run_id),
            InvoicingRun.started_at.set(clock.now_iso()),
            InvoicingRun.pages.set(1),
            InvoicingRun.contracts.set(contracts),
            InvoicingRun.due.set(due),
        ]
    )


def count_fan_out_page(period: str, run_id: str, page_no: int, contracts: int, due: int) -> bool:
    """The fan-out queued one page: add its counts to the run (once per page)."""
    actions: list[Any] = [
        InvoicingRun.pages.add(1),
        InvoicingRun.contracts.add(contracts),
        InvoicingRun.due.add(due),
    ]
    return _counted("fan", period, run_id, page_no, actions)


def start_reconcile(period: str, reconcile_id: str) -> None:
    """A new reconciliation of the period: its counts start from zero."""
    InvoicingRun(run_pk(period), RUN_SK).update(
        actions=[
            InvoicingRun.type.set(InvoicingRun),  # type: ignore[arg-type]
            InvoicingRun.period.set(period),
            InvoicingRun.reconcile_id.set(reconcile_id),
            InvoicingRun.reconcile_started_at.set(clock.now_iso()),
            InvoicingRun.checked.set(0),
            InvoicingRun.missing.set(0),
            InvoicingRun.missing_sample.set([]),
            InvoicingRun.reconciled_at.remove(),
        ]
    )


def count_reconcile_page(
    period: str, reconcile_id: str, page_no: int, checked: int, missing: Sequence[str], last: bool
) -> bool:
    """Add one checked page to the reconciliation ``reconcile_id`` (once per page); on the
    last page the check is complete (``reconciled_at``)."""
    actions: list[Any] = [
        InvoicingRun.checked.add(checked),
        InvoicingRun.missing.add(len(missing)),
    ]
    if last:
        actions.append(InvoicingRun.reconciled_at.set(clock.now_iso()))
    if not _counted("rec", period, reconcile_id, page_no, actions):
        return False
    if missing:
        _sample(period, reconcile_id, list(missing))
    return True


def _sample(period: str, reconcile_id: str, missing: list[str]) -> None:
    """Keep the first missing contracts on the record (bounded: an item stays small)."""
    try:
        InvoicingRun(run_pk(period), RUN_SK).update(
            actions=[InvoicingRun.missing_sample.set(InvoicingRun.missing_sample.append(missing))],
            condition=(InvoicingRun.reconcile_id == reconcile_id)
            & (size(InvoicingRun.missing_sample) < MISSING_SAMPLE),
        )
    except UpdateError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise


def invoiced_contracts(pairs: Iterable[tuple[str, str]], period: str) -> set[str]:
    """Which of the (customer no, contract no) pairs have the period's billing mark
    (BatchGetItem, 100 keys a request)."""
    keys = [(customer_pk(c), mark_sk(k, period)) for c, k in pairs]
    return {m.contract_no for m in BillingMark.batch_get(keys) if isinstance(m, BillingMark)}


def retake_claim(delivery: Any, token: str, new_token: str, at: str) -> bool:
    """The publishing worker takes over the delivery claim written by the issuing
    transaction (``token``); False when it was taken or sent since (a redelivered
    message). Not a send attempt: ``attempts`` is counted by the send."""
    from chalicelib.store.invoices import InvoiceDelivery

    try:
        delivery.update(
            actions=[
                InvoiceDelivery.token.set(new_token),
                InvoiceDelivery.claimed_at.set(at),
            ],
            condition=(InvoiceDelivery.status == "sending") & (InvoiceDelivery.token == token),
        )
    except UpdateError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


# --- wire form ---------------------------------------------------------------------------


def to_wire(item: Item) -> dict[str, Any]:
    """An item as JSON (DynamoDB's attribute-value form), to hand to the next stage."""
    return item.serialize()


def from_wire(data: Mapping[str, Any]) -> Item:
    """The item back (its class from the ``type`` discriminator)."""
    return Item.from_raw_data(dict(data))
