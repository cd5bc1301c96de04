"""Every application type: the happy path to its effect, bad input (a clear 400, nothing
stored), another customer's application (404) and a replayed approval (no second effect)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from tests.integration.selfservice_support import decide, file, items, sent_mails

IBAN = "PL61 1090 1014 0000 0712 1981 2874"
ADDRESS = {"street": "ul. Nowa", "building": "7", "postal_code": "53-100", "city": "Wrocław"}


def _overpaid(world: Any) -> None:
    from chalicelib.services import ledger

    ledger.book_credit(
        world.individual, 5000, kind="transfer", ref="BANK-1", value_date="2026-11-10"
    )


def _in_arrears(world: Any) -> None:
    from chalicelib.services import ledger

    ledger.record_invoice(
        customer_no=world.individual,
        invoice_no="FC/2026/09/0001",
        gross_grosze=30001,
        issue_date="2026-09-01",
        due_date="2026-09-15",
    )


def _profile(world: Any) -> Any:
    from chalicelib.store.customers import get_customer

    return get_customer(world.individual)


def _contract(no: str, customer: str = "100001") -> Any:
    from chalicelib.store.contracts import contract_of

    return contract_of(customer, no)


def _effect_count(prefix: str, kind: str) -> int:
    return len([i for i in items(prefix) if i["type"] == kind])


@dataclass
class Case:
    kind: str
    fields: dict[str, Any]
    bad: dict[str, Any]
    effect: Callable[[Any, dict[str, Any]], int]
    """Checks the effect and answers a count of what it made (the same after a replay)."""
    attachments: tuple[str, ...] = ()
    setup: Callable[[Any], None] | None = None
    customer: str = "individual"
    manager: str = "M1"
    bad_code: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _renewal(world: Any, result: dict[str, Any]) -> int:
    assert _contract("C-100001-H").end_date == "2028-12-31"
    return _effect_count("CONTRACTLOG#C-100001-H", "ContractChange")


def _termination(world: Any, result: dict[str, Any]) -> int:
    assert _contract("C-100001-H").end_date == "2027-03-31"
    return _effect_count("CONTRACTLOG#C-100001-H", "ContractChange") + _effect_count(
        "DOCS#100001", "CustomerDocument"
    )


def _capacity(world: Any, result: dict[str, Any]) -> int:
    return _effect_count("CONTRACTLOG#C-100001-H", "ContractAnnex") + _effect_count(
        "DOCS#100001", "CustomerDocument"
    )


def _data(world: Any, result: dict[str, Any]) -> int:
    assert _profile(world).phone == "+48600999888"
    return len([i for i in items("AUDIT#") if i.get("action") == "customer.update"])


def _tariff(world: Any, result: dict[str, Any]) -> int:
    from chalicelib.store.contracts import terms_on

    assert terms_on("C-100002-E", date(2026, 12, 31)).tariff_group == "G11"
    assert terms_on("C-100002-E", date(2027, 1, 1)).tariff_group == "G12"
    return _effect_count("CONTRACTLOG#C-100002-E", "ContractAnnex")


def _letter(world: Any, result: dict[str, Any]) -> int:
    assert result["letter"].startswith("letter-")
    return _effect_count("DOCS#100001", "CustomerDocument")


def _refund(world: Any, result: dict[str, Any]) -> int:
    from chalicelib.store.applications import get_payout
    from chalicelib.store.ledger import current_balance

    assert current_balance(world.individual) == -2000  # 50 zł overpaid, 30 zł paid back
    payout = get_payout(result["payout"])
    assert payout.amount == 3000 and payout.iban == IBAN.replace(" ", "")
    return _effect_count("PAYOUT#", "PayoutOrder") + len(
        [i for i in items("LEDGER#100001") if i.get("kind") == "refund"]
    )


def _instalments(world: Any, result: dict[str, Any]) -> int:
    from chalicelib.store.applications import instalments_due

    assert [i["amount_grosze"] for i in result["instalments"]] == [10001, 10000, 10000]
    assert [i.n for i in instalments_due(world.individual, date(2027, 1, 10))] == [1, 2]
    return _effect_count("PLAN#100001", "Instalment")


def _mandate(world: Any, result: dict[str, Any]) -> int:
    from chalicelib.store.applications import mandate_of

    assert mandate_of(world.individual).iban == IBAN.replace(" ", "")
    return _effect_count("CUST#100001", "DirectDebitMandate")


def _proxy(world: Any, result: dict[str, Any]) -> int:
    from chalicelib.store.applications import grants_of

    grants = grants_of(result["username"])
    assert [(g.customer_no, g.premises_id) for g in grants] == [("100001", "P-100001-1")]
    assert any(m.to == ["pelnomocnik@example.pl"] for m in sent_mails())
    return _effect_count("PROXY#", "ProxyGrant") + _effect_count("LOGIN#", "Login")


CASES = [
    Case(
        "capacity_change",
        {"contract_no": "C-100001-H", "capacity_mw": "0.020", "effective_from": "2026-12-01"},
        {"contract_no": "C-100002-E"},
        _capacity,
        ("capacity_calculation",),
        bad_code="applications.contract_unknown",
    ),
    Case(
        "contract_renewal",
        {"contract_no": "C-100001-H", "new_end_date": "2028-12-31"},
        {"new_end_date": "2027-01-31"},
        _renewal,
        bad_code="applications.renewal_not_later",
    ),
    Case(
        "termination",
        {"contract_no": "C-100001-H", "termination_date": "2027-03-31", "reason": "Przeprowadzka"},
        {"termination_date": "2026-12-31"},
        _termination,
        bad_code="applications.notice_period",
    ),
    Case(
        "customer_data_change",
        {"phone": "+48 600 999 888"},
        {"phone": "12"},
        _data,
        bad_code="field.invalid",
    ),
    Case(
        "tariff_group_change",
        {"contract_no": "C-100002-E", "tariff_group": "G12", "effective_from": "2027-01-01"},
        {"tariff_group": "G11"},
        _tariff,
        customer="other_individual",
        manager="M2",
        bad_code="applications.tariff_same",
    ),
    Case(
        "new_connection",
        {"product": "heat", "address": ADDRESS, "capacity_kw": 50, "requested_date": "2027-05-01"},
        {"requested_date": "2026-01-01"},
        _letter,
        ("site_plan",),
        bad_code="applications.date_past",
    ),
    Case(
        "refund",
        {"amount_grosze": 3000, "iban": IBAN, "account_holder": "Jan Kowalski"},
        {"iban": "PL61 1090 1014 0000 0712 1981 2875"},
        _refund,
        setup=_overpaid,
        bad_code="applications.iban",
    ),
    Case(
        "instalment_plan",
        {"instalments": 3, "first_due": "2026-12-10", "reason": "Choroba"},
        {"first_due": "2026-11-01"},
        _instalments,
        setup=_in_arrears,
        bad_code="applications.date_past",
    ),
    Case(
        "direct_debit",
        {"iban": IBAN, "account_holder": "Jan Kowalski", "consent": True},
        {"consent": False},
        _mandate,
        bad_code="field.invalid",
    ),
    Case(
        "meter_check",
        {"meter_serial": "HM-100001", "reason": "Licznik liczy za dużo."},
        {"meter_serial": "EM-100002"},
        _letter,
        bad_code="applications.meter_unknown",
    ),
    Case(
        "proxy",
        {
            "premises_id": "P-100001-1",
            "proxy_name": "Anna Kowalska",
            "proxy_email": "pelnomocnik@example.pl",
            "proxy_pesel": "02070803628",
        },
        {"premises_id": "P-100002-1"},
        _proxy,
        ("power_of_attorney",),
        bad_code="applications.premises_unknown",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_application_type(api, world, login_as, case: Case) -> None:
    customer_no = getattr(world, case.customer)
    me = login_as("customer", [customer_no])
    manager = login_as("account_manager", manager_id=case.manager)
    if case.setup:
        case.setup(world)

    # bad input: a clear 400 naming the field, nothing stored
    before = len(items("APP#"))
    bad = api.post(
        f"/customers/{customer_no}/applications",
        {"type": case.kind, "fields": case.fields | case.bad},
        headers=me,
    )
    assert bad.status == 400, bad.body
    assert bad.json["errors"][0]["code"] == case.bad_code, bad.json
    assert len(items("APP#")) == before

    filed = file(api, me, customer_no, case.kind, case.fields, case.attachments)
    app_id = filed["application_id"]

    # another customer (and another manager) cannot see or decide it
    other_no = world.other_individual if customer_no == world.individual else world.individual
    stranger = login_as("customer", [other_no])
    assert (
        api.get(f"/customers/{customer_no}/applications/{app_id}", headers=stranger).status == 404
    )
    assert api.get(f"/customers/{other_no}/applications/{app_id}", headers=stranger).status == 404
    foreign = login_as("account_manager", manager_id="M2" if case.manager == "M1" else "M1")
    assert decide(api, foreign, app_id, "approve").status == 404

    assert decide(api, manager, app_id, "review").json["status"] == "in_review"
    done = decide(api, manager, app_id, "approve")
    assert done.status == 200, done.body
    assert done.json["status"] == "done"
    made = case.effect(world, done.json["result"])
    assert made >= 1

    # a replayed approval: the same answer, no second effect
    again = decide(api, manager, app_id, "approve")
    assert again.status == 200 and again.json["status"] == "done"
    assert case.effect(world, again.json["result"]) == made


def test_rejection_needs_a_reason_and_takes_no_effect(api, world, login_as) -> None:
    jan = login_as("customer", [world.individual])
    anna = login_as("account_manager", manager_id="M1")
    filed = file(
        api,
        jan,
        world.individual,
        "contract_renewal",
        {"contract_no": "C-100001-H", "new_end_date": "2028-12-31"},
    )
    assert decide(api, anna, filed["application_id"], "reject").status == 400
    r = decide(api, anna, filed["application_id"], "reject", "Umowa jest już przedłużona.")
    assert r.status == 200 and r.json["status"] == "rejected"
    assert _contract("C-100001-H").end_date == "2027-12-31"
    assert decide(api, anna, filed["application_id"], "approve").status == 409
