"""Monthly invoicing and invoice delivery.

- ``invoicing_run`` (1st of the month, 03:00 UTC): finds the contracts due for the billing
  period (``detail.period`` = YYYY-MM, default the previous month in Europe/Warsaw) and
  queues one message per contract. Locally: ``python -m devstack job invoicing_run
  --period 2026-11`` then ``python -m devstack drain invoicing``.
- ``invoicing_worker`` (invoicing queue): issues each contract's invoice, stores the PDF,
  e-mails it to customers with e-invoice consent.
- ``invoice_delivery`` (delivery queue): retries e-mails that failed or were throttled;
  after ``maxReceiveCount`` SQS parks the message in the dead-letter queue.
- ``invoice_print_batch`` (daily, 05:00 UTC): the paper invoices not printed yet → one CSV
  file for the print house in the invoices bucket (``detail.date`` overrides the day).

Chalice's SQS handlers cannot report partial batch failures: a failure redelivers the whole
batch, and every message is idempotent (contract + period; a delivery claim).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from chalice import Blueprint, Cron

from chalicelib.config import settings
from chalicelib.observability import logger

blueprint = Blueprint(__name__)


def _detail(event: Any) -> dict[str, Any]:
    return dict(event.to_dict().get("detail", {}) or {})


@blueprint.schedule(Cron(0, 3, 1, "*", "?", "*"), name="invoicing_run")
def invoicing_run(event: Any) -> dict[str, Any]:
    from chalicelib.services import invoicing

    return invoicing.fan_out(_detail(event).get("period"))


@blueprint.on_sqs_message(queue=settings().invoicing_queue, batch_size=10, name="invoicing_worker")
def invoicing_worker(event: Any) -> None:
    from chalicelib.services import invoicing

    bodies = []
    for record in event:
        try:
            bodies.append(json.loads(record.body))
        except ValueError:
            logger.error("invoicing message is not JSON; dropped")
    outcomes = invoicing.process(bodies)
    from chalicelib.services import consumption

    consumption.after_invoicing(bodies, [o.status for o in outcomes])  # monthly use and cost
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.status] = counts.get(o.status, 0) + 1
    logger.info("invoicing batch done", extra=counts)


@blueprint.on_sqs_message(queue=settings().delivery_queue, batch_size=5, name="invoice_delivery")
def invoice_delivery(event: Any) -> None:
    from chalicelib.services import delivery

    bodies = []
    for record in event:
        try:
            bodies.append(json.loads(record.body))
        except ValueError:
            logger.error("delivery message is not JSON; dropped")
    delivery.process(bodies)


@blueprint.schedule(Cron(0, 5, "*", "*", "?", "*"), name="invoice_print_batch")
def invoice_print_batch(event: Any) -> dict[str, Any]:
    from chalicelib.services import delivery

    day = _detail(event).get("date")
    return delivery.print_batch(date.fromisoformat(day) if day else None)
