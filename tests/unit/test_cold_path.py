"""What the overview's cold start does not pay for (issue 9; figures in docs/operations.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from stdnum import iban

from chalicelib.domain import bank

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("sort_code", "prefix", "customer_no"),
    [("10901014", "9876", "100001"), ("10203040", "0", "1"), ("99999999", "12", "9" * 14)],
)
def test_virtual_account_check_agrees_with_stdnum(
    sort_code: str, prefix: str, customer_no: str
) -> None:
    nrb = bank.virtual_nrb(sort_code, prefix, customer_no)
    assert iban.is_valid("PL" + nrb)
    assert bank._mod97(nrb) == 1
    wrong = nrb[:-1] + str((int(nrb[-1]) + 1) % 10)
    assert bank._mod97(wrong) != 1 and not iban.is_valid("PL" + wrong)


def test_overview_modules_leave_stdnum_unloaded() -> None:
    """The API handler and the overview's services (which show the customer's virtual
    account) import no python-stdnum: its import is ~14 ms of the overview's cold start."""
    code = (
        "import sys, app, chalicelib.services.account\n"
        "from chalicelib.domain import bank\n"
        "bank.virtual_nrb('10901014', '9876', '100001')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'stdnum'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]", out.stdout
