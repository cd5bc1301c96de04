"""Count AWS API calls made through botocore (tests and ``make bench``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore.client import BaseClient


@dataclass
class CallLog:
    calls: list[tuple[str, str]] = field(default_factory=list)

    def of(self, service: str) -> list[str]:
        return [op for svc, op in self.calls if svc == service]

    @property
    def names(self) -> list[str]:
        return [f"{svc}:{op}" for svc, op in self.calls]


@contextmanager
def count_calls() -> Iterator[CallLog]:
    """Record every (service, operation) made by any botocore client while active."""
    log = CallLog()
    original = BaseClient._make_api_call

    def recording(self: BaseClient, operation_name: str, api_params: Any) -> Any:
        log.calls.append((self.meta.service_model.service_name, operation_name))
        return original(self, operation_name, api_params)

    BaseClient._make_api_call = recording  # type: ignore[method-assign]
    try:
        yield log
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]
