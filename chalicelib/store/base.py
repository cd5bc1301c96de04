"""The single table: generic keys, one overloaded GSI, a ``type`` discriminator on every item.

Key values are type-prefixed (``CUST#100001``, ``CONTRACT#C-2024-0001``); sort keys hold
sortable ids and ISO timestamps so an item collection reads in a useful order.
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from pynamodb.attributes import (
    Attribute,
    DiscriminatorAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.connection import TableConnection
from pynamodb.constants import NUMBER
from pynamodb.exceptions import PutError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite


class DecimalAttribute(Attribute[Decimal]):
    """A DynamoDB number kept as Decimal (PynamoDB's NumberAttribute goes through float)."""

    attr_type = NUMBER

    def serialize(self, value: Decimal) -> str:
        if not isinstance(value, Decimal):
            raise TypeError(f"DecimalAttribute needs Decimal, got {type(value).__name__}")
        return str(value)

    def deserialize(self, value: str) -> Decimal:
        return Decimal(value)


_EVERY_TYPE = "*"  # the root's "subclasses": every entity type, turned into one condition


class _AreaDiscriminator(DiscriminatorAttribute):
    """The ``type`` of every item. An entity's class registers when its store module is
    imported; a read meeting a ``type`` not registered yet imports the module that defines
    it (``chalicelib.store.AREAS``), so a process loads only the areas it reads.

    A query on ``Item`` itself (an item collection of any entities) filters on
    ``attribute_exists(type)``, not on ``type IN (every registered name)``: the same items
    (every typed entity; ``tests/unit/test_store_registry.py`` keeps the registry complete),
    without importing every area first, and within DynamoDB's limit of 100 operands for
    ``IN`` that the growing list of entities would soon pass."""

    def deserialize(self, value: Any) -> Any:
        if value not in self._discriminator_map:
            from chalicelib.store import load

            load(str(value))
        return super().deserialize(value)

    def get_registered_subclasses(self, cls: type[Any]) -> list[Any]:
        if cls is Item:
            return [_EVERY_TYPE]
        return super().get_registered_subclasses(cls)

    def is_in(self, *values: Any) -> Any:
        if values == (_EVERY_TYPE,):
            return self.exists()
        return super().is_in(*values)


class GSI1(GlobalSecondaryIndex["Item"]):
    """Overloaded index: manager→customers, city→premises, lookups by natural key."""

    class Meta:
        index_name = "GSI1"
        projection = AllProjection()

    GSI1PK = UnicodeAttribute(hash_key=True)
    GSI1SK = UnicodeAttribute(range_key=True)


class Item(Model):
    """Base of every entity in the table (PynamoDB polymorphism by ``type``)."""

    class Meta:
        table_name = os.environ.get("TABLE_NAME", "ebok-local")
        region = os.environ.get("AWS_REGION", os.environ.get("AWS_DEFAULT_REGION", "eu-central-1"))

    PK = UnicodeAttribute(hash_key=True)
    SK = UnicodeAttribute(range_key=True)
    GSI1PK = UnicodeAttribute(null=True)
    GSI1SK = UnicodeAttribute(null=True)
    type = _AreaDiscriminator(attr_name="type")
    expires_at = TTLAttribute(null=True)

    gsi1 = GSI1()

    def to_public(self) -> dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    @classmethod
    def _get_connection(cls) -> TableConnection:
        """One connection for every entity of the table. PynamoDB caches a connection per
        model class, each with its own botocore session and client (about 100 ms each at a
        cold start); all entities share the table's key schema, so they share Item's."""
        if cls is Item:
            fresh = cls._connection is None or cls._connection.table_name != cls.Meta.table_name
            conn = super()._get_connection()
            if fresh:
                _share_session(conn)
            return conn
        if cls._connection is None or cls._connection is not Item._connection:
            cls._connection = Item._get_connection()
        return cls._connection


def _share_session(conn: TableConnection) -> None:
    """PynamoDB's client from the process's one botocore session (``adapters.aws``), not a
    session of its own: the endpoint data and retry rules are loaded once per container.
    Other threads keep PynamoDB's own per-thread sessions."""
    from chalicelib.adapters import aws

    inner = conn.connection
    inner._local.session = aws.botocore_session()
    aws.create_with_session(lambda: inner.client)


def save_new(item: Item) -> bool:
    """Write ``item`` only if its key is free: True when written, False when an item with its
    key exists already (a replay, a marker of something done once). Other errors propagate."""
    try:
        item.save(condition=Item.PK.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def transaction() -> TransactWrite:
    """A write transaction on the table (balances, counters, invoice numbers use these),
    on the entities' own connection (no second botocore session and client)."""
    return TransactWrite(connection=Item._get_connection().connection)


def configure_table(name: str, region: str | None = None) -> None:
    """Point the models at another table (tests and the local stack); drops the cached
    connection so the next call is made with the current endpoint settings."""
    Item.Meta.table_name = name
    if region:
        Item.Meta.region = region
    stack: list[type[Model]] = [Item]
    while stack:
        cls = stack.pop()
        cls._connection = None
        stack.extend(cls.__subclasses__())
