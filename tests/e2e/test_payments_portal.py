"""Pay now in the portal: open invoices → sandbox operator → signed notification → the
balance on screen changes; the individual account number is shown with a copy button."""

from __future__ import annotations

import re

from tests.e2e.conftest import Stack, open_as


def test_pay_now_through_the_sandbox_changes_the_balance(page, stack: Stack) -> None:
    open_as(page, stack, "10000001", "#/payments")  # Jan Kowalski: demo customer in arrears
    amount = page.locator("#balance-amount")
    amount.wait_for()
    before = int(amount.get_attribute("data-grosze"))
    assert before > 0
    assert page.locator("#arrears-amount").is_visible()
    account = page.locator("#virtual-account")
    assert re.fullmatch(r"\d{2}( \d{4}){6}", account.inner_text())
    assert account.get_attribute("data-iban").endswith("100001")
    assert page.locator("#copy-account").is_visible()
    due = sum(
        int(x)
        for x in page.locator("input[name=invoice]").evaluate_all(
            "els => els.map(e => e.dataset.outstanding)"
        )
    )
    assert due == before
    page.screenshot(path=str(stack.state_dir / "payments-before.png"), full_page=True)

    page.click("#pay-now")
    page.wait_for_url(re.compile(r"/sandbox/pay/"))
    assert "Sandbox" in page.locator("h1").inner_text()
    page.click("#sandbox-pay")

    page.wait_for_url(re.compile(r"#/payments\?payment="))
    page.wait_for_selector("#payment-result[data-status=paid]")
    page.wait_for_function("document.querySelector('#balance-amount').dataset.grosze === '0'")
    assert page.locator("#balance-amount").inner_text().startswith("0,00")
    history = page.locator("#history").inner_text()
    assert "Płatność online" in history

    # the overview shows the same, from its one Query
    page.goto(stack.base_url + "/#/account")
    page.wait_for_selector(".page-account .balance")
    assert page.locator(".page-account #balance-amount").get_attribute("data-grosze") == "0"
    page.screenshot(path=str(stack.state_dir / "payments.png"), full_page=True)


def test_rejected_payment_leaves_the_balance(page, stack: Stack) -> None:
    open_as(page, stack, "20000001", "#/payments")  # SM Przyszłość: partly paid, in arrears
    page.locator("#balance-amount").wait_for()
    before = page.locator("#balance-amount").get_attribute("data-grosze")
    page.fill("#f-amount_grosze", "10,00")
    page.click("#amount-form button[type=submit]")
    page.wait_for_url(re.compile(r"/sandbox/pay/"))
    page.click("#sandbox-reject")
    page.wait_for_selector("#payment-result[data-status=failed]")
    assert page.locator("#balance-amount").get_attribute("data-grosze") == before


def test_admin_resolves_an_unmatched_transfer(page, stack: Stack) -> None:
    open_as(page, stack, "50000001", "#/admin/suspense")
    row = page.locator("tr[data-ref='DEMO-2026-0004']")  # from the demo camt.053 statement
    row.wait_for()
    page.screenshot(path=str(stack.state_dir / "suspense.png"), full_page=True)
    row.locator("input").fill("100004")
    row.locator("button", has_text="Zaksięguj").click()
    page.locator("dialog.confirm button.danger").click()  # booking asks first
    page.wait_for_selector(".flash.ok")
    page.wait_for_function("!document.querySelector(\"tr[data-ref='DEMO-2026-0004']\")")
    tokens = stack.tokens("50000001")
    status, balance = stack.get(
        "/customers/100004/balance", {"Authorization": "Bearer " + tokens["access_token"]}
    )
    assert status == 200
    status, history = stack.get(
        "/customers/100004/ledger", {"Authorization": "Bearer " + tokens["access_token"]}
    )
    assert [e["ref"] for e in history["entries"] if e["kind"] == "transfer"] == ["DEMO-2026-0004"]
