"""Corrections are bounded, accountable and keep the billing basis right (issue 12 item 5,
issue 13 item 1). Each audit finding is reproduced here:

- 13.1: ``heat_gj = 99999999999`` issued, booked and e-mailed a 7.97 trillion zł correction;
  ``-999999`` was accepted too (negative consumption);
- 12.5: a correction credited an over-estimate the next actual reading already settled
  (double credit); a correction did not move the reading the next invoice starts from.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.integration.invoicing_helpers import (
    invoices_of,
    load_tariffs,
    put_reading,
    readings_for_world,
    sent_emails,
)


def _url(w, invoice_id: str) -> str:
    return f"/customers/{w.individual}/invoices/{invoice_id}/corrections"


def _ledger_entries(customer_no: str) -> int:
    from chalicelib.services import ledger

    return len(ledger.invoice_statuses(customer_no, [i.number for i in invoices_of(customer_no)]))


@pytest.fixture
def october(world):
    from chalicelib.services import invoicing

    load_tariffs()
    readings_for_world(world)
    out = invoicing.issue(world.individual, world.contracts["individual_heat"], "2026-10")
    assert out.status == "issued"
    return world, out.invoice_id


def _nothing_new(w, before_invoices: int, before_mails: int) -> None:
    assert len(invoices_of(w.individual)) == before_invoices
    assert len(sent_emails()) == before_mails


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("99999999999", "invoices.implausible_usage"),  # the audit's 7.97 trillion zł
        ("-999999", "invoices.negative_usage"),  # the audit's −79 716 353,41 zł
        ("41", "invoices.implausible_usage"),  # 0,015 MW flat out for 31 days is 40,176 GJ
    ],
)
def test_audit_corrections_are_refused_and_nothing_is_stored(
    api, october, login_as, value, code
) -> None:
    w, invoice_id = october
    operator = login_as("operator")
    invoices, mails = len(invoices_of(w.individual)), len(sent_emails())
    r = api.post(
        _url(w, invoice_id), {"reason": "audyt", "usage": {"heat_gj": value}}, headers=operator
    )
    assert r.status == 422, r.body
    assert [e["code"] for e in r.json["errors"]] == [code]
    _nothing_new(w, invoices, mails)
    # The bound is the contract's ordered capacity: just under it is a legal (large) value.
    assert r.json["errors"][0]["field"] == "usage.heat_gj"


def test_nan_and_exponents_are_refused_before_any_arithmetic(api, october, login_as) -> None:
    w, invoice_id = october
    operator = login_as("operator")
    for value in ("NaN", "1E+400", "Infinity", "1.2345"):
        r = api.post(
            _url(w, invoice_id), {"reason": "x" * 3, "usage": {"heat_gj": value}}, headers=operator
        )
        assert r.status == 400, (value, r.body)
    assert len(invoices_of(w.individual)) == 1


def test_correction_of_a_settled_estimate_is_refused(api, world, login_as) -> None:
    """October was estimated (no reading at its end); the customer's actual reading of
    5 November settled that estimate. Crediting the over-estimate again is refused."""
    from chalicelib.services import invoicing

    load_tariffs()
    readings_for_world(world, through="2026-09-30")
    out = invoicing.issue(world.individual, world.contracts["individual_heat"], "2026-10")
    inv = invoices_of(world.individual)[0]
    assert out.status == "issued" and inv.estimated
    customer = login_as("customer", [world.individual])
    est = inv.meters[0]["closing"]["values"]
    r = api.post(
        f"/customers/{world.individual}/meters/{world.meters['individual_heat']}/readings",
        {"read_on": "2026-11-05", "values": {"heat_gj": "100.500", "water_m3": est["water_m3"]}},
        headers=customer,
    )
    assert r.status == 201, r.body
    operator = login_as("operator")
    billed = Decimal(inv.meters[0]["usage"]["heat_gj"])
    r = api.post(
        _url(world, inv.invoice_id),
        {"reason": "zawyżony szacunek", "usage": {"heat_gj": str(billed - Decimal("0.152"))}},
        headers=operator,
    )
    assert r.status == 422, r.body
    assert r.json["code"] == "invoices.estimate_settled"
    assert inv.number in r.json["detail"]
    assert len(invoices_of(world.individual)) == 1


def test_next_invoice_starts_from_the_corrected_reading(api, world, login_as) -> None:
    """September billed a mistyped reading (103,456 GJ instead of 102,000): corrected,
    October's invoice runs from 102,000, and the two together bill the meter's advance."""
    from chalicelib.services import invoicing

    load_tariffs()
    serial, contract = world.meters["individual_heat"], world.contracts["individual_heat"]
    put_reading(
        serial, world.individual, contract, "2026-08-31", heat_gj="100.000", water_m3="10.000"
    )
    put_reading(
        serial, world.individual, contract, "2026-09-30", heat_gj="103.456", water_m3="10.500"
    )
    put_reading(
        serial, world.individual, contract, "2026-10-31", heat_gj="105.000", water_m3="11.000"
    )
    sep = invoicing.issue(world.individual, contract, "2026-09")
    operator = login_as("operator")
    r = api.post(
        _url(world, sep.invoice_id),
        {"reason": "błędnie wpisany odczyt", "usage": {"heat_gj": "2.000"}},
        headers=operator,
    )
    assert r.status == 201, r.body
    corr = r.json["invoice"]
    assert corr["state_before"]["usage"]["heat_gj"] == "3.456"
    assert corr["state_after"]["usage"]["heat_gj"] == "2.000"
    assert corr["gross"] == corr["state_after"]["gross"] - corr["state_before"]["gross"] < 0
    assert corr["settlement"] == "credit"
    assert corr["meters"][0]["closing"]["values"]["heat_gj"] == "102.000"
    octo = invoicing.issue(world.individual, contract, "2026-10")
    oct_inv = next(i for i in invoices_of(world.individual) if i.invoice_id == octo.invoice_id)
    assert oct_inv.meters[0]["opening"]["values"]["heat_gj"] == "102.000"
    assert oct_inv.meters[0]["usage"]["heat_gj"] == "3.000"
    # Now that October is invoiced from it, September's reading cannot move again.
    r = api.post(
        _url(world, sep.invoice_id),
        {"reason": "jeszcze raz", "usage": {"heat_gj": "1.000"}},
        headers=operator,
    )
    assert r.status == 422 and r.json["code"] == "invoices.later_period_invoiced"


def test_second_correction_diffs_against_the_first_not_the_original(api, october, login_as) -> None:
    w, invoice_id = october
    operator = login_as("operator")
    first = api.post(
        _url(w, invoice_id),
        {"reason": "korekta 1", "usage": {"heat_gj": "3.000"}},
        headers=operator,
    )
    second = api.post(
        _url(w, invoice_id),
        {"reason": "korekta 2", "usage": {"heat_gj": "2.500"}},
        headers=operator,
    )
    assert first.status == second.status == 201
    a, b = first.json["invoice"], second.json["invoice"]
    assert b["state_before"] == a["state_after"]
    original = next(i for i in invoices_of(w.individual) if i.invoice_id == invoice_id)
    # Original + both corrections = the invoice as it would have been with 2,500 GJ.
    assert int(original.gross) + a["gross"] + b["gross"] == b["state_after"]["gross"]


def test_above_threshold_waits_for_another_person(api, october, login_as, monkeypatch) -> None:
    from chalicelib.services import audit
    from chalicelib.store.approvals import invoice_target

    w, invoice_id = october
    asker, same_role_other = login_as("operator"), login_as("admin")
    invoices, mails = len(invoices_of(w.individual)), len(sent_emails())
    body = {"reason": "odczyt z protokołu", "usage": {"heat_gj": "30.000"}}
    r = api.post(_url(w, invoice_id), body, headers=asker)
    assert r.status == 201 and r.json["status"] == "pending_approval", r.body
    req = r.json["request"]
    assert req["difference"] > 100_000 and req["usage_before"]["heat_gj"] == "3.456"
    _nothing_new(w, invoices, mails)  # nothing issued, booked or sent
    assert (
        api.post(_url(w, invoice_id), body, headers=asker).json["request"]["request_id"]
        == req["request_id"]
    )
    listed = api.get("/correction-requests", headers=same_role_other).json["requests"]
    assert [x["request_id"] for x in listed] == [req["request_id"]]
    approve = f"/customers/{w.individual}/correction-requests/{req['request_id']}/approve"
    refused = api.post(approve, headers=asker)
    assert refused.status == 403 and refused.json["code"] == "invoices.four_eyes_same_person"
    customer = login_as("customer", [w.individual])
    assert api.post(approve, headers=customer).status == 403
    done = api.post(approve, headers=same_role_other)
    assert done.status == 201 and done.json["status"] == "issued", done.body
    assert len(invoices_of(w.individual)) == invoices + 1
    assert api.post(approve, headers=same_role_other).status == 409  # replay
    assert api.get("/correction-requests", headers=asker).json["requests"] == []
    actions = [e["action"] for e in audit.of_target(invoice_target(w.individual, invoice_id))]
    assert sorted(actions) == ["invoice.correction_issued", "invoice.correction_requested"]
    issued = next(
        e
        for e in audit.of_target(invoice_target(w.individual, invoice_id))
        if e["action"] == "invoice.correction_issued"
    )
    assert issued["before"]["usage"]["heat_gj"] == "3.456"
    assert issued["after"]["usage"]["heat_gj"] == "30.000"
    assert issued["after"]["reason"] == "odczyt z protokołu"
    assert issued["after"]["requested_by"] != issued["after"]["approved_by"]


def test_rejected_request_issues_nothing(api, october, login_as) -> None:
    w, invoice_id = october
    asker, other = login_as("operator"), login_as("operator")
    r = api.post(
        _url(w, invoice_id), {"reason": "protokół", "usage": {"heat_gj": "30.000"}}, headers=asker
    )
    rid = r.json["request"]["request_id"]
    rej = api.post(f"/customers/{w.individual}/correction-requests/{rid}/reject", headers=other)
    assert rej.status == 200 and rej.json["status"] == "rejected"
    ok = api.post(f"/customers/{w.individual}/correction-requests/{rid}/approve", headers=other)
    assert ok.status == 409
    assert len(invoices_of(w.individual)) == 1


def test_another_customers_invoice_is_not_found(api, october, login_as) -> None:
    w, invoice_id = october
    operator = login_as("operator")
    r = api.post(
        f"/customers/{w.other_individual}/invoices/{invoice_id}/corrections",
        {"reason": "cudza", "usage": {"heat_gj": "1.000"}},
        headers=operator,
    )
    assert r.status == 404
    assert (
        api.post(
            f"/customers/{w.individual}/correction-requests/nope/approve", headers=operator
        ).status
        == 404
    )


@pytest.mark.parametrize("seed", [7, 2026])
def test_a_year_of_invoices_and_corrections_bills_the_meters_advance(
    api, world, login_as, seed
) -> None:
    """Twelve months, some without a reading at their end (estimated), some corrected right
    after issue (the correction moves the reading the next invoice starts from): the usage
    billed (each invoice as last corrected) adds up exactly to the advance of the meter
    from the first reading to the last (the last month, closed on an actual reading, is
    left as read)."""
    import random

    from chalicelib.domain import invoices as rules
    from chalicelib.services import invoicing

    rnd = random.Random(seed)
    load_tariffs()
    serial, contract = world.meters["individual_heat"], world.contracts["individual_heat"]
    value = Decimal("100.000")
    put_reading(
        serial, world.individual, contract, "2025-10-31", heat_gj=f"{value}", water_m3="10.000"
    )
    operator = login_as("operator")
    period = rules.Period.parse("2025-11")
    billed = Decimal(0)
    for month in range(12):
        value += Decimal(rnd.randint(500, 4000)) / 1000
        if month == 11 or rnd.random() < 0.7:  # the last month always has its reading
            put_reading(
                serial,
                world.individual,
                contract,
                period.last.isoformat(),
                heat_gj=f"{value}",
                water_m3="10.000",
            )
        out = invoicing.issue(world.individual, contract, period.key)
        assert out.status == "issued", out
        inv = next(i for i in invoices_of(world.individual) if i.invoice_id == out.invoice_id)
        usage = Decimal(inv.meters[0]["usage"]["heat_gj"])
        if month < 11 and rnd.random() < 0.4:  # a correction moves the closing reading
            usage = (usage * Decimal(rnd.randint(50, 150)) / 100).quantize(Decimal("0.001"))
            r = api.post(
                _url(world, inv.invoice_id),
                {"reason": "korekta", "usage": {"heat_gj": str(usage)}},
                headers=operator,
            )
            assert r.status in (201, 400), r.body
            if r.status == 400:  # no change after rounding
                usage = Decimal(inv.meters[0]["usage"]["heat_gj"])
        billed += usage
        period = period.next()
    assert billed == value - Decimal("100.000")


def test_negative_correction_pdf_shows_before_after_and_do_zwrotu(api, october, login_as) -> None:
    from chalicelib.services import billing
    from tests.integration.invoicing_helpers import pdf_text

    w, invoice_id = october
    r = api.post(
        _url(w, invoice_id),
        {"reason": "błędny odczyt", "usage": {"heat_gj": "2.456"}},
        headers=login_as("operator"),
    )
    assert r.status == 201
    invs = {i.invoice_id: i for i in invoices_of(w.individual)}
    corr = invs[r.json["invoice"]["invoice_id"]]
    text = pdf_text(billing.render_pdf(corr, invs[invoice_id]))
    assert "Faktura korygująca" in text and "przed korektą" in text and "po korekcie" in text
    assert "Do zwrotu" in text and "nadpłata" in text
    assert "Do zapłaty" not in text and "Termin płatności" not in text
    assert "3,456" in text and "2,456" in text  # the quantities before and after
