"""Powertools singletons: one logger, one metrics namespace, a lazily built tracer.

The service name differs from the Chalice app name on purpose: equal names make Chalice's
own logger and Powertools print every line twice.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics

SERVICE = "ebok-api"

# Personal data must never reach a log line: PESEL/NIP/REGON-like digit runs, phone numbers
# and e-mail addresses are masked in every message and extra field.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_DIGITS = re.compile(r"(?<![\w-])\+?\d(?:[ ]?\d){8,}(?![\w-])")
_SAFE_KEYS = frozenset({"timestamp", "level", "location", "service", "xray_trace_id"})


def redact(value: Any) -> Any:
    if isinstance(value, str):
        return _DIGITS.sub("[redacted]", _EMAIL.sub("[email]", value))
    if isinstance(value, dict):
        return {k: v if k in _SAFE_KEYS else redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


def _serialize(obj: dict[str, Any]) -> str:
    import json

    return json.dumps(redact(obj), default=str, ensure_ascii=False)


logger = Logger(service=SERVICE, json_serializer=_serialize)
metrics = Metrics(namespace="eBOK", service=SERVICE)


@lru_cache(maxsize=1)
def tracer() -> Any:
    """The X-Ray tracer costs ~190 ms at import; built only when first asked for."""
    from aws_lambda_powertools import Tracer

    return Tracer(service=SERVICE)
