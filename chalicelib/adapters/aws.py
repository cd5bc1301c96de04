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
