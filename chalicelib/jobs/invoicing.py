"""Monthly invoicing and invoice delivery.

- ``invoicing_run`` (1st of the month, 03:00 UTC): starts the run of the billing period
  (``detail.period`` = YYYY-MM, default the previous month in Europe/Warsaw): one page of
  the contract index becomes one message per contract due, and the message of the next
  page (with the index cursor) continues it. Locally: ``python -m devstack job
  invoicing_run --period 2026-11`` then drain ``invoicing``, ``invoicing-numbering.fifo``
  and ``invoicing`` again.
- ``invoicing_worker`` (invoicing queue): fan-out pages; prices each contract into a draft
  for the numbering stage; publishes issued invoices (PDF, e-mail to customers with
  e-invoice consent); reconciliation pages.
- ``invoice_numbering`` (FIFO queue, a group per series): numbers and issues drafts, one
  transaction each, in the series' order.
- ``invoicing_reconcile`` (1st and 2nd of the month, 10:00 UTC): every contract due must
  have its invoice; the difference is logged, counted (metric ``InvoicesMissing``) and kept
  on the run record.
- ``invoice_delivery`` (delivery queue): retries e-mails that failed or were throttled
  (a throttled one comes back with a delay); after ``maxReceiveCount`` SQS parks the
  failing message, alone, in the dead-letter queue.
- ``invoice_print_batch`` (daily, 05:00 UTC): the paper invoices not printed yet → one CSV
  file for the print house in the invoices bucket (``detail.date`` overrides the day).

Each record has its own fate (a partial batch response, ``jobs._sqs``): a poison message is
redelivered alone and parked alone in the DLQ, the good ones of its batch are acknowledged
once; every message is idempotent all the same (contract + period; a delivery claim), for
the worker killed mid-batch.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from chalice import Blueprint, Cron

from chalicelib.config import settings
from chalicelib.jobs._sqs import each_record, failed_from
from chalicelib.observability import logger

blueprint = Blueprint(__name__)


def _detail(event: Any) -> dict[str, Any]:
    return dict(event.to_dict().get("detail", {}) or {})


@blueprint.schedule(Cron(0, 3, 1, "*", "?", "*"), name="invoicing_run")
def invoicing_run(event: Any) -> dict[str, Any]:
    from chalicelib.services import invoicing

    return invoicing.fan_out(_detail(event).get("period"))


@blueprint.on_sqs_message(queue=settings().invoicing_queue, batch_size=10, name="invoicing_worker")
def invoicing_worker(event: Any) -> dict[str, Any]:
    from chalicelib.services import invoicing

    records = list(event)
    # The month's use and cost were written in each invoice's own transaction.
    with invoicing.worker_batch(_bodies(records)) as batch:
        outcome = each_record(records, batch.handle, queue=settings().invoicing_queue)
    logger.info("invoicing batch done", extra=outcome.as_dict())
    return outcome.response()


def _bodies(records: list[Any]) -> list[Any]:
    """The batch's bodies as far as they parse (for the batch's shared reads); a body that
    does not parse fails as its own record."""
    bodies = []
    for record in records:
        try:
            bodies.append(json.loads(record.body))
        except ValueError:
            continue
    return bodies


# The numbering stage's FIFO queue (services.invoicing.numbering_queue): one message group
# per invoice series, so one consumer at a time takes a series' numbers, in order.
NUMBERING_QUEUE = f"{settings().invoicing_queue}-numbering.fifo"


@blueprint.on_sqs_message(queue=NUMBERING_QUEUE, batch_size=10, name="invoice_numbering")
def invoice_numbering(event: Any) -> dict[str, Any]:
    """Number and issue priced drafts in their series' order. A draft that cannot be
    committed now is not acknowledged: the messages before it are acknowledged, it and the
    rest of the batch come back in order (FIFO; ``jobs._sqs.failed_from``), never skipped.
    Not ``each_record``: the batch's counters are read together and a failure stops it."""
    from chalicelib.services import invoicing

    records = list(event)
    bodies = []
    for record in records:
        try:
            bodies.append(json.loads(record.body))
        except ValueError:
            bodies.append({})  # fails in order below and goes to the DLQ after its receives
    result = invoicing.number(bodies)
    logger.info("numbering batch done", extra={"done": result.done, "of": len(records)})
    if result.error is not None:
        logger.warning("a draft could not be numbered now; retried", extra={"at": result.done})
        return failed_from(records, result.done)
    return failed_from(records, len(records))


@blueprint.schedule(Cron(0, 10, "1-2", "*", "?", "*"), name="invoicing_reconcile")
def invoicing_reconcile(event: Any) -> dict[str, Any]:
    """Contracts due against invoices issued, after the run (and on demand: ``python -m
    devstack job invoicing_reconcile --period 2026-11``)."""
    from chalicelib.services import invoicing

    return invoicing.reconcile(_detail(event).get("period"))


@blueprint.on_sqs_message(queue=settings().delivery_queue, batch_size=5, name="invoice_delivery")
def invoice_delivery(event: Any) -> dict[str, Any]:
    """Each e-mail on its own (``jobs._sqs.each_record``): a throttled send comes back with a
    delay, a poison message alone is redelivered and parked in the DLQ, the others of its
    batch are sent once and acknowledged."""
    from chalicelib.services import delivery

    outcome = each_record(event, delivery.deliver, queue=settings().delivery_queue)
    logger.info("delivery batch done", extra=outcome.as_dict())
    return outcome.response()


@blueprint.schedule(Cron(0, 5, "*", "*", "?", "*"), name="invoice_print_batch")
def invoice_print_batch(event: Any) -> dict[str, Any]:
    from chalicelib.services import delivery

    day = _detail(event).get("date")
    return delivery.print_batch(date.fromisoformat(day) if day else None)
