"""Invoices and readings in the portal, and the invoicing job through the local CLI."""

from __future__ import annotations

import urllib.request
from decimal import Decimal

from chalicelib.domain.invoices import previous_month
from tests.e2e.conftest import Stack, open_as


def _auth(stack: Stack, username: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + stack.tokens(username)["access_token"]}


def test_customer_sees_invoices_and_downloads_a_pdf(page, stack: Stack) -> None:
    open_as(page, stack, "10000001", "#/invoices")  # Jan Kowalski: heat, e-invoice consent
    page.wait_for_selector("#invoice-list .invoice-number")
    numbers = page.locator("#invoice-list .invoice-number").all_inner_texts()
    assert len(numbers) >= 3 and all(n.startswith("FC/") for n in numbers)
    assert page.locator("#einvoice-consent").is_checked()
    page.locator(".pdf-button").first.click()
    link = page.locator(".pdf-link").first
    link.wait_for()
    href = link.get_attribute("href")
    assert href and "X-Amz-Expires=300" in href
    with urllib.request.urlopen(href, timeout=15) as resp:  # noqa: S310 - the local moto S3
        assert resp.read(5) == b"%PDF-"
    page.screenshot(path=str(stack.state_dir / "invoices.png"), full_page=True)

    page.locator("#invoice-list .invoice-number").first.click()
    page.wait_for_selector("#invoice-lines")
    detail = page.locator("main").inner_text()
    assert "Sprzedawca" in detail and "Jan Kowalski" in detail
    assert page.locator("#invoice-account").inner_text().replace(" ", "").isdigit()
    page.screenshot(path=str(stack.state_dir / "invoice-detail.png"), full_page=True)


def test_customer_submits_a_reading_and_a_lower_one_is_refused(page, stack: Stack) -> None:
    status, body = stack.get(
        "/customers/100001/meters/HM-100001/readings", _auth(stack, "10000001")
    )
    assert status == 200, body
    current = body["current"]["values"]
    open_as(page, stack, "10000001", "#/readings")
    form = page.locator("section[data-serial='HM-100001'] form.reading-form")
    form.wait_for()
    below = Decimal(current["heat_gj"]) - 1
    page.fill("#f-values-heat_gj-HM-100001", str(below).replace(".", ","))
    page.fill("#f-values-water_m3-HM-100001", current["water_m3"])
    form.locator("button[type=submit]").click()
    error = page.locator("#f-values-heat_gj-HM-100001-error")
    error.wait_for()
    page.wait_for_function(
        "document.querySelector('#f-values-heat_gj-HM-100001-error').textContent.length > 0"
    )
    assert "niższy niż poprzedni" in error.inner_text()

    page.fill(
        "#f-values-heat_gj-HM-100001",
        str(Decimal(current["heat_gj"]) + Decimal("0.8")).replace(".", ","),
    )
    page.fill("#f-values-water_m3-HM-100001", str(Decimal(current["water_m3"]) + Decimal("0.05")))
    form.locator("button[type=submit]").click()
    page.wait_for_selector("section[data-serial='HM-100001'] tr.reading-customer")
    assert (
        "podany przez klienta"
        in page.locator("section[data-serial='HM-100001'] .reading-history").inner_text()
    )
    page.screenshot(path=str(stack.state_dir / "readings.png"), full_page=True)


def test_price_list_is_public(page, stack: Stack) -> None:
    page.goto(stack.base_url + "/#/tariffs")
    page.wait_for_selector("section.tariff[data-group='G11'] .tariff-table")
    assert page.locator("section.tariff").count() == 4
    assert "Opłata mocowa" in page.locator("section.tariff[data-group='G11']").inner_text()


def test_invoicing_job_through_the_cli_is_idempotent(stack: Stack) -> None:
    headers = _auth(stack, "20000001")
    # The housing co-op (its contracts run longest; the demo's dates are fixed while the
    # tests' instant moves, and a contract that has ended is rightly not invoiced).
    customer = "200001"
    before = stack.get(f"/customers/{customer}/invoices", headers)[1]["invoices"]
    # The demo leaves the last ended month un-invoiced (whatever day the stack starts on).
    period = previous_month().key
    assert period not in {i["period"] for i in before}
    first, last = f"{period}-01", f"{period}-31"
    in_force = [
        c
        for c in stack.get(f"/customers/{customer}/contracts", headers)[1]["contracts"]
        if c["start_date"] <= last and (not c.get("end_date") or c["end_date"] >= first)
    ]
    assert in_force, "the demo has no contract in force in " + period
    run = stack.cli("job", "invoicing_run", "--period", period)
    assert run.returncode == 0, run.stdout + run.stderr
    drained = stack.cli("drain", "all")
    assert drained.returncode == 0, drained.stdout + drained.stderr

    def of_period() -> list[str]:  # the newest page holds them (newest first)
        invoices = stack.get(f"/customers/{customer}/invoices", headers)[1]["invoices"]
        return sorted(i["invoice_id"] for i in invoices if i["period"] == period)

    after = of_period()
    assert len(after) == len(in_force)  # one invoice per contract in force

    # Invoices to a buyer with a NIP are e-mailed after KSeF accepts them (submit, then status
    # polls at KSeF's pace), and other areas' queues send their own mail meanwhile: count the
    # month's invoice e-mails by subject (it carries the invoice number).
    def invoice_mails() -> list[str]:
        return [
            m["subject"]
            for m in stack.outbox()["emails"]
            if m["subject"].startswith("Faktura ") and f"{period[5:]}.{period[:4]}" in m["subject"]
        ]

    for _ in range(3):
        assert stack.cli("drain", "all").returncode == 0
    sent = invoice_mails()
    assert sent
    assert stack.cli("job", "invoicing_run", "--period", period).returncode == 0
    for _ in range(3):
        assert stack.cli("drain", "all").returncode == 0
    mails = invoice_mails()
    assert len(mails) == len(set(mails)), mails  # every invoice e-mailed once at most
    assert set(sent) <= set(mails)
    assert of_period() == after
