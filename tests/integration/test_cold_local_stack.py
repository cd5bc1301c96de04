"""The local stack's DynamoDB speed-ups keep moto's results (``devstack.moto_patches``):
a table Query reads only the asked partition, and a transaction copies only the items it
names, yet answers, pages and cancelled transactions are exactly moto's."""

from __future__ import annotations

import copy
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from devstack import moto_patches
from tests.support import REGION

# These tests compare the patches with moto itself: the embedded AWS runs unpatched.
pytestmark = pytest.mark.moto_as_is


def _seed(ddb: Any, table: str) -> None:
    for p in range(6):
        for s in range(12):
            item = {
                "PK": {"S": f"COLDTEST#{p}"},
                "SK": {"S": f"E#{s:03d}"},
                "type": {"S": "ColdTest"},
                "n": {"N": str(s)},
            }
            if s % 3 == 0:
                item["odd"] = {"BOOL": True}
            ddb.put_item(TableName=table, Item=item)


def _queries(ddb: Any, table: str) -> list[Any]:
    """Answers of table Queries of every shape the store uses (pages walked to the end)."""
    shapes: list[dict[str, Any]] = [
        {
            "KeyConditionExpression": "PK = :p",
            "ExpressionAttributeValues": {":p": {"S": "COLDTEST#2"}},
        },
        {
            "KeyConditionExpression": "PK = :p AND begins_with(SK, :s)",
            "ExpressionAttributeValues": {":p": {"S": "COLDTEST#3"}, ":s": {"S": "E#00"}},
            "ScanIndexForward": False,
        },
        {
            "KeyConditionExpression": "PK = :p AND SK BETWEEN :a AND :b",
            "ExpressionAttributeValues": {
                ":p": {"S": "COLDTEST#1"},
                ":a": {"S": "E#003"},
                ":b": {"S": "E#009"},
                ":t": {"BOOL": True},
            },
            "FilterExpression": "odd = :t",
            "ProjectionExpression": "SK, n",
        },
        {
            "KeyConditionExpression": "PK = :p",
            "ExpressionAttributeValues": {":p": {"S": "COLDTEST#4"}},
            "Limit": 5,
        },
        {"KeyConditionExpression": "PK = :p", "ExpressionAttributeValues": {":p": {"S": "NONE#9"}}},
    ]
    answers = []
    for shape in shapes:
        pages, start = [], None
        while True:
            extra = {"ExclusiveStartKey": start} if start else {}
            got = ddb.query(TableName=table, **shape, **extra)
            pages.append((got["Items"], got["Count"], got["ScannedCount"]))
            start = got.get("LastEvaluatedKey")
            if not start:
                break
        answers.append(pages)
    return answers


def _all_items_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts calls of moto's own ``Table.all_items`` (a read of every item)."""
    from moto.dynamodb.models.table import Table

    calls: list[int] = []
    original = Table.all_items

    def counted(self: Any) -> Any:
        calls.append(1)
        return original(self)

    monkeypatch.setattr(Table, "all_items", counted)
    return calls


def test_a_table_query_reads_one_partition_and_answers_as_moto_does(aws, monkeypatch) -> None:
    ddb = boto3.client("dynamodb", region_name=REGION)
    _seed(ddb, aws.table)
    calls = _all_items_calls(monkeypatch)
    moto_answers = _queries(ddb, aws.table)
    assert calls  # moto reads the whole table for each of them

    moto_patches.query_one_partition(monkeypatch.setattr)
    calls.clear()
    assert _queries(ddb, aws.table) == moto_answers
    assert calls == []
    # Index queries and scans still read every item (they have no partition to go to).
    ddb.scan(TableName=aws.table, Limit=3)
    assert calls


def _snapshot(ddb: Any, table: str) -> list[dict[str, Any]]:
    items = ddb.scan(TableName=table)["Items"]
    return sorted(items, key=lambda i: (i["PK"]["S"], i["SK"]["S"]))


def _deepcopies_of_tables(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from moto.dynamodb.models.table import Table

    seen: list[str] = []
    original = copy.deepcopy

    def counted(x: Any, memo: Any = None, _nil: Any = ()) -> Any:
        made = original(x, memo)
        if isinstance(x, Table) and made is not x:
            seen.append(x.name)  # a real copy of the whole table
        return made

    monkeypatch.setattr(copy, "deepcopy", counted)
    return seen


def _put(table: str, pk: str, sk: str, **extra: Any) -> dict[str, Any]:
    item = {"PK": {"S": pk}, "SK": {"S": sk}, "type": {"S": "ColdTest"}}
    item.update(extra)
    return {"Put": {"TableName": table, "Item": item}}


def _cancelled_transactions(ddb: Any, table: str) -> list[str]:
    """Transactions that write, then fail: a condition on the last item, the same key named
    twice. Each must leave the table as it was; returns the error codes."""
    key = {"PK": {"S": "COLDTEST#0"}, "SK": {"S": "E#001"}}
    writes = [
        _put(table, "COLDTEST#NEW", "E#000"),  # a new partition
        _put(table, "COLDTEST#0", "E#900"),  # a new item in an existing partition
        _put(table, "COLDTEST#0", "E#000", n={"N": "77"}),  # an overwrite
        {
            "Update": {
                "TableName": table,
                "Key": key,
                "UpdateExpression": "SET n = n + :one, extra = :x",
                "ExpressionAttributeValues": {":one": {"N": "1"}, ":x": {"S": "x"}},
            }
        },
        {"Delete": {"TableName": table, "Key": {"PK": {"S": "COLDTEST#0"}, "SK": {"S": "E#002"}}}},
    ]
    failing = {
        "ConditionCheck": {
            "TableName": table,
            "Key": {"PK": {"S": "COLDTEST#5"}, "SK": {"S": "E#000"}},
            "ConditionExpression": "attribute_not_exists(PK)",
        }
    }
    twice = _put(table, "COLDTEST#0", "E#000", n={"N": "1"})
    codes = []
    for items in (writes + [failing], writes + [twice]):
        with pytest.raises(ClientError) as caught:
            ddb.transact_write_items(TransactItems=items)
        codes.append(caught.value.response["Error"]["Code"])
    return codes


def test_a_cancelled_transaction_leaves_the_table_as_moto_does(aws, monkeypatch) -> None:
    ddb = boto3.client("dynamodb", region_name=REGION)
    _seed(ddb, aws.table)
    before = _snapshot(ddb, aws.table)
    copies = _deepcopies_of_tables(monkeypatch)
    moto_codes = _cancelled_transactions(ddb, aws.table)
    assert _snapshot(ddb, aws.table) == before
    assert copies  # moto copies the whole table, once per operation of a transaction

    moto_patches.journal_transactions(monkeypatch.setattr)
    copies.clear()
    assert _cancelled_transactions(ddb, aws.table) == moto_codes
    assert _snapshot(ddb, aws.table) == before
    assert copies == []
    # An untouched partition keeps its items, and the new partition does not linger.
    assert (
        ddb.query(
            TableName=aws.table,
            KeyConditionExpression="PK = :p",
            ExpressionAttributeValues={":p": {"S": "COLDTEST#NEW"}},
        )["Items"]
        == []
    )


def test_a_committed_transaction_writes_everything_without_copying_the_table(
    aws, monkeypatch
) -> None:
    ddb = boto3.client("dynamodb", region_name=REGION)
    _seed(ddb, aws.table)
    copies = _deepcopies_of_tables(monkeypatch)
    moto_patches.journal_transactions(monkeypatch.setattr)
    ddb.transact_write_items(
        TransactItems=[
            _put(aws.table, "COLDTEST#0", "E#500"),
            {
                "Update": {
                    "TableName": aws.table,
                    "Key": {"PK": {"S": "COLDTEST#1"}, "SK": {"S": "E#001"}},
                    "UpdateExpression": "SET n = n + :one",
                    "ExpressionAttributeValues": {":one": {"N": "10"}},
                }
            },
            {
                "Delete": {
                    "TableName": aws.table,
                    "Key": {"PK": {"S": "COLDTEST#2"}, "SK": {"S": "E#002"}},
                }
            },
        ]
    )
    assert copies == []
    get = lambda pk, sk: ddb.get_item(  # noqa: E731
        TableName=aws.table, Key={"PK": {"S": pk}, "SK": {"S": sk}}
    ).get("Item")
    assert get("COLDTEST#0", "E#500") is not None
    assert get("COLDTEST#1", "E#001")["n"] == {"N": "11"}
    assert get("COLDTEST#2", "E#002") is None


RICH = {
    "PK": {"S": "COLDTEST#rich"},
    "type": {"S": "ColdTest"},
    "s": {"S": "zażółć gęślą jaźń"},
    "empty": {"S": ""},
    "n": {"N": "-12.500"},
    "big": {"N": "123456789012345678901234567890"},
    "b": {"B": b"\x00\xff binary"},
    "ss": {"SS": ["a", "b"]},
    "ns": {"NS": ["1", "2.5"]},
    "bs": {"BS": [b"\x01", b"\x02"]},
    "yes": {"BOOL": True},
    "no": {"BOOL": False},
    "null": {"NULL": True},
    "m": {
        "M": {
            "l": {"L": [{"S": "x"}, {"N": "1"}, {"M": {"deep": {"B": b"\x03"}}}, {"L": []}]},
            "none": {"M": {}},
        }
    },
    "l": {"L": [{"BOOL": False}, {"NULL": True}, {"SS": ["z"]}]},
}


def _every_item_answer(ddb: Any, table: str) -> list[Any]:
    """Answers carrying attribute values, from every kind of call that returns items."""
    key = {"PK": {"S": "COLDTEST#rich"}, "SK": {"S": "E#000"}}
    ddb.put_item(TableName=table, Item={**RICH, "SK": {"S": "E#000"}})
    ddb.put_item(TableName=table, Item={**RICH, "SK": {"S": "E#001"}})
    got: list[Any] = [
        ddb.get_item(TableName=table, Key=key),
        ddb.query(
            TableName=table,
            KeyConditionExpression="PK = :p",
            ExpressionAttributeValues={":p": {"S": "COLDTEST#rich"}},
        ),
        ddb.scan(TableName=table, Limit=50),
        ddb.batch_get_item(RequestItems={table: {"Keys": [key]}}),
        ddb.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": key}}]),
        ddb.update_item(
            TableName=table,
            Key=key,
            UpdateExpression="SET n = :n, m.l[0] = :s",
            ExpressionAttributeValues={":n": {"N": "7"}, ":s": {"S": "y"}},
            ReturnValues="ALL_NEW",
        ),
        ddb.put_item(TableName=table, Item={**RICH, "SK": {"S": "E#001"}}, ReturnValues="ALL_OLD"),
        ddb.delete_item(TableName=table, Key={**key, "SK": {"S": "E#001"}}, ReturnValues="ALL_OLD"),
    ]
    for call in (
        lambda: ddb.put_item(
            TableName=table,
            Item={**RICH, "SK": {"S": "E#000"}},
            ConditionExpression="attribute_not_exists(PK)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        ),
        lambda: ddb.transact_write_items(
            TransactItems=[
                {
                    "ConditionCheck": {
                        "TableName": table,
                        "Key": key,
                        "ConditionExpression": "attribute_not_exists(PK)",
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                    }
                }
            ]
        ),
    ):
        with pytest.raises(ClientError) as caught:
            call()
        got.append({k: v for k, v in caught.value.response.items() if k != "ResponseMetadata"})
    ddb.delete_item(TableName=table, Key=key)
    return [{k: v for k, v in g.items() if k != "ResponseMetadata"} for g in got]


def test_attribute_values_are_written_as_moto_writes_them(aws, monkeypatch) -> None:
    from moto.core.serialize import BaseJSONSerializer

    ddb = boto3.client("dynamodb", region_name=REGION)
    _seed(ddb, aws.table)
    generic: list[str] = []
    original = BaseJSONSerializer._serialize_type_structure

    def counted(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
        if shape.name == "AttributeValue":
            generic.append(key)
        original(self, serialized, value, shape, key)

    monkeypatch.setattr(BaseJSONSerializer, "_serialize_type_structure", counted)
    moto_answers = _every_item_answer(ddb, aws.table)
    assert generic  # moto walks every attribute value through its model

    moto_patches.serialise_attribute_values(monkeypatch.setattr)
    generic.clear()
    assert _every_item_answer(ddb, aws.table) == moto_answers
    assert generic == []


def _gsi_seed(ddb: Any, table: str) -> None:
    for n in range(40):
        item = {
            "PK": {"S": f"GSITEST#{n % 7}"},
            "SK": {"S": f"E#{n:03d}"},
            "type": {"S": "GsiTest"},
            "n": {"N": str(n)},
        }
        if n % 5:  # every fifth item is in no index partition
            item["GSI1PK"] = {"S": f"GROUP#{n % 3}"}
            item["GSI1SK"] = {"S": f"S#{(n * 7) % 40:03d}"}
        ddb.put_item(TableName=table, Item=item)


def _gsi_queries(ddb: Any, table: str) -> list[Any]:
    """Answers of GSI1 Queries of every shape the store uses (pages walked to the end)."""
    shapes: list[dict[str, Any]] = [
        {"KeyConditionExpression": "GSI1PK = :p", "ExpressionAttributeValues": {":p": {"S": g}}}
        for g in ("GROUP#0", "GROUP#1", "GROUP#2", "GROUP#9")
    ]
    shapes += [
        {
            "KeyConditionExpression": "GSI1PK = :p AND begins_with(GSI1SK, :s)",
            "ExpressionAttributeValues": {":p": {"S": "GROUP#1"}, ":s": {"S": "S#01"}},
            "ScanIndexForward": False,
        },
        {
            "KeyConditionExpression": "GSI1PK = :p",
            "ExpressionAttributeValues": {":p": {"S": "GROUP#2"}, ":m": {"N": "20"}},
            "FilterExpression": "n < :m",
            "Limit": 4,
        },
    ]
    answers = []
    for shape in shapes:
        pages, start = [], None
        while True:
            extra = {"ExclusiveStartKey": start} if start else {}
            got = ddb.query(TableName=table, IndexName="GSI1", **shape, **extra)
            pages.append((got["Items"], got["Count"], got["ScannedCount"]))
            start = got.get("LastEvaluatedKey")
            if not start:
                break
        answers.append(pages)
    return answers


def _gsi_writes(ddb: Any, table: str) -> None:
    """Every kind of write the store makes, moving items between index partitions."""

    def key(n: int) -> dict[str, Any]:
        return {"PK": {"S": f"GSITEST#{n % 7}"}, "SK": {"S": f"E#{n:03d}"}}

    ddb.put_item(
        TableName=table,
        Item={**key(100), "GSI1PK": {"S": "GROUP#0"}, "GSI1SK": {"S": "S#000"}, "n": {"N": "1"}},
    )
    ddb.update_item(
        TableName=table,
        Key=key(1),
        UpdateExpression="SET GSI1PK = :g",
        ExpressionAttributeValues={":g": {"S": "GROUP#2"}},
    )
    ddb.update_item(TableName=table, Key=key(2), UpdateExpression="REMOVE GSI1PK")
    ddb.update_item(
        TableName=table,
        Key=key(5),  # was in no partition
        UpdateExpression="SET GSI1PK = :g, GSI1SK = :s",
        ExpressionAttributeValues={":g": {"S": "GROUP#1"}, ":s": {"S": "S#011"}},
    )
    ddb.delete_item(TableName=table, Key=key(3))
    ddb.batch_write_item(
        RequestItems={
            table: [
                {"DeleteRequest": {"Key": key(4)}},
                {
                    "PutRequest": {
                        "Item": {**key(6), "GSI1PK": {"S": "GROUP#9"}, "GSI1SK": {"S": "S#1"}}
                    }
                },
            ]
        }
    )
    ddb.transact_write_items(
        TransactItems=[
            {
                "Put": {
                    "TableName": table,
                    "Item": {**key(101), "GSI1PK": {"S": "GROUP#1"}, "GSI1SK": {"S": "S#0"}},
                }
            },
            {
                "Update": {
                    "TableName": table,
                    "Key": key(7),
                    "UpdateExpression": "SET GSI1PK = :g",
                    "ExpressionAttributeValues": {":g": {"S": "GROUP#0"}},
                }
            },
            {"Delete": {"TableName": table, "Key": key(8)}},
        ]
    )
    with pytest.raises(ClientError):  # cancelled: nothing of it may show in the index
        ddb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": table,
                        "Key": key(9),
                        "UpdateExpression": "SET GSI1PK = :g",
                        "ExpressionAttributeValues": {":g": {"S": "GROUP#0"}},
                    }
                },
                {
                    "ConditionCheck": {
                        "TableName": table,
                        "Key": key(10),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            ]
        )


def test_an_index_query_reads_one_index_partition_and_answers_as_moto_does(
    aws, monkeypatch
) -> None:
    ddb = boto3.client("dynamodb", region_name=REGION)
    _gsi_seed(ddb, aws.table)
    moto_before = _gsi_queries(ddb, aws.table)
    calls = _all_items_calls(monkeypatch)
    try:
        with monkeypatch.context() as patched:
            # In the local stack's order: the table Query patch first (the index patch reads
            # moto's signature through it).
            moto_patches.query_one_partition(patched.setattr)
            moto_patches.index_partitions(patched.setattr)
            # As in the local stack: a cancelled transaction puts its items back in place
            # (moto's own restore swaps in a copy of the table, which the index would meet
            # as a new table and read whole).
            moto_patches.journal_transactions(patched.setattr)
            assert _gsi_queries(ddb, aws.table) == moto_before
            assert len(calls) == 1  # the index is built once, from one read of the table
            calls.clear()
            _gsi_writes(ddb, aws.table)
            after = _gsi_queries(ddb, aws.table)
            assert calls == []  # kept current by the writes, never read whole again
        moto_after = _gsi_queries(ddb, aws.table)  # moto's own, patch undone
    finally:
        moto_patches.forget_indexes()
    assert after == moto_after
    assert after != moto_before  # the writes moved items between partitions
