"""Test environment: in-process moto with fresh state per test, no endpoint overrides.

The state is fresh but not rebuilt: the template's resources (and the ``world`` records) are
provisioned once and restored from a snapshot for each test (tests/support.py).

If any ``AWS_ENDPOINT_URL*`` variable is set, ``mock_aws`` intercepts nothing, so they are
removed before anything imports boto3 or the app.
"""

from __future__ import annotations

import os

# One clock for the whole run (in-process code, the local stack of the e2e tests and the job
# CLI it runs): ``EBOK_NOW`` if given (``make test-clock`` sets several), otherwise a fixed,
# ordinary instant, so that no test depends on the hour CI happens to run at. The offset is
# computed once here and handed to every subprocess through the environment.
DEFAULT_TEST_NOW = "2026-11-18T10:30:00+01:00"
os.environ.setdefault("EBOK_NOW", DEFAULT_TEST_NOW)
os.environ.pop("EBOK_CLOCK_OFFSET_S", None)
from chalicelib.domain import clock as _clock  # noqa: E402 (pure module: no boto3)

os.environ[_clock.ENV_OFFSET] = repr(_clock.offset_seconds())

for _name in list(os.environ):
    if _name.startswith("AWS_ENDPOINT_URL"):
        del os.environ[_name]
os.environ.update(
    {
        "AWS_DEFAULT_REGION": "eu-central-1",
        "AWS_REGION": "eu-central-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "POWERTOOLS_TRACE_DISABLED": "1",
        "POWERTOOLS_METRICS_NAMESPACE": "eBOK",
        "TABLE_NAME": "ebok-local",
        "STAGE": "local",
    }
)

import pytest  # noqa: E402

from tests.support import *  # noqa: E402,F403
from tests.support import (  # noqa: E402,F401
    api_client,
    aws_env,
    login_factory,
    snapshot,
    world_factory,
)


@pytest.hookimpl(trylast=True)  # after every conftest has added its xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from tests.xdist_groups import apply_groups

    apply_groups(config, items)


@pytest.fixture
def aws(request):
    yield from aws_env(moto_as_is=request.node.get_closest_marker("moto_as_is") is not None)


@pytest.fixture
def api(aws):
    return api_client()


@pytest.fixture
def login_as(aws):
    return login_factory(aws)


@pytest.fixture
def world(aws):
    # Built once on a freshly provisioned AWS, restored from a snapshot afterwards.
    return snapshot("world", world_factory)


@pytest.fixture(autouse=True)
def _clock_of_the_run():
    """A test that moves the clock (an offset in the environment and ``clock.reset()``) gets
    its environment back from monkeypatch; the clock's cached offset must follow, or every
    later test, and the stack of the browser tests asked about "tomorrow", runs hours ahead."""
    yield
    _clock.reset()


@pytest.fixture
def at_tests_instant(monkeypatch):
    """For a module whose data and expectations are dated around the suite's default instant
    (18.11.2026): it runs there whatever ``EBOK_NOW`` says (``make test-clock``), so it sets
    the clock explicitly instead of depending on the run's instant."""
    monkeypatch.setenv(
        _clock.ENV_OFFSET, repr(_clock.offset_for(_clock.parse_instant(DEFAULT_TEST_NOW)))
    )
    _clock.reset()
