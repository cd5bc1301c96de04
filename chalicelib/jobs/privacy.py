""" "Moje dane" exports (privacy queue): one ZIP per message (services.privacy.build_export),
each record alone (``jobs._sqs``); idempotent by the request."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.config import settings
from chalicelib.jobs._sqs import each_record
from chalicelib.lazy import lazy_module

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import privacy
else:
    privacy = lazy_module("chalicelib.services.privacy")

blueprint = Blueprint(__name__)


@blueprint.on_sqs_message(
    queue=settings().privacy_queue, batch_size=1, name="privacy_export", maximum_concurrency=2
)
def privacy_export(event: Any) -> dict[str, Any]:
    return each_record(event, privacy.build_export, queue=settings().privacy_queue).response()
