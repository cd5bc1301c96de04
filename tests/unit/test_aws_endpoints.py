"""The bundled endpoint data resolves every service eBOK calls exactly as botocore's own."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from botocore.regions import EndpointResolver

from chalicelib.adapters import aws
from devstack import aws_endpoints

ROOT = Path(__file__).resolve().parents[2]


def test_bundled_file_is_botocores_data_for_the_listed_services() -> None:
    """Fails when botocore's data moved on: run ``python -m devstack.aws_endpoints``."""
    expected = aws_endpoints.render(aws_endpoints.trim(aws_endpoints.builtin()))
    assert aws_endpoints.BUNDLED.read_text(encoding="utf-8") == expected
    assert aws_endpoints.BUNDLED == aws.ENDPOINTS


def test_every_service_a_client_is_made_for_is_listed() -> None:
    called = {"dynamodb"}  # PynamoDB's client (chalicelib.store.base)
    for path in (ROOT / "chalicelib").rglob("*.py"):
        called |= set(re.findall(r"\bclient\(\"([a-z0-9-]+)\"", path.read_text("utf-8")))
    assert called - {"dynamodb"}, "no client(...) call found: the pattern needs updating"
    assert called <= aws_endpoints.SERVICES, called - aws_endpoints.SERVICES


@pytest.fixture
def sessions(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("AWS_DATA_PATH", raising=False)
    aws.reset_clients()
    yield aws.botocore_session()
    aws.reset_clients()


def test_session_resolves_from_the_bundled_data_as_botocore_does(sessions: Any) -> None:
    ours = sessions._get_internal_component("endpoint_resolver")
    assert ours.uses_builtin_data
    assert ours._endpoint_data == aws_endpoints.trim(aws_endpoints.builtin())
    full = EndpointResolver(aws_endpoints.builtin(), uses_builtin_data=True)
    regions = {r for p in full._endpoint_data["partitions"] for r in p["regions"]}
    for partition in full.get_available_partitions():
        regions |= set(full.get_available_endpoints("s3", partition))
    for service in sorted(aws_endpoints.SERVICES):
        for region in sorted(regions):
            for fips, dualstack in ((False, False), (True, False), (False, True)):
                kw = {"use_fips_endpoint": fips, "use_dualstack_endpoint": dualstack}
                got = _outcome(ours, service, region, kw)
                assert got == _outcome(full, service, region, kw), (service, region, kw)
    for region in sorted(regions):
        assert ours.get_partition_for_region(region) == full.get_partition_for_region(region)


def _outcome(resolver: EndpointResolver, service: str, region: str, kw: dict[str, bool]) -> Any:
    try:
        return resolver.construct_endpoint(service, region, **kw)
    except Exception as exc:  # noqa: BLE001 - the refusal must be the same too
        return (type(exc).__name__, str(exc))


def test_clients_are_made_as_with_botocores_file(sessions: Any) -> None:
    import botocore.session

    plain = botocore.session.get_session()
    for service in ("dynamodb", "s3", "sqs", "cognito-idp"):
        a = sessions.create_client(service, region_name="eu-central-1")
        b = plain.create_client(service, region_name="eu-central-1")
        assert a.meta.endpoint_url == b.meta.endpoint_url
        assert a.meta.region_name == b.meta.region_name
        assert a._client_config.signature_version == b._client_config.signature_version


def test_own_data_path_keeps_botocores_resolver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DATA_PATH", str(ROOT / "no-such-models"))
    aws.reset_clients()
    try:
        resolver = aws.botocore_session()._get_internal_component("endpoint_resolver")
        assert "ec2" in resolver._endpoint_data["partitions"][0]["services"]
    finally:
        aws.reset_clients()
