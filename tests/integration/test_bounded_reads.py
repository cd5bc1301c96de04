"""Reads bounded by the screen, not by history (issue 10 item 4): the overview is ONE Query
with a sort-key condition over the customer's current items; ten years of invoices,
deliveries, billing marks and consents in the same partition are never read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.client import BaseClient

from tests.integration.invoicing_helpers import (
    invoicing_job,
    load_tariffs,
    readings_for_world,
)


@contextmanager
def dynamodb_reads() -> Iterator[list[dict[str, Any]]]:
    """Every DynamoDB read made meanwhile: operation, key condition, items returned."""
    log: list[dict[str, Any]] = []
    original = BaseClient._make_api_call

    def spy(self: BaseClient, op: str, params: Any) -> Any:
        out = original(self, op, params)
        if self.meta.service_model.service_name == "dynamodb" and op in (
            "Query",
            "Scan",
            "GetItem",
            "BatchGetItem",
        ):
            log.append(
                {
                    "op": op,
                    "condition": params.get("KeyConditionExpression", ""),
                    "items": [i["SK"]["S"] for i in out.get("Items", [])],
                }
            )
        return out

    BaseClient._make_api_call = spy  # type: ignore[method-assign]
    try:
        yield log
    finally:
        BaseClient._make_api_call = original  # type: ignore[method-assign]


def _ten_years_of_history(customer_no: str) -> None:
    """120 months of invoice, delivery, billing mark and consent items, written raw."""
    import boto3

    from chalicelib.config import settings

    ddb = boto3.client("dynamodb", region_name=settings().region)
    pk = {"S": f"CUST#{customer_no}"}
    for n in range(120):
        month = f"{2016 + n // 12}-{n % 12 + 1:02d}"
        for sk, kind in (
            (f"INV#{month}#FC-{n:06d}", "Invoice"),
            (f"INV#{month}#FC-{n:06d}#DLV", "InvoiceDelivery"),
            (f"BILL#C-OLD#{month}", "BillingMark"),
            (f"CONSENT#{month}#{n}", "ConsentChange"),
        ):
            ddb.put_item(
                TableName=settings().table_name,
                Item={"PK": pk, "SK": {"S": sk}, "type": {"S": kind}, "pad": {"S": "x" * 900}},
            )


def test_overview_is_one_bounded_query_whatever_the_history(api, world, login_as) -> None:
    headers = login_as("customer", [world.individual])
    with dynamodb_reads() as before:
        first = api.get(f"/customers/{world.individual}/overview", headers=headers)
    assert first.status == 200, first.body
    _ten_years_of_history(world.individual)
    with dynamodb_reads() as after:
        again = api.get(f"/customers/{world.individual}/overview", headers=headers)
    assert again.status == 200, again.body
    assert again.json == first.json
    reads = [r for r in after if r["items"] or r["op"] != "GetItem"]
    queries = [r for r in after if r["op"] in ("Query", "Scan")]
    assert len(queries) == 1, reads  # ONE Query (the authorizer's login GetItem aside)
    assert "begins_with" in queries[0]["condition"]  # with a sort-key condition
    # The same items as for a new customer; nothing of the history.
    assert queries[0]["items"] == next(r for r in before if r["op"] == "Query")["items"]
    assert not [sk for sk in queries[0]["items"] if sk.startswith(("INV#", "BILL#", "CONSENT#"))]


def test_overview_shows_the_latest_invoice_of_each_contract(api, world, login_as) -> None:
    load_tariffs()
    readings_for_world(world)
    invoicing_job("2026-10")
    headers = login_as("customer", [world.institution])
    with dynamodb_reads() as reads:
        r = api.get(f"/customers/{world.institution}/overview", headers=headers)
    assert r.status == 200, r.body
    latest = r.json["latest_invoices"]
    assert sorted(i["contract_no"] for i in latest) == ["C-200001-H1", "C-200001-H2", "C-200001-H3"]
    assert all(i["period"] == "2026-10" and i["number"].startswith("FC/") for i in latest)
    assert len([x for x in reads if x["op"] == "Query"]) == 1
    # Another customer's overview lists none of them (404 for a stranger).
    stranger = login_as("customer", [world.individual])
    assert api.get(f"/customers/{world.institution}/overview", headers=stranger).status == 404


def test_invoicing_worker_reads_no_invoice_history(world) -> None:
    """The worker's billing read covers current items and billing marks, never invoices."""
    load_tariffs()
    readings_for_world(world)
    _ten_years_of_history(world.individual)
    with dynamodb_reads() as reads:
        invoicing_job("2026-10")
    read_keys = [sk for r in reads for sk in r["items"]]
    assert not [sk for sk in read_keys if sk.startswith(("INV#", "CONSENT#"))]
