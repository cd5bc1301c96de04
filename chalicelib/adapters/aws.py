"""AWS clients, built once per container from ONE botocore session (and dropped by tests
between mock sessions).

The clients are botocore's own (what ``boto3.client`` returns, without boto3): boto3 adds
resources and S3's managed transfers, which eBOK does not use, and importing it (it imports
s3transfer) costs ~140 ms of CPU at a cold start. Everything called here (operations,
paginators, presigned URLs and POSTs) is botocore's.

A botocore session loads the shared data (endpoints, partitions, defaults, retry rules) once
and caches every service model it reads: a client from a new session costs ~60-110 ms at a
cold start, one more from the same session ~15-30 ms. The DynamoDB client of PynamoDB
(``chalicelib.store.base``) is made from this session too.

The session's endpoint resolver reads the bundled ``chalicelib/data/aws/endpoints.json``
(botocore's data for the services eBOK calls, ``devstack/aws_endpoints.py``) instead of
botocore's whole file: 44 KB parsed instead of 1.2 MB at the first client.
"""

from __future__ import annotations

import json
import os
import threading
from functools import cache
from pathlib import Path
from typing import Any

from chalicelib.config import settings

# botocore sessions are not thread-safe while they create clients (chalice local serves on
# threads); made clients are.
_LOCK = threading.RLock()


ENDPOINTS = Path(__file__).resolve().parent.parent / "data" / "aws" / "endpoints.json"


@cache
def _botocore() -> Any:
    import botocore.session

    session = botocore.session.get_session()
    if not os.environ.get("AWS_DATA_PATH"):  # someone's own models and endpoints win
        session._internal_components.lazy_register_component(
            "endpoint_resolver", _bundled_endpoint_resolver
        )
    return session


def _bundled_endpoint_resolver() -> Any:
    """botocore's resolver on the bundled data. ``uses_builtin_data``: the data IS botocore's
    (a subset, kept equal by tests/unit/test_aws_endpoints.py), so clients resolve exactly
    as with the built-in file (a custom file would make botocore pass the legacy URL to the
    endpoint rules as a custom endpoint)."""
    from botocore.regions import EndpointResolver

    return EndpointResolver(json.loads(ENDPOINTS.read_bytes()), uses_builtin_data=True)


def botocore_session() -> Any:
    """The process's botocore session, for PynamoDB's connection (which needs no boto3)."""
    with _LOCK:
        return _botocore()


@cache
def client(service: str) -> Any:
    with _LOCK:
        return _botocore().create_client(service, region_name=settings().region)


def create_with_session(make: Any) -> Any:
    """``make()`` (a client creation on ``botocore_session()``) under the session's lock."""
    with _LOCK:
        return make()


def reset_clients() -> None:
    client.cache_clear()
    _botocore.cache_clear()


def service_errors() -> tuple[type[Exception], ...]:
    """The exceptions an AWS call raises when the service refuses or cannot be reached
    (throttling, a refused message, a network error), for callers outside the adapters."""
    from botocore.exceptions import BotoCoreError, ClientError

    return (ClientError, BotoCoreError)
