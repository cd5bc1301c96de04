"""Per-record handling of an SQS batch, for every queue handler.

Chalice's SQS event source cannot report partial batch failures (``ReportBatchItemFailures``):
a handler that raises makes SQS redeliver the whole batch. ``each_record`` gives each
record its own fate instead:

- every record is handled once, in order, by ``handle(body)`` (the JSON body, parsed);
- a record whose handling ended in throttling (``adapters.pacing.throttling_of`` finds a
  ``Throttling`` error anywhere in the exception chain) is sent to its queue again as a new
  message with a growing ``DelaySeconds`` and counts as finished: the new message starts at
  receive count 1, so throttling never walks a message toward the DLQ;
- a record that fails otherwise (a poison message) fails alone: the helper deletes the
  batch's finished records from the queue itself, then raises :class:`BatchFailed`, so SQS
  redelivers only the failed records, and after ``maxReceiveCount`` receives the poison
  alone is in the DLQ.

Use (``jobs/<job>.py``)::

    @blueprint.on_sqs_message(queue=settings().x_queue, batch_size=10, name="x_worker",
                              maximum_concurrency=4)
    def x_worker(event):
        each_record(event, service.handle_one, queue=settings().x_queue)

``handle`` must be idempotent by a natural key (a redelivery after a crash repeats it).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.observability import logger, metrics

DEFERRALS_ATTRIBUTE = "ebok-deferrals"
MAX_DELAY_S = 900  # SQS's longest DelaySeconds


class BatchFailed(RuntimeError):
    """Some records failed; the finished ones were deleted, SQS redelivers the rest."""


@dataclass
class BatchOutcome:
    done: int = 0
    deferred: int = 0
    failed: int = 0
    results: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"done": self.done, "deferred": self.deferred, "failed": self.failed, **self.results}


def deferral_delay(deferrals: int, retry_after_s: float) -> int:
    """Delay of the ``deferrals``-th re-send: at least what the sender asked, doubling with
    every deferral, with jitter so that deferred messages do not return together."""
    base = max(1.0, retry_after_s) * (2 ** min(deferrals, 10))
    return int(min(MAX_DELAY_S, base * random.uniform(1.0, 1.25)))


def _deferrals(raw: dict[str, Any]) -> int:
    attrs = raw.get("messageAttributes") or {}
    found = attrs.get(DEFERRALS_ATTRIBUTE) or {}
    value = found.get("stringValue") or found.get("StringValue") or "0"
    return int(value) if str(value).isdigit() else 0


def _defer(queue: str, record: Any, exc: BaseException) -> int:
    from chalicelib.adapters import pacing, sqs

    raw = record.to_dict()
    deferrals = _deferrals(raw)
    delay = deferral_delay(deferrals, pacing.retry_after(exc))
    sqs.send_one(queue, record.body, delay, {DEFERRALS_ATTRIBUTE: str(deferrals + 1)})
    return delay


def _is_throttling(exc: BaseException) -> bool:
    from chalicelib.adapters import pacing

    return pacing.throttling_of(exc) is not None


def each_record(
    event: Iterable[Any],
    handle: Callable[[Any], str | None],
    *,
    queue: str,
    parse: Callable[[str], Any] = json.loads,
) -> BatchOutcome:
    """Handle every record of an SQS batch on its own (see the module's docstring).
    ``queue`` is the queue's name (the one the handler is subscribed to)."""
    outcome = BatchOutcome()
    finished: list[str] = []
    for record in event:
        message_id = str(record.to_dict().get("messageId", ""))
        try:
            result = handle(parse(record.body))
        except Exception as exc:
            if _is_throttling(exc):
                delay = _defer(queue, record, exc)
                outcome.deferred += 1
                finished.append(record.receipt_handle)
                logger.info("throttled; message deferred", extra={"id": message_id, "delay": delay})
                continue
            outcome.failed += 1
            logger.exception("message failed; SQS will redeliver it", extra={"id": message_id})
            continue
        outcome.done += 1
        finished.append(record.receipt_handle)
        key = str(result or "done")
        outcome.results[key] = outcome.results.get(key, 0) + 1
    if outcome.deferred:
        metrics.add_metric(name="MessagesDeferred", unit="Count", value=outcome.deferred)
    if outcome.failed:
        from chalicelib.adapters import sqs

        # Acknowledge what is finished before failing the invocation: only the failed
        # records come back.
        if finished:
            sqs.delete_batch(queue, finished)
        metrics.add_metric(name="MessagesFailed", unit="Count", value=outcome.failed)
        raise BatchFailed(f"{outcome.failed} of {outcome.failed + outcome.done} failed")
    return outcome
