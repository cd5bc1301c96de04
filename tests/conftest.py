"""Test environment: in-process moto with fresh state per test, no endpoint overrides.

If any ``AWS_ENDPOINT_URL*`` variable is set, ``mock_aws`` intercepts nothing, so they are
removed before anything imports boto3 or the app.
"""

from __future__ import annotations

import os

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
from tests.support import api_client, aws_env, login_factory, world_factory  # noqa: E402,F401


@pytest.fixture
def aws():
    yield from aws_env()


@pytest.fixture
def api(aws):
    return api_client()


@pytest.fixture
def login_as(aws):
    return login_factory(aws)


@pytest.fixture
def world(aws):
    return world_factory()
