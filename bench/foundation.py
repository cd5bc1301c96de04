"""Foundation figures: cold import of the API module against its floor; DynamoDB requests
made by one customer overview."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = 10


def _import_ms(statement: str) -> float:
    code = (
        "import time; t = time.perf_counter(); "
        f"{statement}; "
        "print((time.perf_counter() - t) * 1000)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "AWS_DEFAULT_REGION": "eu-central-1",
            "POWERTOOLS_TRACE_DISABLED": "1",
        }
    )
    out = subprocess.run(
        [sys.executable, "-X", "frozen_modules=on", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def cold_imports() -> list[tuple[str, float, str]]:
    floor, api, path = [], [], []
    # The overview's cold path: the API module plus what its first request loads lazily.
    overview = "import app, boto3; import chalicelib.services.account, chalicelib.services.identity"
    for _ in range(RUNS):  # interleaved so machine noise hits both alike
        floor.append(_import_ms("import boto3, chalice"))
        api.append(_import_ms("import app"))
        path.append(_import_ms(overview))
    f, a, p = statistics.median(floor), statistics.median(api), statistics.median(path)
    return [
        ("cold_import_floor_boto3_chalice_median", round(f, 1), "ms"),
        ("cold_import_api_module_median", round(a, 1), "ms"),
        ("cold_import_ratio_api_to_floor", round(a / f, 2), "x (target <= 1.5)"),
        (
            "cold_import_overview_path_median",
            round(p, 1),
            "ms (API module + boto3 + overview and authorizer modules)",
        ),
        ("cold_import_ratio_overview_path_to_floor", round(p / f, 2), "x"),
    ]


def _history(customer_no: str, years: int, first_year: int = 2016) -> None:
    """Months of invoice, delivery, billing-mark and consent items (about 3 KB an invoice),
    written raw into the customer's partition."""
    import boto3

    from chalicelib.config import settings

    ddb = boto3.client("dynamodb", region_name=settings().region)
    pk = {"S": f"CUST#{customer_no}"}
    for n in range(12 * years):
        month = f"{first_year + n // 12}-{n % 12 + 1:02d}"
        for sk, kind, pad in (
            (f"INV#{month}#FC-{n:06d}", "Invoice", 3000),
            (f"INV#{month}#FC-{n:06d}#DLV", "InvoiceDelivery", 200),
            (f"BILL#C-OLD#{month}", "BillingMark", 300),
            (f"CONSENT#{month}#{n}", "ConsentChange", 100),
        ):
            ddb.put_item(
                TableName=settings().table_name,
                Item={"PK": pk, "SK": {"S": sk}, "type": {"S": kind}, "pad": {"S": "x" * pad}},
            )


def _overview_units(client: Any, headers: dict[str, str], customer_no: str) -> float:
    """Read units of the overview route's Queries: the size of the items they returned (as
    DynamoDB counts: names + values), per Query rounded up to 4 KB, halved (eventual)."""
    import math

    from botocore.client import BaseClient

    sizes: list[int] = []
    original = BaseClient._make_api_call

    def spy(self: BaseClient, op: str, params: Any) -> Any:
        out = original(self, op, params)
        if op == "Query":
            sizes.append(
                sum(
                    len(k) + len(str(next(iter(v.values()))))
                    for i in out.get("Items", [])
                    for k, v in i.items()
                )
            )
        return out

    BaseClient._make_api_call = spy  # type: ignore[method-assign]
    try:
        assert client.get(f"/customers/{customer_no}/overview", headers=headers).status == 200
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]
    return sum(math.ceil(s / 4096) * 0.5 for s in sizes)


def overview_requests() -> list[tuple[str, float, str]]:
    from tests.support import aws_env, login_factory, world_factory

    gen = aws_env()
    prov = next(gen)
    try:
        world = world_factory()
        headers = login_factory(prov)("customer", [world.individual])
        from tests.support import api_client

        client = api_client()
        from devstack.metering import count_calls

        with count_calls() as log:
            answer = client.get(f"/customers/{world.individual}/overview", headers=headers)
        assert answer.status == 200
        ddb: list[Any] = log.of("dynamodb")
        _history(world.individual, years=1, first_year=2025)
        one = _overview_units(client, headers, world.individual)
        _history(world.individual, years=9, first_year=2016)
        ten = _overview_units(client, headers, world.individual)
        return [
            ("overview_read_units_1y", one, "RCU of the route's Query (eventually consistent)"),
            ("overview_read_units_10y", ten, "RCU after ten years of invoices, marks, consents"),
            ("overview_read_units_growth", round(ten / max(one, 0.5), 2), "x (target <= 1.2)"),
            ("overview_dynamodb_requests_total", len(ddb), f"requests ({', '.join(ddb)})"),
            (
                "overview_dynamodb_requests_route",
                ddb.count("Query"),
                "Query in the route (plus the authorizer's one GetItem of the login)",
            ),
        ]
    finally:
        gen.close()


def run() -> list[tuple[str, float, str]]:
    os.environ.setdefault("TABLE_NAME", "ebok-local")
    for name in list(os.environ):
        if name.startswith("AWS_ENDPOINT_URL"):
            del os.environ[name]
    os.environ.update(
        {
            "AWS_DEFAULT_REGION": "eu-central-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "POWERTOOLS_TRACE_DISABLED": "1",
            "STAGE": "local",
        }
    )
    return cold_imports() + overview_requests()
