"""Outage notices: release held notices, fan out to subscribers, send each SMS or e-mail.

Thin handlers; the rules live in ``services.outages`` and ``services.notifier``. Each record
on its own (``jobs._sqs.each_record``: a partial batch response redelivers only the failed
ones), and the services are idempotent by (outage, event, recipient).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Rate

from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.jobs._sqs import each_record
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


# Maximum concurrency of the event sources (AWS's minimum is 2). The SMS sender's share of
# the account's SMS rate is SMS_SEND_RATE / SMS_SENDERS: keep SMS_SENDERS equal to it.
NOTIFY_CONCURRENCY = 2
SMS_CONCURRENCY = 5


def _fan_out_page(body: dict[str, Any]) -> str:
    at = notifier.Cursor(
        int(body.get("street") or 0),
        body.get("cursor"),
        int(body.get("building") or 0),
        int(body.get("phase") or 0),
    )
    queued, following = notifier.fan_out(str(body["outage_id"]), str(body["event_id"]), at)
    return "continued" if following is not None else "last_page"


@blueprint.on_sqs_message(
    queue=settings().notifier_queue,
    batch_size=1,
    name="outages_notify",
    maximum_concurrency=NOTIFY_CONCURRENCY,
)
def outages_notify(event: Any) -> dict[str, Any]:
    """One page of recipients per message; the service queues the next page."""
    return each_record(event, _fan_out_page, queue=settings().notifier_queue).response()


@blueprint.on_sqs_message(
    queue=settings().sms_queue,
    batch_size=10,
    name="outages_send_sms",
    maximum_concurrency=SMS_CONCURRENCY,
)
def outages_send_sms(event: Any) -> dict[str, Any]:
    """Each record on its own: a throttled send goes back to the queue with a delay, a
    failing one alone is redelivered (and in the end parked in the DLQ), the others are
    acknowledged once (``jobs._sqs.each_record``)."""
    outcome = each_record(event, notifier.deliver, queue=settings().sms_queue)
    logger.info("alert batch delivered", extra=outcome.as_dict())
    return outcome.response()
