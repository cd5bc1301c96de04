"""Per-record handling of an SQS batch, for every queue handler.

Every SQS event source mapping reports partial batch failures (``FunctionResponseTypes:
[ReportBatchItemFailures]``: ``infra/chalice-extras.json`` for ``chalice package``,
``devstack.package_check.deploy`` for ``chalice deploy``, honoured by the local stack's
``python -m devstack drain``). A handler returns ``{"batchItemFailures": [...]}``: SQS
deletes the other records of the batch and redelivers only the ones listed.

``each_record`` gives each record its own fate:

- every record is handled once, in order, by ``handle(body)`` (the JSON body, parsed);
- a record whose handling ended in throttling (``adapters.pacing.throttling_of`` finds a
  ``Throttling`` error anywhere in the exception chain) is sent to its queue again as a new
  message with a growing ``DelaySeconds`` and counts as finished: the new message starts at
  receive count 1, so throttling does not walk a message toward the DLQ, until it has been
  deferred ``MAX_DEFERRALS`` times (hours of throttling): then it fails like any other;
- a record that fails otherwise (a poison message, a body that is not JSON) fails alone: it
  is listed in ``batchItemFailures``, SQS redelivers it after the visibility timeout and
  after ``maxReceiveCount`` receives the poison alone is in the DLQ; the good records of
  the same batch are deleted, never handled twice for its sake.

An exception that escapes the handler (a killed worker, a ``BaseException``) still fails
the whole batch: every record is redelivered, which is why ``handle`` must be idempotent by a
natural key.

Use (``jobs/<job>.py``)::

    @blueprint.on_sqs_message(queue=settings().x_queue, batch_size=10, name="x_worker",
                              maximum_concurrency=4)
    def x_worker(event):
        return each_record(event, service.handle_one, queue=settings().x_queue).response()
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chalicelib.observability import logger, metrics

DEFERRALS_ATTRIBUTE = "ebok-deferrals"
MAX_DELAY_S = 900  # SQS's longest DelaySeconds
# Deferrals before a throttled record counts as failed (the delay doubles up to 900 s: hours).
MAX_DEFERRALS = 16


@dataclass
class BatchOutcome:
    done: int = 0
    deferred: int = 0
    failed: int = 0
    results: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # message ids SQS is to redeliver

    def as_dict(self) -> dict[str, Any]:
        return {"done": self.done, "deferred": self.deferred, "failed": self.failed, **self.results}

    def response(self) -> dict[str, Any]:
        """The handler's answer to the event source (partial batch response)."""
        return partial_batch_response(self.failures)


def partial_batch_response(message_ids: Iterable[str]) -> dict[str, Any]:
    """``{"batchItemFailures": [{"itemIdentifier": id}, ...]}``: the records to redeliver
    (an empty list acknowledges the whole batch)."""
    return {"batchItemFailures": [{"itemIdentifier": m} for m in message_ids]}


def message_id(record: Any) -> str:
    return str(record.to_dict().get("messageId", ""))


def failed_from(records: Sequence[Any], first: int) -> dict[str, Any]:
    """An ordered (FIFO) batch that stopped at ``records[first]``: it and every later record
    are redelivered, in order (AWS's rule for FIFO queues), the earlier ones deleted."""
    return partial_batch_response(message_id(r) for r in records[first:])


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


def _defer(queue: str, record: Any, exc: BaseException, deferrals: int) -> int:
    from chalicelib.adapters import pacing, sqs

    delay = deferral_delay(deferrals, pacing.retry_after(exc))
    sqs.send_one(queue, record.body, delay, {DEFERRALS_ATTRIBUTE: str(deferrals + 1)})
    return delay


def _is_throttling(exc: BaseException) -> bool:
    from chalicelib.adapters import pacing

    return pacing.throttling_of(exc) is not None


def _failed(
    queue: str, record: Any, exc: Exception, outcome: BatchOutcome, max_deferrals: int
) -> None:
    """A record whose handling raised: deferred (throttling) or listed for redelivery."""
    mid = message_id(record)
    deferrals = _deferrals(record.to_dict())
    if _is_throttling(exc) and deferrals < max_deferrals:
        delay = _defer(queue, record, exc, deferrals)
        outcome.deferred += 1
        logger.info("throttled; message deferred", extra={"id": mid, "delay": delay})
        return
    outcome.failed += 1
    outcome.failures.append(mid)
    logger.exception("message failed; SQS will redeliver it alone", extra={"id": mid})


def each_record(
    event: Iterable[Any],
    handle: Callable[[Any], str | None],
    *,
    queue: str,
    parse: Callable[[str], Any] = json.loads,
    max_deferrals: int = MAX_DEFERRALS,
) -> BatchOutcome:
    """Handle every record of an SQS batch on its own (see the module's docstring).
    ``queue`` is the queue's name (the one the handler is subscribed to); the handler
    returns ``outcome.response()``."""
    outcome = BatchOutcome()
    for record in event:
        try:
            result = handle(parse(record.body))
        except Exception as exc:
            _failed(queue, record, exc, outcome, max_deferrals)
            continue
        outcome.done += 1
        key = str(result or "done")
        outcome.results[key] = outcome.results.get(key, 0) + 1
    if outcome.deferred:
        metrics.add_metric(name="MessagesDeferred", unit="Count", value=outcome.deferred)
    if outcome.failed:
        metrics.add_metric(name="MessagesFailed", unit="Count", value=outcome.failed)
    return outcome
