"""Where moto 5.2 behaves unlike AWS in ways the product's guarantees rest on, the embedded
AWS is brought back to AWS's behaviour (see DESIGN.md, "Known pitfalls").

- ``enforce_cognito_app_clients``: AWS refuses an auth flow the app client does not list in
  ``ExplicitAuthFlows`` and, for a client with a secret, any call without the right
  ``SECRET_HASH``; moto's ``USER_PASSWORD_AUTH`` checks neither, so a direct call would get
  tokens for a user the application has locked.
- ``serialise_dynamodb``: DynamoDB applies each request atomically; moto's
  ``TransactWriteItems`` deep-copies the whole table and restores that copy when a
  transaction fails, so under concurrent requests other threads' commits are silently
  lost. One lock around every moto DynamoDB request restores the real guarantee.

Where moto is slower than it needs to be in ways that decide how the local stack feels (and
what ``make bench`` measures), these changes keep moto's results and make the work DynamoDB's:

- ``query_one_partition``: moto's Query on a table (not an index) reads every item of the
  table and keeps those of the asked partition; it now reads the asked partition only
  (moto keeps items by partition already). Same items, order, paging and filters.
- ``journal_transactions``: moto's TransactWriteItems deep-copies every table it writes
  before the first write, to restore it if the transaction fails (a 4000-item table:
  seconds per transaction). It now copies only the items the transaction names (at most
  100) and, if moto cancels the transaction, puts exactly those back (and drops the stream
  records the cancelled writes made): the same state as moto's restore, without the copy.
- ``index_partitions``: moto's Query on a global secondary index reads every item of the
  table and keeps those whose index key matches (a 4000-item table: ~35 ms for a query
  DynamoDB answers from one index partition). It now reads the items of the asked index
  partition, from an index of the table's items by their GSI hash key, kept current
  request by request: every write request marks the items it names (a request it cannot
  read drops every index). Same items, order, paging and filters (moto still checks every
  condition and sorts). It takes the DynamoDB lock of ``serialise_dynamodb`` around every
  request itself, so the index never meets a write half done.
- ``serialise_attribute_values``: moto 5.2 writes every DynamoDB answer through its generic,
  model-driven serializer, which looks up ten possible members (with their name variants)
  for every attribute value of every item: 80% of a Query's time for seven items. An
  attribute value (``{"S": ...}``, ``{"M": {...}}``, ...) is now written directly, exactly
  as that serializer writes it (strings, base64 for binary, booleans as they are, None
  members left out); anything unexpected in one goes the generic way.

All are idempotent and process-wide: the local stack (moto's threaded server runs in the
``make run`` process) calls ``apply_all`` once, and the in-process test backend calls the
ones it needs.
"""

from __future__ import annotations

import contextvars
import copy
import functools
import threading
from collections.abc import Callable
from typing import Any

Setter = Callable[[Any, str, Any], None]
_DONE: set[str] = set()
_LOCK = threading.RLock()

# Flow name -> the ExplicitAuthFlows entry AWS requires for it.
_FLOW_SETTING = {
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    "USER_SRP_AUTH": "ALLOW_USER_SRP_AUTH",
    "CUSTOM_AUTH": "ALLOW_CUSTOM_AUTH",
    "ADMIN_USER_PASSWORD_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "REFRESH_TOKEN_AUTH": "ALLOW_REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN": "ALLOW_REFRESH_TOKEN_AUTH",
}


def _check_client(pool: Any, client: Any, flow: str, params: dict[str, str]) -> None:
    from moto.cognitoidp.exceptions import InvalidParameterException, NotAuthorizedError
    from moto.cognitoidp.utils import check_secret_hash

    allowed = client.extended_config.get("ExplicitAuthFlows") or []
    if allowed and _FLOW_SETTING.get(flow) not in allowed:
        raise InvalidParameterException(f"{flow} flow not enabled for this client")
    username = params.get("USERNAME", "")
    if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        # moto answers an unknown refresh token with a KeyError (a 500); AWS refuses it.
        known = pool.refresh_tokens.get(params.get("REFRESH_TOKEN", ""))
        if not known:
            raise NotAuthorizedError("Invalid Refresh Token")
        username = known[1]
    secret_hash = params.get("SECRET_HASH")
    if client.generate_secret and not check_secret_hash(
        client.secret, client.id, username, secret_hash
    ):
        raise NotAuthorizedError(f"Client {client.id} is configured with secret")


def enforce_cognito_app_clients() -> None:
    if "cognito" in _DONE:
        return
    from moto.cognitoidp.models import CognitoIdpBackend

    original_user = CognitoIdpBackend.initiate_auth
    original_admin = CognitoIdpBackend.admin_initiate_auth

    def initiate_auth(
        self: Any, client_id: str, auth_flow: str, auth_parameters: dict[str, str]
    ) -> Any:
        for pool in self.user_pools.values():
            if client_id in pool.clients:
                _check_client(pool, pool.clients[client_id], auth_flow, auth_parameters or {})
        return original_user(self, client_id, auth_flow, auth_parameters)

    def admin_initiate_auth(
        self: Any,
        user_pool_id: str,
        client_id: str,
        auth_flow: str,
        auth_parameters: dict[str, str],
    ) -> Any:
        pool = self.user_pools.get(user_pool_id)
        if pool is not None and client_id in pool.clients:
            _check_client(pool, pool.clients[client_id], auth_flow, auth_parameters or {})
        return original_admin(self, user_pool_id, client_id, auth_flow, auth_parameters)

    CognitoIdpBackend.initiate_auth = initiate_auth  # type: ignore[method-assign]
    CognitoIdpBackend.admin_initiate_auth = admin_initiate_auth  # type: ignore[method-assign]
    _DONE.add("cognito")


def serialise_dynamodb() -> None:
    if "dynamodb" in _DONE:
        return
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.call_action

    def locked(self: Any) -> Any:
        with _LOCK:
            return original(self)

    DynamoHandler.call_action = locked  # type: ignore[method-assign]
    _DONE.add("dynamodb")


# (table, partition key) of the table Query running in this thread, for ``all_items``.
_PARTITION: contextvars.ContextVar[tuple[Any, Any] | None] = contextvars.ContextVar(
    "moto_query_partition", default=None
)


def _setter(patch: Setter | None, name: str) -> Setter | None:
    """``patch`` (a test's ``monkeypatch.setattr``, undone after the test) or, once per
    process, ``setattr``; None when the process-wide patch is already in."""
    if patch is not None:
        return patch
    if name in _DONE:
        return None
    _DONE.add(name)
    return setattr


def query_one_partition(patch: Setter | None = None) -> None:
    apply = _setter(patch, "query")
    if apply is None:
        return
    import inspect

    from moto.dynamodb.models.table import Table

    original_query = Table.query
    original_all_items = Table.all_items
    signature = inspect.signature(original_query)

    def all_items(self: Any) -> Any:
        hint = _PARTITION.get()
        if hint is None or hint[0] is not self:
            return original_all_items(self)
        part = self.items.get(hint[1])  # .get: never add a partition (items is a defaultdict)
        if part is None:
            return []
        return list(part.values()) if self.range_key_attr else [part]

    # ``wraps``: a patch applied after this one reads moto's signature through it.
    @functools.wraps(original_query)
    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        hash_key = bound.arguments.get("hash_key")
        if bound.arguments.get("index_name") or hash_key is None:
            return original_query(self, *args, **kwargs)
        # moto's table branch keeps ``item.hash_key == hash_key`` of all_items(): the same
        # test over the one partition those items are stored under.
        token = _PARTITION.set((self, hash_key))
        try:
            return original_query(self, *args, **kwargs)
        finally:
            _PARTITION.reset(token)

    apply(Table, "all_items", all_items)
    apply(Table, "query", query)


def _touched(backend: Any, transact_items: list[dict[str, Any]]) -> list[tuple[Any, Any, Any]]:
    """(table, partition key, sort key) of every item the transaction names, in order; an
    operation whose key cannot be read writes nothing (moto refuses it)."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    keys = []
    for entry in transact_items:
        for op_type, op in entry.items():
            if not isinstance(op, dict):
                continue
            table = backend.tables.get(op.get("TableName") or "")
            key = op.get("Item") if op_type == "Put" else op.get("Key")
            if table is None or not isinstance(key, dict) or table.hash_key_attr not in key:
                continue
            sort = key.get(table.range_key_attr) if table.range_key_attr else None
            try:
                keys.append(
                    (
                        table,
                        DynamoType(key[table.hash_key_attr]),
                        DynamoType(sort) if sort is not None else None,
                    )
                )
            except Exception:  # noqa: S112 - a malformed key: moto refuses the operation
                continue
    return keys


class _Journal:
    """The items a transaction names as they were before it, and each table's stream length."""

    def __init__(self, backend: Any, transact_items: list[dict[str, Any]]) -> None:
        self.entries = []
        self.streams: dict[int, tuple[Any, int]] = {}
        for table, hash_key, range_key in _touched(backend, transact_items):
            existed = hash_key in table.items
            if table.range_key_attr:
                before = table.items[hash_key].get(range_key) if existed else None
            else:
                before = table.items.get(hash_key)
            self.entries.append((table, hash_key, range_key, existed, copy.deepcopy(before)))
            shard = table.stream_shard
            if shard is not None:
                self.streams.setdefault(id(shard), (shard, len(shard.items)))

    @staticmethod
    def tables(backend: Any, transact_items: list[dict[str, Any]]) -> list[Any]:
        """Every table the transaction names (moto copies each of them)."""
        names = {
            op.get("TableName")
            for entry in transact_items
            for op in entry.values()
            if isinstance(op, dict)
        }
        return [backend.tables[n] for n in names if isinstance(n, str) and n in backend.tables]

    def restore(self) -> None:
        # Reversed: when a key is named twice (moto refuses that) the first copy wins.
        for table, hash_key, range_key, existed, before in reversed(self.entries):
            if not table.range_key_attr:
                if before is None:
                    table.items.pop(hash_key, None)
                else:
                    table.items[hash_key] = before
                continue
            part = table.items[hash_key]
            if before is None:
                part.pop(range_key, None)
            else:
                part[range_key] = before
            if not existed and not part:
                del table.items[hash_key]
        for shard, length in self.streams.values():
            del shard.items[length:]


def journal_transactions(patch: Setter | None = None) -> None:
    apply = _setter(patch, "transactions")
    if apply is None:
        return
    from moto.dynamodb.models import DynamoDBBackend

    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        with _LOCK:  # the journal holds only while no other request writes
            journal = _Journal(self, transact_items)
            tables = journal.tables(self, transact_items)
            # moto deep-copies each named table for its own restore: hand it the table
            # itself (its restore then changes nothing) and restore from the journal.
            for table in tables:
                table.__deepcopy__ = lambda memo, table=table: table
            try:
                return original(self, transact_items)  # type: ignore[no-any-return]
            except Exception:
                journal.restore()
                raise
            finally:
                for table in tables:
                    del table.__deepcopy__

    apply(DynamoDBBackend, "transact_write_items", transact_write_items)


_STRINGS = frozenset({"S", "N"})
_AS_IS = frozenset({"BOOL", "NULL"})
_NOT_SIMPLE = object()


def _text(value: Any) -> Any:
    """moto's JSON string member: ``str(value)`` unless None, {} or []."""
    return str(value) if value not in [None, {}, []] else value


def _attribute_value(serializer: Any, value: Any) -> Any:
    """An AttributeValue as moto's JSON serializer writes it, or ``_NOT_SIMPLE``."""
    if not isinstance(value, dict):
        return _NOT_SIMPLE
    out: dict[str, Any] = {}
    for name, member in value.items():
        if member is None:
            continue  # the serializer leaves None members out
        done = _member(serializer, name, member)
        if done is _NOT_SIMPLE:
            return _NOT_SIMPLE
        out[name] = done
    return out


def _member(serializer: Any, name: str, member: Any) -> Any:
    if name in _STRINGS:
        return _text(member)
    if name in _AS_IS:
        return member
    if name == "B":
        return serializer._base64(member)
    if name in ("SS", "NS") and isinstance(member, list):
        return [_text(v) for v in member]
    if name == "BS" and isinstance(member, list):
        return [serializer._base64(v) for v in member]
    if name == "M" and isinstance(member, dict):
        return _map(serializer, member)
    if name == "L" and isinstance(member, list):
        return _list(serializer, member)
    return _NOT_SIMPLE  # another member name (an alias): the generic way


def _map(serializer: Any, member: dict[str, Any]) -> Any:
    inner: dict[str, Any] = {}
    for key, item in member.items():
        if item is None:
            continue  # a None map value is left out
        done = _attribute_value(serializer, item)
        if done is _NOT_SIMPLE:
            return _NOT_SIMPLE
        inner[key] = done
    return inner


def _list(serializer: Any, member: list[Any]) -> Any:
    items = []
    for item in member:
        done = None if item is None else _attribute_value(serializer, item)
        if done is _NOT_SIMPLE:
            return _NOT_SIMPLE
        items.append(done)  # a None element stays None
    return items


def serialise_attribute_values(patch: Setter | None = None) -> None:
    apply = _setter(patch, "serializer")
    if apply is None:
        return
    from moto.core.serialize import BaseJSONSerializer

    original = BaseJSONSerializer._serialize_type_structure

    def structure(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
        if key and shape.name == "AttributeValue":
            done = _attribute_value(self, value)
            if done is not _NOT_SIMPLE:
                self._default_serialize(serialized, done, shape, key)
                return
        original(self, serialized, value, shape, key)

    apply(BaseJSONSerializer, "_serialize_type_structure", structure)


# --- global secondary index queries by index partition ------------------------------------

# The requests that write nothing; any other request marks what it names (or, when its
# items cannot be read, the whole table) as changed for ``index_partitions``.
_READS = frozenset(
    {
        "GetItem",
        "BatchGetItem",
        "Query",
        "Scan",
        "TransactGetItems",
        "DescribeTable",
        "ListTables",
        "DescribeTimeToLive",
        "ListTagsOfResource",
        "DescribeContinuousBackups",
        "DescribeEndpoints",
        "DescribeLimits",
    }
)


class _GsiIndex:
    """One table's items by the value of one GSI hash attribute, and what changed since."""

    def __init__(self) -> None:
        self.by_value: dict[Any, dict[tuple[Any, Any], Any]] = {}
        self.value_of: dict[tuple[Any, Any], Any] = {}
        self.built = False

    def build(self, table: Any, attr: str) -> None:
        self.by_value.clear()
        self.value_of.clear()
        for item in table.all_items():
            self._add(item, attr)
        self.built = True

    def _add(self, item: Any, attr: str) -> None:
        value = item.attrs.get(attr)
        if not value:
            return
        key = (item.hash_key, item.range_key)
        self.by_value.setdefault(value, {})[key] = item
        self.value_of[key] = value

    def refresh(self, table: Any, attr: str, key: tuple[Any, Any]) -> None:
        old = self.value_of.pop(key, None)
        if old is not None:
            self.by_value.get(old, {}).pop(key, None)
        part = table.items.get(key[0])  # .get: never add a partition (items is a defaultdict)
        item = part.get(key[1]) if table.range_key_attr and part is not None else part
        if item is not None:
            self._add(item, attr)


# id(table) -> (table, {GSI hash attribute: index}, keys changed since the last query)
_GSI: dict[int, tuple[Any, dict[str, _GsiIndex], set[tuple[Any, Any]]]] = {}
# (table, items) of the index Query running in this thread, for ``all_items``.
_INDEX_ITEMS: contextvars.ContextVar[tuple[Any, list[Any]] | None] = contextvars.ContextVar(
    "moto_index_items", default=None
)


def _written(action: str, body: Any) -> list[tuple[Any, Any]] | None:
    """(table name, item or key) of every item a write request names; None when the
    request's items cannot be read from it (then every index is rebuilt)."""
    if not isinstance(body, dict):
        return None
    if action == "PutItem":
        return [(body.get("TableName"), body.get("Item"))]
    if action in ("UpdateItem", "DeleteItem"):
        return [(body.get("TableName"), body.get("Key"))]
    if action == "BatchWriteItem":
        out = []
        for name, requests in (body.get("RequestItems") or {}).items():
            for request in requests:
                put, delete = request.get("PutRequest"), request.get("DeleteRequest")
                out.append((name, (put or {}).get("Item") or (delete or {}).get("Key")))
        return out
    if action == "TransactWriteItems":
        out = []
        for entry in body.get("TransactItems") or []:
            for op_type, op in entry.items():
                if op_type != "ConditionCheck" and isinstance(op, dict):
                    out.append((op.get("TableName"), op.get("Item") or op.get("Key")))
        return out
    return None


def _note_writes(handler: Any) -> None:
    """After a DynamoDB request (under ``_LOCK``): mark the items it wrote as changed."""
    if not _GSI:
        return
    try:
        action = handler._get_action()
    except Exception:
        action = ""
    if action in _READS:
        return
    named = _written(action, getattr(handler, "body", None))
    if named is None:
        _GSI.clear()
        return
    from moto.dynamodb.models.dynamo_type import DynamoType

    by_name = {t.name: (t, changed) for t, _, changed in _GSI.values()}
    for name, key in named:
        entry = by_name.get(name)
        if entry is None:
            continue
        table, changed = entry
        try:
            hash_value = DynamoType(key[table.hash_key_attr])
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        except Exception:  # a malformed key: moto refused it, or rebuild to be sure
            _GSI.pop(id(table), None)
            continue
        changed.add((hash_value, range_value))


def _index_items(table: Any, attr: str, value: Any) -> list[Any]:
    entry = _GSI.get(id(table))
    if entry is None or entry[0] is not table:
        entry = (table, {}, set())
        _GSI[id(table)] = entry
    _, indexes, changed = entry
    if changed:
        for name, known in indexes.items():
            for key in changed:
                known.refresh(table, name, key)
        changed.clear()
    index = indexes.setdefault(attr, _GsiIndex())
    if not index.built:
        index.build(table, attr)
    return list(index.by_value.get(value, {}).values())


def index_partitions(patch: Setter | None = None) -> None:
    apply = _setter(patch, "index")
    if apply is None:
        return
    import inspect

    from moto.dynamodb.models.table import GlobalSecondaryIndex, Table
    from moto.dynamodb.responses import DynamoHandler

    original_call = DynamoHandler.call_action
    original_query = Table.query
    original_all_items = Table.all_items
    signature = inspect.signature(original_query)

    def all_items(self: Any) -> Any:
        hint = _INDEX_ITEMS.get()
        if hint is None or hint[0] is not self:
            return original_all_items(self)
        return hint[1]

    @functools.wraps(original_query)
    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        name = bound.arguments.get("index_name")
        index = next((i for i in self.global_indexes if i.name == name), None) if name else None
        hash_keys = (
            [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"] if index else []
        )
        conditions = dict(bound.arguments.get("hash_key_conditions") or [])
        value = conditions.get(hash_keys[0]) if hash_keys else None
        if value is None and len(hash_keys) == 1:
            value = bound.arguments.get("hash_key")
        if not isinstance(index, GlobalSecondaryIndex) or value is None:
            return original_query(self, *args, **kwargs)
        with _LOCK:
            token = _INDEX_ITEMS.set((self, _index_items(self, hash_keys[0], value)))
            try:
                return original_query(self, *args, **kwargs)
            finally:
                _INDEX_ITEMS.reset(token)

    def call_action(self: Any) -> Any:
        with _LOCK:
            try:
                return original_call(self)
            finally:
                _note_writes(self)

    apply(Table, "all_items", all_items)
    apply(Table, "query", query)
    apply(DynamoHandler, "call_action", call_action)


def forget_indexes() -> None:
    """Drop every index (tests: the tables they were built on are gone)."""
    with _LOCK:
        _GSI.clear()


def apply_all() -> None:
    enforce_cognito_app_clients()
    serialise_dynamodb()
    query_one_partition()
    index_partitions()
    journal_transactions()
    serialise_attribute_values()
