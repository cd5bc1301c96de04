"""CI check: cfn-lint on infra/template.yaml and on what `chalice package` produces."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

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
    rc = subprocess.call([chalice, "deploy", "--stage", stage], cwd=ROOT, env=env)
    if rc != 0:
        return rc
    report_batch_item_failures(stage)
    return 0


def sqs_events_without_partial_failures(template: dict[str, Any]) -> list[str]:
    """The SQS event sources of a packaged template that do not report partial batch
    failures (``FunctionResponseTypes``)."""
    missing = []
    for name, resource in template.get("Resources", {}).items():
        events = (resource.get("Properties") or {}).get("Events") or {}
        for event_name, event in events.items():
            props = event.get("Properties") or {}
            if event.get("Type") == "SQS" and props.get("FunctionResponseTypes") != [
                "ReportBatchItemFailures"
            ]:
                missing.append(f"{name}.{event_name}")
    return missing


def report_batch_item_failures(
    stage: str, lambda_client: Any = None, deployed_file: Path | None = None
) -> int:
    """Every SQS handler answers with a partial batch response (``chalicelib/jobs/_sqs.py``);
    its event source mapping must say so, or Lambda deletes the failed records with the
    rest. ``chalice package`` gets it from ``infra/chalice-extras.json``; ``chalice deploy``
    has no such setting, so the mappings it recorded in ``.chalice/deployed/<stage>.json``
    are updated here, after every deploy. Returns how many."""
    deployed_file = deployed_file or ROOT / ".chalice" / "deployed" / f"{stage}.json"
    deployed = json.loads(deployed_file.read_text(encoding="utf-8"))
    if lambda_client is None:
        import boto3

        lambda_client = boto3.client("lambda")
    updated = 0
    for resource in deployed.get("resources", []):
        if resource.get("resource_type") != "sqs_event":
            continue
        lambda_client.update_event_source_mapping(
            UUID=resource["event_uuid"], FunctionResponseTypes=["ReportBatchItemFailures"]
        )
        updated += 1
    print(f"ReportBatchItemFailures on {updated} SQS event source(s)")
    return updated


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
            missing = sqs_events_without_partial_failures(json.loads(template.read_text()))
            if missing:
                print(
                    f"no ReportBatchItemFailures on {', '.join(missing)} (infra/chalice-extras.json)"
                )
                return 1
            # Lambda code size and the local zip path are not the linter's business.
            rc = subprocess.call([lint, "--ignore-checks", "W3002", "--", str(template)])
            if rc != 0:
                print(f"cfn-lint failed on {template.name}")
                return rc
    print("cfn-lint: infra template and chalice package output are clean")
    return 0
