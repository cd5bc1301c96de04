"""One botocore session per container: every boto3 client and PynamoDB's connection come
from it (a client from a fresh session costs ~60-110 ms at a cold start, from the same one
~15-30 ms)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest

from chalicelib.adapters import aws
from chalicelib.store.base import Item, configure_table


@pytest.fixture
def sessions(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    made: list[Any] = []
    original = botocore.session.Session.__init__

    def counting(self: Any, *args: Any, **kwargs: Any) -> None:
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(botocore.session.Session, "__init__", counting)
    saved = (Item.Meta.table_name, Item.Meta.region)
    aws.reset_clients()
    configure_table("ebok-session-test", "eu-central-1")
    yield made
    aws.reset_clients()
    configure_table(*saved)


def test_every_client_and_the_table_connection_share_one_session(sessions: list[Any]) -> None:
    aws.client("s3")
    aws.client("sqs")
    connection = Item._get_connection().connection
    assert connection.session is aws.botocore_session()
    assert connection.client is not None
    assert len(sessions) == 1
