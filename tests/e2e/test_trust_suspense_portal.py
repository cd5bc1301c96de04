"""Four-eyes in the portal (issue 13): an administrator assigns an unmatched credit above the
approval threshold to a customer; nothing is booked, the request waits on the suspense page
with who asked, amount, target and reason; the demo's second administrator approves it and
the credit is booked on the customer's account."""

from __future__ import annotations

import re

from devstack.camt_sample import SampleCredit, camt053
from tests.e2e.conftest import Stack, open_as

REF = "FOUR-EYES-001"


def _bearer(stack: Stack, username: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + stack.tokens(username)["access_token"]}


def _transfers(stack: Stack, headers: dict[str, str]) -> list[str]:
    status, history = stack.get("/customers/100004/ledger", headers)
    assert status == 200
    return [e["ref"] for e in history["entries"] if e["kind"] == "transfer"]


def test_a_large_credit_is_booked_after_a_second_administrator_approves(page, stack: Stack) -> None:
    first = _bearer(stack, "50000001")
    # booked before the demo credits: on the first page of the suspense list, whatever else waits
    credit = SampleCredit(REF, 250_000, None, "przelew bez tytułu", booking_date="2026-11-02")
    xml = camt053("FOUR-EYES-1", "PL27114020040000300201355387", [credit]).decode()
    status, body = stack.post(
        "/admin/statements", {"file_name": "4eyes.xml", "content": xml}, first
    )
    assert status == 201, body
    assert stack.cli("drain", "statements").returncode == 0

    open_as(page, stack, "50000001", "#/admin/suspense")
    row = page.locator(f"#suspense tr[data-ref='{REF}']")
    row.locator("input[inputmode=numeric]").fill("100004")
    row.locator("input[name=note]").fill("klient potwierdził telefonicznie")
    row.locator("button", has_text="Zaksięguj").click()
    page.locator("dialog.confirm button.danger").click()
    waiting = page.locator(f"#suspense-requests tr[data-ref='{REF}']")
    waiting.wait_for()
    text = waiting.inner_text()
    assert "50000001" in text and "2500,00" in re.sub(r"\s", "", text)
    assert "100004" in text and "klient potwierdził telefonicznie" in text
    assert REF not in _transfers(stack, first)  # nothing booked yet

    open_as(page, stack, "50000002", "#/admin/suspense")
    waiting = page.locator(f"#suspense-requests tr[data-ref='{REF}']")
    waiting.locator("button.approve").click()
    page.locator("dialog.confirm button.danger").click()
    page.wait_for_selector(".flash.ok")
    page.wait_for_function(f"!document.querySelector(\"tr[data-ref='{REF}']\")")
    assert _transfers(stack, first).count(REF) == 1  # booked, once
