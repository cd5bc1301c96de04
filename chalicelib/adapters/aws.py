"""boto3 clients, built once per container (and dropped by tests between mock sessions)."""

from __future__ import annotations

from functools import cache
from typing import Any

from chalicelib.config import settings


@cache
def client(service: str) -> Any:
    import boto3

    return boto3.session.Session().client(service, region_name=settings().region)


def reset_clients() -> None:
    client.cache_clear()


def service_errors() -> tuple[type[Exception], ...]:
    """The exceptions an AWS call raises when the service refuses or cannot be reached
    (throttling, a refused message, a network error), for callers outside the adapters."""
    from botocore.exceptions import BotoCoreError, ClientError

    return (ClientError, BotoCoreError)
