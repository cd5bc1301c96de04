"""Outage notices: release held notices, fan out to subscribers, send each SMS or e-mail.

Thin handlers; the rules live in ``services.outages`` and ``services.notifier``. Chalice's
SQS handler cannot report partial batch failures: an exception redelivers the whole batch,
and the services are idempotent by (outage, event, recipient).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Rate

from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.lazy import lazy_module
from chalicelib.observability import logger

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import notifier, outages
else:
    notifier = lazy_module("chalicelib.services.notifier")
    outages = lazy_module("chalicelib.services.outages")

blueprint = Blueprint(__name__)


@blueprint.schedule(Rate(5, unit=Rate.MINUTES), name="outages_release_notices")
def outages_release_notices(event: Any) -> dict[str, Any]:
    """Every 5 minutes: queue the notices whose time has come (planned outages announced
    at night go at 07:00 Warsaw time). ``detail.now`` (ISO) overrides the clock locally."""
    detail = event.to_dict().get("detail", {}) or {}
    now = clock.parse_iso(detail["now"]) if detail.get("now") else clock.now()
    return {"released": outages.release_due_notices(now)}


@blueprint.on_sqs_message(queue=settings().notifier_queue, batch_size=1, name="outages_notify")
def outages_notify(event: Any) -> None:
    """One page of recipients per message; the service queues the next page."""
    for record in event:
        body = json.loads(record.body)
        at = notifier.Cursor(int(body.get("street") or 0), body.get("cursor"))
        notifier.fan_out(str(body["outage_id"]), str(body["event_id"]), at)


@blueprint.on_sqs_message(queue=settings().sms_queue, batch_size=10, name="outages_send_sms")
def outages_send_sms(event: Any) -> None:
    """Every record is tried even when one fails; then the failure redelivers the batch,
    whose delivered records are skipped as duplicates."""
    results: dict[str, int] = {}
    failed = 0
    for record in event:
        try:
            outcome = notifier.deliver(json.loads(record.body))
        except Exception:
            logger.exception("alert not delivered; the batch will be retried")
            failed += 1
            continue
        results[outcome] = results.get(outcome, 0) + 1
    logger.info("alert batch delivered", extra={**results, "failed": failed})
    if failed:
        raise RuntimeError(f"{failed} alert(s) not delivered")
