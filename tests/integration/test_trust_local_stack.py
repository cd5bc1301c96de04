"""The local stack's embedded DynamoDB loses no write under concurrent requests (issue 13,
finding 11): moto 5.2 restores a whole-table copy when a transaction fails, so without
``devstack.moto_patches.serialise_dynamodb`` other threads' commits vanish."""

from __future__ import annotations

import threading

import boto3

from devstack import moto_patches
from tests.support import REGION


def _hammer(table: str, writers: int = 8, per_writer: int = 15) -> int:
    ddb = boto3.client("dynamodb", region_name=REGION)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        for i in range(per_writer):
            try:
                ddb.transact_write_items(
                    TransactItems=[
                        {
                            "Put": {
                                "TableName": table,
                                "Item": {
                                    "PK": {"S": f"TRUSTTEST#{n}"},
                                    "SK": {"S": f"I#{i:03d}"},
                                    "type": {"S": "TrustTest"},
                                },
                            }
                        }
                    ]
                )
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

    def fail() -> None:
        for _ in range(per_writer * 2):
            try:
                ddb.transact_write_items(
                    TransactItems=[
                        {
                            "ConditionCheck": {
                                "TableName": table,
                                "Key": {"PK": {"S": "TRUSTTEST#none"}, "SK": {"S": "X"}},
                                "ConditionExpression": "attribute_exists(PK)",
                            }
                        }
                    ]
                )
            except ddb.exceptions.TransactionCanceledException:
                continue  # the expected refusal
            except BaseException as exc:  # moto's own failure under concurrency
                errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    threads += [threading.Thread(target=fail) for _ in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    found = 0
    for n in range(writers):
        got = ddb.query(
            TableName=table,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": f"TRUSTTEST#{n}"}},
        )
        found += len(got["Items"])
    return found


def test_concurrent_transactions_lose_no_write_with_the_local_stack_patch(aws) -> None:
    moto_patches.serialise_dynamodb()  # what `make run` applies before moto starts
    assert _hammer(aws.table) == 8 * 15


def test_make_run_applies_the_patches_before_moto_starts() -> None:
    import inspect

    from devstack import stack

    source = inspect.getsource(stack.run)
    assert source.index("moto_patches.apply_all()") < source.index("ThreadedMotoServer(")
