"""``make test`` runs on two pytest-xdist workers with ``--dist loadgroup``: the tests of one
``xdist_group`` (the browser tests, which share one local stack) run on one worker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CONFTEST = """
import pytest

from tests.xdist_groups import apply_groups


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    apply_groups(config, items)
"""

PROBE = """
import os
from pathlib import Path

import pytest

OUT = Path(os.environ["PROBE_OUT"])


@pytest.mark.xdist_group("stack")
@pytest.mark.parametrize("n", range(6))
def test_grouped(n):
    (OUT / f"grouped-{n}").write_text(os.environ["PYTEST_XDIST_WORKER"])


@pytest.mark.parametrize("n", range(6))
def test_free(n):
    (OUT / f"free-{n}").write_text(os.environ["PYTEST_XDIST_WORKER"])
"""


def test_a_group_runs_on_one_worker(tmp_path: Path) -> None:
    suite, out = tmp_path / "suite", tmp_path / "out"
    suite.mkdir()
    out.mkdir()
    (suite / "conftest.py").write_text(CONFTEST)
    (suite / "test_probe.py").write_text(PROBE)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PROBE_OUT": str(out)}
    env.pop("PYTEST_XDIST_WORKER", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        + ["-n", "2", "--dist", "loadgroup", "--rootdir", str(suite), str(suite)],
        cwd=suite,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ran_on = {p.name: p.read_text() for p in out.iterdir()}
    assert len(ran_on) == 12
    assert len({w for name, w in ran_on.items() if name.startswith("grouped-")}) == 1
