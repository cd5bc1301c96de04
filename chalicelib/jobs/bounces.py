"""SES feedback: bounce and complaint notifications (SES configuration set → SNS topic →
bounces queue) suppress or count the address (services.preferences.handle_feedback).
Each record alone (``jobs._sqs``); idempotent by SES's feedback id."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.config import settings
from chalicelib.jobs._sqs import each_record
from chalicelib.lazy import lazy_module

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import preferences
else:
    preferences = lazy_module("chalicelib.services.preferences")

blueprint = Blueprint(__name__)


@blueprint.on_sqs_message(
    queue=settings().bounces_queue, batch_size=10, name="ses_feedback", maximum_concurrency=2
)
def ses_feedback(event: Any) -> dict[str, Any]:
    return each_record(
        event, preferences.handle_feedback, queue=settings().bounces_queue, parse=str
    ).response()
