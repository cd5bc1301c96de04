"""The self-service demo data: regulations, price lists and forms published; every demo
contract with its terms and signed contract; a renewal application and a thread; seeding
again adds nothing."""

from __future__ import annotations

from devstack import seed_customers, seed_selfservice
from tests.integration.selfservice_support import items
from tests.support import demo_context


def test_selfservice_demo(aws) -> None:
    from chalicelib.services import documents
    from chalicelib.store.customers import all_contracts

    ctx = demo_context(aws)
    seed_customers.seed(ctx)
    seed_selfservice.seed(ctx)
    public = documents.public_documents()
    kinds = sorted({d["kind"] for d in public["documents"]})
    assert kinds == ["form", "price_list", "regulations"]
    assert documents.current_regulations()["version"] == "2026-01"
    n = len(all_contracts())
    assert n >= 5
    assert len([i for i in items("DOCS#") if i["kind"] == "contract"]) == n
    assert len([i for i in items("CUST#") if i["type"] == "ContractTerms"]) == n
    assert any(str(i.get("ppe") or "").startswith("PL0037") for i in items("CUST#"))
    before = len(items(""))
    seed_selfservice.seed(ctx)
    assert len(items("")) == before
