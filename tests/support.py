"""Shared test support: moto environment, an OpenAPI-checking client, logins, demo records."""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import boto3
import jsonschema
import moto
import pytest
from moto import mock_aws

from chalicelib.domain import clock as _real_clock
from devstack.moto_patches import enforce_cognito_app_clients, journal_transactions
from devstack.provision import Provisioned, provision

# The embedded Cognito refuses flows the app client does not allow and calls without its
# SECRET_HASH, as AWS does (devstack/moto_patches.py).
enforce_cognito_app_clients()


def _jwks_file() -> Path:
    """moto signs tokens with a fixed key it ships gzipped; the authorizer reads the public
    half over a file:// URL in place of the pool's https JWKS endpoint.

    One file per pytest-xdist worker (``PYTEST_XDIST_WORKER``), written whole under a
    temporary name and renamed into place: another worker, or another run on the machine,
    never reads a half-written file."""
    import tempfile

    from moto.utilities.utils import load_resource

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    path = Path(tempfile.gettempdir()) / f"ebok-moto-jwks-{moto.__version__}-{worker}.json"
    if not path.exists():
        part = path.with_name(f"{path.name}.{os.getpid()}.part")
        part.write_text(json.dumps(load_resource("cognitoidp/resources/jwks-public.json")))
        os.replace(part, path)
    return path


JWKS_FILE = _jwks_file()
REGION = "eu-central-1"
DEFAULT_PASSWORD = "Haslo-Testowe-123"


_CLIENT_CACHE: dict[tuple[str, str | None, str | None], Any] = {}
_boto3_client = boto3.client


def _cached_client(service_name: str, *args: Any, **kwargs: Any) -> Any:
    """Creating a botocore client loads its service model (~60 ms); moto's interception does
    not depend on when a client was made, so tests share plain clients across tests."""
    if args or set(kwargs) - {"region_name", "endpoint_url"}:
        return _boto3_client(service_name, *args, **kwargs)
    key = (service_name, kwargs.get("region_name"), kwargs.get("endpoint_url"))
    if key not in _CLIENT_CACHE:
        _CLIENT_CACHE[key] = _boto3_client(service_name, **kwargs)
    return _CLIENT_CACHE[key]


boto3.client = _cached_client  # type: ignore[assignment]


def _reset_app_caches() -> None:
    from chalicelib.config import settings
    from chalicelib.store.base import Item, configure_table

    settings.cache_clear()
    # Tariffs read in an earlier test must not stand in for this test's (a restored snapshot
    # does not go through load_tariffs, which clears them).
    from chalicelib.services import tariffs

    tariffs.clear_cache()
    # The app's clients and PynamoDB's connection survive between tests (same region and
    # table, no endpoint override); only a changed table name needs a new connection.
    if Item.Meta.table_name != os.environ["TABLE_NAME"]:
        configure_table(os.environ["TABLE_NAME"], REGION)


# --- embedded AWS: provisioned once, then restored per test ----------------------------
#
# Every test still gets a fresh ``mock_aws`` (moto resets all of its state on entry and
# exit), but instead of provisioning the template again (CloudFormation in moto, ~1-3 s) the
# backends are restored from a deep copy taken right after the first provisioning. The same
# holds for the demo records of ``world_factory`` and any other expensive seeding wrapped in
# ``snapshot(...)``: built once from the freshly provisioned state, restored afterwards.


class _Requests:
    """Requests moto has answered in this process: a snapshot is only restored on top of
    the state it was taken from (nothing has been asked of AWS since)."""

    served = 0


def _count_moto_requests() -> None:
    from moto.core.botocore_stubber import BotocoreStubber

    if getattr(BotocoreStubber.process_request, "_ebok_counted", False):
        return
    original = BotocoreStubber.process_request

    def counted(self: Any, request: Any) -> Any:
        _Requests.served += 1
        return original(self, request)

    counted._ebok_counted = True  # type: ignore[attr-defined]
    BotocoreStubber.process_request = counted  # type: ignore[method-assign]


_count_moto_requests()


@dataclass
class _Snapshot:
    """moto's region backends (one deep copy, so references between them hold) and the
    value the builder returned."""

    backends: list[tuple[Any, str, str, Any]]
    value: Any


@contextmanager
def _copyable_locks() -> Iterator[None]:
    """moto's models hold locks and conditions (SQS queues, S3 keys) and S3 keys spool
    their bodies: a copy gets fresh, unheld locks and its own copy of the body."""
    import copyreg
    import tempfile
    import threading

    def spooled(f: Any) -> Any:
        pos = f.tell()
        f.seek(0)
        data = f.read()
        f.seek(pos)
        return _respooled, (data, pos, f._max_size, getattr(f, "mode", "w+b"))

    kinds = {
        type(threading.Lock()): lambda _: (threading.Lock, ()),
        type(threading.RLock()): lambda _: (threading.RLock, ()),
        threading.Condition: lambda _: (threading.Condition, ()),
        threading.Event: lambda _: (threading.Event, ()),
        tempfile.SpooledTemporaryFile: spooled,
    }
    saved = {k: copyreg.dispatch_table.get(k) for k in kinds}
    copyreg.dispatch_table.update(kinds)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                copyreg.dispatch_table.pop(k, None)
            else:
                copyreg.dispatch_table[k] = v


def _respooled(data: bytes, pos: int, max_size: int, mode: str) -> Any:
    import tempfile

    f = tempfile.SpooledTemporaryFile(max_size=max_size, mode=mode)  # noqa: SIM115
    f.write(data)
    f.seek(pos)
    return f


def _capture(value: Any) -> _Snapshot:
    from moto.core.base_backend import BackendDict

    live = [
        (bd, account, region, backend)
        for bd in list(BackendDict._instances)
        for account, per_account in bd.items()
        for region, backend in per_account.items()
    ]
    with _copyable_locks():
        copied = copy.deepcopy(([b for *_, b in live], value), _shared_memo())
    backends = [(bd, a, r, b) for (bd, a, r, _), b in zip(live, copied[0], strict=True)]
    return _Snapshot(backends, copied[1])


def _shared_memo() -> dict[int, Any]:
    """Objects a copy must share, not duplicate: moto's registries of backends."""
    from moto.core.base_backend import BackendDict

    return {id(bd): bd for bd in BackendDict._instances}


def _restore(snap: _Snapshot) -> Any:
    """Put copies of the snapshot's backends in place of moto's current ones."""
    from moto.core.base_backend import BackendDict, backend_lock

    with _copyable_locks():
        backends, value = copy.deepcopy(
            ([b for *_, b in snap.backends], snap.value), _shared_memo()
        )
    with backend_lock:  # the current state is dropped, as moto's reset would (minus re-inits)
        for bd in BackendDict._instances:
            dict.clear(bd)
        BackendDict._instances.clear()
    for (bd, account, region, _), backend in zip(snap.backends, backends, strict=True):
        dict.__setitem__(bd[account], region, backend)
    return value


_SNAPSHOTS: dict[tuple[Any, ...], _Snapshot] = {}
_REAL_NOW = _real_clock.now


class _Base:
    """What the running test's AWS was restored from (a snapshot key) and the request count
    at that moment."""

    key: tuple[Any, ...] | None = None
    served = -1


# Set by the tools themselves as the run goes: pytest (the current test) and chalice's test
# client (it marks the process a Lambda the first time it invokes the app).
_VOLATILE_ENV = {"PYTEST_CURRENT_TEST", "PYTEST_VERSION", "AWS_EXECUTION_ENV"}


def _context_key(name: str, parent: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    """A snapshot applies only where the build would have produced the same thing: same
    environment, the product clock not replaced by the test, the same Warsaw day."""
    from chalicelib.domain import clock

    if clock.now is not _REAL_NOW:
        return None
    day = clock.to_warsaw(clock.now()).date().isoformat()
    env = frozenset((k, v) for k, v in os.environ.items() if k not in _VOLATILE_ENV)
    return (name, parent, day, env)


def snapshot(name: str, build: Any) -> Any:
    """``build()`` on the current embedded AWS, once: later calls made on the same untouched
    starting state restore moto's backends as ``build`` left them and return a copy of its
    value. Falls back to calling ``build()`` when anything has happened since the start."""
    pristine = _Base.key is not None and _Requests.served == _Base.served
    key = _context_key(name, _Base.key) if pristine else None
    if key is not None and key in _SNAPSHOTS:
        value = _restore(_SNAPSHOTS[key])
    else:
        value = build()
        if key is not None:
            _SNAPSHOTS[key] = _capture(value)
    _Base.key = key
    _Base.served = _Requests.served
    return value


def aws_env(*, moto_as_is: bool = False) -> Iterator[Provisioned]:
    """Fresh embedded AWS with every resource of infra/template.yaml.

    Its transactions are journaled as in ``make run``'s stack (``devstack.moto_patches``:
    moto deep-copies every table a transaction names, so a test's cost grew with the
    table; the journal copies only the named items and restores them as moto does, which
    tests/integration/test_cold_local_stack.py proves against moto itself). ``moto_as_is``
    (the ``moto_as_is`` mark) leaves moto unpatched for those comparisons."""
    with mock_aws(), pytest.MonkeyPatch.context() as patches:
        if not moto_as_is:
            journal_transactions(patches.setattr)
        _Base.key, _Base.served = (), _Requests.served
        prov = snapshot(
            "provisioned", lambda: provision(lambda name: boto3.client(name, region_name=REGION))
        )
        saved = {k: os.environ.get(k) for k in (*prov.environment(), "COGNITO_JWKS_URL")}
        os.environ.update(prov.environment())
        os.environ["COGNITO_JWKS_URL"] = JWKS_FILE.as_uri()
        _reset_app_caches()
        try:
            yield prov
        finally:
            _Base.key = None
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            _reset_app_caches()


def serialise_moto(monkeypatch: Any) -> None:
    """DynamoDB and SQS apply each request atomically; in-process moto does not (a transaction
    checks its conditions, then writes, with other threads running in between; a FIFO receive
    iterates the queue's in-flight set while another thread's delete shrinks it). One lock per
    service around each moto request restores the real guarantee, so a concurrency test
    exercises our conditional writes and not moto's gaps."""
    import threading

    from moto.dynamodb.responses import DynamoHandler
    from moto.sqs.responses import SQSResponse

    for handler in (DynamoHandler, SQSResponse):
        lock = threading.RLock()
        original = handler.call_action

        def locked(self: Any, _lock: Any = lock, _original: Any = original) -> Any:
            with _lock:
                return _original(self)

        monkeypatch.setattr(handler, "call_action", locked)


# --- HTTP client that checks every answer against the OpenAPI document ----------------


def _operations() -> list[tuple[re.Pattern[str], str, Any]]:
    import app  # noqa: F401  (registers every area)
    from chalicelib.api._http import OPERATIONS

    ops = []
    for op in OPERATIONS:
        pattern = re.compile("^" + re.sub(r"{\w+}", r"[^/]+", op.path) + "$")
        ops.append((pattern, op.method, op))
    return ops


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class ApiClient:
    """chalice.test.Client wrapper: JSON in, and every response validated against the
    documented schema of its operation and status (a problem document for errors)."""

    def __init__(self) -> None:
        from chalice.test import Client

        import app

        self._client = Client(app.app, stage_name="local")
        self._ops = _operations()

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | str | None = None,
        check: bool = True,
    ) -> Answer:
        hdrs = {"Accept-Language": "pl", **(headers or {})}
        payload: bytes | str | None = raw
        if body is not None:
            payload = json.dumps(body)
            hdrs.setdefault("Content-Type", "application/json")
        resp = self._client.http.request(method, path, headers=hdrs, body=payload or b"")
        answer = Answer(resp.status_code, dict(resp.headers), resp.body)
        if check:
            self._check(method, path, answer)
        return answer

    def _check(self, method: str, path: str, answer: Answer) -> None:
        from chalicelib.schemas.common import PROBLEM

        bare = path.split("?", 1)[0]
        op = next((o for p, m, o in self._ops if m == method.upper() and p.match(bare)), None)
        if op is None:
            # Gateway answers (no route / authorizer refusal) are not the app's.
            assert answer.status in (401, 403, 404, 405), f"undocumented {method} {path}"
            return
        if answer.status in (401, 403) and "Content-Type" not in answer.headers:
            return
        documented = {op.status, *op.errors, 500}
        assert answer.status in documented, (
            f"{method} {path} answered {answer.status}, documented {sorted(documented)}: "
            f"{answer.body[:300]!r}"
        )
        ctype = answer.headers.get("Content-Type", "")
        if answer.status >= 400:
            if not ctype and answer.status in (401, 403):
                return  # refused by the (local) gateway's authorizer, before the app
            assert ctype.startswith("application/problem+json"), ctype
            jsonschema.validate(answer.json, PROBLEM)
        elif op.response is not None and op.response_type == "application/json":
            jsonschema.validate(answer.json, op.response)

    def get(self, path: str, **kw: Any) -> Answer:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Answer:
        return self.request("POST", path, body=body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> Answer:
        return self.request("PUT", path, body=body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> Answer:
        return self.request("PATCH", path, body=body, **kw)

    def delete(self, path: str, **kw: Any) -> Answer:
        return self.request("DELETE", path, **kw)


def api_client() -> ApiClient:
    return ApiClient()


# --- logins --------------------------------------------------------------------------


def cognito_user(prov: Provisioned, username: str, email: str, group: str) -> str:
    """Create a confirmed Cognito user in a group and return an access token."""
    idp = boto3.client("cognito-idp", region_name=REGION)
    idp.admin_create_user(
        UserPoolId=prov.user_pool_id,
        Username=username,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(
        UserPoolId=prov.user_pool_id, Username=username, Password=DEFAULT_PASSWORD, Permanent=True
    )
    idp.admin_add_user_to_group(UserPoolId=prov.user_pool_id, Username=username, GroupName=group)
    from chalicelib.adapters.cognito import secret_hash

    auth = idp.admin_initiate_auth(
        UserPoolId=prov.user_pool_id,
        ClientId=prov.client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": username,
            "PASSWORD": DEFAULT_PASSWORD,
            "SECRET_HASH": secret_hash(username, prov.client_id, prov.client_secret),
        },
    )
    return str(auth["AuthenticationResult"]["AccessToken"])


def login_factory(prov: Provisioned):  # type: ignore[no-untyped-def]
    """``login_as(role, customers=[...], manager_id=None) -> headers``."""
    from chalicelib.domain.principal import GROUP_OF_ROLE
    from chalicelib.services.customers import create_login

    counter = {"n": 0}

    def login_as(
        role: str, customers: list[str] | None = None, manager_id: str | None = None
    ) -> dict[str, str]:
        counter["n"] += 1
        username = f"{90000000 + counter['n']}"
        create_login(username, role, customers or [], manager_id)
        token = cognito_user(prov, username, f"user{counter['n']}@example.pl", GROUP_OF_ROLE[role])
        return {"Authorization": f"Bearer {token}"}

    return login_as


# --- demo records --------------------------------------------------------------------


@dataclass
class World:
    """Two account managers, an individual and an institution with heat and power."""

    managers: list[str] = field(default_factory=list)
    individual: str = "100001"
    institution: str = "200001"
    other_individual: str = "100002"
    contracts: dict[str, str] = field(default_factory=dict)
    meters: dict[str, str] = field(default_factory=dict)
    premises: dict[str, str] = field(default_factory=dict)


def world_factory() -> World:
    from chalicelib.services import customers as svc

    w = World()
    svc.create_account_manager("M1", "Anna Nowak", "+48713000001", "anna.nowak@cieplo.example.pl")
    svc.create_account_manager(
        "M2", "Piotr Zieliński", "+48423000002", "piotr.zielinski@cieplo.example.pl"
    )
    w.managers = ["M1", "M2"]
    svc.create_customer(
        svc.NewCustomer(
            customer_no=w.individual,
            kind="individual",
            name="Jan Kowalski",
            pesel="44051401359",
            address={
                "street": "ul. Legnicka",
                "building": "12",
                "apartment": "4",
                "postal_code": "53-674",
                "city": "Wrocław",
            },
            email="jan.kowalski@example.pl",
            phone="+48600100200",
            manager_id="M1",
            einvoice_consent=True,
        )
    )
    p = svc.add_premises(
        w.individual,
        "Mieszkanie",
        {
            "street": "ul. Legnicka",
            "building": "12",
            "apartment": "4",
            "postal_code": "53-674",
            "city": "Wrocław",
        },
        "P-100001-1",
    )
    c = svc.add_contract(
        w.individual,
        "C-100001-H",
        p.premises_id,
        "heat",
        "W-1",
        "2024-01-01",
        "2027-12-31",
        Decimal("0.015"),
    )
    m = svc.add_meter(w.individual, "HM-100001", c, "2024-01-01")
    w.premises["individual"] = p.premises_id
    w.contracts["individual_heat"] = c.contract_no
    w.meters["individual_heat"] = m.serial

    svc.create_customer(
        svc.NewCustomer(
            customer_no=w.other_individual,
            kind="individual",
            name="Maria Wiśniewska",
            pesel="02070803628",
            address={
                "street": "ul. Piotrkowska",
                "building": "100",
                "postal_code": "90-001",
                "city": "Łódź",
            },
            email="maria.w@example.pl",
            manager_id="M2",
        )
    )
    p2 = svc.add_premises(
        w.other_individual,
        "Dom",
        {"street": "ul. Piotrkowska", "building": "100", "postal_code": "90-001", "city": "Łódź"},
        "P-100002-1",
    )
    c2 = svc.add_contract(
        w.other_individual, "C-100002-E", p2.premises_id, "electricity", "G11", "2023-05-01"
    )
    m2 = svc.add_meter(w.other_individual, "EM-100002", c2, "2023-05-01")
    w.premises["other"] = p2.premises_id
    w.contracts["other_power"] = c2.contract_no
    w.meters["other_power"] = m2.serial

    svc.create_customer(
        svc.NewCustomer(
            customer_no=w.institution,
            kind="institution",
            name="Spółdzielnia Mieszkaniowa Przyszłość",
            nip="8971018828",
            regon="930904121",
            krs="0000123456",
            address={
                "street": "ul. Grabiszyńska",
                "building": "200",
                "postal_code": "53-235",
                "city": "Wrocław",
            },
            email="biuro@sm-przyszlosc.example.pl",
            phone="+48713500600",
            manager_id="M1",
            building_manager=True,
        )
    )
    for i, building in enumerate(("200", "202", "204"), start=1):
        pp = svc.add_premises(
            w.institution,
            f"Budynek {building}",
            {
                "street": "ul. Grabiszyńska",
                "building": building,
                "postal_code": "53-235",
                "city": "Wrocław",
            },
            f"P-200001-{i}",
        )
        cc = svc.add_contract(
            w.institution,
            f"C-200001-H{i}",
            pp.premises_id,
            "heat",
            "W-2",
            "2022-10-01",
            "2026-12-31",
            Decimal("0.250"),
        )
        svc.add_meter(w.institution, f"HM-200001-{i}", cc, "2022-10-01")
    return w


def demo_context(prov: Provisioned, today: Any = None) -> Any:
    """The context the demo's seed steps run in (``devstack.seed``), on the embedded AWS:
    one client per service, today's Warsaw date unless ``today`` says otherwise."""
    from devstack.seed import SeedContext

    clients: dict[str, Any] = {}
    return SeedContext(
        prov=prov,
        clients=lambda n: clients.setdefault(n, boto3.client(n, region_name=REGION)),
        today=today or _real_clock.to_warsaw(_real_clock.now()).date(),
    )


def seeded_demo(prov: Provisioned, name: str) -> Provisioned:
    """The demo as ``make run`` seeds it (customers, invoices, payments, outages,
    self-service, preferences), seeded on the fresh embedded AWS under the snapshot ``name``
    (one name per test module: a module's tests restore their own snapshot)."""
    from devstack import (
        seed_customers,
        seed_invoicing,
        seed_outages,
        seed_payments,
        seed_preferences,
        seed_selfservice,
    )

    def seed() -> Provisioned:
        ctx = demo_context(prov)
        for step in (
            seed_customers,
            seed_invoicing,
            seed_payments,
            seed_outages,
            seed_selfservice,
            seed_preferences,
        ):
            step.seed(ctx)
        return prov

    return snapshot(name, seed)
