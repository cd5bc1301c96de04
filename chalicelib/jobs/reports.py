"""Consumption reports stored in S3 (services.report_job).

- ``reports_run`` (1 January and 1 May, 04:00 UTC): May → the heating season just ended,
  January → last year's electricity; on demand ``python -m devstack job reports_run
  --season 2025/2026`` (``detail.season``) or ``--set year=2025`` (``detail.year``).
- ``reports_worker`` (reports queue): fan-out pages and one report per message, each record
  on its own (``jobs._sqs``); idempotent by customer, contract, kind and period.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Cron

from chalicelib.config import settings
from chalicelib.jobs._sqs import each_record
from chalicelib.lazy import lazy_module
from chalicelib.observability import logger

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import report_job
else:
    report_job = lazy_module("chalicelib.services.report_job")

blueprint = Blueprint(__name__)

# Reports rendered at once: each sends one e-mail, so SES_SENDERS counts these.
WORKER_CONCURRENCY = 4


@blueprint.schedule(Cron(0, 4, 1, "1,5", "?", "*"), name="reports_run")
def reports_run(event: Any) -> dict[str, Any]:
    detail = dict(event.to_dict().get("detail", {}) or {})
    return report_job.start(detail)


@blueprint.on_sqs_message(
    queue=settings().reports_queue,
    batch_size=5,
    name="reports_worker",
    maximum_concurrency=WORKER_CONCURRENCY,
)
def reports_worker(event: Any) -> dict[str, Any]:
    outcome = each_record(event, report_job.handle, queue=settings().reports_queue)
    logger.info("reports batch", extra=outcome.as_dict())
    return outcome.response()
