"""Access matrix of every customer-scoped route, discovered from the declared operations
(paths with ``{customer_no}``), so routes added later are covered without editing this file.

For each route: the customer's own login, another customer's login, anonymous, the account
manager of another customer, a building manager of other premises, an operator and an admin.
Another customer's data must answer exactly as a customer number that does not exist (no
leak: same status and problem code, none of the other customer's data, nothing written).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

import app  # noqa: F401  (registers every area, so OPERATIONS is complete)
from chalicelib.api._http import OPERATIONS, Operation
from devstack.metering import count_calls
from tests.support import ApiClient, World, aws_env, login_factory, world_factory

CUSTOMER_OPS = sorted(
    (op for op in OPERATIONS if "{customer_no}" in op.path), key=lambda o: (o.path, o.method)
)
UNKNOWN = "999999"
WRITES = {
    "dynamodb": {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"},
    "ses": {"SendEmail", "SendRawEmail"},
    "sns": {"Publish"},
    "sqs": {"SendMessage", "SendMessageBatch"},
    "s3": {"PutObject", "DeleteObject"},
}
# What must never appear in an answer about somebody else.
SECRETS = {
    "100001": ("Kowalski", "44051401359", "jan.kowalski", "C-100001-H", "HM-100001"),
    "100002": ("Wiśniewska", "02070803628", "maria.w@", "C-100002-E", "EM-100002"),
}


def test_matrix_covers_the_customer_routes() -> None:
    assert len(CUSTOMER_OPS) >= 2  # at least the overview and the admin customer record
    assert ("GET", "/customers/{customer_no}/overview") in {
        (o.method, o.path) for o in CUSTOMER_OPS
    }
    for op in CUSTOMER_OPS:
        assert op.auth, f"{op.method} {op.path} is customer-scoped but public"


class Matrix:
    def __init__(self, api: ApiClient, world: World, headers: dict[str, dict[str, str]]) -> None:
        self.api = api
        self.world = world
        self.headers = headers

    def call(self, op: Operation, customer_no: str, who: str | None) -> Any:
        path = op.path.replace("{customer_no}", customer_no)
        path = re.sub(r"{\w+}", "X-1", path)  # other path parameters: a value that exists nowhere
        body = {} if op.method in ("POST", "PUT", "PATCH") else None
        headers = dict(self.headers[who]) if who else {}
        return self.api.request(op.method, path, body=body, headers=headers, check=False)


@pytest.fixture(scope="module")
def matrix() -> Iterator[Matrix]:
    """One embedded AWS for the whole matrix (the requests change nothing that matters)."""
    for prov in aws_env():
        world = world_factory()
        login_as = login_factory(prov)
        headers = {
            "customer": login_as("customer", [world.individual]),
            "building_manager": login_as("building_manager", [world.institution]),
            "manager_of_other": login_as("account_manager", manager_id="M2"),
            "manager": login_as("account_manager", manager_id="M1"),
            "operator": login_as("operator"),
            "admin": login_as("admin"),
        }
        yield Matrix(ApiClient(), world, headers)


def _role(who: str) -> str:
    return {"manager_of_other": "account_manager", "manager": "account_manager"}.get(who, who)


def _allowed(op: Operation, who: str) -> bool:
    return op.roles is None or _role(who) in op.roles


def _no_writes(calls: Any) -> list[str]:
    return [f"{svc}:{name}" for svc, name in calls.calls if name in WRITES.get(svc, set())]


def _signature(answer: Any) -> tuple[int, str | None]:
    code = None
    if answer.body[:1] == b"{":
        code = answer.json.get("code") or answer.json.get("Message")
    return answer.status, code


@pytest.mark.parametrize("op", CUSTOMER_OPS, ids=[f"{o.method} {o.path}" for o in CUSTOMER_OPS])
def test_customer_route_access(matrix: Matrix, op: Operation) -> None:
    w = matrix.world
    name = f"{op.method} {op.path}"

    # Anonymous: refused before the route runs.
    assert matrix.call(op, w.individual, None).status in (401, 403), name

    # Own data (the customer, the building manager, the own account manager, the admin).
    for who, customer_no in (
        ("customer", w.individual),
        ("building_manager", w.institution),
        ("manager", w.individual),
        ("admin", w.individual),
    ):
        own = matrix.call(op, customer_no, who)
        assert own.status < 500, f"{name} as {who}: {own.status} {own.body[:200]!r}"
        if _allowed(op, who):
            assert own.status not in (401, 403), f"{name} refused its own {who}: {own.body[:200]!r}"
            if op.method == "GET" and op.path.count("{") == 1 and op.path.startswith("/customers/"):
                assert own.status == 200, f"{name} as {who}: {own.status} {own.body[:200]!r}"
        else:
            assert own.status == 403, f"{name} allowed role {who}"

    # Somebody else's data: exactly the answer for a customer that does not exist.
    for who, target in (
        ("customer", w.other_individual),
        ("building_manager", w.individual),
        ("manager_of_other", w.individual),
        ("operator", w.individual),
    ):
        with count_calls() as calls:
            other = matrix.call(op, target, who)
            unknown = matrix.call(op, UNKNOWN, who)
        assert other.status in (400, 403, 404, 422), (
            f"{name} as {who} on {target}: {other.status} {other.body[:200]!r}"
        )
        assert _signature(other) == _signature(unknown), (
            f"{name} as {who}: {other.body[:200]!r} vs {unknown.body[:200]!r}"
        )
        text = other.body.decode("utf-8", "replace")
        for secret in SECRETS.get(target, ()):
            assert secret not in text, f"{name} as {who} leaked {secret!r}"
        assert _no_writes(calls) == [], f"{name} as {who} wrote {_no_writes(calls)}"
