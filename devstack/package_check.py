"""CI check: cfn-lint on infra/template.yaml and on what `chalice package` produces."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def stage_env(stage: str) -> dict[str, str]:
    """The stage's environment from .chalice/config.json. Queue names of the SQS handlers
    are read from it when Chalice imports app.py, so package and deploy must run with it."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    env = {
        **config.get("environment_variables", {}),
        **config["stages"][stage]["environment_variables"],
    }
    return {k: str(v) for k, v in env.items()}


def precompile() -> int:
    """Bytecode for app.py and chalicelib in the bundle (Chalice packs every file of
    chalicelib, __pycache__ included): a Lambda's file system is read-only, so without it
    every cold start compiles the project's sources again. Hash-checked, so a stale file is
    never used."""
    return subprocess.call(
        [sys.executable, "-m", "compileall", "-q", "--invalidation-mode", "checked-hash"]
        + [str(ROOT / "app.py"), str(ROOT / "chalicelib")],
        cwd=ROOT,
    )


def deploy(stage: str) -> int:
    if precompile() != 0:
        return 1
    env = {**os.environ, **stage_env(stage)}
    for name in list(env):
        if name.startswith("AWS_ENDPOINT_URL"):
            del env[name]
    chalice = str(Path(sys.executable).parent / "chalice")
    return subprocess.call([chalice, "deploy", "--stage", stage], cwd=ROOT, env=env)


def main() -> int:
    bin_dir = Path(sys.executable).parent
    lint = str(bin_dir / "cfn-lint")
    rc = subprocess.call([lint, str(ROOT / "infra" / "template.yaml")])
    if rc not in (0,):
        print("cfn-lint failed on infra/template.yaml")
        return rc
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, **stage_env("prod"), "AWS_DEFAULT_REGION": "eu-central-1"}
        for name in list(env):
            if name.startswith("AWS_ENDPOINT_URL"):
                del env[name]
        rc = subprocess.call(
            [
                str(bin_dir / "chalice"),
                "package",
                "--pkg-format",
                "cloudformation",
                "--stage",
                "prod",
                "--merge-template",
                str(ROOT / "infra" / "chalice-extras.json"),
                out,
            ],
            cwd=ROOT,
            env=env,
        )
        if rc != 0:
            print("chalice package failed")
            return rc
        templates = [p for p in Path(out).iterdir() if p.suffix in (".json", ".yaml")]
        for template in templates:
            # Lambda code size and the local zip path are not the linter's business.
            rc = subprocess.call([lint, "--ignore-checks", "W3002", "--", str(template)])
            if rc != 0:
                print(f"cfn-lint failed on {template.name}")
                return rc
    print("cfn-lint: infra template and chalice package output are clean")
    return 0
