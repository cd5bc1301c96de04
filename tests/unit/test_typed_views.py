"""Services return typed views: a route or a caller that reads a field the view does not
have, or uses an optional field as if it were always there, fails the type check
(``services.account.overview``, the benchmarked cold request)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CLEAN = """
from chalicelib.domain.principal import Principal
from chalicelib.services import account


def use(p: Principal) -> str:
    view = account.overview(p, "100001")
    days = view["contracts"][0]["expires_in_days"]
    return view["customer"]["name"] + str(days or 0) + view["meters"][0]["registers"][0]
"""

MISTAKES = {
    'view["customer"]["nmae"]': "a field the view does not have",
    'view["contracts"][0]["expires_in_days"] + 1': "an optional field used as an int",
    'view["latest_invoices"][0]["gross_grosze"].upper()': "an int used as a str",
}


def _mypy(source: str, tmp_path: Path) -> tuple[int, str]:
    from mypy import api

    target = tmp_path / "caller.py"
    target.write_text(source, encoding="utf-8")
    old = os.environ.get("MYPYPATH")
    os.environ["MYPYPATH"] = str(ROOT)
    try:
        out, err, status = api.run(
            ["--no-incremental", "--follow-imports=silent", "--ignore-missing-imports", str(target)]
        )
    finally:
        if old is None:
            os.environ.pop("MYPYPATH", None)
        else:
            os.environ["MYPYPATH"] = old
    return status, out + err


def test_the_overview_view_is_typed(tmp_path: Path) -> None:
    status, out = _mypy(CLEAN, tmp_path)
    assert status == 0, out
    lines = [f"    wrong_{n} = {expr}" for n, expr in enumerate(MISTAKES)]
    status, out = _mypy(
        CLEAN + "\n\ndef misuse(p: Principal) -> None:\n"
        "    view = account.overview(p, '100001')\n" + "\n".join(lines) + "\n",
        tmp_path,
    )
    errors = [line for line in out.splitlines() if "caller.py" in line and "error" in line]
    assert status != 0 and len(errors) >= len(MISTAKES), out
