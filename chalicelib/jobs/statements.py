"""Bank statements: S3 (statements bucket) → SQS → this handler imports the camt.053 file,
and the same queue carries the pages of credits a statement is split into (fan-out).

``chalice package`` refuses ``on_s3_event``, so the bucket notifies the statements queue.
Each record on its own (``jobs._sqs.each_record``, a partial batch response); the import is
idempotent by the bank's entry reference, so a redelivered message changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.config import settings
from chalicelib.lazy import lazy_module
from chalicelib.observability import logger

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import statements
else:
    statements = lazy_module("chalicelib.services.statements")

blueprint = Blueprint(__name__)


def _handle(body: Any) -> None:
    for result in statements.handle_message(body):
        logger.info("statement message handled", extra=result)


@blueprint.on_sqs_message(queue=settings().statements_queue, batch_size=1, name="statements_import")
def statements_import(event: Any) -> dict[str, Any]:
    """S3 events (files to import) and pages of credits to book, each record on its own."""
    from chalicelib.jobs._sqs import each_record

    return each_record(event, _handle, queue=settings().statements_queue).response()
