"""Cognito: the signing keys (JWKS) and the user-pool calls the services need."""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

from chalicelib.adapters.aws import client

_JWKS_CACHE: dict[str, tuple[float, dict[str, Any]]] = {}
_JWKS_TTL_S = 3600


def jwks(url: str) -> dict[str, Any]:
    """The pool's public keys, cached per container for an hour. The URL may be https (AWS),
    http (moto server) or file (moto's bundled keys in in-process tests)."""
    cached = _JWKS_CACHE.get(url)
    if cached and time.monotonic() - cached[0] < _JWKS_TTL_S:
        return cached[1]
    with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - configured URL
        keys = json.loads(resp.read())
    _JWKS_CACHE[url] = (time.monotonic(), keys)
    return keys


def idp() -> Any:
    return client("cognito-idp")
