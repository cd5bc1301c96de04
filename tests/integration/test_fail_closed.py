"""Fail closed: a missing or unknown stage refuses to start, and outside ``local`` the
local-only routes (sandbox payment operator, outbox) are neither served nor documented and
no secret has a committed default. Each case is a fresh process, as a Lambda cold start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, app
from chalicelib.api._http import OPERATIONS
from chalicelib.config import settings
print(json.dumps({
    "routes": sorted(app.app.routes),
    "documented": sorted({op.path for op in OPERATIONS}),
    "secret": settings().payment_hmac_secret,
}))
"""


def _start(stage: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "STAGE"}
    if stage is not None:
        env["STAGE"] = stage
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("stage", [None, "", "production", "LOCAL"])
def test_a_missing_or_unknown_stage_refuses_to_start(stage: str | None) -> None:
    result = _start(stage)
    assert result.returncode != 0
    assert "ConfigurationError" in result.stderr and "STAGE must be one of" in result.stderr


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_local_only_routes_and_secrets_exist_only_in_local(stage: str) -> None:
    result = _start(stage)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    for path in ("/sandbox/pay/{payment_id}", "/dev/outbox"):
        assert path not in seen["routes"] and path not in seen["documented"]
    assert "/payments/notifications" in seen["routes"]
    assert seen["secret"] == ""


def test_the_local_stage_has_them() -> None:
    result = _start("local")
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert "/sandbox/pay/{payment_id}" in seen["routes"] and "/dev/outbox" in seen["routes"]
    assert seen["secret"]
