"""The OpenAPI document and the routes agree, and the document is valid OpenAPI 3.1."""

from __future__ import annotations

import app
from chalicelib.api.openapi import document


def test_every_route_has_an_entry_and_every_entry_a_route() -> None:
    doc = document()
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    routed = {(path, method) for path, methods in app.app.routes.items() for method in methods}
    assert routed - documented == set(), "routes without an OpenAPI entry"
    assert documented - routed == set(), "OpenAPI entries without a route"


def test_document_is_valid_openapi_31() -> None:
    from openapi_spec_validator import validate

    validate(document())


def test_served_document_matches(api) -> None:
    served = api.get("/openapi.json").json
    assert served["paths"].keys() == document()["paths"].keys()


def test_every_customer_scoped_route_requires_login() -> None:
    doc = document()
    for path, ops in doc["paths"].items():
        if "{customer_no}" in path:
            for method, op in ops.items():
                assert op.get("security"), f"{method.upper()} {path} is customer-scoped but public"
