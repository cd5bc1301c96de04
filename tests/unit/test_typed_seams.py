"""Routes call services through seams mypy checks: a wrong call fails the type check.

The API module binds each area's service lazily (cold start), beside a ``TYPE_CHECKING``
import of the same module, so mypy sees the real functions. This test type-checks a copy of a
real route module as it is (clean) and with a mistyped service call (must fail).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROUTES = ROOT / "chalicelib" / "api" / "invoices.py"
CALL = "invoices.invoice_detail(ctx.require_principal(), customer_no, invoice_id)"


def _mypy(source: str, tmp_path: Path) -> tuple[int, str]:
    from mypy import api

    target = tmp_path / "routes_copy.py"
    target.write_text(source, encoding="utf-8")
    old = os.environ.get("MYPYPATH")
    os.environ["MYPYPATH"] = str(ROOT)
    try:
        out, err, status = api.run(
            [
                "--no-incremental",
                "--follow-imports=silent",
                "--ignore-missing-imports",
                "--check-untyped-defs",
                str(target),
            ]
        )
    finally:
        if old is None:
            os.environ.pop("MYPYPATH", None)
        else:
            os.environ["MYPYPATH"] = old
    return status, out + err


def test_the_route_module_as_it_is_passes(tmp_path: Path) -> None:
    status, out = _mypy(ROUTES.read_text(encoding="utf-8"), tmp_path)
    assert status == 0, out


@pytest.mark.parametrize(
    "mistake",
    [
        CALL.replace("invoice_detail(", "invoice_details("),  # renamed function
        CALL.replace(", invoice_id)", ")"),  # missing argument
        CALL.replace("customer_no, invoice_id", "customer_no, 42"),  # wrong type
    ],
)
def test_a_mistyped_service_call_fails_mypy(mistake: str, tmp_path: Path) -> None:
    source = ROUTES.read_text(encoding="utf-8")
    assert CALL in source, "the route this test mutates has changed: update CALL"
    status, out = _mypy(source.replace(CALL, mistake), tmp_path)
    assert status != 0 and "routes_copy.py" in out, out
