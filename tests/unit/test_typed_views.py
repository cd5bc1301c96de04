"""Services return typed views: a route or a caller that reads a field the view does not
have, or uses an optional field as if it were always there, fails the type check
(``services.account.overview`` with ``services.ledger``'s balance block, the benchmarked
cold request)."""

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
    owed = view["balance"]["arrears_grosze"] + 1
    account_no = (view["balance"]["virtual_account"] or {"iban": ""})["iban"]
    return view["customer"]["name"] + str(days or 0) + str(owed) + account_no
"""

MISTAKES = {
    'view["customer"]["nmae"]': "a field the view does not have",
    'view["contracts"][0]["expires_in_days"] + 1': "an optional field used as an int",
    'view["latest_invoices"][0]["gross_grosze"].upper()': "an int used as a str",
    'view["balance"]["virtual_account"]["iban"]': "an optional block used as always there",
    'view["balance"]["arrears"]': "a field of the balance block that does not exist",
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
    source = CLEAN + "\n\ndef misuse(p: Principal) -> None:\n    view = account.overview(p, '1')\n"
    first = source.count("\n") + 1
    source += "".join(f"    wrong_{n} = {expr}\n" for n, expr in enumerate(MISTAKES))
    status, out = _mypy(source, tmp_path)
    assert status != 0, out
    for n, why in enumerate(MISTAKES.values()):
        assert f"caller.py:{first + n}: error" in out, f"not refused: {why}\n{out}"
