"""Per-invocation observability: correlation id, cold-start flag, metrics flush."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.observability import logger, metrics


def observe(event: Any, get_response: Callable[[Any], Any]) -> Any:
    ctx = getattr(event, "context", None)
    request_id = None
    if isinstance(ctx, dict):
        request_id = ctx.get("requestId")
    headers = getattr(event, "headers", None)
    if headers is not None:
        request_id = headers.get("x-correlation-id") or request_id
    logger.set_correlation_id(request_id)
    try:
        return get_response(event)
    finally:
        if metrics.metric_set:
            metrics.flush_metrics()
