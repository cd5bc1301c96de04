"""KSeF submission (services.ksef).

- ``ksef_worker`` (ksef queue): ``submit`` and ``poll`` messages, each record on its own
  (``jobs._sqs``); idempotent by the invoice's submission item. KSeF unreachable: the
  record fails alone and SQS retries it, then parks it in the queue's DLQ.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.config import settings
from chalicelib.jobs._sqs import each_record
from chalicelib.lazy import lazy_module
from chalicelib.observability import logger

if TYPE_CHECKING:
    from chalicelib.services import ksef
else:
    ksef = lazy_module("chalicelib.services.ksef")

blueprint = Blueprint(__name__)

# KSeF's limits are per context (limity/limity-api.md): a few submitters at once.
WORKER_CONCURRENCY = 2


@blueprint.on_sqs_message(
    queue=settings().ksef_queue,
    batch_size=5,
    name="ksef_worker",
    maximum_concurrency=WORKER_CONCURRENCY,
)
def ksef_worker(event: Any) -> dict[str, Any]:
    outcome = each_record(event, ksef.handle, queue=settings().ksef_queue)
    logger.info("ksef batch", extra=outcome.as_dict())
    return outcome.response()
