"""The bundled endpoint data: botocore's ``endpoints.json`` cut to the services eBOK calls.

botocore's endpoint resolver parses its whole ``endpoints.json`` (1.2 MB, ~1,200 services
across eight partitions) at the first client of a session: 25-45 ms of every cold start,
and a large object graph the collector then walks. ``chalicelib.adapters.aws`` builds the
session's resolver from ``chalicelib/data/aws/endpoints.json`` instead: every partition's
data unchanged, each partition's ``services`` cut to ``SERVICES``. Resolution of those
services is botocore's own (``tests/unit/test_aws_endpoints.py`` compares every service of
the list in every region of every partition, and fails when botocore's data moves on).

Regenerate after a botocore upgrade or a new AWS service: ``python -m devstack.aws_endpoints``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BUNDLED = Path(__file__).resolve().parent.parent / "chalicelib" / "data" / "aws" / "endpoints.json"

# Every service a client is made for (``adapters.aws.client(...)``, PynamoDB's DynamoDB
# client) and those botocore's credential providers may call (STS, SSO).
SERVICES = frozenset(
    {
        "cognito-idp",
        "dynamodb",
        "lambda",
        "s3",
        "ses",
        "sns",
        "sqs",
        "sso",
        "sso-oidc",
        "sts",
    }
)


def builtin() -> dict[str, Any]:
    """botocore's own ``endpoints.json``."""
    import botocore.loaders

    loader = botocore.loaders.Loader
    only_builtin = loader(
        extra_search_paths=[loader.BUILTIN_DATA_PATH], include_default_search_paths=False
    )
    data, _ = only_builtin.load_data_with_path("endpoints")
    return dict(data)


def trim(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with each partition's ``services`` cut to ``SERVICES``."""
    partitions = [
        {**p, "services": {k: v for k, v in p["services"].items() if k in SERVICES}}
        for p in data["partitions"]
    ]
    return {**data, "partitions": partitions}


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n"


def main() -> None:
    BUNDLED.parent.mkdir(parents=True, exist_ok=True)
    BUNDLED.write_text(render(trim(builtin())), encoding="utf-8")
    print(f"{BUNDLED}: {BUNDLED.stat().st_size} bytes")


if __name__ == "__main__":
    main()
