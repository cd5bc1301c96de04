"""Bank statements: S3 (statements bucket) → SQS → this handler imports the camt.053 file.

``chalice package`` refuses ``on_s3_event``, so the bucket notifies the statements queue.
Chalice's SQS handler cannot report partial batch failures; the import is idempotent by the
bank's entry reference, so a redelivered message changes nothing.
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


@blueprint.on_sqs_message(queue=settings().statements_queue, batch_size=1, name="statements_import")
def statements_import(event: Any) -> None:
    for record in event:
        for result in statements.handle_queue_message(record.body):
            logger.info("statement file imported", extra=result)
