"""A bounded schemathesis run over every operation of the served OpenAPI document: valid and
invalid examples (property-based, derandomised so CI repeats the same run), sent through
``chalice.test.Client`` under moto, must never end in a server error, and every refusal
must be a problem document.

Bounded: ``EXAMPLES`` valid and ``EXAMPLES`` invalid cases per operation (about 30 s here).
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

schemathesis = pytest.importorskip("schemathesis")

EXAMPLES = int(os.environ.get("EBOK_FUZZ_EXAMPLES", "5"))
# Operations that end the caller's own session are sent without a token (they answer 401):
# otherwise the first example would log the fuzzing administrator out of every later one.
NO_TOKEN = {"/auth/logout", "/auth/change-password", "/auth/mfa/disable", "/auth/mfa/setup"}


def _send(client: Any, case: Any, token: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    kwargs = case.as_transport_kwargs(base_url="http://ebok.test")
    parts = urlsplit(kwargs["url"])
    path = parts.path or "/"
    params = kwargs.get("params") or {}
    if params:
        path += "?" + urlencode(params, doseq=True)
    headers = {str(k): str(v) for k, v in (kwargs.get("headers") or {}).items()}
    headers.pop("Authorization", None)
    if case.operation.path not in NO_TOKEN:
        headers.update(token)
    body: bytes | str = b""
    if "json" in kwargs:
        body = json.dumps(kwargs["json"])
        headers.setdefault("Content-Type", "application/json")
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        body = data if isinstance(data, (bytes, str)) else json.dumps(data)
    resp = client.http.request(case.method.upper(), path, headers=headers, body=body)
    return resp.status_code, dict(resp.headers), resp.body


def test_no_server_error_anywhere_in_the_openapi(aws, world, login_as) -> None:
    from chalice.test import Client
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode

    import app
    from chalicelib.api.openapi import document

    token = login_as("admin")
    client = Client(app.app, stage_name="local")
    schema = schemathesis.openapi.from_dict(document())
    failures: list[str] = []
    statuses: dict[int, int] = {}
    operations = 0
    label = ""
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                strategy = operation.as_strategy(generation_mode=mode)
            except Exception:  # an operation with nothing invalid to generate
                continue

            label = mode.value

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def run(case: Any) -> None:
                status, headers, body = _send(client, case, token)
                statuses[status] = statuses.get(status, 0) + 1
                where = f"{case.method.upper()} {case.formatted_path} ({label})"  # noqa: B023
                if status >= 500 and status != 503:
                    failures.append(f"{where}: {status} {body[:200]!r}")
                elif status >= 400 and "Content-Type" in headers:
                    ctype = headers["Content-Type"]
                    if not ctype.startswith("application/problem+json") and status not in (
                        401,
                        403,
                    ):
                        failures.append(f"{where}: {status} is {ctype}, not a problem")

            try:
                run()
            except Unsatisfiable:  # negative mode: nothing in this operation can be invalid
                continue
    print("fuzz: operations", operations, "answers by status", dict(sorted(statuses.items())))
    assert operations > 50
    assert sum(statuses.values()) >= operations * EXAMPLES  # every operation was exercised
    assert sum(n for s, n in statuses.items() if s < 300) > operations  # and not all refused
    assert not failures, "\n".join(sorted(set(failures))[:40])
